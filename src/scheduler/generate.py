"""Synthetic, realistic instances (SCHEMA.md section 1), feasible by construction.

`generate_instance(programmes, seed)` drafts a faculty: several programmes (each a cohort
with two option tracks and three practice-analysis groups) share a teacher pool and the
rooms of two or three sites; visitors come in short windows; closures, a fixed opening day
per programme, precedences and pins. Every series is then placed in a greedy *witness*
timetable (`scheduler.generate_witness`); what cannot be placed is dropped, so the instance
always has a timetable. Only `random.Random(seed)` is used: same arguments, same instance.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from scheduler.data.calendar import expand_calendar
from scheduler.data.instance import Instance
from scheduler.data.instance_calendar import Calendar
from scheduler.generate_witness import RoomDraft, SeriesDraft, TeacherDraft, Witness
from scheduler.generate_years import FIRST_YEAR, LAST_YEAR
from scheduler.solution import Assignment

START = date(2026, 9, 15)  # a Tuesday; fixed so that a seed gives the same instance any day
YEAR = START.year  # the default academic year, 2026-27; `year` moves the calendar by whole weeks
DEFAULT_WEEKS = 26


def default_sites(programmes: int) -> int:
    """The number of sites when not given: 2 for one programme, else 3."""
    return 2 if programmes == 1 else 3


SLOTS = (
    {"id": "TUE-EVE", "weekday": "tue", "start": "18:00", "end": "21:15"},
    {"id": "THU-EVE", "weekday": "thu", "start": "18:00", "end": "21:15"},
    {"id": "SAT-AM", "weekday": "sat", "start": "09:00", "end": "12:15"},
    {"id": "SAT-PM", "weekday": "sat", "start": "13:45", "end": "17:00"},
)
PATTERN_ORDER = {"tue": ("TUE-EVE",), "thu": ("THU-EVE",), "sat": ("SAT-AM", "SAT-PM")}
SITE_NAMES = (("MONS", "Mons"), ("NAMUR", "Namur"), ("CHARLEROI", "Charleroi"))
TOPICS = (
    "Fondements",
    "Méthodes",
    "Pratiques",
    "Organisations",
    "Relations",
    "Éthique",
    "Recherche",
    "Communication",
    "Droit",
    "Évaluation",
)


def generate_instance(
    programmes: int,
    seed: int,
    tightness: float = 0.7,
    weeks: int = DEFAULT_WEEKS,
    sites: int | None = None,
    year: int = YEAR,
) -> Instance:
    """A valid instance of `programmes` programmes, deterministic for `seed`.

    Args:
        programmes: number of programmes (each about 60-100 sessions at tightness 0.7).
        seed: the only source of randomness.
        tightness: target share of a student's usable slots taken by teaching (0.1-0.95);
            rooms are also scarcer when it is higher.
        weeks: calendar length in weeks (two of them, mid-way, are a winter closure).
        sites: number of sites (default 2 for one programme, else 3).
        year: the academic year's first calendar year: the calendar starts on the Tuesday
            on or before 15 September, and its dates move with it by whole weeks (weekdays
            and all), with the public and school holidays of that year's own dates.
    """
    return generate_with_witness(programmes, seed, tightness, weeks, sites, year)[0]


def generate_with_witness(
    programmes: int,
    seed: int,
    tightness: float = 0.7,
    weeks: int = DEFAULT_WEEKS,
    sites: int | None = None,
    year: int = YEAR,
) -> tuple[Instance, tuple[Assignment, ...]]:
    """Like `generate_instance`, with the witness timetable that proves the instance feasible."""
    if programmes < 1 or not 0.1 <= tightness <= 0.95 or weeks < 8:
        raise ValueError("programmes >= 1, 0.1 <= tightness <= 0.95 and weeks >= 8 are required")
    if not FIRST_YEAR <= year <= LAST_YEAR:  # outside, the holidays would be silently missing
        raise ValueError(f"year {year}: the holidays package covers {FIRST_YEAR}-{LAST_YEAR}")
    n_sites = sites or default_sites(programmes)
    gen = _Generator(programmes, seed, tightness, weeks, n_sites, first_tuesday(year))
    instance = gen.run()
    witness = tuple(
        sorted(
            Assignment(f"{s.ue}-{s.name}-{n:02d}", start.date, start.slot, room)
            for s in gen.series
            for n, (start, room) in enumerate(s.placed, start=1)
        )
    )
    return instance, witness


def first_tuesday(year: int) -> date:
    """The Tuesday on or before 15 September of `year` (2026: START itself)."""
    day = date(year, 9, 15)
    return day - timedelta(days=(day.weekday() - 1) % 7)


class _Generator:
    def __init__(
        self, programmes: int, seed: int, tightness: float, weeks: int, sites: int, start: date
    ) -> None:
        self.rng = random.Random(seed)
        self.n, self.seed, self.tightness, self.weeks = programmes, seed, tightness, weeks
        self.site_ids = [s for s, _ in SITE_NAMES[: max(1, min(3, sites))]]
        self.start = start
        self.end = start + timedelta(days=7 * weeks - 2)  # ends on a Sunday
        half = (weeks - 2) // 2
        self.q1 = (start, start + timedelta(days=7 * half - 3))
        self.q2 = (start + timedelta(days=7 * (half + 2) - 1), self.end)
        self.winter = (self.q1[1] + timedelta(days=1), self.q2[0] - timedelta(days=1))
        self.teachers: dict[str, TeacherDraft] = {}
        self.rooms: list[RoomDraft] = []
        self.series: list[SeriesDraft] = []
        self.ues: list[dict[str, Any]] = []
        self.groups: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.avoid: dict[str, str] = {}

    # --- calendar, sites, teachers ---------------------------------------------------------
    def calendar(self) -> dict[str, Any]:
        first_sat = self.start + timedelta(days=4)
        partial = first_sat + timedelta(days=7 * self.rng.randrange(2, 6))
        one_day = self.start + timedelta(days=7 * self.rng.randrange(3, 8) + 2)  # a Thursday
        public, school = _belgian_holidays(self.start, self.end)
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "slots": list(SLOTS),
            "public_holidays": {"dates": [d.isoformat() for d in public]},
            "school_holidays": {"dates": [d.isoformat() for d in school]},
            "closures": [
                {
                    "from": self.winter[0].isoformat(),
                    "to": self.winter[1].isoformat(),
                    "reason": _break_reason(*self.winter),
                },
                {"date": one_day.isoformat(), "reason": "Journée institutionnelle"},
                {"date": partial.isoformat(), "slots": ["SAT-AM"], "reason": "Portes ouvertes"},
            ],
        }

    def make_rooms(self) -> None:
        scale = 1.45 - 0.6 * self.tightness
        for i, site in enumerate(self.site_ids):
            local = sum(1 for k in range(self.n) if k % len(self.site_ids) == i) or 1
            big, small = math.ceil(local * scale) + 1, math.ceil(local * 0.8 * scale) + 1
            for j in range(big):
                features = {"projector", "accessible"}  # seminar rooms (j == 0) have it all
                features |= {"video", "movable_tables"} if j == 0 else set()
                if self.rng.random() < 0.5:
                    features.add("video")
                self.rooms.append(
                    RoomDraft(
                        f"{site[0]}-S{j + 1:02d}",
                        site,
                        self.rng.choice((40, 50, 60, 80)),
                        frozenset(features),
                    )
                )
            for j in range(small):
                closed = None
                if j == 0 and self.rng.random() < 0.5:
                    a = self.q2[0] + timedelta(days=7 * self.rng.randrange(0, 4))
                    # within the calendar (at 8 weeks it ran past the end: a pre-flight
                    # warning of dates outside the calendar that the user could not act on)
                    closed = (a, min(a + timedelta(days=13), self.end)) if a <= self.end else None
                self.rooms.append(
                    RoomDraft(
                        f"{site[0]}-G{j + 1:02d}",
                        site,
                        self.rng.choice((12, 16, 20)),
                        frozenset({"movable_tables"}),
                        closed,
                    )
                )

    def make_teachers(self) -> None:
        for i in range(3 * self.n + 2):
            t = TeacherDraft(f"T{i + 1:03d}", self.site_ids[(i // 3) % len(self.site_ids)])
            roll = self.rng.random()
            if roll < 0.25:
                t.unavailable_weekdays.add("sat")
            elif roll < 0.45:
                a = self.start + timedelta(days=self.rng.randrange(14, 7 * self.weeks - 14))
                t.unavailable_ranges.append((a, a + timedelta(days=6)))
            if self.rng.random() < 0.2:
                self.avoid[t.id] = self.rng.choice(("tue", "thu", "sat"))
            if self.rng.random() < 0.1:
                t.max_per_week = 3
            self.teachers[t.id] = t

    # --- programmes -----------------------------------------------------------------------
    def programme(self, k: int) -> None:
        from scheduler.generate_programme import (
            add_cohort_ues,
            add_groups,
            add_option_and_app_ues,
            add_visitor,
        )

        rng, p = self.rng, f"P{k + 1:02d}"
        site = self.site_ids[k % len(self.site_ids)]
        groups = add_groups(self, p)
        core = [f"T{(3 * k + j) % len(self.teachers) + 1:03d}" for j in range(5)]
        visitor = add_visitor(self, k, site)
        # Student load: tightness x the slots of the weeks that teach, split cohort/option/app.
        usable = 4 * (self.weeks - 2)
        load = self.tightness * usable * 0.75
        cohort_ues = rng.randrange(4, 7)
        counts = _split(round(load * 0.62), cohort_ues, rng)
        add_cohort_ues(self, p, site, core, visitor.id, groups, counts)
        app_window = self.q2 if k % 2 else self.q1
        add_option_and_app_ues(self, p, site, core, groups, load, app_window)
        self.opening_day(p, groups.cohort, site, core, groups.profiles[groups.cohort])

    def add_ue(
        self,
        ue: str,
        title: str,
        sites: list[str],
        window: tuple[date, date],
        series: list[tuple[str, int, int, list[str], list[str], list[str]]],
        profiles: dict[str, frozenset[str]],
        even: bool,
        min_days: int = 2,
    ) -> None:
        sizes = {g["id"]: g["size"] for g in self.groups}
        for name, count, length, teachers, groups, feats in series:
            self.series.append(
                SeriesDraft(
                    ue,
                    name,
                    count,
                    length,
                    tuple(groups),
                    frozenset().union(*(profiles[g] for g in groups)),
                    sum(sizes[g] for g in groups),
                    tuple(teachers),
                    tuple(sites),
                    window,
                    min_days if length == 1 else 0,
                    tuple(feats),
                )
            )
        ue_data: dict[str, Any] = {
            "id": ue,
            "title": title,
            "ects": self.rng.choice((3, 4, 5, 6)),
            "sites": sites,
            "window": _window(window),
            "max_days_between": self.rng.choice((14, 21, 28)),
        }
        if even:
            ue_data["even_spread"] = True
        self.ues.append(ue_data)

    def opening_day(
        self, p: str, coh: str, site: str, core: list[str], profiles: frozenset[str]
    ) -> None:
        """A full-Saturday opening day early in the year, booked in the witness first."""
        self.events.append(
            {
                "id": f"{p}-OUVERTURE",
                "title": f"Journée d'ouverture {p}",
                "site": site,
                "group": coh,
                "core": core,
                "profiles": profiles,
            }
        )

    # --- witness and assembly -------------------------------------------------------------
    def run(self) -> Instance:
        calendar = self.calendar()
        self.make_rooms()
        self.make_teachers()
        for k in range(self.n):
            self.programme(k)
        slots, _ = expand_calendar(Calendar.model_validate(calendar))
        weekly = {p: 3 for s in self.series for p in s.profiles}
        witness = Witness(slots, dict(PATTERN_ORDER), self.teachers, self.rooms, weekly)
        events = [self.place_event(e, witness) for e in self.events]
        order = sorted(
            self.series, key=lambda s: (s.teachers[-1][0] != "V", -s.length, self.rng.random())
        )
        for s in order:
            witness.place_series(s, self.rng)
        return Instance.model_validate(self.assemble(calendar, [e for e in events if e]))

    def place_event(self, event: dict[str, Any], witness: Witness) -> dict[str, Any] | None:
        saturdays = [
            s
            for s in witness.slots
            if s.slot == "SAT-AM" and s.date <= self.start + timedelta(days=40)
        ]
        for start, teacher in ((s, t) for s in saturdays for t in event["core"]):
            occ = witness.occupied(start, 2)
            if occ is None or not all(self.teachers[teacher].available(s) for s in occ):
                continue
            who = [teacher, *sorted(event["profiles"])]
            if any((w, s.index) in witness.busy for w in who for s in occ):
                continue
            room = next(
                (
                    r
                    for r in self.rooms
                    if r.site == event["site"]
                    and r.capacity >= 40
                    and all((r.id, s.index) not in witness.busy for s in occ)
                ),
                None,
            )
            if room is None:
                continue
            witness.book(who, occ, event["site"], room.id)
            return {
                "id": event["id"],
                "title": event["title"],
                "site": event["site"],
                "rooms": [room.id],
                "dates": [start.date.isoformat()],
                "start": "09:00",
                "end": "17:00",
                "groups": [event["group"]],
                "teachers": [teacher],
            }
        return None

    def assemble(self, calendar: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
        from scheduler.generate_parts import assemble_instance

        return assemble_instance(self, calendar, events)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` positive counts of similar size."""
    weights = [rng.uniform(0.7, 1.3) for _ in range(parts)]
    counts = [max(2, round(total * w / sum(weights))) for w in weights]
    return counts


#: the months a mid-year break is the winter holidays in (Belgium's winter and carnival)
WINTER_MONTHS = (12, 1, 2)


def _break_reason(first: date, last: date) -> str:
    """The mid-year closure's reason: the winter holidays when it falls in winter, else a
    break (a 12-week year's closure in October read "Vacances d'hiver": an audit)."""
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    if any(d.month in WINTER_MONTHS for d in days):
        return "Vacances d'hiver et examens"
    return "Interruption et examens"


def _belgian_holidays(first: date, last: date) -> tuple[list[date], list[date]]:
    """The public holidays of Belgium (with the French Community's day, 27 September: see
    `data.calendar.COMMUNITY_DAYS`) and the school holidays of its French Community between
    `first` and `last`, as the `holidays` package gives them for those years (written into
    the instance as dates, so that it says the same whatever reads it). Were 2026-27's,
    shifted by whole weeks into any other year: 10 Nov instead of 11 Nov, teaching on
    Christmas Day 2029 (year audit)."""
    from scheduler.data.calendar import holiday_dates
    from scheduler.data.instance_calendar import HolidaySource

    source = HolidaySource(country="BE", subdiv="French", language="fr")
    public = sorted(holiday_dates(source, first, last, "public"))
    school = sorted(holiday_dates(source, first, last, "school"))
    return public, school


def _window(window: tuple[date, date]) -> dict[str, str]:
    return {"from": window[0].isoformat(), "to": window[1].isoformat()}
