"""Names, default weights and meanings of the soft rules, shared by model, checker and reports.

Weights are integers in tiers: what hurts people's lives (too many evenings a week, school
holidays, long gaps in a course) weighs more than what costs the institutions (opening a
building on Saturday) or comfort (same room for a course). Every weight can be overridden in
the instance's `weights` mapping; a weight of 0 switches the rule off.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SoftRuleInfo:
    """What a soft rule penalises, per unit, and its default weight."""

    name: str
    default_weight: int
    unit: str


SOFT_RULE_INFO: tuple[SoftRuleInfo, ...] = (
    SoftRuleInfo(
        "weekly_load",
        10,
        "session beyond the target in a Monday-to-Sunday week, counted for each student "
        "profile it concerns",
    ),
    SoftRuleInfo("school_holidays", 8, "session during a school holiday"),
    SoftRuleInfo(
        "ue_gap",
        1,
        "day between consecutive sessions of a UE (as its students follow it) beyond its maximum",
    ),
    SoftRuleInfo("teacher_avoid", 6, "session in a slot its teacher asked to avoid"),
    SoftRuleInfo(
        "saturday_opening", 4, "Saturday (or Sunday) at a site open for a session or a fixed event"
    ),
    SoftRuleInfo(
        "half_saturday", 4, "Saturday (or Sunday) at a site where only part of the day is used"
    ),
    SoftRuleInfo("visitor_trips", 10, "extra week a visiting teacher must come"),
    SoftRuleInfo("room_stability", 2, "room beyond the first used by a series"),
    SoftRuleInfo("site_stability", 3, "site beyond the first used by a UE"),
    SoftRuleInfo("teacher_travel", 1, "session a teacher gives away from their home site"),
    SoftRuleInfo("ue_spread", 1, "day a gap of an evenly spread UE falls short of the even gap"),
    SoftRuleInfo(
        "site_balance", 1, "session-slot of imbalance between the most and least used site"
    ),
    SoftRuleInfo(
        "oversized_room",
        1,
        "session in a room with more than three times the seats of the smallest room that could take it",
    ),
    SoftRuleInfo("min_working_days", 5, "date a series falls short of its min_days"),
    # Off by default: an evening programme has one slot per evening, so every session would
    # count. CB-CTT's curriculum compactness (weight 2 there).
    SoftRuleInfo(
        "isolated_sessions", 0, "session with no session of the same students just before or after"
    ),
    SoftRuleInfo("room_overflow", 1, "student beyond the room's seats (soft room capacity)"),
)

#: `oversized_room`: a room is oversized for a session when it seats more than this many times
#: the smallest room that could take it (docs/rules.md)
OVERSIZE_FACTOR = 3

SOFT_RULES: tuple[str, ...] = tuple(info.name for info in SOFT_RULE_INFO)
DEFAULT_WEIGHTS: dict[str, int] = {info.name: info.default_weight for info in SOFT_RULE_INFO}

HARD_RULES: tuple[str, ...] = (
    "placement",
    "slot_allowed",
    "teacher_double_booking",
    "room_double_booking",
    "group_double_booking",
    "teacher_availability",
    "teacher_weekly_max",
    "group_weekly_max",
    "room_capacity",
    "room_features",
    "room_availability",
    "series_availability",
    "allowed_sites",
    "ue_window",
    "teacher_one_site_per_day",
    "group_one_site_per_day",
    "series_order",
    "min_days_between",
    "precedence",
    "pin",
    "past",
)


def effective_weights(overrides: dict[str, int]) -> dict[str, int]:
    """Default weights updated with an instance's overrides."""
    return {**DEFAULT_WEIGHTS, **overrides}
