"""Producing a subject access file, and auditing that it was produced."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.subject_access.collect import collect
from selfdirect.subject_access.pdf import subject_access_pdf

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person

JSON = "json"
PDF = "pdf"
FORMATS: dict[str, str] = {JSON: "application/json", PDF: "application/pdf"}


@dataclass(frozen=True)
class Production:
    """One file, held in memory: nothing about the person is written to the server's disk."""

    filename: str
    content_type: str
    content: bytes


def subject_access_produce(
    *, actor: User | None, person: Person, reason: str, formats: Sequence[str]
) -> dict[str, Production]:
    """Everything held about PERSON, in each of FORMATS, with one audit event saying so.

    Every production is audited (who, when, and the request reference or reason the actor
    gave), because a copy of a whole social care record has left the system. ACTOR is None
    for a production from the command line without --user: the audit trail says "System".

    Not one transaction from start to finish on purpose: collecting only reads, and drawing
    a PDF of a long history takes seconds, during which SQLite's IMMEDIATE transactions would
    hold the write lock for everybody. The audit event is written after the files are made,
    so a production that fails is not recorded as made, and a file is never handed over
    unless its event was written.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter the request reference or reason"})
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"Formats must be some of {', '.join(FORMATS)}, not {unknown}")
    produced_at = timezone.now()
    data = collect(person=person, produced_by=actor, reason=reason, produced_at=produced_at)
    stem = f"{person.reference}-everything-we-hold-{timezone.localdate(produced_at):%Y-%m-%d}"
    files: dict[str, Production] = {}
    for fmt in dict.fromkeys(formats):
        if fmt == JSON:
            content = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        else:
            content = subject_access_pdf(data)
        files[fmt] = Production(f"{stem}.{fmt}", FORMATS[fmt], content)
    with transaction.atomic():
        audit_record(
            actor=actor,
            person=person,
            event_type=EventType.SUBJECT_ACCESS_PRODUCED,
            reason=reason,
            new_values={
                "formats": list(files),
                "records": {
                    entry["section"]: entry["records"] for entry in data["header"]["contents"]
                },
            },
        )
    return files
