"""The `window` change: a UE's or series' window set anew from today on."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.resolve.support import assert_checked, published_tiny, roomy, run_resolve, timetable_rows


def _published(tmp_path: Path) -> tuple[Path, Path]:
    """roomy with U3's one session in the first week (its window), solved into pub."""
    data = roomy()
    data["ues"][2]["window"] = {"from": "2026-09-15", "to": "2026-09-19"}
    return published_tiny(tmp_path, data, "windowed")


def test_a_session_cancelled_after_its_window_is_made_up_once_the_window_is_widened(
    tmp_path: Path,
) -> None:
    """An infeasible re-solve advised "widen the UE's window", which no change could do (an
    audit): it now names the change, and the change lets the make-up take place."""
    inst, pub = _published(tmp_path)
    assert timetable_rows(pub)["U3-main-01"]["date"] <= "2026-09-19"
    cancel = {"cancelled": {"session": "U3-main-01"}}
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-20", "changes": [cancel]})
    assert code == 1, output
    said = " ".join(output.split())
    assert "its window ends 2026-09-19, before today 2026-09-20" in said
    assert "widen its window (a change `window: {series: U3-main, to: ...}`)" in said
    widen = {"window": {"ue": "U3", "to": "2026-10-10"}}
    changes = {"today": "2026-09-20", "changes": [cancel, widen]}
    code, output, rev = run_resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    assert timetable_rows(rev)["U3-main-01"]["date"] > "2026-09-20"
    own = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    u3 = next(u for u in own["ues"] if u["id"] == "U3")
    assert u3["window"] == {"from": "2026-09-15", "to": "2026-10-10"}
    assert "- U3's window from as before to 2026-10-10 (`window ue=U3 to=2026-10-10`)" in (
        (rev / "changes.md").read_text(encoding="utf-8")
    )
    assert_checked(inst, rev)


def test_a_window_leaving_out_a_session_given_is_refused(tmp_path: Path) -> None:
    inst, pub = _published(tmp_path)
    given = min(r["date"] for r in timetable_rows(pub).values() if r["ue"] == "U1")
    narrow = {"window": {"ue": "U1", "from": "2026-10-01"}}
    changes = {"today": "2026-10-01", "changes": [narrow]}
    code, output, _ = run_resolve(tmp_path, inst, pub, changes)
    assert code == 2, output
    said = " ".join(output.split())
    assert "changes[0] window: U1-main-01 took place on" in said, said
    assert f"{given}, outside 2026-10-01–2026-10-10: the window must hold the sessions given" in (
        said
    )


def test_a_ue_s_window_leaves_its_series_with_their_own_as_they_are(tmp_path: Path) -> None:
    data = roomy()
    data["ues"][0]["sessions"].append(
        {"series": "extra", "count": 1, "window": {"from": "2026-09-15", "to": "2026-10-10"}}
    )
    inst, pub = published_tiny(tmp_path, data, "series")
    changes = {"today": "2026-09-16", "changes": [{"window": {"ue": "U1", "to": "2026-10-03"}}]}
    code, output, rev = run_resolve(tmp_path, inst, pub, changes)
    assert code == 0, output
    said = " ".join(output.split())
    assert "U1-extra keep their own window: give a window change for each series" in said
    own = yaml.safe_load((rev / "instance.yaml").read_text(encoding="utf-8"))
    u1 = next(u for u in own["ues"] if u["id"] == "U1")
    assert u1["window"] == {"from": "2026-09-15", "to": "2026-10-03"}
    assert u1["sessions"][1]["window"] == {"from": "2026-09-15", "to": "2026-10-10"}
    bad = {"today": "2026-09-16", "changes": [{"window": {"ue": "U1", "series": "U1-main"}}]}
    code, output, _ = run_resolve(tmp_path, inst, pub, bad)
    assert code == 2 and "give exactly one of ue and series" in output, output


def test_a_re_solve_kept_out_by_a_window_advises_the_window_change(tmp_path: Path) -> None:
    """T3 away for the whole of U3's window: "relax one of these rules" did not say how to
    relax the window in a re-solve (an audit): the `window` change is named."""
    data = roomy()
    data["ues"][2]["window"] = {"from": "2026-09-17", "to": "2026-09-19"}
    inst, pub = published_tiny(tmp_path, data, "away")
    away = {"teacher_unavailable": {"teacher": "T3", "from": "2026-09-17", "to": "2026-09-19"}}
    code, output, _ = run_resolve(tmp_path, inst, pub, {"today": "2026-09-16", "changes": [away]})
    assert code == 1, output
    said = " ".join(output.split())
    assert "U3-main-01 cannot be placed on or after 2026-09-16" in said, said
    assert "(the window: a change `window: {series: U3-main, ...}`)" in said, said
