"""Reading instances from YAML, JSON (and workbooks) with one-line, located error messages."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError

from scheduler.data.instance import Instance, field_of
from scheduler.data.types import ID_PATTERN, LANGUAGE_PATTERN, not_an_id, shortened
from scheduler.errors import InputError

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


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads `18:00` as the string '18:00', not the YAML 1.1 number 1080,
    leaves a number with a leading zero as it is typed, and refuses duplicate keys.

    YAML 1.1 reads `010` as octal 8 (an audit's zero-padded `count: 012` lost two sessions
    without a word): such a number is kept as text, which validation reads in base 10 where
    a number is expected (`012` is 12) and as typed where an id is (`0109`, a room number).
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
)


def _no_duplicate_keys(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    """A mapping, refusing a key given twice; a merge key `<<: *anchor` first brings in the
    anchored mapping's keys, as in PyYAML's SafeLoader (an audit: "could not determine a
    constructor for the tag 'tag:yaml.org,2002:merge'"). A key the mapping gives itself
    overrides a merged one, which is no duplicate."""
    own = [key for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge"]
    loader.flatten_mapping(node)  # the merged keys first, then the mapping's own
    seen: set[Any] = set()
    for key_node in own:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicate_keys)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """An unquoted date such as 2026-02-30 that is no date stays text, so that validation
    names the entity and field (PyYAML's own error names neither, nor the line)."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (JSON keeps the last one without a word: a
    teacher's second `id` renamed them; YAML's reader refuses it too)."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            ids = [v for k, v in pairs if k == "id" and isinstance(v, str | int)]
            where = f" in the object of id '{ids[0]}'" if ids and key != "id" else ""
            raise _DuplicateKey(f"duplicate key '{key}'{where}")
        seen[key] = value
    return seen


def read_raw(path: Path) -> Any:
    """The parsed YAML or JSON document of `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not UTF-8 text (byte {err.start}): save the file as UTF-8"
        ) from err
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text, object_pairs_hook=_unique_keys)
        return yaml.load(text, Loader=_Loader)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}: invalid JSON: {err.msg}") from err
    except _DuplicateKey as err:
        raise InputError(f"{path}: invalid JSON: {err}") from err
    except ValueError as err:  # e.g. PyYAML reading an impossible date such as 2026-02-30
        raise InputError(f"{path}: invalid value: {err}") from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(f"{path}{where}: invalid YAML: {problem}{_yaml_hint(problem)}") from err


# PyYAML's words for common hand-editing slips, and what to do (an audit: no hint was given)
_YAML_HINTS = (
    ("found character '\\t'", "indent with spaces: YAML takes no tabs"),
    (
        "mapping values are not allowed",
        "a text holding ': ' goes in quotes, or a key above lacks its ':'",
    ),
    ("could not find expected ':'", "a key lacks its ':', or a quote above is not closed"),
    (
        "expected <block end>",
        "an indentation differs from its siblings', or a quote above is not closed",
    ),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
)


def _yaml_hint(problem: str) -> str:
    """` (hint)` for PyYAML's `problem`, or nothing; the line PyYAML gives can be a few lines
    after the slip."""
    hint = next((h for words, h in _YAML_HINTS if words in problem), None)
    return f" ({hint})" if hint else ""


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
    """An entity's id as the file gives it, a long one cut short; None for no id or for a
    list or mapping given as one (said by its place, `rooms[1]`, not as `['M-B']`)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
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


def instance_from_raw(raw: Any, source: Path) -> Instance:
    """Validate a parsed document into an `Instance`, raising `InputError` on any problem."""
    if not isinstance(raw, dict):
        raise InputError(f"{source}: the instance must be a mapping with keys name, calendar, ...")
    try:
        return Instance.model_validate(raw)
    except ValidationError as err:
        raise InputError(format_validation_error(source, raw, err, Instance)) from err


def load_instance(path: str | Path) -> Instance:
    """Load an instance from a `.yaml`/`.yml`, `.json` or `.xlsx` file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from scheduler.io.workbook import read_workbook

        return read_workbook(path)
    if suffix not in ("", *DATA_SUFFIXES):
        # read as YAML, a LibreOffice .ods got "not UTF-8 text: save the file as UTF-8"
        raise InputError(
            f"{path}: an instance is a .yaml, .yml, .json or .xlsx file, not {suffix}"
            + (": save the spreadsheet as .xlsx (Excel 2007-365)" if suffix in _SHEETS else "")
        )
    return instance_from_raw(read_raw(path), path)


#: what `load_instance` reads: workbooks, and YAML or JSON (also a file without a suffix)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
DATA_SUFFIXES = (".yaml", ".yml", ".json")
_SHEETS = (".ods", ".xls", ".xlsb", ".numbers", ".csv", ".fods", ".xltx")


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def instance_digest(instance: Instance) -> str:
    """The SHA-256 of what an instance says, whatever file holds it: the same for a workbook
    saved again unchanged, or for its YAML conversion (a file's bytes differ for both)."""
    data = instance_to_data(instance, keep_set=False)  # the same whoever wrote a default
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def instance_to_data(instance: Instance, keep_set: bool = True) -> dict[str, Any]:
    """The instance as plain data (aliases, ISO dates, 'HH:MM' times), omitting defaults
    except the timezone (a reader of the file should not need to know the default) and,
    with `keep_set`, a `group_week_target` the file gave though it equals the default (a
    manager's 2, chosen, was dropped from a revision's instance, and `report` then said
    it was the default: an audit)."""
    data = instance.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data.setdefault("timezone", instance.timezone)
    given = instance.preferences.model_fields_set & {"group_week_target"}  # `report` asks
    chosen = instance.preferences.model_dump(mode="json", include=given)
    if keep_set and chosen:
        data["preferences"] = {**chosen, **data.get("preferences", {})}
    order = [f.alias or name for name, f in type(instance).model_fields.items()]
    data = {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else 99)}
    return _as_written(data)


def _as_written(value: Any) -> Any:
    """Values as a person writes them: `HH:MM` times, whole numbers without `.0`."""
    if isinstance(value, dict):
        return {k: _as_written(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_written(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"\d\d:\d\d:00", value):
        return value[:5]
    if isinstance(value, float) and value.is_integer():
        return int(value)  # `ects: 8` stays 8, not 8.0 (a float field reads it back the same)
    return value


class _QuotedTimes(yaml.SafeDumper):
    """Times written quoted, as SCHEMA asks of every instance file: PyYAML quoted `'12:00'`
    (else a number to YAML 1.1) but wrote `09:00` bare (an audit of `convert`)."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "'" if re.fullmatch(r"\d{1,2}:\d{2}", value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_QuotedTimes.add_representer(str, _text)


def dump_instance(instance: Instance, path: Path) -> None:
    """Write an instance as YAML or JSON (by suffix), atomically."""
    from scheduler.io.atomic import write_text

    data = instance_to_data(instance)
    if path.suffix.lower() == ".json":
        write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        text = yaml.dump(data, Dumper=_QuotedTimes, sort_keys=False, allow_unicode=True, width=100)
        write_text(path, text)
