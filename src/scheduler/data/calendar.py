"""Expansion of the calendar into dated slots: the pattern on every date, minus holidays and closures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from scheduler.data.types import minutes, weekday_of

if TYPE_CHECKING:
    from scheduler.data.instance_calendar import Calendar, HolidaySource, SlotPattern


@dataclass(frozen=True)
class DatedSlot:
    """A pattern slot on a date; `index` orders dated slots chronologically from 0."""

    index: int
    date: date
    slot: str
    weekday: str
    start: time
    end: time
    day: int
    week: tuple[int, int]
    school_holiday: str | None

    @property
    def key(self) -> str:
        """A readable key, e.g. `2026-10-06/TUE-EVE`."""
        return f"{self.date.isoformat()}/{self.slot}"

    def overlaps(self, day: dt.date, start: time, end: time) -> bool:
        """True when this dated slot overlaps the interval [start, end) on `day`."""
        return (
            self.date == day
            and minutes(self.start) < minutes(end)
            and minutes(start) < minutes(self.end)
        )


@dataclass(frozen=True)
class ClosedSlot:
    """A pattern slot on a date that is not usable, and why; `dated` is the slot it would be
    (index -1), so a checker can still place a session put there by hand under every rule."""

    date: date
    slot: str
    reason: str
    dated: DatedSlot | None = field(default=None, compare=False, repr=False)


#: subdivisions with a language of their own (Belgium's French, Flemish and
#: German-speaking communities, Québec, the French- and Italian-speaking Swiss cantons): their
#: holidays are named in that language by default, where the package has it
SUBDIVISION_LANGUAGE = {
    ("BE", "French"): "fr",
    ("BE", "Flemish"): "nl",
    ("BE", "German"): "de",
    ("CA", "QC"): "fr",
    **{("CH", canton): "fr" for canton in ("GE", "VD", "NE", "JU")},
    ("CH", "TI"): "it",
}


def holiday_language(
    country: str, subdiv: str | None, language: str | None, data_language: str | None = None
) -> str:
    """The language of holiday names: `language` (one the package has for the country), else
    the instance's `data_language` when the package has it (`nl-BE` is its `nl`, `en` its
    first English variant for the country), else a
    subdivision's own (`SUBDIVISION_LANGUAGE`, by code or name), else the package's default
    for the country; never the machine's locale, which the package would read."""
    known = _country(country)  # NotImplementedError: no such country
    if language:
        if language not in known.supported_languages:
            raise ValueError(
                f"language {language!r} unknown for {country} "
                f"(known: {', '.join(known.supported_languages) or 'none'})"
            )
        return language
    spoken = _supported(data_language, known.supported_languages)
    if spoken is not None:
        return spoken
    code = known.subdivisions_aliases.get(subdiv or "", subdiv or "")  # 'Québec' is QC
    own = SUBDIVISION_LANGUAGE.get((country, code))
    if own is not None and own in known.supported_languages:
        return own
    return str(known.default_language or "en_US")


def _supported(language: str | None, supported: Sequence[str]) -> str | None:
    """The package's spelling of an instance's `language` (`nl-BE` -> `nl`; `en` -> the first
    `en_*` it lists), or None when it has none."""
    if not language:
        return None
    wanted = language.replace("-", "_").lower()
    by_lower = {s.lower(): s for s in supported}
    if wanted in by_lower:
        return by_lower[wanted]
    base = wanted.split("_")[0]
    return next((s for s in supported if s.lower().split("_")[0] == base), None)


# A Belgian Community's own day: a day off for its public services and its higher education
# (for the French Community, "no higher-education activity on 27 September"), which the
# holidays package lists among school holidays only. Public holidays of that subdivision
# take it from there, under the package's name (27 Sep 2029 is a Thursday: an audit).
# The Flemish Community's day (11 July) is in none of the package's categories (its school
# holidays hold the summer break there): not added, rather than under the break's name.
COMMUNITY_DAYS = {("BE", "French"): (9, 27), ("BE", "German"): (11, 15)}


@lru_cache(maxsize=64)
def _package_holidays(
    country: str,
    subdiv: str | None,
    years: tuple[int, ...],
    category: str,
    language: str | None,
) -> dict[date, str]:
    import holidays

    found = holidays.country_holidays(
        country, subdiv=subdiv, years=years, categories=(category,), language=language
    )
    days = dict(found.items())
    community_day = COMMUNITY_DAYS.get((country, subdiv or ""))
    if category == "public" and community_day is not None:
        school = holidays.country_holidays(
            country, subdiv=subdiv, years=years, categories=("school",), language=language
        )
        days |= {d: name for d, name in school.items() if (d.month, d.day) == community_day}
    return days


@lru_cache(maxsize=16)
def _country(country: str) -> Any:
    """The package's holidays object of `country` (its subdivisions, categories, languages)."""
    import holidays

    return holidays.country_holidays(country)


def package_spelling(country: str, subdiv: str | None) -> tuple[str, str | None]:
    """`country` and `subdiv` as the holidays package spells them when they differ only by
    case ('be', 'french': an audit's manager was refused them) or the country is given by
    its three-letter code or its name ('BEL', 'Belgium': the package took them, but the French
    Community's day, keyed on 'BE', was lost without a word: two audits); else as given, for
    the package's own error."""
    import holidays

    known = holidays.list_supported_countries()
    country = next((c for c in known if c.lower() == country.lower()), country)
    if len(country) != 2 or country not in known:  # an alias: 'BEL', 'Belgium' (an audit)
        for spelling in dict.fromkeys((country, country.upper(), country.title())):
            try:
                country = str(getattr(holidays.country_holidays(spelling), "country", country))
                break
            except NotImplementedError:
                continue  # no such country at all: the package's own error, said later
    if subdiv is not None:
        subdiv = next((s for s in known.get(country, ()) if s.lower() == subdiv.lower()), subdiv)
    return country, subdiv


def _what_the_package_has(country: str) -> str:
    """The subdivisions, categories and languages the package has for `country`, in words."""
    try:
        known = _country(country)
    except NotImplementedError:
        return "no such country in the holidays package (ISO 3166 codes: BE, FR, CA, ...)"
    parts = [
        f"subdivisions: {', '.join(map(str, known.subdivisions)) or 'none'}",
        f"categories: {', '.join(known.supported_categories)}",
        f"languages: {', '.join(known.supported_languages) or 'one'}",
    ]
    return f"the holidays package has for {country}: " + "; ".join(parts)


def unnamed_holiday(category: str) -> str:
    """The name of a holiday listed under `dates` without one: where it comes from (reports
    are in English; the page says it in the instance's language: `export.html.day_notes`)."""
    return f"listed in {category}_holidays.dates"


def holiday_dates(
    source: HolidaySource | None,
    first: date,
    last: date,
    category: str,
    data_language: str | None = None,
) -> dict[date, str]:
    """Holiday dates (with their names, in `holiday_language`) of a source between `first`
    and `last` inclusive; `data_language`: the instance's `language`."""
    if source is None:
        return {}
    found: dict[date, str] = {}
    if source.country:
        years = tuple(range(first.year, last.year + 1))
        try:
            language = holiday_language(
                source.country, source.subdiv, source.language, data_language
            )
        except ValueError as err:  # a language the package lacks: said with those it has
            raise ValueError(f"calendar {category}_holidays: {err}") from err
        except NotImplementedError:
            language = None  # no such country: said below, with what the package has
        try:
            found.update(
                _package_holidays(source.country, source.subdiv, years, category, language)
            )
        except (NotImplementedError, ValueError, KeyError) as err:
            where = f"country {source.country}" + (
                f", subdiv {source.subdiv}" if source.subdiv else ""
            )
            raise ValueError(
                f"calendar {category}_holidays ({where}): {str(err).rstrip('.')}; "
                f"{_what_the_package_has(source.country)} (holidays it lacks go under 'dates')"
            ) from err
    for day in source.dates:
        found.setdefault(day, unnamed_holiday(category))
    return {d: name for d, name in found.items() if first <= d <= last}


def pattern_dates(calendar: Calendar) -> list[tuple[date, str]]:
    """Every (date, slot id) of the weekly pattern between start and end, in time order."""
    by_weekday: dict[str, list[tuple[time, str]]] = {}
    for slot in calendar.slots:
        by_weekday.setdefault(slot.weekday, []).append((slot.start, slot.id))
    result: list[tuple[date, str]] = []
    day = calendar.start
    while day <= calendar.end:
        for _, slot_id in sorted(by_weekday.get(weekday_of(day.weekday()), [])):
            result.append((day, slot_id))
        day += timedelta(days=1)
    return result


#: the reason of a closed slot whose closure gives none (the published views translate it)
UNNAMED_CLOSURE = "closure"


def dated_slot(
    calendar: Calendar,
    day: date,
    slot: SlotPattern,
    index: int = -1,
    school_holiday: str | None = None,
) -> DatedSlot:
    """Pattern slot `slot` on `day` (index -1: not a usable slot of the calendar)."""
    iso = day.isocalendar()
    return DatedSlot(
        index=index,
        date=day,
        slot=slot.id,
        weekday=slot.weekday,
        start=slot.start,
        end=slot.end,
        day=(day - calendar.start).days,
        week=(iso.year, iso.week),
        school_holiday=school_holiday,
    )


def expand_calendar(
    calendar: Calendar, language: str | None = None
) -> tuple[tuple[DatedSlot, ...], tuple[ClosedSlot, ...]]:
    """The usable dated slots and the closed ones, each in chronological order; holidays
    named in the instance's `language` where the package has it."""
    first, last = calendar.start, calendar.end
    public = holiday_dates(calendar.public_holidays, first, last, "public", language)
    school = holiday_dates(calendar.school_holidays, first, last, "school", language)
    pattern = {s.id: s for s in calendar.slots}
    usable: list[DatedSlot] = []
    closed: list[ClosedSlot] = []
    for day, slot_id in pattern_dates(calendar):
        reason = public.get(day)
        if reason is None:
            reason = next(
                (c.reason or UNNAMED_CLOSURE for c in calendar.closures if c.covers(day, slot_id)),
                None,
            )
        index = -1 if reason is not None else len(usable)
        dated = dated_slot(calendar, day, pattern[slot_id], index, school.get(day))
        if reason is not None:
            closed.append(ClosedSlot(day, slot_id, reason, dated))
        else:
            usable.append(dated)
    return tuple(usable), tuple(closed)
