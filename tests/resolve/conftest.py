"""The roomy instance solved and published, the starting point of most re-solve tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scheduler.cli import cli
from tests.resolve.support import roomy, timetable_rows


@pytest.fixture
def published(tmp_path: Path) -> tuple[Path, Path, dict[str, dict[str, str]]]:
    inst = tmp_path / "roomy.yaml"
    inst.write_text(yaml.safe_dump(roomy()), encoding="utf-8")
    out = tmp_path / "pub"
    result = CliRunner().invoke(cli, ["solve", str(inst), "--out", str(out), "--deterministic"])
    assert result.exit_code == 0, result.output
    return inst, out, timetable_rows(out)
