"""`timetable.html`: self-contained and escaped; in headless Chromium it shows every session,
filters from the URL hash, and renders a screenshot."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler.data.problem import Problem
from scheduler.export.common import uid_key
from scheduler.export.html import page_data, script_json, timetable_html
from scheduler.export.page_revision import PageRevision
from scheduler.export.wording import FR, day_words
from scheduler.io.solution_io import timetable_rows
from tests.conftest import problem_of
from tests.test_export_support import CHROMIUM, tiny_problem, tiny_rows, tiny_solution

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)"
)
EVIL = '</script><script>alert("x")</script> & <b>bold</b> <!--'


def chromium(tmp_path: Path, url: str, *extra: str) -> str:
    """Run headless Chromium on `url` with the page's scripts given 3 s; return stdout."""
    profile = tmp_path / "chromium-profile"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=3000",
        *extra, url,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def shown(dom: str) -> tuple[int, dict[str, str]]:
    """The number of session chips in a dumped DOM and the counter's data attributes."""
    chips = len(re.findall(r'<div class="ev(?: event)?( moved| added)?"', dom))
    counter = re.search(r'<span id="count" ([^>]*)>', dom)
    assert counter is not None, "the page's script did not run"
    return chips, dict(re.findall(r'data-(\w+)="([^"]*)"', counter[1]))


def evil_problem(tiny_data: dict[str, Any]) -> Problem:
    tiny_data["title"] = EVIL
    tiny_data["ues"][0]["title"] = EVIL
    tiny_data["teachers"][0]["name"] = EVIL
    tiny_data["sites"][1]["address"] = EVIL
    return problem_of(tiny_data)


def test_page_is_self_contained() -> None:
    page = timetable_html(tiny_problem(), tiny_rows(1))
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=|@import|url\(", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "@media print" in page


def test_every_instance_string_is_escaped(tiny_data: dict[str, Any]) -> None:
    problem = evil_problem(tiny_data)
    page = timetable_html(problem, timetable_rows(problem, tiny_solution(1)))
    assert page.count("</script>") == 2  # the data block's and the code's own
    assert "<b>bold</b>" not in page and "<!--" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert" in page  # the <title> and <h1>
    data = re.search(r'id="timetable-data">(.*?)</script>', page, re.S)
    assert data is not None
    assert json.loads(data[1])["ues"]["UE1"]["title"] == EVIL


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"a": "</script><!-- ]]> & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- ]]> & \u2028"}


@needs_chromium
def test_page_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "timetable.html"
    page.write_text(timetable_html(tiny_problem(), tiny_rows(1)), encoding="utf-8")
    url = page.as_uri()

    # tiny.yaml's timetable lies within September 2026: the month view shows all 8 items
    month = chromium(tmp_path, url + "#view=month&date=2026-09", "--dump-dom")
    chips, counter = shown(month)
    assert chips == 8 and counter == {"matching": "8", "shown": "8", "total": "8"}
    # the afternoon tiny.yaml closes, said in its day (a blank cell said nothing: an audit)
    day = re.search(r'<td class="in[^"]*" data-date="2026-09-19">(.*?)</td>', month, re.S)
    assert day is not None and "Journée d'accueil (13:45–17:00)" in day[1], month
    # in the colour of what closes, not the muted one of a school holiday (a review)
    assert '<div class="daynote closed" lang="fr" title="fermé aux cours">Journée d' in day[1]
    # and in words, for a screen reader (its colour and style alone said it: an audit)
    assert '<span class="sr" lang="fr"> (fermé aux cours)</span>' in day[1], day[1]
    data = tiny_problem().instance.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["calendar"]["school_holidays"] = {"dates": ["2026-09-17"]}
    school = tmp_path / "school.html"
    school.write_text(timetable_html(problem_of(data), tiny_rows(1)), encoding="utf-8")
    week = chromium(tmp_path, school.as_uri() + "#view=week&date=2026-09-16", "--dump-dom")
    assert '<div class="daynote school" lang="fr" title="congé scolaire, cours possibles">' in week
    assert "(congé scolaire, cours possibles)</span>" in week
    assert '<div class="daynote closed" lang="fr"' in week

    # filters read from the hash: OPT-A attends its own UE2 and the COHORT's sessions
    dom = chromium(tmp_path, url + "#group=OPT-A&view=month&date=2026-09", "--dump-dom")
    assert shown(dom) == (6, {"matching": "6", "shown": "6", "total": "8"})
    assert 'data-key="UE3-main-01"' not in dom  # OPT-B's
    legend = re.search(r'<div class="legend" id="legend">(.*?)</div>', dom, re.S)
    assert legend is not None and "UE2 · Option A" in legend[1]
    assert "UE3 · Option B" not in legend[1]  # the legend names the UEs shown
    assert shown(chromium(tmp_path, url + "#teacher=T2&view=list", "--dump-dom"))[0] == 2
    in_room = sum("N-A" in r["room"].split(";") for r in tiny_rows(1))
    assert shown(chromium(tmp_path, url + "#room=N-A&view=list", "--dump-dom"))[0] == in_room
    site = tiny_rows(1)[1]["site"]
    expected = sum(r["site"] == site for r in tiny_rows(1))
    assert shown(chromium(tmp_path, url + f"#site={site}&view=list", "--dump-dom"))[0] == expected

    # week view of 14-20 September: UE1-main-01, UE2-main-01, UE3-main-01, ACCUEIL
    week = sum("2026-09-14" <= r["date"] <= "2026-09-20" for r in tiny_rows(1))
    assert shown(chromium(tmp_path, url + "#view=week&date=2026-09-16", "--dump-dom"))[0] == week

    shot = tmp_path / "page.png"
    chromium(
        tmp_path,
        url + "#view=month&date=2026-09",
        f"--screenshot={shot}",
        "--window-size=1400,1000",
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


@needs_chromium
def test_escaped_strings_render_as_text(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    problem = evil_problem(tiny_data)
    page = tmp_path / "evil.html"
    page.write_text(timetable_html(problem, timetable_rows(problem, tiny_solution(1))), "utf-8")
    dom = chromium(tmp_path, page.as_uri() + "#view=list", "--dump-dom")
    assert shown(dom)[0] == 8  # the script ran to the end
    assert "<b>bold</b>" not in dom
    assert "&lt;b&gt;bold&lt;/b&gt;" in dom  # shown as text in the legend, chips and list


def profile_problem(tiny_data: dict[str, Any]) -> Problem:
    """tiny with a second partition of the cohort (practice groups APP1/APP2)."""
    tiny_data["groups"] += [
        {"id": "APP1", "name": "Pratiques 1", "size": 10, "part_of": "COHORT", "partition": "app"},
        {"id": "APP2", "name": "Pratiques 2", "size": 10, "part_of": "COHORT", "partition": "app"},
    ]
    return problem_of(tiny_data)


def test_group_filter_offers_each_student_profile(tiny_data: dict[str, Any]) -> None:
    groups = {g["id"]: g for g in page_data(profile_problem(tiny_data), tiny_rows(1))["groups"]}
    assert groups["OPT-A+APP1"]["label"] == "Option A + Pratiques 1"
    assert sorted(groups["OPT-A+APP1"]["chain"]) == ["APP1", "COHORT", "OPT-A"]
    assert {"OPT-B+APP2", "OPT-A+APP2", "OPT-B+APP1"} <= set(groups)
    # without a second partition a group is a profile of its own: nothing to add
    assert not any("+" in g["id"] for g in page_data(tiny_problem(), tiny_rows(1))["groups"])


def test_revision_page_marks_what_changed() -> None:
    rows = tiny_rows(1)
    before = {uid_key(r): dict(r) for r in rows}  # sessions and fixed-event days
    first, second, third = sorted(k for k in before if before[k]["kind"] == "session")[:3]
    before[first]["date"] = "2026-09-01"  # first was elsewhere: moved
    del before[second]  # second is new
    before[third]["teachers"] = "T3"  # third was given by another teacher, in the same place
    gone = dict(rows[0]) | {"session_id": "UE9-main-01", "kind": "session"}
    before["UE9-main-01"] = gone  # no longer in the timetable: cancelled
    event = before.pop("ACCUEIL-20260919")  # the event's day was the 12th: moved
    before["ACCUEIL-20260912"] = event | {"date": "2026-09-12"}
    revision = PageRevision("rev-1", date(2026, 9, 10), before)
    data = page_data(tiny_problem(), rows, revision)
    change = {i["key"]: i["change"] for i in data["items"]}
    assert change[first] == "moved" and change[second] == "added"
    assert change["UE9-main-01"] == "cancelled"
    # the event's day moved, as changes.csv says it (it read 'cancelled' and 'new')
    assert change["ACCUEIL-20260919"] == "moved" and "ACCUEIL-20260912" not in change
    event = next(i for i in data["items"] if i["key"] == "ACCUEIL-20260919")
    # what differs, no more: the day (its hours and place are the same; a review)
    assert (
        event["was"] == "sam. 12 sept. 2026 09:00–12:15" and event["before"]["date"] == "2026-09-12"
    )
    assert change[third] == "teacher"
    assert next(i for i in data["items"] if i["key"] == third)["was"] == "prévue avec Julie Martin"
    assert sum(bool(c) for c in change.values()) == 5
    was = next(i for i in data["items"] if i["key"] == first)["was"]
    # what differs, no more: the day and hours (the site and rooms are the same)
    moved_row = next(r for r in rows if uid_key(r) == first)
    assert was == f"mar. 1er sept. 2026 {moved_row['start']}–{moved_row['end']}", was
    # a changed session carries the row it was, for the filters it left
    assert next(i for i in data["items"] if i["key"] == third)["before"]["teachers"] == ["T3"]
    page = timetable_html(tiny_problem(), rows, revision)
    assert (
        "rev-1 : horaire recalculé pour les changements connus le 10 septembre 2026" in page
        and "1 séance déplacée, 1 séance ajoutée, 1 séance annulée, 1 séance confiée à un "
        "autre enseignant ; 1 jour d&#x27;événement modifié (voir les marques ci-dessous)"
        in page
    )
    assert "— horaire (rev-1)</title>" in page
    unknown = timetable_html(tiny_problem(), rows, PageRevision("rev-2", date(2026, 9, 10), None))
    assert "les changements ne sont pas marqués (l&#x27;horaire précédent est illisible)" in unknown


@needs_chromium
def test_page_details_in_headless_chromium(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """Profiles, revision marks, week lanes, odd ids and dates from the URL, today's month."""
    problem = profile_problem(tiny_data)
    rows = timetable_rows(problem, tiny_solution(1))
    app = next(r for r in rows if r["ue"] == "UE3")
    app["groups"] = "APP1"
    page = tmp_path / "p.html"
    page.write_text(timetable_html(problem, rows), encoding="utf-8")
    url = page.as_uri()
    opt_a = shown(chromium(tmp_path, url + "#group=OPT-A&view=list", "--dump-dom"))[0]
    dom = chromium(tmp_path, url + "#group=OPT-A%2BAPP1&view=list", "--dump-dom")
    assert shown(dom)[0] == opt_a + 1 and f'data-key="{app["session_id"]}"' in dom
    typed = chromium(tmp_path, url + "#group=OPT-A+APP1&view=list", "--dump-dom")  # "+" typed
    assert shown(typed)[0] == opt_a + 1

    # a revision's page: the moved session marked, the cancelled one struck, not counted
    before = {r["session_id"]: dict(r) for r in rows}
    first = next(r for r in rows if r["kind"] == "session")["session_id"]
    before[first]["date"] = "2026-09-01"
    before["UE9-main-01"] = dict(rows[0]) | {"session_id": "UE9-main-01", "kind": "session"}
    revised = timetable_html(problem, rows, PageRevision("rev-1", date(2026, 9, 16), before))
    page.write_text(revised, encoding="utf-8")
    dom = chromium(tmp_path, url + "#view=list", "--dump-dom")
    assert re.search(rf'<div class="ev moved" data-key="{first}"', dom)
    assert re.search(r'<div class="ev cancelled" data-key="UE9-main-01"', dom)
    # the instance's texts carry its language (tiny: fr), and so do the page's own words
    assert '<span class="s" lang="fr">UE1 · Fondements' in dom and '<h1 lang="fr">' in dom
    assert '<html lang="fr">' in dom and '<option lang="fr"' in dom
    assert shown(dom) == (
        len(rows),
        {"matching": str(len(rows)), "shown": str(len(rows)), "total": str(len(rows))},
    )

    # a session overlapping nothing that day is drawn full width, parallel ones side by side
    day = [dict(rows[0]) | {"session_id": f"X{i}", "date": "2026-09-15"} for i in range(3)]
    day[0] |= {"start": "09:00", "end": "12:00"}
    day[1] |= {"start": "10:00", "end": "11:00"}
    day[2] |= {"start": "13:00", "end": "16:00"}
    page.write_text(timetable_html(problem, day), encoding="utf-8")
    dom = chromium(tmp_path, url + "#view=week&date=2026-09-15", "--dump-dom")
    widths = dict(re.findall(r'data-key="(X\d)"[^>]*?width: calc\(([\d.]+)%', dom))
    assert widths == {"X0": "50", "X1": "50", "X2": "100"}, widths

    # a teacher id the script's lookups must not confuse with an object's own fields
    tiny_data["teachers"][1]["id"] = "__proto__"
    for ue in tiny_data["ues"]:
        ue["teachers"] = ["__proto__" if t == "T2" else t for t in ue["teachers"]]
    odd = problem_of(tiny_data)
    odd_rows = timetable_rows(odd, tiny_solution(1))
    page.write_text(timetable_html(odd, odd_rows), encoding="utf-8")
    taught = sum("__proto__" in r["teachers"].split(";") for r in odd_rows)
    dom = chromium(tmp_path, url + "#teacher=__proto__&view=list", "--dump-dom")
    assert 0 < taught < len(odd_rows) and shown(dom)[0] == taught

    # an impossible date in the URL is ignored rather than rolled over into another month
    dom = chromium(tmp_path, url + "#view=month&date=2026-13-45", "--dump-dom")
    assert 'id="period">septembre 2026<' in dom  # tiny's month, not February 2027

    # without a date the page opens on today's month when the year's calendar holds today
    now = datetime.now(ZoneInfo(odd.instance.timezone)).date()
    tiny_data["calendar"]["start"] = (now - timedelta(days=200)).isoformat()
    tiny_data["calendar"]["end"] = (now + timedelta(days=200)).isoformat()
    around = problem_of(tiny_data)
    page.write_text(timetable_html(around, odd_rows), encoding="utf-8")
    dom = chromium(tmp_path, url + "#view=month", "--dump-dom")
    assert f'id="period">{FR["months"][now.month - 1]} {now.year}<' in dom


def _dataset(dom: str) -> dict[str, str]:
    """What a `_probe` script wrote into `document.body.dataset`, from a dumped DOM."""
    body = re.search(r"<body ([^>]*)>", dom)
    assert body is not None, "no body in the dumped DOM"
    return dict(re.findall(r'data-(\w+)="([^"]*)"', body[1]))


def _probe(page: str, script: str) -> str:
    """The page with `script` run after its own (the CSP allows inline scripts): it writes
    what it measures into `document.body.dataset`, which --dump-dom shows."""
    return page.replace("</body>", f"<script>{script}</script>\n</body>")


@needs_chromium
def test_revision_filters_keep_what_left_them(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """An exploratory test: in a revision's page filtered on a teacher who lost a session
    (replaced) or a room a session left, the session vanished, while their calendar feed
    cancels it. It is now shown at its old place, marked 'moved away', and not counted."""
    problem = problem_of(tiny_data)
    rows = timetable_rows(problem, tiny_solution(1))
    before = {uid_key(r): dict(r) for r in rows}
    taken = next(r for r in rows if r["kind"] == "session" and r["teachers"] == "T1")
    before[uid_key(taken)]["teachers"] = "T2"  # T2 taught it; now T1 does
    moved = next(r for r in rows if r["kind"] == "session" and r is not taken)
    before[uid_key(moved)] |= {"date": "2026-09-01", "teachers": "T3"}  # and T3 taught it then
    page = tmp_path / "rev.html"
    revision = PageRevision("rev-1", date(2026, 9, 10), before)
    page.write_text(timetable_html(problem, rows, revision), encoding="utf-8")
    t2 = sum("T2" in r["teachers"].split(";") for r in rows)
    dom = chromium(tmp_path, page.as_uri() + "#teacher=T2&view=list", "--dump-dom")
    assert re.search(rf'<div class="ev left" data-key="{taken["session_id"]}~before"', dom)
    assert ">confiée à un collègue<" in dom  # in its place still: not 'moved away'
    dom = chromium(tmp_path, page.as_uri() + "#teacher=T3&view=list", "--dump-dom")
    assert re.search(rf'<div class="ev left" data-key="{moved["session_id"]}~before"', dom)
    # moved and given to another: for T3 it is given away (it read 'moved away', as if
    # still T3's elsewhere: an audit)
    assert ">confiée à un collègue<" in dom and ">déplacée ailleurs<" not in dom
    counter = dict(re.findall(r'data-(\w+)="([^"]*)"', re.search(r'id="count" ([^>]*)>', dom)[1]))
    assert counter["matching"] == counter["shown"] == str(t2)  # not counted as T2's
    # moved and given by another teacher: both marks (it read 'moved' alone)
    dom = chromium(tmp_path, page.as_uri() + "#view=list", "--dump-dom")
    chip = re.search(rf'<div class="ev moved" data-key="{moved["session_id"]}".*?</div>', dom, re.S)
    assert chip is not None and ">autre enseignant<" in chip[0]
    # unfiltered, its old day shows it too, struck through (the day was empty: a visual
    # audit), not counted; a session given to another teacher in its place has no second chip
    assert re.search(rf'<div class="ev left" data-key="{moved["session_id"]}~before"', dom)
    assert f'data-key="{taken["session_id"]}~before"' not in dom
    # its old place says where it went (an audit read 'moved elsewhere' beside the same room)
    to = date.fromisoformat(moved["date"])
    months = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct."]
    day = "1er" if to.day == 1 else str(to.day)
    left = re.search(rf'data-key="{moved["session_id"]}~before".*?</div>', dom, re.S)
    assert left is not None and f">déplacée au {day} {months[to.month - 1]}<" in left[0], left
    counter = dict(re.findall(r'data-(\w+)="([^"]*)"', re.search(r'id="count" ([^>]*)>', dom)[1]))
    assert counter["matching"] == counter["total"] == str(len(rows))


@needs_chromium
def test_a_filter_link_without_a_date_opens_where_the_filter_has_items(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """`#teacher=V4` opened today's (empty) month, where choosing V4 jumps to its sessions."""
    rows = tiny_rows(1)  # September 2026, in a calendar around today: the page opens today
    now = datetime.now(ZoneInfo(tiny_problem().instance.timezone)).date()
    tiny_data["calendar"]["start"] = min(now - timedelta(days=200), date(2026, 9, 1)).isoformat()
    tiny_data["calendar"]["end"] = (now + timedelta(days=200)).isoformat()
    page = tmp_path / "p.html"
    page.write_text(timetable_html(problem_of(tiny_data), rows), encoding="utf-8")
    dom = chromium(tmp_path, page.as_uri() + "#teacher=T2&view=month", "--dump-dom")
    taught = sum("T2" in r["teachers"].split(";") for r in rows)
    assert shown(dom)[0] == taught > 0  # tiny's September 2026, not today's month


@needs_chromium
def test_phone_width_and_keyboard(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """At 390 px a long student-profile label widened the group select past the screen (the
    page scrolled sideways); Escape did not close the detail box (exploratory tests)."""
    long = "Option management et secteur social + Groupe d'analyse de pratiques numéro 3 " * 2
    tiny_data["groups"][1]["name"] = long
    problem = profile_problem(tiny_data)
    html_text = timetable_html(problem, timetable_rows(problem, tiny_solution(1)))
    probe = (
        "var b = document.body.dataset; b.scroll = document.documentElement.scrollWidth;"
        "b.width = window.innerWidth;"  # headless Chromium's narrowest window is 500 px
        "var chip = document.querySelector('.ev'); chip.focus();"
        "b.opened = document.getElementById('detail').textContent.length > 0;"
        "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}));"
        "b.closed = document.getElementById('detail').textContent === '';"
        "var u = document.querySelector('table.month .ev .u');"  # the UE, not colour alone
        "b.ue = u && getComputedStyle(u).display !== 'none' ? u.textContent : '';"
        "var s = document.querySelector('table.month .ev .site');"  # and where: Mons or Namur
        "b.site = s && getComputedStyle(s).display !== 'none' ? s.textContent : '';"
    )
    page = tmp_path / "phone.html"
    page.write_text(_probe(html_text, probe), encoding="utf-8")
    dom = chromium(
        tmp_path, page.as_uri() + "#view=month&date=2026-09", "--dump-dom", "--window-size=390,844"
    )
    body = _dataset(dom)
    assert int(body["scroll"]) <= int(body["width"]), body
    assert body["opened"] == "true" and body["closed"] == "true", body
    assert body["ue"].startswith("UE"), body  # a phone's month chips said times only
    assert body["site"] in ("UMONS", "UNamur"), body  # nor where (an audit)


def _printed(tmp: Path, problem: Problem, rows: list[dict[str, str]], state: str) -> str:
    """The rows' page at `state` (its hash) printed to PDF by Chromium, as pdftotext reads
    it (pages separated by form feeds)."""
    page, pdf = tmp / "p.html", tmp / "printed.pdf"
    page.write_text(timetable_html(problem, rows), encoding="utf-8")
    chromium(tmp, f"{page.as_uri()}#{state}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) not installed")
def test_a_printed_week_says_where_who_and_for_whom(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """A printed week cut its chips after the title: no room code, site, teachers or groups
    (an exploratory test). The week now prints on one page with all of them, after a
    title of two lines (a visual audit's weeks put the title alone on page 1)."""
    tiny_data["title"] = (
        "Master de spécialisation en accompagnement des professionnels de l'éducation, du "
        "management, de la santé et de l'action sociale — 2026-2027"
    )
    for ue in tiny_data["ues"]:  # a legend of two lines
        ue["title"] = f"Analyse de l'activité, des pratiques et réflexivité ({ue['id']})"
    problem, rows = problem_of(tiny_data), tiny_rows(1)
    for r in rows:  # the sample's day: 09:00 to 21:15
        if r["date"] == "2026-09-15":
            r.update(start="18:00", end="21:15")
    text = _printed(tmp_path, problem, rows, "view=week&date=2026-09-16")
    assert text.count("\f") <= 1  # one page
    flat = " ".join(text.split())
    week = [r for r in rows if "2026-09-14" <= r["date"] <= "2026-09-20" and r["kind"] == "session"]
    assert week
    for r in week:
        room = r["room"].split(";")[0]
        who = next(t.name for t in problem.instance.teachers if t.id == r["teachers"].split(";")[0])
        assert f"({room})" in flat and who in flat, (r["session_id"], flat)


def _three_in_parallel() -> tuple[Problem, list[dict[str, str]], list[dict[str, str]]]:
    """Tiny's problem and rows, with its first three sessions moved to the first's time."""
    problem, rows = tiny_problem(), tiny_rows(1)
    sessions = [r for r in rows if r["kind"] == "session"][:3]
    for r in sessions[1:]:
        r.update(date=sessions[0]["date"], start=sessions[0]["start"], end=sessions[0]["end"])
    return problem, rows, sessions


def _week_probed(
    tmp: Path, problem: Problem, rows: list[dict[str, str]], day: str, probe: str, size: str
) -> dict[str, str]:
    """What `probe` measured in the week of `day` of the rows' page, in a window of `size`."""
    page = tmp / "p.html"
    page.write_text(_probe(timetable_html(problem, rows), probe), encoding="utf-8")
    url = page.as_uri() + f"#view=week&date={day}"
    return _dataset(chromium(tmp, url, "--dump-dom", f"--window-size={size}"))


@needs_chromium
def test_parallel_sessions_in_the_week_view_are_wide_enough_to_read(tmp_path: Path) -> None:
    """Three parallel sessions on one evening were slivers of ~50 px at 1280 px, their times
    cut (an exploratory test); a day is now as wide as its parallel sessions need."""
    problem, rows, sessions = _three_in_parallel()
    probe = (
        "var b = document.body.dataset;"
        "b.widths = Array.prototype.map.call(document.querySelectorAll('.week .ev'),"
        " function (e) { return Math.round(e.getBoundingClientRect().width); }).join(' ');"
    )
    body = _week_probed(tmp_path, problem, rows, sessions[0]["date"], probe, "1280,900")
    widths = [int(w) for w in body["widths"].split()]
    assert len(widths) >= 3 and min(widths) >= 120, widths


@needs_chromium
def test_the_week_view_shows_the_days_taught_and_the_days_with_something(
    tmp_path: Path,
) -> None:
    """A Monday-Friday programme's weeks had empty Saturday and Sunday columns, a third of
    the width (an audit). Tiny teaches Tue, Thu and Sat: those columns, and another day only
    when it holds something (a session moved to a Wednesday)."""
    problem, rows = tiny_problem(), tiny_rows(1)
    first = next(r for r in rows if r["kind"] == "session")
    probe = (
        "document.body.dataset.heads = Array.prototype.map.call("
        "document.querySelectorAll('.week .colhead'), function (e) {"
        " return e.firstChild ? e.firstChild.textContent.split(' ')[0] : ''; }).join('|');"
    )
    body = _week_probed(tmp_path, problem, rows, first["date"], probe, "1280,900")
    assert problem.instance.calendar.slots and body["heads"].split("|")[1:] == [
        "mar.",
        "jeu.",
        "sam.",
    ], body
    # the first session on the Wednesday after its Tuesday: the Wednesday is shown too
    wednesday = (date.fromisoformat(first["date"]) + timedelta(days=1)).isoformat()
    assert date.fromisoformat(first["date"]).weekday() == 1
    first.update(date=wednesday)
    body = _week_probed(tmp_path, problem, rows, wednesday, probe, "1280,900")
    assert body["heads"].split("|")[1:] == ["mar.", "mer.", "jeu.", "sam."], body


def test_a_moved_chip_says_only_what_changed() -> None:
    """A session moved to another site the same day and hours read "was 2026-12-05
    13:45–17:00, UMONS..., Salle..." and the repeated day and hours hid its teachers and
    groups at 1280 px (an exploratory test): its mark now says the site and room it left."""
    problem, rows = tiny_problem(), tiny_rows(1)
    before = {uid_key(r): dict(r) for r in rows}
    rooms_at = {s.id: len(s.rooms) for s in problem.instance.sites}
    key = next(
        k
        for k in sorted(before)
        if before[k]["kind"] == "session" and rooms_at[before[k]["site"]] > 1
    )
    row = dict(before[key])  # as the revision has it
    other = next(s for s in problem.instance.sites if s.id != row["site"])
    before[key] |= {"site": other.id, "room": other.rooms[0].id}
    data = page_data(problem, rows, PageRevision("rev-1", date(2026, 9, 10), before))
    item = next(i for i in data["items"] if i["key"] == key)
    assert item["change"] == "moved"
    assert item["was"] == f"{other.name or other.id} ({other.rooms[0].id})"
    # the same site and day, another room: the room it left, by name
    same_site = next(r for r in problem.instance.sites if r.id == row["site"])
    left = next(r for r in same_site.rooms if r.id != row["room"])
    before[key] = dict(row) | {"room": left.id}
    data = page_data(problem, rows, PageRevision("rev-1", date(2026, 9, 10), before))
    assert next(i for i in data["items"] if i["key"] == key)["was"] == f"{left.name} ({left.id})"


@needs_chromium
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) not installed")
def test_a_printed_busy_month_starts_under_its_title(tmp_path: Path) -> None:
    """A month too tall for a page was kept whole, so it went to page 2 (and split there
    anyway), leaving page 1 with the title alone (a visual audit): it now breaks between
    weeks, each page with the days' names."""
    problem, rows = tiny_problem(), tiny_rows(1)
    busy = [r for r in rows if r["kind"] == "session"][:4]
    for n in range(12):  # a Saturday of every week in September, crowded
        for r in busy:
            day = date(2026, 9, 5) + timedelta(days=7 * (n % 4))
            rows.append(r | {"session_id": f"{r['session_id']}-x{n}", "date": day.isoformat()})
    text = _printed(tmp_path, problem, rows, "view=month&date=2026-09")
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2  # too tall for one page, as meant
    assert all("lun" in p and "dim" in p for p in pages if p.strip()), pages
    assert "18:00–21:15" in pages[0]  # the grid begins on the first page


@needs_chromium
def test_a_phone_week_with_parallel_sessions_keeps_its_day_names_in_their_columns(
    tmp_path: Path,
) -> None:
    """With a day as wide as its parallel sessions, the empty days of a phone's week were
    ~27 px and their names ran into the next columns and past the grid (a visual audit)."""
    problem, rows, sessions = _three_in_parallel()
    probe = (
        "var b = document.body.dataset, heads = document.querySelectorAll('.week .colhead');"
        "b.over = Array.prototype.filter.call(heads, function (h) {"
        " return h.scrollWidth > h.clientWidth + 1; }).length;"
        "b.heads = heads.length; b.scroll = document.documentElement.scrollWidth;"
        "b.width = window.innerWidth;"
    )
    body = _week_probed(tmp_path, problem, rows, sessions[0]["date"], probe, "500,900")
    # the corner and tiny's Tue, Thu and Sat (days not taught and empty are left out)
    assert body["heads"] == "4" and body["over"] == "0", body
    assert int(body["scroll"]) <= int(body["width"]), body


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB `#rrggbb` (D65)."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in (r, g, b))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_the_first_ten_ue_colours_are_far_apart() -> None:
    """The sample's UE1 and UE7 were two light blues a visual audit could not tell apart."""
    from math import dist

    from scheduler.export.common import EVENT_COLOUR, PALETTE

    first = PALETTE[:10]
    for i, a in enumerate(first):
        assert dist(_lab(a), _lab(EVENT_COLOUR)) >= 20, a
        for b in first[i + 1 :]:
            assert dist(_lab(a), _lab(b)) >= 20, (a, b)


@needs_chromium
def test_the_legend_lists_ues_in_the_instance_order(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """The list view's legend was in the order of first sessions (UE5, UE3, UE1...: a
    visual audit), then put number-like UE ids ("30", "4") first (a review)."""
    renamed = {"UE3": "30", "UE4": "4"}

    def rename(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, str):
            for old, new in renamed.items():
                value = new if value == old else value.replace(f"{old}-", f"{new}-")
        return value

    problem = problem_of(rename(tiny_data))
    rows = [rename(r) for r in tiny_rows(1)]
    first = min((r for r in rows if r["ue"] == "UE1"), key=lambda r: r["date"])
    first["date"] = max(r["date"] for r in rows)  # UE1's first session now comes last
    page = tmp_path / "p.html"
    page.write_text(timetable_html(problem, rows), encoding="utf-8")
    dom = chromium(tmp_path, page.as_uri() + "#view=list", "--dump-dom")
    legend = re.search(r'<div class="legend" id="legend">(.*?)</div>', dom, re.S)
    assert legend is not None
    shown = re.findall(r">(\w+) · ", legend[1])
    assert shown == [u.id for u in problem.instance.ues] == ["UE1", "UE2", "30", "4"], shown


@needs_chromium
def test_a_phone_month_keeps_marks_and_ue_ids_within_their_chips(tmp_path: Path) -> None:
    """At 500 px a 'CANCELLED' mark spilled out of its chip and 'UE6A' read 'UE6' (a visual
    audit)."""
    problem, rows = tiny_problem(), tiny_rows(1)
    before = {uid_key(r): dict(r) for r in rows}
    gone = next(r for r in rows if r["kind"] == "session")
    before["UE9-main-01"] = dict(gone) | {"session_id": "UE9-main-01"}  # cancelled since
    page_text = timetable_html(problem, rows, PageRevision("rev-1", date(2026, 9, 10), before))
    probe = (
        "var b = document.body.dataset, out = 0, n = 0;"
        "document.querySelectorAll('table.month .ev').forEach(function (chip) {"
        " var box = chip.getBoundingClientRect();"
        " chip.querySelectorAll('.mark, .u, .t').forEach(function (part) {"
        "  var r = part.getBoundingClientRect(); n++;"
        "  if (r.right > box.right + 0.5 || part.scrollWidth > part.clientWidth + 1) out++; });"
        "});"
        "b.parts = n; b.out = out;"
        "b.marks = document.querySelectorAll('table.month .ev .mark').length;"
    )
    page = tmp_path / "p.html"
    page.write_text(_probe(page_text, probe), encoding="utf-8")
    dom = chromium(
        tmp_path, page.as_uri() + f"#view=month&date={gone['date'][:7]}", "--dump-dom",
        "--window-size=500,900",
    )  # fmt: skip
    body = _dataset(dom)
    assert int(body["marks"]) >= 1 and int(body["parts"]) > 3, body
    assert body["out"] == "0", body


def test_a_revision_of_a_revision_says_which_it_revised(tmp_path: Path) -> None:
    """rev-2's page said 'since the timetable it revised', not that it revised rev-1 rather
    than the published timetable (a visual audit)."""
    from scheduler.export.page_revision import revision_of

    pub = tmp_path / "pub"
    (pub / "rev-1").mkdir(parents=True)
    (pub / "rev-2").mkdir()
    (pub / "solution.json").write_text("{}", encoding="utf-8")

    def record(folder: Path, revised: Path) -> Path:
        solution = folder / "solution.json"
        revision = {"today": "2026-09-10", "from": str(revised / "solution.json")}
        solution.write_text(json.dumps({"revision": revision}), encoding="utf-8")
        return solution

    first = revision_of(record(pub / "rev-1", pub))
    second = revision_of(record(pub / "rev-2", pub / "rev-1"))
    assert first is not None and first.revised is None  # the published timetable
    assert second is not None and second.revised == "rev-1"
    rows = tiny_rows(1)
    before = {uid_key(r): dict(r) for r in rows}
    page = timetable_html(tiny_problem(), rows, replace(second, before=before))
    assert (
        "rev-2 : horaire recalculé pour les changements connus le 10 septembre 2026 ; par "
        "rapport à rev-1, l&#x27;horaire précédent :" in page
    )


@needs_chromium
def test_the_detail_of_a_moved_sessions_old_place_says_where_it_is_now(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """The struck-through chip at a moved session's old day, shown without a filter, said
    'No longer here (this filter)', and 'Now: 2026-09-15 ...' beside 'Was: Tue 8 Sep 2026'
    (a review)."""
    problem = problem_of(tiny_data)
    rows = timetable_rows(problem, tiny_solution(1))
    before = {uid_key(r): dict(r) for r in rows}
    moved = next(r for r in rows if r["kind"] == "session")
    before[uid_key(moved)]["date"] = "2026-09-01"
    html_text = timetable_html(problem, rows, PageRevision("rev-1", date(2026, 8, 20), before))
    probe = (
        f"var ghost = document.querySelector('[data-key=\"{moved['session_id']}~before\"]');"
        "ghost.focus(); document.body.dataset.detail = "
        "document.getElementById('detail').textContent;"
    )
    page = tmp_path / "p.html"
    page.write_text(_probe(html_text, probe), encoding="utf-8")
    dom = chromium(tmp_path, page.as_uri() + "#view=list", "--dump-dom")
    detail = html.unescape(re.search(r'data-detail="([^"]*)"', dom)[1])
    day = date.fromisoformat(moved["date"])
    assert detail.lstrip("×").startswith("Ne figure plus ici : UE1"), (
        detail
    )  # after the close button
    now = f"Maintenant : {day_words(FR, day)} {moved['start']}"
    assert now in detail, detail


def test_an_event_given_a_room_where_it_had_none_was_in_no_room() -> None:
    """An event given a room at its site read 'moved: was ' with nothing after (a review)."""
    from scheduler.export.common import was_words

    row = next(r for r in tiny_rows(1) if r["kind"] == "event")
    assert was_words(tiny_problem(), row | {"room": ""}, row) == "no room"


def test_days_say_their_closures_and_holidays(tiny_data: dict[str, Any]) -> None:
    """Empty days of the month view said nothing of the winter break, the exams or a public
    holiday (an audit): the page knows each day's closure or school holiday."""
    tiny_data["calendar"]["end"] = "2027-05-08"
    tiny_data["calendar"]["school_holidays"] = {"country": "BE", "subdiv": "French"}
    data = page_data(problem_of(tiny_data), tiny_rows(1))
    notes = data["days"]
    assert notes["2026-09-19"] == "Journée d'accueil (13:45–17:00)"  # part of the day
    # what closes (a closure, a public holiday) is told apart from a school holiday
    closed = set(data["closedDays"])
    assert {"2026-09-19", "2026-12-25", "2027-05-06"} <= closed <= notes.keys()
    assert "2026-10-20" not in closed and "2026-10-21" not in closed
    assert notes["2026-10-20"] == "Vacances d'automne"  # FWB school holidays, 2026
    assert "Ascension" in notes["2027-05-06"]  # a public holiday on a teaching day
    assert notes["2026-12-25"] == "Noël"  # and on a day without slots (a review)
    assert notes["2026-10-21"] == "Vacances d'automne"  # a Wednesday too
    assert "2026-09-15" not in notes and "2026-09-16" not in notes
    # a closure of whole days, and one of every slot of a Saturday: the reason, no hours
    tiny_data["calendar"]["closures"] += [
        {"from": "2027-01-04", "to": "2027-01-09", "reason": "Examens"},
        {"date": "2026-09-26", "slots": ["SAT-AM", "SAT-PM"], "reason": "Fête"},
    ]
    notes = page_data(problem_of(tiny_data), tiny_rows(1))["days"]
    assert notes["2027-01-06"] == notes["2027-01-09"] == "Examens"
    assert notes["2026-09-26"] == "Fête"


def test_a_dropped_session_is_marked_dropped(tiny_data: dict[str, Any]) -> None:
    """A dropped session read 'cancelled' on the page, where changes.csv says it is removed,
    not given (an audit of a revision's four views)."""
    rows = tiny_rows(1)
    dropped = [r for r in rows if r["kind"] == "session"][-1]
    tiny_data["dropped"] = [dropped["session_id"]]
    before = {uid_key(r): dict(r) for r in rows}
    now = [r for r in rows if r is not dropped]
    data = page_data(problem_of(tiny_data), now, PageRevision("rev-1", date(2026, 9, 10), before))
    item = next(i for i in data["items"] if i["key"] == uid_key(dropped))
    assert item["change"] == "cancelled" and item["mark"] == "dropped"
    assert '"dropped":"supprimée"' in timetable_html(problem_of(tiny_data), now)  # its words
    # the banner counted it "1 cancelled" above a chip marked "dropped" (an audit)
    assert data["revision"]["dropped"] == 1 and data["revision"]["cancelled"] == 0
    page = timetable_html(
        problem_of(tiny_data), now, PageRevision("rev-1", date(2026, 9, 10), before)
    )
    assert (
        "l&#x27;horaire précédent : 1 séance supprimée (ne sera pas donnée) (voir les marques ci-dessous)"
        in page
    )
    assert "changes.md" not in page  # a file the page's readers do not have
