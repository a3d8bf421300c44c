"""The stylesheet and script embedded in `timetable.html` (no network: everything is inline).

The script builds every element with `textContent`, never `innerHTML`, so instance strings are
never parsed as HTML; it reads its data from a `<script type="application/json">` block.
"""

from scheduler.export.html_render import RENDER_JS

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
.controls select, .controls button { font: inherit; padding: 3px 6px; max-width: 100%; }
/* a long profile label widened the select, and a phone's page with it (an exploratory test) */
.controls select { max-width: calc(100vw - 40px); }
.views button[aria-pressed="true"] { background: #333; color: #fff; border-color: #333; }
#nav { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }  /* a 360 px phone */
#nav[data-view="list"] #prev, #nav[data-view="list"] #next, #nav[data-view="list"] #period {
  display: none; }  /* the list scrolls: its Start and Today stay */
#feeds a { margin-right: 8px; }
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
.daynote { font-size: 10px; color: var(--muted); font-style: italic; line-height: 1.2;
  overflow-wrap: break-word; hyphens: auto; }  /* a phone's 50 px day: its words ran together */
/* a closure or public holiday (no teaching then) in violet, apart from the revision marks'
   red; a school holiday, which closes nothing, muted */
.daynote.closed { color: #6a2c91; font-style: normal; font-weight: 600; }
.daynote.school { color: var(--muted); }
table.month td.today { outline: 2px solid #1f5fbf; outline-offset: -2px; }
table.month td.today .daynum { color: #1f5fbf; font-weight: 700; }
.week .colhead.today { color: #1f5fbf; font-weight: 700; }
.ev { display: block; margin: 2px 0; padding: 2px 4px; border-radius: 3px; font-size: 12px;
  background: var(--c, var(--event)); border-left: 4px solid rgba(0,0,0,.35); overflow: hidden;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; break-inside: avoid; }
.ev.event { background: repeating-linear-gradient(135deg, #e6e6e6 0 6px, #d0d0d0 6px 12px);
  border-left-color: #555; }
.ev .t { font-weight: 600; margin-right: 4px; }
.ev .u, .ev .site, .ev .rooms { display: none; }  /* a phone's: no room for title and place */
.ev .w { display: block; color: #333; font-size: 11px; }
.week { display: grid; border: 1px solid var(--line); }  /* columns: renderWeek's */
.week .colhead { text-align: center; font-size: 12px; padding: 4px; overflow: hidden;
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
.ev:focus { outline: 2px solid #005fcc; outline-offset: 1px; }
.ev .mark { float: right; margin-left: 4px; padding: 0 4px; border-radius: 3px; font-size: 10px;
  font-weight: 700; text-transform: uppercase; background: #fff; color: #8a1c00;
  border: 1px solid #8a1c00; }
.ev.added .mark { color: #0b5d1e; border-color: #0b5d1e; }
.ev.moved, .ev.added, .ev.teacher { box-shadow: inset 0 0 0 2px #8a1c00; }
.ev.added { box-shadow: inset 0 0 0 2px #0b5d1e; }
.ev.cancelled, .ev.left { background: #f2f2f2; color: #555; border-left-color: #999; }
.ev.cancelled .s, .ev.cancelled .t, .ev.left .s, .ev.left .t { text-decoration: line-through; }
.ev .was { font-style: italic; }
.revision { color: #8a1c00; font-weight: 600; }
#detail:not(:empty) { position: fixed; left: 12px; bottom: 12px; z-index: 10; max-width: 40em;
  max-height: 45vh; overflow: auto; padding: 8px 30px 8px 10px; border: 1px solid #888;
  background: #fff; box-shadow: 0 2px 10px rgba(0,0,0,.25); }
#detail .close { position: absolute; top: 4px; right: 4px; font: inherit; padding: 0 6px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
@media (max-width: 700px) {
  header, .controls, main, .legend { padding-left: 8px; padding-right: 8px; }
  #count { margin-left: 0; }
  /* the period on a line of its own, the buttons below it: a week's long period split
     ◀ from ▶ over three lines (a 360 px phone) */
  #period { order: -1; flex-basis: 100%; text-align: left; }
  table.month td { height: 64px; padding: 1px; }
  /* a phone's month chip: its time and UE id whole ("UE6A" read "UE6": a visual audit), and
     its mark within it ("CANCELLED" spilled out) */
  table.month .ev { font-size: 10px; padding: 1px 2px; overflow-wrap: break-word; hyphens: auto; }
  table.month .ev .s, table.month .ev .w { display: none; }
  table.month .ev .u { display: inline; }
  /* and its site: Mons and Namur are an hour apart (a phone audit saw neither) */
  table.month .ev .site { display: block; font-style: italic; font-size: 9px; letter-spacing: -0.2px; }
  /* its mark whole, on two lines if need be ("→ 15 …" lost its month: an audit) */
  table.month .ev .mark { float: none; display: block; width: fit-content; max-width: 100%;
    margin: 0 0 1px; padding: 0 1px; font-size: 7.5px; letter-spacing: -0.2px;
    overflow-wrap: anywhere; }
  /* an event's title in two lines at most, in place of its id */
  .ev .u.name { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical;
    overflow: hidden; overflow-wrap: anywhere; }
  /* a phone's week chip: its UE (an event's title), site and rooms each on a line, its
     title and place line left out (the UE, site and title each read twice there, and a
     narrow chip's UE ran past its edge: a review), which its detail gives */
  /* "Bâtiment" cut at a narrow lane's edge; the times and marks break only where they may
     ("18:0 / 0–" over four lines: an audit) */
  .week .ev .u, .week .ev .site, .week .ev .rooms { overflow-wrap: anywhere; }
  .week .ev .u { display: block; font-weight: 600; }
  .week .ev .u.name { display: -webkit-box; }
  .week .ev .site { display: block; font-style: italic; font-size: 11px; }
  .week .ev .rooms { display: block; font-size: 11px; }
  .week .ev .s, .week .ev .place { display: none; }
  .week .colhead { padding: 4px 1px; }
  .week .colhead .my { display: none; }  /* the period above says the month */
  /* out of sight, not out of a screen reader's table (an audit) */
  table.list thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  table.list tr.ev-row { display: block; border-bottom: 1px solid #ddd; padding: 4px 0; }
  table.list tr.ev-row td { display: block; border: 0; padding: 1px 4px; }
}
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  body { font-size: 11px; }
  .controls, .noprint { display: none !important; }
  #caption { display: block; margin: 0 0 3px; font-weight: 600; }
  /* the title, legend and caption small enough for a week to follow them on the page: a
     visual audit's printed weeks had them alone on page 1, the grid on page 2 */
  header { padding: 0 0 2px; }
  h1 { font-size: 14px; }
  .sub { font-size: 10px; }
  main { padding: 2px 0 0; }
  .legend { padding: 2px 0; font-size: 9px; gap: 2px 10px; }
  table.month td { height: auto; min-height: 60px; }
  tr, .ev { break-inside: avoid; }
  /* a week on one A4 page (13 hours: 515 px), each chip tall enough to say what, where,
     who and for whom at 8 px (it cut them: an exploratory test's printed week) */
  :root { --ppm: 0.66px; }
  .week .colhead { font-size: 10px; padding: 2px; }
  .week .ev { font-size: 8px; line-height: 1.15; padding: 1px 2px; }
  .week .ev .w { font-size: 7.5px; }
  .week { break-inside: avoid; }
  /* a month breaks between its weeks (its days' names repeated: the browser's thead), no
     longer kept whole: a busy month went to the next page, then split anyway */
  table.list tr.weekrow { break-after: avoid; }  /* a week's heading with its first rows */
  table.month td { min-height: 0; padding: 1px 2px; }
  table.month .ev { font-size: 9px; margin: 1px 0; padding: 1px 3px; }
  table.month .ev .w { font-size: 8px; }  /* where: Mons or Namur? the paper must say */
  #detail { display: none; }
}
"""

# the script: its state and helpers, what draws the page (`html_render`), then its controls
JS = (
    r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("timetable-data").textContent);
  var KINDS = ["group", "teacher", "site", "room"];
  var VIEWS = ["month", "week", "list"];
  // the page's own words in the instance's language (`wording.py`), around its data
  var W = DATA.words, DAYS = W.days, MONTHS = W.months, MARKS = W.marks;
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, k) { return values[k]; });
  }
  var DAY = 86400000;
  var state = { view: "", anchor: null, group: "", teacher: "", site: "", room: "" };
  var byId = Object.create(null);
  KINDS.forEach(function (k) {
    byId[k] = Object.create(null);
    DATA[k + "s"].forEach(function (e) { byId[k][e.id] = e; });
  });
  var lastHash = null;
  var autoView = false;  // the view chosen for the screen's width, not by the user: not in links
  var autoDate = false;  // the date the page opened on (today), not the user's: not in links

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  // the instance's texts (titles, names, places) in their own language, for screen readers
  function data(tag, cls, text) {
    var node = el(tag, cls, text);
    if (DATA.lang) node.lang = DATA.lang;
    return node;
  }
  function parseDate(s) {
    var p = s.split("-");
    return new Date(Date.UTC(+p[0], +p[1] - 1, +p[2]));
  }
  function iso(d) { return d.toISOString().slice(0, 10); }
  function validDate(s) { return /^\d{4}-\d{2}-\d{2}$/.test(s) && iso(parseDate(s)) === s; }
  function addDays(d, n) { return new Date(d.getTime() + n * DAY); }
  function monday(d) { return addDays(d, -((d.getUTCDay() + 6) % 7)); }
  function dayOfMonth(d) { return d.getUTCDate() === 1 ? W.dayOne : d.getUTCDate() + W.dayMark; }
  function fmtDay(d) {
    return DAYS[(d.getUTCDay() + 6) % 7] + " " + dayOfMonth(d) + " " +
      W.monthsShort[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  // a mark's words: a fixed event's day has its own (French agrees them); a phone's narrow
  // days the short ones (a review saw "DÉPLA…" cut)
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 700px)") : null;  // as the CSS
  function markWords(it) {
    return narrow && narrow.matches ? W.marksShort : fullMarks(it);
  }
  function fullMarks(it) { return it.kind === "event" ? W.eventMarks : MARKS; }
  function minutes(hhmm) { var p = hhmm.split(":"); return +p[0] * 60 + +p[1]; }
  function isoWeek(d) {
    var t = addDays(d, 3 - ((d.getUTCDay() + 6) % 7));
    var first = new Date(Date.UTC(t.getUTCFullYear(), 0, 4));
    return 1 + Math.round(((t - first) / DAY - 3 + ((first.getUTCDay() + 6) % 7)) / 7);
  }
  function todayHere() {
    // the date now where the programme is taught (the timetable's own time zone)
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-US", { timeZone: DATA.timezone, year: "numeric",
        month: "2-digit", day: "2-digit" }).formatToParts(new Date()).forEach(function (p) {
        parts[p.type] = p.value;
      });
      var s = parts.year + "-" + parts.month + "-" + parts.day;
      return validDate(s) ? s : iso(new Date());
    } catch (e) { return iso(new Date()); }
  }
  function withinYear(s) { return s >= DATA.start && s <= DATA.end; }

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

  // the items the filters show: those that match, and in a revision those that left them (a
  // teacher replaced, a room or site changed: the feed of the teacher, room or site cancels
  // them there; the page showed nothing), at their old place, marked; and a session moved to
  // another day or hour at its old place too, struck through (its old day was empty, with
  // no hint of where it went: a visual audit)
  function visible() {
    var out = [];
    DATA.items.forEach(function (it) {
      if (matches(it)) {
        out.push(it);
        var was = it.before;
        if (it.change === "moved" && was && (was.date !== it.date || was.start !== it.start) &&
            matches(was)) out.push(leftItem(it));
      } else if (it.before && matches(it.before)) out.push(leftItem(it));
    });
    return out.sort(function (x, y) {
      return x.date < y.date ? -1 : x.date > y.date ? 1 : minutes(x.start) - minutes(y.start);
    });
  }
  function leftItem(it) {
    var copy = {};
    Object.keys(it.before).forEach(function (k) { copy[k] = it.before[k]; });
    copy.change = "left";
    // the same place, or a teacher's filter the session left for another teacher (moved
    // too: it read 'moved away', as if still theirs elsewhere: an audit)
    var reassigned = it.change === "teacher" ||
      (it.newTeacher && state.teacher && it.teachers.indexOf(state.teacher) < 0);
    // moved to another day or hour: where to, on the mark (it read 'moved elsewhere' beside
    // the same room: an audit)
    var shifted = it.before.date !== it.date || it.before.start !== it.start;
    copy.mark = reassigned ? "reassigned" : shifted ? "shifted" : "left";
    var to = parseDate(it.date);
    copy.markTail = shifted && !reassigned ? " " + dayOfMonth(to) + " " +
      W.monthsShort[to.getUTCMonth()] + (it.before.date === it.date ? " " + it.start : "") : "";
    copy.key = it.key + "~before";
    copy.now = fmtDay(parseDate(it.date)) + " " + it.start + "–" + it.end + ", " + it.location +
      W.nowTeachers + it.teacherNames;
    return copy;
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    KINDS.forEach(function (k) {
      var v = params.get(k) || "";
      if (k === "group") v = v.replace(/ /g, "+");  // a typed "+" of a profile reads as a space
      state[k] = Object.prototype.hasOwnProperty.call(byId[k], v) ? v : "";
    });
    var view = params.get("view");
    state.view = VIEWS.indexOf(view) >= 0 ? view : "";
    autoView = false;
    var date = params.get("date") || "";
    if (/^\d{4}-\d{2}$/.test(date)) date += "-01";
    state.anchor = validDate(date) ? parseDate(date) : null;
    autoDate = false;
  }
  function writeHash() {
    var params = new URLSearchParams();
    KINDS.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    if (!autoView) params.set("view", state.view);
    if (state.anchor && !autoDate) params.set("date", iso(state.anchor));
    lastHash = params.toString() ? "#" + params.toString() : "";
    // no "#" alone: Chromium scrolled a phone's list back to its top at the load event (an
    // audit: a link with no filter opened the list at September)
    var address = lastHash || location.pathname + location.search;
    try { history.replaceState(null, "", address); } catch (e) { /* file: URL policies */ }
  }
"""
    + RENDER_JS
    + r"""
  function scrollList() {
    // the list at today's (or the chosen) date, from the heading of its week: when the page
    // opens, and when a filter, the view or Today changes it (a filter chosen on a phone
    // went back to September, 32 sessions before today: an audit)
    if (state.view !== "list" || !state.anchor) return;
    var from = iso(state.anchor), rows = document.querySelectorAll("tr.ev-row");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].dataset.date >= from) {
        var heading = rows[i].previousElementSibling;
        if (!i) window.scrollTo(0, 0);
        else (heading && heading.className === "weekrow" ? heading : rows[i]).scrollIntoView();
        return;
      }
    }
    // nothing from that date on: the list's end, not where the longer list was scrolled
    if (rows.length) rows[rows.length - 1].scrollIntoView();
  }

  function showFeed() {
    // the calendar feed of what the filter shows: one filter's (a student's profile too),
    // everything's with none; none for several at once, which no feed matches
    var box = document.getElementById("feeds"), set = KINDS.filter(function (k) { return state[k]; });
    box.hidden = !DATA.feeds || set.length > 1;
    if (box.hidden) return;
    var entity = set.length ? byId[set[0]][state[set[0]]] : null;
    var name = entity ? entity.feed : DATA.allFeed;
    // "+" in a student's file name read as a space by some web servers: encoded
    var href = DATA.feeds + "/" + encodeURIComponent(name);
    var file = document.getElementById("feed"), link = document.getElementById("subscribe");
    file.href = href;
    file.title = entity ? fill(W.feedOf, { label: entity.label }) : DATA.title;
    // subscribing needs the feed's address: a page served over http(s) has one, a file not;
    // nor a revision's folder, whose feeds no later publication updates
    var web = /^https?:$/.test(location.protocol) && DATA.subscribe;
    link.hidden = !web;
    if (web) link.href = new URL(href, location.href).href.replace(/^https?:/, "webcal:");
    link.title = file.title;
  }

  function followFilter() {
    // a filter that leaves the period shown empty moves to its next item (else its last)
    if (state.view === "list" || !state.anchor) return;
    var items = live(visible()), b = bounds();
    if (!items.length || items.some(function (it) { return it.date >= b[0] && it.date <= b[1]; })) {
      return;
    }
    var next = items.filter(function (it) { return it.date > b[1]; })[0];
    state.anchor = parseDate((next || items[items.length - 1]).date);
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
      parent.appendChild(data("option", null, e.label)).value = e.id;
    });
    select.addEventListener("change", function () {
      state[kind] = select.value; followFilter(); render(); scrollList();
    });
  }

  function step(sign) {
    var a = state.anchor;
    autoDate = false;
    state.anchor = state.view === "week" ? addDays(a, 7 * sign)
      : new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + sign, 1));
    render();
  }

  fillSelect("group", W.allGroups);
  fillSelect("teacher", W.allTeachers);
  fillSelect("site", W.allSites);
  fillSelect("room", W.allRooms);
  VIEWS.forEach(function (v) {
    document.getElementById("view-" + v).addEventListener("click", function () {
      state.view = v; autoView = false; render(); scrollList();
    });
  });
  document.getElementById("prev").addEventListener("click", function () { step(-1); });
  document.getElementById("next").addEventListener("click", function () { step(1); });
  document.getElementById("first").addEventListener("click", function () {
    var items = visible();
    state.anchor = items.length ? parseDate(items[0].date) : null;
    autoDate = false;
    render();
    scrollList();
  });
  document.getElementById("today").addEventListener("click", function () {
    state.anchor = parseDate(todayHere());
    autoDate = true;  // today, whenever the link is opened again
    render();
    scrollList();
  });
  document.getElementById("print").addEventListener("click", function () { window.print(); });
  document.addEventListener("keydown", function (e) {  // Escape closes the detail box
    if (e.key === "Escape") document.getElementById("detail").textContent = "";
  });
  if (narrow) {  // a phone turned: the marks' words for the new width
    var redraw = function () { render(); };
    if (narrow.addEventListener) narrow.addEventListener("change", redraw);
    else if (narrow.addListener) narrow.addListener(redraw);
  }
  window.addEventListener("hashchange", function () {
    if (location.hash !== lastHash) { readHash(); render(); }
  });
  readHash();
  render();
  scrollList();
})();
"""
)
