"""Cross-reference checks of an instance, one function per invariant (those of ids in
`validate_ids`, those of what names sessions in `validate_sessions`).

Each raises `ValueError` with a message naming the entity and the field; the loader adds the
file name. They run once, when the `Instance` model is built.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from scheduler.data.groups import ancestors, outermost
from scheduler.data.types import (
    DEFAULT_TIMEZONE,
    WEEKDAYS,
    closest_spelling,
    known_values,
    minutes,
)
from scheduler.data.validate_ids import (
    listed_once,
    names_distinct,
    references_unambiguous,
    unique_ids,
    unknown,
    unknown_site,
)
from scheduler.data.validate_sessions import (
    dropped_references,
    pin_references,
    precedence_references,
    reordered_references,
    session_teachers_references,
)
from scheduler.rules import SOFT_RULES

if TYPE_CHECKING:
    from scheduler.data.instance import (
        UE,
        Calendar,
        DateRule,
        FixedEvent,
        Instance,
        Room,
        Series,
        Site,
    )


def lists_without_repeats(inst: Instance) -> None:
    """A UE, series or fixed event names each teacher, group, room or date once (a teacher
    listed twice would clash with itself)."""
    for ue in inst.ues:
        listed_once(f"ue '{ue.id}'", "teachers", ue.teachers)
        listed_once(f"ue '{ue.id}'", "groups", ue.groups)
        for series in ue.sessions:
            where = f"ue '{ue.id}' series '{series.series}'"
            listed_once(where, "teachers", series.teachers or ())
            listed_once(where, "groups", series.groups or ())
    for e in inst.fixed_events:
        event_lists_once(e)


def event_lists_once(e: FixedEvent) -> None:
    """A fixed event names each teacher, group, room and date once."""
    for field in ("teachers", "groups", "rooms", "dates"):
        listed_once(f"fixed event '{e.id}'", field, (str(v) for v in getattr(e, field)))


def counts_fit_calendar(inst: Instance) -> None:
    """No series needs more slots than the calendar's weekly pattern offers in all (checked
    before anything expands the sessions: a count of 10^9 would fill the memory)."""
    per_weekday = Counter(s.weekday for s in inst.calendar.slots)
    days = (inst.calendar.end - inst.calendar.start).days + 1
    total = 0
    for offset in range(min(days, 7)):  # dates of each weekday in the calendar, times its slots
        day = inst.calendar.start + dt.timedelta(days=offset)
        total += per_weekday[WEEKDAYS[day.weekday()]] * len(range(offset, days, 7))
    for ue in inst.ues:
        for series in ue.sessions:
            if series.count * series.length > total:
                raise ValueError(
                    f"ue '{ue.id}' series '{series.series}' count: {series.count} sessions of "
                    f"{series.length} slot(s), but the calendar's weekly slots give {total} from "
                    "its start to its end, before holidays and closures"
                )


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
        hint = _zone_hint(name)
        raise ValueError(f"timezone: unknown time zone '{name}'{hint}") from err


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


def _keeps_brussels_time(country: str, calendar: Calendar) -> bool:
    """Whether a zone of `country` keeps the default zone's clock over the calendar (France,
    the Netherlands, Germany: a review; their programmes keep the warning alone), or the
    country's zones cannot be read (nothing to say then)."""
    zones = [fields[2] for fields in _zone_rows(country)]
    if not zones:
        return True
    default = ZoneInfo(DEFAULT_TIMEZONE)
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


def _zone_hint(typed: str) -> str:
    """`: did you mean 'Australia/Sydney'?` for `australia/sydney`, `Sydney` or
    `Europe/Bruxelles`."""
    names = sorted(n for n in available_timezones() if n.lower() not in _NOT_PLACES)
    by_case = {name.lower(): name for name in names}
    by_city = {name.rsplit("/", 1)[-1].lower(): name for name in reversed(names) if "/" in name}
    key = typed.strip().lower().replace(" ", "_")
    close = by_case.get(key) or by_city.get(key)
    if close is None:
        lowered = difflib.get_close_matches(typed.strip().lower(), list(by_case), n=1, cutoff=0.8)
        close = by_case[lowered[0]] if lowered else None
    return f": did you mean '{close}'?" if close else " (an IANA name, e.g. 'Europe/Brussels')"


def slot_pattern_consistent(inst: Instance) -> None:
    """Slots of one weekday do not overlap."""
    by_day: dict[str, list[tuple[int, int, str]]] = {}
    for s in inst.calendar.slots:
        by_day.setdefault(s.weekday, []).append((minutes(s.start), minutes(s.end), s.id))
    for spans in by_day.values():
        spans.sort()
        for (_, end, a), (start, _, b) in itertools.pairwise(spans):
            if start < end:
                raise ValueError(f"calendar.slots: slot '{b}' overlaps slot '{a}'")


def _rule_slots(where: str, rules: Iterable[DateRule], slot_ids: set[str]) -> None:
    for rule in rules:
        for slot in rule.slots or ():
            if slot not in slot_ids:
                raise ValueError(f"{where}: {unknown('slot', slot, slot_ids)}")


def slot_references(inst: Instance) -> None:
    """Every slot named by a closure or an availability rule is in the pattern."""
    ids = {s.id for s in inst.calendar.slots}
    for i, closure in enumerate(inst.calendar.closures):
        for slot in closure.slots or ():
            if slot not in ids:
                raise ValueError(f"calendar.closures[{i}].slots: {unknown('slot', slot, ids)}")
    for t in inst.teachers:
        _rule_slots(f"teacher '{t.id}' unavailable", t.unavailable, ids)
        _rule_slots(f"teacher '{t.id}' available_only", t.available_only, ids)
        _rule_slots(f"teacher '{t.id}' avoid", t.avoid, ids)
    for site in inst.sites:
        for room in site.rooms:
            _rule_slots(f"room '{room.id}' unavailable", room.unavailable, ids)
    for ue in inst.ues:
        for series in ue.sessions:
            where = f"ue '{ue.id}' series '{series.series}' unavailable"
            _rule_slots(where, series.unavailable, ids)


def group_tree(inst: Instance) -> None:
    """`part_of` names a known group and the groups form trees (no cycle)."""
    ids = {g.id for g in inst.groups}
    parent = {g.id: g.part_of for g in inst.groups}
    for g in inst.groups:
        if g.part_of is not None and g.part_of not in ids:
            others = ids - {g.id}  # a group cannot be part of itself: not offered as a fix
            raise ValueError(f"group '{g.id}' part_of: {unknown('group', g.part_of, others)}")
        chain = ancestors(g.id, parent)
        if parent.get(chain[-1]) is not None:
            raise ValueError(f"group '{g.id}' part_of: the groups form a cycle")


def teacher_references(inst: Instance) -> None:
    """A teacher's home site is a known site."""
    sites = {s.id for s in inst.sites}
    for t in inst.teachers:
        if t.home_site is not None and t.home_site not in sites:
            raise ValueError(f"teacher '{t.id}' home_site: {unknown_site(t.home_site, inst.sites)}")


def _owner(ue: str, series: str, own: object) -> str:
    """Where a value a series may inherit is written: the series when it has its own (`own`
    not None), else its UE (an audit's unknown teacher on a UE was said to be its series')."""
    return f"ue '{ue}' series '{series}'" if own is not None else f"ue '{ue}'"


def ue_references(inst: Instance) -> None:
    """UEs and series name known teachers, groups and sites, and have at least one group
    unless a series says `groups: []` (e.g. a CB-CTT course in no curriculum)."""
    teachers, groups = {t.id for t in inst.teachers}, {g.id for g in inst.groups}
    sites = {s.id for s in inst.sites}
    for ue in inst.ues:
        for series in ue.sessions:
            owner = partial(_owner, ue.id, series.series)
            for tid in series.teachers if series.teachers is not None else ue.teachers:
                if tid not in teachers:
                    raise ValueError(
                        f"{owner(series.teachers)} teachers: {unknown('teacher', tid, teachers)}"
                    )
            chosen = series.groups if series.groups is not None else ue.groups
            if not chosen and series.groups is None:  # `groups: []` on a series: on purpose
                raise ValueError(  # said at the UE, where groups are usually set (an audit)
                    f"ue '{ue.id}' groups: no attending group for its series "
                    f"'{series.series}' (set groups on the UE or the series; `groups: []` on "
                    "the series if no student group attends it)"
                )
            for gid in chosen:
                if gid not in groups:
                    raise ValueError(
                        f"{owner(series.groups)} groups: {unknown('group', gid, groups)}"
                    )
            for sid in (series.sites if series.sites is not None else ue.sites) or ():
                if sid not in sites:
                    raise ValueError(
                        f"{owner(series.sites)} sites: {unknown_site(sid, inst.sites)}"
                    )


def _suitable_rooms(
    inst: Instance, allowed: tuple[str, ...] | None, features: tuple[str, ...]
) -> list[Room]:
    """The rooms at the `allowed` sites (None: every site) that have all of `features`."""
    return [
        r
        for s in inst.sites
        if allowed is None or s.id in allowed
        for r in s.rooms
        if set(features) <= set(r.features)
    ]


def _no_room(
    inst: Instance, where: str, ue: UE, series: Series, allowed: tuple[str, ...] | None
) -> str:
    """Why `series` of `ue` (at `where`) has no suitable room: no site allowed, sites
    without rooms, or no room with its features."""
    roomless = [x.id for x in inst.sites if (allowed is None or x.id in allowed) and not x.rooms]
    if allowed is not None and not allowed:  # `sites: []` (an audit)
        owner = where if series.sites is not None else f"ue '{ue.id}'"
        return (
            f"{owner} sites: an empty list allows no site: list its sites, or leave "
            "sites out to allow every site"
        )
    if allowed is not None and len(roomless) == len(allowed):
        # an audit's new site without rooms was said as 'no room has []'
        return (
            f"{where} sites: {', '.join(roomless)} {'has' if len(roomless) == 1 else 'have'}"
            " no rooms: give it rooms, or allow another site"
        )
    return f"{where} room_features: {_missing_features(inst, series.room_features, allowed)}"


def _missing_features(
    inst: Instance, features: Sequence[str], allowed: Sequence[str] | None
) -> str:
    """`no room at an allowed site has both simulator and sinks (LAB-2 has sinks; SIM-1 has
    simulator) — ...`: the rooms nearest to having them, a site with a room that has them
    all, and what to do. The explain audit got a Python list and no fix."""
    wanted = set(features)
    near = sorted(
        (r for x in inst.sites if allowed is None or x.id in allowed for r in x.rooms),
        key=lambda r: (-len(wanted & set(r.features)), r.id),
    )
    has = [
        f"{r.id} has {' and '.join(sorted(wanted & set(r.features)))}"
        for r in near[:3]
        if wanted & set(r.features)
    ]
    elsewhere = [
        (x.id, r.id)
        for x in inst.sites
        if allowed is not None and x.id not in allowed
        for r in x.rooms
        if wanted <= set(r.features)
    ]
    fix = "give a room every one of them, or ask for fewer"
    if elsewhere:
        fix += f", or allow site {elsewhere[0][0]} (its room {elsewhere[0][1]} has them all)"
    named = " and ".join(sorted(wanted)) if len(wanted) <= 2 else ", ".join(sorted(wanted))
    both = "both " if len(wanted) == 2 else "all of " if len(wanted) > 2 else ""
    nearest = f" ({'; '.join(has)})" if has else ""
    return f"no room at an allowed site has {both}{named}{nearest} — {fix}"


def _too_small(
    where: str,
    series: Series,
    groups: Sequence[str],
    sizes: dict[str, int],
    need: int,
    rooms: list[Room],
    elsewhere: tuple[str, Room] | None = None,
) -> str:
    """Why `need` students of `series` fit none of its suitable `rooms`; `elsewhere`: a site
    it may not use and a room there that would seat them (the explain audit's 80 seats at
    LIEGE went unsaid)."""
    field = "size" if series.size is not None else "groups"
    whose = (
        "its size"
        if series.size is not None
        else "groups " + ", ".join(f"{g} ({sizes.get(g, 0)})" for g in groups)
    )
    site = (
        f", or allow site {elsewhere[0]} (its room {elsewhere[1].id} seats {elsewhere[1].capacity})"
        if elsewhere
        else ""
    )
    return (
        f"{where} {field}: {need} students ({whose}) fit no allowed room "
        f"(largest suitable: {max(r.capacity for r in rooms)}): raise a room's "
        f"capacity, lower a group's size or set preferences.room_capacity: soft{site}"
    )


def rooms_can_host(inst: Instance) -> None:
    """Every series has a room at an allowed site with its features and, unless room capacity
    is soft, enough seats for its headcount (`size`, else the total size of its groups)."""
    sizes = {g.id: g.size for g in inst.groups}
    parent = {g.id: g.part_of for g in inst.groups}
    hard = inst.preferences.room_capacity == "hard"
    features = {f for s in inst.sites for r in s.rooms for f in r.features}
    for ue in inst.ues:
        for series in ue.sessions:
            where = f"ue '{ue.id}' series '{series.series}'"
            for f in series.room_features:
                if f not in features:
                    known = known_values(f, features)  # 'Projector' for projector: an audit
                    raise ValueError(f"{where} room_features: no room has feature '{f}' {known}")
            allowed = series.sites if series.sites is not None else ue.sites
            groups = series.groups if series.groups is not None else ue.groups
            students = outermost(groups, parent)  # a sub-group listed with its group: once
            need = (
                series.size if series.size is not None else sum(sizes.get(g, 0) for g in students)
            )
            rooms = _suitable_rooms(inst, allowed, series.room_features)
            if not rooms:
                raise ValueError(_no_room(inst, where, ue, series, allowed))
            if hard and max(r.capacity for r in rooms) < need:
                elsewhere = next(
                    (
                        (x.id, r)
                        for x in inst.sites
                        if allowed is not None and x.id not in allowed
                        for r in x.rooms
                        if r.capacity >= need and set(series.room_features) <= set(r.features)
                    ),
                    None,
                )
                raise ValueError(_too_small(where, series, students, sizes, need, rooms, elsewhere))


def fixed_event_references(inst: Instance) -> None:
    """Fixed events name a known site, rooms of that site, known groups and teachers."""
    sites = {s.id: s for s in inst.sites}
    teachers, groups = {t.id for t in inst.teachers}, {g.id for g in inst.groups}
    for e in inst.fixed_events:
        event_references(e, sites, teachers, groups)
        _event_days_near(e, inst.calendar.start, inst.calendar.end)


FAR_YEARS = 10  # an event day this far from the calendar is a typo (9999-12-31)


def _event_days_near(e: FixedEvent, start: dt.date, end: dt.date) -> None:
    """A fixed event's days lie within `FAR_YEARS` of the calendar: a day in year 9999 broke
    the calendars' time-zone rules (a fuzz audit's traceback); nearer days far out are warned
    of by the pre-flight."""
    far = [d for d in e.dates if d.year < start.year - FAR_YEARS or d.year > end.year + FAR_YEARS]
    if far:
        raise ValueError(
            f"fixed event '{e.id}' dates: {far[0]} is more than {FAR_YEARS} years from the "
            f"calendar ({start} to {end}): a typo?"
        )


def room_elsewhere(room: str, at: str, site: str, rooms: Iterable[str]) -> str:
    """`room 'M-AUD' is at MONS, not at the event's site NAMUR (its rooms: N-AUD, ...)`."""
    listed = ", ".join(sorted(rooms)) or "none"
    return f"room '{room}' is at {at}, not at the event's site {site} (its rooms: {listed})"


def event_references(
    e: FixedEvent, sites: Mapping[str, Site], teachers: Set[str], groups: Set[str]
) -> None:
    """One fixed event's site, rooms (of that site), groups and teachers are known."""
    where = f"fixed event '{e.id}'"
    if e.site is not None:  # none: online, abroad or a deadline, without rooms
        if e.site not in sites:
            raise ValueError(f"{where} site: {unknown_site(e.site, sites.values())}")
        rooms = {r.id for r in sites[e.site].rooms}
        for rid in e.rooms:
            at = next((s.id for s in sites.values() if rid in {r.id for r in s.rooms}), None)
            if at is not None and rid not in rooms:  # "unknown" misled: it is known (an audit)
                raise ValueError(f"{where} rooms: {room_elsewhere(rid, at, e.site, rooms)}")
            if rid not in rooms:
                raise ValueError(f"{where} rooms: {unknown(f'room at {e.site}', rid, rooms)}")
    for gid in e.groups:
        if gid not in groups:
            raise ValueError(f"{where} groups: {unknown('group', gid, groups)}")
    for tid in e.teachers:
        if tid not in teachers:
            raise ValueError(f"{where} teachers: {unknown('teacher', tid, teachers)}")


# Weight times penalty units, summed over a whole timetable, must stay within CP-SAT's 64-bit
# integer objective: a weight of 10^15 on the sample made its search end at once with no
# timetable. 10^9 is 50 million times the largest default weight (20): far more than any
# priority needs.
MAX_WEIGHT = 10**9


def weights_known(inst: Instance) -> None:
    """Weights name known soft rules, are not negative and not above `MAX_WEIGHT`."""
    for name, value in inst.weights.items():
        if name not in SOFT_RULES:
            raise ValueError(
                f"weights: unknown soft rule {name!r} ({_rule_meant(name)}known: "
                f"{', '.join(sorted(SOFT_RULES))})"
            )
        if value < 0:
            raise ValueError(
                f"weights {name}: a whole number from 0 (the rule switched off) to "
                f"{MAX_WEIGHT:,}, got {value}"
            )
        if value > MAX_WEIGHT:
            raise ValueError(
                f"weights {name}: at most {MAX_WEIGHT:,} (larger weights overflow the solver's "
                f"objective), got {value:,}"
            )


def _rule_meant(name: str) -> str:
    """`did you mean 'weekly_load'? ` for `Weekly-Load` or `weekly_lod`, else '': the rules
    are few enough to list, and a close one among 16 went unseen (an audit)."""
    folded = "_".join(name.strip().lower().replace("-", " ").split())
    close = folded if folded in SOFT_RULES else closest_spelling(folded, SOFT_RULES)
    return f"did you mean '{close}'? " if close else ""


INVARIANTS = (
    unique_ids,
    names_distinct,
    lists_without_repeats,
    counts_fit_calendar,
    timezone_known,
    timezone_given,
    slot_pattern_consistent,
    slot_references,
    group_tree,
    teacher_references,
    ue_references,
    session_teachers_references,
    rooms_can_host,
    fixed_event_references,
    references_unambiguous,
    dropped_references,
    precedence_references,
    pin_references,
    reordered_references,
    weights_known,
)


def validate_instance(inst: Instance) -> None:
    """Run every cross-reference check; the first failure raises `ValueError`."""
    for invariant in INVARIANTS:
        invariant(inst)
