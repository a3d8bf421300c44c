"""Validation errors in plain words, as one line naming file, entity, field and what is wrong.

pydantic's error locations become the entity's words (`ue 'UE3' series 'main'
min_days_between`), its type errors the form expected and the value given, an unknown key
the key it likely meant. Used by the YAML and JSON instance reader, the changes reader and,
for a value's size or form, the workbook reader.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from scheduler.data.frozen_model import field_of
from scheduler.data.types import ID_PATTERN, LANGUAGE_PATTERN, not_an_id, shortened

_SINGULAR = {
    "ues": "ue",
    "teachers": "teacher",
    "groups": "group",
    "sites": "site",
    "rooms": "room",
    "fixed_events": "fixed event",
    "slots": "slot",
    "sessions": "series",
}


def describe_location(raw: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into words: `ue 'UE3' series 'main' min_days_between`."""
    parts: list[str] = []
    node = raw
    last_key: str | None = None
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            item = node[step]
            ident = None
            if isinstance(item, dict):
                ident = item.get("series", "main") if last_key == "sessions" else item.get("id")
            label = _SINGULAR.get(last_key or "", last_key or "item")
            if parts and last_key is not None and parts[-1] == last_key:
                parts.pop()
            named = _ident(ident)
            parts.append(f"{label} '{named}'" if named is not None else f"{last_key}[{step}]")
            node = item
        else:
            key = str(step)
            parts.append(key)
            last_key = key
            node = node.get(key) if isinstance(node, dict) else None
    return " ".join(parts)


def _ident(value: Any) -> str | None:
    """An entity's id as the file gives it, a long one cut short; None for no id, for a
    list or mapping given as one (said by its place, `rooms[1]`, not as `['M-B']`) and for
    YAML's yes or no (an audit's `id: on` was named room 'yes', which the file never says)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int | float | dt.date):
        return shortened(str(value))
    return None


# pydantic's wording of the type errors people make in hand-written files, in plain words
_PLAIN_WORDS = {
    "list_type": "expected a list (one '- item' per line, or [a, b])",
    "tuple_type": "expected a list (one '- item' per line, or [a, b])",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
    "date_type": "expected a date YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date YYYY-MM-DD",
    "date_parsing": "expected a date YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date YYYY-MM-DD",
    "time_parsing": "expected a time HH:MM",
    "int_parsing": "expected a whole number",  # pydantic's words hid the value (an audit)
    "int_from_float": "expected a whole number",
    "int_type": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",  # these said "Input should be a valid number" (an audit)
    "string_type": "expected text",
    "bool_type": "expected yes or no",
    "bool_parsing": "expected yes or no",
}


def _shown(value: Any) -> str:
    """A value as the file gave it, briefly."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:  # `weight:` with nothing after it; not Python's None (an audit)
        return "nothing"
    if isinstance(value, bool):  # YAML's reading of yes, no, true, false, on, off
        return "yes" if value else "no"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _date_hint(typed: Any) -> str:
    """What to write for a date refused as `typed`: `: write 2026-09-26` for one typed day
    first (`26/09/2026`, `26.09.2026`) or without its zeros (`2026-9-26`), both readings when
    the month may come first, `: no such day` for 2026-02-30; or nothing."""
    text = typed.strip() if isinstance(typed, str) else ""
    readings: list[str] = []
    if (match := _YEAR_FIRST.match(text)) is not None:
        year, month, day = (int(part) for part in match.groups())
        orders = [(day, month)]
    elif (match := _DAY_FIRST.match(text)) is not None:
        first, second, year = (int(part) for part in match.groups())
        orders = [(first, second), (second, first)]
    else:
        return ""
    for day, month in orders:
        try:
            readings.append(dt.date(year, month, day).isoformat())
        except ValueError:
            continue
    if not readings:
        return ": no such day"
    if len(set(readings)) == 1:
        return f": write {readings[0]}"
    return f": write {readings[0]} (or {readings[1]} if the month comes first)"


def value_words(error: Any) -> str | None:
    """A pydantic error about a value's size or form in plain words, for the YAML and the
    workbook readers alike (`expected 36600 at most, got 100000000`), or None for another."""
    kind, ctx, typed = error["type"], error.get("ctx", {}), error.get("input")
    if kind == "greater_than_equal" and "ge" in ctx:
        return f"expected {ctx['ge']} or more, got {_shown(typed)}"
    if kind == "less_than_equal" and "le" in ctx:
        return f"expected {ctx['le']} at most, got {_shown(typed)}"
    if kind == "string_pattern_mismatch" and isinstance(typed, str):
        return _pattern_words(typed, str(ctx.get("pattern", "")))
    if kind == "finite_number":
        return f"expected a finite number, got {_shown(typed)}"
    return None


def _pattern_words(typed: str, pattern: str) -> str:
    """What is wrong with `typed`, which does not match `pattern`: the value, which the
    pattern alone hid (an audit's "T01 " with a trailing space, a no-break space in a list)."""
    if pattern == LANGUAGE_PATTERN:
        return f"{typed!r} is not a language code such as fr, en or fr-BE"
    if pattern == ID_PATTERN:
        return not_an_id(typed)
    return f"{typed!r} does not have the expected form"


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field's annotation holds (`X`, `X | None`, `tuple[X, ...]`), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for a in get_args(annotation) if (m := _model_in(a)) is not None), None)


def _holder(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model of the mapping holding `loc`'s last key (None: not known)."""
    current = model
    for step in loc[:-1]:
        if current is None:
            return None
        if isinstance(step, str):
            field = field_of(current, step)
            current = _model_in(field.annotation) if field is not None else None
    return current


def _keys_at(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> list[str]:
    """The keys the mapping holding `loc`'s last key may have, as written (aliases)."""
    current = _holder(model, loc)
    if current is None:
        return []
    return sorted(f.alias or name for name, f in current.model_fields.items())


def _optional(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> bool:
    """Whether `loc`'s last key may be left out (not known: False)."""
    holder = _holder(model, loc)
    field = field_of(holder, str(loc[-1])) if holder is not None and loc else None
    return field is not None and not field.is_required()


def _unknown_key(key: str, keys: list[str]) -> str:
    """`unknown key 'canceled' (did you mean 'cancelled'?)`, or the keys it may be."""
    close = difflib.get_close_matches(key, keys, n=1, cutoff=0.75)
    if close:
        return f"unknown key '{key}' (did you mean '{close[0]}'?)"
    return f"unknown key '{key}'" + (f" (known: {', '.join(keys)})" if keys else "")


def _error_words(raw: Any, error: Any, model: type[BaseModel] | None = None) -> str:
    """One validation error as "entity field: message", in plain words (`model`: the model
    validated, for the keys an unknown key may have meant)."""
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    where = describe_location(raw, loc)
    message = str(error["msg"]).removeprefix("Value error, ")
    kind = error["type"]
    if kind == "extra_forbidden":
        key = where.rsplit(" ", 1)[-1] if where else "?"
        where = where.rsplit(" ", 1)[0] if " " in where else ""
        message = _unknown_key(key, _keys_at(model, loc))  # an audit's `canceled`
    elif kind == "missing":
        message = "required field is missing"
    elif kind == "string_type" and isinstance(error.get("input"), bool):
        message = (  # not Python's True (an audit)
            f"expected text, got {_shown(error['input'])} (YAML reads an unquoted yes, no, "
            "true, false, on or off, and country codes such as NO, as yes or no): put the "
            "value in quotes"
        )
    elif kind == "string_type" and isinstance(error.get("input"), int | float):
        message = (
            f"expected text, got the number {_shown(error['input'])} (YAML reads unquoted "
            "digits as a number, 1.10 as 1.1): put the value in quotes"
        )
    elif kind == "string_type" and error.get("input") is None:  # `address: ~`, `address:`
        message = "expected text, got nothing: give a value" + (
            " or leave the key out" if _optional(model, loc) else ""
        )
    elif kind in _PLAIN_WORDS:
        message = f"{_PLAIN_WORDS[kind]}, got {_shown(error.get('input'))}"
        if kind.startswith("date_"):  # not pydantic's "(invalid character in year)"
            message += _date_hint(error.get("input"))
    elif kind == "literal_error" and "expected" in error.get("ctx", {}):
        message = f"expected {error['ctx']['expected']}, got {_shown(error.get('input'))}"
    elif (words := value_words(error)) is not None:
        message = words
    elif kind in ("too_short", "tuple_too_short") and not error.get("input"):
        message = "expected at least one item, got an empty list"
        if loc[:1] == ("ues",) and loc[-1:] == ("sessions",):  # an audit's thesis UE
            message += ": a UE with nothing to place (a thesis) is left out of the instance"
    return f"{where + ': ' if where else ''}{message}"


def format_validation_error(
    path: Path, raw: Any, err: ValidationError, model: type[BaseModel] | None = None
) -> str:
    """The validation errors of `model` as one line naming file, entity and field: the first
    in full (an unknown key first), then up to two more (an audit saw "(and 1 more error)"
    alone)."""
    errors = err.errors()
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    # a container's error caused by an item's (a series refused leaves its UE none): unsaid
    inner = [tuple(e["loc"]) for e in errors]
    rest = [
        e
        for e in errors
        if e is not first
        and not any(len(o) > len(e["loc"]) and o[: len(e["loc"])] == tuple(e["loc"]) for o in inner)
    ]
    shown = "; ".join(_error_words(raw, e, model) for e in rest[:2])
    hidden = len(rest) - 2
    suffix = (
        f" (also: {shown}" + (f"; and {hidden} more" if hidden > 0 else "") + ")" if rest else ""
    )
    return f"{path}: {_error_words(raw, first, model)}{suffix}"
