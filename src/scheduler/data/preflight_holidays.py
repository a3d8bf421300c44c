"""Pre-flight warning: holiday sources that the `holidays` package does not cover.

The package's school holidays stop at some year for some countries (NL Midden after 2030,
DE BY from 2030) and give none at all for others (FR): an exploratory test's 2030-31
instance then had no school holiday, silently, and `school_holidays` said "at zero" as if
the timetable had avoided them. A source whose package part gives no date in the whole
calendar, or none in a long part of one calendar year although it gives some in the same
days of the year before or after, is said, with what to do: list them under `dates`. (None
in the whole years a calendar spans: the package has no such holidays there at all.)
"""

from __future__ import annotations

from datetime import date, timedelta

from holidays import country_holidays

from scheduler.data.calendar import holiday_dates
from scheduler.data.findings import Domains, Finding
from scheduler.data.instance_calendar import HolidaySource
from scheduler.data.problem import Problem
from scheduler.data.words import format_span

# Parts of a calendar year shorter than this are not checked: a country may have no public
# holiday, nor its schools a break, for a couple of months (England has no bank holiday
# from September to November).
MIN_DAYS = 120


def _from_package(
    source: HolidaySource, first: date, last: date, category: str, language: str | None
) -> dict[date, str]:
    """The package's holidays of `source` between `first` and `last` (without its `dates`)."""
    return holiday_dates(source.model_copy(update={"dates": ()}), first, last, category, language)


def _shifted(day: date, years: int) -> date:
    """`day` moved by whole years (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return (day - timedelta(days=1)).replace(year=day.year + years)


def _year_parts(first: date, last: date) -> list[tuple[date, date]]:
    """The calendar cut at each new year: the parts of at least `MIN_DAYS` days."""
    parts = []
    for year in range(first.year, last.year + 1):
        a, b = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
        if (b - a).days + 1 >= MIN_DAYS:
            parts.append((a, b))
    return parts


def _uncovered(
    source: HolidaySource, category: str, cal_first: date, cal_last: date, language: str | None
) -> list[tuple[date, date]]:
    """The spans of the calendar where the package gives `source` no holiday though it
    should: the whole calendar when it gives none in the whole years it spans (a short
    calendar may hold none), else long parts of a year that it covers in the year before or
    after."""
    whole = (date(cal_first.year, 1, 1), date(cal_last.year, 12, 31))
    if not _from_package(source, *whole, category, language):
        return [(cal_first, cal_last)]
    missing = []
    for a, b in _year_parts(cal_first, cal_last):
        if _from_package(source, a, b, category, language):
            continue
        around = (
            _from_package(source, _shifted(a, k), _shifted(b, k), category, language)
            for k in (-1, 1)
        )
        if any(around):
            missing.append((a, b))
    return missing


def check_holiday_coverage(p: Problem, domains: Domains) -> list[Finding]:
    """Holiday sources the package does not cover over the calendar (module docstring)."""
    cal = p.instance.calendar
    found = []
    for which, source in (("public", cal.public_holidays), ("school", cal.school_holidays)):
        if source is None or not source.country:
            continue
        try:
            spans = _uncovered(source, which, cal.start, cal.end, p.instance.language)
        except ValueError:  # a source the package refuses: an input error said elsewhere
            continue
        for a, b in spans:
            if any(a <= d <= b for d in source.dates):
                continue  # the instance lists its own there
            where = source.country + (f" ({source.subdiv})" if source.subdiv else "")
            regions = _regions_with(source, which, a, b, p.instance.language)
            if regions:  # an audit: NL's were said missing, and the advice was to type them
                msg = (
                    f"the holidays package gives {which} holidays for {where} by region only: "
                    f"give calendar.{which}_holidays.subdiv, one of {', '.join(regions)} (or "
                    f"list them under calendar.{which}_holidays.dates), or no session will "
                    "avoid them"
                )
            else:
                msg = (
                    f"the holidays package gives no {which} holiday for {where} in "
                    f"{format_span(a, b)}: if there are some, list them under "
                    f"calendar.{which}_holidays.dates, or no session will avoid them"
                )
            found.append(Finding("warning", f"{which}_holidays", (which,), msg))
    return found


def _regions_with(
    source: HolidaySource, category: str, first: date, last: date, language: str | None
) -> list[str]:
    """The subdivisions of a source given without one whose holidays the package has
    between `first` and `last` (the Netherlands' and France's school holidays are by
    region: Midden, Noord, Zuid; Zone A, B, C)."""
    if source.subdiv or not source.country:
        return []
    try:
        regions = country_holidays(source.country).subdivisions
    except NotImplementedError:
        return []
    found = []
    for region in regions:
        try:
            if _from_package(
                source.model_copy(update={"subdiv": region}), first, last, category, language
            ):
                found.append(region)
        except ValueError:
            continue
    return found
