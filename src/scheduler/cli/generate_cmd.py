"""`scheduler generate`: write a synthetic instance, feasible by construction."""

from __future__ import annotations

from pathlib import Path

import click

from scheduler.cli.common import BadInput, Finite, guard
from scheduler.cli.exit_codes import refuse_overwrite
from scheduler.generate_years import FIRST_YEAR, LAST_YEAR


@click.command("generate")
@click.option(
    "--programmes",
    type=click.IntRange(min=1, max=100),
    required=True,
    help="Number of programmes (about 60-100 sessions each).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same instance.")
@click.option(
    "--tightness",
    type=Finite(0.1, 0.95),
    default=0.7,
    show_default=True,
    help="Share of a student's usable slots taken by teaching; rooms scarcer when higher.",
)
@click.option(
    "--weeks",
    type=click.IntRange(min=8, max=52),
    default=26,
    show_default=True,
    help="Calendar length in weeks (two mid-way weeks are closed).",
)
@click.option(
    "--sites",
    type=click.IntRange(1, 3),
    default=None,
    help="Number of sites (default 2 for one programme, else 3).",
)
@click.option(
    "--year",
    type=click.IntRange(FIRST_YEAR, LAST_YEAR),
    default=2026,
    show_default=True,
    help="Academic year (its first calendar year): the calendar moves by whole weeks, with "
    "that year's Belgian public and French Community school holidays (the years the holidays "
    "package covers whole).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    required=True,
    help="Output file, YAML or JSON by its suffix.",
)
@click.option("--force", is_flag=True, help="Replace a file already at --out.")
def generate(
    programmes: int,
    seed: int,
    tightness: float,
    weeks: int,
    sites: int | None,
    year: int,
    out: str,
    force: bool,
) -> None:
    """Generate a realistic synthetic instance (SCHEMA.md section 1) and write it to --out."""
    from scheduler.generate import generate_instance
    from scheduler.io.instance_io import dump_instance

    path = Path(out)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise BadInput(f"{path}: --out must end in .yaml, .yml or .json")
    refuse_overwrite(path, force)
    instance = guard(lambda: generate_instance(programmes, seed, tightness, weeks, sites, year))

    guard(lambda: dump_instance(instance, path))
    sessions = sum(s.count for ue in instance.ues for s in ue.sessions)
    click.echo(
        f"wrote {path}: {instance.name}, {len(instance.ues)} UEs, {sessions} sessions, "
        f"{len(instance.teachers)} teachers, {sum(len(s.rooms) for s in instance.sites)} rooms"
    )
