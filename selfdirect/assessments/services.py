"""Contacts, the person's story, assessments and capacity decisions: every write, with its audit."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from selfdirect.accounts.models import Role
from selfdirect.assessments import capacity
from selfdirect.assessments.eligibility import (
    AssessmentFacts,
    Judgement,
    decide_eligibility,
    validate_facts,
    validate_judgements,
)
from selfdirect.assessments.models import (
    Assessment,
    AssessmentMethod,
    AssessmentStatus,
    CapacityOutcome,
    CapacityRecord,
    Contact,
    RequestClosure,
    StoryEntry,
)
from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.budgets.services import budget_issue
from selfdirect.people.rules import access_basis
from selfdirect.people.selectors import emails_to_tell

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person


class EditConflict(Exception):
    """Someone else saved this record after it was opened: nothing was saved."""


def _reason(actor: User, person: Person) -> str:
    return access_basis(actor, person) or "Recorded by the council"


def _author_label(actor: User, person: Person) -> str:
    name = actor.get_full_name() or actor.username
    if actor.role == Role.PERSON and person.portal_user_id == actor.pk:
        return f"{name} (the person)"
    return f"{name} ({actor.get_role_display().lower()})"


@transaction.atomic
def contact_create(
    *,
    actor: User,
    person: Person,
    received_on: datetime.date,
    route_of_access: str,
    requested_by: str,
    what_for: str,
    urgent: bool,
) -> Contact:
    """Record a request for support for the person's team's queue (urgent ones first)."""
    contact = Contact(
        person=person,
        team_id=person.team_id,
        received_on=received_on,
        route_of_access=route_of_access,
        requested_by=requested_by,
        what_for=what_for,
        urgent=urgent,
        recorded_by=actor,
    )
    contact.full_clean()
    contact.save()
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.CONTACT_RECORDED,
        reason=_reason(actor, person),
        new_values={
            "received_on": received_on.isoformat(),
            "route_of_access": route_of_access,
            "urgent": urgent,
        },
    )
    return contact


@transaction.atomic
def contact_close(
    *, actor: User, contact: Contact, outcome: str, closed_on: datetime.date
) -> Contact:
    """End a request without an assessment, saying how it ended (the return's outcome for it).

    A request an assessment has begun for has ended in that assessment, so it cannot be closed.
    """
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.closed_on is not None:
        raise ValidationError("This request has already been closed")
    if contact.assessments.exists():
        raise ValidationError("An assessment has begun for this request, so it ended there")
    if outcome not in RequestClosure.values:
        raise ValidationError({"outcome": "Select how the request ended"})
    if closed_on < contact.received_on:
        raise ValidationError(
            {"closed_on": "The date it ended must be on or after the day it was received"}
        )
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": "The date it ended must be today or in the past"})
    contact.closed_on = closed_on
    contact.closed_outcome = outcome
    contact.save(update_fields=["closed_on", "closed_outcome"])
    audit_record(
        actor=actor,
        person=contact.person,
        event_type=EventType.CONTACT_CLOSED,
        reason=_reason(actor, contact.person),
        new_values={"contact": contact.pk, "closed_on": closed_on.isoformat(), "outcome": outcome},
    )
    return contact


@transaction.atomic
def assessment_start(
    *, actor: User, person: Person, kind: str = "adult", contact: Contact | None = None
) -> Assessment:
    """Open an assessment, or return the one already open: one per person and kind."""
    existing = person.assessments.filter(kind=kind, status=AssessmentStatus.IN_PROGRESS).first()
    if existing is not None:
        return existing
    assessment = Assessment.objects.create(
        person=person, contact=contact, kind=kind, assessor=actor, started_at=timezone.now()
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.ASSESSMENT_STARTED,
        reason=_reason(actor, person),
        new_values={"assessment": assessment.pk, "kind": kind},
    )
    return assessment


@transaction.atomic
def story_add(*, actor: User, person: Person, entries: dict[str, str]) -> list[StoryEntry]:
    """Add what someone wrote to the person's story, section by section; blanks are skipped."""
    now = timezone.now()
    label = _author_label(actor, person)
    created = [
        StoryEntry.objects.create(
            person=person,
            section=section,
            text=text.strip(),
            author=actor,
            author_label=label,
            created_at=now,
        )
        for section, text in entries.items()
        if text and text.strip()
    ]
    if created:
        audit_record(
            actor=actor,
            person=person,
            event_type=EventType.STORY_ADDED,
            reason=_reason(actor, person),
            new_values={"sections": [entry.section for entry in created]},
        )
    return created


def _bump_version(assessment: Assessment, expected_version: int) -> None:
    """Optimistic lock: fail if anyone saved the assessment since it was opened."""
    updated = Assessment.objects.filter(pk=assessment.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise EditConflict
    assessment.version = expected_version + 1


@transaction.atomic
def judgements_save(
    *,
    actor: User,
    assessment: Assessment,
    judgements: Sequence[Judgement],
    expected_version: int,
) -> None:
    """Replace the worker's outcome judgments. Refused once the assessment is completed."""
    if assessment.is_completed:
        raise ValidationError("This assessment has been completed and cannot be changed")
    problems = validate_judgements(assessment.kind, judgements)
    if problems:
        raise ValidationError(problems)
    _bump_version(assessment, expected_version)
    assessment.judgements.all().delete()
    assessment.judgements.bulk_create(
        [
            assessment.judgements.model(
                assessment=assessment,
                outcome=j.outcome,
                achievable=j.achievable,
                unable_reason=j.unable_reason or "",
                met_by_others=j.met_by_others,
                risk=j.risk,
                reason=j.reason,
            )
            for j in judgements
        ]
    )
    audit_record(
        actor=actor,
        person=assessment.person,
        event_type=EventType.JUDGEMENTS_SAVED,
        reason=_reason(actor, assessment.person),
        new_values={
            "assessment": assessment.pk,
            "unable": [j.outcome for j in judgements if not j.achievable],
        },
    )


def judgements_of(assessment: Assessment) -> tuple[Judgement, ...]:
    return tuple(
        Judgement(
            outcome=j.outcome,
            achievable=j.achievable,
            unable_reason=j.unable_reason or None,
            met_by_others=j.met_by_others,
            risk=j.risk,
            reason=j.reason,
        )
        for j in assessment.judgements.all()
    )


@transaction.atomic
def assessment_complete(
    *,
    actor: User,
    assessment: Assessment,
    needs_arise_from_condition: bool,
    significant_impact: bool,
    significant_impact_reason: str,
    carer_health_deteriorating: bool,
    expected_version: int,
    method: str = "",
) -> Assessment:
    """Decide eligibility under the 2015 regulations and, if eligible, issue the budget at once.

    METHOD (face to face, remote, supported self-assessment) is what the statutory return
    reports; left empty, the return's data-quality check names this assessment to fix.

    The indicative budget is worked out in the same transaction, so it exists the moment
    the assessment is completed (targets P6).
    """
    if assessment.is_completed:
        raise ValidationError("This assessment has already been completed")
    if not significant_impact_reason.strip():
        raise ValidationError(
            {"significant_impact_reason": "Explain why there is, or is not, a significant impact"}
        )
    if method and method not in AssessmentMethod.values:
        raise ValidationError({"method": "Select how the assessment was done"})
    facts = AssessmentFacts(
        kind=assessment.kind,
        judgements=judgements_of(assessment),
        needs_arise_from_condition=needs_arise_from_condition,
        significant_impact=significant_impact,
        carer_health_deteriorating=carer_health_deteriorating and assessment.kind == "carer",
    )
    problems = validate_facts(facts)
    if problems:
        raise ValidationError(problems)
    decision = decide_eligibility(facts)
    _bump_version(assessment, expected_version)
    assessment.needs_arise_from_condition = needs_arise_from_condition
    assessment.significant_impact = significant_impact
    assessment.significant_impact_reason = significant_impact_reason.strip()
    assessment.carer_health_deteriorating = facts.carer_health_deteriorating
    assessment.method = method
    assessment.eligible = decision.eligible
    assessment.eligibility_reasons = list(decision.reasons)
    assessment.status = AssessmentStatus.COMPLETED
    assessment.completed_at = timezone.now()
    assessment.save()
    reason = _reason(actor, assessment.person)
    audit_record(
        actor=actor,
        person=assessment.person,
        event_type=EventType.ASSESSMENT_COMPLETED,
        reason=reason,
        new_values={
            "assessment": assessment.pk,
            "eligible": decision.eligible,
            "unable": list(decision.unable_outcomes),
        },
    )
    if decision.eligible:
        budget_issue(actor=actor, assessment=assessment, reason=reason)
    return assessment


@transaction.atomic
def capacity_record(
    *,
    actor: User,
    person: Person,
    assessed_on: datetime.date,
    impairment_of_mind: bool,
    understand: str,
    retain: str,
    use_or_weigh: str,
    communicate: str,
    practicable_help_tried: str,
    reasons: str,
    appropriate_person_available: bool,
) -> CapacityRecord:
    """Record a decision about capacity to plan and manage support (MCA 2005, Care Act s.67).

    The outcome and the advocacy duty follow from the four functional tests (see
    assessments/capacity.py). If the outcome differs from the last one, the person and
    their representatives are told directly, with the reasons, once the change is saved.
    """
    tests = capacity.FunctionalTests(understand, retain, use_or_weigh, communicate)
    lacks = capacity.lacks_capacity(tests, impairment_of_mind=impairment_of_mind)
    previous = person.capacity_records.order_by("-assessed_on", "-id").first()
    record = CapacityRecord(
        person=person,
        assessed_on=assessed_on,
        assessed_by=actor,
        impairment_of_mind=impairment_of_mind,
        understand=understand,
        retain=retain,
        use_or_weigh=use_or_weigh,
        communicate=communicate,
        practicable_help_tried=practicable_help_tried.strip(),
        outcome=CapacityOutcome.LACKS_CAPACITY if lacks else CapacityOutcome.HAS_CAPACITY,
        reasons=reasons.strip(),
        appropriate_person_available=appropriate_person_available,
        advocate_required=capacity.advocate_required(
            tests, appropriate_person_available=appropriate_person_available
        ),
        created_at=timezone.now(),
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.CAPACITY_RECORDED,
        reason=_reason(actor, person),
        old_values={"outcome": previous.outcome} if previous else None,
        new_values={"outcome": record.outcome, "advocate_required": record.advocate_required},
    )
    if previous is not None and previous.outcome != record.outcome:
        transaction.on_commit(lambda: _tell_about_capacity_change(person, record))
    return record


def _tell_about_capacity_change(person: Person, record: CapacityRecord) -> None:
    """Tell the person and their representatives directly, with the reasons (sent after commit)."""
    recipients = emails_to_tell(person=person)
    if not recipients:
        return
    decided = (
        "is able to make decisions about planning and managing their support"
        if record.outcome == CapacityOutcome.HAS_CAPACITY
        else "is not able, at the moment, to make decisions about planning and managing "
        "their support, even with help"
    )
    body = (
        f"Dear {person.preferred_name or person.first_name},\n\n"
        f"On {record.assessed_on:%d %B %Y} the council looked again at whether {person.full_name} "
        f"{decided}. This is a change from the last decision.\n\n"
        f"Why: {record.reasons}\n\n"
        "This decision is only about planning and managing support, and only for now. "
        "If you disagree, tell the named worker, who will explain how to ask for it to be "
        "looked at again.\n\n"
        f"{settings.COUNCIL_NAME}"
    )
    send_mail(
        subject="A decision about planning your support has changed",
        message=body,
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )
