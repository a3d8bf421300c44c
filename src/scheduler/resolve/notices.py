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
from collections.abc import Mapping, Sequence
from typing import Any

from scheduler.data.problem import Problem
from scheduler.data.words import plain_name, room_name, site_address
from scheduler.export.common import split
from scheduler.export.wording import Words, long_date, words_for
from scheduler.resolve.diff import Moved, place_of
from scheduler.resolve.event_words import event_people
from scheduler.resolve.notice_words import sentences_for
from scheduler.resolve.published_rows import Rows, relocated, session_hours
from scheduler.resolve.recipients import EventChange, EventChanges, Recipient
from scheduler.resolve.session_words import heading, place_words
from scheduler.solution import Assignment

HEADER = ("kind", "id", "name", "email", "language", "subject", "body")
SUBJECT_TITLE = 60  # characters of the programme's title in a subject (the sample's: 162)
Row = Mapping[str, str]


def _of(name: str) -> str:
    """French `de` before a name: `d'Anne Lambert`, `de Luc Mertens`."""
    return f"d'{name}" if name[:1].lower() in "aeiouyhàâäéèêëîïôöûü" and name[:1] else f"de {name}"


class _Words:
    """Dates, places and people in the instance's language, by name without ids: the page's
    catalogue (`words`: months, how a date is written) and the notices' `sentences`."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.words: Words = words_for(problem.instance.language)
        self.sentences: dict[str, Any] = sentences_for(problem.instance.language)

    def say(self, key: str, **fields: str) -> str:
        """A sentence with its fields, and each field's `{x_of}` in a language that elides
        (`de Luc`, `d'Anne`: "au lieu de Anne" read wrong, a notices audit)."""
        if self.sentences["elide"]:
            fields |= {f"{k}_of": _of(v) for k, v in fields.items()}
        return str(self.sentences[key]).format(**fields)

    def day(
        self, day: dt.date, begin: str = "", end: str = "", slot: str = "", place: str = ""
    ) -> str:
        """`mardi 16 février 2027 (18:00–21:15, Salle 1, UMONS)`: the hours (the slot's id
        where they are unknown) and place in brackets, so that the sentence's verb does not
        read as the place's ("..., UNamur est supprimée": a notices audit)."""
        weekday = self.sentences["weekdays"][day.weekday()]
        said = self.say("day", weekday=weekday, date=long_date(self.words, day))
        inside = ", ".join(x for x in (f"{begin}–{end}" if begin else slot, place) if x)
        return f"{said} ({inside})" if inside else said

    def people(self, ids: Sequence[str], kind: str) -> str:
        """Teachers (`kind` teacher) or groups by name, or `personne` for none."""
        found: Mapping[str, Any] = self.problem.teacher if kind == "teacher" else self.problem.group
        names = [plain_name(found[x].name, x) if x in found else x for x in ids]
        return ", ".join(names) or str(self.sentences["nobody"])

    def days(self, said: Sequence[str], preposition: str = "") -> str:
        """`du samedi 19 septembre 2026 (09:00–12:15)`, `des A et B`, `des A ; B et C`: days
        (said by `day`) with their `preposition` (`of`, `to`, `on`) for one or several, or
        none."""
        head = self.sentences[preposition][len(said) > 1] if preposition else ""
        listed = str(self.words["listSep"]).join(said[:-1])
        joined = f"{listed}{self.sentences['and']}{said[-1]}" if listed else said[-1]
        return f"{head}{joined}"


def session_notice(
    w: _Words, m: Moved, shown: Rows, today: dt.date | None = None, reader: str | None = None
) -> str:
    """`UE4 · Dimensions relationnelles — paris (1/4) : la séance du samedi 13 février 2027
    (13:45–17:00) est déplacée au mardi 16 février 2027 (18:00–21:15, Salle 1.11, UMONS)`:
    one moved, added or dropped session in the instance's language, its room said once when
    it keeps it, the site's address when it changes town (then a move, even at the same
    hour: "change de local" left the old town unsaid, a notices audit); to the teacher
    `reader`, what changed of who teaches it said to them (`vous ne la donnez plus`)."""
    p, s = w.problem, w.problem.session.get(m.session)
    title = heading(p, s, m.session, shown)

    def when(a: Assignment, rows: Rows) -> str:
        return w.day(a.date, *session_hours(p, a, s, rows), slot=a.slot)

    def at(a: Assignment, rows: Rows, address: bool = False) -> str:
        place = _place(p, a.room, address)
        return w.day(a.date, *session_hours(p, a, s, rows), slot=a.slot, place=place)

    b, a = m.before, m.after
    if b is None and a is not None:
        text = w.say("added", title=title, after=at(a, {}))
    elif a is None and b is not None:
        text = w.say("dropped", title=title, before=at(b, shown))
    elif a is None or b is None:  # neither placement: nothing to say of it
        return title
    elif place_of(b) == place_of(a):  # its teachers alone changed
        text = w.say("stays", title=title, before=at(a, {}))
    else:
        other_town = p.room_site.get(b.room) != p.room_site.get(a.room)
        if (b.date, b.slot) == (a.date, a.slot) and not other_town:  # a room of the site
            text = w.say("movedPlace", title=title, when=when(a, {}), place=_place(p, a.room))
        else:
            before = when(b, shown) if b.room == a.room else at(b, shown)
            text = w.say("moved", title=title, before=before, after=at(a, {}, other_town))
    if m.teachers is not None:
        text += _teachers_changed(w, *m.teachers, reader)
    urgent = today is not None and b is not None and b.date == today
    return f"{w.sentences['urgent'] if urgent else ''}{text}"


def _place(p: Problem, room_id: str, address: bool = False) -> str:
    """`Salle 1.11, UMONS`, and its site's address after a comma when `address` (inside the
    day's brackets: no brackets within brackets)."""
    place = place_words(p, room_id, ids=False)
    street = site_address(p, p.room_site.get(room_id)) if address else ""
    return f"{place}, {street}" if street else place


def _teachers_changed(
    w: _Words, before: Sequence[str], after: Sequence[str], reader: str | None = None
) -> str:
    """`; elle est donnée par X au lieu de Y`, or, for a co-taught session, who no longer
    gives it (`; elle n'est plus donnée par Y`) or who joins (`; elle est aussi donnée par
    X`): "by Collard instead of Collard, Tremblay" read as a riddle; that no teacher is
    planned when none is. To the teacher `reader` who leaves or joins, said to them, with
    who gives it now: a replaced teacher read "elle n'est plus donnée par" their own name
    (stop 82's left-alone item)."""
    gone = [t for t in before if t not in after]
    joins = [t for t in after if t not in before]
    if not (gone or joins):  # the same teachers (listed in another order): nothing to say
        return ""
    if reader is not None and reader in gone:
        if not after:
            return w.say("youNobody")
        return w.say("youReplaced", after=w.people(after, "teacher"))
    if reader is not None and reader in joins:
        if gone:
            return w.say("youReplace", before=w.people(gone, "teacher"))
        return w.say("youJoin" if before else "youNow")
    if not after:
        return w.say("nobodyNow", before=w.people(before, "teacher"))
    if not before:  # given by nobody until now: not "aussi"
        return w.say("teacherNow", after=w.people(after, "teacher"))
    if gone and not joins:
        return w.say("teacherGone", before=w.people(gone, "teacher"))
    if joins and not gone:
        return w.say("teacherJoins", after=w.people(joins, "teacher"))
    return w.say("taughtBy", after=w.people(joins, "teacher"), before=w.people(gone, "teacher"))


def event_notice(
    w: _Words,
    eid: str,
    before: Sequence[Row],
    after: Sequence[Row],
    today: dt.date | None = None,
    reader: str | None = None,
) -> str:
    """A fixed event's days moved, cancelled or added, and its teachers or groups changed, in
    the instance's language: `Séminaire international : l'événement des vendredi 11 juin
    2027 (09:00–17:00) et samedi 12 juin 2027 (09:00–17:00) est déplacé aux ... — Auditoire
    Pedro Arrupe, UNamur`, with the days it keeps when others go; its days then where it now
    is when only its place changed (` — lieu : En ligne (Zoom) (précédemment : En ligne
    (Teams))`: the same days "déplacé" to themselves read as a move, an audit). To the
    teacher `reader` who leaves or joins it, said to them (`vous n'y participez plus`)."""
    titles = [r["ue_title"] for r in (*after, *before) if r.get("ue_title")]  # the new one
    title = plain_name(titles[0], eid) if titles else eid
    old, new = {_key(r) for r in before}, {_key(r) for r in after}
    gone = [r for r in before if _key(r) not in new]
    came = [r for r in after if _key(r) not in old]
    kept = [r for r in after if _key(r) in old]
    days = _EventDays(w, eid, before, after)
    then = str(w.sentences["then"])
    # another site, rooms or `location` (`published_rows.located`), its days or not; said of
    # its first day, as every day of a fixed event in one timetable is at one place (its
    # `site`, `rooms` and `location` are the event's; `event_moved` changes them only
    # while no day has passed)
    elsewhere = bool(before and after) and (
        relocated(before, after) is not None or _key(before[0])[3:] != _key(after[0])[3:]
    )
    if elsewhere and _times(gone) == _times(came):  # the same days, at another place
        text = w.say("eventPeople", title=title, after=days(after, placed=False))
    elif gone and came:
        text = w.say("eventMoved", title=title, before=days(gone, "of"), after=days(came, "to"))
    elif gone:
        text = w.say("eventCancelled", title=title, before=days(gone, "of"))
    elif came:
        text = w.say("eventAdded", title=title, after=days(came, "on"))
    else:
        text = w.say("eventPeople", title=title, after=days(after))
    if gone and kept:  # one day of two cancelled is not the event (a notices audit)
        text += then + w.say("eventKept", days=days(kept, "on"))
    if days.shared:
        text += then + days.shared
    text += _event_people_changed(w, before, after, reader)
    if elsewhere and (kept or _times(gone) == _times(came)):  # days not said with it
        unsaid = str(w.sentences["unsaid"])
        now, was = days.place(after[0]) or unsaid, days.place(before[0]) or unsaid
        text += then + w.say("eventPlace", after=now, before=was)
    urgent = today is not None and any(r["date"] == today.isoformat() for r in gone)
    return f"{w.sentences['urgent'] if urgent else ''}{text}"


def _times(rows: Sequence[Row]) -> list[tuple[str, str, str]]:
    """The days and hours of event `rows`, in order, wherever they are."""
    return sorted((r["date"], r["start"], r["end"]) for r in rows)


def _key(r: Row) -> tuple[str, ...]:
    return r["date"], r["start"], r["end"], r["site"], r["room"]


class _EventDays:
    """An event's days in words, each with its hours and place, or, when every day before
    and after is at one place, with its hours only (`shared`, the place, said once after the
    sentence); with the address of a site the event was not at before."""

    def __init__(self, w: _Words, eid: str, before: Sequence[Row], after: Sequence[Row]) -> None:
        self.w = w
        event = w.problem.event.get(eid)
        self.location = plain_name(event.location, "") if event else ""
        self.new_sites = {r["site"] for r in after} - {r["site"] for r in before}
        places = {self.place(r) for r in (*before, *after)}
        self.shared = places.pop() if len(places) == 1 else ""

    def __call__(self, rows: Sequence[Row], preposition: str = "", placed: bool = True) -> str:
        """`rows`' days with their `preposition` (`of`, `to`, `on`), with their places unless
        one is `shared` or they are not `placed`."""
        said = [
            self.w.day(
                dt.date.fromisoformat(r["date"]),
                r["start"],
                r["end"],
                place=self.place(r) if placed and not self.shared else "",
            )
            for r in sorted(rows, key=_key)
        ]
        return self.w.days(said, preposition)

    def place(self, r: Row) -> str:
        """`Auditoire Pedro Arrupe, UNamur`, with the address of a site new to the event; its
        `location` in place of the site, as the calendars say it (the row's, from
        `published_rows.located`); an event at no site (online, abroad), that alone (for a
        row without it, as the instance now gives it)."""
        location = r.get("location", "" if r["site"] else self.location)
        if not r["site"]:
            return location
        p = self.w.problem
        site = p.site.get(r["site"])
        where = location or (plain_name(site.name, site.id) if site else r["site"])
        if not location and r["site"] in self.new_sites and (street := site_address(p, r["site"])):
            where += f", {street}"
        return ", ".join([*(room_name(p, x) for x in split(r["room"])), where])


def _event_people_changed(
    w: _Words, before: Sequence[Row], after: Sequence[Row], reader: str | None = None
) -> str:
    """` — enseignants : X (au lieu de Y)`, the same for groups: who the event lists from then
    on, when that changed (nothing for an event added or dropped whole); to the teacher
    `reader` who leaves or joins it, ` — vous n'y participez plus` (`vous y participez
    désormais`) instead of the teachers (an audit's juror had to find their name missing
    from a list of five)."""
    if not (before and after):
        return ""
    (t0, g0), (t1, g1) = event_people(before), event_people(after)
    text = ""
    for key, kind, was, now in (
        ("eventTeachers", "teacher", t0, t1),
        ("eventGroups", "group", g0, g1),
    ):
        if was == now:
            continue
        if kind == "teacher" and reader is not None and (reader in was) != (reader in now):
            said = w.say("eventYouGone" if reader in was else "eventYouJoin")
        else:
            said = w.say(key, after=w.people(now, kind), before=w.people(was, kind))
        text += f"{w.sentences['then']}{said}"
    return text


def notice_items(
    problem: Problem,
    moved: Sequence[Moved],
    shown: Rows,
    events: EventChanges,
    today: dt.date | None = None,
) -> list[str]:
    """The items of `recipients`' list in the instance's language, in its order (the
    sessions of `moved`, then the `events`): a recipient's `concerns` index them."""
    return _items(_Words(problem), moved, shown, events, today)


def _items(
    w: _Words, moved: Sequence[Moved], shown: Rows, events: EventChanges, today: dt.date | None
) -> list[str]:
    items = [session_notice(w, m, shown, today) for m in moved]
    items += [event_notice(w, eid, e.before, e.after, today) for eid, e in events.items()]
    return items


def notice_rows(
    problem: Problem,
    found: Sequence[Recipient],
    moved: Sequence[Moved],
    shown: Rows,
    events: EventChanges,
    today: dt.date,
) -> list[list[str]]:
    """The notices, `HEADER`'s fields, per recipient of `found` (`recipients` of the same
    `moved` and `events`, the teachers then the groups): its kind, id, name, e-mail address
    (a teacher's, when the instance has one), the words' language, a subject and the
    message's body, its lines joined by line breaks."""
    w = _Words(problem)
    items = _items(w, moved, shown, events, today)
    urgent = str(w.sentences["urgent"])
    changed = list(events.items())  # the events in `items`' order, after the sessions
    rows = []
    for r in found:
        if r.concerns:  # one with nothing to tell is never listed
            said = [_told_to(w, r, i, items, moved, shown, changed, today) for i in r.concerns]
            mine = sorted(said, key=lambda x: not x.startswith(urgent))
            rows.append(_notice_row(w, r, mine, today))
    return rows


def notices_csv(rows: Sequence[Sequence[str]]) -> str:
    """`notices.csv`: `HEADER`, then `rows` (`notice_rows`), a body's line breaks within its
    cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    # a byte-order mark: Excel reads the file as UTF-8 only with one (a notices audit)
    return "\ufeff" + buffer.getvalue()


def _told_to(
    w: _Words,
    r: Recipient,
    i: int,
    items: Sequence[str],
    moved: Sequence[Moved],
    shown: Rows,
    events: Sequence[tuple[str, EventChange]],
    today: dt.date,
) -> str:
    """Item `i` of `items` as `r` reads it: a session or event whose teachers changed, said
    to a teacher who leaves or joins it (`session_notice`'s and `event_notice`'s `reader`)."""
    if not r.teacher:
        return items[i]
    if i < len(moved):
        m = moved[i]
        return session_notice(w, m, shown, today, r.entity) if m.teachers else items[i]
    eid, e = events[i - len(moved)]
    return event_notice(w, eid, e.before, e.after, today, r.entity)


def _shortened(title: str) -> str:
    """The title's first words within `SUBJECT_TITLE` characters, then `…`."""
    cut = title[: SUBJECT_TITLE + 1].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return f"{cut}…"


def _notice_row(w: _Words, r: Recipient, items: Sequence[str], today: dt.date) -> list[str]:
    """The notice of one recipient: kind, id, name, e-mail, language, subject and body."""
    instance = w.problem.instance
    programme = plain_name(instance.title, instance.name)
    short = programme if len(programme) <= SUBJECT_TITLE else _shortened(programme)
    intro = w.sentences["intro"][len(items) > 1]
    body = [
        w.sentences["hello"],
        "",
        intro.format(programme=programme, today=long_date(w.words, today)),
        "",
        *(f"- {item}" for item in items),
        "",
        w.sentences["calendars"],
    ]
    teacher = w.problem.teacher.get(r.entity) if r.teacher else None
    if r.teacher:
        name = plain_name(teacher.name, r.entity) if teacher else r.entity
        email = teacher.email if teacher and teacher.email else ""
    else:
        name, email = w.people([r.entity], "group"), ""
    kind = "teacher" if r.teacher else "group"
    subject = w.say("subject", programme=short)
    return [kind, r.entity, name, email, str(w.words["lang"]), subject, "\n".join(body)]
