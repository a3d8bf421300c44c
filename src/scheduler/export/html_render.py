"""The part of `timetable.html`'s script that draws the page (`html_assets.JS` holds it
between the script's state and helpers and its controls).

It holds `where` and `chip` (an item's chip, in each view's form) with `showDetail` and
`placeDetail` (the box a clicked or focused chip opens), the month, week and list views
(`renderMonth`, `renderWeek` with `lanesOf` for parallel sessions, `renderList`), the legend,
and `render`, which draws the view the state says and writes it in the address bar. Like the
rest of the script, it builds every element with `textContent`, never `innerHTML`.
"""

RENDER_JS = r"""
  function where(it) {
    return [it.roomNames, it.siteName].filter(function (s) { return s; }).join(" · ");
  }
  function showDetail(it) {
    var box = document.getElementById("detail");
    box.textContent = "";
    var close = box.appendChild(el("button", "close", "×"));
    close.type = "button";
    close.setAttribute("aria-label", W.close);
    close.addEventListener("click", function () { box.textContent = ""; });
    var event = it.kind === "event";
    var head = box.appendChild(el("strong", null, it.mark === "dropped" ? W.droppedHead
      : it.change === "cancelled" ? (event ? W.eventCancelledHead : W.cancelledHead)
      : it.change === "left" ? W.leftHead : ""));  // a filter's, or a day's (moved)
    head.appendChild(data("span", null, it.summary));
    box.appendChild(el("div", null, fmtDay(parseDate(it.date)) + " " + it.start + "–" + it.end));
    [["", it.location], [W.teachers, it.teacherNames], [W.groups, it.groupNames],
      [W.was, it.was], [W.now, it.now]].forEach(function (pair) {
      if (pair[1]) box.appendChild(el("div", null, pair[0])).appendChild(data("span", null, pair[1]));
    });
    if (it.change === "added") box.appendChild(el("div", null, event ? W.eventNewHere : W.newHere));
  }
  function chipName(it, said) {
    // a screen reader's name for a chip: what its marks say first (a chip struck through as
    // moved away was read as if it took place: an audit), in full words, then `said`
    var status = [];
    if (it.change) status.push(fullMarks(it)[it.mark || it.change] + (it.markTail || ""));
    if (it.newTeacher) status.push(fullMarks(it).teacher);
    return status.concat(said).join(", ");
  }
  function chip(it, mode) {
    var node = el("div", "ev" + (it.kind === "event" ? " event" : "") +
      (it.change ? " " + it.change : ""));
    node.dataset.key = it.key;
    node.tabIndex = 0;
    var ue = DATA.ues[it.ue];
    if (it.kind === "session" && ue) node.style.setProperty("--c", ue.colour);
    var said = [it.summary, fmtDay(parseDate(it.date)) + " " + it.start + "–" + it.end,
      it.location, W.teachers + it.teacherNames, W.groups + it.groupNames]
      .concat(it.was ? [W.was + it.was] : []);
    node.title = said.join("\n");
    var marks = markWords(it);
    node.setAttribute("role", "button");
    node.setAttribute("aria-label", chipName(it, said));
    if (it.change) {
      node.appendChild(el("span", "mark", marks[it.mark || it.change] + (it.markTail || "")));
    }
    if (it.newTeacher) node.appendChild(el("span", "mark", marks.teacher));
    if (mode !== "list") node.appendChild(el("span", "t", it.start + "–" + it.end));
    // a phone's month and week chips: the UE (an event's title, not its id: an audit read
    // "SEM-INT"), then the site and (week) the rooms, the title left out: a short chip cuts
    // what comes last (an audit saw neither room nor site in a phone's week)
    if (mode !== "list") {
      node.appendChild(data("span", it.kind === "session" ? "u" : "u name",
        it.kind === "session" ? it.ue : it.summary));
      node.appendChild(data("span", "site", it.siteName));
    }
    if (mode === "week") node.appendChild(data("span", "rooms", it.roomNames));
    node.appendChild(data("span", "s", it.summary));
    if (mode !== "list") node.appendChild(data("span", "w place", where(it)));
    // before teachers and groups: a week chip is as tall as the session and cuts what is last
    // a cancelled chip stands where it was: its "was" would only repeat it
    if (it.was && mode !== "month" && it.change !== "cancelled") {
      node.appendChild(el("span", "w was", W.wasShort)).appendChild(data("span", null, it.was));
    }
    if (mode === "week") {
      node.appendChild(data("span", "w", it.teacherNames));
      node.appendChild(data("span", "w", it.groupNames));
    }
    node.addEventListener("click", function () { showDetail(it); placeDetail(node); });
    node.addEventListener("focus", function () { showDetail(it); placeDetail(node); });
    node.addEventListener("keydown", function (e) {  // a button's keys
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); showDetail(it); placeDetail(node); }
    });
    return node;
  }
  // the detail box at the bottom, or at the top when the chip is in the lower half: it hid
  // the chip that keyboard focus was on (an exploratory test)
  function placeDetail(node) {
    var box = document.getElementById("detail"), low = node.getBoundingClientRect().top >
      window.innerHeight / 2;
    box.style.top = low ? "12px" : "";
    box.style.bottom = low ? "auto" : "";
  }

  function byDate(items) {
    var out = {};
    items.forEach(function (it) { (out[it.date] = out[it.date] || []).push(it); });
    return out;
  }

  function bounds() {
    var a = state.anchor;
    if (state.view === "week") return [iso(monday(a)), iso(addDays(monday(a), 6))];
    return [iso(new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), 1))),
      iso(new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + 1, 0)))];
  }

  function renderMonth(root, items) {
    var a = state.anchor;
    var first = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), 1));
    var last = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + 1, 0));
    var period = MONTHS[first.getUTCMonth()] + " " + first.getUTCFullYear();
    var days = byDate(items), shown = [], today = todayHere();
    var table = el("table", "month"), head = el("tr");
    table.appendChild(el("caption", "sr", period));
    DAYS.forEach(function (d) { head.appendChild(el("th", null, d)).scope = "col"; });
    table.appendChild(el("thead")).appendChild(head);
    var body = table.appendChild(el("tbody"));
    for (var w = monday(first); w <= last; w = addDays(w, 7)) {
      var tr = body.appendChild(el("tr"));
      for (var i = 0; i < 7; i++) {
        var d = addDays(w, i), inMonth = d.getUTCMonth() === first.getUTCMonth();
        var td = tr.appendChild(el("td", (inMonth ? "in" : "out") + (iso(d) === today ? " today" : "")));
        td.dataset.date = iso(d);
        td.appendChild(el("div", "daynum", String(d.getUTCDate())));
        if (!inMonth) continue;
        // a closure, a holiday: why a day has no session (a blank cell said nothing)
        if (DATA.days[iso(d)]) td.appendChild(dayNote(d));
        (days[iso(d)] || []).forEach(function (it) { td.appendChild(chip(it, "month")); shown.push(it); });
      }
    }
    root.appendChild(table);
    return { period: period, shown: shown };
  }

  function dayNote(d) {
    // a closure or a public holiday in its own colour; a school holiday closes nothing
    var closed = DATA.closedDays.indexOf(iso(d)) >= 0;
    var note = data("div", "daynote" + (closed ? " closed" : " school"), DATA.days[iso(d)]);
    // what it means in words, not by its colour and style alone (an audit)
    note.appendChild(el("span", "sr", " (" + (closed ? W.dayClosed : W.daySchool) + ")")).lang = W.lang;
    note.title = closed ? W.dayClosed : W.daySchool;
    return note;
  }

  function lanesOf(list) {
    // lanes within each cluster of overlapping items: an item overlapping nothing is full width
    var sorted = list.slice().sort(function (x, y) { return minutes(x.start) - minutes(y.start); });
    var cluster = [], ends = [], clusterEnd = -1;
    function close() { cluster.forEach(function (it) { it._lanes = ends.length; }); }
    sorted.forEach(function (it) {
      if (minutes(it.start) >= clusterEnd) { close(); cluster = []; ends = []; }
      var lane = 0;
      while (ends[lane] !== undefined && ends[lane] > minutes(it.start)) lane++;
      ends[lane] = minutes(it.end);
      it._lane = lane;
      cluster.push(it);
      clusterEnd = Math.max(clusterEnd, minutes(it.end));
    });
    close();
  }

  function weekHours(items) {
    // the whole hours of the week's own sessions, the year's when it has none: an evening
    // week framed 09:00-22:00 had its sessions below a phone's first screen (an audit)
    if (!items.length) return DATA.hours;
    var first = Math.min.apply(null, items.map(function (it) { return minutes(it.start); }));
    var last = Math.max.apply(null, items.map(function (it) { return minutes(it.end); }));
    var from = Math.floor(first / 60);
    return [from, Math.max(Math.ceil(last / 60), from + 1)];
  }

  function renderWeek(root, items) {
    var start = monday(state.anchor), end = addDays(start, 6);
    var period = fill(W.weekOf, { n: isoWeek(start), first: fmtDay(start), last: fmtDay(end) });
    var days = byDate(items), shown = [], today = todayHere();
    // the days the calendar teaches, and any other day of this week that holds something
    var cols = [0, 1, 2, 3, 4, 5, 6].filter(function (i) {
      return !DATA.weekdays || DATA.weekdays.indexOf(i) >= 0 || days[iso(addDays(start, i))];
    });
    var frame = weekHours(cols.reduce(function (all, i) {
      return all.concat(days[iso(addDays(start, i))] || []);
    }, []));
    var lo = frame[0] * 60, hi = frame[1] * 60;
    var grid = el("div", "week");
    grid.style.setProperty("--h", "calc(" + (hi - lo) + " * var(--ppm))");
    grid.appendChild(el("div", "colhead"));
    cols.forEach(function (i) {
      // "Mon 30" and "Nov 2026" apart: a phone shows the first alone in a narrow day
      var d = addDays(start, i), head = grid.appendChild(el("div",
        "colhead" + (iso(d) === today ? " today" : ""), DAYS[i] + " " + dayOfMonth(d) + " "));
      head.appendChild(el("span", "my", W.monthsShort[d.getUTCMonth()] + " " +
        d.getUTCFullYear()));
      if (DATA.days[iso(d)]) head.appendChild(dayNote(d));
    });
    var gutter = grid.appendChild(el("div", "gutter"));
    for (var h = frame[0]; h < frame[1]; h++) {
      var mark = gutter.appendChild(el("div", "hour", (h < 10 ? "0" : "") + h + ":00"));
      mark.style.top = "calc(" + (h * 60 - lo) + " * var(--ppm))";
    }
    // a day is as wide as its most parallel sessions need, a day without any narrower: three
    // parallel sessions on one evening were slivers that cut their times (1280 px screen)
    var lists = [], widths = [];
    cols.forEach(function (i) {
      var list = days[iso(addDays(start, i))] || [];
      lanesOf(list);
      lists.push(list);
      widths.push(list.reduce(function (w, it) { return Math.max(w, it._lanes); }, 0.5));
    });
    grid.style.gridTemplateColumns = "52px " + widths.map(function (w) {
      return "minmax(0, " + w + "fr)";
    }).join(" ");
    lists.forEach(function (list) {
      var col = grid.appendChild(el("div", "day"));
      list.forEach(function (it) {
        var node = col.appendChild(chip(it, "week")), width = 100 / it._lanes;
        node.style.top = "calc(" + (minutes(it.start) - lo) + " * var(--ppm))";
        var span = minutes(it.end) - minutes(it.start);
        node.style.height = "calc(" + span + " * var(--ppm) - 2px)";
        node.style.left = "calc(" + it._lane * width + "% + 2px)";
        node.style.width = "calc(" + width + "% - 4px)";
        shown.push(it);
      });
    });
    root.appendChild(grid);
    return { period: period, shown: shown };
  }

  function renderList(root, items) {
    var table = el("table", "list"), head = el("tr"), week = null;
    W.columns.forEach(function (h) {
      head.appendChild(el("th", null, h)).scope = "col";
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = null;
    items.forEach(function (it) {
      var d = parseDate(it.date), m = iso(monday(d));
      if (m !== week) {  // a week, a row group with its heading (read as a column's: an audit)
        week = m;
        body = table.appendChild(el("tbody"));
        var wr = body.appendChild(el("tr", "weekrow"));
        var th = wr.appendChild(el("th", null, fill(W.weekFrom, { n: isoWeek(d),
          first: fmtDay(parseDate(m)) })));
        th.colSpan = 6;
        th.scope = "rowgroup";
      }
      var tr = body.appendChild(el("tr", "ev-row"));
      tr.dataset.date = it.date;
      tr.appendChild(el("td", null, fmtDay(d)));
      tr.appendChild(el("td", null, it.start + "–" + it.end));
      tr.appendChild(el("td", "ue")).appendChild(chip(it, "list"));
      tr.appendChild(data("td", null, it.location));
      tr.appendChild(data("td", null, it.teacherNames));
      tr.appendChild(data("td", null, it.groupNames));
    });
    root.appendChild(table);
    return { period: items.length ? fmtDay(parseDate(items[0].date)) + " – " +
      fmtDay(parseDate(items[items.length - 1].date)) : "", shown: items };
  }

  function renderLegend(items) {
    // the UEs of the items, in the instance's order (the list's legend was in date order)
    var legend = document.getElementById("legend"), seen = Object.create(null);
    legend.textContent = "";
    items.forEach(function (it) { if (it.kind === "session") seen[it.ue] = true; });
    DATA.ueOrder.forEach(function (id) {
      if (!seen[id]) return;
      legend.appendChild(data("span", null, id + " · " + DATA.ues[id].title)).style.setProperty(
        "--c", DATA.ues[id].colour);
    });
  }

  function live(items) {
    return items.filter(function (it) { return it.change !== "cancelled" && it.change !== "left"; });
  }

  function render() {
    var items = visible();
    if (!state.view) {
      state.view = (narrow ? narrow.matches : window.innerWidth <= 700) ? "list" : "month";
      autoView = true;
    }
    document.getElementById("detail").textContent = "";  // it may show what is no longer listed
    if (!state.anchor) {
      autoDate = true;  // not written in the address: a bookmark opens on its own day (an audit)
      var now = todayHere(), rev = DATA.revision && DATA.revision.today;
      state.anchor = parseDate(withinYear(now) ? now : rev && withinYear(rev) ? rev
        : items.length ? items[0].date : DATA.start);
      // a link with a filter and no date opened on an empty month (an exploratory test): as
      // when the filter is chosen, go to its next item
      if (KINDS.some(function (k) { return state[k]; })) followFilter();
    }
    var root = document.getElementById("view");
    root.textContent = "";
    root.dataset.view = state.view;
    var out = (state.view === "week" ? renderWeek : state.view === "list" ? renderList
      : renderMonth)(root, items);
    var shown = live(out.shown).length, matching = live(items).length;
    if (!out.shown.length) root.appendChild(el("p", "empty", W.nothing));
    document.getElementById("period").textContent = out.period;
    var count = document.getElementById("count"), total = live(DATA.items).length;
    count.textContent = fill(W.count, { matching: matching, total: total, shown: shown });
    count.dataset.matching = matching;
    count.dataset.shown = shown;
    count.dataset.total = total;
    renderLegend(live(out.shown));  // the UEs of what takes place there
    var filters = KINDS.filter(function (k) { return state[k]; }).map(function (k) {
      return W.filterNames[k] + " " + byId[k][state[k]].label;
    });
    document.getElementById("caption").textContent = out.period +
      (filters.length ? " — " + filters.join(", ") : " — " + W.everything);
    document.getElementById("nav").dataset.view = state.view;  // the list: no arrows (CSS)
    showFeed();
    document.getElementById("today").disabled = !withinYear(todayHere());
    VIEWS.forEach(function (v) {
      document.getElementById("view-" + v).setAttribute("aria-pressed", String(v === state.view));
    });
    KINDS.forEach(function (k) { document.getElementById("filter-" + k).value = state[k]; });
    document.body.dataset.ready = "1";
    writeHash();
  }
"""
