"""What every export shares: who a row concerns, its display texts and a colour per UE.

A *row* is one dict of `scheduler.io.solution_io.timetable_rows` (the `timetable.csv` columns).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from scheduler.data.groups import ancestors
from scheduler.data.problem import Problem
from scheduler.data.sessions import series_key
from scheduler.data.words import name_and_id
from scheduler.export.wording import EN, Words, day_words, words_for

Row = dict[str, str]

KINDS = ("group", "teacher", "room", "site", "student")

# Light, print-friendly colours that stay distinct side by side and carry black text.
# UE colours, light enough for dark text, in an order where each of the first ten is far
# from the others (CIE76 distance >= 20; the eighth was a second light blue beside the
# first, which a visual audit could not tell apart in print) and from the events' grey
PALETTE = (
    "#8ecae6", "#ffb703", "#90be6d", "#f4a4a4", "#cdb4db", "#80cbc4", "#d4a373", "#f7e36b",
    "#9fa8ff", "#f28cc0", "#caffbf", "#a0c4ff", "#ffd6a5", "#fdffb6", "#e5989b", "#b5e48c",
)  # fmt: skip
EVENT_COLOUR = "#d9d9d9"
PLACEMENT = ("date", "start", "end", "site", "room")  # a row's columns that place it


def placed_elsewhere(old: Row, new: Row) -> bool:
    """Whether a session's (or event day's) row `new` is at another day, hour, site or room
    than its row `old` of the timetable revised."""
    return any(old.get(c, "") != new[c] for c in PLACEMENT)


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def safe_id(text: str) -> str:
    """`text` with every character outside `[A-Za-z0-9_.-]` replaced by `-` (ids already are)."""
    return _UNSAFE.sub("-", text) or "-"


def split(value: str) -> list[str]:
    """The ids of a `;`-joined cell."""
    return [v for v in value.split(";") if v]


def uid_key(row: Row) -> str:
    """The stable key of a row: the session id, or `<event id>-<yyyymmdd>` for an event day."""
    if row["kind"] == "event":
        return f"{row['session_id']}-{row['date'].replace('-', '')}"
    return row["session_id"]


@dataclass(frozen=True)
class Entity:
    """Someone or something a timetable can be filtered by: a group, teacher, room or site, or
    a student of several groups (id `OPT-SE+APP1`: an option and a practice group)."""

    kind: str
    id: str
    name: str

    @property
    def label(self) -> str:
        """`Name (ID)`, or the id alone when the entity has no name."""
        return name_and_id(self.name, self.id)


def entities(problem: Problem, kinds: Sequence[str] = KINDS) -> Iterator[Entity]:
    """Every group, teacher, room and site of the instance, kind by kind, in instance order,
    then every student profile (`student_profiles`)."""
    inst = problem.instance
    for kind in kinds:
        if kind == "group":
            yield from (Entity("group", g.id, g.name) for g in inst.groups)
        elif kind == "teacher":
            yield from (Entity("teacher", t.id, t.name) for t in inst.teachers)
        elif kind == "room":
            yield from (Entity("room", r.id, r.name) for s in inst.sites for r in s.rooms)
        elif kind == "site":
            yield from (Entity("site", s.id, s.name) for s in inst.sites)
        elif kind == "student":
            yield from student_profiles(problem)
        else:
            raise ValueError(f"unknown entity kind {kind!r}; expected one of {KINDS}")


def student_profiles(problem: Problem) -> list[Entity]:
    """Students in more than one group beside those groups' ancestors (an option and a
    practice group, say), one entity each: id `OPT-SE+APP1`, the groups in instance order.

    No group's timetable is theirs (each misses the other group's sessions, and two feeds
    show every shared session twice); a student of one group has that group's."""
    parent = {g.id: g.part_of for g in problem.instance.groups}
    label = {g.id: g.name or g.id for g in problem.instance.groups}
    out = []
    for profile in problem.profiles:
        above = {a for g in profile for a in ancestors(g, parent)[1:]}
        own = [g for g in parent if g in profile and g not in above]  # in instance order
        if len(own) > 1:
            out.append(Entity("student", "+".join(own), " + ".join(label[g] for g in own)))
    return out


def group_chain(problem: Problem, group_id: str) -> tuple[str, ...]:
    """The group and its ancestors: the groups whose sessions its students attend."""
    parent = {g.id: g.part_of for g in problem.instance.groups}
    return tuple(ancestors(group_id, parent))


def attended(problem: Problem, entity: Entity) -> set[str]:
    """The groups whose sessions a group's or student's timetable holds: each of its groups
    (one for a group, several for a student `A+B`) and their ancestors."""
    return {g for own in entity.id.split("+") for g in group_chain(problem, own)}


def matcher(problem: Problem, entity: Entity) -> Callable[[Row], bool]:
    """A predicate telling whether a row belongs in `entity`'s timetable.

    A group's timetable holds the sessions of the group and of its ancestors (what its students
    attend), a student's those of each of its groups and their ancestors; a teacher's, room's or
    site's those that name it.
    """
    if entity.kind in ("group", "student"):
        chain = attended(problem, entity)
        return lambda row: bool(chain.intersection(split(row["groups"])))
    column = {"teacher": "teachers", "room": "room", "site": "site"}[entity.kind]
    return lambda row: entity.id in split(row[column])


def rows_of(problem: Problem, rows: Sequence[Row], entity: Entity) -> list[Row]:
    """The rows of `entity`'s timetable, in the given order."""
    keep = matcher(problem, entity)
    return [r for r in rows if keep(r)]


def ue_colours(problem: Problem) -> dict[str, str]:
    """A colour per UE id, in instance order, cycling through `PALETTE`."""
    return {u.id: PALETTE[i % len(PALETTE)] for i, u in enumerate(problem.instance.ues)}


def series_position(problem: Problem, session_id: str) -> str | None:
    """`4/10`: the session's place among its series' sessions to give, and how many there
    are; None for an event or a session the problem no longer has ("7/6" would be nonsense).
    A dropped session leaves the count, and the sessions after it move up a place: the
    number of a session id does not ("8/7" after a drop, an audit's finding). A session
    given out of its series' order (`reordered`: cancelled, made up after later ones) says
    so, `5/8, rattrapage`: an audit's feed read 7/8, 5/8, 8/8 with nothing to tell why. A
    series of one session has no place to say ("(1/1)" read as noise: a Québec audit)."""
    session = problem.session.get(session_id)
    if session is None:
        return None
    ids = [s.id for s in problem.series[session.series_id]]
    reordered = session_id in problem.instance.reordered
    if len(ids) == 1 and not reordered:
        return None
    place = f"{ids.index(session_id) + 1}/{len(ids)}"
    if reordered:
        place += words_for(problem.instance.language)["makeUp"]
    return place


def summary(problem: Problem, row: Row) -> str:
    """A one-line title: `UE3 · Analyse des organisations (4/10)`, or the event title."""
    if row["kind"] != "session":
        return row["ue_title"] or row["session_id"]
    place = series_position(problem, row["session_id"])
    label = series_words(problem, row["ue"], row["series"])
    return session_title(row["ue"], row["ue_title"], label, place)


def series_words(problem: Problem, ue_id: str, series: str) -> str:
    """What follows a UE's title for its series named `series`: the series' `title`, else
    its name, nothing for an untitled `main` (`Problem.series_label`); a series the instance
    no longer has, by its name."""
    label = problem.series_label.get(series_key(ue_id, series))
    if label is None:
        return "" if series in ("", "main") else series
    return label


def session_title(ue: str, ue_title: str, label: str, place: str | None) -> str:
    """`UE3 · Analyse des organisations — groupe 1 (4/10)`, `label` the series' words
    (`series_words`; none for a UE's only series), no place without `place`."""
    title = f"{ue} · {ue_title}" if ue_title else ue
    if label:
        title += f" — {label}"
    return f"{title} ({place})" if place else title


def room_names(problem: Problem, row: Row) -> str:
    """The row's rooms by name, with ids: `Salle A (M-A)`."""
    rooms = []
    for rid in split(row["room"]):
        room = problem.room.get(rid)
        rooms.append(Entity("room", rid, room.name if room else "").label)
    return " + ".join(rooms)


def _event_location(problem: Problem, row: Row) -> str:
    """A fixed event's `location` (`En ligne`, `HES-SO, Lausanne`), said in place of its
    site's name and address; empty for a session's row."""
    if row["kind"] != "event":
        return ""
    event = problem.event.get(row["session_id"])
    return event.location if event is not None else ""


def site_name(problem: Problem, row: Row) -> str:
    """Where a row is, as a word: its site's name, a fixed event's `location`, else the
    site id the row gives (a site no longer in the instance)."""
    elsewhere = _event_location(problem, row)
    site = next((s for s in problem.instance.sites if s.id == row["site"]), None)
    return elsewhere or ((site.name or site.id) if site else row["site"])


def location(problem: Problem, row: Row) -> str:
    """Room, site name and address: `Salle A (M-A), UMONS, Avenue Frère Orban, 7000 Mons`; a
    fixed event's own `location` in place of the site's."""
    site = next((s for s in problem.instance.sites if s.id == row["site"]), None)
    parts, elsewhere = [room_names(problem, row)], _event_location(problem, row)
    if elsewhere:
        parts.append(elsewhere)
    elif site is not None:
        parts += [site.name or site.id, site.address]
    else:
        parts.append(row["site"])
    return ", ".join(p for p in parts if p)


def teacher_names(problem: Problem, row: Row, *, emails: bool = False) -> list[str]:
    """The row's teachers by name (with their e-mail when asked and known)."""
    names = []
    for tid in split(row["teachers"]):
        teacher = problem.teacher.get(tid)
        name = teacher.name if teacher and teacher.name else tid
        if emails and teacher is not None and teacher.email:
            name += f" <{teacher.email}>"
        names.append(name)
    return names


def group_names(problem: Problem, row: Row) -> list[str]:
    """The row's groups as `Name (ID)`."""
    names = []
    for gid in split(row["groups"]):
        group = problem.group.get(gid)
        names.append(Entity("group", gid, group.name if group else "").label)
    return names


def was_words(problem: Problem, row: Row, now: Row | None = None, words: Words = EN) -> str:
    """Where and when a row was, for a moved session's mark (page and workbook): what
    differs from `now`, its row in the revision (a chip that repeated its unchanged day,
    hours and site hid its teachers and groups: an exploratory test); without it, the day,
    hours, site and rooms. An event given a room where it had none was 'no room'. In
    `words`' language (the page's); English for the workbook."""

    def same(*columns: str) -> bool:
        return now is not None and all(now.get(c, "") == row.get(c, "") for c in columns)

    day = date.fromisoformat(row["date"])
    hours = f"{row['start']}–{row['end']}"
    dated = f"{day_words(words, day)} {hours}"
    when = "" if same("date", "start", "end") else hours if same("date") else dated
    where = site_name(problem, row)
    if same("site"):  # the same site: its rooms by name, if they changed
        where = "" if same("room") else room_names(problem, row) or words["noRoom"]
    elif row["room"]:  # another site says most; its rooms by id (a chip's lines are few)
        where += f" ({' + '.join(split(row['room']))})"
    return ", ".join(p for p in (when, where) if p)
