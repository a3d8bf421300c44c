"""The instance as a workbook, both ways: YAML -> xlsx -> YAML gives an equal instance."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.errors import InputError
from scheduler.io.instance_io import dump_instance, instance_to_data, load_instance
from scheduler.io.workbook import convert_instance, read_workbook, workbook_bytes, write_workbook
from scheduler.io.workbook_layout import PROGRAMME, SHEET_NAMES, SITES
from tests.conftest import INSTANCES, SAMPLE, TINY

# every instance file under instances/, the infeasible examples included
YAMLS = sorted(p for p in INSTANCES.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
COMMITTED = INSTANCES / "mapemass-2026-27.xlsx"


@pytest.mark.parametrize("source", YAMLS, ids=[str(p.relative_to(INSTANCES)) for p in YAMLS])
def test_yaml_to_xlsx_to_yaml_is_the_same_instance(tmp_path: Path, source: Path) -> None:
    original = load_instance(source)
    workbook = tmp_path / f"{source.stem}.xlsx"
    write_workbook(original, workbook)
    assert read_workbook(workbook) == original
    back = tmp_path / f"{source.stem}.yaml"
    convert_instance(workbook, back)
    assert load_instance(back) == original


def _edge_instance() -> Instance:
    """tiny with what the bundled instances lack: explicit empty lists, extra holiday dates..."""
    base = load_instance(TINY)
    data = instance_to_data(base)
    data["title"] = "=SUM(A1) is text, not a formula"
    data["calendar"]["public_holidays"]["dates"] = [dt.date(2026, 9, 17)]
    data["calendar"]["public_holidays"]["language"] = "en_US"
    data["calendar"]["school_holidays"] = {"dates": [dt.date(2026, 9, 22), dt.date(2026, 9, 24)]}
    data["calendar"]["closures"].append({"from": dt.date(2026, 9, 25), "to": dt.date(2026, 9, 25)})
    data["sites"].append({"id": "LIEGE", "name": "Sans salle"})
    data["sites"][0]["rooms"][1]["unavailable"] = [{"weekday": "thu", "slots": ["THU-EVE"]}]
    data["teachers"][0]["avoid"] = [{"date": dt.date(2026, 9, 24), "slots": []}]
    data["teachers"][0]["max_sessions_per_week"] = 3
    data["groups"][0]["max_sessions_per_week"] = 4
    ue = data["ues"][0]
    ue.update(ects=2.5, even_spread=True, sites=["MONS", "NAMUR"])
    ue["window"] = {"from": dt.date(2026, 9, 15), "to": dt.date(2026, 9, 25)}
    ue["sessions"].append(
        {
            "series": "extra",
            "count": 1,
            "teachers": [],
            "sites": ["NAMUR"],
            "max_days_between": 3,
            "window": {"from": dt.date(2026, 9, 20), "to": dt.date(2026, 9, 26)},
        }
    )
    ue["sessions"][0].update(size=45, min_days=2, unavailable=[{"weekday": "tue"}])
    data["ues"][1]["sessions"][0]["unavailable"] = [
        {"date": dt.date(2026, 9, 17), "slots": ["THU-EVE"]},
        {"from": dt.date(2026, 9, 22), "to": dt.date(2026, 9, 23)},
    ]
    data["fixed_events"][0]["dates"] = [dt.date(2026, 9, 19), dt.date(2026, 9, 20)]
    data["pins"].append({"session": "UE2-main-01", "site": "MONS", "room": "M-A"})
    data["weights"] = {"ue_gap": 0, "teacher_travel": 5}
    data["preferences"] = {"group_week_target": 3, "room_capacity": "soft"}
    data["reordered"] = ["UE2-main-01"]
    data["dropped"] = [f"{data['ues'][0]['id']}-main-02"]
    data["session_teachers"] = [
        {"session": "UE3-main-02", "teachers": ["T1", "T3"]},
        {"session": "UE2-main-02", "teachers": []},
    ]
    return Instance.model_validate(data)


def test_every_field_survives_the_round_trip(tmp_path: Path) -> None:
    original = _edge_instance()
    series = original.ues[0].sessions[0]
    assert (series.size, series.min_days, len(series.unavailable)) == (45, 2, 1)
    assert original.reordered == ("UE2-main-01",)
    assert original.dropped == ("UE1-main-02",)
    assert len(original.session_teachers) == 2
    path = tmp_path / "edge.xlsx"
    write_workbook(original, path)
    assert read_workbook(path) == original
    back = tmp_path / "edge.yaml"
    convert_instance(path, back)
    assert load_instance(back) == original


def test_committed_workbook_is_the_sample_instance() -> None:
    assert read_workbook(COMMITTED) == load_instance(SAMPLE)


def _cell_values(book: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


def test_committed_workbook_is_what_the_writer_generates(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.xlsx"
    fresh.write_bytes(workbook_bytes(load_instance(SAMPLE)))
    assert _cell_values(openpyxl.load_workbook(COMMITTED)) == _cell_values(
        openpyxl.load_workbook(fresh)
    )


def test_json_to_xlsx_to_json(tmp_path: Path) -> None:
    original = load_instance(TINY)
    dump_instance(original, tmp_path / "tiny.json")
    convert_instance(tmp_path / "tiny.json", tmp_path / "tiny.xlsx")
    convert_instance(tmp_path / "tiny.xlsx", tmp_path / "back.json")
    assert load_instance(tmp_path / "back.json") == original
    assert load_instance(tmp_path / "tiny.xlsx") == original  # load_instance dispatches .xlsx


def test_convert_refuses_unknown_formats(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"out\.csv: unknown format '\.csv'"):
        convert_instance(TINY, tmp_path / "out.csv")


def test_template_layout(tmp_path: Path) -> None:
    path = tmp_path / "sample.xlsx"
    write_workbook(load_instance(SAMPLE), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(SHEET_NAMES)
    teachers = book["Teachers"]
    assert [c.value for c in teachers[1]] == [
        "id",
        "name",
        "home_site",
        "email",
        "max_sessions_per_week",
    ]
    assert str(teachers["A2"].value).startswith("Help:")
    assert teachers["A1"].comment is not None
    assert teachers.freeze_panes == "A3"
    assert book[PROGRAMME].freeze_panes == "A2"
    # dates are real dates, and validation lists cover weekdays, slot ids and site ids
    assert book[PROGRAMME]["B5"].is_date
    assert book["Availability"]["D3"].is_date
    lists = {
        (ws.title, str(dv.sqref).split(":")[0]): dv.formula1
        for ws in book
        for dv in ws.data_validations.dataValidation
        if dv.type == "list"
    }
    assert lists[("Slots", "B3")] == '"mon,tue,wed,thu,fri,sat,sun"'
    assert lists[("Teachers", "C3")].startswith("'Sites & rooms'!$A$3:$A$")
    assert lists[("Pins", "C3")].startswith("'Slots'!$A$3:$A$")
    assert lists[("Availability", "A3")].startswith("'Teachers'!$A$3")
    # a list cell ("T09; T08") fails Excel's one-id check: only informed, never stopped
    styles = {
        (ws.title, str(dv.sqref).split(":")[0]): dv.errorStyle
        for ws in book
        for dv in ws.data_validations.dataValidation
    }
    assert styles[("Session teachers", "B3")] == "information"
    assert styles[("Teachers", "C3")] == "warning"
    # every header whole: they are the keys the reader requires ('min_days_betwe': an audit)
    for ws in book:
        if ws.title == PROGRAMME:
            continue
        for cell in ws[1]:
            width = ws.column_dimensions[cell.column_letter].width
            assert cell.value is None or width >= len(str(cell.value)) + 2, (ws.title, cell.value)


def test_blank_template_names_the_first_cell_to_fill(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    write_workbook(None, path)
    assert openpyxl.load_workbook(path).sheetnames == list(SHEET_NAMES)
    with pytest.raises(InputError, match=r"'Programme & calendar'!B2: name: required value"):
        read_workbook(path)
    # no time zone filled in for the manager: one left as written was taken without a word,
    # where an empty one is said (an audit)
    keys = {row[0]: row[1] for row in openpyxl.load_workbook(path)[PROGRAMME].values}
    assert "timezone" in keys and keys["timezone"] is None


def test_solving_the_workbook_gives_the_same_objective(tmp_path: Path) -> None:
    from scheduler.model.solve import SolveOptions, solve

    path = tmp_path / "tiny.xlsx"
    write_workbook(load_instance(TINY), path)
    options = SolveOptions(deterministic=True, seed=1, time_limit=5)
    from_yaml = solve(Problem.build(load_instance(TINY)), options)
    from_xlsx = solve(Problem.build(load_instance(path)), options)
    assert from_yaml.status == from_xlsx.status
    assert from_yaml.objective is not None
    assert from_xlsx.objective == from_yaml.objective


def _libreoffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc)")
    return found


def _convert(office: str, source: Path, fmt: str, out: Path) -> Path:
    """LibreOffice's conversion of `source`; tried twice: a headless LibreOffice starting
    beside another (the other test's, on the other worker, or a busy machine) once exited 1
    with no output in a CI run, and passed alone."""
    done = None
    for attempt in range(2):
        done = subprocess.run(
            [
                office,
                "--headless",
                f"-env:UserInstallation=file://{out}/profile-{attempt}",
                "--convert-to",
                fmt,
                "--outdir",
                str(out),
                str(source),
            ],
            capture_output=True,
            timeout=300,
            check=False,
        )
        if done.returncode == 0:
            break
    assert done is not None and done.returncode == 0, (done.stdout, done.stderr)
    return out / f"{source.stem}.{fmt.split(':')[0]}"


def test_committed_workbook_opens_in_libreoffice(tmp_path: Path) -> None:
    office = _libreoffice()
    pdf = _convert(office, COMMITTED, "pdf", tmp_path)
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_workbook_saved_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    office = _libreoffice()
    copy = tmp_path / "in" / COMMITTED.name
    copy.parent.mkdir()
    shutil.copy(COMMITTED, copy)
    resaved = _convert(office, copy, "xlsx", tmp_path)
    assert read_workbook(resaved) == load_instance(SAMPLE)


def test_deleting_a_sites_first_room_keeps_the_site_name(tmp_path: Path) -> None:
    """An audit: the name and address were on the first room's row only, so lost with it."""
    original = load_instance(TINY)
    path = tmp_path / "tiny.xlsx"
    write_workbook(original, path)
    book = openpyxl.load_workbook(path)
    sheet = book[SITES.name]
    first = next(row[0].row for row in sheet.iter_rows() if row[0].value == original.sites[0].id)
    sheet.delete_rows(first)
    book.save(path)
    site = read_workbook(path).sites[0]
    assert (site.name, site.address) == (original.sites[0].name, original.sites[0].address)
    assert site.name and [r.id for r in site.rooms] == [r.id for r in original.sites[0].rooms[1:]]


EARLIER = Path(__file__).parent / "workbooks"  # the tiny instance, as versions of then wrote it


@pytest.mark.parametrize("commit", ["822dcbf", "7b75c35"])
def test_a_workbook_an_earlier_version_wrote_reads_as_its_instance(commit: str) -> None:
    """A help text changed since (a column's, in row 2) refused the programme manager's whole
    workbook: "'site id' is in row 2, the help row". Each file is the workbook `convert`
    wrote at that commit from the YAML beside it."""
    with warnings.catch_warnings(record=True) as said:  # columns added since: said
        warnings.simplefilter("always")
        read = load_instance(EARLIER / f"tiny-{commit}.xlsx")
    assert all("help row" not in str(w.message) for w in said)
    assert read == load_instance(EARLIER / f"tiny-{commit}.yaml")
