"""Reading instances from YAML, JSON (and workbooks) with one-line, located error messages."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scheduler.data.instance import Instance
from scheduler.data.sessions import Session
from scheduler.data.validate_timezone import zone_unlike_holidays
from scheduler.errors import InputError, InputWarning
from scheduler.io.validation_words import format_validation_error


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


def _no_binary(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """`!!binary` is refused: bytes are no instance value (a fuzz audit's `name: !!binary
    aGVsbG8=` was read as the instance `hello`)."""
    raise yaml.constructor.ConstructorError(
        None, None, "a !!binary value: instance values are text, numbers or dates", node.start_mark
    )


_Loader.add_constructor("tag:yaml.org,2002:binary", _no_binary)


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


def _where_undecoded(err: UnicodeDecodeError) -> str:
    """`line 3, column 10: byte 0xe9`, as an editor counts (characters decoded before it)."""
    before = bytes(err.object[: err.start])
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    line = before.count(b"\n") + 1
    return f"line {line}, column {column}: byte 0x{err.object[err.start]:02x}"


def read_raw(path: Path) -> Any:
    """The parsed YAML or JSON document of `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not UTF-8 text ({_where_undecoded(err)}): save the file as UTF-8"
        ) from err
    try:
        if path.suffix.lower() == ".json":
            doc = json.loads(text, object_pairs_hook=_unique_keys)
        else:
            doc = yaml.load(text, Loader=_Loader)
        _refuse_cycles_and_depth(path, doc)
        return doc
    except RecursionError as err:  # the parsers recurse: a fuzz audit's traceback
        raise InputError(
            f"{path}: nested more than {MAX_NESTING} levels deep: not an instance"
        ) from err
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}: invalid JSON: {err.msg}") from err
    except _DuplicateKey as err:
        raise InputError(f"{path}: invalid JSON: {err}") from err
    except ValueError as err:  # e.g. PyYAML reading an impossible date such as 2026-02-30
        raise InputError(f"{path}: invalid value: {err}") from err
    except yaml.reader.ReaderError as err:  # a control character: said on two lines, by offset
        line = text.count("\n", 0, err.position) + 1
        column = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        raise InputError(
            f"{path}:{line}: invalid YAML: a control character (#x{int(err.character):04x}) at column "
            f"{column}: remove it"
        ) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(f"{path}{where}: invalid YAML: {problem}{_yaml_hint(problem)}") from err


MAX_NESTING = 50  # an instance nests about 6 levels; far more is a slip, or no instance


def _refuse_cycles_and_depth(path: Path, doc: Any) -> None:
    """Refuse a YAML alias that holds itself (`name: &x [*x]`), which every later reading
    recursed into until Python's limit (a fuzz audit's traceback), and nesting deeper than
    `MAX_NESTING`. Each list or mapping is walked once, without recursion.

    Raises:
        InputError: the document is cyclic or nested too deeply."""
    done: set[int] = set()
    open_: set[int] = set()  # the containers whose walk has started and not ended
    stack: list[tuple[Any, int, bool]] = [(doc, 1, False)]
    while stack:
        node, depth, leaving = stack.pop()
        if leaving:
            open_.discard(id(node))
            done.add(id(node))
            continue
        if not isinstance(node, dict | list):
            continue
        if id(node) in open_:
            raise InputError(f"{path}: an alias (*name) refers to a value that holds it")
        if id(node) in done:
            continue
        if depth > MAX_NESTING:
            raise InputError(f"{path}: nested more than {MAX_NESTING} levels deep: not an instance")
        open_.add(id(node))
        stack.append((node, depth, True))
        children = node.values() if isinstance(node, dict) else node
        stack += [(child, depth + 1, False) for child in children]


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


def instance_from_raw(raw: Any, source: Path) -> Instance:
    """Validate a parsed document into an `Instance`, raising `InputError` on any problem."""
    if not isinstance(raw, dict):
        raise InputError(f"{source}: the instance must be a mapping with keys name, calendar, ...")
    try:
        return Instance.model_validate(raw)
    except ValidationError as err:
        raise InputError(format_validation_error(source, raw, err, Instance)) from err


def load_instance(path: str | Path, *, say_timezone: bool = True) -> Instance:
    """Load an instance from a `.yaml`/`.yml`, `.json` or `.xlsx` file. `say_timezone`:
    warn when it names no timezone (not for a file read only to look up an earlier re-solve's
    pins, which the user did not give: a review)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from scheduler.io.workbook import read_workbook

        return _timezone_said(read_workbook(path), path, say_timezone)
    if suffix not in ("", *DATA_SUFFIXES):
        # read as YAML, a LibreOffice .ods got "not UTF-8 text: save the file as UTF-8"
        raise InputError(
            f"{path}: an instance is a .yaml, .yml, .json or .xlsx file, not {suffix}"
            + save_as_xlsx(suffix)
        )
    return _timezone_said(instance_from_raw(read_raw(path), path), path, say_timezone)


def instance_cells(
    path: str | Path, sessions: Iterable[Session] = ()
) -> dict[str, tuple[str, ...]]:
    """For an instance read from a workbook, each entity id -> its rows' first cells
    (`Teachers!A7`), `sessions` at their series' row on Sessions, so that what is said of an
    entity after the reading (pre-flight findings) points at its row as a reading error
    does (an audit); {} for YAML or JSON. A pinned session is at its series' row and its
    pins' (`Sessions!A3`, `Pins!A3`): "its pin leaves no start ... move the pin" pointed at
    Sessions alone, where no pin is (a review)."""
    if Path(path).suffix.lower() not in WORKBOOK_SUFFIXES:
        return {}
    from scheduler.io.workbook import entity_cells

    cells = entity_cells(path)  # a pinned session's id: its pins' rows
    for s in sessions:
        rows = (*cells.get(s.series_id, ()), *cells.get(s.id, ()))
        if rows:
            cells[s.id] = rows
    return cells


def _timezone_said(instance: Instance, path: Path, say: bool) -> Instance:
    """`instance`, after a warning when its file names no timezone: the default one then
    decides every exported time and the calendar's daylight-saving checks. Only `solve` said
    it; `calendar`, `explain` and `export` used Brussels' clock silently (an audit)."""
    if say and "timezone" not in instance.model_fields_set:
        warnings.warn(
            InputWarning(
                f"{path} names no timezone: {instance.timezone} is assumed, and the calendars "
                "and timetable.html give every time in it"
            ),
            stacklevel=3,
        )
    unlike = zone_unlike_holidays(instance) if say else ""
    if unlike:
        warnings.warn(InputWarning(f"{path}: {unlike}"), stacklevel=3)
    return instance


#: what `load_instance` reads: workbooks, and YAML or JSON (also a file without a suffix)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
DATA_SUFFIXES = (".yaml", ".yml", ".json")
_SHEETS = (".ods", ".xls", ".xlsb", ".numbers", ".csv", ".fods", ".xltx")


def save_as_xlsx(suffix: str) -> str:
    """The advice for a spreadsheet of another format than the one read, else ''."""
    return ": save the spreadsheet as .xlsx (Excel 2007-365)" if suffix.lower() in _SHEETS else ""


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
    data = instance.model_dump(by_alias=True, exclude_defaults=True)
    data.setdefault("timezone", instance.timezone)
    given = instance.preferences.model_fields_set & {"group_week_target"}  # `report` asks
    chosen = instance.preferences.model_dump(mode="json", include=given)
    if keep_set and chosen:
        data["preferences"] = {**chosen, **data.get("preferences", {})}
    order = [f.alias or name for name, f in type(instance).model_fields.items()]
    data = {k: data[k] for k in sorted(data, key=lambda k: order.index(k) if k in order else 99)}
    return _as_written(data)


def _as_written(value: Any) -> Any:
    """Values as a person writes them, as plain data: ISO dates, `HH:MM` times, whole numbers
    without `.0`. Only times are cut: a title reading `10:00:00` stays as written (an audit)."""
    if isinstance(value, dict):
        return {k: _as_written(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_written(v) for v in value]
    if isinstance(value, dt.time):
        return value.isoformat("minutes" if not value.second else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
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
