"""The instance's time zone: an IANA name of a place, and named when its holidays are another
clock's country's (checks run by `validate.validate_instance`)."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from scheduler.data.types import DEFAULT_TIMEZONE

if TYPE_CHECKING:
    from scheduler.data.instance import Instance
    from scheduler.data.instance_calendar import Calendar


#: files of the time zone database that name no place: the machine's own clock (`localtime`),
#: a default for POSIX strings (`posixrules`, New York's rules) and an undefined zone
#: (`Factory`); `posix/` and `right/` are copies, the latter counting leap seconds
_NOT_PLACES = frozenset({"localtime", "posixrules", "factory"})
_DATABASE_COPIES = ("posix/", "right/")


def timezone_known(inst: Instance) -> None:
    """The timezone is an IANA name of a place (or UTC), the same on every machine."""
    name = inst.timezone
    if name.lower() in _NOT_PLACES or name.startswith(_DATABASE_COPIES):
        meant = name.split("/", 1)[1] if name.startswith(_DATABASE_COPIES) else DEFAULT_TIMEZONE
        raise ValueError(
            f"timezone: '{name}' is no place's time zone (a file of this machine's time zone "
            f"database): give an IANA name, e.g. '{meant}'"
        )
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        hint = _zone_hint(name, _holiday_zones(inst))
        raise ValueError(f"timezone: unknown time zone '{name}'{hint}") from err


def _holidays_country(inst: Instance) -> tuple[str, str | None] | None:
    """The country (and subdivision) whose holidays the calendar has, public ones first;
    None when its holidays are dates alone."""
    sources = (inst.calendar.public_holidays, inst.calendar.school_holidays)
    given = next((s for s in sources if s is not None and s.country), None)
    return (given.country, given.subdiv) if given is not None and given.country else None


def _holiday_zones(inst: Instance) -> list[str]:
    """The zones of the country whose holidays the calendar has, for examples; [] for none."""
    country = _holidays_country(inst)
    return _zones_of(*country) if country else []


def timezone_given(inst: Instance) -> None:
    """An instance whose holidays are another country's than Belgium names its timezone:
    read in Brussels' time by default, a Montréal programme's 18:00 showed at 12:00 in its
    people's calendars, after a single warning (a Québec audit)."""
    if "timezone" in inst.model_fields_set:
        return
    sources = (inst.calendar.public_holidays, inst.calendar.school_holidays)
    given = [s for s in sources if s is not None and s.country and s.country != "BE"]
    countries = sorted({s.country for s in given if s.country})
    if countries and not _keeps_brussels_time(countries[0], inst.calendar):
        subdiv = next((s.subdiv for s in given if s.country == countries[0] and s.subdiv), None)
        zones = _zones_of(countries[0], subdiv)
        example = f", e.g. {', '.join(zones)}" if zones else ""
        raise ValueError(
            f"timezone: not given, so every time would be read in {DEFAULT_TIMEZONE}, but the "
            f"calendar's holidays are {countries[0]}'s: name the programme's time zone (an "
            f"IANA name{example})"
        )


def _zone_rows(country: str) -> list[list[str]]:
    """The rows of zone1970.tab (codes, coordinates, zone, comment) of a country (ISO code),
    from the `tzdata` package pandas installs; none when it cannot be read."""
    from importlib import resources

    try:
        text = resources.files("tzdata.zoneinfo").joinpath("zone1970.tab").read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        return []
    return [
        fields
        for line in text.splitlines()
        if not line.startswith("#") and len(fields := line.split("\t")) >= 3
        if country.upper() in fields[0].split(",")
    ]


def zone_unlike_holidays(inst: Instance) -> str:
    """Why a timezone the instance names keeps no clock of the country whose holidays its
    calendar has, or '': `Europe/Brussels` kept from the sample beside Sydney's holidays
    gave every time 9-10 hours off in its people's calendars, without a word (an audit of
    instances the project never saw; a timezone not given is refused by `timezone_given`)."""
    found = _holidays_country(inst) if "timezone" in inst.model_fields_set else None
    if found is None or _keeps_clock_of(found[0], inst.calendar, inst.timezone):
        return ""
    country, subdiv = found
    zones = _zones_of(country, subdiv)
    example = f" (e.g. {', '.join(zones)})" if zones else ""
    return (
        f"timezone {inst.timezone} keeps another clock than {country}'s{example}, whose "
        f"holidays the calendar has: every time of the calendars and timetable.html is read "
        f"in {inst.timezone}; name the zone where the programme is taught"
    )


def _keeps_brussels_time(country: str, calendar: Calendar) -> bool:
    """Whether a zone of `country` keeps the default zone's clock over the calendar (France,
    the Netherlands, Germany: a review; their programmes keep the warning alone), or the
    country's zones cannot be read (nothing to say then)."""
    return _keeps_clock_of(country, calendar, DEFAULT_TIMEZONE)


def _keeps_clock_of(country: str, calendar: Calendar, zone_name: str) -> bool:
    """Whether a zone of `country` keeps `zone_name`'s clock at noon each week of the
    calendar, or the country's zones cannot be read (nothing to say then)."""
    zones = [fields[2] for fields in _zone_rows(country)]
    if not zones:
        return True
    default = ZoneInfo(zone_name)
    span = (calendar.end - calendar.start).days
    days = [calendar.start + dt.timedelta(days=n) for n in range(0, span + 1, 7)]

    def offsets(zone: ZoneInfo) -> list[dt.timedelta | None]:
        return [dt.datetime.combine(d, dt.time(12), zone).utcoffset() for d in days]

    want = offsets(default)
    return any(offsets(ZoneInfo(z)) == want for z in zones)


def _zones_of(country: str, subdiv: str | None = None, shown: int = 3) -> list[str]:
    """Up to `shown` time zones of a country (ISO code) from the time zone database's
    zone1970.tab (the `tzdata` package pandas installs; none when it cannot be read): those
    whose comment names the subdivision, and the "most areas" one, first (CA, QC: Toronto)."""
    rows = _zone_rows(country)

    def fit(fields: list[str]) -> tuple[bool, bool]:
        comment = fields[3] if len(fields) > 3 else ""
        named = subdiv is not None and subdiv.upper() in comment.replace(",", " ").split()
        return named, "most areas" in comment

    best = max((fit(f) for f in rows), default=(False, False))
    return [f[2] for f in rows if fit(f) == best][:shown]


def _zone_hint(typed: str, examples: list[str] | None = None) -> str:
    """`: did you mean 'Australia/Sydney'?` for `australia/sydney`, `Sydney` or
    `Europe/Bruxelles`; else the `examples` (the holidays' country's zones), or Brussels.
    Never an `Etc/` zone, whose sign is the reverse of what it reads ('GMT+10' was offered
    'Etc/GMT+10', UTC-10, for Sydney: an audit), nor a legacy zone named by letters ('AEST'
    was offered 'EST', New York's winter clock all year)."""
    names = sorted(
        n
        for n in available_timezones()
        if n.lower() not in _NOT_PLACES
        and (n == "UTC" or ("/" in n and not n.startswith(("Etc/", "SystemV/"))))
    )
    by_case = {name.lower(): name for name in names}
    by_city = {name.rsplit("/", 1)[-1].lower(): name for name in reversed(names) if "/" in name}
    key = typed.strip().lower().replace(" ", "_")
    close = by_case.get(key) or by_city.get(key)
    if close is None:
        lowered = difflib.get_close_matches(typed.strip().lower(), list(by_case), n=1, cutoff=0.8)
        close = by_case[lowered[0]] if lowered else None
    if close:
        return f": did you mean '{close}'?"
    shown = ", ".join(f"'{z}'" for z in (examples or [DEFAULT_TIMEZONE]))
    return f" (an IANA name, e.g. {shown})"
