"""`teacher_replaced`: another teacher gives a teacher's sessions from today on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scheduler.data.sessions import session_id
from scheduler.data.types import did_you_mean
from scheduler.data.validate_ids import unknown
from scheduler.errors import InputError
from scheduler.resolve.change_kinds import TeacherReplaced
from scheduler.short_lists import first_few


@dataclass
class _Replaced:
    """What a `teacher_replaced` change met while going through the series."""

    ue_found: bool = False
    series_found: bool = False
    hits: list[str] = field(default_factory=list)  # sessions given to `by`
    renamed: list[str] = field(default_factory=list)  # series `by`'s with nothing left to give
    every: dict[str, list[str]] = field(default_factory=dict)  # session -> teachers before
    shared: list[str] = field(default_factory=list)  # sessions given, `by` among them already


@dataclass
class _Replacing:
    """A `teacher_replaced` change being applied: what it reads, writes (`own`: the sessions'
    own teachers, `session_teachers`) and meets (`met`)."""

    change: TeacherReplaced
    given: set[str]  # sessions given already
    dropped: set[str]
    own: dict[str, list[str]]
    where: str
    met: _Replaced = field(default_factory=_Replaced)


def replace_teacher(
    data: dict[str, Any], change: TeacherReplaced, given: set[str], where: str
) -> str | None:
    """`change.teacher` leaves the sessions still to give that the change names, `by` takes
    them. A series the change names as a whole (or through its UE, or all of the teacher's)
    gets `by` as its teacher, so that sessions added later are theirs too, and its sessions
    given already keep their teachers in `session_teachers`; sessions named one by one get
    their own entry there. A warning when the teacher gives none of them."""
    known = {t["id"] for t in data["teachers"]}
    for name, tid in (("teacher", change.teacher), ("by", change.by)):
        if tid is not None and tid not in known:
            raise InputError(f"{where} {name}: {unknown('teacher', tid, known)}")
    own = {o["session"]: o["teachers"] for o in data.get("session_teachers", [])}
    job = _Replacing(change, given, set(data.get("dropped", [])), own, where)
    for ue in data["ues"]:
        job.met.ue_found |= ue["id"] == change.ue
        for series in ue["sessions"]:
            _replace_in_series(ue, series, job)
    _named_exist(change, job.met, given, where)
    data["session_teachers"] = [
        {"session": sid, "teachers": job.own[sid]} for sid in sorted(job.own)
    ]
    return _said(change, job.met, where)


def _replace_in_series(ue: dict[str, Any], series: dict[str, Any], job: _Replacing) -> None:
    """The change in one series: its sessions' teachers in `job.own` (`session_teachers`),
    and its own `teachers` when the change names it as a whole."""
    change, met = job.change, job.met
    name = series.get("series", "main")
    sid_of = f"{ue['id']}-{name}"
    met.series_found |= sid_of == change.series
    default = series.get("teachers", ue.get("teachers", []))
    ids = [session_id(ue["id"], name, n) for n in range(1, series["count"] + 1)]
    taught = {sid: job.own.get(sid, default) for sid in ids if sid not in job.dropped}
    met.every |= taught
    hit = {
        sid
        for sid, teachers in taught.items()
        if sid not in job.given
        and change.teacher in teachers
        and change.covers(ue["id"], sid_of, sid)
    }
    # named as a whole: later sessions are `by`'s, even with none left to give now (an
    # audit's series, its last session given, then one added: the old teacher's)
    whole = (
        change.sessions is None
        and change.teacher in default
        and change.covers(ue["id"], sid_of, "")
    )
    new_default = _swap(default, change) if whole else default
    if not hit and not (whole and new_default):
        return
    met.hits += sorted(hit)
    met.shared += sorted(s for s in hit if change.by is not None and change.by in taught[s])
    if not hit:
        met.renamed.append(sid_of)
    _reassign(job, taught, hit, new_default)
    if whole:
        series["teachers"] = new_default


def _reassign(
    job: _Replacing, taught: dict[str, list[str]], hit: set[str], default: list[str]
) -> None:
    """`hit`'s teachers swapped in `job.own`; a session whose teachers are the series'
    (`default`, after the change) needs no entry of its own."""
    for sid, teachers in taught.items():
        job.own[sid] = _swap(teachers, job.change) if sid in hit else teachers
        if sid in hit and not job.own[sid]:
            raise InputError(
                f"{job.where}: {sid} would be left without a teacher ({job.change.teacher} "
                "gives it alone): name `by`, who gives it instead"
            )
        if job.own[sid] == default:
            del job.own[sid]


def _named_exist(change: TeacherReplaced, met: _Replaced, given: set[str], where: str) -> None:
    """The UE, series or sessions the change names exist, and the sessions are the
    teacher's, still to give."""
    if change.ue is not None and not met.ue_found:
        raise InputError(f"{where} ue: unknown ue '{change.ue}'")
    if change.series is not None and not met.series_found:
        raise InputError(f"{where} series: unknown series '{change.series}' (e.g. UE1-main)")
    for sid in change.sessions or ():
        if sid not in met.every:
            raise InputError(
                f"{where} sessions: unknown session '{sid}'{did_you_mean(sid, met.every)}"
            )
        if change.teacher not in met.every[sid]:
            raise InputError(f"{where} sessions: {sid} is not taught by {change.teacher}")
        if sid in given:
            raise InputError(
                f"{where} sessions: {sid} took place already: only a session still to give can "
                "change teacher"
            )


def _said(change: TeacherReplaced, met: _Replaced, where: str) -> str | None:
    """The warning of a change that gives no session to `by`, or gives `by` sessions they
    co-teach already (an audit: a co-teacher left them unsaid), if any."""
    if met.shared:
        return (
            f"{where}: {change.by} co-teaches {first_few(met.shared)} already: "
            f"{change.teacher} leaves {'it' if len(met.shared) == 1 else 'them'} and nobody "
            "takes their place"
        )
    if met.hits:
        return None
    if met.renamed:
        by = change.by or "their other teachers"
        return (
            f"{where}: {change.teacher} teaches none of the sessions it names from today on; "
            f"sessions added later to {', '.join(met.renamed)} are given by {by}"
        )
    return (
        f"{where}: {change.teacher} teaches none of the sessions it names from today on: "
        "nothing changes"
    )


def _swap(teachers: list[str], change: TeacherReplaced) -> list[str]:
    """`teachers` with `change.teacher` replaced by `change.by` (or left out), once each."""
    swapped = [change.by if t == change.teacher else t for t in teachers]
    return list(dict.fromkeys(t for t in swapped if t is not None))
