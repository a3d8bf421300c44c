"""The README starts with the two commands a fresh machine runs, and CI runs the second verbatim.

If the README's commands drift from `.ci/run`, or name a sample that is not bundled, CI would no
longer prove what the README promises; these tests fail first.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def first_bash_block() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```bash\n(.*?)```", readme, flags=re.DOTALL)
    assert match, "README.md has no ```bash block"
    before = readme[: match.start()]
    assert "```" not in before, "the README's first code block is not the bash block of commands"
    return [line for line in match.group(1).splitlines() if line.strip()]


def test_the_readme_starts_with_exactly_two_commands() -> None:
    assert len(first_bash_block()) == 2


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, test_command = first_bash_block()
    assert "pytest" in test_command
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in [line.strip() for line in ci_lines]


def test_the_readme_main_command_solves_a_bundled_instance() -> None:
    main_command, _ = first_bash_block()
    last_step = shlex.split(main_command.split("&&")[-1])
    assert last_step[0].endswith("scheduler") and last_step[1] == "solve"
    instance = ROOT / last_step[2]
    assert instance.is_file() and instance.parent == ROOT / "instances"


def test_both_commands_install_the_package_the_same_way() -> None:
    main_command, test_command = first_bash_block()
    install = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]'"
    assert main_command.startswith(install) and test_command.startswith(install)
