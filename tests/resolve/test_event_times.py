"""A re-solve says when a fixed event it moves lands at a time the clocks skip, as `solve`'s
pre-flight does (a calendar audit: an event moved to 02:30 on the night the clocks go
forward was published unsaid, as 02:30 in a zone where that hour does not exist)."""

from __future__ import annotations

from pathlib import Path

from tests.resolve.support import published_tiny, run_resolve

DST = {
    "name": "dst",
    "timezone": "Europe/Brussels",
    "calendar": {
        "start": "2027-03-15",
        "end": "2027-04-04",
        "slots": [{"id": "TUE", "weekday": "tue", "start": "18:00", "end": "21:00"}],
    },
    "sites": [{"id": "S1", "rooms": [{"id": "R1", "capacity": 30}]}],
    "groups": [{"id": "G", "size": 20}],
    "teachers": [{"id": "T1"}],
    "ues": [{"id": "UE1", "teachers": ["T1"], "groups": ["G"], "sessions": [{"count": 2}]}],
    "fixed_events": [
        {"id": "NIGHT", "site": "S1", "dates": ["2027-03-21"], "start": "02:30", "end": "03:30",
         "groups": ["G"]},
        {"id": "OTHER", "site": "S1", "dates": ["2027-03-28"], "start": "02:15", "end": "02:45",
         "groups": []},
    ],
}  # fmt: skip
SKIPPED = "starts at 02:30 on 28 Mar 2027, a time that does not exist (the clocks go forward)"


def test_an_event_moved_to_a_skipped_hour_is_warned(tmp_path: Path) -> None:
    inst, pub = published_tiny(tmp_path, DST, "dst")
    move = {"today": "2027-03-16", "changes": [{"event_moved": {"event": "NIGHT",
            "dates": ["2027-03-28"]}}]}  # fmt: skip
    code, output, _ = run_resolve(tmp_path, inst, pub, move)
    assert code == 0, output
    assert f"warning: fixed event NIGHT {SKIPPED}" in output
    # OTHER, not moved, was said by `solve` already: not again at every re-solve
    assert "fixed event OTHER starts" not in output


def test_an_event_moved_at_safe_hours_is_not_warned(tmp_path: Path) -> None:
    inst, pub = published_tiny(tmp_path, DST, "dst")
    move = {"today": "2027-03-16", "changes": [{"event_moved": {"event": "NIGHT",
            "dates": ["2027-03-28"], "start": "09:00", "end": "10:00"}}]}  # fmt: skip
    code, output, _ = run_resolve(tmp_path, inst, pub, move)
    assert code == 0, output
    assert "does not exist" not in output


def test_an_event_moved_a_year_off_the_calendar_is_warned(tmp_path: Path) -> None:
    """The year typo `solve`'s pre-flight says of an event's days, said of a day a re-solve
    moves it to (2028 for 2027)."""
    longer = {**DST, "calendar": {**DST["calendar"], "end": "2027-10-31"}}  # 7 months
    inst, pub = published_tiny(tmp_path, longer, "dst")
    move = {"today": "2027-03-16", "changes": [{"event_moved": {"event": "NIGHT",
            "dates": ["2028-03-30"], "start": "09:00", "end": "10:00"}}]}  # fmt: skip
    code, output, _ = run_resolve(tmp_path, inst, pub, move)
    assert code == 0, output
    assert (
        "warning: fixed event NIGHT: 30 Mar 2028 lies outside the calendar (15 Mar–31 Oct 2027), "
        "and a year earlier it would be in it — check the year"
    ) in output
