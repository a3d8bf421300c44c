"""Conflict explanation: each infeasible instance names its culprit, minimally (docs/rules.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from ortools.sat.python import cp_model

from scheduler import squeaky_wheel
from scheduler.cli.explain_cmd import explain as explain_command
from scheduler.data.domains import FILTERS, raw_placements
from scheduler.data.findings import Finding
from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.generate import generate_instance
from scheduler.io.instance_io import load_instance
from scheduler.model import explain as explain_module
from scheduler.model.conflict_search import Core, Diagnostic
from scheduler.model.explain import (
    Explanation,
    RuleGroup,
    explain,
    explain_lines,
    format_lines,
)
from scheduler.model.explain_words import summary
from scheduler.model.rule_groups import rejecting_groups
from tests.conftest import in_temporary_folder

from .conftest import INSTANCES, SAMPLE, TINY, problem_of
from .preflight.support import random_instances, solve_hard

INFEASIBLE = INSTANCES / "infeasible"

# instance -> (the minimal conflicting rule groups, words the explanation must contain)
CASES: dict[str, tuple[set[RuleGroup], list[str]]] = {
    "visitor-window": (
        {RuleGroup("teacher_availability", "V1"), RuleGroup("ue_window", "UE4")},
        [
            "Claire Roy (V1) is only available 25–26 Sep 2026",
            "window 15–24 Sep 2026 (5 teaching slots open; "
            "closed: 19 Sep 2026 (SAT-PM, Journée d'accueil))",
        ],
    ),
    "teacher-unavailable": (
        {RuleGroup("teacher_availability", "T2")},
        ["teacher Marc Dubois (T2) is unavailable Saturdays, Tuesdays and 15–30 Sep 2026"],
    ),
    "window-spacing": (
        {RuleGroup("min_days_between", "UE3-main"), RuleGroup("ue_window", "UE3")},
        ["at least 8 days apart", "window 15–22 Sep 2026 (4 teaching slots open; closed: 19 Sep"],
    ),
    "group-weekly-max": (
        {RuleGroup("group_weekly_max", "COHORT")},
        ["group COHORT: at most 1 session slot per week"],
    ),
    "one-site-per-day": (
        {
            RuleGroup("group_one_site_per_day", "COHORT+OPT-B"),
            RuleGroup("allowed_sites", "UE3"),
            RuleGroup("pin", "UE3-main-02"),
        },
        ["VISITE at NAMUR on 26 Sep 2026", "UE3 may only use MONS", "slot SAT-PM"],
    ),
    "precedence-cycle": (
        {RuleGroup("precedence", "1"), RuleGroup("precedence", "2")},  # as the loader numbers
        # a cycle: reversing one is a way out (a chain too long is not told so, below)
        ["precedences[1]: UE2 must end before UE3 starts — drop or reverse it", "precedences[2]"],
    ),
    "series-unavailable": (
        {RuleGroup("series_availability", "UE2-main")},
        [
            "UE2-main's 2 sessions cannot take place Tuesdays, Thursdays (slot THU-EVE) and Saturdays"
        ],
    ),
    "teacher-and-cohort": (
        {
            RuleGroup("group_double_booking", "COHORT+OPT-A"),
            RuleGroup("group_double_booking", "COHORT+OPT-B"),
            RuleGroup("teacher_double_booking", "T2"),
        },
        ["teacher Marc Dubois (T2) teaches 4 session slots (UE2: 2, UE3: 2)"],
    ),
    "pin-unavailable": (
        {RuleGroup("pin", "UE2-main-01"), RuleGroup("teacher_availability", "T2")},
        ["UE2-main-01 is pinned to date 17 Sep 2026", "unavailable Saturdays and 17 Sep 2026"],
    ),
}


def _problem(path: Path) -> Problem:
    return Problem.build(load_instance(path))


def test_every_infeasible_instance_is_covered() -> None:
    assert {p.stem for p in INFEASIBLE.glob("*.yaml")} == set(CASES)
    assert len(CASES) >= 6


@pytest.mark.parametrize("name", sorted(CASES))
def test_explanation_names_the_culprit(name: str) -> None:
    expected, words = CASES[name]
    result = explain(_problem(INFEASIBLE / f"{name}.yaml"), time_limit=20)
    assert result.feasible is False
    assert result.minimal
    assert set(result.core) == expected
    text = "\n".join(result.sentences)
    for word in words:
        assert word in text
    for group in result.core:
        named = group.entity.split("+") if group.family != "precedence" else ["precedence"]
        assert all(part in text for part in named)


@pytest.mark.parametrize("name", sorted(CASES))
def test_explanation_is_minimal(name: str) -> None:
    """The core alone conflicts; dropping any one of its groups (all others kept) is feasible."""
    problem = _problem(INFEASIBLE / f"{name}.yaml")
    core = explain(problem, time_limit=20).core
    diagnostic = Diagnostic.build(problem)
    status, _ = diagnostic.solve(core, 10)
    assert diagnostic.solve(sorted(diagnostic.literals), 10)[1]  # everything: infeasible
    assert status == 3  # cp_model.INFEASIBLE
    for group in core:
        assert diagnostic.feasible_without(group) is True, group


@pytest.mark.parametrize("last", [True, False])
def test_a_precedence_with_a_fixed_event_is_named_by_its_index(
    tiny_data: dict[str, Any], last: bool
) -> None:
    """The domain's rule groups numbered precedences from 1 while the model and the words
    use the loader's index: the last one crashed explain (IndexError), another was blamed
    on its neighbour (a review)."""
    culprit = {"before": "UE4", "after": "ACCUEIL"}  # UE4 cannot end before the welcome day
    other = {"before": "UE1", "after": "UE4"}
    tiny_data["precedences"] = [other, culprit] if last else [culprit, other]
    index = 1 if last else 0
    result = explain(problem_of(tiny_data), time_limit=20)
    assert result.feasible is False
    assert RuleGroup("precedence", str(index)) in result.core
    assert f"precedences[{index}]: UE4 must end before ACCUEIL starts" in "\n".join(
        result.sentences
    )


def test_a_precedence_with_an_event_outside_the_calendar_says_to_check_its_date(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's seminar day typed a year early: nothing can come before it, and the
    precedence alone was blamed ("drop or reverse it")."""
    tiny_data["fixed_events"][0]["dates"] = ["2025-09-19"]
    tiny_data["precedences"] = [{"before": "UE3", "after": "ACCUEIL"}]
    result = explain(problem_of(tiny_data), time_limit=20)
    assert result.feasible is False
    text = "\n".join(result.sentences)
    assert (
        "precedences[0]: UE3 must end before ACCUEIL starts; fixed event ACCUEIL is on "
        "19 Sep 2025, outside the calendar (15 Sep 2026–26 Sep 2026) — check its date, or drop "
        "or reverse the precedence" in text
    )


def test_a_chain_of_precedences_too_long_is_not_told_to_reverse(
    tiny_data: dict[str, Any],
) -> None:
    """The explain audit's INTRO -> METH -> PROJ, 9 sessions for 8 evenings, was told to
    "drop or reverse" each precedence: reversed, they order as many sessions. A cycle is
    (the precedence-cycle case above)."""
    tiny_data["pins"] = []
    tiny_data["ues"] = [u for u in tiny_data["ues"] if u["id"] != "UE4"]
    for ue in tiny_data["ues"]:
        if ue["id"] in ("UE2", "UE3"):
            ue["sessions"] = [{"count": 3}]  # 8 sessions in sequence, 7 slots
    tiny_data["precedences"] = [
        {"before": "UE2", "after": "UE3"},
        {"before": "UE3", "after": "UE1"},
    ]
    result = explain(problem_of(tiny_data), time_limit=20)
    assert result.feasible is False
    assert result.sentences == [
        f"precedences[{i}]: {a} must end before {b} starts — drop it, or give the sessions it "
        "orders more slots: a longer calendar, wider windows or fewer sessions"
        for i, (a, b) in enumerate((("UE2", "UE3"), ("UE3", "UE1")))
    ]


def test_a_room_no_other_can_replace_is_said_with_its_numbers(tiny_data: dict[str, Any]) -> None:
    """The explain audit's one-room programme read "room R1 can be in one session at a time
    — split or move sessions": no numbers, and moving cannot help."""
    tiny_data["pins"], tiny_data["precedences"] = [], []
    tiny_data["ues"] = [u for u in tiny_data["ues"] if u["id"] in ("UE2", "UE3")]
    for ue in tiny_data["ues"]:  # both only in MONS's projector room, M-A
        ue["sites"], ue["sessions"] = ["MONS"], [{"count": 4, "room_features": ["projector"]}]
    result = explain(problem_of(tiny_data), time_limit=20)
    assert result.feasible is False
    assert (
        "room M-A is the only room 8 session slots (UE2: 4, UE3: 4) can use, and it has 6 slots "
        "for them, one at a time — add a room or slots, or lower the counts"
    ) in result.sentences


def test_window_against_availability_summary() -> None:
    result = explain(_problem(INFEASIBLE / "visitor-window.yaml"), time_limit=20)
    assert result.summary == (
        "UE4's 1 session cannot fit: Claire Roy (V1) is only available 25–26 Sep 2026, "
        "UE4's window is 15–24 Sep 2026"
    )


def test_only_a_window_against_its_own_teachers_is_summed_up() -> None:
    """An audit's minimal set of UE5's window, a visitor who teaches UE4 only and the
    students' one-at-a-time rule read "in short: UE5's 1 session cannot fit: Claire Roy (V1)
    is only available ...": neither a teacher of another UE nor a set with other rules is
    summed up so."""
    problem = _problem(INFEASIBLE / "visitor-window.yaml")
    window, visitor = ("ue_window", "UE4"), ("teacher_availability", "V1")
    assert summary(problem, [window, visitor]) is not None
    assert summary(problem, [("ue_window", "UE1"), visitor]) is None  # V1 teaches UE4 only
    assert summary(problem, [window, visitor, ("group_double_booking", "COHORT")]) is None


def test_the_summary_says_a_length_only_when_every_session_has_it(
    tiny_data: dict[str, Any],
) -> None:
    """A UE with a series of two slots and one of one: "UE4's 3 sessions of 2 consecutive
    slots" was said of all three (a review)."""
    ue4 = next(u for u in tiny_data["ues"] if u["id"] == "UE4")
    ue4["sessions"] = [{"count": 1, "length": 2}, {"series": "short", "count": 2}]
    ue4["window"] = {"from": "2026-09-15", "to": "2026-09-24"}
    next(t for t in tiny_data["teachers"] if t["id"] == "V1")["available_only"] = [
        {"from": "2026-09-25", "to": "2026-09-26"}
    ]
    line = summary(problem_of(tiny_data), [("ue_window", "UE4"), ("teacher_availability", "V1")])
    assert line is not None and line.startswith("UE4's 3 sessions cannot fit:"), line


def test_feasible_instance_has_no_conflict() -> None:
    result = explain(_problem(TINY), time_limit=20)
    assert result.feasible is True
    assert result.core == []
    assert explain_lines(_problem(TINY), 20) == ["a timetable respecting every hard rule exists"]


@pytest.mark.parametrize("path", [TINY, *sorted(INFEASIBLE.glob("*.yaml"))], ids=lambda p: p.stem)
def test_rule_groups_agree_with_domain_filters(path: Path) -> None:
    """A placement is rejected by some rule group exactly when a domain filter rejects it."""
    problem = _problem(path)
    for session in problem.sessions:
        for c in raw_placements(problem, session):
            allowed = all(f(problem, c) for _, f in FILTERS)
            assert allowed == (not rejecting_groups(problem, c)), (c.session.id, c.start.key)


def test_cli_explains_and_exits_1_when_infeasible() -> None:
    path = INFEASIBLE / "visitor-window.yaml"
    out = CliRunner().invoke(explain_command, [str(path), "--time-limit", "20"])
    assert out.exit_code == 1, out.output
    assert "[ue_window[UE4]]" in out.output
    assert "Claire Roy (V1) is only available 25–26 Sep 2026" in out.output


def test_cli_exits_0_when_a_timetable_exists() -> None:
    out = CliRunner().invoke(explain_command, [str(TINY)])
    assert out.exit_code == 0, out.output
    assert "a timetable respecting every hard rule exists" in out.output


def test_cli_exits_2_on_bad_input() -> None:
    runner = CliRunner()
    with in_temporary_folder():
        Path("bad.yaml").write_text("name: x\ncalendar: {}\n", encoding="utf-8")
        out = runner.invoke(explain_command, ["bad.yaml"])
        assert out.exit_code == 2, out.output
        assert "bad.yaml" in out.output
        assert runner.invoke(explain_command, ["missing.yaml"]).exit_code == 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_instances())
def test_diagnostic_model_agrees_with_the_model(data: dict[str, Any]) -> None:
    """Rule groups reject what the domain filters reject, and with every group enforced the
    diagnostic model is feasible exactly when the ordinary hard-rule model is."""
    problem = problem_of(data)
    for session in problem.sessions:
        for c in raw_placements(problem, session):
            allowed = all(f(problem, c) for _, f in FILTERS)
            assert allowed == (not rejecting_groups(problem, c)), (c.session.id, c.start.key)
    diagnostic = Diagnostic.build(problem)
    status, _ = diagnostic.solve(sorted(diagnostic.literals), 10)
    assert (status == 3) == (solve_hard(problem) == 3)


def test_after_pre_flight_errors_the_conflict_search_is_short_and_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sample with T01 teaching at most once a week: UE1 needs 12 weeks in a window of 10
    usable ones. The pre-flight check proves and explains it; the search for a conflicting set
    gets a short budget and, when it runs out, adds no confusing "could not decide" line."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    next(t for t in data["teachers"] if t["id"] == "T01")["max_sessions_per_week"] = 1
    problem = Problem.build(Instance.model_validate(data))
    monkeypatch.setattr(explain_module, "ERRORS_DETAIL_SECONDS", 0.01)
    lines = explain_lines(problem, 60.0, known_infeasible=True)
    assert lines == [
        "pre-flight error: [teacher_weekly_max] teacher Anne Lambert (T01) may teach at most 1 "
        "session slot a week (max_sessions_per_week), but each session of UE5-journee (2 slots) "
        "and UE5-cloture (2 slots) lasts longer: none can be placed — raise max_sessions_per_week "
        "or shorten those sessions",
        "pre-flight error: [teacher_weekly_max] teacher Anne Lambert (T01) must give 12 session slots in "
        "15 Sep–28 Nov 2026 (UE1-main) but the weekly maximum leaves 10 — raise max_sessions_per_week, widen the windows "
        "or lower the counts",
        "no timetable (see the pre-flight errors)",
    ]


def test_pre_flight_warnings_are_not_given_as_the_reason() -> None:
    """An audit's instance with five warnings (events in a room on its closed weekdays) and no
    set isolated in time read "no timetable (see the pre-flight errors)": there were none."""
    warning = Finding("warning", "room_availability", ("N-S01",), "N-S01 is closed on Tuesdays")
    note = "proved infeasible, but no conflicting set of rules was isolated within 30 s"
    undecided = Explanation([warning], [], [note], False, minimal=False)
    assert format_lines(undecided) == [
        "pre-flight warning: [room_availability] N-S01 is closed on Tuesdays",
        "no timetable",
        f"  {note}",
    ]
    error = Finding("error", "teacher_weekly_max", ("T01",), "T01 cannot give 12 sessions")
    with_error = Explanation([warning, error], [], [], False)
    assert format_lines(with_error)[-1] == "no timetable (see the pre-flight errors)"


def test_pre_flight_findings_are_told_before_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """An audit waited 10-16 s for pre-flight errors found in half a second: `explain` hands
    them over first, and the command prints them once, before the rest."""
    events: list[str] = []
    real_build = explain_module.Diagnostic.build

    def build(problem: Problem, extra: Any = None, deadline: Any = None, workers: int = 2) -> Any:
        events.append("search")
        return real_build(problem, extra, deadline, workers)

    monkeypatch.setattr(explain_module.Diagnostic, "build", build)
    path = INFEASIBLE / "visitor-window.yaml"
    told = lambda findings: events.extend(finding.rule for finding in findings)  # noqa: E731
    result = explain(_problem(path), 20, on_findings=told)
    assert events == [*(f.rule for f in result.findings), "search"] and result.findings
    out = CliRunner().invoke(explain_command, [str(path)])
    lines = out.output.splitlines()
    first = [line for line in lines if line.startswith("pre-flight")]
    assert lines[: len(first)] == first and len(first) == len(result.findings)


def test_a_feasible_sample_is_confirmed_within_a_short_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The greedy constructor's timetable, accepted by the checker, confirms it: a plain
    CP-SAT search of the sample took more than 10 s (explain said it could not decide)."""

    def no_search(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the greedy timetable should have settled it")

    monkeypatch.setattr(explain_module, "build_model", no_search)
    result = explain(Problem.build(load_instance(SAMPLE)), time_limit=3.0)
    assert result.feasible is True


def test_extra_rule_groups_join_the_conflict(tiny_data: dict[str, Any]) -> None:
    """A re-solve's "nothing new before today" is not in the instance: given as `extra`,
    it is a rule group like the others, in the conflict and in words."""
    problem = problem_of(tiny_data)
    series = problem.sessions[0].series_id
    tag = f"{series}@2099-01-01"

    def before_today(c: Any) -> set[RuleGroup]:  # every placement is "before today"
        return {RuleGroup("before_today", tag)} if c.session.series_id == series else set()

    result = explain(problem, 20.0, known_infeasible=True, extra=before_today)
    assert result.feasible is False
    assert RuleGroup("before_today", tag) in result.core
    assert result.findings == []  # the instance-level pre-flight would ignore the extra rule
    sentence = result.sentences[result.core.index(RuleGroup("before_today", tag))]
    assert sentence.startswith(f"{series}'s sessions still to give") and "1 Jan 2099" in sentence


def _exact_search_gives_up(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Stop the exact core search (assumptions, no presolve) before it searches, as when it
    cannot end (a month-long teacher absence in a re-solve of the sample: unknown after 60 s);
    returns the (status, exact) of each race, as they come."""
    real_solver, real_race = Diagnostic._solver, Diagnostic.race
    races: list[tuple[int, bool]] = []

    def gives_up(self: Diagnostic, time_limit: float, presolve: bool) -> Any:
        solver = real_solver(self, time_limit, presolve)
        if not presolve:
            solver.parameters.stop_after_presolve = True  # no search: UNKNOWN
        return solver

    def recorded(self: Diagnostic, enforced: list[RuleGroup], time_limit: float) -> Any:
        status, core, exact = real_race(self, enforced, time_limit)
        races.append((status, exact))
        return status, core, exact

    monkeypatch.setattr(Diagnostic, "_solver", gives_up)
    monkeypatch.setattr(Diagnostic, "race", recorded)
    return races


@pytest.mark.parametrize("name", sorted(CASES))
def test_when_the_exact_search_cannot_decide_the_presolved_one_finds_the_conflict(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race's presolved search, confirmed by `holds`, and a deletion by `holds` give the
    same minimal conflict as the exact search."""
    problem = _problem(INFEASIBLE / f"{name}.yaml")
    expected = explain(problem, time_limit=20).core
    races = _exact_search_gives_up(monkeypatch)
    result = explain(problem, time_limit=20)
    assert races == [(3, False)]  # cp_model.INFEASIBLE, decided by the presolved search
    assert result.feasible is False
    assert set(result.core) == set(expected) == CASES[name][0]
    assert result.minimal


def test_a_presolved_set_that_does_not_hold_up_is_not_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CP-SAT's cores under presolve may be wrong (google/or-tools#5141): one that `holds`
    does not confirm is dropped, and without another the explanation says so."""
    problem = _problem(INFEASIBLE / "window-spacing.yaml")
    _exact_search_gives_up(monkeypatch)
    monkeypatch.setattr(Diagnostic, "holds", lambda self, enforced, time_limit: True)
    result = explain(problem, time_limit=20, capped=False)  # a limit the user asked for
    assert result.feasible is False and result.core == [] and not result.minimal
    assert result.sentences == [
        "the pre-flight errors prove it; no conflicting set of rules was isolated in 20 s to "
        "add to them (raise --time-limit for one)"
    ]
    # at the default budget beside pre-flight errors: quiet, as when it decides nothing
    # (the explain audit got "raise --time-limit" in one case and nothing in the other)
    assert explain(problem, time_limit=20).sentences == []


def test_beside_pre_flight_errors_an_undecided_search_is_said_as_one_that_found_no_set() -> None:
    """With a limit the user asked for, a search that decided nothing said nothing, where
    one that found no set said "raise --time-limit" (the explain audit's two instances)."""
    error = Finding("error", "teacher_weekly_max", ("T01",), "T01 cannot give 12 sessions")
    said = explain_module._undecided([error], True, False, False, 20.0, "raise --time-limit")
    assert said.feasible is False and said.sentences == [
        "the pre-flight errors prove it; no conflicting set of rules was isolated in 20 s to "
        "add to them (raise --time-limit for one)"
    ]
    quiet = explain_module._undecided([error], True, False, False, 3.0, "raise --time-limit", True)
    assert quiet.sentences == []


def test_holds_decides_a_set_of_groups_with_presolve() -> None:
    problem = _problem(INFEASIBLE / "window-spacing.yaml")
    diagnostic = Diagnostic.build(problem)
    core = sorted(CASES["window-spacing"][0])
    assert diagnostic.holds(core, 10) is False
    assert diagnostic.holds(core[:1], 10) is True
    assert diagnostic.holds(sorted(diagnostic.literals), 10) is False


def test_a_proved_infeasible_instance_is_never_called_undecided(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`solve` proved it infeasible (status INFEASIBLE), then printed "could not decide within
    the time limit whether a timetable exists" when no conflicting set came in time."""
    problem = _problem(INFEASIBLE / "window-spacing.yaml")
    monkeypatch.setattr(explain_module, "preflight", lambda *a, **k: [])
    undecided = Core(cp_model.UNKNOWN, None, False)
    monkeypatch.setattr(explain_module, "first_core", lambda *a, **k: undecided)
    lines = explain_lines(problem, 5.0, known_infeasible=True)
    assert not any("could not decide" in line for line in lines)
    assert lines[-3:-1] == [
        "no timetable",
        "  proved infeasible, but no conflicting set of rules was isolated within 5 s: run "
        "`scheduler explain` with a longer --time-limit",
    ]
    # then where a first placement got stuck, as a hint (an audit's 212 sessions: nothing)
    assert lines[-1].startswith("  where to look first (a hint, not a proof): placed one series")
    proved = explain_lines(problem, 5.0)  # the quick hard-rule search proves it itself
    assert proved[-2].endswith("isolated within 5 s: raise --time-limit")
    assert proved[-1].endswith(  # one series or several, as the first placement got stuck
        (
            "check their windows, teachers, rooms and pins against the sessions they share them "
            "with",
            "check its window, teachers, rooms and pins against the sessions it shares them with",
        )
    ), proved[-1]
    assert "UE3-main" in proved[-1]  # the series whose spacing cannot fit its window
    monkeypatch.setattr(explain_module, "hard_rules_verdict", lambda *a, **k: None)
    unknown = explain_lines(problem, 5.0)  # without any proof: undecided, as before
    assert "could not decide within the time limit whether a timetable exists" in unknown


def test_a_set_not_proven_minimal_does_not_promise_that_each_rule_matters() -> None:
    """'small (not proven minimal) set; relaxing any one of them removes this conflict' was
    false for a set holding a rule that could not matter (an audit case: T03 away in
    February, beside sessions all due by November)."""
    core = [RuleGroup("ue_window", "UE1"), RuleGroup("teacher_availability", "T03")]
    sentences = ["UE1's window", "T03 away"]
    loose = explain_module.Explanation([], core, sentences, False, minimal=False)
    assert loose and "relaxing any one" not in explain_module.format_lines(loose)[0]
    assert (
        "not proven minimal: some of them may not matter" in explain_module.format_lines(loose)[0]
    )
    tight = explain_module.Explanation([], core, sentences, False, minimal=True)
    assert "minimal set; relaxing any one of them removes" in explain_module.format_lines(tight)[0]


def test_only_a_minimal_set_is_summed_up_in_short(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 'in short' line reads the set as the cause; for a set not proven minimal it summed
    up rules that did not matter. The visitor's window case, minimal, keeps its line."""
    problem = _problem(INFEASIBLE / "visitor-window.yaml")
    monkeypatch.setattr(explain_module, "preflight", lambda *a, **k: [])
    minimal = explain_lines(problem, 10.0, known_infeasible=True)
    assert any(line.startswith("in short: UE4's 1 session cannot fit") for line in minimal)
    real = explain_module.minimal_core
    monkeypatch.setattr(explain_module, "minimal_core", lambda *a, **k: (real(*a, **k)[0], False))
    loose = explain_lines(problem, 10.0, known_infeasible=True)
    assert not any(line.startswith("in short") for line in loose)


def test_a_window_names_the_closures_inside_it(tiny_data: dict[str, Any]) -> None:
    """A window too short because of a closure named the window only (an audit's lab week:
    14 Oct afternoon closed for an open day). Whole closed days carry no slot ids; a reason
    closing more than three dates is one span; past four reasons, a count."""
    from scheduler.data.instance_calendar import Window
    from scheduler.data.words import open_and_closed

    tiny_data["pins"] = []
    tiny_data["calendar"]["closures"] += [
        {"from": "2026-09-22", "to": "2026-09-24", "reason": "Grève"},
        {"date": "2026-09-15", "reason": "Accueil"},
    ]
    problem = problem_of(tiny_data)
    window = Window.model_validate({"from": "2026-09-15", "to": "2026-09-20"})
    assert open_and_closed(window, problem) == (
        "2 teaching slots open; closed: 15 Sep 2026 (Accueil); "
        "19 Sep 2026 (SAT-PM, Journée d'accueil)"
    )
    assert open_and_closed(None, problem) == (
        "4 teaching slots open; closed: 15 Sep 2026 (Accueil); "
        "19 Sep 2026 (SAT-PM, Journée d'accueil); 22 Sep 2026 (Grève); 24 Sep 2026 (Grève)"
    )
    tiny_data["calendar"]["closures"] = [
        {"date": f"2026-09-{d}", "reason": "Travaux"} for d in (17, 24, 26)
    ] + [{"from": "2026-09-15", "to": "2026-09-22", "slots": ["TUE-EVE"], "reason": "Mardis"}]
    assert open_and_closed(None, problem_of(tiny_data)) == (
        "2 teaching slots open; closed: 15 Sep 2026 (Mardis); 22 Sep 2026 (Mardis); "
        "17 Sep 2026 (Travaux); 24 Sep 2026 (Travaux); 1 more"
    )
    tiny_data["calendar"]["closures"].append({"date": "2026-09-19", "reason": "Travaux"})
    assert open_and_closed(None, problem_of(tiny_data)) == (
        "0 teaching slots open; closed: 15 Sep 2026 (Mardis); 22 Sep 2026 (Mardis); "
        "17–26 Sep 2026 (Travaux, 4 dates)"
    )


def test_the_hard_rule_model_tells_feasible_infeasible_or_undecided() -> None:
    assert explain_module.hard_rules_verdict(Problem.build(load_instance(TINY)), 5) is True
    weekly = INSTANCES / "infeasible" / "group-weekly-max.yaml"
    assert explain_module.hard_rules_verdict(Problem.build(load_instance(weekly)), 5) is False


def test_a_conflict_is_proved_before_the_repair_spends_its_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An audit's 42 sessions with no timetable: the repair of the greedy's partial
    timetable failed after 6.6 s of `explain`'s 15, where the hard-rule search proved the
    conflict in 1.2 s. The search now comes first, for a short while."""
    from scheduler.model import first_timetable, greedy_finish

    problem = Problem.build(load_instance(INFEASIBLE / "group-weekly-max.yaml"))
    partial = first_timetable.greedy_timetable(problem, partial=True)
    assert partial is not None and len(partial) < len(problem.sessions)
    repairs: list[int] = []
    failed = lambda *a, **k: (repairs.append(1), (None, 0.0))[1]  # noqa: E731
    monkeypatch.setattr(first_timetable, "local_repair", failed)
    monkeypatch.setattr(greedy_finish, "local_repair", failed)
    assert explain_module.hard_rules_verdict(problem, 15) is False
    assert not repairs


def test_a_timetable_the_greedy_misses_is_found_by_solves_first_phase(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`explain` ran a plain search where `solve` repairs the greedy's partial timetable
    first: an audit's 166 sessions were undecided in 30 s, solved in 12 s."""
    from scheduler.model import first_timetable, greedy_finish

    problem = Problem.build(load_instance(TINY))
    partial = first_timetable.greedy_timetable(problem, partial=True)
    assert partial is not None
    monkeypatch.setattr(explain_module, "greedy_timetable", lambda p, **k: partial[1:])
    monkeypatch.setattr(squeaky_wheel, "greedy_timetable", lambda p, **k: partial[1:])
    # the short hard-rule search before the repair decides tiny at once: as on a large
    # instance, it leaves the question open here
    monkeypatch.setattr(explain_module, "_hard_rules_probe", lambda built, seconds, workers: None)
    repairs: list[int] = []
    real_local = greedy_finish.local_repair

    def counted(*args: Any, **kwargs: Any) -> Any:
        repairs.append(1)
        return real_local(*args, **kwargs)

    monkeypatch.setattr(first_timetable, "local_repair", counted)

    def counted_local(*args: Any, **kwargs: Any) -> Any:
        repairs.append(2)
        return real_local(*args, **kwargs)

    monkeypatch.setattr(greedy_finish, "local_repair", counted_local)
    assert explain_module.hard_rules_verdict(problem, 5) is True
    # the greedy's one missing session was repaired, as `solve` does: first in a small model
    assert repairs[:1] == [2]


def test_an_infeasibility_the_hard_rule_model_proves_is_said_without_its_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An audit's 112-session programme: `solve` proved it infeasible in 20 s, `explain` said
    'could not decide' for 4 minutes, since its diagnostic model decided nothing in time. The
    hard-rule model's proof now stands, with the advice for the missing why."""
    monkeypatch.setattr(explain_module, "hard_rules_verdict", lambda problem, limit, workers: False)
    undecided = Core(cp_model.UNKNOWN, None, exact=False)
    monkeypatch.setattr(explain_module, "first_core", lambda d, deadline: undecided)
    result = explain(Problem.build(load_instance(TINY)), time_limit=5)
    assert result.feasible is False and not result.core
    assert result.sentences == [
        "proved infeasible, but no conflicting set of rules was isolated within 5 s: raise "
        "--time-limit"
    ]
    assert "could not decide" not in "\n".join(explain_lines(Problem.build(load_instance(TINY)), 5))


def test_one_at_a_time_with_fixed_events_says_an_event_may_move() -> None:
    """T1 gives the welcome morning (a fixed event): their "one session at a time" names it
    and says moving it is a way out (an audit's STAGE day was left at "split or move
    sessions"); T2, at no event, is not told to move one."""
    from scheduler.model.explain_words import describe

    problem = _problem(TINY)
    with_event = describe(problem, "teacher_double_booking", "T1")
    assert "(fixed events: ACCUEIL at NAMUR on 19 Sep 2026)" in with_event
    assert with_event.endswith(" — split or move sessions, or move a fixed event")
    assert describe(problem, "teacher_double_booking", "T2").endswith(" — split or move sessions")


@pytest.mark.parametrize("family", ["teacher_weekly_max", "teacher_double_booking"])
def test_a_teacher_is_named_as_people_know_them(family: str) -> None:
    """These said 'teacher T1' where teacher_availability and the pre-flight say 'teacher
    Anne Lambert (T1)' (an exploratory fuzz)."""
    from scheduler.model.explain_words import describe

    assert describe(_problem(TINY), family, "T1").startswith("teacher Anne Lambert (T1)")


def test_after_pre_flight_errors_a_long_build_gives_up_within_the_detail_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An audit: after pre-flight errors found in a second, the diagnostic model's build for
    the detail search took a minute and 1.7 GiB on 587 sessions. It now counts against the
    detail's seconds: past them, the errors alone are said."""
    monkeypatch.setattr(explain_module, "ERRORS_DETAIL_SECONDS", 0.0)
    searched: list[object] = []
    real_first_core = explain_module.first_core
    monkeypatch.setattr(
        explain_module, "first_core", lambda *a: searched.append(a) or real_first_core(*a)
    )
    path = INFEASIBLE / "visitor-window.yaml"
    result = explain(_problem(path), 20)
    assert any(f.severity == "error" for f in result.findings)
    assert result.core == [] and result.sentences == [] and result.feasible is False
    assert searched == []  # the build gave up: no search on a model half built


def test_the_diagnostic_build_stops_at_its_deadline() -> None:
    """An audit: explain ran 33 s past a 60 s limit on 587 sessions, building the model; a
    build past its deadline gives up (None), one without a deadline completes."""
    import time

    problem = _problem(INFEASIBLE / "visitor-window.yaml")
    assert Diagnostic.build(problem, None, time.monotonic() - 1.0) is None
    assert Diagnostic.build(problem) is not None


OFF_SITE = """
name: offsite
timezone: Europe/Brussels
calendar:
  start: 2029-10-01
  end: 2029-10-12
  slots:
    - {id: MON-AM, weekday: mon, start: "09:00", end: "12:00"}
    - {id: MON-PM, weekday: mon, start: "13:00", end: "16:00"}
    - {id: THU-PM, weekday: thu, start: "13:00", end: "16:00"}
sites:
  - {id: CAMPUS, name: Campus, rooms: [{id: R, name: Room, capacity: 30}]}
  - {id: MUSEUM, name: Museum, rooms: []}
groups: [{id: G, name: Cohort, size: 20}]
teachers: [{id: T, name: Teacher, home_site: CAMPUS}]
ues:
  - {id: U, title: Course, teachers: [T], groups: [G], sessions: [{count: 4}]}
fixed_events:
  - {id: VISIT, title: Visit, site: MUSEUM, dates: [2029-10-01, 2029-10-04], start: "09:00",
     end: "11:00", groups: [G], teachers: [T]}
"""


def test_a_conflict_whose_relaxation_is_not_enough_alone_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The students and their teacher both go to the museum on the days of the visit, and
    must stay at one site a day: relaxing the students' rule alone leaves the teacher's (an
    audit: 'relax it' was said of a rule whose relaxation changed nothing)."""
    monkeypatch.setattr(explain_module, "preflight", lambda *a, **k: [])
    problem = problem_of(yaml.safe_load(OFF_SITE))
    result = explain_module.explain(problem, 20.0, known_infeasible=True)
    assert len(result.core) == 1 and result.enough == {result.core[0]: False}, result
    lines = explain_module.format_lines(result)
    assert "(not enough alone: without it, another conflict remains)" in lines[1]
    assert lines[-1].startswith("relaxing it alone still leaves no timetable")


def test_a_conflict_whose_relaxation_is_enough_says_nothing_more() -> None:
    core = [RuleGroup("ue_window", "UE1"), RuleGroup("teacher_availability", "T03")]
    result = explain_module.Explanation(
        [], core, ["UE1's window", "T03 away"], False, enough={core[0]: True, core[1]: None}
    )
    lines = explain_module.format_lines(result)
    assert not any("not enough alone" in line or "still leaves" in line for line in lines)


def test_a_time_limit_given_to_explain_is_used_after_pre_flight_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An audit: `explain --time-limit 120` stopped at 4.5 s (the detail search's cap after
    pre-flight errors) with a set "not proven minimal" and the advice of a longer limit. A
    limit given is the search's; the default keeps the cap (here none at all)."""
    monkeypatch.setattr(explain_module, "ERRORS_DETAIL_SECONDS", 0.0)
    path = str(INFEASIBLE / "visitor-window.yaml")
    capped = CliRunner().invoke(explain_command, [path])
    assert capped.exit_code == 1 and "pre-flight error" in capped.output
    assert "cannot all hold" not in capped.output
    asked = CliRunner().invoke(explain_command, [path, "--time-limit", "30"])
    assert asked.exit_code == 1
    assert "no timetable: these 2 rules cannot all hold (minimal set" in asked.output


def test_a_timetable_the_greedy_s_restarts_find_is_decided_without_a_repair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`explain` of a 561-session feasible instance was undecided in 30 s: its first greedy
    left 5 sessions out, which `solve`'s restarts place (the 6th run). Here a 63-session
    instance whose first greedy leaves 2 out: the restarts decide it, before any repair."""
    from scheduler.model import first_timetable, greedy_finish

    problem = Problem.build(generate_instance(1, 2, tightness=0.8, weeks=20, sites=1))
    first = first_timetable.greedy_timetable(problem, partial=True)
    assert first is not None and len(first) < len(problem.sessions)
    monkeypatch.setattr(explain_module, "_hard_rules_probe", lambda built, seconds, workers: None)
    repairs: list[int] = []
    failed = lambda *a, **k: (repairs.append(1), (None, 0.0))[1]  # noqa: E731
    monkeypatch.setattr(first_timetable, "local_repair", failed)
    monkeypatch.setattr(greedy_finish, "local_repair", failed)
    assert explain_module.hard_rules_verdict(problem, 30) is True
    assert not repairs


def _solves_at_once(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], set[int]]:
    """Record, at each CP-SAT solve the explanation starts, how many of its solves (this one
    included) are running, and the workers each solver was given (as negative numbers); and
    the threads that started them (a race's first search may end before the second starts
    on a loaded machine: the count alone failed the test then)."""
    import threading

    from scheduler.model import interrupt

    real = interrupt.solve
    running, seen, threads, lock = [0], [], set(), threading.Lock()

    def counted(solver: Any, model: Any, *args: Any, **kwargs: Any) -> Any:
        with lock:
            running[0] += 1
            seen.extend([running[0], -solver.parameters.num_workers])
            threads.add(threading.get_ident())
        try:
            return real(solver, model, *args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(interrupt, "solve", counted)
    return seen, threads


@pytest.mark.parametrize("name", ["pin-unavailable", "one-site-per-day"])
def test_one_worker_explains_on_one_core_with_the_same_conflict(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--workers 1`: the diagnostic searches run one at a time, each on one worker (an audit
    saw 3 busy threads, 137 % CPU), and find the same minimal conflict as two workers."""
    problem = _problem(INFEASIBLE / f"{name}.yaml")
    expected = explain(problem, time_limit=20).core
    seen, threads = _solves_at_once(monkeypatch)
    result = explain(problem, time_limit=20, workers=1)
    assert result.feasible is False and result.minimal
    assert set(result.core) == set(expected) == CASES[name][0]
    assert seen and max(seen) == 1 and min(seen) == -1, seen  # one at a time, one worker each
    assert len(threads) == 1, threads  # no race: every search on the caller's thread
    seen.clear()
    threads.clear()
    explain(problem, time_limit=20)
    # two workers: a race (two threads' searches) or a 2-worker search
    assert len(threads) >= 2 or min(seen) == -2, (seen, threads)


def test_cli_explain_takes_workers() -> None:
    path = INFEASIBLE / "visitor-window.yaml"
    out = CliRunner().invoke(explain_command, [str(path), "--time-limit", "20", "--workers", "1"])
    assert out.exit_code == 1, out.output
    assert "[ue_window[UE4]]" in out.output
    bad = CliRunner().invoke(explain_command, [str(path), "--workers", "0"])
    assert bad.exit_code == 2 and "--workers" in bad.output


def test_preflight_only_checks_the_file_without_searching(monkeypatch: pytest.MonkeyPatch) -> None:
    """An audit wanted a quick 'validate only' command: `--preflight-only` says the pre-flight's
    findings (exit 1 on errors, which prove there is no timetable), else that no search ran
    (exit 0), and never builds a model."""
    monkeypatch.setattr(explain_module, "explain", lambda *a, **k: pytest.fail("searched"))
    import scheduler.cli.explain_cmd as command

    monkeypatch.setattr(command, "run_explain", lambda *a, **k: pytest.fail("searched"))
    fine = CliRunner().invoke(explain_command, [str(TINY), "--preflight-only"])
    assert fine.exit_code == 0, fine.output
    assert "no pre-flight error (whether a timetable exists was not searched" in fine.output
    path = INFEASIBLE / "group-weekly-max.yaml"
    errors = CliRunner().invoke(explain_command, [str(path), "--preflight-only"])
    assert errors.exit_code == 1, errors.output
    assert f"pre-flight error: {path}: [group_weekly_max]" in errors.output
    assert "the pre-flight errors prove it" in errors.output


@pytest.mark.parametrize(
    ("flags", "cores"),
    [([], 2), (["--workers", "1"], 1), (["--deterministic"], 1), (["--workers", "3"], 3)],
)
def test_solve_explains_on_the_cores_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str], cores: int
) -> None:
    """`solve --workers 1` explained an infeasible instance on two threads (an audit); a
    deterministic solve, on one CP-SAT worker, explains on one core too."""
    import scheduler.cli.solve_cmd as solve_cmd
    from scheduler.cli import cli

    asked: list[int] = []

    def recorded(*args: Any, workers: int = 2, **kwargs: Any) -> list[str]:
        asked.append(workers)
        return ["explained"]

    monkeypatch.setattr(solve_cmd, "explain_lines", recorded)
    path = INFEASIBLE / "visitor-window.yaml"
    out = CliRunner().invoke(cli, ["solve", str(path), "--out", str(tmp_path / "o"), *flags])
    assert out.exit_code == 1, out.output
    assert asked == [cores], out.output


def test_where_a_first_placement_got_stuck_is_a_hint(tiny_data: dict[str, Any]) -> None:
    """An audit's 212 sessions: "proved infeasible" and "raise the limit", nothing else. The
    series a greedy placement could not place is now named as where to look first (a hint):
    tiny's UE4, two slots, kept off Saturdays; none when every session finds a place."""
    from scheduler.model.explain import stuck_hint

    assert stuck_hint(problem_of(tiny_data)) is None
    tiny_data["ues"][3]["sessions"][0]["unavailable"] = [{"weekday": "sat"}]
    assert stuck_hint(problem_of(tiny_data)) == (
        "where to look first (a hint, not a proof): placed one series after another, UE4-main "
        "(from UE4-main-01) found no place — check its window, teachers, rooms and pins against "
        "the sessions it shares them with"
    )
