"""Pre-flight warnings of availability, avoid and closure rules that match nothing.

A rule matches a dated slot when every field it gives matches (`DateRule.matches`), so a
row whose fields contradict each other silently does nothing: a teacher's absence typed with
a stray weekday (a workbook audit: the timetable then put her on that day).
"""

from __future__ import annotations

from datetime import date, timedelta

from scheduler.data.findings import Domains, Finding
from scheduler.data.instance_calendar import Calendar, Closure, DateRule
from scheduler.data.preflight_calendar import closure_outside, rule_owners
from scheduler.data.problem import Problem
from scheduler.data.types import WEEKDAYS
from scheduler.data.words import describe_rule, format_date, format_span, weekdays_word


def _day_word(day: date) -> str:
    """`12 Nov 2026, a Thursday`."""
    return f"{format_date(day)}, {_a_day(WEEKDAYS[day.weekday()])}"


def _a_day(weekday: str) -> str:
    """`a Thursday` for `thu`."""
    return f"a {weekdays_word(weekday).removesuffix('s')}"


def _slots_on(cal: Calendar, weekday: str, slots: tuple[str, ...] | None) -> bool:
    """Whether the calendar has a slot on `weekday`, among `slots` when given."""
    return any(s.weekday == weekday and (slots is None or s.id in slots) for s in cal.slots)


def rule_contradiction(rule: DateRule, cal: Calendar) -> str | None:
    """Why the fields of `rule` can never all match the same dated slot, if they cannot."""
    if rule.slots == ():
        return "it names no slot"
    if rule.date is not None and (
        (rule.from_ is not None and rule.date < rule.from_)
        or (rule.to is not None and rule.date > rule.to)
    ):
        return f"its date {rule.date} is outside its own from/to"
    if rule.date is not None and rule.weekday not in (None, WEEKDAYS[rule.date.weekday()]):
        return f"its date is {_day_word(rule.date)}, not {_a_day(rule.weekday or '')}"
    if rule.slots is None:
        return _range_contradiction(rule, cal)
    listed = f"none of its slots ({', '.join(rule.slots)}) falls on"
    if rule.weekday is not None and not _slots_on(cal, rule.weekday, rule.slots):
        return f"{listed} {weekdays_word(rule.weekday)}"
    if rule.date is not None and not _slots_on(cal, WEEKDAYS[rule.date.weekday()], rule.slots):
        return f"{listed} its date, {_day_word(rule.date)}"
    return _range_contradiction(rule, cal)


def _range_contradiction(rule: DateRule, cal: Calendar) -> str | None:
    """Why a short from/to range holds none of the rule's weekday or slots, if it does not
    (a one-day absence typed as a range, with a stray weekday: a review)."""
    if rule.from_ is None or rule.to is None or rule.date is not None:
        return None
    length = min(7, (rule.to - rule.from_).days + 1)
    days = {WEEKDAYS[(rule.from_ + timedelta(days=k)).weekday()] for k in range(length)}
    span = format_span(rule.from_, rule.to)
    if rule.weekday is not None and rule.weekday not in days:
        return f"its dates ({span}) hold no {_a_day(rule.weekday).removeprefix('a ')}"
    if rule.slots is not None and not any(_slots_on(cal, day, rule.slots) for day in days):
        return f"none of its slots ({', '.join(rule.slots)}) falls within its dates ({span})"
    return None


def check_rules_that_match_nothing(p: Problem, domains: Domains) -> list[Finding]:
    """Availability and avoid rules whose fields contradict each other (`rule_contradiction`): a
    rule must match every field it gives (an audit's `{weekday: mon, slots: [W2]}` with W2 a
    Wednesday slot, a workbook row with a date and a from/to or a stray weekday, slots `-`).
    A rule on days the calendar does not teach (a teacher's "never on Mondays", copied from
    their form) is ordinary: not said."""
    found = []
    for what, entity, owner in rule_owners(p):
        for kind in ("unavailable", "available_only", "avoid"):
            for rule in getattr(owner, kind, ()):
                why = rule_contradiction(rule, p.instance.calendar)
                if why:
                    msg = f"{what}: {kind} {describe_rule(rule, p)} matches no slot: {why}"
                    found.append(Finding("warning", "availability", (entity,), msg))
    return found


def _closes_nothing(closure: Closure, cal: Calendar) -> str | None:
    """Why a one-day closure limited to some slots closes none of them, if so."""
    if closure.slots == ():
        return "it names no slot"
    if closure.date is None or closure.slots is None:
        return None
    if _slots_on(cal, WEEKDAYS[closure.date.weekday()], closure.slots):
        return None
    return f"none of its slots ({', '.join(closure.slots)}) falls on {_day_word(closure.date)}"


def check_closures_that_close_nothing(p: Problem, domains: Domains) -> list[Finding]:
    """A closure of one date limited to slots of another weekday (a workbook audit's Saturday
    closed for `TUE-EVE` only): it closes nothing."""
    cal, found = p.instance.calendar, []
    for i, closure in enumerate(cal.closures):
        why = _closes_nothing(closure, cal)
        if why and not closure_outside(cal, closure):  # outside: said once, by its dates
            name = f"closure {closure.reason!r}" if closure.reason else "a closure"
            msg = f"{name} on {format_date(closure.date or cal.start)} closes nothing: {why}"
            found.append(Finding("warning", "closures", (f"closures[{i}]",), msg))
    return found


#: the checks of this module, in the order their warnings are said
RULE_CHECKS = (check_rules_that_match_nothing, check_closures_that_close_nothing)
