"""A re-solve's notices (`notices.csv`): what changed, to each teacher and group it concerns,
in the instance's language, ready to send; the same people and items as changes.md's
"Whom to tell"."""

from __future__ import annotations

import csv
import io
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.resolve.changes_md import superseded_lines
from scheduler.resolve.diff import Moved
from scheduler.resolve.notice_words import SENTENCES
from scheduler.resolve.notices import HEADER, notice_items, notice_rows, notices_csv
from scheduler.resolve.notices_xlsx import notices_workbook
from scheduler.resolve.recipients import changed_events, recipients
from scheduler.resolve.session_words import place_words
from scheduler.solution import Assignment
from tests.resolve.edits_support import resolve_output
from tests.resolve.support import published_tiny, roomy, run_resolve, timetable_rows


def _problem(language: str | None = "fr") -> Problem:
    data = roomy()
    data["title"] = "Master test"
    if language:
        data["language"] = language
    data["teachers"] = [
        {"id": "T1", "name": "Luc Mertens", "email": "luc@example.org"},
        {"id": "T2", "name": "Anne Lambert"},
        {"id": "T3", "name": "Zoé Arnaud"},
    ]
    data["groups"][1]["name"] = "Option A"
    data["sites"][0]["name"] = "UMONS"
    data["sites"][1]["name"] = "UNamur"
    data["sites"][1]["address"] = "Rue de Bruxelles 61, 5000 Namur"
    data["sites"][0]["rooms"][0]["name"] = "Salle 1"
    data["sites"][1]["rooms"][0]["name"] = "Salle S01"
    data["ues"][0]["title"] = "Fondements"
    return Problem.build(Instance.model_validate(data))


def _at(sid: str, day: int, room: str = "M1", slot: str = "TUE") -> Assignment:
    return Assignment(sid, date(2026, 9, day), slot, room)


def _items(problem: Problem, *moved: Moved, today: date | None = None) -> list[str]:
    return notice_items(problem, list(moved), {}, {}, today)


@pytest.mark.parametrize(
    ("moved", "expected"),
    [
        (  # the room kept: said once, after the new day
            Moved("U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 22), "date", "c"),
            "U1 · Fondements (1/3) : la séance du mardi 15 septembre 2026 (18:00–21:15) est "
            "déplacée au mardi 22 septembre 2026 (18:00–21:15, Salle 1, UMONS)",
        ),
        (  # to the other town: its address
            Moved(
                "U1-main-02", _at("U1-main-02", 15), _at("U1-main-02", 17, "N1", "THU"), "d", "c"
            ),
            "U1 · Fondements (2/3) : la séance du mardi 15 septembre 2026 (18:00–21:15, "
            "Salle 1, UMONS) est déplacée au jeudi 17 septembre 2026 (18:00–21:15, Salle S01, "
            "UNamur, Rue de Bruxelles 61, 5000 Namur)",
        ),
        (  # the same day and hours, another room
            Moved("U1-main-03", _at("U1-main-03", 29), _at("U1-main-03", 29, "M2"), "room", "c"),
            "U1 · Fondements (3/3) : la séance du mardi 29 septembre 2026 (18:00–21:15) change "
            "de local : M2, UMONS",
        ),
        (  # the same hours in the other town: a move, both places said (a notices audit)
            Moved("U1-main-03", _at("U1-main-03", 29), _at("U1-main-03", 29, "N1"), "site", "c"),
            "U1 · Fondements (3/3) : la séance du mardi 29 septembre 2026 (18:00–21:15, Salle 1, "
            "UMONS) est déplacée au mardi 29 septembre 2026 (18:00–21:15, Salle S01, UNamur, "
            "Rue de Bruxelles 61, 5000 Namur)",
        ),
        (
            Moved(
                "U2-main-01", None, Assignment("U2-main-01", date(2026, 10, 1), "THU", "M1"),
                "added", "c",
            ),
            "U2 (1/2) : nouvelle séance le jeudi 1er octobre 2026 (18:00–21:15, Salle 1, UMONS)",
        ),
        (
            Moved("U2-main-02", _at("U2-main-02", 22), None, "dropped", "c"),
            # the place in brackets: "..., UMONS est supprimée" read as UMONS's (an audit)
            "U2 (2/2) : la séance du mardi 22 septembre 2026 (18:00–21:15, Salle 1, UMONS) est "
            "supprimée",
        ),
        (  # replaced: by whom instead of whom, by name (no ids in a message to people)
            Moved(
                "U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 15), "teacher", "c", "",
                (("T1",), ("T3",)),
            ),
            "U1 · Fondements (1/3) : la séance du mardi 15 septembre 2026 (18:00–21:15, Salle 1, "
            "UMONS) ; elle est donnée par Zoé Arnaud au lieu de Luc Mertens",
        ),
        (  # a co-teacher gone: not "by Luc Mertens instead of Luc Mertens, Zoé Arnaud"
            Moved(
                "U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 15), "teacher", "c", "",
                (("T1", "T3"), ("T1",)),
            ),
            "U1 · Fondements (1/3) : la séance du mardi 15 septembre 2026 (18:00–21:15, Salle 1, "
            "UMONS) ; elle n'est plus donnée par Zoé Arnaud",
        ),
        (
            Moved(
                "U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 15), "teacher", "c", "",
                (("T1",), ("T1", "T2")),
            ),
            "U1 · Fondements (1/3) : la séance du mardi 15 septembre 2026 (18:00–21:15, Salle 1, "
            "UMONS) ; elle est aussi donnée par Anne Lambert",
        ),
        (  # French elides: "au lieu d'Anne", not "de Anne" (a notices audit)
            Moved(
                "U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 15), "teacher", "c", "",
                (("T2",), ("T1",)),
            ),
            "U1 · Fondements (1/3) : la séance du mardi 15 septembre 2026 (18:00–21:15, Salle 1, "
            "UMONS) ; elle est donnée par Luc Mertens au lieu d'Anne Lambert",
        ),
    ],
)  # fmt: skip
def test_each_session_item_is_whole_in_the_instance_language(moved: Moved, expected: str) -> None:
    assert _items(_problem(), moved) == [expected]


def test_a_session_due_today_is_said_first() -> None:
    moved = Moved("U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 22), "date", "c")
    (item,) = _items(_problem(), moved, today=date(2026, 9, 15))
    assert item.startswith("AUJOURD'HUI : U1 · Fondements (1/3) : la séance du mardi 15 ")
    (later,) = _items(_problem(), moved, today=date(2026, 9, 14))
    assert later.startswith("U1 · Fondements")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (None, "U1 · Fondements (1/3): the session of Tuesday 15 September 2026 (18:00–21:15) "
               "moves to Tuesday 22 September 2026 (18:00–21:15, Salle 1, UMONS)"),
        ("it", "U1 · Fondements (1/3): the session of Tuesday 15 September 2026 (18:00–21:15) "
               "moves to Tuesday 22 September 2026 (18:00–21:15, Salle 1, UMONS)"),
        ("nl-BE", "U1 · Fondements (1/3): de les van dinsdag 15 september 2026 (18:00–21:15) "
                  "wordt verplaatst naar dinsdag 22 september 2026 (18:00–21:15, Salle 1, "
                  "UMONS)"),
        ("de", "U1 · Fondements (1/3): Die Sitzung vom Dienstag, 15. September 2026 "
               "(18:00–21:15) wird auf Dienstag, 22. September 2026 (18:00–21:15, Salle 1, "
               "UMONS) verschoben"),
    ],
)  # fmt: skip
def test_other_languages_and_english_for_one_without_sentences(
    language: str | None, expected: str
) -> None:
    moved = Moved("U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 22), "date", "c")
    assert _items(_problem(language), moved) == [expected]


def _event_row(day: str, teachers: str = "T1", site: str = "NAMUR", room: str = "N1") -> dict:
    return {
        "kind": "event", "session_id": "EV", "ue_title": "Journée d'accueil", "date": day,
        "start": "09:00", "end": "12:15", "site": site, "room": room, "teachers": teachers,
        "groups": "C", "series": "", "ue": "",
    }  # fmt: skip


def test_an_event_moved_says_its_days_and_one_shared_place_once() -> None:
    problem = _problem()
    before = [_event_row("2026-09-19"), _event_row("2026-09-26")]
    after = [_event_row("2026-09-19"), _event_row("2026-10-03")]
    events = changed_events(before, after, problem)
    assert notice_items(problem, [], {}, events) == [
        "Journée d'accueil : l'événement du samedi 26 septembre 2026 (09:00–12:15) est déplacé "
        "au samedi 3 octobre 2026 (09:00–12:15) — maintenu le samedi 19 septembre 2026 "
        "(09:00–12:15) — Salle S01, UNamur"
    ]


def test_an_event_at_another_site_the_same_day_says_its_new_place_and_address() -> None:
    """Its day is not "déplacé" to itself (an audit): the day, then where it now is, a new
    town's address with it."""
    problem = _problem()
    before = [_event_row("2026-09-19")]
    after = [_event_row("2026-09-19", site="MONS", room="M1")]
    (item,) = notice_items(problem, [], {}, changed_events(before, after, problem))
    assert item == (  # UMONS has no address in this instance: none to give
        "Journée d'accueil, samedi 19 septembre 2026 (09:00–12:15) — lieu : Salle 1, UMONS "
        "(précédemment : Salle S01, UNamur)"
    )
    (back,) = notice_items(problem, [], {}, changed_events(after, before, problem))
    assert back == (
        "Journée d'accueil, samedi 19 septembre 2026 (09:00–12:15) — lieu : Salle S01, UNamur, "
        "Rue de Bruxelles 61, 5000 Namur (précédemment : Salle 1, UMONS)"
    )


def test_an_event_s_teachers_changed_on_kept_days_and_a_day_cancelled_today() -> None:
    problem = _problem()
    before = [_event_row("2026-09-19"), _event_row("2026-09-26")]
    people = [_event_row("2026-09-19", "T2"), _event_row("2026-09-26", "T2")]
    (item,) = notice_items(problem, [], {}, changed_events(before, people, problem))
    assert item == (
        "Journée d'accueil, samedi 19 septembre 2026 (09:00–12:15) et samedi 26 septembre 2026 "
        "(09:00–12:15) — Salle S01, UNamur — enseignants : Anne Lambert (au lieu de Luc Mertens)"
    )
    today = date(2026, 9, 26)
    events = changed_events(before, before[:1], problem, today)
    assert notice_items(problem, [], {}, events, today) == [  # the day kept said too
        "AUJOURD'HUI : Journée d'accueil : l'événement du samedi 26 septembre 2026 (09:00–12:15) "
        "est annulé — maintenu le samedi 19 septembre 2026 (09:00–12:15) — Salle S01, UNamur"
    ]


def _read(text: str) -> list[dict[str, str]]:
    """notices.csv's rows; it starts with a byte-order mark, for Excel (a notices audit)."""
    assert text.startswith("\ufeffkind,")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_notices_csv_has_a_message_per_recipient_with_its_own_items() -> None:
    problem = _problem()
    moved = [
        Moved("U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 22), "date", "c"),
        Moved("U2-main-01", _at("U2-main-01", 17, slot="THU"), None, "dropped", "c"),
    ]
    found = recipients(problem, moved)
    items = notice_items(problem, moved, {}, {})
    text = notices_csv(notice_rows(problem, found, moved, {}, {}, date(2026, 9, 14)))
    assert text.splitlines()[0] == "\ufeff" + ",".join(HEADER)
    rows = {r["id"]: r for r in _read(text)}
    assert list(rows) == ["T1", "T2", "C", "A"]  # the order of "Whom to tell"
    luc = rows["T1"]
    assert (luc["kind"], luc["name"], luc["email"], luc["language"]) == (
        "teacher", "Luc Mertens", "luc@example.org", "fr"
    )  # fmt: skip
    assert luc["subject"] == "Changement d'horaire : Master test"
    assert luc["body"].splitlines() == [
        "Bonjour,",
        "",
        "L'horaire « Master test » a été mis à jour le 14 septembre 2026. Ce changement vous "
        "concerne :",
        "",
        f"- {items[0]}",
        "",
        "Les calendriers auxquels vous êtes abonné·e se mettent à jour d'eux-mêmes.",
    ]
    assert rows["T2"]["email"] == ""  # no address in the instance: staff find one
    assert [r["kind"] for r in rows.values()] == ["teacher", "teacher", "group", "group"]
    assert rows["C"]["name"] == "C"
    # Option A's students attend their cohort's session too: both items, one intro for two
    option = rows["A"]["body"]
    assert rows["A"]["name"] == "Option A"
    assert "Ces changements vous concernent :" in option
    assert f"- {items[0]}\n- {items[1]}\n" in option


def test_notices_in_english_for_an_instance_without_a_language() -> None:
    problem = _problem(None)
    moved = [Moved("U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 22), "date", "c")]
    text = notices_csv(
        notice_rows(problem, recipients(problem, moved), moved, {}, {}, date(2026, 9, 14))
    )
    first = _read(text)[0]
    assert first["language"] == "en" and first["subject"] == "Timetable change: Master test"
    assert first["body"].startswith(
        "Hello,\n\nThe timetable of Master test was updated on 14 September 2026. This change "
        "concerns you:\n\n- U1 · Fondements (1/3): the session of Tuesday 15 September 2026"
    )


def test_a_re_solve_writes_notices_beside_changes_md(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """From the command line: the revision's notices.csv has a row per teacher and group of
    changes.md's list, in the instance's language (tiny is French), each with that
    recipient's items: the same sessions, in the same order, and the event."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    rows = timetable_rows(pub)
    last = max(r["session_id"] for r in rows.values() if r["ue"] == "UE1")
    changes = {
        "today": "2026-09-15",
        "changes": [
            {"cancelled": {"session": last}},
            {"event_moved": {"event": "ACCUEIL", "dates": ["2026-09-22"]}},
        ],
    }
    code, output, rev = run_resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    notices = _read((rev / "notices.csv").read_text("utf-8"))
    told = (rev / "changes.md").read_text("utf-8").split("Whom to tell")[1]
    listed = [chunk.splitlines() for chunk in told.split("\n- ")[1:]]
    assert len(notices) == len(listed) == 2  # Anne Lambert and the cohort
    for row, (who, *lines) in zip(notices, listed, strict=True):
        assert f"({row['id']})" in who
        assert row["language"] == "fr" and row["body"].startswith("Bonjour,")
        mine = [x[2:] for x in row["body"].splitlines() if x.startswith("- ")]
        theirs = [x[4:] for x in lines if x.startswith("  - ")]
        assert len(mine) == len(theirs) > 0
        for notice, item in zip(mine, theirs, strict=True):
            if item.startswith("ACCUEIL"):
                assert notice.startswith("Journée d'accueil : l'événement du samedi 19 septembre")
            else:  # `UE1-main-04, UE1 · Fondements (4/4): ...`: its title, whole
                heading = item.split(", ", 1)[1].split(": ", 1)[0]
                assert notice.startswith(f"{heading} : "), (notice, item)
    assert {n["kind"] for n in notices} == {"teacher", "group"}
    # the same rows in a workbook, which a French-locale Excel opens as it is
    book = openpyxl.load_workbook(rev / "notices.xlsx")
    assert book.sheetnames == ["Notices"]
    sheet = book["Notices"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == list(HEADER)
    assert values[1:] == [[n[h] or None for h in HEADER] for n in notices]  # "" an empty cell
    assert sheet.freeze_panes == "A2"
    body = sheet.cell(2, HEADER.index("body") + 1)
    assert body.alignment.wrap_text and "\n- " in body.value
    # the revision's page links to its feeds' files, a snapshot: no subscription (an audit)
    page = (rev / "timetable.html").read_text(encoding="utf-8")
    assert '"feeds":"calendars","subscribe":false' in page


def test_the_notices_workbook_keeps_every_cell_text() -> None:
    """A name or body line starting with `=` is text in notices.xlsx, never a formula, and
    a long body's row is as tall as its wrapped lines."""
    rows = [["teacher", "T1", "=SUM(A1)", "", "fr", "Objet", "Bonjour,\n" + "x" * 200]]
    sheet = openpyxl.load_workbook(io.BytesIO(notices_workbook(rows)))["Notices"]
    name = sheet.cell(2, HEADER.index("name") + 1)
    assert name.value == "=SUM(A1)" and name.data_type == "s"
    assert sheet.row_dimensions[2].height == 15 * (1 + 3)  # 200 characters: 3 lines of 90
    first = notices_workbook(rows)
    time.sleep(1.1)  # openpyxl stamps the document with the time it is saved at
    assert notices_workbook(rows) == first  # the same notices, the same bytes (a review)


def test_changes_md_gives_the_address_of_a_town_an_event_moves_to() -> None:
    """changes.md's (English) event line, as the notices: a day sent to another site comes
    with that site's address, as a session's does (stop 81 left it out)."""
    problem = _problem()
    before = [_event_row("2026-09-19", site="MONS", room="M1")]
    after = [_event_row("2026-09-19")]
    (change,) = changed_events(before, after, problem).values()
    assert change.words == (
        "EV (Journée d'accueil): 2026-09-19 09:00-12:15 at UMONS (Salle 1 (M1)) -> "
        "2026-09-19 09:00-12:15 at UNamur, Rue de Bruxelles 61, 5000 Namur (Salle S01 (N1))"
    )
    (back,) = changed_events(after, before, problem).values()
    assert back.words.endswith("-> 2026-09-19 09:00-12:15 at UMONS (Salle 1 (M1))")


def test_a_session_given_by_nobody_now_says_so() -> None:
    moved = Moved(
        "U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 15), "teacher", "c", "",
        (("T1",), ()),
    )  # fmt: skip
    assert _items(_problem(), moved) == [
        "U1 · Fondements (1/3) : la séance du mardi 15 septembre 2026 (18:00–21:15, Salle 1, "
        "UMONS) ; elle n'est plus donnée par Luc Mertens : aucun enseignant n'est prévu"
    ]


def test_several_event_days_read_as_a_list_and_a_new_event_gets_its_address() -> None:
    problem = _problem()
    two = [_event_row("2026-09-19"), _event_row("2026-09-26")]
    one = [_event_row("2026-10-03")]
    (moved,) = notice_items(problem, [], {}, changed_events(two, one, problem))
    assert moved == (  # "des ... et ..." then "au ...", the shared place once at the end
        "Journée d'accueil : l'événement des samedi 19 septembre 2026 (09:00–12:15) et samedi "
        "26 septembre 2026 (09:00–12:15) est déplacé au samedi 3 octobre 2026 (09:00–12:15) — "
        "Salle S01, UNamur"
    )
    three = [*two, _event_row("2026-10-03")]
    (added,) = notice_items(problem, [], {}, changed_events([], three, problem))
    assert added == (  # a new event: where it is, with the address of its town
        "Journée d'accueil : l'événement a lieu aussi les samedi 19 septembre 2026 (09:00–12:15) "
        "; samedi 26 septembre 2026 (09:00–12:15) et samedi 3 octobre 2026 (09:00–12:15) — "
        "Salle S01, UNamur, Rue de Bruxelles 61, 5000 Namur"
    )


def test_an_event_renamed_is_told_by_its_new_title() -> None:
    problem = _problem()
    before = [_event_row("2026-09-19")]
    after = [{**_event_row("2026-09-26"), "ue_title": "Accueil"}]
    (item,) = notice_items(problem, [], {}, changed_events(before, after, problem))
    assert item.startswith("Accueil : l'événement du samedi 19 septembre 2026")


def test_every_language_has_every_sentence() -> None:
    """A sentence missing in one language would fail only when a re-solve needs it."""
    for language, sentences in SENTENCES.items():
        assert set(sentences) == set(SENTENCES["en"]), language
        assert len(sentences["weekdays"]) == 7 and len(sentences["intro"]) == 2, language


def test_an_address_typed_on_several_lines_is_said_on_one() -> None:
    """changes.md and the notices alike (changes.md kept a session's address as typed)."""
    data = roomy()
    data["sites"][1]["address"] = "Rue de Bruxelles 61\n5000 Namur"
    problem = Problem.build(Instance.model_validate(data))
    assert place_words(problem, "N1", address=True) == "N1, NAMUR (Rue de Bruxelles 61 5000 Namur)"
    assert place_words(problem, "N1", ids=False) == "N1, NAMUR"


def test_a_long_title_is_shortened_in_the_subject_and_what_is_due_today_comes_first() -> None:
    """A notices audit: the sample's 162-character title made the subject; a session due
    today came second in its cohort's message."""
    data = roomy()
    data["title"] = "Master de spécialisation en accompagnement des professionnels, " * 3
    problem = Problem.build(Instance.model_validate(data))
    moved = [
        Moved("U1-main-02", _at("U1-main-02", 22), _at("U1-main-02", 29), "date", "c"),
        Moved("U1-main-01", _at("U1-main-01", 15), _at("U1-main-01", 17, slot="THU"), "d", "c"),
    ]
    text = notices_csv(
        notice_rows(problem, recipients(problem, moved), moved, {}, {}, date(2026, 9, 15))
    )
    row = _read(text)[0]
    assert row["subject"] == ("Timetable change: Master de spécialisation en accompagnement des…")
    items = [x for x in row["body"].splitlines() if x.startswith("- ")]
    assert [x[:30] for x in items] == [
        "- TODAY: U1 (1/3): the session",
        "- U1 (2/3): the session of Tue",
    ]


def test_an_event_moved_online_says_where_it_now_is() -> None:
    """A notices audit: a defence moved online read "moved to the same day", its Teams
    link unsaid."""
    data = roomy()
    data["language"] = "fr"
    data["fixed_events"] = [
        {"id": "EV", "title": "Défenses", "location": "En ligne (Teams)", "dates": ["2026-09-19"],
         "start": "09:00", "end": "12:15"},
    ]  # fmt: skip
    problem = Problem.build(Instance.model_validate(data))
    before = [_event_row("2026-09-19")]
    after = [{**_event_row("2026-09-19"), "site": "", "room": ""}]
    (item,) = notice_items(problem, [], {}, changed_events(before, after, problem))
    assert item == (
        "Journée d'accueil, samedi 19 septembre 2026 (09:00–12:15) — lieu : En ligne (Teams) "
        "(précédemment : N1, NAMUR)"
    )


def test_an_event_whose_location_alone_changed_is_told_where_it_now_is() -> None:
    """Stop 82 left it unsaid: an event moved from one video link to another kept its days,
    site and rooms, so neither changes.md nor the notices said anything, and people went to
    the old link. Its place is said once, after its days, with the old one; an event at a site
    is said as its calendars say it (its rooms, then its `location` in place of the site)."""
    problem = _problem()
    online = {**_event_row("2026-09-19"), "site": "", "room": ""}
    before, after = [{**online, "location": "En ligne (Teams)"}], [{**online, "location": "Zoom"}]
    (change,) = changed_events(before, after, problem).values()
    assert change.words == (
        "EV (Journée d'accueil): 2026-09-19 09:00-12:15 at no site; "
        'location "En ligne (Teams)" -> "Zoom"'
    )
    assert change.teachers == ("T1",) and change.groups == ("C",)
    (item,) = notice_items(problem, [], {}, {"EV": change})
    assert item == (
        "Journée d'accueil, samedi 19 septembre 2026 (09:00–12:15) — lieu : Zoom "
        "(précédemment : En ligne (Teams))"
    )
    at_site = _event_row("2026-09-19")
    before, after = [{**at_site, "location": ""}], [{**at_site, "location": "Aula Magna"}]
    (change,) = changed_events(before, after, problem).values()
    assert change.words.endswith('(Salle S01 (N1)); location none -> "Aula Magna"')
    (item,) = notice_items(problem, [], {}, {"EV": change})
    assert item.endswith("— lieu : Salle S01, Aula Magna (précédemment : Salle S01, UNamur)")
    same = [{**at_site, "location": "Aula Magna"}]
    assert changed_events(same, same, problem) == {}  # told only when it changed
    english = _problem(None)
    (item,) = notice_items(english, [], {}, changed_events(before, after, english))
    assert item.endswith("— place: Salle S01, Aula Magna (instead of Salle S01, UNamur)")


def test_a_re_solve_tells_an_event_s_new_location(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """From the command line: an `event_moved` of the `location` alone is in changes.md's
    event lines and "Whom to tell", in changes.csv (`what` location) and in each notice."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    where = "Auditoire principal, entrée rue Grandgagnage"
    changes = {
        "today": "2026-09-15",
        "changes": [{"event_moved": {"event": "ACCUEIL", "location": where}}],
    }
    code, output, rev = run_resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    md = (rev / "changes.md").read_text("utf-8")
    assert md.count(f'location none -> "{where}"') == 3  # the event's line, and two people's
    with (rev / "changes.csv").open(encoding="utf-8") as f:
        (row,) = [r for r in csv.DictReader(f) if r["session"] == "ACCUEIL"]
    assert (row["what"], row["before_date"], row["after_date"]) == (
        "location",
        "2026-09-19",
        "2026-09-19",
    )
    notices = _read((rev / "notices.csv").read_text("utf-8"))
    assert len(notices) == 2
    for n in notices:
        assert f"— lieu : Salle A, {where} (précédemment : Salle A, UNamur)" in n["body"]


def test_a_branch_superseding_a_revision_tells_what_it_undoes(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """Stop 82 left it alone: a re-solve branching off the published timetable, which a
    revision people were told of already revised, compared "Whom to tell" with the timetable
    it branched from. rev-1 moved sessions for a teacher's absence and gave the welcome day
    another place; rev-2, from the same timetable without those changes, moved them back and
    told nobody: people kept rev-1's days. Now both files compare with rev-1."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    before = timetable_rows(pub)
    first = {
        "today": "2026-09-15",
        "changes": [
            {"event_moved": {"event": "ACCUEIL", "location": "Aula"}},
            {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-22", "to": "2026-09-24"}},
        ],
    }
    code, output, rev1 = run_resolve(tmp_path, inst, pub, first)
    assert code == 0, output
    rev1_rows = timetable_rows(rev1)
    moved = {s for s, r in rev1_rows.items() if r["date"] != before[s]["date"]}
    assert moved, "rev-1 must move a session for the test to mean anything"
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-15", "changes": []})
    assert code == 0, output
    assert ", of what differs from rev-1, which people may hold (changes.md's" in output
    rev2 = pub / "rev-2"
    back = {s for s, r in timetable_rows(rev2).items() if r["date"] != rev1_rows[s]["date"]}
    assert back  # rev-2 keeps the published days, so it differs from rev-1
    md = (rev2 / "changes.md").read_text("utf-8")
    told = md.split("Whom to tell, against rev-1, the latest revision people may have")[1]
    told = told.split("\nAgainst rev-1,")[0]
    for sid in back:
        assert f"- {sid}, " in told, (sid, told)
    assert 'location "Aula" -> none' in told
    notices = _read((rev2 / "notices.csv").read_text("utf-8"))
    said = "\n".join(n["body"] for n in notices)
    assert "(précédemment : Salle A, Aula)" in said
    teachers = {n["id"] for n in notices if n["kind"] == "teacher"}
    assert {t for s in back for t in before[s]["teachers"].split(";")} <= teachers


@pytest.mark.parametrize(
    ("teachers", "expected"),
    [
        (  # replaced: each of the two reads it said to them, the students as before
            (("T2",), ("T1",)),
            {
                "T1": " ; vous la donnez désormais, au lieu d'Anne Lambert",
                "T2": " ; vous ne la donnez plus : elle est donnée par Luc Mertens",
                "C": " ; elle est donnée par Luc Mertens au lieu d'Anne Lambert",
            },
        ),
        (  # a co-teacher leaves: the one who stays reads who left
            (("T1", "T2"), ("T1",)),
            {
                "T1": " ; elle n'est plus donnée par Anne Lambert",
                "T2": " ; vous ne la donnez plus : elle est donnée par Luc Mertens",
                "C": " ; elle n'est plus donnée par Anne Lambert",
            },
        ),
        (  # a co-teacher joins
            (("T1",), ("T1", "T3")),
            {
                "T1": " ; elle est aussi donnée par Zoé Arnaud",
                "T3": " ; vous la donnez désormais aussi",
                "C": " ; elle est aussi donnée par Zoé Arnaud",
            },
        ),
        (  # given by nobody now
            (("T2",), ()),
            {
                "T2": " ; vous ne la donnez plus : aucun enseignant n'est prévu",
                "C": " ; elle n'est plus donnée par Anne Lambert : aucun enseignant n'est prévu",
            },
        ),
    ],
)
def test_a_teacher_leaving_or_joining_a_session_reads_it_said_to_them(
    teachers: tuple[tuple[str, ...], tuple[str, ...]], expected: dict[str, str]
) -> None:
    """Stop 82 left it alone: a replaced teacher's notice said "elle n'est plus donnée par"
    their own name. Who leaves or joins now reads `vous`; the others, names."""
    problem = _problem()
    placed = _at("U1-main-01", 15)
    moved = [Moved("U1-main-01", placed, placed, "teacher", "c", teachers=teachers)]
    found = recipients(problem, moved)
    rows = {
        r["id"]: r
        for r in _read(notices_csv(notice_rows(problem, found, moved, {}, {}, date(2026, 9, 14))))
    }
    for who, said in expected.items():
        (item,) = [x for x in rows[who]["body"].splitlines() if x.startswith("- ")]
        assert item == (
            f"- U1 · Fondements (1/3) : la séance du mardi 15 septembre 2026 (18:00–21:15, Salle "
            f"1, UMONS){said}"
        ), who


@pytest.mark.parametrize(
    ("teachers", "reader", "said"),
    [
        ((("T1", "T2"), ("T2", "T3")), "T1", " ; vous ne la donnez plus : elle est donnée par "
         "Anne Lambert, Zoé Arnaud"),
        ((("T1", "T2"), ("T3",)), "T1", " ; vous ne la donnez plus : elle est donnée par Zoé "
         "Arnaud"),
        ((("T1", "T2"), ()), "T2", " ; vous ne la donnez plus : aucun enseignant n'est prévu"),
        ((("T1", "T2"), ("T3",)), "T3", " ; vous la donnez désormais, au lieu de Luc Mertens, "
         "Anne Lambert"),
    ],
)  # fmt: skip
def test_a_teacher_among_several_who_leave_reads_who_gives_it_now(
    teachers: tuple[tuple[str, ...], tuple[str, ...]], reader: str, said: str
) -> None:
    """A review: a teacher leaving with another read their own name in the list, and one
    leaving a co-taught session was not told who still gives it."""
    problem = _problem()
    placed = _at("U1-main-01", 15)
    moved = [Moved("U1-main-01", placed, placed, "teacher", "c", teachers=teachers)]
    text = notices_csv(
        notice_rows(problem, recipients(problem, moved), moved, {}, {}, date(2026, 9, 14))
    )
    (row,) = [r for r in _read(text) if r["id"] == reader]
    assert row["body"].splitlines()[4].endswith(f"(18:00–21:15, Salle 1, UMONS){said}")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "; you no longer teach it: it is taught by Luc Mertens"),
        ("nl", "; u geeft ze niet meer: ze wordt gegeven door Luc Mertens"),
        ("de", "; Sie halten sie nicht mehr: sie wird von Luc Mertens gehalten"),
    ],
)
def test_the_second_person_in_other_languages(language: str, said: str) -> None:
    problem = _problem(language)
    placed = _at("U1-main-01", 15)
    moved = [Moved("U1-main-01", placed, placed, "teacher", "c", teachers=(("T2",), ("T1",)))]
    text = notices_csv(
        notice_rows(problem, recipients(problem, moved), moved, {}, {}, date(2026, 9, 14))
    )
    (row,) = [r for r in _read(text) if r["id"] == "T2"]
    assert row["body"].splitlines()[4].endswith(said)


def test_a_juror_who_leaves_or_joins_an_event_reads_it_said_to_them() -> None:
    """An audit: a juror taken off a defence day had to find their name missing from a list
    of five. Who leaves reads `vous n'y participez plus`, who joins `vous y participez
    désormais`; who stays, and the students, the lists."""
    problem = _problem()
    before, after = [_event_row("2026-09-19", "T1;T2")], [_event_row("2026-09-19", "T1;T3")]
    events = changed_events(before, after, problem)
    found = recipients(problem, [], {}, events)
    rows = {
        r["id"]: r
        for r in _read(notices_csv(notice_rows(problem, found, [], {}, events, date(2026, 9, 14))))
    }
    head = "- Journée d'accueil, samedi 19 septembre 2026 (09:00–12:15) — Salle S01, UNamur — "
    assert rows["T2"]["body"].splitlines()[4] == f"{head}vous n'y participez plus"
    assert rows["T3"]["body"].splitlines()[4] == f"{head}vous y participez désormais"
    listed = f"{head}enseignants : Luc Mertens, Zoé Arnaud (au lieu de Luc Mertens, Anne Lambert)"
    assert rows["T1"]["body"].splitlines()[4] == listed
    assert rows["C"]["body"].splitlines()[4] == listed


def test_a_new_location_is_said_for_the_days_an_event_keeps_when_it_gains_one() -> None:
    """A review: an event moving from Teams to Zoom and gaining a day said only the new day
    (with Zoom): its kept day's new place went unsaid."""
    problem = _problem()
    online = {**_event_row("2026-09-19"), "site": "", "room": ""}
    before = [{**online, "location": "Teams"}]
    after = [{**online, "location": "Zoom"}, {**online, "date": "2026-09-26", "location": "Zoom"}]
    (item,) = notice_items(problem, [], {}, changed_events(before, after, problem))
    assert item == (
        "Journée d'accueil : l'événement a lieu aussi le samedi 26 septembre 2026 (09:00–12:15, "
        "Zoom) — lieu : Zoom (précédemment : Teams)"
    )


def test_a_superseded_revision_without_its_timetable_csv_is_rebuilt_from_its_instance(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """Two reviews: with rev-1's timetable.csv gone, rev-2 first told everyone each fixed
    event was added, then, leaving rev-1 out, told nobody of the sessions it moved back. Its
    rows are rebuilt from its solution.json and instance.yaml; without those either, it is
    left out with a warning."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    away = {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-22", "to": "2026-09-24"}}
    code, output, rev1 = run_resolve(
        tmp_path, inst, pub, {"today": "2026-09-15", "changes": [away]}
    )
    assert code == 0, output
    moved = {s for s, r in timetable_rows(rev1).items() if r != timetable_rows(pub)[s]}
    assert moved  # rev-1 moved sessions, which rev-2 moves back
    (rev1 / "timetable.csv").unlink()
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-15", "changes": []})
    assert code == 0, output
    md = (pub / "rev-2" / "changes.md").read_text("utf-8")
    told = md.split("Whom to tell, against rev-1")[1].split("\nAgainst rev-1,")[0]
    assert all(f"- {sid}, " in told for sid in moved), told
    assert "ACCUEIL" not in told  # its event did not change
    said = "\n".join(n["body"] for n in _read((pub / "rev-2" / "notices.csv").read_text("utf-8")))
    assert said and "Journée d'accueil" not in said
    shutil.rmtree(pub / "rev-2")  # rev-1 the latest again, now without its instance either
    (rev1 / "instance.yaml").unlink()
    code, output = resolve_output(tmp_path, inst, pub, {"today": "2026-09-15", "changes": []})
    assert code == 0, output
    assert "the latest revision people may have been told of cannot be read whole" in output
    assert "Against rev-1" not in (pub / "rev-2" / "changes.md").read_text("utf-8")


def test_the_against_section_names_the_teachers() -> None:
    """An audit: the section against a superseded revision gave bare ids ("taught by T08")
    where the rest of changes.md names people."""
    problem = _problem()
    placed = _at("U1-main-01", 15)
    moved = [Moved("U1-main-01", placed, placed, "superseded", "c", teachers=(("T2",), ("T1",)))]
    (line,) = [x for x in superseded_lines(problem, "rev-1", moved) if x.startswith("| U1-main-01")]
    assert line.endswith(
        "; taught by Anne Lambert (T2) | Tuesday 2026-09-15 18:00-21:15, Salle 1 (M1), UMONS; "
        "taught by Luc Mertens (T1) |"
    ), line


def test_co_teachers_listed_in_another_order_are_no_change(
    tmp_path: Path, tiny_data: dict[str, Any]
) -> None:
    """A review: the instance's co-teachers of UE4 listed the other way round, every notice
    said "elle est donnée par personne au lieu de personne". The same teachers are no change."""
    inst, pub = published_tiny(tmp_path, tiny_data)
    ue4 = next(u for u in tiny_data["ues"] if u["id"] == "UE4")
    assert len(ue4["teachers"]) == 2
    ue4["teachers"] = ue4["teachers"][::-1]
    inst.write_text(yaml.safe_dump(tiny_data), encoding="utf-8")
    code, output, rev = run_resolve(tmp_path, inst, pub, {"today": "2026-09-15", "changes": []})
    assert code == 0, output
    assert "given another teacher" not in output
    assert _read((rev / "notices.csv").read_text("utf-8")) == []
    placed = _at("U1-main-01", 15)
    same = Moved(
        "U1-main-01", placed, placed, "teacher", "c", teachers=(("T1", "T2"), ("T2", "T1"))
    )
    assert _items(_problem(), same) == [
        "U1 · Fondements (1/3) : la séance du mardi 15 septembre 2026 (18:00–21:15, Salle 1, UMONS)"
    ]


def test_a_session_given_by_nobody_until_now_is_not_given_also() -> None:
    """A review: a session with no teacher before read "elle est aussi donnée par"."""
    problem = _problem()
    placed = _at("U1-main-01", 15)
    moved = [Moved("U1-main-01", placed, placed, "teacher", "c", teachers=((), ("T1",)))]
    text = notices_csv(
        notice_rows(problem, recipients(problem, moved), moved, {}, {}, date(2026, 9, 14))
    )
    rows = {r["id"]: r["body"].splitlines()[4] for r in _read(text)}
    assert rows["T1"].endswith("UMONS) ; vous la donnez désormais")
    assert rows["C"].endswith("UMONS) ; elle est désormais donnée par Luc Mertens")


def test_a_teacher_s_notice_of_sessions_and_events_gives_each_its_own_words() -> None:
    """A review: `_told_to` finds an event's change by its index after the sessions'; a
    notice mixing both must give each item its own words, in "Whom to tell"'s order."""
    problem = _problem()
    placed = _at("U1-main-01", 15)
    moved = [
        Moved("U1-main-01", placed, _at("U1-main-01", 22), "date", "c"),
        Moved("U1-main-02", _at("U1-main-02", 17, slot="THU"), _at("U1-main-02", 17, slot="THU"),
              "teacher", "c", teachers=(("T2",), ("T1",))),
    ]  # fmt: skip
    before = [_event_row("2026-09-19", "T1;T2")]
    after = [_event_row("2026-09-19", "T1")]
    events = changed_events(before, after, problem)
    found = recipients(problem, moved, {}, events)
    rows = {
        r["id"]: r["body"]
        for r in _read(
            notices_csv(notice_rows(problem, found, moved, {}, {**events}, date(2026, 9, 14)))
        )
    }
    anne = [x for x in rows["T2"].splitlines() if x.startswith("- ")]
    assert len(anne) == 2
    assert anne[0].endswith("; vous ne la donnez plus : elle est donnée par Luc Mertens")
    assert anne[0].startswith("- U1 · Fondements (2/3) : la séance du jeudi 17 septembre 2026")
    assert anne[1].startswith("- Journée d'accueil, ") and anne[1].endswith(
        "— vous n'y participez plus"
    )
    luc = [x for x in rows["T1"].splitlines() if x.startswith("- ")]
    assert len(luc) == 3 and luc[1].endswith("; vous la donnez désormais, au lieu d'Anne Lambert")
