"""A group's calendar through a real CalDAV server (Radicale on loopback): upload, read back,
re-upload a changed timetable; moved sessions update in place, nothing is duplicated."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import caldav
import pytest

from scheduler.export import export_all
from scheduler.export.ics import split_events
from tests.test_export_support import DTSTAMP, moved, tiny_problem, tiny_solution

GROUP_FILE = "calendars/group-OPT-A.ics"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[str]:
    """A Radicale server on 127.0.0.1 (auth none, storage in tmp_path); yields its URL."""
    port = free_port()
    config = tmp_path / "radicale.conf"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = none\n"
        f"[storage]\nfilesystem_folder = {tmp_path / 'collections'}\n"
        f"[web]\ntype = none\n"
        f"[logging]\nlevel = warning\n",
        encoding="utf-8",
    )
    log = (tmp_path / "radicale.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)], stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                pytest.fail(f"radicale exited: {(tmp_path / 'radicale.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("radicale did not start within 30 s")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def upload(calendar: caldav.Calendar, ics: bytes) -> None:
    """Publish every event of `ics`: replace the object with its UID, or create it."""
    for uid, data in split_events(ics).items():
        try:
            existing = calendar.event_by_uid(uid)
        except caldav.error.NotFoundError:
            calendar.add_event(data.decode("utf-8"), increase_seqno=False)
        else:
            existing.data = data.decode("utf-8")
            existing.save(increase_seqno=False)


def server_state(calendar: caldav.Calendar) -> list[tuple[str, int, datetime, str]]:
    """(UID, SEQUENCE, DTSTART, STATUS) of every object the server holds, sorted."""
    found = []
    for obj in calendar.events():
        event = obj.icalendar_component
        found.append(
            (
                str(event["UID"]),
                int(event.get("SEQUENCE", 0)),
                event.decoded("DTSTART"),
                str(event.get("STATUS", "")),
            )
        )
    return sorted(found)


def test_group_calendar_round_trip_and_update_in_place(radicale: str, tmp_path: Path) -> None:
    problem = tiny_problem()
    out = tmp_path / "export"
    client = caldav.DAVClient(url=radicale, username="planner", password="x", require_tls=False)
    calendar = client.principal().make_calendar(name="Option A", cal_id="opt-a")

    # 1. first publication
    export_all(problem, tiny_solution(1), out, ("ics",), dtstamp=DTSTAMP)
    upload(calendar, (out / GROUP_FILE).read_bytes())
    first = {uid: (seq, start, status) for uid, seq, start, status in server_state(calendar)}
    assert len(first) == 6  # UE1 x2, UE2 x2, UE4, ACCUEIL
    assert {seq for seq, _, _ in first.values()} == {0}
    assert {status for _, _, status in first.values()} == {"CONFIRMED"}
    uid = "UE2-main-02@tiny.scheduler"
    (before,) = [a for a in tiny_solution(1) if a.session == "UE2-main-02"]
    assert first[uid][1].date() == before.date

    # 2. a re-solve moved UE2-main-02 to another evening
    changed, day = moved(tiny_solution(1), "UE2-main-02")
    export_all(problem, changed, out, ("ics",), dtstamp=datetime(2026, 9, 5, tzinfo=UTC))
    upload(calendar, (out / GROUP_FILE).read_bytes())
    second = server_state(calendar)
    assert len(second) == len(first), "no duplicates"
    by_uid = {u: (seq, start, status) for u, seq, start, status in second}
    assert set(by_uid) == set(first)
    seq, start, _ = by_uid[uid]
    assert seq == 1
    assert start.astimezone(UTC) == datetime(day.year, day.month, day.day, 16, 0, tzinfo=UTC)
    assert str(start.tzinfo) == "Europe/Brussels"
    unchanged = {u: v for u, v in by_uid.items() if u != uid}
    assert unchanged == {u: v for u, v in first.items() if u != uid}

    # 3. a session dropped from the timetable is kept, cancelled, with a higher SEQUENCE
    dropped = tuple(a for a in changed if a.session != "UE2-main-01")
    export_all(problem, dropped, out, ("ics",), dtstamp=datetime(2026, 9, 6, tzinfo=UTC))
    upload(calendar, (out / GROUP_FILE).read_bytes())
    third = {u: (seq, status) for u, seq, _, status in server_state(calendar)}
    assert len(third) == len(first)
    assert third["UE2-main-01@tiny.scheduler"] == (1, "CANCELLED")
    assert third[uid] == (1, "CONFIRMED")
