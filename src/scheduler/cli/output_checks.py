"""Refusing, before any work, an output folder or file where writing would fail or lose something.

A `solve` output folder is refused when it holds the instance file, a re-solve's revision,
files that are not outputs of `solve`, the timetable of another instance or of another year,
calendars publishing a re-solve, or a re-solve writing into it; a re-solve's --out when it
is (or holds) the published timetable or is not empty; and any place to write whose name is
too long, whose folder is a file, or where no file can be made.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from scheduler.cli.exit_codes import BadInput, JobFailed
from scheduler.errors import InputError
from scheduler.io.atomic import (
    STALE_SECONDS,
    is_file_temporary,
    may_be_writing,
    temporary_writer,
)
from scheduler.short_lists import first_few

# What `solve` writes into its output folder (rev-* sub-folders are earlier re-solves, kept).
SOLVE_OUTPUTS = frozenset(
    {"solution.json", "timetable.csv", "timetable.xlsx", "timetable.html", "calendars"}
)


def check_solve_output(
    folder: Path,
    instance: Path,
    named: bool,
    calendar: tuple[dt.date, dt.date] | None = None,
    name: str | None = None,
) -> None:
    """Refuse an output folder whose replacement would lose something: one holding the
    instance file, a re-solve's revision, files that are not outputs of `solve`, the
    timetable of another instance (`name`: this one's) or of another year (none of its
    dates in `calendar`, the instance's first and last day), or one a re-solve is writing
    into (`writing_in`). `named`: the folder came from --out (else it is the default one)."""
    label = f"--out {folder}" if named else f"the output folder {folder}"
    writable_place(folder, label)  # a file there is refused
    target = folder.resolve()
    source = instance.resolve()
    if target in source.parents:
        raise BadInput(
            f"{label}: holds the instance file {instance}; writing there would delete it: "
            "name another folder"
        )
    if not target.is_dir():
        return
    if name is not None:  # first: the advice to re-solve its revisions is for their own
        # instance (an audit was told to re-solve another programme's revision)
        _refuse_another_instance(target, label, name, named)
    _refuse_revisions(target, label, folder, instance)
    if calendar is not None:
        _refuse_another_year(target / "timetable.csv", label, calendar, named)
    _refuse_re_solve_feeds(target, label, instance)  # of this instance and year: re-solve it
    busy = writing_in(target)
    if busy:
        raise JobFailed(f"{label}: {busy}")
    _refuse_foreign_files(target, label)


def _refuse_revisions(target: Path, label: str, folder: Path, instance: Path) -> None:
    """A re-solve's revision, or a timetable re-solved since: solve never replaces them."""
    if (target / "changes.md").exists():
        raise BadInput(
            f"{label}: a re-solve's revision (it has changes.md), which solve never replaces: "
            "name another folder"
        )
    from scheduler.export.published import published_from

    revisions = revisions_with_timetable(target)
    if revisions:
        names = ", ".join(p.name for p in revisions)
        # the revision the folder's calendars publish, where they have one: the newest may
        # be a branch that `export` would refuse to publish there (an audit)
        source = published_from(target / "calendars")
        latest = (_continuing(revisions, source) or revisions)[-1]
        raise BadInput(
            f"{label}: its timetable was re-solved since ({names}): solving again would replace "
            "the timetable they revise and move sessions already given; write what changed as "
            f"changes (SCHEMA.md section 3) and re-solve: scheduler resolve {instance} --from "
            f"{folder / latest.name} --changes FILE (a re-solve from a revision reads "
            "its own instance.yaml, not edits made to the instance file since); or name another "
            "folder to start over"
        )


def _continuing(revisions: list[Path], source: Path | None) -> list[Path]:
    """The revisions that are, or re-solve, the one the calendars publish (`source`): the
    newest of them holds its changes; advising the published one itself sent a user in a
    circle ("re-solve from rev-4 to keep them", an audit)."""
    from scheduler.export.page_revision import revision_chain

    if source is None:
        return []
    published = source.parent.resolve()
    return [
        p
        for p in revisions
        if p.resolve() == published or published in revision_chain(p / "solution.json")
    ]


def _refuse_re_solve_feeds(target: Path, label: str, instance: Path) -> None:
    """Calendars that publish a re-solve (exported there from elsewhere): a new solve's
    feeds would undo its changes and move what it froze as given for every subscriber (an
    audit's `solve --out` over them: exit 0, everything replaced)."""
    from scheduler.export.published import published_from
    from scheduler.io.solution_read import revision_record

    source = published_from(target / "calendars")
    if source is None or not source.is_file() or revision_record(source) is None:
        return
    raise BadInput(
        f"{label}: its calendars publish {source}, a re-solve: solving again would undo its "
        f"changes for every subscriber; re-solve from it (scheduler resolve {instance} --from "
        f"{source.parent} --changes FILE) or name another folder"
    )


def foreign_files(target: Path) -> list[str]:
    """The names of the entries of `target` that are not outputs of `solve`, sorted:
    replacing the folder would delete them (the temporaries of writers that were killed go
    with the old folder)."""
    if not target.is_dir():
        return []
    return sorted(
        p.name
        for p in target.iterdir()
        if p.name not in SOLVE_OUTPUTS
        and not (p.is_dir() and p.name.startswith("rev-"))
        and temporary_writer(p) is None
    )


def foreign_feed_files(target: Path) -> list[str]:
    """The names of the entries of `target`'s calendars folder that the export does not
    write (not a feed, its SEQUENCE state or a killed writer's temporary): a web server's
    `.htaccess`, a README for subscribers, last year's feeds kept in a sub-folder. A solve
    carries them into its new folder (an audit: they were deleted unsaid)."""
    feeds = target / "calendars"  # export.CALENDAR_DIR
    if not feeds.is_dir():
        return []
    return sorted(
        p.name
        for p in feeds.iterdir()
        if not (p.is_file() and (p.suffix == ".ics" or p.name == "sequences.json"))
        and not is_file_temporary(p)
    )


def _refuse_foreign_files(target: Path, label: str) -> None:
    """Files that are not outputs of `solve` (`foreign_files`): replacing the folder would
    delete them."""
    foreign = foreign_files(target)
    if foreign:
        raise BadInput(
            f"{label}: holds files that are not outputs of scheduler solve "
            f"({first_few(foreign)}); "
            "writing there would delete them: name another folder"
        )


def writing_in(folder: Path) -> str | None:
    """Why `folder` may have a re-solve writing into it (the temporary folder of a writer
    that runs, or of another machine's that changed within the last minutes), in words;
    None when no writer's temporary is there or all are stale."""
    temporaries = [p for p in folder.iterdir() if may_be_writing(p)] if folder.is_dir() else []
    if not temporaries:
        return None
    found = temporaries[0]
    return (
        f"another scheduler process (pid {temporary_writer(found)}) is writing in it "
        f"({found.name}: a re-solve?): solve again once it has ended (a temporary folder of "
        f"a run killed on another machine counts for {STALE_SECONDS / 60:.0f} minutes, or "
        "delete it)"
    )


def revisions_with_timetable(folder: Path) -> list[Path]:
    """The re-solves' revisions in `folder` (`rev-<n>` with a solution.json), in order."""
    from scheduler.resolve.output import revisions_in

    return [p for _, p in sorted(revisions_in(folder).items()) if (p / "solution.json").is_file()]


def _refuse_another_instance(target: Path, label: str, name: str, named: bool) -> None:
    """A folder publishing another instance's timetable (its solution.json's name, else its
    calendars' event ids): replacing it would give its calendars' subscribers another
    instance's events, and never cancel its own, whose event ids differ (an audit)."""
    from scheduler.export.published import publishes_another
    from scheduler.io.solution_read import instance_name_of

    recorded = instance_name_of(target / "solution.json")
    if recorded is None:
        recorded = publishes_another(target / "calendars", name)
    if recorded is not None and recorded != name:
        raise BadInput(
            f"{label}: holds the timetable of instance '{recorded}', not '{name}': replacing it "
            "would give its calendars' subscribers another instance's events (and leave them "
            f"its own, whose event ids differ); {_elsewhere(named)}"
        )


def _elsewhere(named: bool) -> str:
    """Where to solve instead of a folder that may not be replaced: another --out (giving the
    instance another name would meet the same folder again); the default folder follows
    the name (a review: the two refusals' advice contradicted each other)."""
    return (
        "name another folder (--out)"
        if named
        else "give the instance a name of its own (name:), or name another folder (--out)"
    )


def _refuse_another_year(
    table: Path, label: str, calendar: tuple[dt.date, dt.date], named: bool
) -> None:
    """A folder's timetable none of whose dates falls in this instance's calendar is another
    year's (a copied instance that kept its `name`): replacing it would lose it, and its
    calendar feeds, under the same event ids, would move sessions long given."""
    from scheduler.data.words import format_span
    from scheduler.io.csv_timetable import read_timetable_rows

    if not table.is_file():
        return
    try:
        days = sorted({dt.date.fromisoformat(r["date"]) for r in read_timetable_rows(table)})
    except (InputError, ValueError, KeyError):
        return  # not a timetable this check can read: the folder's other checks apply
    first, last = calendar
    if days and not any(first <= d <= last for d in days):
        raise BadInput(
            f"{label}: holds the timetable of {format_span(days[0], days[-1])}, none of whose "
            f"dates is in this instance's calendar ({format_span(first, last)}): another "
            "year's, which this solve would replace, and whose subscribed calendars it would "
            f"move; {_elsewhere(named)}"
        )


def check_resolve_output(folder: Path, published: Path) -> None:
    """Refuse a re-solve's --out that is (or holds) the published timetable, or any folder
    that is not empty."""
    from scheduler.io.solution_read import solution_path

    writable_place(folder, f"--out {folder}")
    target = folder.resolve()
    source = solution_path(published).parent.resolve()
    if target == source or target in source.parents:
        # a folder holding it is said as such (an audit's --out pub from pub/rev-11 was said
        # to replace pub/rev-11)
        what = "" if target == source else f"{target}, which holds "
        raise BadInput(
            f"--out {folder}: it would replace {what}the published timetable {source}, which a "
            "re-solve never overwrites; leave --out out (the next rev-<n>) or name a new folder"
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BadInput(f"--out {folder}: exists and is not an empty folder; name a new one")


# Outputs are written in a sibling `.<name>.new-<pid>.<space>-XXXXXXXX` folder, then renamed, or
# kept as `<name>.unpublished-<time>` when their exports failed (io.atomic).
MAX_FOLDER_NAME = 255 - len(".unpublished-YYYYmmdd-HHMMSS")


def writable_parent(path: Path, label: str) -> None:
    """Refuse a `path` whose folder (or the nearest one that exists, where the missing ones
    would be made) is a file or may not be written in (`_writable_in`)."""
    parent = _nearest_existing(path)
    if not parent.is_dir():
        raise BadInput(f"{label}: {parent} is a file, not a folder")
    _writable_in(parent, label)


def writable_file(path: Path, label: str) -> None:
    """Refuse, before reading anything, a file to write whose folder (or the nearest one
    that exists) may not be written in (`_writable_in`): the writing failed naming its
    temporary file, exit 1 (an audit). A file in the way is left to the writing, which
    names it (`file_in_the_way`)."""
    parent = _nearest_existing(path)
    if parent.is_dir():
        _writable_in(parent, label)


def _nearest_existing(path: Path) -> Path:
    """The folder of `path`, or the nearest one above it that exists."""
    parent = path.resolve().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def _writable_in(folder: Path, label: str) -> None:
    """Refuse a folder with no permission to write in, or where no file can be made
    whatever the permissions say (a read-only file system; /proc, which `os.access` lets
    root write in: an audit's solve failed once solved)."""
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"{label}: no permission to write in {folder}")
    try:
        fd, probe = tempfile.mkstemp(prefix=".scheduler-probe.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise BadInput(f"{label}: cannot write in {folder} ({err.strerror or err})") from err
    os.close(fd)
    Path(probe).unlink(missing_ok=True)


def writable_place(folder: Path, label: str) -> None:
    """Refuse, before any solving, an output folder that could not be written: a name too
    long for the file system, a file where a parent folder should be, or no write access."""
    size = len(os.fsencode(folder.resolve().name))
    if size > MAX_FOLDER_NAME:
        raise BadInput(
            f"{label}: the folder's name is {size} bytes long, at most {MAX_FOLDER_NAME}"
        )
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"{label}: {folder} is a file, not a folder")
    writable_parent(folder, label)
    if folder.is_dir() and (
        not os.access(folder, os.W_OK | os.X_OK) or not folder.stat().st_mode & 0o222
    ):  # replaced all the same through its parent (an audit), its old copy left beside it
        raise BadInput(
            f"{label}: {folder} is read-only (no write permission on it), so it is left as it "
            "is: make it writable to replace it, or name another folder"
        )
