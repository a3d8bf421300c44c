"""The base of the instance file's models (`data.instance`), and how it cleans what it reads.

Every model is immutable and refuses unknown keys; before validation, `yes` (YAML's true) is
refused where a number is expected, texts have their line breaks made newlines and their
control characters dropped, and an optional list key left without items is an empty list.
`trim` strips names that are compared exactly; `field_of` finds a field by its name or alias.
"""

from __future__ import annotations

import re
from typing import Any, get_origin

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.fields import FieldInfo

_NUMBERS = (int, float, int | None, float | None)


class Frozen(BaseModel):
    """Base of every instance model: immutable, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _no_yes_for_numbers(cls, data: Any) -> Any:
        return no_yes_for_numbers(cls, data)

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        return {k: _plain(v) for k, v in data.items()}

    @model_validator(mode="before")
    @classmethod
    def _empty_lists(cls, data: Any) -> Any:
        """An optional list (or mapping: `_empty_of`) key left without items (`pins:` with
        every item commented out, which YAML reads as null) is an empty one; it was refused as
        'expected a list, got None' (an audit). A required list (a session's `teachers` in
        `session_teachers`, where `[]` says "no teacher, on purpose") is still refused, and a
        key whose null means something (a UE's `sites`: every site) keeps it."""
        if not isinstance(data, dict):
            return data
        return {k: _empty_of(cls, k) if v is None else v for k, v in data.items()}


def _empty_of(model: type[BaseModel], key: str) -> Any:
    """What an optional list or mapping key left without items stands for (`()`, `{}`: the
    `weights:` block with every line commented out, as a manager turns overrides off, was
    refused: an audit); None for any other key, which validation then judges."""
    if _list_only(model, key):
        return ()
    field = field_of(model, key)
    if field is None or field.is_required():
        return None
    kind = field.annotation
    is_model = isinstance(kind, type) and issubclass(kind, BaseModel)
    return {} if get_origin(kind) is dict or is_model else None


def field_of(model: type[BaseModel], key: str) -> FieldInfo | None:
    """`model`'s field `key`, as named or as written (its alias: `from`), or None."""
    return model.model_fields.get(key) or next(
        (f for f in model.model_fields.values() if f.alias == key), None
    )


def _list_only(model: type[BaseModel], key: str) -> bool:
    """Whether `model`'s field `key` (or the field of that alias) is an optional tuple,
    never None."""
    field = field_of(model, key)
    return field is not None and not field.is_required() and get_origin(field.annotation) is tuple


#: line breaks of other systems and editors (Word's Shift+Enter is a vertical tab), and the
#: remaining control characters, which no calendar, workbook or page may hold (RFC 5545 3.3.11,
#: XML 1.0): the first become a newline, the others are dropped
_BREAKS = re.compile("\r\n?|[\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f]")


def _plain(value: Any) -> Any:
    """`value` with its texts' line breaks made newlines and control characters dropped."""
    if isinstance(value, str):
        return _CONTROLS.sub("", _BREAKS.sub("\n", value))
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    return value


def trim(value: str | None) -> str | None:
    """A name compared exactly (a partition, a country code), without the spaces around it;
    None when nothing is left."""
    return value.strip() or None if isinstance(value, str) else value


def no_yes_for_numbers(model: type[BaseModel], data: Any) -> Any:
    """Refuse `count: yes` (YAML's true) in `data` for `model`, which pydantic would read as
    1: for number fields, and in mappings of numbers (`weights`)."""
    if not isinstance(data, dict):
        return data
    for name, field in model.model_fields.items():
        key = field.alias or name
        value = data.get(key, data.get(name))
        if isinstance(value, bool) and field.annotation in _NUMBERS:
            raise ValueError(f"{key}: expected a number, got {str(value).lower()}")
        if isinstance(value, dict) and field.annotation == dict[str, int]:
            for k, v in value.items():
                if isinstance(v, bool):
                    raise ValueError(f"{key} {k}: expected a number, got {str(v).lower()}")
    return data
