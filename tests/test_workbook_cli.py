"""`scheduler template` and `scheduler convert`, invoked in-process with click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from scheduler.cli.workbook_cmd import convert, template
from scheduler.io.instance_io import load_instance
from scheduler.io.workbook_layout import SHEET_NAMES
from tests.conftest import TINY, in_temporary_folder


def test_blank_template() -> None:
    runner = CliRunner()
    with in_temporary_folder():
        result = runner.invoke(template, ["--out", "new.xlsx"])
        assert result.exit_code == 0, result.output
        assert "wrote new.xlsx" in result.output
        assert openpyxl.load_workbook("new.xlsx").sheetnames == list(SHEET_NAMES)


def test_template_from_an_instance() -> None:
    runner = CliRunner()
    with in_temporary_folder():
        result = runner.invoke(template, ["--out", "tiny.xlsx", "--from", str(TINY)])
        assert result.exit_code == 0, result.output
        assert load_instance("tiny.xlsx") == load_instance(TINY)


def test_convert_yaml_xlsx_json_yaml() -> None:
    runner = CliRunner()
    with in_temporary_folder():
        for source, target in ((str(TINY), "a.xlsx"), ("a.xlsx", "b.json"), ("b.json", "c.yaml")):
            result = runner.invoke(convert, [source, target])
            assert result.exit_code == 0, result.output
            assert f"wrote {target}" in result.output
        assert load_instance("c.yaml") == load_instance(TINY)


def test_bad_workbook_exits_2_naming_the_cell() -> None:
    runner = CliRunner()
    with in_temporary_folder():
        runner.invoke(convert, [str(TINY), "a.xlsx"])
        book = openpyxl.load_workbook("a.xlsx")
        book["Teachers"]["C3"] = "NAMURR"
        book.save("a.xlsx")
        result = runner.invoke(convert, ["a.xlsx", "a.yaml"])
        assert result.exit_code == 2
        assert "a.xlsx: Teachers!C3: unknown site 'NAMURR' (known: MONS, NAMUR)" in result.output
        assert not Path("a.yaml").exists()


def test_bad_usage_exits_2() -> None:
    runner = CliRunner()
    with in_temporary_folder():
        cases = [
            (template, ["--out", "new.yaml"], "--out must end with .xlsx"),
            # what is written is a plain workbook, which Excel refuses under a macro suffix
            (template, ["--out", "new.xlsm"], "new.xlsm: --out must end with .xlsx"),
            (
                convert,
                [str(TINY), "out.xlsm"],
                "TARGET must end with .yaml or .yml or .json or .xlsx",
            ),
            (template, ["--out", "t.xlsx", "--from", "absent.yaml"], "absent.yaml: no such file"),
            (convert, [str(TINY), "out.csv"], "TARGET must end with"),
            (convert, ["absent.yaml", "out.xlsx"], "absent.yaml: no such file"),
            (convert, [str(TINY), str(TINY)], "TARGET is the SOURCE file"),
        ]
        for command, args, message in cases:
            result = runner.invoke(command, args)
            assert result.exit_code == 2, (args, result.output)
            assert message in result.output, (args, result.output)


def test_a_spreadsheet_in_another_format_is_told_to_be_saved_as_xlsx() -> None:
    """A LibreOffice .ods was read as YAML: "not UTF-8 text: save the file as UTF-8"."""
    from scheduler.cli.solve_cmd import solve

    runner = CliRunner()
    with in_temporary_folder():
        Path("year.ods").write_bytes(b"PK\x03\x04 not yaml")
        result = runner.invoke(solve, ["year.ods"])
        assert result.exit_code == 2, result.output
        assert result.output.strip().splitlines()[-1] == (
            "Error: year.ods: an instance is a .yaml, .yml, .json or .xlsx file, not .ods: "
            "save the spreadsheet as .xlsx (Excel 2007-365)"
        )
        # convert said which endings it takes, not what to do with a colleague's .xls (an audit)
        Path("year.xls").write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
        result = runner.invoke(convert, ["year.xls", "year.yaml"])
        assert result.exit_code == 2, result.output
        assert result.output.strip().splitlines()[-1] == (
            "Error: year.xls: SOURCE must end with .yaml or .yml or .json or .xlsx or .xlsm: "
            "save the spreadsheet as .xlsx (Excel 2007-365)"
        )


def test_the_same_instance_in_another_file_is_not_called_changed() -> None:
    """A workbook saved again unchanged (Excel rewrites it on any save), or the instance's
    YAML conversion, made check, report, export and resolve warn that the instance had changed
    since the solve (they compared file bytes). Now what the files say is compared too; a
    real edit still warns."""
    from scheduler.cli import cli

    runner = CliRunner()
    with in_temporary_folder():
        runner.invoke(convert, [str(TINY), "year.xlsx"])
        solved = runner.invoke(cli, ["solve", "year.xlsx", "--out", "pub", "--time-limit", "5"])
        assert solved.exit_code == 0, solved.output
        book = openpyxl.load_workbook("year.xlsx")
        book.save("year.xlsx")  # the same content, other bytes
        runner.invoke(convert, ["year.xlsx", "year.yaml"])
        for instance in ("year.xlsx", "year.yaml"):
            result = runner.invoke(cli, ["check", instance, "pub"])
            assert result.exit_code == 0, result.output
            assert "warning" not in result.output, (instance, result.output)
        book["Sites & rooms"]["F3"] = 31  # a capacity: an edit
        book.save("year.xlsx")
        result = runner.invoke(cli, ["check", "year.xlsx", "pub"])
        assert "warning: year.xlsx has changed since pub/solution.json was solved" in result.output


def test_a_file_already_there_is_replaced_only_with_force() -> None:
    """A manager's edited workbook or commented YAML was overwritten silently (audit)."""
    runner = CliRunner()
    with in_temporary_folder():
        Path("mine.yaml").write_text("# my notes\n", encoding="utf-8")
        Path("mine.xlsx").write_bytes(b"edited")
        for command, args in (
            (convert, [str(TINY), "mine.yaml"]),
            (template, ["--out", "mine.xlsx", "--from", str(TINY)]),
        ):
            result = runner.invoke(command, args)
            assert result.exit_code == 1, result.output  # overridable: not bad input (docs)
            assert "the file exists; --force replaces it" in result.output
        assert Path("mine.yaml").read_text(encoding="utf-8") == "# my notes\n"
        assert Path("mine.xlsx").read_bytes() == b"edited"
        result = runner.invoke(convert, [str(TINY), "mine.yaml", "--force"])
        assert result.exit_code == 0, result.output
        assert load_instance("mine.yaml") == load_instance(TINY)
