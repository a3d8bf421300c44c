"""`timetable.html` on a phone, for a screen reader and as a bookmark (an audit of the page at
360-390 px with mobile emulation and its accessibility tree): narrow pages do not scroll
sideways, chips say their UE and site first, a filter keeps the list at today, a chip's name
says its mark, a bookmark opens on today, and the page links to the filter's calendar feed."""

from __future__ import annotations

import html
import http.server
import json
import re
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler.export.common import uid_key
from scheduler.export.html import timetable_html
from scheduler.export.page_revision import PageRevision
from scheduler.io.solution_io import timetable_rows
from tests.conftest import problem_of
from tests.test_export_html import (
    _dataset,
    _probe,
    _three_in_parallel,
    chromium,
    needs_chromium,
    profile_problem,
)
from tests.test_export_support import tiny_problem, tiny_rows, tiny_solution

# what a probe measured, sent to the page holding the frame (a file: frame is another origin)
SEND = "parent.postMessage(JSON.stringify(document.body.dataset), '*');"
HOLDER = """<!DOCTYPE html><html><body>
<iframe src="{src}" style="width:{width}px;height:{height}px;border:0"></iframe>
<script>addEventListener("message", function (e) {{
  var d = JSON.parse(e.data);
  for (var k in d) document.body.dataset[k] = d[k];
}});</script></body></html>"""


def _framed(
    tmp: Path, page_text: str, state: str, probe: str, width: int, height: int = 740
) -> dict[str, str]:
    """What `probe` measured in the page opened at `#state` in a frame `width` px wide:
    headless Chromium's window is 500 px at the narrowest, a phone's screen 320-390 px."""
    inner = tmp / "inner.html"
    inner.write_text(_probe(page_text, probe + SEND), encoding="utf-8")
    holder = tmp / "holder.html"
    src = f"inner.html#{state}"
    holder.write_text(HOLDER.format(src=src, width=width, height=height), encoding="utf-8")
    return _dataset(chromium(tmp, holder.as_uri(), "--dump-dom", "--allow-file-access-from-files"))


@needs_chromium
def test_a_320_px_phone_does_not_scroll_sideways_and_chips_say_where(tmp_path: Path) -> None:
    """At 360 px and narrower the navigation did not wrap and the page scrolled sideways;
    a phone's week chip cut its room and site; a phone's month showed a fixed event by its
    id (an audit)."""
    page = timetable_html(tiny_problem(), tiny_rows(1))
    probe = (
        "var b = document.body.dataset, nav = document.getElementById('nav');"
        "b.scroll = document.documentElement.scrollWidth; b.width = window.innerWidth;"
        "b.navright = Math.ceil(nav.getBoundingClientRect().right);"
        "var event = document.querySelector('.ev.event .u');"
        "b.event = event ? event.textContent : '';"
    )
    body = _framed(tmp_path, page, "view=month&date=2026-09", probe, 320)
    assert body["width"] == "320", body
    assert int(body["scroll"]) <= 320 and int(body["navright"]) <= 320, body
    assert body["event"] == "Journée d'accueil", body  # not ACCUEIL
    # a screen reader hears the period and the count change (an audit: only the title was
    # a heading, and nothing was announced)
    assert '<span aria-live="polite" id="period">' in page
    assert '<span id="count" aria-live="polite">' in page
    week = (
        "var b = document.body.dataset, n = 0, cut = 0, twice = 0;"
        "document.querySelectorAll('.week .ev').forEach(function (chip) {"
        " var place = chip.querySelector('.site'), u = chip.querySelector('.u'); n++;"
        " var box = chip.getBoundingClientRect(), r = place.getBoundingClientRect();"
        " if (getComputedStyle(place).display === 'none' || r.bottom > box.bottom + 0.5 ||"
        "  getComputedStyle(u).display === 'none') cut++;"
        # what it shows says its UE (an event's title) once (a review saw each twice)
        " var shown = Array.prototype.filter.call(chip.children, function (c) {"
        "  return getComputedStyle(c).display !== 'none'; }).map(function (c) {"
        "  return c.textContent; }).join(' | ');"
        " if (shown.split(u.textContent).length !== 2) twice++;"
        # and within the chip's width (a narrow lane's UE ran past its edge: a review)
        " if (u.getBoundingClientRect().right > box.right + 0.5) cut++; });"
        "b.chips = n; b.cut = cut; b.twice = twice;"
        "b.scroll = document.documentElement.scrollWidth;"
    )
    body = _framed(tmp_path, page, "view=week&date=2026-09-16", week, 360)
    assert int(body["chips"]) >= 3 and body["cut"] == "0" and body["twice"] == "0", body
    assert int(body["scroll"]) <= 360, body


@needs_chromium
def test_a_filter_chosen_on_a_phone_keeps_the_list_at_its_date(tmp_path: Path) -> None:
    """The phone's list opened at today, but a filter chosen above it drew the list again
    from its first session, 32 before today, and the list hid Today (an audit)."""
    rows = tiny_rows(1)
    later = sorted(r["date"] for r in rows)[len(rows) // 2]
    page = timetable_html(tiny_problem(), rows)
    probe = (
        "var b = document.body.dataset, select = document.getElementById('filter-group');"
        "select.value = 'COHORT'; select.dispatchEvent(new Event('change'));"
        f"var first = Array.prototype.filter.call(document.querySelectorAll('tr.ev-row'),"
        f" function (r) {{ return r.dataset.date >= '{later}'; }})[0];"
        "var heading = first.previousElementSibling;"
        "var y = (heading.className === 'weekrow' ? heading : first).getBoundingClientRect().top;"
        "b.y = Math.round(y); b.scrolled = Math.round(window.scrollY);"
        "b.today = document.getElementById('today').offsetParent !== null;"
        "b.prev = document.getElementById('prev').offsetParent !== null;"
    )
    body = _framed(tmp_path, page, f"view=list&date={later}", probe, 360, 300)
    assert int(body["scrolled"]) > 0 and abs(int(body["y"])) <= 2, body
    assert body["today"] == "true" and body["prev"] == "false", body


@needs_chromium
def test_a_bookmark_opens_on_the_day_it_is_opened(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """The page wrote the day it opened on into its address, so that a bookmark or a home
    screen link opened on that day months later (an audit): the date is in the address
    only once the user goes to another period, and Today takes it out again."""
    probe = (
        "var b = document.body.dataset; b.opened = location.hash;"
        "document.getElementById('next').click(); b.next = location.hash;"
        "document.getElementById('today').click(); b.today = location.hash;"
    )
    now = datetime.now(ZoneInfo(tiny_problem().instance.timezone)).date()
    tiny_data["calendar"]["start"] = min(now - timedelta(days=200), date(2026, 9, 1)).isoformat()
    tiny_data["calendar"]["end"] = (now + timedelta(days=200)).isoformat()  # Today enabled
    page = tmp_path / "p.html"
    page.write_text(_probe(timetable_html(problem_of(tiny_data), tiny_rows(1)), probe), "utf-8")

    def opened(state: str) -> dict[str, str]:
        dom = chromium(tmp_path, f"{page.as_uri()}#{state}", "--dump-dom")
        return {k: html.unescape(v) for k, v in _dataset(dom).items()}

    body = opened("view=month&group=OPT-A")
    assert body["opened"] == "#group=OPT-A&view=month", body
    assert re.fullmatch(r"#group=OPT-A&view=month&date=\d{4}-\d{2}-\d{2}", body["next"]), body
    assert body["today"] == "#group=OPT-A&view=month", body
    dated = opened("view=week&date=2026-09-16")
    assert dated["opened"] == "#view=week&date=2026-09-16", dated  # a day chosen stays


@needs_chromium
def test_a_chip_s_name_says_its_mark_first(tmp_path: Path) -> None:
    """A struck-through chip marked 'moved to 15 Dec' was named by its title alone, from
    which a screen reader heard it as taking place on its old day (an audit)."""
    rows = tiny_rows(1)
    before = {uid_key(r): dict(r) for r in rows}
    moved = next(r for r in rows if r["kind"] == "session")
    before[uid_key(moved)]["date"] = "2026-09-01"
    page = tmp_path / "rev.html"
    revision = PageRevision("rev-1", date(2026, 9, 1), before)
    page.write_text(timetable_html(tiny_problem(), rows, revision), encoding="utf-8")
    dom = chromium(tmp_path, page.as_uri() + "#view=month&date=2026-09", "--dump-dom")
    key = uid_key(moved)
    old = re.search(rf'<div class="ev left" data-key="{key}~before"[^>]*>', dom)
    new = re.search(rf'<div class="ev moved" data-key="{key}"[^>]*>', dom)
    assert old is not None and new is not None, dom
    to = date.fromisoformat(moved["date"])
    assert f'role="button" aria-label="déplacée au {to.day} sept., ' in old[0], old[0]
    assert 'aria-label="déplacée, ' in new[0], new[0]


def _feed_links(dom: str) -> dict[str, str]:
    found = re.search(r'<span id="feeds"( hidden="")?>(.*?)</span>', dom, re.S)
    assert found is not None, "no feed links"
    links = dict(re.findall(r'<a id="(\w+)" href="([^"]*)"', found[2]))
    return links | {"hidden": str(bool(found[1]))}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """`tmp_path` served over http on localhost, its address."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@needs_chromium
def test_the_page_links_to_the_feed_of_what_its_filter_shows(
    tmp_path: Path, tiny_data: dict[str, Any], served: str
) -> None:
    """Students had to guess their feed's file name (an audit): the page links to the feed
    of its one filter (a student's profile too, its `+` encoded), everything's without one,
    none for two; over http it offers a webcal:// subscription too."""
    problem = profile_problem(tiny_data)
    rows = timetable_rows(problem, tiny_solution(1))
    page = tmp_path / "timetable.html"
    page.write_text(timetable_html(problem, rows, feeds="calendars"), encoding="utf-8")
    url = page.as_uri()
    links = _feed_links(chromium(tmp_path, url + "#view=list", "--dump-dom"))
    assert links["feed"] == "calendars/all.ics" and links["hidden"] == "False", links
    dom = chromium(tmp_path, url + "#view=list&group=OPT-A%2BAPP1", "--dump-dom")
    assert _feed_links(dom)["feed"] == "calendars/student-OPT-A%2BAPP1.ics", dom
    assert '<a id="subscribe" href="" hidden=""' in dom  # a file: no address to subscribe to
    dom = chromium(tmp_path, url + "#view=list&group=OPT-A&teacher=T1", "--dump-dom")
    assert _feed_links(dom)["hidden"] == "True"
    dom = chromium(tmp_path, served + "/timetable.html#view=list&teacher=T1", "--dump-dom")
    links = _feed_links(dom)
    host = served.removeprefix("http://")
    assert links["subscribe"] == f"webcal://{host}/calendars/teacher-T1.ics", links
    assert (
        '<a id="subscribe" href="webcal:' in dom
        and "hidden" not in dom.split('id="subscribe"')[1][:60]
    )
    # a revision folder's page: its feeds are a snapshot no later publication updates, so
    # the file alone, never a subscription (an audit)
    page.write_text(timetable_html(problem, rows, feeds="calendars", subscribable=False), "utf-8")
    dom = chromium(tmp_path, served + "/timetable.html#view=list&teacher=T1", "--dump-dom")
    assert _feed_links(dom)["feed"] == "calendars/teacher-T1.ics"
    assert '<a id="subscribe" href="" hidden=""' in dom
    # a page without feeds beside it offers none
    page.write_text(timetable_html(problem, rows), encoding="utf-8")
    assert _feed_links(chromium(tmp_path, url + "#view=list", "--dump-dom"))["hidden"] == "True"
    data = json.loads(re.search(r'id="timetable-data">(.*?)</script>', page.read_text())[1])
    assert data["feeds"] is None


@needs_chromium
def test_a_phone_s_parallel_week_chips_keep_their_times_whole(tmp_path: Path) -> None:
    """With every word of a phone's week chip allowed to break anywhere, "18:00–21:15" read
    "18:0 / 0– / 21:1 / 5" in three parallel lanes (an audit): a time breaks only after its
    dash, on two lines at most."""
    problem, rows, sessions = _three_in_parallel()
    probe = (
        "var b = document.body.dataset, most = 0;"
        "document.querySelectorAll('.week .ev .t').forEach(function (t) {"
        " most = Math.max(most, t.getClientRects().length); });"
        "b.lines = most; b.chips = document.querySelectorAll('.week .ev').length;"
    )
    page = timetable_html(problem, rows)
    body = _framed(tmp_path, page, f"view=week&date={sessions[0]['date']}", probe, 360)
    assert int(body["chips"]) >= 3 and 1 <= int(body["lines"]) <= 2, body


@needs_chromium
def test_a_link_without_a_filter_opens_a_phone_s_list_where_it_scrolled(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """The page wrote a bare "#" into the address when it had nothing to keep, and Chromium
    scrolled a phone's list back to September at the load event (an audit): the address then
    keeps no "#", and the list stays at today."""
    now = datetime.now(ZoneInfo(tiny_problem().instance.timezone)).date()
    tiny_data["calendar"]["start"] = min(now - timedelta(days=200), date(2026, 9, 1)).isoformat()
    tiny_data["calendar"]["end"] = (now + timedelta(days=200)).isoformat()
    page = timetable_html(problem_of(tiny_data), tiny_rows(1))
    probe = (
        "var b = document.body.dataset;"
        "addEventListener('load', function () { setTimeout(function () {"
        " b.y = Math.round(window.scrollY); b.href = location.href.slice(-12);"
        + SEND
        + "}, 300); });"
    )
    inner = tmp_path / "inner.html"
    inner.write_text(_probe(page, probe), encoding="utf-8")
    holder = tmp_path / "holder.html"
    holder.write_text(HOLDER.format(src="inner.html", width=360, height=300), encoding="utf-8")
    dom = chromium(tmp_path, holder.as_uri(), "--dump-dom", "--allow-file-access-from-files")
    body = _dataset(dom)
    assert body["href"] == "/inner.html" or body["href"].endswith("inner.html"), body
    assert int(body["y"]) > 0, body  # at the list's end: every tiny session is past


@needs_chromium
def test_an_evening_week_on_a_phone_shows_its_sessions_on_the_first_screen(
    tmp_path: Path,
) -> None:
    """A week of evening sessions was framed by the year's hours (09:00-22:00 with its
    Saturdays) and a phone showed nine empty hours first, its sessions two screens down (an
    audit): a week is framed by its own sessions' hours, the year's when it has none, and
    its sessions start on the first screen, below the page's controls."""
    rows = [r for r in tiny_rows(1) if r["date"] != "2026-09-19"]  # week 38: evenings only
    page = timetable_html(tiny_problem(), rows)
    probe = (
        "var b = document.body.dataset, low = 0;"
        "document.querySelectorAll('.week .ev').forEach(function (chip) {"
        " low = Math.max(low, chip.getBoundingClientRect().top); });"
        "var hours = document.querySelectorAll('.week .hour');"
        "b.first = hours[0].textContent; b.last = hours[hours.length - 1].textContent;"
        "b.low = Math.ceil(low); b.screen = window.innerHeight;"
        "b.chips = document.querySelectorAll('.week .ev').length;"
    )
    body = _framed(tmp_path, page, "view=week&date=2026-09-15", probe, 360, 640)
    assert body["chips"] == "3" and (body["first"], body["last"]) == ("18:00", "21:00"), body
    assert int(body["low"]) <= int(body["screen"]), body
    # a week holding a Saturday keeps its morning; an empty week the year's hours
    page = timetable_html(tiny_problem(), tiny_rows(1))
    body = _framed(tmp_path, page, "view=week&date=2026-09-22", probe, 360, 640)
    assert (body["first"], body["last"]) == ("09:00", "21:00"), body
    probe = probe.replace("b.chips", "b.none = 1; b.chips")
    body = _framed(tmp_path, page, "view=week&date=2026-10-20", probe, 360, 640)
    assert body["chips"] == "0" and (body["first"], body["last"]) == ("09:00", "21:00"), body
