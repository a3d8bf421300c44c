"""`notices.csv`: what a re-solve changed, written to each person it concerns, in the
instance's language, ready to send (a mail merge, or pasted into a message).

changes.md's "Whom to tell" is the staff's list, in English with ids; the people on it read
the calendars' language, and staff wrote each message again by hand from it (stop 81's
left-alone item). A notice is one row per teacher or group of that list, the same items in
the same order, each whole in itself: the session's title as the calendars give it, its old
and new day, hours and place by name, and who teaches it now when that changed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scheduler.data.problem import Problem
from scheduler.export.common import split
from scheduler.export.wording import Words, long_date, words_for
from scheduler.resolve.diff import Moved, place_of
from scheduler.resolve.event_words import event_people
from scheduler.resolve.notice_words import sentences_for
from scheduler.resolve.published_rows import Rows, session_hours
from scheduler.resolve.recipients import EventChanges, Recipient
from scheduler.resolve.session_words import heading
from scheduler.solution import Assignment

HEADER = ("kind", "id", "name", "email", "language", "subject", "body")


class _Say:
    """Dates, places and people in the instance's language, by name without ids."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.words: Words = words_for(problem.instance.language)
        self.s: dict[str, Any] = sentences_for(problem.instance.language)

    def day(self, day: dt.date) -> str:
        """`mardi 16 février 2027`."""
        weekday = self.s["weekdays"][day.weekday()]
        return str(self.s["day"]).format(weekday=weekday, date=long_date(self.words, day))

    def hours(self, day: dt.date, begin: str, end: str, slot: str = "") -> str:
        """`mardi 16 février 2027, 18:00–21:15` (the slot's id where its hours are unknown)."""
        hours = f"{begin}–{end}" if begin else slot
        return f"{self.day(day)}, {hours}" if hours else self.day(day)

    def place(self, room_id: str, address: bool = False) -> str:
        """`Salle de séminaire S01, UNamur`, with the site's address when `address`."""
        room = self.problem.room.get(room_id)
        site_id = self.problem.room_site.get(room_id)
        site = self.problem.site.get(site_id) if site_id else None
        parts = [_name(room.name if room else "", room_id)]
        if site is not None:
            parts.append(_name(site.name, site.id))
            if address and site.address:
                parts[-1] += f" ({' '.join(site.address.split())})"
        return ", ".join(parts)

    def teachers(self, ids: Sequence[str]) -> str:
        found = self.problem.teacher
        names = [_name(found[t].name, t) if t in found else t for t in ids]
        return ", ".join(names) or str(self.s["nobody"])

    def groups(self, ids: Sequence[str]) -> str:
        found = self.problem.group
        names = [_name(found[g].name, g) if g in found else g for g in ids]
        return ", ".join(names) or str(self.s["nobody"])


def _name(name: str, entity_id: str) -> str:
    """A name as typed, on one line, or the id for none."""
    return " ".join(name.split()) or entity_id


def session_notice(say: _Say, m: Moved, shown: Rows, today: dt.date | None = None) -> str:
    """`UE4 · Dimensions relationnelles — paris (1/4) : la séance du samedi 13 février 2027,
    13:45–17:00, Salle 1.11, UMONS est déplacée au mardi 16 février 2027, 18:00–21:15, ...`:
    one moved, added or dropped session in the instance's language."""
    p, s = say.problem, say.problem.session.get(m.session)
    title = heading(p, s, m.session, shown)

    def at(a: Assignment, rows: Rows, address: bool = False) -> str:
        return f"{when(a, rows)}, {say.place(a.room, address)}"

    def when(a: Assignment, rows: Rows) -> str:
        return say.hours(a.date, *session_hours(p, a, s, rows), slot=a.slot)

    b, a = m.before, m.after
    if b is None and a is not None:
        text = say.s["added"].format(title=title, after=at(a, {}))
    elif a is None and b is not None:
        text = say.s["dropped"].format(title=title, before=at(b, shown))
    elif a is None or b is None:  # neither: nothing to say of it
        return title
    elif place_of(b) == place_of(a):  # its teachers alone changed
        text = say.s["stays"].format(title=title, before=at(a, {}))
    else:
        other_site = p.room_site.get(b.room) != p.room_site.get(a.room)
        if (b.date, b.slot) == (a.date, a.slot):
            place = say.place(a.room, address=other_site)
            text = say.s["movedPlace"].format(title=title, when=when(a, {}), place=place)
        else:  # its room said once when it keeps it
            before = when(b, shown) if b.room == a.room else at(b, shown)
            after = at(a, {}, address=other_site)
            text = say.s["moved"].format(title=title, before=before, after=after)
    if m.teachers is not None:
        text += _teachers_changed(say, *m.teachers)
    urgent = today is not None and b is not None and b.date == today
    return f"{say.s['urgent'] if urgent else ''}{text}"


def _teachers_changed(say: _Say, before: Sequence[str], after: Sequence[str]) -> str:
    """`; elle est donnée par X au lieu de Y`, or, for a co-taught session, who no longer
    comes (`; désormais sans Y`) or who joins: "by Collard instead of Collard, Tremblay" read
    as a riddle."""
    gone = [t for t in before if t not in after]
    joins = [t for t in after if t not in before]
    if (gone and joins) or not (gone or joins):  # replaced, or given by nobody at all
        return str(say.s["taughtBy"]).format(
            after=say.teachers(joins or after), before=say.teachers(gone or before)
        )
    if gone:
        return str(say.s["teacherGone"]).format(before=say.teachers(gone))
    return str(say.s["teacherJoins"]).format(after=say.teachers(joins))


def event_notice(
    say: _Say,
    eid: str,
    before: Sequence[Mapping[str, str]],
    after: Sequence[Mapping[str, str]],
    today: dt.date | None = None,
) -> str:
    """A fixed event's days moved, cancelled or added, and its teachers or groups changed, in
    the instance's language: `Séminaire international : l'événement du vendredi 11 juin
    2027, 09:00–17:00, Auditoire, UNamur est déplacé au ...`."""

    def key(r: Mapping[str, str]) -> tuple[str, ...]:
        return r["date"], r["start"], r["end"], r["site"], r["room"]

    places = {_event_place(say, r) for r in (*before, *after)}
    shared = places.pop() if len(places) == 1 else None
    new_sites = {r["site"] for r in after} - {r["site"] for r in before}  # their address

    def days(rows: Sequence[Mapping[str, str]], last: bool = True) -> str:
        """The days of `rows`, each with its place, or their one place said once, after
        the last list of the sentence (`last`)."""
        sep = str(say.words["listSep"])
        if shared is None:
            return sep.join(
                _event_day(say, r) + _event_place(say, r, r["site"] in new_sites)
                for r in sorted(rows, key=key)
            )
        said = sep.join(_event_day(say, r) for r in sorted(rows, key=key))
        return said + shared if last else said

    titles = [r["ue_title"] for r in (*before, *after) if r.get("ue_title")]
    title = _name(titles[0], eid) if titles else eid
    old, new = {key(r) for r in before}, {key(r) for r in after}
    gone = [r for r in before if key(r) not in new]
    came = [r for r in after if key(r) not in old]
    s = say.s
    if gone and came:
        text = s["eventMoved"].format(title=title, before=days(gone, False), after=days(came))
    elif gone:
        text = s["eventCancelled"].format(title=title, before=days(gone))
    elif came:
        text = s["eventAdded"].format(title=title, after=days(came))
    else:
        text = s["eventPeople"].format(title=title, after=days(after))
    if before and after:  # who it lists from then on, when that changed
        (t0, g0), (t1, g1) = event_people(before), event_people(after)
        people: list[tuple[str, tuple[str, ...], tuple[str, ...], Callable[..., str]]] = [
            ("eventTeachers", t0, t1, say.teachers),
            ("eventGroups", g0, g1, say.groups),
        ]
        for k, was, now, named in people:
            if was != now:
                text += f"{say.words['listSep']}{s[k].format(after=named(now), before=named(was))}"
    urgent = today is not None and any(r["date"] == today.isoformat() for r in gone)
    return f"{s['urgent'] if urgent else ''}{text}"


def _event_day(say: _Say, r: Mapping[str, str]) -> str:
    """`vendredi 11 juin 2027, 09:00–17:00`."""
    return say.hours(dt.date.fromisoformat(r["date"]), r["start"], r["end"])


def _event_place(say: _Say, r: Mapping[str, str], address: bool = False) -> str:
    """`, Auditoire Pedro Arrupe, UNamur`, with the site's address when `address` (an event
    sent to another town); nothing for an event at no site (online, abroad)."""
    if not r["site"]:
        return ""
    p = say.problem
    rooms = [_name(p.room[x].name, x) if x in p.room else x for x in split(r["room"])]
    site = p.site.get(r["site"])
    where = _name(site.name, site.id) if site else r["site"]
    if address and site is not None and site.address:
        where += f" ({' '.join(site.address.split())})"
    return ", " + ", ".join([*rooms, where])


def notice_items(
    problem: Problem,
    moved: Sequence[Moved],
    shown: Rows,
    events: EventChanges,
    today: dt.date | None = None,
) -> list[str]:
    """The items of `recipients`' list (its sessions, then its events, in that order) in the
    instance's language: a recipient's `concerns` index them."""
    say = _Say(problem)
    items = [session_notice(say, m, shown, today) for m in moved]
    items += [event_notice(say, eid, e.before, e.after, today) for eid, e in events.items()]
    return items


def notices_csv(
    problem: Problem, found: Sequence[Recipient], items: Sequence[str], today: dt.date
) -> str:
    """`notices.csv`: per recipient (`recipients`, the teachers then the groups), its kind,
    id, name, e-mail address (a teacher's, when the instance has one), the language of the
    words, a subject and the message's body, lines joined by line breaks in the cell."""
    say = _Say(problem)
    s = say.s
    instance = problem.instance
    programme = _name(instance.title, instance.name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for r in found:
        mine = [items[i] for i in r.concerns]
        intro = s["intro"][len(mine) > 1].format(
            programme=programme, today=long_date(say.words, today)
        )
        body = "\n".join(
            [s["hello"], "", intro, "", *(f"- {item}" for item in mine), "", s["calendars"]]
        )
        if r.teacher:
            teacher = problem.teacher.get(r.id)
            name = _name(teacher.name, r.id) if teacher else r.id
            email = teacher.email or "" if teacher else ""
        else:
            name = s["studentsOf"].format(group=say.groups([r.id]))
            email = ""
        kind = "teacher" if r.teacher else "group"
        subject = s["subject"].format(programme=programme)
        writer.writerow([kind, r.id, name, email, say.words["lang"], subject, body])
    return buffer.getvalue()
