"""The Client Level Data Release 2 specification, as data.

Pure Python, no Django. `cld-r2-spec.json` beside this module is a copy of
../shared/reference/cld-r2-spec.json (tests/returns/test_spec.py fails if they differ), kept
in the package so an installed service never reads outside itself. Everything that knows
the return's columns, value lists and mandation rules reads them from here, never from a
second hand-typed list.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).with_name("cld-r2-spec.json")


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "code", "date", "text" or "number"
    allowed: tuple[str, ...] | None
    release1_values: tuple[str, ...]
    pattern: re.Pattern[str] | None
    check: str | None
    number: dict[str, Any] | None
    mandatory_when: Any
    applicable_when: Any
    mandatory: str
    notes: str
    header_aliases: tuple[str, ...]


@dataclass(frozen=True)
class Spec:
    fields: tuple[Field, ...]
    conditions: dict[str, Any]
    cross_field_rules: tuple[dict[str, Any], ...]
    date_formats: tuple[str, ...]

    @cached_property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return self.by_name[name]

    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @cached_property
    def later_than(self) -> dict[str, str]:
        """Date fields that must not be earlier than another (the cross-field rules)."""
        return {rule["field"]: rule["earlier"] for rule in self.cross_field_rules}


def _field(raw: dict[str, Any]) -> Field:
    return Field(
        name=raw["name"],
        type=raw["type"],
        allowed=tuple(raw["allowed"]) if raw.get("allowed") else None,
        release1_values=tuple(raw.get("release1_values") or ()),
        pattern=re.compile(raw["pattern"]) if raw.get("pattern") else None,
        check=raw.get("check"),
        number=raw.get("number"),
        mandatory_when=raw.get("mandatory_when"),
        applicable_when=raw.get("applicable_when"),
        mandatory=raw.get("mandatory", ""),
        notes=raw.get("notes", ""),
        header_aliases=tuple(raw.get("header_aliases") or ()),
    )


@cache
def load(path: Path = SPEC_PATH) -> Spec:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Spec(
        fields=tuple(_field(f) for f in raw["fields"]),
        conditions=raw["conditions"],
        cross_field_rules=tuple(raw["cross_field_rules"]),
        date_formats=tuple(raw["date_formats_accepted"]),
    )


def header_key(label: str) -> str:
    """How headers are matched: ignoring case, spaces and punctuation (the spec's file notes)."""
    return re.sub(r"[^a-z0-9]", "", label.lower())
