"""The pure hash chain (selfdirect/audit/chain.py): what is hashed, and how a chain is checked."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfdirect.audit import chain
from selfdirect.audit.chain import GENESIS, Content, Head, Stored

LONDON = ZoneInfo("Europe/London")
NOON = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)


def content(sequence: int = 1, **changes: Any) -> Content:
    values: dict[str, Any] = {
        "sequence": sequence,
        "at": NOON + datetime.timedelta(minutes=sequence),
        "actor_id": 7,
        "actor_label": "Ann Smith (Social worker)",
        "person_id": 12,
        "person_label": "SD0000012",
        "event_type": "person.viewed",
        "reason": "Named worker",
        "old_values": {},
        "new_values": {},
    }
    values.update(changes)
    return Content(**values)


def build(count: int) -> list[Stored]:
    """A valid chain of COUNT events."""
    events, head = [], Head()
    for sequence in range(1, count + 1):
        body = content(sequence, reason=f"Reason {sequence}")
        new = chain.extend(head, body)
        events.append(Stored(sequence + 100, head.hash, new.hash, body))
        head = new
    return events


def head_of(events: list[Stored]) -> Head:
    return Head(events[-1].sequence, events[-1].hash) if events else Head()


def check(events: list[Stored], head: Head | None = None) -> chain.Verdict:
    head = head_of(events) if head is None else head
    return chain.verify(events, head_before=head, head_after=lambda: head)


# What is hashed ----------------------------------------------------------------------------


def test_canonical_form_is_sorted_compact_json_with_the_time_in_utc() -> None:
    assert chain.canonical(content(old_values={"b": 1, "a": "é"})) == (
        b'{"actor_id":7,"actor_label":"Ann Smith (Social worker)","at":'
        b'"2026-07-01T12:01:00.000000Z","event_type":"person.viewed","new_values":{},'
        b'"old_values":{"a":"\\u00e9","b":1},"person_id":12,"person_label":"SD0000012",'
        b'"reason":"Named worker","sequence":1}'
    )


def test_hash_is_sha256_of_the_previous_hash_then_the_canonical_content() -> None:
    body = content()
    expected = hashlib.sha256(GENESIS.encode() + chain.canonical(body)).hexdigest()
    assert chain.event_hash(GENESIS, body) == expected
    assert len(expected) == 64


def test_the_same_instant_in_any_time_zone_hashes_the_same() -> None:
    in_london = NOON.astimezone(LONDON)
    assert in_london.hour == 13  # summer time
    assert chain.canonical(content(at=in_london)) == chain.canonical(content(at=NOON))


def test_times_are_kept_to_the_microsecond() -> None:
    assert chain.utc_text(NOON) == "2026-07-01T12:00:00.000000Z"
    assert chain.utc_text(NOON.replace(microsecond=5)) == "2026-07-01T12:00:00.000005Z"
    assert chain.canonical(content(at=NOON)) != chain.canonical(
        content(at=NOON.replace(microsecond=1))
    )


def test_a_time_without_its_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        chain.canonical(content(at=NOON.replace(tzinfo=None)))


@pytest.mark.parametrize(
    "name, value",
    [
        ("sequence", 2),
        ("at", NOON),
        ("actor_id", 8),
        ("actor_id", None),
        ("actor_label", "Someone else"),
        ("person_id", 13),
        ("person_id", None),
        ("person_label", "SD0000013"),
        ("event_type", "person.updated"),
        ("reason", "Named worker."),
        ("old_values", {"name": "Ann"}),
        ("new_values", {"name": "Ann"}),
    ],
)
def test_every_field_is_covered(name: str, value: Any) -> None:
    body = content()
    changed = dataclasses.replace(body, **{name: value})
    assert chain.event_hash(GENESIS, changed) != chain.event_hash(GENESIS, body)


def test_the_previous_hash_is_covered() -> None:
    assert chain.event_hash("1" * 64, content()) != chain.event_hash(GENESIS, content())


def test_values_are_hashed_as_a_json_column_gives_them_back() -> None:
    written = {"ids": (1, 2), 3: "three", "amount": 1e16, "rate": 0.5, "nested": {"x": [2.0]}}
    assert chain.as_stored(written) == {
        "ids": [1, 2],
        "3": "three",
        "amount": 10**16,  # jsonb gives 1e+16 back as 10000000000000000
        "rate": 0.5,
        "nested": {"x": [2]},
    }
    stored = json.loads(json.dumps(written))
    assert chain.canonical(content(new_values=written)) == chain.canonical(
        content(new_values=stored)
    )


def test_values_that_no_database_could_hold_are_refused() -> None:
    with pytest.raises(ValueError):
        chain.canonical(content(new_values={"x": float("nan")}))
    with pytest.raises(TypeError):
        chain.canonical(content(new_values={"x": object()}))
    with pytest.raises(TypeError):
        chain.canonical(content(sequence=True))


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _as_jsonb(text: str) -> Any:
    """Read JSON back as PostgreSQL's jsonb does: numbers printed without an exponent, so a
    whole number comes back as an integer."""

    def number(token: str) -> Any:
        value = float(token)
        return int(value) if value.is_integer() and "e" in token.lower() else value

    return json.loads(text, parse_float=number)


@given(JSON)
def test_any_json_value_hashes_the_same_read_back_from_either_database(value: Any) -> None:
    written = chain.canonical(content(new_values=value))
    stored = json.dumps(value)
    assert chain.canonical(content(new_values=json.loads(stored))) == written  # SQLite
    assert chain.canonical(content(new_values=_as_jsonb(stored))) == written  # PostgreSQL


def test_extend_refuses_an_event_out_of_place() -> None:
    with pytest.raises(ValueError, match="cannot follow"):
        chain.extend(Head(), content(2))
    assert chain.extend(Head(), content(1)).sequence == 1


# Checking a chain ---------------------------------------------------------------------------


def test_an_intact_chain_passes() -> None:
    events = build(5)
    verdict = check(events)
    assert verdict.ok
    assert verdict.checked == 5
    assert verdict.last == head_of(events)


def test_an_empty_chain_passes_with_or_without_a_head() -> None:
    assert check([]).ok
    assert chain.verify([], head_before=None, head_after=lambda: None).ok


def test_a_changed_event_is_named() -> None:
    events = build(5)
    events[2] = dataclasses.replace(events[2], content=content(3, reason="Changed"))
    verdict = check(events)
    assert verdict.broken is not None
    assert verdict.broken.sequence == 3
    assert verdict.broken.event == events[2]
    assert verdict.broken.why == chain.CHANGED
    assert verdict.checked == 2


def test_a_removed_event_names_the_one_after_the_gap() -> None:
    events = build(5)
    del events[1]
    broken = check(events).broken
    assert broken is not None
    assert broken.sequence == 3
    assert broken.event is not None and broken.event.id == 103
    assert "event 2 not found" in broken.why


def test_removed_events_at_the_start_are_found() -> None:
    broken = check(build(5)[2:]).broken
    assert broken is not None
    assert broken.sequence == 3
    assert broken.why == "the event before it is missing: events 1 to 2 not found"


def test_a_changed_event_with_its_hash_worked_out_again_fails_at_the_next() -> None:
    events = build(5)
    forged = content(3, reason="Changed")
    events[2] = Stored(103, events[1].hash, chain.event_hash(events[1].hash, forged), forged)
    broken = check(events).broken
    assert broken is not None
    assert broken.sequence == 4
    assert "does not follow on from event 3" in broken.why


def test_renumbering_after_a_removal_is_found() -> None:
    events = build(5)
    del events[1]
    events[1:] = [
        dataclasses.replace(e, content=dataclasses.replace(e.content, sequence=e.sequence - 1))
        for e in events[1:]
    ]
    broken = check(events).broken
    assert broken is not None
    assert broken.sequence == 2
    assert "does not follow on from event 1" in broken.why


def test_the_newest_event_changed_and_rehashed_is_caught_by_the_head() -> None:
    events = build(5)
    head = head_of(events)
    forged = content(5, reason="Changed")
    events[4] = Stored(105, events[3].hash, chain.event_hash(events[3].hash, forged), forged)
    broken = check(events, head).broken
    assert broken is not None
    assert (broken.sequence, broken.why) == (5, chain.REHASHED)


def test_the_newest_events_removed_are_caught_by_the_head() -> None:
    events = build(5)
    head = head_of(events)
    broken = check(events[:3], head).broken
    assert broken is not None
    assert broken.sequence == 4
    assert broken.event is None
    assert "events 4 to 5 have been removed" in broken.why


def test_events_written_during_the_check_are_accepted_once_the_head_covers_them() -> None:
    events = build(5)
    before = Head(events[2].sequence, events[2].hash)
    after = head_of(events)
    calls: list[None] = []

    def head_after() -> Head:
        calls.append(None)
        return after

    assert chain.verify(events, head_before=before, head_after=head_after).ok
    assert len(calls) == 1
    # ... and when more still were written after the events were read.
    later = Head(9, "f" * 64)
    assert chain.verify(events, head_before=before, head_after=lambda: later).ok


def test_events_the_head_never_covered_are_named() -> None:
    events = build(5)
    head = Head(events[2].sequence, events[2].hash)
    broken = check(events, head).broken
    assert broken is not None
    assert broken.sequence == 4
    assert "not in the chain head" in broken.why


def test_a_missing_head_is_reported() -> None:
    events = build(3)
    broken = chain.verify(events, head_before=None, head_after=lambda: None).broken
    assert broken is not None
    assert "chain head" in broken.why


def test_a_first_event_that_does_not_start_the_chain_is_named() -> None:
    events = build(2)
    events[0] = dataclasses.replace(events[0], prev_hash="1" * 64)
    broken = check(events).broken
    assert broken is not None
    assert (broken.sequence, broken.event) == (1, events[0])
    assert "not the start of the chain" in broken.why


def test_an_event_that_cannot_be_hashed_is_named_not_a_crash() -> None:
    events = build(3)
    naive = dataclasses.replace(events[1].content, at=NOON.replace(tzinfo=None))
    events[1] = dataclasses.replace(events[1], content=naive)
    broken = check(events).broken
    assert broken is not None
    assert broken.sequence == 2
    assert "cannot be read back" in broken.why


def test_an_unreadable_row_in_the_stream_is_reported_at_its_place() -> None:
    def stream() -> Iterator[Stored]:
        yield from build(2)
        raise ValueError("Expecting value: line 1 column 1")

    broken = chain.verify(stream(), head_before=None, head_after=lambda: None).broken
    assert broken is not None
    assert broken.sequence == 3
    assert "Expecting value" in broken.why


def test_the_check_streams_and_stops_at_the_first_break() -> None:
    events = build(4)
    events[1] = dataclasses.replace(events[1], hash="0" * 64)

    def stream() -> Iterator[Stored]:
        yield events[0]
        yield events[1]
        raise AssertionError("read past the first break")

    broken = chain.verify(stream(), head_before=head_of(events), head_after=lambda: None).broken
    assert broken is not None
    assert broken.sequence == 2
