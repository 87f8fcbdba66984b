"""`selfdirect audit-verify`: check that no audit event has been changed or removed.

Recomputes the hash chain (see audit/chain.py) from the first event to the last and names
the first event where it breaks. Exits with status 1 when it breaks, so a scheduled job
can raise the alarm.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand

from selfdirect.audit import chain
from selfdirect.audit.models import EventType
from selfdirect.audit.selectors import audit_chain_verify, audit_event_at


class Command(BaseCommand):
    help = "Check the audit trail's hash chain: any changed or removed event is named."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        verdict = audit_chain_verify()
        elapsed = time.perf_counter() - started
        if verdict.broken is None:
            if verdict.checked == 0:
                self.stdout.write(self.style.SUCCESS("OK: the audit trail has no events yet."))
                return
            self.stdout.write(
                self.style.SUCCESS(
                    f"OK: all {verdict.checked:,} audit events are intact "
                    f"(events 1 to {verdict.last.sequence}), checked in {elapsed:.1f} s."
                )
            )
            # Kept somewhere the database's users cannot reach, this shows later whether
            # the whole trail up to here was ever rewritten.
            self.stdout.write(f"Hash of event {verdict.last.sequence}: {verdict.last.hash}")
            return
        self.stdout.write(self.style.ERROR(self._describe(verdict.broken)))
        self.stdout.write(f"Why: {verdict.broken.why}.")
        if verdict.checked:
            intact = f"Events 1 to {verdict.last.sequence} are intact"
        else:
            intact = "There are no intact events before it"
        self.stdout.write(f"{intact} (checked in {elapsed:.1f} s).")
        raise SystemExit(1)

    def _describe(self, broken: chain.Break) -> str:
        where = f"The audit trail is broken at event {broken.sequence}"
        if broken.event is not None:
            content = broken.event.content
            event_id = broken.event.id
        else:
            found = audit_event_at(broken.sequence)
            if found is None:
                return f"{where}, which is missing."
            content = chain.content_of(found)
            event_id = found.pk
        return (
            f"{where} (id {event_id}), recorded {_when(content.at)}: "
            f"{_what(content.event_type)} by {content.actor_label or 'no one named'}"
            f"{f', about {content.person_label}' if content.person_label else ''}."
        )


def _when(moment: Any) -> str:
    if isinstance(moment, datetime.datetime) and moment.utcoffset() is not None:
        return f"{moment.astimezone(datetime.UTC):%-d %B %Y %H:%M:%S} UTC"
    return repr(moment)


def _what(event_type: str) -> str:
    try:
        return f"“{EventType(event_type).label}” ({event_type})"
    except ValueError:
        return repr(event_type)
