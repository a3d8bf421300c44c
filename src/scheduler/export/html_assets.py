"""The stylesheet and script embedded in `timetable.html` (no network: everything is inline).

The script builds every element with `textContent`, never `innerHTML`, so instance strings are
never parsed as HTML; it reads its data from a `<script type="application/json">` block.
"""

CSS = """
:root { --line: #c8c8c8; --muted: #666; --event: #d9d9d9; --ppm: 0.9px; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #111; background: #fff; }
header { padding: 12px 18px 6px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 2px; }
.sub { color: var(--muted); font-size: 13px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; padding: 8px 18px;
  border-bottom: 1px solid var(--line); background: #f7f7f7; }
.controls label { font-size: 13px; color: #333; }
.controls select, .controls button { font: inherit; padding: 3px 6px; }
.views button[aria-pressed="true"] { background: #333; color: #fff; border-color: #333; }
#nav { display: flex; gap: 6px; align-items: center; }
#period { font-weight: 600; min-width: 9em; text-align: center; }
#count { margin-left: auto; font-weight: 600; }
main { padding: 10px 18px 24px; }
#caption { display: none; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; padding: 6px 18px 0; font-size: 12px; }
.legend span::before { content: ""; display: inline-block; width: 11px; height: 11px;
  margin-right: 4px; vertical-align: -1px; border: 1px solid #888; background: var(--c); }
table.month { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.month th { font-size: 12px; color: var(--muted); padding: 4px;
  border: 1px solid var(--line); }
table.month td { vertical-align: top; height: 92px; padding: 2px 3px;
  border: 1px solid var(--line); }
table.month td.out { background: #fafafa; color: #aaa; }
.daynum { font-size: 12px; color: var(--muted); text-align: right; }
.ev { display: block; margin: 2px 0; padding: 2px 4px; border-radius: 3px; font-size: 12px;
  background: var(--c, var(--event)); border-left: 4px solid rgba(0,0,0,.35); overflow: hidden;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; break-inside: avoid; }
.ev.event { background: repeating-linear-gradient(135deg, #e6e6e6 0 6px, #d0d0d0 6px 12px);
  border-left-color: #555; }
.ev .t { font-weight: 600; margin-right: 4px; }
.ev .w { display: block; color: #333; font-size: 11px; }
.week { display: grid; grid-template-columns: 52px repeat(7, 1fr); border: 1px solid var(--line); }
.week .colhead { text-align: center; font-size: 12px; padding: 4px;
  border-bottom: 1px solid var(--line); border-left: 1px solid var(--line); color: var(--muted); }
.week .gutter, .week .day { position: relative; height: var(--h); }
.week .day { border-left: 1px solid var(--line);
  background: repeating-linear-gradient(to bottom, transparent 0 calc(60 * var(--ppm) - 1px),
  #eee calc(60 * var(--ppm) - 1px) calc(60 * var(--ppm))); }
.week .hour { position: absolute; right: 4px; font-size: 11px; color: var(--muted); }
.week .ev { position: absolute; margin: 0; }
table.list { width: 100%; border-collapse: collapse; font-size: 13px; }
table.list th, table.list td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e4e4e4;
  vertical-align: top; }
table.list tr.weekrow th { background: #f0f0f0; border-top: 1px solid var(--line); }
table.list td.ue { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.empty { color: var(--muted); padding: 20px 0; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { font-size: 11px; }
  .controls, .noprint { display: none !important; }
  #caption { display: block; margin: 0 0 6px; font-weight: 600; }
  header { padding: 0 0 4px; }
  main { padding: 4px 0 0; }
  .legend { padding: 4px 0; }
  table.month td { height: auto; min-height: 60px; }
  tr, .ev { break-inside: avoid; }
}
"""

JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("timetable-data").textContent);
  var KINDS = ["group", "teacher", "site", "room"];
  var VIEWS = ["month", "week", "list"];
  var DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var DAY = 86400000;
  var state = { view: "month", anchor: null, group: "", teacher: "", site: "", room: "" };
  var byId = {};
  KINDS.forEach(function (k) {
    byId[k] = {};
    DATA[k + "s"].forEach(function (e) { byId[k][e.id] = e; });
  });
  var lastHash = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function parseDate(s) {
    var p = s.split("-");
    return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
  }
  function iso(d) { return d.toISOString().slice(0, 10); }
  function addDays(d, n) { return new Date(d.getTime() + n * DAY); }
  function monday(d) { return addDays(d, -((d.getUTCDay() + 6) % 7)); }
  function fmtDay(d) {
    return DAYS[(d.getUTCDay() + 6) % 7] + " " + d.getUTCDate() + " " +
      MONTHS[d.getUTCMonth()].slice(0, 3) + " " + d.getUTCFullYear();
  }
  function minutes(hhmm) { var p = hhmm.split(":"); return +p[0] * 60 + +p[1]; }
  function isoWeek(d) {
    var t = addDays(d, 3 - ((d.getUTCDay() + 6) % 7));
    var first = new Date(Date.UTC(t.getUTCFullYear(), 0, 4));
    return 1 + Math.round(((t - first) / DAY - 3 + ((first.getUTCDay() + 6) % 7)) / 7);
  }

  function matches(it) {
    if (state.group) {
      var chain = byId.group[state.group].chain;
      if (!it.groups.some(function (g) { return chain.indexOf(g) >= 0; })) return false;
    }
    if (state.teacher && it.teachers.indexOf(state.teacher) < 0) return false;
    if (state.site && it.site !== state.site) return false;
    if (state.room && it.rooms.indexOf(state.room) < 0) return false;
    return true;
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    KINDS.forEach(function (k) {
      var v = params.get(k) || "";
      state[k] = Object.prototype.hasOwnProperty.call(byId[k], v) ? v : "";
    });
    var view = params.get("view");
    if (VIEWS.indexOf(view) >= 0) state.view = view;
    var date = params.get("date") || "";
    if (/^\d{4}-\d{2}$/.test(date)) date += "-01";
    state.anchor = /^\d{4}-\d{2}-\d{2}$/.test(date) ? parseDate(date) : null;
  }
  function writeHash() {
    var params = new URLSearchParams();
    KINDS.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    params.set("view", state.view);
    if (state.anchor) params.set("date", iso(state.anchor));
    lastHash = "#" + params.toString();
    try { history.replaceState(null, "", lastHash); } catch (e) { /* file: URL policies */ }
  }

  function chip(it, withDetails) {
    var node = el("div", "ev" + (it.kind === "event" ? " event" : ""));
    node.dataset.key = it.key;
    if (it.kind === "session") node.style.setProperty("--c", DATA.ues[it.ue].colour);
    node.title = it.summary + "\n" + it.date + " " + it.start + "–" + it.end + "\n" +
      it.location + "\nTeachers: " + it.teacherNames + "\nGroups: " + it.groupNames;
    node.appendChild(el("span", "t", it.start + "–" + it.end));
    node.appendChild(el("span", "s", it.summary));
    node.appendChild(el("span", "w", it.roomNames + " · " + it.siteName));
    if (withDetails) node.appendChild(el("span", "w", it.teacherNames));
    return node;
  }

  function byDate(items) {
    var out = {};
    items.forEach(function (it) { (out[it.date] = out[it.date] || []).push(it); });
    return out;
  }

  function renderMonth(root, items) {
    var a = state.anchor;
    var first = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), 1));
    var last = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + 1, 0));
    var period = MONTHS[first.getUTCMonth()] + " " + first.getUTCFullYear();
    var days = byDate(items), shown = 0;
    var table = el("table", "month"), head = el("tr");
    DAYS.forEach(function (d) { head.appendChild(el("th", null, d)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    for (var w = monday(first); w <= last; w = addDays(w, 7)) {
      var tr = body.appendChild(el("tr"));
      for (var i = 0; i < 7; i++) {
        var d = addDays(w, i), inMonth = d.getUTCMonth() === first.getUTCMonth();
        var td = tr.appendChild(el("td", inMonth ? "in" : "out"));
        td.dataset.date = iso(d);
        td.appendChild(el("div", "daynum", String(d.getUTCDate())));
        if (!inMonth) continue;
        (days[iso(d)] || []).forEach(function (it) { td.appendChild(chip(it, false)); shown++; });
      }
    }
    root.appendChild(table);
    return { period: period, shown: shown };
  }

  function renderWeek(root, items) {
    var start = monday(state.anchor), end = addDays(start, 6);
    var period = "Week " + isoWeek(start) + ": " + fmtDay(start) + " – " + fmtDay(end);
    var lo = DATA.hours[0] * 60, hi = DATA.hours[1] * 60, days = byDate(items), shown = 0;
    var grid = el("div", "week");
    grid.style.setProperty("--h", "calc(" + (hi - lo) + " * var(--ppm))");
    grid.appendChild(el("div", "colhead"));
    for (var i = 0; i < 7; i++) grid.appendChild(el("div", "colhead", fmtDay(addDays(start, i))));
    var gutter = grid.appendChild(el("div", "gutter"));
    for (var h = DATA.hours[0]; h < DATA.hours[1]; h++) {
      var mark = gutter.appendChild(el("div", "hour", (h < 10 ? "0" : "") + h + ":00"));
      mark.style.top = "calc(" + (h * 60 - lo) + " * var(--ppm))";
    }
    for (i = 0; i < 7; i++) {
      var col = grid.appendChild(el("div", "day")), list = days[iso(addDays(start, i))] || [];
      var lanes = [];
      list.forEach(function (it) {
        var lane = 0;
        while (lanes[lane] !== undefined && lanes[lane] > minutes(it.start)) lane++;
        lanes[lane] = minutes(it.end);
        it._lane = lane;
      });
      list.forEach(function (it) {
        var node = col.appendChild(chip(it, true)), width = 100 / lanes.length;
        node.style.top = "calc(" + (minutes(it.start) - lo) + " * var(--ppm))";
        var span = minutes(it.end) - minutes(it.start);
        node.style.height = "calc(" + span + " * var(--ppm) - 2px)";
        node.style.left = "calc(" + it._lane * width + "% + 2px)";
        node.style.width = "calc(" + width + "% - 4px)";
        shown++;
      });
    }
    root.appendChild(grid);
    return { period: period, shown: shown };
  }

  function renderList(root, items) {
    var table = el("table", "list"), head = el("tr"), week = null;
    ["Date", "Time", "Session", "Place", "Teachers", "Groups"].forEach(function (h) {
      head.appendChild(el("th", null, h));
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    items.forEach(function (it) {
      var d = parseDate(it.date), m = iso(monday(d));
      if (m !== week) {
        week = m;
        var wr = body.appendChild(el("tr", "weekrow"));
        wr.appendChild(el("th", null, "Week " + isoWeek(d) + " — from " + fmtDay(parseDate(m))))
          .colSpan = 6;
      }
      var tr = body.appendChild(el("tr", "ev-row"));
      tr.appendChild(el("td", null, fmtDay(d)));
      tr.appendChild(el("td", null, it.start + "–" + it.end));
      var cell = tr.appendChild(el("td", "ue"));
      cell.appendChild(chip(it, false)).lastChild.remove();
      tr.appendChild(el("td", null, it.location));
      tr.appendChild(el("td", null, it.teacherNames));
      tr.appendChild(el("td", null, it.groupNames));
    });
    root.appendChild(table);
    return { period: items.length ? fmtDay(parseDate(items[0].date)) + " – " +
      fmtDay(parseDate(items[items.length - 1].date)) : "", shown: items.length };
  }

  function render() {
    var items = DATA.items.filter(matches);
    if (!state.anchor) state.anchor = parseDate(items.length ? items[0].date : DATA.start);
    var root = document.getElementById("view");
    root.textContent = "";
    root.dataset.view = state.view;
    var out = (state.view === "week" ? renderWeek : state.view === "list" ? renderList
      : renderMonth)(root, items);
    if (!out.shown) root.appendChild(el("p", "empty", "Nothing scheduled in this period."));
    document.getElementById("period").textContent = out.period;
    var count = document.getElementById("count");
    count.textContent = items.length + " of " + DATA.items.length + " sessions and events match; " +
      out.shown + " shown";
    count.dataset.matching = items.length;
    count.dataset.shown = out.shown;
    count.dataset.total = DATA.items.length;
    var filters = KINDS.filter(function (k) { return state[k]; }).map(function (k) {
      return k + " " + byId[k][state[k]].label;
    });
    document.getElementById("caption").textContent = out.period +
      (filters.length ? " — " + filters.join(", ") : " — everything");
    document.getElementById("nav").style.visibility = state.view === "list" ? "hidden" : "visible";
    VIEWS.forEach(function (v) {
      document.getElementById("view-" + v).setAttribute("aria-pressed", String(v === state.view));
    });
    KINDS.forEach(function (k) { document.getElementById("filter-" + k).value = state[k]; });
    document.body.dataset.ready = "1";
    writeHash();
  }

  function fillSelect(kind, allText) {
    var select = document.getElementById("filter-" + kind);
    select.appendChild(el("option", null, allText)).value = "";
    var groups = {};
    DATA[kind + "s"].forEach(function (e) {
      var parent = select;
      if (e.optgroup) {
        parent = groups[e.optgroup] || (groups[e.optgroup] = select.appendChild(el("optgroup")));
        parent.label = e.optgroup;
      }
      parent.appendChild(el("option", null, e.label)).value = e.id;
    });
    select.addEventListener("change", function () { state[kind] = select.value; render(); });
  }

  function step(sign) {
    var a = state.anchor;
    state.anchor = state.view === "week" ? addDays(a, 7 * sign)
      : new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + sign, 1));
    render();
  }

  fillSelect("group", "All groups");
  fillSelect("teacher", "All teachers");
  fillSelect("site", "All sites");
  fillSelect("room", "All rooms");
  VIEWS.forEach(function (v) {
    document.getElementById("view-" + v).addEventListener("click", function () {
      state.view = v; render();
    });
  });
  document.getElementById("prev").addEventListener("click", function () { step(-1); });
  document.getElementById("next").addEventListener("click", function () { step(1); });
  document.getElementById("first").addEventListener("click", function () {
    var items = DATA.items.filter(matches);
    state.anchor = items.length ? parseDate(items[0].date) : null;
    render();
  });
  document.getElementById("print").addEventListener("click", function () { window.print(); });
  var legend = document.getElementById("legend");
  Object.keys(DATA.ues).forEach(function (id) {
    var s = legend.appendChild(el("span", null, id + " · " + DATA.ues[id].title));
    s.style.setProperty("--c", DATA.ues[id].colour);
  });
  window.addEventListener("hashchange", function () {
    if (location.hash !== lastHash) { readHash(); render(); }
  });
  readHash();
  render();
})();
"""
