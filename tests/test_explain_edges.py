"""Tests suggested by a mutation audit of the infeasibility explanation code (`model.explain`,
`model.explain_words`, `model.conflict_search`, `resolve.diagnose`, `resolve.blame`): each
fails with one hand-made mutant that the suite let through. Meant to live in `tests/`
(it uses that package's helpers and its `tiny_data` fixture)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from scheduler.model import explain as explain_module
from scheduler.solution import Assignment, Status
from tests.conftest import INSTANCES, TINY, problem_of

INFEASIBLE = INSTANCES / "infeasible"

# --- explain.py: the quick verdict before any diagnostic ----------------------------------------


def test_a_hard_rule_search_that_decides_nothing_is_undecided(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No greedy timetable, a probe and a search out of time: not a proof of infeasibility
    (said "proved infeasible" instead of "neither a timetable nor a conflict was found")."""
    problem = Problem.build(load_instance(TINY))
    monkeypatch.setattr(explain_module, "greedy_timetable", lambda p, **k: None)
    monkeypatch.setattr(explain_module, "_hard_rules_probe", lambda built, seconds, workers: None)
    undecided = lambda *a, **k: (None, Status.UNKNOWN, None)  # noqa: E731
    monkeypatch.setattr(explain_module, "find_feasible", undecided)
    assert explain_module.hard_rules_verdict(problem, 2) is None


def test_a_greedy_timetable_that_breaks_a_hard_rule_is_not_whole() -> None:
    """Every session placed is not enough: all on one evening, in one room, breaks rules."""
    problem = Problem.build(load_instance(TINY))
    day = dt.date(2026, 9, 15)
    clash = tuple(Assignment(s.id, day, "TUE-EVE", "M-A") for s in problem.sessions)
    assert len(clash) == len(problem.sessions)
    assert not explain_module._whole(problem, clash)
    assert not explain_module._whole(problem, None)


@pytest.mark.parametrize(
    ("status", "verdict"),
    [(Status.UNKNOWN, None), (Status.INFEASIBLE, False), (Status.FEASIBLE, True)],
)
def test_the_probe_proves_nothing_when_its_search_runs_out(
    monkeypatch: pytest.MonkeyPatch, status: Status, verdict: bool | None
) -> None:
    """The short hard-rule probe out of time (UNKNOWN) was taken for a proof that no
    timetable exists: `explain` would then skip the search that could find one."""
    from scheduler.model.build import build_model

    built = build_model(Problem.build(load_instance(TINY)), with_objective=False)
    monkeypatch.setattr(explain_module, "solve_once", lambda model, options: (None, status, None))
    assert explain_module._hard_rules_probe(built, 1.0, 1) is verdict


def test_a_proof_without_a_conflicting_set_still_gives_where_to_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The diagnostic search proves it infeasible but isolates no set in time: the note says
    so, then where a first placement got stuck (the hint the undecided case gives too)."""
    from ortools.sat.python import cp_model

    from scheduler.model.conflict_search import Core

    problem = Problem.build(load_instance(INFEASIBLE / "window-spacing.yaml"))
    monkeypatch.setattr(explain_module, "preflight", lambda *a, **k: [])
    proved = Core(cp_model.INFEASIBLE, None, exact=True)
    monkeypatch.setattr(explain_module, "first_core", lambda *a, **k: proved)
    result = explain_module.explain(problem, 5.0, known_infeasible=True)
    assert result.feasible is False and not result.core and not result.minimal
    assert result.sentences[0] == (
        "no conflicting set of rules was isolated in time: raise --time-limit"
    )
    assert len(result.sentences) == 2, result.sentences
    assert result.sentences[1].startswith("where to look first (a hint, not a proof)")
    assert "UE3-main" in result.sentences[1]


@pytest.mark.parametrize(("placed", "more"), [(("UE4-main-01",), ""), ((), " and 1 more")])
def test_a_stuck_hint_names_three_series_and_counts_the_rest(
    monkeypatch: pytest.MonkeyPatch, placed: tuple[str, ...], more: str
) -> None:
    """Three series left: all three named, no "0 more"; four: three and "1 more"."""
    problem = Problem.build(load_instance(TINY))
    day = dt.date(2026, 9, 22)
    given = tuple(Assignment(s, day, "TUE-EVE", "N-A") for s in placed)
    monkeypatch.setattr(explain_module, "greedy_timetable", lambda p, **k: given)
    hint = explain_module.stuck_hint(problem)
    assert hint is not None
    assert "0 more" not in hint
    named = "UE1-main (from UE1-main-01), UE2-main (from UE2-main-01)"
    last = "UE3-main (from UE3-main-01)"
    said = f"{named}, {last}{more}" if more else f"{named} and {last}"
    assert f"{said} found no place" in hint, hint


def test_a_conflict_with_no_relaxable_rule_is_a_proof_not_undecided() -> None:
    """Infeasible even with every relaxable rule dropped: "no timetable", with what to check;
    not "could not decide within the time limit"."""
    problem = Problem.build(load_instance(TINY))
    result = explain_module._conflict(problem, [], [], True, {})
    assert result.feasible is False
    assert explain_module.format_lines(result) == [
        "no timetable",
        "  no timetable even with every relaxable rule dropped: check session lengths, "
        "closures and series",
    ]


def test_a_minimal_set_is_said_rule_by_rule_with_its_summary() -> None:
    """Two rules, one not enough alone: that one says so, the other does not; no "relaxing
    any one of these alone still leaves" since relaxing the other is enough; the summary
    closes it."""
    from scheduler.model.rule_groups import RuleGroup

    window, away = RuleGroup("ue_window", "UE1"), RuleGroup("teacher_availability", "T03")
    result = explain_module.Explanation(
        [],
        [window, away],
        ["UE1's window", "T03 away"],
        False,
        summary="UE1 cannot fit",
        enough={window: False, away: True},
    )
    assert explain_module.format_lines(result) == [
        "no timetable: these 2 rules cannot all hold (minimal set; relaxing any one of them "
        "removes this conflict):",
        "  - [ue_window[UE1]] UE1's window (not enough alone: without it, another conflict "
        "remains)",
        "  - [teacher_availability[T03]] T03 away",
        "in short: UE1 cannot fit",
    ]


AREA = (
    "allow another site, or, if the sites are close enough to change between in a day, "
    "give them one `area`"
)
ACCUEIL = "(fixed events: ACCUEIL at NAMUR on 19 Sep 2026)"

# (family, entity) -> the sentence `describe` gives on tiny, edited as in `_edited_tiny`
SENTENCES: dict[tuple[str, str], str] = {
    ("teacher_availability", "V1"): "teacher Claire Roy (V1) is only available 22–26 Sep 2026, "
    "and teaches 2 session slots (UE4: 2) — widen V1's availability",
    ("teacher_availability", "T2"): "teacher Marc Dubois (T2) is unavailable Saturdays, and "
    "teaches 2 session slots (UE2: 2) — widen T2's availability",
    ("teacher_double_booking", "V1"): "teacher Claire Roy (V1) teaches 2 session slots "
    "(UE4: 2) and can be in one session at a time — split or move sessions",
    ("group_double_booking", "COHORT+OPT-B"): "students of COHORT and OPT-B attend 6 session "
    f"slots (UE1: 2, UE3: 2, UE4: 2) and can be in one session at a time {ACCUEIL} — split "
    "or move sessions, or move a fixed event",
    ("group_one_site_per_day", "COHORT+OPT-A"): "students of COHORT and OPT-A attend 6 "
    f"session slots (UE1: 2, UE2: 2, UE4: 2) and must stay at one site a day {ACCUEIL} — {AREA}",
    ("teacher_one_site_per_day", "T1"): "teacher Anne Lambert (T1) teaches 4 session slots "
    f"(UE1: 2, UE4: 2) and must stay at one site a day {ACCUEIL} — {AREA}",
    # the pin to N-A leaves UE1-main-01 that room only
    ("room_double_booking", "N-A"): "room N-A is the only room 1 session slot (UE1: 1) can "
    f"use, and it has 1 slot for them, one at a time {ACCUEIL} — add a room or slots, or lower "
    "the counts",
    ("room_double_booking", "M-B"): "room M-B can be in one session at a time — split or move "
    "sessions",
    ("room_features", "UE1-main"): "UE1-main needs a room with projector — use a better "
    "equipped room",
    ("room_capacity", "UE1-main"): "UE1-main needs a room with 20 seats — use a larger room",
    ("allowed_sites", "UE2"): "UE2 may only use MONS — allow another site",
    ("pin", "UE1-main-01"): "UE1-main-01 is pinned to date 15 Sep 2026, slot TUE-EVE and room "
    "N-A — move or drop the pin",
    ("min_days_between", "UE1-main"): "UE1-main's 2 sessions must be at least 2 days apart, "
    "within 15–26 Sep 2026 (7 teaching slots open; closed: 19 Sep 2026 (SAT-PM, Journée "
    "d'accueil)) — lower min_days_between",
    ("ue_window", "UE4"): "UE4's 1 session must take place in its window 15–26 Sep 2026 "
    "(7 teaching slots open; closed: 19 Sep 2026 (SAT-PM, Journée d'accueil)) — widen the "
    "window",
    ("past", "UE1-main@2026-09-20"): "UE1-main's sessions still to give cannot take place "
    "before 20 Sep 2026, the day this re-solve's instance was re-solved for (`frozen_before`); "
    "only sessions given then are pinned before it — this cannot change: relax another rule",
    ("before_today", "UE1-main@2026-09-20"): "UE1-main's sessions still to give (cancelled ones "
    "included) must take place from 20 Sep 2026 (today) on, and none can move to today — this "
    "cannot change: relax another rule",
    ("teacher_weekly_max", "T1"): "teacher Anne Lambert (T1): at most 1 session slot per week "
    "— raise max_sessions_per_week",
    ("group_weekly_max", "COHORT"): "group COHORT: at most 2 session slots per week — raise "
    "max_sessions_per_week",
    ("room_availability", "M-B"): "room M-B is unavailable Thursdays and 22 Sep 2026 — free "
    "the room",
    ("series_availability", "UE3-main"): "UE3-main's 2 sessions cannot take place Saturdays — "
    "lift some of its unavailability",
}


def _edited_tiny(data: dict[str, Any]) -> Problem:
    """tiny with a full pin, weekly maxima, a room's and a series' unavailability."""
    data["pins"] = [
        {"session": "UE1-main-01", "date": "2026-09-15", "slot": "TUE-EVE", "room": "N-A"}
    ]
    data["teachers"][0]["max_sessions_per_week"] = 1
    data["groups"][0]["max_sessions_per_week"] = 2
    data["sites"][0]["rooms"][1]["unavailable"] = [{"weekday": "thu"}, {"date": "2026-09-22"}]
    data["ues"][2]["sessions"][0]["unavailable"] = [{"weekday": "sat"}]
    return problem_of(data)


@pytest.mark.parametrize("key", sorted(SENTENCES), ids="/".join)
def test_each_rule_group_is_said_with_its_entity_data_and_fix(
    tiny_data: dict[str, Any], key: tuple[str, str]
) -> None:
    """Each family's sentence whole: who, the data that binds (counts in slots, a length-2
    session counting 2; the fixed events a profile or room shares), and what to relax."""
    from scheduler.model.explain_words import describe

    assert describe(_edited_tiny(tiny_data), *key) == SENTENCES[key]


# --- resolve/diagnose.py: sessions a re-solve can no longer place -------------------------------

PUBLISHED = (
    Assignment("U1-main-01", dt.date(2026, 9, 17), "THU", "M1"),
    Assignment("U1-main-02", dt.date(2026, 9, 22), "TUE", "M1"),
    Assignment("U1-main-03", dt.date(2026, 9, 24), "THU", "M1"),
    Assignment("U2-main-01", dt.date(2026, 9, 15), "TUE", "M2"),
    Assignment("U2-main-02", dt.date(2026, 9, 29), "TUE", "M2"),
    Assignment("U3-main-01", dt.date(2026, 9, 15), "TUE", "M1"),
)


def _revised(data: dict[str, Any], changes: dict[str, Any]) -> tuple[Any, Any, Problem]:
    """(revision, changes, its problem) of roomy's `PUBLISHED` timetable."""
    from scheduler.data.instance import Instance
    from scheduler.resolve.apply import revise
    from scheduler.resolve.changes import Changes

    parsed = Changes.model_validate(changes)
    revision = revise(Instance.model_validate(data), PUBLISHED, parsed, "changes.yaml")
    return revision, parsed, Problem.build(revision.instance)


def test_stranded_sessions_name_the_one_change_that_took_their_places() -> None:
    """T1 away from today on strands U1's two sessions to come, and only them (not U1-main-01,
    given before today); the other changes (T2 away, Namur closed one day) take none of the
    places only T1's absence excludes, so they are not named."""
    from scheduler.resolve.diagnose import stranded
    from tests.resolve.support import roomy

    away = {"teacher_unavailable": {"teacher": "T1", "from": "2026-09-20", "to": "2026-10-10"}}
    other = {"teacher_unavailable": {"teacher": "T2", "date": "2026-09-22"}}
    closed = {"site_closed": {"site": "NAMUR", "date": "2026-09-24"}}
    revision, changes, problem = _revised(
        roomy(), {"today": "2026-09-20", "changes": [away, other, closed]}
    )
    assert revision.frozen == {"U1-main-01", "U2-main-01", "U3-main-01"}
    assert stranded(problem, revision, changes) == [
        f"U1-main-0{n} cannot be placed on or after 2026-09-20 (it has not happened yet): no "
        "placement from today on passes every rule; those a single rule excludes: "
        "teacher_availability 26 (e.g. 2026-09-22 TUE, M1: T1 unavailable; of them, 26 by "
        "changes[0] (T1 unavailable from 2026-09-20 to 2026-10-10)) — relax one of these "
        "rules, or take back or narrow changes[0], or give T1's sessions to another teacher "
        "meanwhile (a `teacher_replaced` change)"
        for n in (2, 3)
    ]


def test_the_summary_is_for_one_window_against_its_own_teachers_only(
    tiny_data: dict[str, Any],
) -> None:
    """One window against a visitor who teaches it: summed up, by the visitor's
    `available_only` (the rule that keeps them out of the window), not by a day they are
    also away. Two windows, or a teacher of another UE beside it: no summary."""
    from scheduler.model.explain_words import summary

    tiny_data["teachers"][3]["unavailable"] = [{"date": "2026-09-23"}]  # V1
    tiny_data["ues"][3]["window"] = {"from": "2026-09-15", "to": "2026-09-21"}  # UE4
    problem = problem_of(tiny_data)
    window, visitor = ("ue_window", "UE4"), ("teacher_availability", "V1")
    assert summary(problem, [window, visitor]) == (
        "UE4's 1 session of 2 consecutive slots cannot fit: Claire Roy (V1) is only available "
        "22–26 Sep 2026, UE4's window is 15–21 Sep 2026"
    )
    assert summary(problem, [window, ("ue_window", "UE1"), visitor]) is None
    assert summary(problem, [window, visitor, ("teacher_availability", "T2")]) is None
    # a teacher of the UE without any availability rule: no sentence to make of it (it
    # raised IndexError, out of reach of explain's own sets)
    tiny_data["ues"][3]["teachers"] = ["T3"]
    problem = problem_of(tiny_data)
    assert summary(problem, [window, ("teacher_availability", "T3")]) is None


def test_only_a_fixed_event_a_precedence_orders_is_said_outside_the_calendar(
    tiny_data: dict[str, Any],
) -> None:
    """ACCUEIL, typed a year early, is said beside the precedence that orders it, not beside
    one between two UEs (which was told to "check its date")."""
    from scheduler.model.explain_words import describe

    tiny_data["fixed_events"][0]["dates"] = ["2025-09-19"]
    tiny_data["precedences"] = [
        {"before": "UE1", "after": "UE4"},
        {"before": "UE3", "after": "ACCUEIL"},
    ]
    problem = problem_of(tiny_data)
    assert describe(problem, "precedence", "0") == (
        "precedences[0]: UE1 must end before UE4 starts — drop it, or give the sessions it "
        "orders more slots: a longer calendar, wider windows or fewer sessions"
    )
    assert describe(problem, "precedence", "1") == (
        "precedences[1]: UE3 must end before ACCUEIL starts; fixed event ACCUEIL is on "
        "19 Sep 2025, outside the calendar (15 Sep 2026–26 Sep 2026) — check its date, or drop "
        "or reverse the precedence"
    )


# --- resolve/blame.py: which change a re-solve without a timetable cannot meet ---------------


def _blame_changes() -> Any:
    from scheduler.resolve.changes import Changes

    return Changes.model_validate(
        {
            "today": "2026-09-20",
            "changes": [
                {"teacher_unavailable": {"teacher": "T2", "date": "2026-09-16"}},  # past
                {
                    "teacher_unavailable": {
                        "teacher": "T1",
                        "from": "2026-09-20",
                        "to": "2026-10-10",
                    }
                },
                {"add_sessions": {"ue": "U1", "count": 1}},
                {"teacher_unavailable": {"teacher": "T3", "date": "2026-09-29"}},
            ],
        }
    )


def test_the_change_in_the_way_is_judged_alone_with_the_changes_already_in_effect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """changes[1] is the one in the way; alone, it is judged with changes[0] (before today,
    already in effect), which it cannot be met with: "even alone". A search that decided
    nothing (leaving out changes[3]: UNKNOWN) is not a timetable."""
    from scheduler.model.cpsat import SolveOptions
    from scheduler.resolve import blame

    changes = _blame_changes()
    seen: list[tuple[int, ...]] = []

    def status(revised: Any, kept: Any, options: Any) -> Status:
        ids = tuple(changes.changes.index(c) for c in kept.changes)
        seen.append(ids)
        if ids == (0, 1):  # changes[1] with what is in effect already
            return Status.INFEASIBLE
        if ids == (1,):  # changes[1] without the past one: not what a re-solve would be
            return Status.FEASIBLE
        if 3 not in ids:
            return Status.UNKNOWN
        return Status.INFEASIBLE if 1 in ids else Status.FEASIBLE

    monkeypatch.setattr(blame, "_re_solve_status", status)
    found = blame.changes_in_the_way(lambda c: None, changes, SolveOptions(time_limit=4.0))  # type: ignore[arg-type,return-value]
    assert found == blame.Blame([1], alone=True)
    assert seen[-1] == (0, 1)
    assert blame.blame_lines(changes, found) == [
        "leaving out changes[1] (T1 unavailable from 2026-09-20 to 2026-10-10) alone gives a "
        "timetable: it is the change that cannot be met, even alone"
    ]


def test_a_revision_with_a_pre_flight_error_has_no_timetable_without_a_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pre-flight proves it; changes that make no valid instance have no status."""
    from scheduler.data.findings import Finding
    from scheduler.errors import InputError
    from scheduler.model.cpsat import SolveOptions
    from scheduler.resolve import blame
    from tests.resolve.support import roomy

    revision, changes, _ = _revised(roomy(), {"today": "2026-09-20", "changes": []})
    error = Finding("error", "teacher_weekly_max", ("T1",), "T1 cannot give 3 sessions")
    monkeypatch.setattr(blame, "preflight", lambda problem: [error])

    def no_search(*args: Any) -> Any:
        raise AssertionError("searched")

    monkeypatch.setattr(blame, "solve_once", no_search)
    options = SolveOptions(time_limit=1.0)
    assert blame._re_solve_status(lambda c: revision, changes, options) == Status.INFEASIBLE

    def invalid(c: Any) -> Any:
        raise InputError("changes.yaml: changes[0]: no such teacher")

    assert blame._re_solve_status(invalid, changes, options) is None


def test_a_re_solve_conflict_adds_nothing_new_before_today_for_sessions_to_give(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The explanation of a re-solve searches with one more rule group, "nothing new before
    today", for the sessions still to give only (a session given keeps its place); and an
    explanation with no rule group (none even with every rule dropped) is said as it is,
    not as a search that ran out of time."""
    from scheduler.data.domains import Placement
    from scheduler.model.explain import Explanation
    from scheduler.model.rule_groups import RuleGroup
    from scheduler.resolve import diagnose
    from tests.resolve.support import roomy

    revision, changes, problem = _revised(roomy(), {"today": "2026-09-20", "changes": []})
    base = "no timetable even with every relaxable rule dropped: check session lengths"
    asked: dict[str, Any] = {}

    def explained(p: Problem, budget: float, **kwargs: Any) -> Explanation:
        asked.update(kwargs)
        return Explanation([], [], [base], False)

    monkeypatch.setattr(diagnose, "explain", explained)
    result = type("Result", (), {"status": Status.INFEASIBLE})()
    lines = diagnose.why_no_revision(problem, revision, changes, result, 5.0)  # type: ignore[arg-type]
    assert lines == ["no timetable", f"  {base}"]
    assert asked["known_infeasible"] is True

    def at(session: str, day: dt.date, slot: str) -> Placement:
        s = problem.session[session]
        held = problem.held(s, day, slot)
        assert held is not None
        return Placement(s, held, "M1", "MONS")

    extra = asked["extra"]
    assert extra(at("U1-main-01", dt.date(2026, 9, 17), "THU")) == set()  # given: frozen
    assert extra(at("U1-main-02", dt.date(2026, 9, 17), "THU")) == {
        RuleGroup("before_today", "U1-main@2026-09-20")
    }
    assert extra(at("U1-main-02", dt.date(2026, 9, 29), "TUE")) == set()


# --- conflict_search.py: the diagnostic model ----------------------------------------------------

TWO_SITES = """
name: twosites
timezone: Europe/Brussels
calendar:
  start: 2029-10-02
  end: 2029-10-02
  slots:
    - {id: AM, weekday: tue, start: "09:00", end: "12:00"}
    - {id: PM, weekday: tue, start: "13:00", end: "16:00"}
sites:
  - {id: A, rooms: [{id: RA, capacity: 30}]}
  - {id: B, rooms: [{id: RB, capacity: 30}]}
groups: [{id: G, size: 20}]
teachers: [{id: T1, unavailable: [{date: 2029-10-02}]}, {id: T2}]
ues:
  - {id: U1, teachers: [T1], groups: [G], sessions: [{count: 1}]}
  - {id: U2, teachers: [T2], groups: [G], sessions: [{count: 1}]}
pins:
  - {session: U2-main-01, slot: AM, room: RB}
"""


def test_a_placement_rejected_alike_at_two_sites_is_kept_at_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """T1's one day: every place of U1 is rejected by T1's availability alone. Relaxed, U1
    can go to B in the afternoon, beside U2 pinned there in the morning (the students at one
    site a day). The diagnostic model kept one such place per slot, at site A only, and said
    relaxing T1's availability was "not enough alone"."""
    import yaml

    from scheduler.model.rule_groups import RuleGroup

    monkeypatch.setattr(explain_module, "preflight", lambda *a, **k: [])
    problem = problem_of(yaml.safe_load(TWO_SITES))
    result = explain_module.explain(problem, 10.0, known_infeasible=True, workers=1)
    away = RuleGroup("teacher_availability", "T1")
    assert result.core == [away] and result.minimal
    assert result.enough == {away: True}
    assert not any("not enough alone" in line for line in explain_module.format_lines(result))


def test_a_core_naming_a_literal_that_is_no_assumption_keeps_the_assumptions_only() -> None:
    """With presolve, CP-SAT may name a literal that is not an assumption
    (google/or-tools#5141): it is left out, not a KeyError."""
    from types import SimpleNamespace

    from scheduler.model.conflict_search import Diagnostic

    diagnostic = Diagnostic.build(Problem.build(load_instance(INFEASIBLE / "visitor-window.yaml")))
    assert diagnostic is not None
    enforced = sorted(diagnostic.literals)[:2]
    stray = max(v.index for v in diagnostic.literals.values()) + 1
    named = [diagnostic.literals[enforced[1]].index, stray]
    solver = SimpleNamespace(sufficient_assumptions_for_infeasibility=lambda: named)
    assert diagnostic._core(solver, enforced) == [enforced[1]]  # type: ignore[arg-type]


class _FakeDiagnostic:
    """Stands for a `Diagnostic`: each search's answer given, the calls recorded."""

    def __init__(self, race: tuple[int, list[Any], bool], holds: dict[tuple[str, ...], Any]):
        self.literals: dict[Any, Any] = {}
        self.answers, self.verdicts, self.calls = race, holds, []  # type: ignore[var-annotated]

    def race(self, enforced: list[Any], time_limit: float) -> tuple[int, list[Any], bool]:
        self.calls.append("race")
        return self.answers

    def holds(self, enforced: list[Any], time_limit: float) -> bool | None:
        self.calls.append("holds")
        return self.verdicts.get(tuple(g.entity for g in enforced))

    def solve(self, enforced: list[Any], time_limit: float) -> tuple[int, list[Any]]:
        from ortools.sat.python import cp_model

        self.calls.append("solve")
        return int(cp_model.UNKNOWN), []


def _groups(*names: str) -> list[Any]:
    from scheduler.model.rule_groups import RuleGroup

    return [RuleGroup("teacher_availability", n) for n in names]


def test_a_presolved_set_is_reported_only_once_confirmed() -> None:
    """The presolved search's set, which `holds` cannot decide in time, is no conflict yet:
    the exact search gets the time left, and without its answer no set is reported. An
    exact set needs no confirmation."""
    import time

    from ortools.sat.python import cp_model

    from scheduler.model.conflict_search import Core, first_core

    core = _groups("T1", "T2")
    presolved = _FakeDiagnostic((int(cp_model.INFEASIBLE), core, False), {})  # holds: None
    assert first_core(presolved, time.monotonic() + 5) == Core(  # type: ignore[arg-type]
        int(cp_model.INFEASIBLE), None, exact=True
    )
    exact = _FakeDiagnostic((int(cp_model.INFEASIBLE), core, True), {})
    assert first_core(exact, time.monotonic() + 5) == Core(  # type: ignore[arg-type]
        int(cp_model.INFEASIBLE), core, exact=True
    )
    assert exact.calls == ["race"]


def test_a_set_is_not_called_minimal_when_a_deletion_was_undecided() -> None:
    """Without T1 the search decides nothing: T1 stays, and the set is not proven minimal;
    without T2 it is still infeasible: T2 goes; without T3 a timetable exists: T3 stays."""
    import time

    from scheduler.model.conflict_search import minimal_core

    answers = {("T2", "T3"): None, ("T1", "T3"): False, ("T1",): True}
    d = _FakeDiagnostic((0, [], False), answers)
    found = minimal_core(d, _groups("T1", "T2", "T3"), time.monotonic() + 5, exact=False)  # type: ignore[arg-type]
    assert found == (_groups("T1", "T3"), False)


def test_a_deletion_loop_cut_short_is_not_proven_minimal() -> None:
    """Out of time (or stopped by Ctrl-C) before any deletion: the set as it is, unproven."""
    import time

    from scheduler.model.conflict_search import minimal_core

    d = _FakeDiagnostic((0, [], False), {})
    core = _groups("T1", "T2")
    assert minimal_core(d, core, time.monotonic() - 1, exact=False) == (core, False)  # type: ignore[arg-type]
    stopped = minimal_core(d, core, time.monotonic() + 5, False, lambda: True)  # type: ignore[arg-type]
    assert stopped == (core, False)
    assert d.calls == []


def test_each_group_of_a_set_is_relaxed_alone_with_every_other_group_enforced() -> None:
    """Relaxing T1 alone gives a timetable, relaxing T2 alone does not (another conflict)."""
    import time

    from scheduler.model.conflict_search import enough_alone

    d = _FakeDiagnostic((0, [], False), {("T2", "T3"): True, ("T1", "T3"): False})
    d.literals = {g: None for g in _groups("T1", "T2", "T3")}
    t1, t2, _ = _groups("T1", "T2", "T3")
    assert enough_alone(d, [t1, t2], time.monotonic() + 5) == {t1: True, t2: False}  # type: ignore[arg-type]


def test_only_the_series_own_closure_of_the_cancelled_day_is_said_as_that_day() -> None:
    """U1-main-02, cancelled on 22 Sep when T1 is away that day too: the teacher's rule is
    said in its own words, not as "the day it was cancelled on" (the series' closure is)."""
    from scheduler.data.domains import Placement
    from scheduler.resolve.diagnose import _detail
    from tests.resolve.support import roomy

    data = roomy()
    data["teachers"][0]["unavailable"] = [{"date": "2026-09-22"}]
    revision, _, problem = _revised(
        data, {"today": "2026-09-20", "changes": [{"cancelled": {"session": "U1-main-02"}}]}
    )
    s = problem.session["U1-main-02"]
    held = problem.held(s, dt.date(2026, 9, 22), "TUE")
    assert held is not None
    there = Placement(s, held, "M1", "MONS")
    assert "the day it was cancelled on" in _detail(problem, revision, "series_availability", there)
    teacher = _detail(problem, revision, "teacher_availability", there)
    assert "the day it was cancelled on" not in teacher and "T1" in teacher, teacher
