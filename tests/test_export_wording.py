"""The published views speak the instance's language: the page's own words and the calendar
feeds' labels in French for a French instance, in English for one without a catalogue."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from scheduler.export.html import day_notes, timetable_html
from scheduler.export.html_assets import JS
from scheduler.export.ics import build_calendar
from scheduler.export.wording import CATALOGUES, EN, FR, words_for
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
    [("fr", "fr"), ("fr-BE", "fr"), (None, "en"), ("de", "en"), ("en-GB", "en")],
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
    for language in (None, "de"):
        page = _page(tiny_data, language)
        assert '<html lang="en">' in page and "— timetable</title>" in page
        assert ">Today</button>" in page and "<label>Room <select" in page
    # the instance's own language still marks its texts
    assert '<h1 lang="de">' in page


def test_a_closure_without_a_reason_is_named_in_the_instances_language(
    tiny_data: dict[str, Any],
) -> None:
    tiny_data["calendar"]["closures"] = [{"date": "2026-09-19"}]
    for language, word in (("fr", "fermeture"), (None, "closure")):
        tiny_data["language"] = language
        problem = problem_of(tiny_data)
        assert day_notes(problem, words_for(language))["2026-09-19"] == word


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("fr", ("Séance : UE1-main-01", "Enseignants : ", "Groupes : ")),
        (None, ("Session: UE1-main-01", "Teachers: ", "Groups: ")),
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
    assert [line[: len(label)] for line, label in zip(lines, labels, strict=True)] == list(labels)
    event = next(e for key, e in events.items() if key.startswith("ACCUEIL"))
    fixed = str(event["DESCRIPTION"]).split("\n")[0]
    assert fixed == ("Événement fixe" if language else "Fixed event")


@needs_chromium
def test_the_french_page_in_headless_chromium(tmp_path: Path, tiny_data: dict[str, Any]) -> None:
    """What the script writes: the month's name, the days' names, the count, the caption and
    the list's headings."""
    page = tmp_path / "timetable.html"
    page.write_text(_page(tiny_data, "fr"), encoding="utf-8")
    month = chromium(tmp_path, page.as_uri() + "#view=month&date=2026-09", "--dump-dom")
    assert 'id="period">septembre 2026<' in month and '<th scope="col">mar</th>' in month
    assert "8 sur 8 séances et jours d'événement retenus ; 8 affichés" in month
    assert "septembre 2026 — tout" in month and ">Tous les groupes<" in month
    listed = chromium(tmp_path, page.as_uri() + "#view=list&group=OPT-A", "--dump-dom")
    assert "Semaine 38 — à partir du lun 14 sept 2026" in listed
    assert '<th scope="col">Enseignants</th>' in listed and "— groupe Option A" in listed
    shown = re.sub(r"<script.*?</script>", "", month + listed, flags=re.S)
    assert "undefined" not in shown and "NaN" not in shown
