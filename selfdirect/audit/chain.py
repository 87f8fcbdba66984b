"""The audit trail as a hash chain: what is hashed, and how a chain is checked. No Django.

Events are numbered 1, 2, 3, … in the order they are written (`sequence`, with no gaps).
Each event stores the hash of the event before it (`prev_hash`; GENESIS for the first) and
its own hash:

    hash = sha256(prev_hash + canonical(content))

where the content is every stored field that says what happened (CONTENT_FIELDS) and
canonical() is JSON with sorted keys, no spaces, ASCII only, and the time in UTC to the
microsecond, so SQLite and PostgreSQL give the same bytes for the same event. Changing any
of those fields changes the event's hash; removing an event leaves a gap in the numbers;
and an event changed and re-hashed by someone who knows all this no longer matches the
prev_hash its successor holds. The last event's number and hash are also kept apart from
the events (the chain head), so removing or re-hashing the newest events shows too.

An attacker who can rewrite every event after the one they change, and the head, is not
caught by the chain alone: to catch that, keep the hash `selfdirect audit-verify` prints
somewhere the database's users cannot reach, and compare it later.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any

# The prev_hash of the first event.
GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Content:
    """The fields of an event that its hash covers, as stored (foreign keys as their ids)."""

    sequence: int
    at: datetime.datetime
    actor_id: int | None
    actor_label: str
    person_id: int | None
    person_label: str
    event_type: str
    reason: str
    old_values: Any
    new_values: Any


# The stored field names, in Content's order: callers read them from the database in one go.
CONTENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Content))


def content_of(event: Any) -> Content:
    """The content of EVENT, any object with the fields as attributes (an AuditEvent)."""
    return Content(**{name: getattr(event, name) for name in CONTENT_FIELDS})


@dataclass(frozen=True, slots=True)
class Head:
    """The end of a chain: the last event's sequence and hash (0 and GENESIS when empty)."""

    sequence: int = 0
    hash: str = GENESIS


@dataclass(frozen=True, slots=True)
class Stored:
    """One event as read back: its id, the hashes it holds and its content."""

    id: int
    prev_hash: str
    hash: str
    content: Content

    @property
    def sequence(self) -> int:
        return self.content.sequence


def utc_text(moment: datetime.datetime) -> str:
    """MOMENT in UTC, always to the microsecond: 2026-11-23T05:15:00.000000Z."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an audit time needs its time zone: {moment!r}")
    utc = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def canonical(content: Content) -> bytes:
    """The bytes hashed for CONTENT: the same for an event as written and as read back."""
    document = {
        "sequence": _integer(content.sequence),
        "at": utc_text(content.at),
        "actor_id": _integer_or_none(content.actor_id),
        "actor_label": str(content.actor_label),
        "person_id": _integer_or_none(content.person_id),
        "person_label": str(content.person_label),
        "event_type": str(content.event_type),
        "reason": str(content.reason),
        "old_values": as_stored(content.old_values),
        "new_values": as_stored(content.new_values),
    }
    return _dumps(document).encode("ascii")


def event_hash(prev_hash: str, content: Content) -> str:
    """sha256 of PREV_HASH followed by the canonical content, as 64 hex digits."""
    return hashlib.sha256(prev_hash.encode("utf-8") + canonical(content)).hexdigest()


def extend(head: Head, content: Content) -> Head:
    """The head after appending CONTENT, whose sequence must follow HEAD's."""
    if content.sequence != head.sequence + 1:
        raise ValueError(f"event {content.sequence} cannot follow event {head.sequence}")
    return Head(content.sequence, event_hash(head.hash, content))


def as_stored(value: Any) -> Any:
    """VALUE as a JSON column gives it back: tuples as lists, keys as text, and whole-number
    floats as integers (PostgreSQL's jsonb returns 1e+16 as 10000000000000000)."""
    if isinstance(value, dict | list) and not value:
        return value  # most events' old and new values: nothing to convert
    return _settle_numbers(json.loads(_dumps(value, sort_keys=False)))


def _settle_numbers(value: Any) -> Any:
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {key: _settle_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_settle_numbers(item) for item in value]
    return value


def _dumps(value: Any, *, sort_keys: bool = True) -> str:
    return json.dumps(
        value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, not {value!r}")
    return value


def _integer_or_none(value: Any) -> int | None:
    return None if value is None else _integer(value)


# Checking a chain ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Break:
    """Where a chain first fails: the event at SEQUENCE (None in EVENT when it is missing)."""

    sequence: int
    why: str
    event: Stored | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a check found: how many events held, the last of them, and the first break."""

    checked: int
    last: Head
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


CHANGED = "its content has changed since it was written: its hash no longer matches it"
REHASHED = (
    "its hash is not the one the chain head recorded when it was written: it was changed "
    "and its hash worked out again (or the head itself was changed)"
)
UNREADABLE = "it cannot be read back as an audit event ({error})"


def verify(
    events: Iterable[Stored],
    *,
    head_before: Head | None,
    head_after: Callable[[], Head | None],
) -> Verdict:
    """Check EVENTS, in sequence order, one at a time (they may be streamed), and stop at the
    first break.

    HEAD_BEFORE is the chain head read before the events; HEAD_AFTER reads it again, and is
    called only when events were written while they were being read (so the two reads and
    the events need not come from one snapshot of the database). None means there is no
    head at all.
    """
    previous = Head()
    checked = 0
    last: Stored | None = None
    iterator = iter(events)
    while True:
        try:
            event = next(iterator)
        except StopIteration:
            break
        except (ValueError, TypeError) as error:
            return Verdict(
                checked,
                previous,
                Break(previous.sequence + 1, UNREADABLE.format(error=error)),
            )
        broken = _check_one(event, previous, head_before)
        if broken is not None:
            return Verdict(checked, previous, broken)
        previous = Head(event.sequence, event.hash)
        last = event
        checked += 1
    return Verdict(checked, previous, _check_end(previous, last, head_before, head_after))


def _check_one(event: Stored, previous: Head, head_before: Head | None) -> Break | None:
    expected = previous.sequence + 1
    if event.sequence != expected:
        if event.sequence > expected:
            missing = _numbers(expected, event.sequence - 1)
            why = f"the event before it is missing: {missing} not found"
        else:
            why = f"it is out of place: event {expected} was expected next"
        return Break(event.sequence, why, event)
    if event.prev_hash != previous.hash:
        if previous.sequence == 0:
            why = "it is not the start of the chain: it holds a hash for an event before it"
        else:
            why = (
                f"it does not follow on from event {previous.sequence}: the hash it holds for "
                f"that event is not that event's hash, so event {previous.sequence} was "
                "changed and its hash worked out again, or this event was changed"
            )
        return Break(event.sequence, why, event)
    try:
        recomputed = event_hash(event.prev_hash, event.content)
    except (ValueError, TypeError) as error:
        return Break(event.sequence, UNREADABLE.format(error=error), event)
    if recomputed != event.hash:
        return Break(event.sequence, CHANGED, event)
    if (
        head_before is not None
        and event.sequence == head_before.sequence
        and event.hash != head_before.hash
    ):
        return Break(event.sequence, REHASHED, event)
    return None


def _check_end(
    last: Head,
    event: Stored | None,
    head_before: Head | None,
    head_after: Callable[[], Head | None],
) -> Break | None:
    if head_before is not None and last.sequence < head_before.sequence:
        missing = _numbers(last.sequence + 1, head_before.sequence)
        return Break(
            last.sequence + 1,
            f"the newest events are missing: the chain head says the chain runs to event "
            f"{head_before.sequence}, so {missing} have been removed",
        )
    if head_before is not None and last.sequence == head_before.sequence:
        return None  # every event was checked against the head already
    # Events were read that the first reading of the head did not cover (or there was no
    # head): they must have moved the head by the time the events were read.
    after = head_after()
    if after is None:
        if last.sequence == 0:
            return None  # nothing written yet
        return Break(
            last.sequence,
            "the chain head (the record of the last event) is missing, so the newest events "
            "could have been removed unseen",
            event,
        )
    if after.sequence < last.sequence:
        return Break(
            after.sequence + 1,
            f"it is not in the chain head, which ends at event {after.sequence}: it was not "
            "written by the application, or the head was moved back",
        )
    if after.sequence == last.sequence and after.hash != last.hash:
        return Break(last.sequence, REHASHED, event)
    return None


def _numbers(first: int, last: int) -> str:
    return f"event {first}" if first == last else f"events {first} to {last}"
