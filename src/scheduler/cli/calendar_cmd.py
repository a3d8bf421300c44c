"""`scheduler calendar INSTANCE`: usable dated slots per month and weekday."""

from __future__ import annotations

from collections import Counter

import click

from scheduler.cli.common import existing_file, guard
from scheduler.data.preflight_calendar import calendar_slips
from scheduler.data.problem import Problem
from scheduler.data.types import WEEKDAYS
from scheduler.io.instance_io import instance_cells, load_instance
from scheduler.model.explain import finding_line


@click.command("calendar")
@click.argument("instance")
@click.option(
    "--closures/--no-closures",
    default=False,
    show_default=True,
    help="Also list every closed dated slot.",
)
def calendar(instance: str, closures: bool) -> None:
    """Print a month-by-month count of usable slots per weekday."""
    path = existing_file(instance)
    problem = guard(lambda: Problem.build(load_instance(path)))
    slips = calendar_slips(problem)
    cells = instance_cells(path, problem.sessions) if slips else {}
    for finding in slips:  # as solve's: `finding_line`
        click.echo(finding_line(finding, instance, cells), err=True)
    days = [d for d in WEEKDAYS if any(s.weekday == d for s in problem.instance.calendar.slots)]
    usable = Counter((s.date.strftime("%Y-%m"), s.weekday) for s in problem.slots)
    school = Counter(s.date.strftime("%Y-%m") for s in problem.slots if s.school_holiday)
    closed = Counter(c.date.strftime("%Y-%m") for c in problem.closed)
    months = sorted({m for m, _ in usable} | set(closed))
    header = (
        f"{'month':<8}"
        + "".join(f"{d:>6}" for d in days)
        + f"{'total':>7}{'closed':>8}{'school':>8}"
    )
    click.echo(header)
    for month in months:
        counts = [usable[month, d] for d in days]
        click.echo(
            f"{month:<8}"
            + "".join(f"{c:>6}" for c in counts)
            + f"{sum(counts):>7}{closed[month]:>8}{school[month]:>8}"
        )
    totals = [sum(usable[m, d] for m in months) for d in days]
    click.echo(
        f"{'total':<8}"
        + "".join(f"{c:>6}" for c in totals)
        + f"{sum(totals):>7}{sum(closed.values()):>8}{sum(school.values()):>8}"
    )
    click.echo("(closed: public holidays and closures; school: usable slots in school holidays)")
    if closures:
        for c in problem.closed:
            click.echo(f"  {c.date} {c.slot:<10} {c.reason}")
