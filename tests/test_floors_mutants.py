"""From stop 80's mutation audit of the data's floors (`model/data_bound.py`,
`model/weekend_floors.py`, `report_fold.py`): each test kills a mutant that the suite let
live, five of them floors above a proved optimum. Line numbers are of commit 8b96153."""

from __future__ import annotations

from typing import Any

from scheduler.model.build import build_model
from scheduler.model.data_bound import data_bound, floors
from scheduler.rules import SOFT_RULES
from tests.conftest import problem_of, solve_to_optimum


def _weekend_floors(data: dict[str, Any]) -> list[Any]:
    return [f for f in floors(build_model(problem_of(data))) if f.rules == ("saturday_opening",)]


def test_an_event_day_opening_two_sites_spares_one_session_day_not_two() -> None:
    """weekend_floors.py:55 `len({day for day, _ in shared})` -> `len(shared)`: a fixed event
    opening two sites on one Saturday lets one session of a distinct-day series use it, not
    two. Three weekend-only sessions on distinct days, Saturdays 10, 17 and 24 Oct, events at
    S and S2 on the 10th: two more Saturdays open (8), which the optimum pays (16 in all)."""
    from tests.test_solver_bound_cuts import _saturdays

    data = _saturdays(3)
    data["teachers"][0] = {"id": "T", "unavailable": [{"weekday": "tue"}]}
    data["sites"].append({"id": "S2", "rooms": [{"id": "R2", "capacity": 10}]})
    data["fixed_events"] = [
        {"id": f"EV{k}", "site": site, "dates": ["2026-10-10"], "start": "09:00", "end": "10:00"}
        for k, site in enumerate(("S", "S2"))
    ]
    found = [f for f in _weekend_floors(data) if "may only fall on a weekend" in f.message]
    assert [f.cost for f in found] == [8], found
    assert "2 weekend days opened beyond those a fixed event opens" in found[0].message
    problem = problem_of(data)
    optimum = solve_to_optimum(data)
    assert data_bound(build_model(problem)) == optimum.objective == 16


def _tiny_with_full_saturday_ues(tiny_data: dict[str, Any], groups: list[str]) -> None:
    """Tiny a week longer, with one two-slot UE per group in `groups`, each by its own
    teacher away on Tuesdays and Thursdays, at Mons: only a whole Saturday holds each (26
    Sep or 3 Oct; Saturday 19 is closed in the afternoon); saturday_opening alone weighs."""
    tiny_data["calendar"]["end"] = "2026-10-03"
    for k, group in enumerate(groups, start=6):
        tiny_data["teachers"].append(
            {"id": f"T{k}", "name": f"Prof {k}", "home_site": "MONS",
             "unavailable": [{"weekday": "tue"}, {"weekday": "thu"}]}
        )  # fmt: skip
        tiny_data["ues"].append(
            {"id": f"UE{k}", "teachers": [f"T{k}"], "groups": [group], "sites": ["MONS"],
             "sessions": [{"count": 1, "length": 2}]}
        )  # fmt: skip
    tiny_data["weights"] = {rule: 0 for rule in SOFT_RULES if rule != "saturday_opening"}


def test_a_lone_full_weekend_session_is_not_said_to_share_people(
    tiny_data: dict[str, Any],
) -> None:
    """weekend_floors.py:51 `if len(clique) > 1` -> `> 0`: one session is no group "sharing
    students or a teacher with each other" (the line said "1 session (UE6-main-01) ... each
    filling its day and sharing ... with each other"). Without UE4, a lone full-Saturday UE:
    no such line. (Its one Saturday is a floor the data does force, 4, which the original
    leaves unsaid: bound 4, optimum 8; see the report.)"""
    _tiny_with_full_saturday_ues(tiny_data, ["OPT-A"])
    tiny_data["ues"] = [u for u in tiny_data["ues"] if u["id"] != "UE4"]
    tiny_data["precedences"] = []
    found = _weekend_floors(tiny_data)
    assert not any("with each other" in f.message for f in found), found


def test_full_saturday_sessions_sharing_nobody_may_share_a_saturday(
    tiny_data: dict[str, Any],
) -> None:
    """weekend_floors.py:101 `set(x.teachers) & set(y.teachers)` -> `|`, and :107 `all(meet`
    -> `any(meet`: two full-Saturday UEs of OPT-A and OPT-B, by different teachers, share
    nobody, so both fit one Saturday at Mons (rooms M-A and M-B); each shares students with
    UE4 (COHORT, pinned to Sat 26 by V1's window) but not with each other. The mutants made a
    clique of all three: a floor of 16 above the optimum's 12."""
    _tiny_with_full_saturday_ues(tiny_data, ["OPT-A", "OPT-B"])
    problem = problem_of(tiny_data)
    bound = data_bound(build_model(problem))
    assert not any("3 sessions" in f.message for f in _weekend_floors(tiny_data))
    optimum = solve_to_optimum(tiny_data)
    assert bound <= optimum.objective
    assert bound == optimum.objective == 12  # ACCUEIL's Saturday, UE4's, one for UE6 and UE7


def test_co_teachers_who_each_travel_are_not_counted_again_together(
    tiny_data: dict[str, Any],
) -> None:
    """data_bound.py:198 `... ) - alone` -> `+ alone` (and :197 `alone = sum(...)` ->
    `alone = 0`, which only the sample's time-limited solve caught): UE3 co-taught by two
    teachers living in Namur, held in Mons only: each pays 1 a session on their own, 4 in all,
    which the optimum pays; counted again "together" the floor said 8 or 12, above it."""
    tiny_data["teachers"].append({"id": "T5", "name": "Luc Petit", "home_site": "NAMUR"})
    ue3 = next(u for u in tiny_data["ues"] if u["id"] == "UE3")
    ue3["teachers"], ue3["sites"] = ["T1", "T5"], ["MONS"]
    tiny_data["weights"] = {rule: 0 for rule in SOFT_RULES if rule != "teacher_travel"}
    problem = problem_of(tiny_data)
    found = floors(build_model(problem))
    assert not any("live at different sites" in f.message for f in found), found
    assert data_bound(build_model(problem)) == solve_to_optimum(tiny_data).objective == 4


def test_three_sessions_paying_alike_are_all_named(tiny_data: dict[str, Any]) -> None:
    """data_bound.py:169 `len(owners) <= 3` -> `<= 2`: three sessions of a series paying
    alike are named, all three (only from four on "first, ..., last"). UE2, three sessions
    at Namur only, its teacher living in Mons: each makes him travel."""
    ue2 = next(u for u in tiny_data["ues"] if u["id"] == "UE2")
    ue2["sites"], ue2["sessions"] = ["NAMUR"], [{"count": 3}]
    (line,) = [f for f in floors(build_model(problem_of(tiny_data))) if "UE2" in f.message]
    assert line.message == (
        "UE2-main, 3 sessions (UE2-main-01, UE2-main-02, UE2-main-03), Marc Dubois (T2): each "
        "pays wherever it may be placed (1 x session a teacher gives away from their home site)"
    ), line
    assert line.cost == 3


def test_a_visitor_s_sessions_of_one_week_each_are_picked_before_one_of_either(
    tiny_data: dict[str, Any],
) -> None:
    """data_bound.py:434 `key=lambda w: (len(w), min(w))` -> `(-len(w), min(w))`: the greedy
    packing takes the sessions with fewest possible weeks first. V1 teaches one session with
    T5 (free the first week only), one with T6 (the second only), and one alone (either): two
    weeks whatever the timetable, a trip beyond the first (10), which the optimum pays; taking
    the session of either week first found none."""
    from scheduler.check import check
    from scheduler.model.data_bound import visitor_trip_floors

    tiny_data["teachers"] += [
        {"id": "T5", "name": "Luc Petit", "home_site": "MONS",
         "available_only": [{"from": "2026-09-15", "to": "2026-09-19"}]},
        {"id": "T6", "name": "Eva Roux", "home_site": "MONS",
         "available_only": [{"from": "2026-09-22", "to": "2026-09-26"}]},
    ]  # fmt: skip
    tiny_data["ues"] = [u for u in tiny_data["ues"] if u["id"] != "UE4"] + [
        {"id": "UE5", "teachers": ["V1", "T5"], "groups": ["OPT-A"], "sessions": [{"count": 1}]},
        {"id": "UE6", "teachers": ["V1", "T6"], "groups": ["OPT-A"], "sessions": [{"count": 1}]},
        {"id": "UE7", "teachers": ["V1"], "groups": ["OPT-B"], "sessions": [{"count": 1}]},
    ]
    tiny_data["precedences"] = []
    visitor = next(t for t in tiny_data["teachers"] if t["id"] == "V1")
    visitor["available_only"] = [{"from": "2026-09-15", "to": "2026-09-26"}]
    problem = problem_of(tiny_data)
    (floor,) = visitor_trip_floors(problem, build_model(problem).variables, 10)
    assert floor.cost == 10
    # its 3 sessions said, not "has 2 sessions" of the weeks (an audit read a visitor of 4 as
    # one of 2)
    assert floor.message.endswith(
        "must come in 2 different weeks at least (3 sessions that cannot all share one): "
        "1 week beyond the first"
    ), floor.message
    optimum = solve_to_optimum(tiny_data)
    assert check(problem, optimum.assignments).costs["visitor_trips"] == 10


def test_a_visitor_s_session_that_may_share_a_week_taken_needs_no_trip_of_its_own(
    tiny_data: dict[str, Any],
) -> None:
    """data_bound.py:437 `if not own & taken` -> `if not own <= taken`: a session whose
    possible weeks merely overlap those taken may fall in one of them. V1 (free both weeks,
    Wednesdays added) teaches one session with T5 (free the first week only) and one alone:
    both fit the first week, no second trip (the optimum pays none); the mutant counted one
    (bound 34 over an optimum of 25)."""
    from scheduler.check import check
    from scheduler.model.data_bound import visitor_trip_floors

    tiny_data["calendar"]["slots"].append(
        {"id": "WED-EVE", "weekday": "wed", "start": "18:00", "end": "21:15"}
    )
    tiny_data["teachers"].append(
        {"id": "T5", "name": "Luc Petit", "home_site": "MONS",
         "available_only": [{"from": "2026-09-15", "to": "2026-09-19"}]}
    )  # fmt: skip
    tiny_data["ues"] = [u for u in tiny_data["ues"] if u["id"] != "UE4"] + [
        {"id": "UE5", "teachers": ["V1", "T5"], "groups": ["OPT-A"], "sessions": [{"count": 1}]},
        {"id": "UE7", "teachers": ["V1"], "groups": ["OPT-B"], "sessions": [{"count": 1}]},
    ]
    tiny_data["precedences"] = []
    visitor = next(t for t in tiny_data["teachers"] if t["id"] == "V1")
    visitor["available_only"] = [{"from": "2026-09-15", "to": "2026-09-26"}]
    problem = problem_of(tiny_data)
    assert visitor_trip_floors(problem, build_model(problem).variables, 10) == []
    optimum = solve_to_optimum(tiny_data)
    assert check(problem, optimum.assignments).costs["visitor_trips"] == 0
    assert data_bound(build_model(problem)) <= optimum.objective


def _weekend_series(count: int) -> dict[str, Any]:
    from tests.test_solver_bound_cuts import _saturdays

    data = _saturdays(count)
    data["teachers"][0] = {"id": "T", "unavailable": [{"weekday": "tue"}]}
    return data


def test_the_weekend_group_needing_most_is_the_one_counted() -> None:
    """weekend_floors.py:58 `own > best[0]` -> `own < best[0]`: of two weekend-only series
    on distinct days, UE-main (3 sessions) and UE2-main (2, other students and teacher), the
    one needing most is counted: 3 Saturdays (12), which the optimum pays; not UE2-main's 2."""
    data = _weekend_series(3)
    data["teachers"].append({"id": "T2", "unavailable": [{"weekday": "tue"}]})
    data["groups"].append({"id": "G2", "size": 5})
    data["ues"].append(
        {"id": "UE2", "teachers": ["T2"], "groups": ["G2"],
         "sessions": [{"count": 2, "min_days_between": 1}]}
    )  # fmt: skip
    (line,) = _weekend_floors(data)
    assert line.cost == 12 and line.message.startswith("UE-main: 3 sessions"), line
    assert data_bound(build_model(problem_of(data))) == solve_to_optimum(data).objective == 12


def test_a_weekend_series_line_says_each_own_day_and_no_days_above() -> None:
    """weekend_floors.py:82 `if len(only) > 1` -> `> 2` (", each on its own day" lost for two
    sessions) and :79 `if need > own` -> `need >= own` ("beyond those above" said where no
    pinned day lowered it): the words exactly, for two and three sessions."""
    (two,) = _weekend_floors(_weekend_series(2))
    assert two.message == (
        "UE-main: 2 sessions (UE-main-01, UE-main-02) may only fall on a weekend, each on its "
        "own day: 2 weekend days opened at least"
    )
    (three,) = _weekend_floors(_weekend_series(3))
    assert three.message == (
        "UE-main: 3 sessions (UE-main-01, UE-main-02, UE-main-03) may only fall on a weekend, "
        "each on its own day: 3 weekend days opened at least"
    )


def _lengths(lengths: tuple[int, ...], sites: int, slots: int = 3) -> dict[str, Any]:
    """`slots` Monday slots over three weeks, `sites` sites of one room, one UE a session of
    each length (its own teacher and group); site_balance alone weighs (5)."""
    return {
        "name": "lengths",
        "calendar": {
            "start": "2026-10-05",
            "end": "2026-10-23",
            "slots": [
                {"id": f"MON-{k}", "weekday": "mon", "start": f"{8 + 3 * k:02d}:00",
                 "end": f"{10 + 3 * k:02d}:30"}
                for k in range(slots)
            ],
        },
        "sites": [{"id": f"S{k}", "rooms": [{"id": f"R{k}", "capacity": 10}]} for k in range(sites)],
        "groups": [{"id": f"G{k}", "size": 5} for k in range(len(lengths))],
        "teachers": [{"id": f"T{k}"} for k in range(len(lengths))],
        "ues": [
            {"id": f"UE{k}", "teachers": [f"T{k}"], "groups": [f"G{k}"],
             "sessions": [{"count": 1, "length": n}]}
            for k, n in enumerate(lengths)
        ],
        "weights": {**dict.fromkeys(SOFT_RULES, 0), "site_balance": 5},
    }  # fmt: skip


def test_the_busiest_site_s_share_is_counted_in_whole_sessions() -> None:
    """A review: four sessions of 2 slots over three sites, the last of which only one may
    use. The busiest site hosts 4 of the 8 slots at least (two sessions), not 3, and the
    third at most 2: 2 apart (10), which the optimum pays; the floor said 1."""
    data = _lengths((2, 2, 2, 2), 3)
    for ue in data["ues"][1:]:
        ue["sites"] = ["S0", "S1"]
    (line,) = floors(build_model(problem_of(data)))
    assert (line.cost, line.message) == (
        10,
        "the busiest site hosts 4 of the 8 session slots at least, S2 at most 2 (those of the "
        "sessions that can go there): 2 apart",
    )
    assert solve_to_optimum(data).objective == 10


def test_sessions_of_two_and_four_slots_are_not_said_to_be_of_two() -> None:
    """A review: sessions of 2 and 4 slots were said "in whole sessions of 2 slots each"."""
    data = _lengths((2, 4), 2, slots=4)
    (line,) = floors(build_model(problem_of(data)))
    assert (line.cost, line.message) == (
        10,
        "the 6 session slots, each session 2 slots long or a multiple of it, cannot be shared "
        "out evenly over 2 sites: 2 apart at least",
    )
    assert solve_to_optimum(data).objective == 10


def test_sessions_of_two_and_three_slots_split_unevenly_by_one_slot() -> None:
    """data_bound.py:373 `math.gcd(*(s.length ...))` -> `min(s.length ...)`: sessions of 2, 3
    and 2 slots (7) over two sites split 4 / 3 at best: 1 apart (5 at weight 5), which the
    optimum pays; counted in whole sessions of 2 slots the floor said 2 apart (10)."""
    data = {
        "name": "lengths",
        "calendar": {
            "start": "2026-10-05",
            "end": "2026-10-23",
            "slots": [
                {
                    "id": f"MON-{k}",
                    "weekday": "mon",
                    "start": f"{8 + 3 * k:02d}:00",
                    "end": f"{10 + 3 * k:02d}:30",
                }
                for k in range(3)
            ],
        },
        "sites": [
            {"id": "A", "rooms": [{"id": "RA", "capacity": 10}]},
            {"id": "B", "rooms": [{"id": "RB", "capacity": 10}]},
        ],
        "groups": [{"id": f"G{k}", "size": 5} for k in range(3)],
        "teachers": [{"id": f"T{k}"} for k in range(3)],
        "ues": [
            {
                "id": f"UE{k}",
                "teachers": [f"T{k}"],
                "groups": [f"G{k}"],
                "sessions": [{"count": 1, "length": n}],
            }
            for k, n in enumerate((2, 3, 2))
        ],
        "weights": {**dict.fromkeys(SOFT_RULES, 0), "site_balance": 5},
    }
    (line,) = floors(build_model(problem_of(data)))
    assert line.cost == 5
    assert (
        line.message
        == "the 7 session slots cannot be shared out evenly over 2 sites: 1 apart at least"
    )
    assert solve_to_optimum(data).objective == 5


def test_a_session_of_two_options_counts_in_each_option_s_weekly_load(
    tiny_data: dict[str, Any],
) -> None:
    """data_bound.py:247 `profile.intersection(s.groups)` -> `profile.issuperset(s.groups)`:
    a session for OPT-A and OPT-B together is attended by both profiles. At a target of 1 a
    week, each profile has 6 sessions over 2 weeks: 4 beyond it each, 8 (not 3 each)."""
    from scheduler.model.data_bound import weekly_load_floors

    tiny_data["preferences"] = {"group_week_target": 1}
    tiny_data["ues"].append(
        {"id": "UE6", "teachers": ["T3"], "groups": ["OPT-A", "OPT-B"], "sessions": [{"count": 1}]}
    )
    problem = problem_of(tiny_data)
    found = weekly_load_floors(problem, build_model(problem).variables, 1)
    assert sorted(f.cost for f in found) == [4, 4], found
