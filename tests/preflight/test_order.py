"""Order and spacing: precedences the dates cannot order, cycles, series order, min_days_between
and maximum gaps."""

from __future__ import annotations

from typing import Any

import pytest

from scheduler.data.preflight import preflight, session_domains
from scheduler.data.problem import Problem
from scheduler.io.instance_io import load_instance
from tests.conftest import SAMPLE, problem_of, solve_to_optimum
from tests.preflight.support import (
    errors_of,
    slips,
)


def test_a_precedence_the_dates_cannot_order(tiny_data: dict[str, Any]) -> None:
    """`UE4 before UE1` where UE1 is pinned to the first evening: the search gave up on such
    instances of the sample ("undecided" after 30 s); the dates alone show it cannot hold."""
    tiny_data["precedences"] = [{"before": "UE4", "after": "UE1"}]
    errors = errors_of(preflight(problem_of(tiny_data)))
    assert [(f.rule, f.entities[0]) for f in errors] == [("precedence", "precedences[0]")]
    assert errors[0].message.startswith("precedences[0] (UE4 before UE1) cannot hold: UE4-main-01 ")
    assert "but UE1-main-01 starts 15 Sep 2026 18:00 at the latest" in errors[0].message
    tiny_data["precedences"] = [{"before": "UE1", "after": "UE4"}]  # the right way round
    assert errors_of(preflight(problem_of(tiny_data))) == []


def test_a_series_kept_further_apart_than_its_maximum_is_named(tiny_data: dict[str, Any]) -> None:
    """An audit's series had min_days_between 20 and max_days_between 7: it solved without
    a word, every gap paying ue_gap."""
    ue1 = tiny_data["ues"][0]
    ue1["max_days_between"] = 2  # UE1's min_days_between is 2: within it
    assert slips(tiny_data, "min_days_between") == []
    ue1["max_days_between"] = 1
    assert slips(tiny_data, "min_days_between") == [
        "UE1-main: min_days_between 2 is above max_days_between 1: each gap between its "
        "sessions pays ue_gap for 1 day at least"
    ]
    (finding,) = [f for f in preflight(problem_of(tiny_data)) if f.rule == "min_days_between"]
    assert finding.entities == ("UE1", "UE1-main")  # the UE's row first in a workbook's line
    ue1["sessions"][0]["max_days_between"] = 3  # the series' own maximum applies
    assert slips(tiny_data, "min_days_between") == []
    tiny_data["weights"] = {"ue_gap": 0}  # nobody pays for it
    ue1["sessions"][0]["max_days_between"] = 1
    assert slips(tiny_data, "min_days_between") == []


def test_an_even_spread_beyond_the_maximum_gap_is_named(tiny_data: dict[str, Any]) -> None:
    """An audit: generated UEs of 5 sessions over 181 days, even_spread, at most 14 days
    apart, paid 91 and nothing said so before the report. Within a week of each other (the
    sample's seminar: 42 and 44) the two targets are a weekly rhythm's rounding: unsaid."""
    tiny_data["calendar"]["end"] = "2026-10-31"  # 47 days: UE1's 2 sessions, an even gap of 23
    ue1 = tiny_data["ues"][0]
    ue1["even_spread"] = True
    ue1["max_days_between"] = 17
    assert slips(tiny_data, "ue_spread") == []
    ue1["max_days_between"] = 10
    assert slips(tiny_data, "ue_spread") == [
        "UE1-main: max_days_between 10 is below its even gap 23 (even_spread): its gap pays "
        "ue_gap or ue_spread for 13 days at least; raise max_days_between or drop even_spread "
        "if that is not meant"
    ]
    # the UE first (even_spread is its field), so a workbook's line names its UEs row too
    (finding,) = [f for f in preflight(problem_of(tiny_data)) if f.rule == "ue_spread"]
    assert finding.entities == ("UE1", "UE1-main")
    tiny_data["weights"] = {"ue_spread": 0}  # the gaps may then be short: nothing paid
    assert slips(tiny_data, "ue_spread") == []


def test_a_series_whose_gaps_another_series_may_fill_is_not_named(
    tiny_data: dict[str, Any],
) -> None:
    """A review: UE1 with a maximum of 7, its main series 14 days apart and a second series
    chained with it (docs/rules.md, "Chains"): the warning said every gap pays, and the
    optimum paid none (the second series' sessions fell in between)."""
    tiny_data["calendar"]["end"] = "2026-10-31"
    ue1 = tiny_data["ues"][0]
    ue1["max_days_between"] = 7
    ue1["sessions"] = [{"count": 2, "min_days_between": 14}, {"series": "tp", "count": 2}]
    assert slips(tiny_data, "min_days_between") == []


def test_a_cycle_of_precedences_is_named_and_one_against_its_series_order_says_so(
    tiny_data: dict[str, Any],
) -> None:
    """A "cycle" of one precedence (UE1-main-02 before UE1-main-01) is one against the series'
    order, which the message did not say (an audit); two make a cycle."""
    tiny_data["precedences"].append({"before": "UE1-main-02", "after": "UE1-main-01"})
    (message,) = [f.message for f in preflight(problem_of(tiny_data)) if "order of" in f.message]
    assert message == (
        "precedences[1] (UE1-main-02 before UE1-main-01) contradicts the order of a series' "
        "sessions (each comes after the one numbered before it) — drop or reverse it"
    )
    tiny_data["precedences"][1] = {"before": "UE4", "after": "UE1"}
    (message,) = [f.message for f in preflight(problem_of(tiny_data)) if "cycle" in f.message]
    assert message == (
        "precedences form a cycle: precedences[0] (UE1 before UE4) and precedences[1] (UE4 "
        "before UE1) — drop or reverse one of them"
    )


def test_a_spacing_error_gives_the_largest_gap_that_fits(tiny_data: dict[str, Any]) -> None:
    """An audit lowered min_days_between 7 to 6 and 5 and got the same 'only 9 of 12' each
    time: the error now says the largest gap that fits, and that gap does fit."""
    import re

    ue1 = tiny_data["ues"][0]
    ue1["sessions"][0]["min_days_between"] = 12

    def spacing(gap: int) -> list[str]:
        ue1["sessions"][0]["min_days_between"] = gap
        return [m for m in slips(tiny_data, "min_days_between")]

    (message,) = spacing(12)
    assert "its placements allow" not in message  # its days are the window's
    found = re.search(r"they fit with min_days_between (\d+) at most", message)
    assert found, message
    fits = int(found[1])
    assert 0 < fits < 12
    assert spacing(fits) == []
    assert len(spacing(fits + 1)) == 1


def test_a_spacing_error_names_the_teacher_away_for_much_of_the_window(
    tiny_data: dict[str, Any],
) -> None:
    """An audit's teacher away from January left a series its autumn: the error said to
    widen the window (a manager read '8 sessions in 9 months' and saw no problem); the
    teacher's availability is named beside it."""
    ue1 = tiny_data["ues"][0]
    ue1["window"] = {"from": "2026-09-15", "to": "2026-09-26"}
    ue1["sessions"][0]["min_days_between"] = 5
    teacher = next(t for t in tiny_data["teachers"] if t["id"] == ue1["teachers"][0])
    teacher["unavailable"] = [{"from": "2026-09-19", "to": "2026-09-26"}]
    (message,) = slips(tiny_data, "min_days_between")
    who = f"{teacher['name']} ({teacher['id']})"  # named as people know them
    assert f"widen the window (or the availability of {who}, away " in message, message
    # the days its teacher's absence leaves, not the window alone (an audit's visitor)
    assert "in 15–26 Sep 2026, on the 2 days its placements allow (15–17 Sep 2026) with " in (
        message
    ), message


def test_a_session_out_of_order_is_left_out_of_the_spacing_check(
    tiny_data: dict[str, Any],
) -> None:
    """An audit solved a revision's own instance.yaml, where a cancelled session given again
    after a later one is `reordered`: pre-flight checked the whole series in order and
    refused it ('only 2 of the 3 sessions ... fit'), which `check` and `resolve` accept."""
    tiny_data["pins"] = [
        {"session": "UE1-main-01", "date": "2026-09-24"},  # after 02
        {"session": "UE1-main-02", "date": "2026-09-15"},
    ]
    assert slips(tiny_data, "placement") or slips(tiny_data, "min_days_between")
    tiny_data["reordered"] = ["UE1-main-01"]
    assert not errors_of(preflight(problem_of(tiny_data)))
    result = solve_to_optimum(tiny_data)  # and the checker agrees
    dates = {a.session: a.date for a in result.assignments}
    assert dates["UE1-main-01"] > dates["UE1-main-02"]


def test_a_precedence_s_earliest_end_follows_its_series_order(tiny_data: dict[str, Any]) -> None:
    """UE3 (two sessions) before UE1, whose first session is pinned on the calendar's first
    day: the error said "UE3-main-02 ends 15 Sep 2026 21:15 at the earliest", the first
    day too, which UE3-main-01 must precede (an audit read it as false)."""
    tiny_data["precedences"].append({"before": "UE3", "after": "UE1"})
    problem = problem_of(tiny_data)
    (message,) = [f.message for f in errors_of(preflight(problem)) if f.rule == "precedence"]
    assert "UE3-main-02 ends 17 Sep 2026 21:15 at the earliest" in message, message
    assert "UE1-main-01 starts 15 Sep 2026 18:00 at the latest" in message


def test_series_order_bounds_each_session_by_its_neighbours(tiny_data: dict[str, Any]) -> None:
    """Earliest ends grow along a series, latest starts shrink backwards, by min_days_between
    days at least, and never pass the session's own placements."""
    from datetime import timedelta
    from itertools import pairwise

    from scheduler.data.series_bounds import earliest_ends, latest_starts

    problem = problem_of(tiny_data)
    domains = session_domains(problem)
    earliest, latest = earliest_ends(problem, domains), latest_starts(problem, domains)
    for chain in problem.chains.values():
        for before, after in pairwise(chain):
            gap = timedelta(days=before.min_days_between)
            assert earliest[after.id][0] >= earliest[before.id][0] + gap
            assert earliest[after.id] > earliest[before.id]
            assert latest[before.id][0] <= latest[after.id][0] - gap
    for s in problem.sessions:
        ends = [(c.start.date, c.slots[-1].end) for c in domains[s.id]]
        starts = [(c.start.date, c.start.start) for c in domains[s.id]]
        assert earliest[s.id] in ends and latest[s.id] in starts


@pytest.mark.parametrize("which", ["small", "sample"])
def test_series_order_bounds_hold_in_timetables_the_checker_accepts(
    which: str, small_programme: Problem
) -> None:
    """Sound bounds: a session of a timetable with no violation never ends before its
    earliest end nor starts after its latest start (too tight a bound would call a
    feasible instance infeasible)."""
    from scheduler.check import check
    from scheduler.construct import greedy_timetable
    from scheduler.data.series_bounds import earliest_ends, latest_starts

    problem = small_programme if which == "small" else Problem.build(load_instance(SAMPLE))
    timetable = greedy_timetable(problem)
    assert timetable is not None and not check(problem, timetable).violations
    domains = session_domains(problem)
    earliest, latest = earliest_ends(problem, domains), latest_starts(problem, domains)
    slot = {(d.date, d.slot): d for d in problem.slots}
    tightened = 0
    for a in timetable:
        s, first = problem.session[a.session], slot[a.date, a.slot]
        end = (a.date, problem.occupied(first, s.length)[-1].end)
        assert earliest[s.id] <= end and (a.date, first.start) <= latest[s.id], a
        own = min((c.start.date, c.slots[-1].end) for c in domains[s.id])
        tightened += earliest[s.id] > own
    assert tightened  # the series' order moved some bounds (else this proves little)
