"""A cancelled session's precedences once what it had to precede took place
(`resolve.make_up_precedences`)."""

from __future__ import annotations

import datetime as dt

from scheduler.data.instance import Instance
from scheduler.resolve.make_up_precedences import unbind_make_ups
from tests.resolve.support import roomy


def test_the_make_up_alone_is_unbound_and_only_from_what_took_place() -> None:
    data = roomy()
    data["ues"][0]["sessions"].append({"series": "x", "count": 1})
    data["fixed_events"] = [
        {
            "id": "EV",
            "site": "MONS",
            "dates": ["2026-09-19", "2026-10-03"],
            "start": "09:00",
            "end": "12:15",
        }
    ]
    data["precedences"] = [{"before": "U1", "after": "U2"}, {"before": "U1-main", "after": "EV"}]
    instance = Instance.model_validate(data)
    revised = instance.model_dump(by_alias=True, mode="json", exclude_none=True)
    said = unbind_make_ups(instance, revised, {"U1-main-02"}, {"U2-main-01"}, dt.date(2026, 9, 25))
    assert revised["precedences"] == [
        {"before": "U1-main-01", "after": "U2"},
        {"before": "U1-main-03", "after": "U2"},
        {"before": "U1-x", "after": "U2"},
        {"before": "U1-main-02", "after": "U2-main-02"},
        {"before": "U1-main-01", "after": "EV"},
        {"before": "U1-main-03", "after": "EV"},
    ]
    assert said == [
        "U1-main-02 comes back after U2-main-01 already took place: the precedence U1 before U2 "
        "no longer binds it; it still comes before what of U2 is to come",
        "U1-main-02 comes back after EV on 2026-09-19 already took place: the precedence "
        "U1-main before EV no longer binds it",
    ]


def test_nothing_changes_while_what_it_precedes_is_still_to_come() -> None:
    data = roomy()
    data["precedences"] = [{"before": "U1", "after": "U2"}]
    instance = Instance.model_validate(data)
    revised = instance.model_dump(by_alias=True, mode="json", exclude_none=True)
    assert unbind_make_ups(instance, revised, {"U1-main-02"}, set(), dt.date(2026, 9, 25)) == []
    assert revised["precedences"] == [{"before": "U1", "after": "U2"}]
