"""The retention review (the scheduled job) and deleting a record by anonymising it.

Deleting a person's record under the retention rules keeps only the anonymised facts the
statutory Client Level Data return still needs, so that a return for any period of their
history can be made again with their rows in it. What is wiped, what is kept and why is
written out below (ANONYMISED, DELETED, KEPT_TEXT); tests/retention/test_anonymise.py fails
for a text field of a model about a person that is in none of them.

The person's row is kept, never deleted: audit events, services and reviews point at it, and
the audit trail's hash chain covers the events' person_id (AuditEvent.person is SET_NULL, so
deleting the row would change every event about them and break the chain). Audit events are
never changed. User accounts are never deleted either: a portal account that only served
this person is deactivated and its details wiped.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from selfdirect.accounts.models import Role, User
from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.people import postcodes
from selfdirect.people.models import Person, Relationship
from selfdirect.plans.models import PlanInvitation
from selfdirect.retention import policy, selectors
from selfdirect.retention.models import RetentionAction, RetentionItem, RetentionRun
from selfdirect.retention.policy import Periods, Status

if TYPE_CHECKING:
    from collections.abc import Iterable

# --- The retention review ------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    run: RetentionRun
    records: list[selectors.DueRecord]


def retention_review_run(
    *, actor: User | None, today: datetime.date | None = None, periods: Periods | None = None
) -> RunResult:
    """Work out which records are due for review or deletion, and keep that as the worklist.

    The list is worked out outside any transaction (a read of every person: seconds at
    100,000), then written in one short one, replacing the previous run's items, so pages
    keep working and SQLite's write lock is held only for the insert. Nothing is deleted: a
    person's record is deleted only by an administrator (person_anonymise).
    """
    started = timezone.now()
    today = today or timezone.localdate()
    periods = periods or selectors.retention_periods()
    records = list(selectors.due_records(periods=periods, today=today))
    counts = dict.fromkeys((Status.REVIEW, Status.DELETION), 0)
    for record in records:
        counts[record.status] += 1
    with transaction.atomic():
        run = RetentionRun.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            as_of=today,
            run_by=actor,
            case_years=periods.case_years,
            contact_only_years=periods.contact_only_years,
            review_days=periods.review_days,
            due_for_review=counts[Status.REVIEW],
            due_for_deletion=counts[Status.DELETION],
        )
        RetentionItem.objects.exclude(run=run).delete()
        RetentionItem.objects.bulk_create(
            (
                RetentionItem(
                    run=run,
                    person_id=record.person_id,
                    category=record.facts.category.value,
                    last_activity=record.facts.last_activity,
                    due_on=record.due_on,
                    status=record.status.value,
                )
                for record in records
            ),
            batch_size=2000,
        )
    return RunResult(run=run, records=records)


# --- Anonymisation -------------------------------------------------------------------------

# Wiped on every row of the model that belongs to the person: field -> the value it gets.
# Blank text, whether or not a form would allow it: nothing reads these fields for a
# statistic, and a form is never shown for an anonymised record.
ANONYMISED: dict[str, tuple[str, dict[str, Any]]] = {
    # label: (the path from the model to the person, {field: new value})
    "people.NamedWorkerAllocation": ("person", {"handover_note": ""}),
    "people.CrisisEvent": ("person", {"note": ""}),
    "assessments.Contact": ("person", {"requested_by": "", "what_for": ""}),
    "assessments.Assessment": ("person", {"significant_impact_reason": ""}),
    "assessments.OutcomeJudgement": ("assessment__person", {"reason": ""}),
    "assessments.CapacityRecord": (
        "person",
        {"decision": "", "practicable_help_tried": "", "reasons": ""},
    ),
    "budgets.BudgetStream": ("budget__person", {"note": ""}),
    "plans.Plan": ("person", {"what_i_want": "", "who_helps": "", "if_things_go_wrong": ""}),
    "plans.PlanItem": ("plan__person", {"what": "", "provider_name": ""}),
    "plans.PlanDecision": ("plan__person", {"risk_description": "", "explanation": ""}),
    "plans.PlanInvitation": ("plan__person", {"name": "", "email": ""}),
    "support.Service": ("person", {"description": "", "provider_name": ""}),
    "reviews.Review": (
        "person",
        {"reason_detail": "", "decision_note": "", "peer_follow_up": ""},
    ),
    # No quotes from an anonymised review reach the learning pages.
    "reviews.ReviewContribution": ("review__person", {"author_label": "", "share_quotes": False}),
    "reviews.ReviewPoint": ("contribution__review__person", {"text": ""}),
    "reviews.ReviewInvitation": ("review__person", {"name": "", "email": ""}),
    "reviews.PeerSupporter": ("person", {"how_to_contact": ""}),
    # A link has two sides: only this person's words are theirs to wipe.
    "reviews.PeerLink": ("person", {"why": "", "person_agreed_how": ""}),
    "reviews.PeerLink/peer": ("peer", {"peer_agreed_how": ""}),
    # Added by issue 9's access work: why someone opened or restricted the record.
    "people.BreakGlassGrant": ("person", {"reason": ""}),
    "people.RecordRestriction": ("person", {"reason": ""}),
}

# Rows deleted outright: they hold nothing but the person's or other people's words and
# details, and nothing the return or the figures count.
DELETED: dict[str, str] = {
    "portal.PortalInvitation": "person",  # invitations to the portal: an email address
    "people.Relationship": "person",  # the circle of support: other people's details
    "assessments.StoryEntry": "person",  # the person's story, in their words
}

# Text fields of models about a person that are kept, and why. Coded values (fields with
# choices) are kept everywhere: they are what the return and the figures count.
KEPT_TEXT: dict[str, str] = {
    "people.Person.first_name": "replaced by 'Anonymised'",
    "people.Person.last_name": "replaced by the record number (SD0000012)",
    "people.Person.preferred_name": "wiped",
    "people.Person.nhs_number": "wiped",
    "people.Person.postcode": "cut to the postcode district (outward code)",
    "people.NamedWorkerAllocation.unallocated_because": "about the team's staffing, set by us",
    "assessments.Assessment.eligibility_reasons": "sentences the eligibility rules wrote",
    "budgets.IndicativeBudget.contributions": "the RAS's explanation: outcome codes, sums",
    "plans.Plan.route_reason": "which sign-off route the published rules chose",
    "plans.Plan.route_approver_ids": "staff ids",
    "plans.PlanInvitation.token_hash": "a hash of a used or expired link",
    "reviews.ReviewInvitation.token_hash": "a hash of a used or expired link",
    "reviews.ReviewContribution.outcome_ratings": "outcome codes and ratings",
    "support.ScheduledReview.closed_because": "why a review window closed, set by us",
    # Codes (with no choices on the field): what the return and the figures count.
    "plans.Plan.route_kind": "a code",
    "reviews.Review.event_outcome": "a CLD code",
    "reviews.Review.primary_support_reason": "a CLD code",
    "support.Service.cost_frequency": "a CLD code",
    "support.Service.delivery_mechanism": "a CLD code",
    "support.Service.service_component": "a CLD code",
    "support.Service.service_type": "a CLD code",
    "audit.AuditEvent.actor_label": "audit events are never changed (hash chain)",
    "audit.AuditEvent.person_label": "the record number only",
    "audit.AuditEvent.reason": "audit events are never changed (hash chain)",
    "audit.AuditEvent.old_values": "audit events are never changed (hash chain)",
    "audit.AuditEvent.new_values": "audit events are never changed (hash chain)",
    "audit.AuditEvent.prev_hash": "the hash chain",
    "audit.AuditEvent.hash": "the hash chain",
    "retention.RetentionAction.reason": "why it was deleted: the administrator's reason",
}

# Row history (django-simple-history) of the person's records holds earlier copies of names
# and words: every historical row for them is deleted, by the field that names the person.
HISTORY: dict[str, str] = {
    "people.HistoricalPerson": "id",
    "people.HistoricalRelationship": "person_id",
    "assessments.HistoricalContact": "person_id",
    "assessments.HistoricalAssessment": "person_id",
    "assessments.HistoricalCapacityRecord": "person_id",
    "plans.HistoricalPlan": "person_id",
}

# What the confirmation page tells the administrator, in plain words.
WIPED_SUMMARY: tuple[str, ...] = (
    "name, preferred name and NHS number",
    "the day of birth (the month and year are kept) and the full postcode (the district is kept)",
    "the circle of support, and the person's and their circle's portal accounts",
    "their story, and every note and piece of writing about them or by them: requests, "
    "assessments, capacity, plans, reviews, handovers, crises",
    "the earlier copies of their record kept as row history",
)
KEPT_SUMMARY: tuple[str, ...] = (
    "the record number, team, gender, ethnicity and the other coded details the Client Level "
    "Data return needs",
    "the dates, codes and costs of requests, assessments, services and reviews, so returns for "
    "past periods can be made again",
    "the audit trail, unchanged",
)

# Portal roles: their accounts exist only to reach people's records.
PORTAL_ROLES = frozenset({Role.PERSON, Role.REPRESENTATIVE, Role.PLAN_HELPER})

ANONYMISED_FIRST_NAME = "Anonymised"


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label.split("/")[0])
    except LookupError:
        return None  # a model another part of the service no longer has: nothing to wipe


def _birth_month(born: datetime.date) -> datetime.date:
    """The first of the month of birth. The return needs a date of birth (Date_of_Birth is
    mandatory, and age bands drive its rules); NHS England and DHSC see only the year and
    month after pseudonymisation, so the day is not needed."""
    return born.replace(day=1)


def _district(postcode: str) -> str:
    """The postcode district (SD1 of SD1 4AB): the area, without the ~15 addresses of the
    full postcode. Nothing if it was not a postcode."""
    normalised = postcodes.normalise(postcode)
    return normalised.split(" ")[0] if normalised else ""


def _portal_users_only_for(person: Person) -> list[User]:
    """Portal accounts whose only reason to exist was PERSON: their own account, their circle's
    accounts and plan helpers of their plans, unless tied to anyone else too."""
    candidates: set[int] = set(
        person.relationships.exclude(user=None).values_list("user_id", flat=True)
    )
    candidates |= set(
        PlanInvitation.objects.filter(plan__person=person)
        .exclude(accepted_by=None)
        .values_list("accepted_by_id", flat=True)
    )
    if person.portal_user_id is not None:
        candidates.add(person.portal_user_id)
    elsewhere = set(
        Person.objects.filter(portal_user_id__in=candidates)
        .exclude(pk=person.pk)
        .values_list("portal_user_id", flat=True)
    )
    elsewhere |= set(
        Relationship.objects.filter(user_id__in=candidates)
        .exclude(person=person)
        .values_list("user_id", flat=True)
    )
    elsewhere |= set(
        PlanInvitation.objects.filter(accepted_by_id__in=candidates)
        .exclude(plan__person=person)
        .values_list("accepted_by_id", flat=True)
    )
    return list(User.objects.filter(pk__in=candidates - elsewhere, role__in=PORTAL_ROLES))


def _scrub_user(user: User) -> None:
    user.username = f"anonymised-{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    # update(), not save(): save() would write a new history row with the old username gone
    # but nothing else; the history is deleted below in any case.
    User.objects.filter(pk=user.pk).update(
        username=user.username,
        first_name="",
        last_name="",
        email="",
        phone="",
        is_active=False,
        password=user.password,
    )


def _delete_history(person: Person, user_ids: Iterable[int]) -> int:
    removed = 0
    for label, field in HISTORY.items():
        model = _model(label)
        if model is not None:
            removed += model._default_manager.filter(**{field: person.pk}).delete()[0]
    historical_user = _model("accounts.HistoricalUser")
    if historical_user is not None:
        removed += historical_user._default_manager.filter(id__in=list(user_ids)).delete()[0]
    return removed


@transaction.atomic
def person_anonymise(
    *,
    actor: User | None,
    person: Person,
    reason: str,
    today: datetime.date | None = None,
    periods: Periods | None = None,
) -> RetentionAction:
    """Delete PERSON's record under the retention rules: wipe everything that identifies them
    or holds anyone's words, keep the dates, codes, costs and teams the return needs.

    Refused (ValidationError) unless the record is due for deletion today: the retention
    period has passed and no support is open. One transaction with its audit event; audit
    events already written are left exactly as they were.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the record is being deleted"})
    today = today or timezone.localdate()
    periods = periods or selectors.retention_periods()
    # Locks the person's row on PostgreSQL, so two administrators cannot both do this.
    locked = Person.objects.select_for_update().filter(pk=person.pk).first()
    if locked is None:
        raise ValidationError("This record no longer exists")
    facts = selectors.record_facts(person_id=person.pk)
    if facts is None:
        raise ValidationError("This record has already been deleted")
    if policy.status(facts, periods, today) is not Status.DELETION:
        raise ValidationError("This record is not due for deletion")
    due_on = policy.due_date(facts, periods)
    assert due_on is not None

    users = _portal_users_only_for(locked)
    counts: dict[str, int] = {}
    for label, path in DELETED.items():
        model = _model(label)
        if model is not None:
            counts[label] = model._default_manager.filter(**{path: locked}).delete()[0]
    for key, (path, values) in ANONYMISED.items():
        model = _model(key)
        if model is not None:
            counts[key] = model._default_manager.filter(**{path: locked}).update(**values)
    peer = _model("reviews.PeerSupporter")
    if peer is not None:
        # Off the peer support register, so nobody is offered an anonymised peer.
        peer._default_manager.filter(person=locked, withdrawn_on__isnull=True).update(
            withdrawn_on=today
        )
    for user in users:
        _scrub_user(user)
    Person.objects.filter(pk=locked.pk).update(
        first_name=ANONYMISED_FIRST_NAME,
        last_name=locked.reference,
        preferred_name="",
        nhs_number="",
        date_of_birth=_birth_month(locked.date_of_birth),
        postcode=_district(locked.postcode),
        portal_user=None,
        updated_at=timezone.now(),
    )
    history_removed = _delete_history(locked, (user.pk for user in users))
    action = RetentionAction.objects.create(
        person=locked,
        anonymised_at=timezone.now(),
        anonymised_by=actor,
        reason=reason[:300],
        category=facts.category.value,
        last_activity=facts.last_activity,
        due_on=due_on,
    )
    # Counts and dates only: the event must not keep what has just been wiped.
    audit_record(
        actor=actor,
        person=locked,
        event_type=EventType.RETENTION_ANONYMISED,
        reason=reason,
        new_values={
            "category": facts.category.value,
            "last_activity": facts.last_activity.isoformat(),
            "due_on": due_on.isoformat(),
            "rows": {key: n for key, n in counts.items() if n},
            "history_rows_deleted": history_removed,
            "portal_accounts_closed": len(users),
        },
    )
    return action


# The name issue 9 gives it.
anonymise_person = person_anonymise
