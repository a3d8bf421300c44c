"""The published views speak the instance's language: the page's own words and the calendar
feeds' labels in French for a French instance, in English for one without a catalogue."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from scheduler.export.common import uid_key
from scheduler.export.html import day_notes, timetable_html
from scheduler.export.html_assets import JS
from scheduler.export.ics import build_calendar
from scheduler.export.page_revision import PageRevision
from scheduler.export.wording import CATALOGUES, EN, FR, counted, day_words, long_date, words_for
from scheduler.io.solution_io import timetable_rows
from tests.conftest import problem_of
from tests.test_export_html import chromium, needs_chromium
from tests.test_export_support import tiny_solution

STAMP = datetime(2026, 9, 1, tzinfo=ZoneInfo("UTC"))


def test_every_catalogue_has_every_word() -> None:
    """A word added to one catalogue only would read `undefined` on the page."""
    for language, words in CATALOGUES.items():
        assert words.keys() == EN.keys(), language
        for key, value in EN.items():
            assert type(words[key]) is type(value), (language, key)
            if isinstance(value, dict):
                assert words[key].keys() == value.keys(), (language, key)
            if isinstance(value, list):
                assert len(words[key]) == len(value), (language, key)
    assert len(FR["days"]) == 7 and len(set(FR["monthsShort"])) == 12  # no two alike


def test_the_script_uses_only_words_the_catalogues_have() -> None:
    used = set(re.findall(r"\bW\.(\w+)", JS))
    assert used and used <= EN.keys(), used - EN.keys()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "fr"),
        ("fr-BE", "fr"),
        (None, "en"),
        ("it", "en"),
        ("en-GB", "en"),
        ("nl-BE", "nl"),
        ("de", "de"),
        ("DE-be", "de"),
    ],
)
def test_the_catalogue_follows_the_instances_language(language: str | None, expected: str) -> None:
    assert words_for(language)["lang"] == expected


def _page(tiny_data: dict[str, Any], language: str | None) -> str:
    tiny_data["language"] = language
    problem = problem_of(tiny_data)
    return timetable_html(problem, timetable_rows(problem, tiny_solution(1)))


def test_a_french_instances_page_is_in_french(tiny_data: dict[str, Any]) -> None:
    page = _page(tiny_data, "fr")
    assert '<html lang="fr">' in page and "— horaire</title>" in page
    assert ">Aujourd&#x27;hui</button>" in page and "<label>Local <select" in page
    assert "séances et jours d&#x27;événement" in page and ">Today<" not in page


def test_an_instance_without_a_catalogue_gets_english(tiny_data: dict[str, Any]) -> None:
    for language in (None, "it"):
        page = _page(tiny_data, language)
        assert '<html lang="en">' in page and "— timetable</title>" in page
        assert ">Today</button>" in page and "<label>Room <select" in page
    # the instance's own language still marks its texts
    assert '<h1 lang="it">' in page


@pytest.mark.parametrize(
    ("language", "lang", "title", "today", "room"),
    [
        ("nl-BE", "nl", "lesrooster", "Vandaag", "Lokaal"),
        ("de-BE", "de", "Stundenplan", "Heute", "Raum"),
    ],
)
def test_a_dutch_or_german_instances_page_is_in_its_language(
    tiny_data: dict[str, Any], language: str, lang: str, title: str, today: str, room: str
) -> None:
    """Belgium's other two languages have their catalogues (an audit: a Flemish programme's
    page and feeds were in English)."""
    page = _page(tiny_data, language)
    assert f'<html lang="{lang}">' in page and f"— {title}</title>" in page
    assert f">{today}</button>" in page and f"<label>{room} <select" in page
    assert ">Today<" not in page and "<label>Room <select" not in page


def test_a_closure_without_a_reason_is_named_in_the_instances_language(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["calendar"]["closures"] = [{"date": "2026-09-19"}]
    for language, word in (("fr", "fermeture"), (None, "closure")):
        tiny_data["language"] = language
        problem = problem_of(tiny_data)
        assert day_notes(problem, words_for(language))["2026-09-19"] == word


def test_a_site_whose_rooms_are_all_closed_a_teaching_day_is_said_closed(
    tiny_data: dict[str, Any],
) -> None:
    """A re-solve's `site_closed` (a strike) becomes its rooms' unavailability: the page said
    nothing of why that day held nothing there (an audit). One room closed is no site closed."""
    mons = next(s for s in tiny_data["sites"] if s["id"] == "MONS")
    mons["rooms"][0]["unavailable"] = [{"date": "2026-09-22"}]
    notes = day_notes(problem_of(tiny_data), words_for("fr"))
    assert "2026-09-22" not in notes
    mons["rooms"][1]["unavailable"] = [{"from": "2026-09-21", "to": "2026-09-23"}]
    for language, word in (("fr", "UMONS fermé"), (None, "UMONS closed")):
        tiny_data["language"] = language
        notes = day_notes(problem_of(tiny_data), words_for(language))
        assert notes["2026-09-22"] == word  # a Tuesday taught; Monday 21 and 23 are not
        assert "2026-09-21" not in notes and "2026-09-23" not in notes
    for room in mons["rooms"]:  # closed every Saturday: how the site works, no news each week
        room["unavailable"] = [{"weekday": "sat"}]
    assert "2026-09-26" not in day_notes(problem_of(tiny_data), words_for("fr"))


def test_a_holiday_listed_without_a_name_is_named_in_the_instances_language(
    tiny_data: dict[str, Any],
) -> None:
    """A generated instance's dates without names showed "listed in
    school_holidays.dates" on a French page, wider than a phone (an audit)."""
    tiny_data["calendar"]["public_holidays"] = {"dates": ["2026-09-17"]}
    tiny_data["calendar"]["school_holidays"] = {"dates": ["2026-09-24"]}
    for language, public, school in (
        ("fr", "jour férié", "congé scolaire"),
        (None, "public holiday", "school holiday"),
    ):
        tiny_data["language"] = language
        notes = day_notes(problem_of(tiny_data), words_for(language))
        assert (notes["2026-09-17"], notes["2026-09-24"]) == (public, school)


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("fr", ("Séance : UE1-main-01", "Enseignants : ", "Groupes : ", "Événement fixe")),
        (None, ("Session: UE1-main-01", "Teachers: ", "Groups: ", "Fixed event")),
        ("nl", ("Les: UE1-main-01", "Docenten: ", "Groepen: ", "Vaste activiteit")),
        ("de", ("Sitzung: UE1-main-01", "Lehrpersonen: ", "Gruppen: ", "Feste Veranstaltung")),
    ],
)
def test_calendar_descriptions_are_labelled_in_the_instances_language(
    tiny_data: dict[str, Any], language: str | None, labels: tuple[str, ...]
) -> None:
    tiny_data["language"] = language
    problem = problem_of(tiny_data)
    rows = timetable_rows(problem, tiny_solution(1))
    calendar = Calendar.from_ical(build_calendar(problem, rows, "t", dtstamp=STAMP))
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    lines = str(events["UE1-main-01"]["DESCRIPTION"]).split("\n")
    *session, event_label = labels
    assert [line[: len(label)] for line, label in zip(lines, session, strict=True)] == session
    event = next(e for key, e in events.items() if key.startswith("ACCUEIL"))
    assert str(event["DESCRIPTION"]).split("\n")[0] == event_label


@needs_chromium
def test_the_french_page_in_headless_chromium(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """What the script writes: the month's name, the days' names, the count, the caption and
    the list's headings."""
    page = tmp_path / "timetable.html"
    page.write_text(_page(tiny_data, "fr"), encoding="utf-8")
    month = chromium(tmp_path, page.as_uri() + "#view=month&date=2026-09", "--dump-dom")
    assert 'id="period">septembre 2026<' in month and '<th scope="col">mar.</th>' in month
    assert "Sélection : 8 sur 8 séances et jours d'événement ; à l'écran : 8" in month
    assert "septembre 2026 — horaire complet" in month and ">Tous les groupes<" in month
    listed = chromium(tmp_path, page.as_uri() + "#view=list&group=OPT-A", "--dump-dom")
    assert "Semaine 38 — à partir du lun. 14 sept. 2026" in listed
    assert '<th scope="col">Enseignants</th>' in listed and "— groupe : Option A" in listed
    shown = re.sub(r"<script.*?</script>", "", month + listed, flags=re.S)
    assert "undefined" not in shown and "NaN" not in shown


def test_dutch_and_german_dates_and_counts() -> None:
    """German writes a dot after the day of the month, the first's too."""
    nl, de = words_for("nl"), words_for("de")
    assert day_words(nl, date(2026, 12, 1)) == "di 1 dec 2026"
    assert day_words(de, date(2026, 9, 15)) == "Di. 15. Sept. 2026"
    assert long_date(de, date(2026, 12, 1)) == "1. Dezember 2026"
    assert long_date(nl, date(2027, 3, 20)) == "20 maart 2027"
    assert (counted(nl, "moved", 1), counted(nl, "moved", 3)) == (
        "1 les verplaatst",
        "3 lessen verplaatst",
    )
    assert counted(de, "added", 2) == "2 Sitzungen hinzugefügt"


@needs_chromium
def test_the_german_page_in_headless_chromium(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """The script writes German's dotted days (`Mo. 14. Sept. 2026`) and its words."""
    page = tmp_path / "timetable.html"
    page.write_text(_page(tiny_data, "de"), encoding="utf-8")
    month = chromium(tmp_path, page.as_uri() + "#view=month&date=2026-09", "--dump-dom")
    assert 'id="period">September 2026<' in month and '<th scope="col">Di.</th>' in month
    assert "September 2026 — gesamter Stundenplan" in month and ">Alle Gruppen<" in month
    listed = chromium(tmp_path, page.as_uri() + "#view=list&group=OPT-A", "--dump-dom")
    assert "Woche 38 — ab Mo. 14. Sept. 2026" in listed, listed
    assert '<th scope="col">Lehrpersonen</th>' in listed and "— Gruppe: Option A" in listed
    shown = re.sub(r"<script.*?</script>", "", month + listed, flags=re.S)
    assert "undefined" not in shown and "NaN" not in shown


def test_french_dates_counts_and_the_tables_beside_the_page(tiny_data: dict[str, Any]) -> None:
    assert day_words(FR, date(2026, 12, 1)) == "mar. 1er déc. 2026"
    assert day_words(EN, date(2026, 12, 1)) == "Tue 1 Dec 2026"
    assert long_date(FR, date(2026, 11, 20)) == "20 novembre 2026"
    assert counted(FR, "moved", 1) == "1 séance déplacée"
    assert counted(FR, "moved", 4) == "4 séances déplacées"
    noscript = re.compile(r"<noscript><p>(.*?)</p></noscript>", re.S)
    found = noscript.search(_page(tiny_data, "fr"))
    assert found is not None and "timetable.csv et timetable.xlsx contiennent les" in found[1]
    # a republished revision's page: the tables beside it are the published timetable's
    problem = problem_of(tiny_data)
    rows = timetable_rows(problem, tiny_solution(1))
    before = {uid_key(r): dict(r) for r in rows}
    revised = timetable_html(problem, rows, PageRevision("rev-1", date(2026, 9, 10), before))
    found = noscript.search(revised)
    assert found is not None and found[1] == "Cet horaire nécessite JavaScript."


@needs_chromium
def test_a_french_revision_page_agrees_its_marks(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """A fixed event's day is masculine (it read "déplacée"), a dropped session's detail says
    "Supprimée" as its chip (it said "Annulée"), a phone's narrow days get short marks (a
    review saw "DÉPLA…" cut)."""
    problem = problem_of(tiny_data)
    rows = timetable_rows(problem, tiny_solution(1))
    before = {uid_key(r): dict(r) for r in rows}
    event = before.pop("ACCUEIL-20260919")  # the event's day was the 12th: moved
    before["ACCUEIL-20260912"] = event | {"date": "2026-09-12"}
    dropped = [r for r in rows if r["kind"] == "session"][-1]  # not pinned
    tiny_data["dropped"] = [dropped["session_id"]]
    now = [r for r in rows if r is not dropped]
    text = timetable_html(
        problem_of(tiny_data), now, PageRevision("rev-1", date(2026, 9, 10), before)
    )
    probe = (
        f"var gone = document.querySelector('[data-key=\"{dropped['session_id']}\"]');"
        "gone.focus(); document.body.dataset.detail = "
        "document.getElementById('detail').textContent;"
    )
    page = tmp_path / "rev.html"
    page.write_text(text.replace("</body>", f"<script>{probe}</script>\n</body>"), "utf-8")
    dom = chromium(tmp_path, page.as_uri() + "#view=month&date=2026-09", "--dump-dom")
    chip = re.search(r'<div class="ev event moved" data-key="ACCUEIL-20260919".*?</div>', dom, re.S)
    assert chip is not None and '<span class="mark">déplacé</span>' in chip[0], dom
    detail = re.search(r'data-detail="([^"]*)"', dom)
    assert detail is not None and detail[1].lstrip("×").startswith("Supprimée : "), detail
    phone = chromium(
        tmp_path, page.as_uri() + "#view=month&date=2026-09", "--dump-dom", "--window-size=390,844"
    )
    assert '<span class="mark">dépl.</span>' in phone and ">déplacé<" not in phone
