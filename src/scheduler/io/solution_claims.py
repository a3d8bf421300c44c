"""The problem a solution is checked against: its instance, with the sessions a re-solve's
solution takes out of their series' order (`reordered`), when its claim holds."""

from __future__ import annotations

from pydantic import ValidationError

from scheduler.data.instance import Instance
from scheduler.data.problem import Problem
from scheduler.data.sessions import expand_sessions
from scheduler.errors import InputError, first_error
from scheduler.solution import Result


def problem_for(instance: Instance, result: Result) -> Problem:
    """The problem a solution is checked against: the instance, with the sessions the
    solution declares out of series order (written by `resolve`) taken out of the order."""
    if result.reordered:
        _out_of_order(instance, result)
        update = {"reordered": tuple(dict.fromkeys((*instance.reordered, *result.reordered)))}
        try:
            instance = Instance.model_validate({**instance.model_dump(by_alias=True), **update})
        except ValidationError as err:
            raise InputError(
                f"solution 'reordered' does not fit instance '{instance.name}': {first_error(err)}"
            ) from err
    return Problem.build(instance)


def _out_of_order(instance: Instance, result: Result) -> None:
    """Each session the solution takes out of its series' order (not the instance) is placed
    after a later session of its series that was given: dated before the instance's
    `frozen_before` and pinned there, as a re-solve's instance records what was given. An
    audit wrote `reordered` into a timetable to exempt two swapped sessions from the order
    rules; others, with an empty `revision`, or a `today` of their own making, to exempt two
    sessions still to give: only the instance, not the solution, says what was given."""
    day = instance.frozen_before
    series = {s.id: (s.series_id, s.number) for s in expand_sessions(instance)}
    order = {slot.id: i for i, slot in enumerate(instance.calendar.slots)}
    when = {a.session: (a.date, order.get(a.slot, 0)) for a in result.assignments}
    given = {pin.session: pin.date for pin in instance.pins if pin.date is not None}
    for sid in result.reordered:
        if sid in instance.reordered or sid not in series or sid not in when:
            continue  # the instance's own, or a session the checker refuses anyway
        if day is None:
            raise InputError(
                f"solution 'reordered': {sid} is taken out of its series' order by a re-solve; "
                f"instance '{instance.name}' does not say which sessions were given (a "
                "re-solve's own instance.yaml does, with `frozen_before`): check the revision "
                "against its instance.yaml"
            )
        own, number = series[sid]
        overtaken = any(
            other in when
            and when[other] < when[sid]
            and when[other][0] < day
            and given.get(other) == when[other][0]
            for other, (of, n) in series.items()
            if of == own and n > number
        )
        if not overtaken:
            raise InputError(
                f"solution 'reordered': {sid} is not placed after a later session of its "
                f"series given before {day} (the instance's `frozen_before`): only such a "
                "make-up is taken out of the order"
            )
