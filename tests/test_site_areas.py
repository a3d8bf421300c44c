"""Sites of one `area` (`Site.area`): close enough to change between in a day, so the
one-site-a-day rules take them as one. An audit's haute école had two campuses of one city,
ten minutes apart, and a lecture on one and a lab on the other the same day was "no
timetable", with no way to say so."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from scheduler.check import check
from scheduler.cli import cli
from scheduler.construct import greedy_timetable
from scheduler.data.preflight import preflight
from scheduler.model.solve import SolveOptions, solve
from scheduler.solution import Assignment, Status
from tests.conftest import problem_of

# One Monday, a morning and an afternoon; the lecture may only be at A, the lab needs B's
# equipment; one group, one teacher for both: both rules of one site a day are in the way.
TWO_CAMPUSES: dict[str, Any] = {
    "name": "two-campuses",
    "title": "Deux campus",
    "timezone": "Europe/Brussels",
    "calendar": {
        "start": "2026-09-14",
        "end": "2026-09-14",
        "slots": [
            {"id": "MON-AM", "weekday": "mon", "start": "08:30", "end": "12:30"},
            {"id": "MON-PM", "weekday": "mon", "start": "13:30", "end": "17:30"},
        ],
    },
    "sites": [
        {"id": "A", "rooms": [{"id": "A1", "capacity": 30}]},
        {"id": "B", "rooms": [{"id": "B1", "capacity": 30, "features": ["lab"]}]},
    ],
    "groups": [{"id": "G", "size": 20}],
    "teachers": [{"id": "T"}],
    "ues": [
        {
            "id": "LEC",
            "teachers": ["T"],
            "groups": ["G"],
            "sites": ["A"],
            "sessions": [{"count": 1}],
        },
        {
            "id": "LAB",
            "teachers": ["T"],
            "groups": ["G"],
            "sessions": [{"count": 1, "room_features": ["lab"]}],
        },
    ],
}


def _in_one_area(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for site in data["sites"]:
        site["area"] = "CITY"
    return data


def test_sites_of_two_areas_may_not_share_a_day() -> None:
    problem = problem_of(TWO_CAMPUSES)
    errors = [f for f in preflight(problem) if f.severity == "error"]
    assert {f.rule for f in errors} == {"teacher_one_site_per_day"}
    assert errors[0].message.endswith(
        "must stay at one site a day — move a pin, or allow another site, or, if the sites are "
        "close enough to change between in a day, give them one `area`"
    ), errors[0].message
    assert solve(problem, SolveOptions(time_limit=5, workers=1)).status == Status.INFEASIBLE


def test_sites_of_one_area_share_a_day() -> None:
    problem = problem_of(_in_one_area(TWO_CAMPUSES))
    assert not [f for f in preflight(problem) if f.severity == "error"]
    assert greedy_timetable(problem) is not None
    result = solve(problem, SolveOptions(time_limit=5, workers=1, seed=0))
    assert result.status.has_solution
    report = check(problem, result.assignments)
    assert report.violations == () and report.objective == result.objective
    assert {(a.session, a.room) for a in result.assignments} == {
        ("LEC-main-01", "A1"),
        ("LAB-main-01", "B1"),
    }


@pytest.mark.parametrize("area", [None, "CITY"])
def test_the_checker_compares_areas(area: str | None) -> None:
    """The lecture at A in the morning, the lab at B in the afternoon: two violations (the
    teacher's and the students') between two areas, none within one."""
    data = _in_one_area(TWO_CAMPUSES) if area else TWO_CAMPUSES
    problem = problem_of(data)
    day = problem.slots[0].date
    timetable = (
        Assignment("LEC-main-01", day, "MON-AM", "A1"),
        Assignment("LAB-main-01", day, "MON-PM", "B1"),
    )
    broken = sorted(v.rule for v in check(problem, timetable).violations)
    assert broken == ([] if area else ["group_one_site_per_day", "teacher_one_site_per_day"])


def test_an_area_is_read_from_yaml_and_a_workbook(tmp_path: Path) -> None:
    """`area` in YAML; `site_area` on the workbook's Sites & rooms sheet, and back."""
    source = tmp_path / "two.yaml"
    source.write_text(yaml.safe_dump(_in_one_area(TWO_CAMPUSES)), encoding="utf-8")
    runner = CliRunner()
    book = tmp_path / "two.xlsx"
    made = runner.invoke(cli, ["template", "--from", str(source), "--out", str(book)])
    assert made.exit_code == 0, made.output
    back = tmp_path / "back.yaml"
    converted = runner.invoke(cli, ["convert", str(book), str(back)])
    assert converted.exit_code == 0, converted.output
    sites = yaml.safe_load(back.read_text(encoding="utf-8"))["sites"]
    assert [s.get("area") for s in sites] == ["CITY", "CITY"]
    solved = runner.invoke(cli, ["solve", str(book), "--out", str(tmp_path / "sol")])
    assert solved.exit_code == 0, solved.output


def test_a_violation_names_every_profile_it_concerns() -> None:
    """An audit: a cohort's session in one town and another's elsewhere the same day named
    one of its two lab groups' profiles, as if the other were not concerned."""
    data = copy.deepcopy(TWO_CAMPUSES)
    data["groups"] += [
        {"id": f"G-{x}", "size": 10, "part_of": "G", "partition": "lab"} for x in "AB"
    ]
    problem = problem_of(data)
    day = problem.slots[0].date
    timetable = (
        Assignment("LEC-main-01", day, "MON-AM", "A1"),
        Assignment("LAB-main-01", day, "MON-PM", "B1"),
    )
    (broken,) = [
        v for v in check(problem, timetable).violations if v.rule == "group_one_site_per_day"
    ]
    assert broken.message == (
        "students of G+G-A and G+G-B are expected at A (LEC-main-01) and at B (LAB-main-01) on "
        f"{day.isoformat()}"
    )


def test_the_pre_flight_names_sites_not_areas() -> None:
    """A review: with A in an area, the pre-flight said "can only be at NORTH", an area."""
    data = copy.deepcopy(TWO_CAMPUSES)
    data["sites"][0]["area"] = "NORTH"
    (error,) = [f for f in preflight(problem_of(data)) if f.severity == "error"]
    assert "LEC-main-01 can only be at A and LAB-main-01 only at B on" in error.message


def test_an_area_named_like_a_site_does_not_join_it() -> None:
    """A review: `area: B` on site A joined it to B, whose own area is unnamed."""
    data = copy.deepcopy(TWO_CAMPUSES)
    data["sites"][0]["area"] = "B"
    problem = problem_of(data)
    assert problem.area["A"] != problem.area["B"]
    assert {f.rule for f in preflight(problem) if f.severity == "error"} == {
        "teacher_one_site_per_day"
    }


def _lecture_after_a_lab_day(data: dict[str, Any], teachers: list[str] | None = None) -> None:
    """The lecture alone, and the lab a fixed event at B on Monday morning for its students
    (and `teachers`)."""
    data["ues"] = data["ues"][:1]
    lab = {
        "id": "LABDAY",
        "site": "B",
        "rooms": ["B1"],
        "dates": ["2026-09-14"],
        "start": "08:30",
        "end": "12:30",
        "groups": ["G"],
    }
    data["fixed_events"] = [lab | ({"teachers": teachers} if teachers else {})]


@pytest.mark.parametrize("area", [None, "CITY"])
def test_a_fixed_event_at_a_site_of_the_area_shares_its_day(area: str | None) -> None:
    """The lab is a fixed event at B on Monday morning, its teacher and students those of the
    lecture, which may only be at A: the lecture may follow it that afternoon only when A and
    B share an area (the domains, the model and the checker alike)."""
    data = _in_one_area(TWO_CAMPUSES) if area else copy.deepcopy(TWO_CAMPUSES)
    _lecture_after_a_lab_day(data, teachers=["T"])
    problem = problem_of(data)
    result = solve(problem, SolveOptions(time_limit=5, workers=1, seed=0))
    if area is None:
        assert result.status == Status.INFEASIBLE
    else:
        assert result.status.has_solution
        report = check(problem, result.assignments)
        assert report.violations == () and report.objective == result.objective
    day = problem.slots[0].date
    afternoon = (Assignment("LEC-main-01", day, "MON-PM", "A1"),)
    broken = sorted(v.rule for v in check(problem, afternoon).violations)
    assert broken == ([] if area else ["group_one_site_per_day", "teacher_one_site_per_day"])


def test_the_model_uses_at_least_the_sites_its_sessions_force() -> None:
    """A review: the bound `sum(used) >= fewest` of site_stability was untested (the data
    bound alone proves tiny's optimum). LEC at A, LAB at B in one UE: its used-site flags sum
    to 2 at least in the model itself."""
    from scheduler.model.build import build_model

    data = copy.deepcopy(TWO_CAMPUSES)
    lab = data["ues"].pop()
    data["ues"][0]["sites"] = None
    data["ues"][0]["sessions"] = [
        {"series": "lec", "count": 1, "sites": ["A"]},
        {"series": "lab", "count": 1, "room_features": lab["sessions"][0]["room_features"]},
    ]
    data["ues"][0].pop("sites")
    proto = build_model(problem_of(data)).model.proto
    used = {i for i, v in enumerate(proto.variables) if v.name.startswith("site_used[LEC,")}
    assert len(used) == 2
    bounds = [
        c.linear.domain[0]
        for c in proto.constraints
        if set(c.linear.vars) == used and all(x == 1 for x in c.linear.coeffs)
    ]
    assert bounds and max(bounds) == 2


def test_a_workbook_s_area_on_two_rows_must_agree(tmp_path: Path) -> None:
    """A review: a site's area given on two of its rows with two values is refused at the
    cell, as its name and address are; a site without rooms keeps its area too."""
    import openpyxl

    from scheduler.errors import InputError
    from scheduler.io.instance_io import load_instance
    from scheduler.io.workbook import workbook_bytes

    data = _in_one_area(TWO_CAMPUSES)
    data["sites"][0]["rooms"].append({"id": "A2", "capacity": 10})
    data["sites"].append({"id": "C", "area": "CITY"})
    source = tmp_path / "two.yaml"
    source.write_text(yaml.safe_dump(data), encoding="utf-8")
    book = tmp_path / "two.xlsx"
    book.write_bytes(workbook_bytes(load_instance(source)))
    assert [s.area for s in load_instance(book).sites] == ["CITY", "CITY", "CITY"]
    wb = openpyxl.load_workbook(book)
    sheet = wb["Sites & rooms"]
    column = next(c.column_letter for c in sheet[1] if c.value == "site_area")
    rows = [r for r in range(3, sheet.max_row + 1) if sheet[f"A{r}"].value == "A"]
    assert len(rows) == 2
    sheet[f"{column}{rows[1]}"] = "OTHER"
    wb.save(book)
    with pytest.raises(
        InputError,
        match=rf"'Sites & rooms'!{column}{rows[1]}: site 'A' already "
        r"has area 'CITY'",
    ):
        load_instance(book)


def test_a_workbook_without_the_area_column_is_read_without_a_warning(tmp_path: Path) -> None:
    """An audit: every workbook written before `site_area` existed warned, on every read, that
    the column was missing ("deleted, or a workbook of an older version?"), though its
    absence means what it meant: no area."""
    import openpyxl

    from scheduler.io.instance_io import load_instance
    from scheduler.io.workbook import workbook_bytes

    book = tmp_path / "old.xlsx"
    source = tmp_path / "two.yaml"
    source.write_text(yaml.safe_dump(TWO_CAMPUSES), encoding="utf-8")
    book.write_bytes(workbook_bytes(load_instance(source)))
    wb = openpyxl.load_workbook(book)
    sheet = wb["Sites & rooms"]
    column = next(c.column for c in sheet[1] if c.value == "site_area")
    sheet.delete_cols(column)
    wb.save(book)
    converted = CliRunner().invoke(cli, ["convert", str(book), str(tmp_path / "back.yaml")])
    assert converted.exit_code == 0, converted.output
    assert "site_area" not in converted.output and "warning" not in converted.output
    assert [s.area for s in load_instance(book).sites] == [None, None]


@pytest.mark.parametrize(
    ("areas", "said"),
    [
        (("CITY", "CITY"), []),
        (
            ("LIEGE", "LEIGE"),
            [
                "site A names area 'LIEGE', named by no other site, so it joins nothing — check "
                "its spelling",
                "site B names area 'LEIGE', named by no other site, so it joins nothing — check "
                "its spelling",
            ],
        ),
        (
            ("LIEGE", "Liege"),
            [
                "site A names area 'LIEGE', spelt 'Liege' on B: areas are compared exactly — "
                "spell them the same",
                "site B names area 'Liege', spelt 'LIEGE' on A: areas are compared exactly — "
                "spell them the same",
            ],
        ),
        (
            (None, "A"),
            [
                "site B names area 'A', the id of site A, which names no area: to join the two, "
                "give both the same area"
            ],
        ),
    ],
)
def test_an_area_that_joins_nothing_is_warned(
    areas: tuple[str | None, str | None], said: list[str]
) -> None:
    """An areas audit: a typo, a case apart or another site's id left two campuses apart,
    and nothing said so."""
    data = copy.deepcopy(TWO_CAMPUSES)
    for site, area in zip(data["sites"], areas, strict=True):
        if area:
            site["area"] = area
    found = [f.message for f in preflight(problem_of(data)) if f.rule == "site_area"]
    assert found == said


def test_with_areas_the_rule_is_said_of_areas() -> None:
    """An areas audit: with Liège's two campuses in one area, a conflict with Mons still read
    "must stay at one site per day"."""
    from scheduler.data.words import one_site_a_day

    data = copy.deepcopy(TWO_CAMPUSES)
    data["sites"].append({"id": "C", "area": "NORTH", "rooms": [{"id": "C1", "capacity": 30}]})
    data["sites"][0]["area"] = "NORTH"
    assert one_site_a_day(problem_of(data)) == (
        "in one area a day (NORTH: A, C; any other site is an area of its own)"
    )
    (error,) = [f for f in preflight(problem_of(data)) if f.severity == "error"]
    assert "must stay in one area a day (NORTH: A, C; any other site is an area" in error.message


def test_an_area_typed_where_a_site_belongs_names_its_sites(tmp_path: Path) -> None:
    """An areas audit: `sites: [CITY]` read "unknown site 'CITY'", its sites unnamed."""
    from scheduler.errors import InputError
    from scheduler.io.instance_io import load_instance

    data = _in_one_area(TWO_CAMPUSES)
    data["ues"][0]["sites"] = ["CITY"]
    source = tmp_path / "area.yaml"
    source.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"ue 'LEC' sites: unknown site 'CITY': it is an area \(A, B\) — name "
        r"one of its sites",
    ):
        load_instance(source)


def test_a_placement_kept_off_by_an_event_s_site_offers_an_area() -> None:
    """An areas audit: the first line a user reads, a session placed nowhere because a fixed
    event that day is at another site, said to move the event; only the conflicting rules
    below mentioned an area."""
    data = copy.deepcopy(TWO_CAMPUSES)
    _lecture_after_a_lab_day(data)
    (error,) = [f for f in preflight(problem_of(data)) if f.severity == "error"]
    assert error.rule == "placement"
    assert error.message.endswith(
        "— relax a rule that alone excludes some of them, or, if the sites are close enough to "
        "change between in a day, give them one `area`"
    ), error.message
    data["ues"][0].pop("sites")  # the event's own rules alone in the way: it is what to move
    data["sites"][1]["rooms"] = []
    data["fixed_events"][0].pop("rooms")
    (error,) = [f for f in preflight(problem_of(data)) if f.severity == "error"]
    assert error.message.endswith(
        "— move fixed event LABDAY or take off it the teachers, students or rooms it shares with "
        "LEC-main, or, if the sites are close enough to change between in a day, give them one "
        "`area`"
    ), error.message


def test_a_change_naming_an_area_for_a_site_names_its_sites() -> None:
    """An areas audit: `site_closed: {site: LIEGE}`, an area, read "unknown site 'LIEGE'"."""
    from scheduler.errors import InputError
    from scheduler.resolve.apply_change import _entity

    sites = [{"id": "A", "area": "CITY"}, {"id": "B", "area": "CITY"}, {"id": "C"}]
    with pytest.raises(
        InputError,
        match=r"changes\[0\] site_closed: unknown site 'CITY': it is an area \(A, B\) — give one "
        r"change per site",
    ):
        _entity(sites, "CITY", "site", "changes[0] site_closed")
    with pytest.raises(InputError, match=r"unknown site 'NOPE' \(known: A, B, C\)$"):
        _entity(sites, "NOPE", "site", "changes[0] site_closed")
