"""Everything the council holds about one person, as one plain dict (UK GDPR art. 15).

A person has the right to a copy of all the personal data held about them (the subject access
request; see ../shared/reference/care-act.md, "Data protection"). The same dict is the JSON
download and the source of the readable PDF, so the two can never disagree.

How it is built, and why:

- Sections come in a fixed order (SECTIONS), each a list of records, so that two productions
  for the same person can be compared and the PDF reads in the order of the person's journey.
- Records are made field by field from the models (`_record`), not from hand-picked lists, so a
  field added to a model later is in the next production without anyone remembering to add it.
  The only fields left out are listed here, with the reason: secrets (SECRET_FIELDS) and
  internal counters (NOT_INFORMATION).
- Every coded value is given as its code and its plain-English label from the model's choices;
  dates and times are ISO 8601 (times in UK local time, with the offset); money is a string,
  so no pence are lost to floating point.
- Each section is read in a fixed number of queries (select_related / prefetch_related), so a
  person with a long history costs no more queries than a new one
  (tests/subject_access/test_collect.py counts them).
- Every model of ours that reaches a person through foreign keys is either in a section or in
  EXCLUDED_MODELS with the reason; tests/subject_access/test_completeness.py fails otherwise.
- Nothing about another person is included. A peer support link names the other person, so it
  is written from this person's side only (`_peer_link`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from selfdirect.accounts.models import User
from selfdirect.assessments.models import (
    ALL_OUTCOMES,
    Assessment,
    CapacityRecord,
    Contact,
    StoryEntry,
)
from selfdirect.assessments.outcomes import MET_BY_OTHERS, RISK_LEVELS
from selfdirect.audit.models import AuditEvent
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.people import codes
from selfdirect.people.models import CrisisEvent, NamedWorkerAllocation, Person, Relationship
from selfdirect.plans.models import Plan, PlanInvitation
from selfdirect.reviews import schedule
from selfdirect.reviews.models import (
    PeerLink,
    PeerSupporter,
    Review,
    ReviewContribution,
    ReviewInvitation,
    ReviewPoint,
)
from selfdirect.support.models import DirectPayment, ScheduledReview, Service

if TYPE_CHECKING:
    from selfdirect.assessments.models import OutcomeJudgement

# Bump when a key is renamed or removed (adding a key or a section is compatible).
SCHEMA_VERSION = "1"

Record = dict[str, Any]


@dataclass(frozen=True)
class Section:
    key: str
    # Headings and descriptions are written to the person: they read the PDF.
    title: str
    description: str
    # The models whose rows this section holds (the completeness guard reads this).
    models: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "person",
        "Your record",
        "Your personal details as we hold them, and your online account if you have one.",
        ("people.Person",),
    ),
    Section(
        "requests_for_support",
        "Requests for support",
        "Each time you, or someone for you, asked us for care and support.",
        ("assessments.Contact",),
    ),
    Section(
        "story",
        "Your story",
        "What you, your representative or your worker wrote about your life, in your own words.",
        ("assessments.StoryEntry",),
    ),
    Section(
        "assessments",
        "Assessments",
        "Each assessment of your needs (or, as a carer, of your own needs): the worker's "
        "judgment about each outcome, and the decision about eligibility with its reasons.",
        ("assessments.Assessment", "assessments.OutcomeJudgement"),
    ),
    Section(
        "capacity",
        "Capacity assessments",
        "Assessments of whether you could make a particular decision yourself, and why.",
        ("assessments.CapacityRecord",),
    ),
    Section(
        "budgets",
        "Indicative budgets",
        "The budget worked out after each assessment, how it was worked out (the resource "
        "allocation system, RAS, and its version), and each funding stream in it.",
        ("budgets.IndicativeBudget", "budgets.BudgetStream"),
    ),
    Section(
        "plans",
        "Support plans",
        "Your support plans, what each one pays for, the decision about it, and anyone you "
        "invited to help write it.",
        ("plans.Plan", "plans.PlanItem", "plans.PlanDecision", "plans.PlanInvitation"),
    ),
    Section(
        "services",
        "Services",
        "Support put in place from a signed-off plan, or straight away after an urgent request.",
        ("support.Service",),
    ),
    Section(
        "direct_payments",
        "Direct payments",
        "Money paid to you (or your representative) every 4 weeks to arrange your own support.",
        ("support.DirectPayment",),
    ),
    Section(
        "reviews_due",
        "When your reviews are due",
        "The dates by which we planned to review your support.",
        ("support.ScheduledReview",),
    ),
    Section(
        "reviews",
        "Reviews",
        "Each review of your support: what everyone said, how far each outcome was met, and "
        "what was decided.",
        (
            "reviews.Review",
            "reviews.ReviewContribution",
            "reviews.ReviewPoint",
            "reviews.ReviewOutcome",
            "reviews.ReviewInvitation",
        ),
    ),
    Section(
        "circle_of_support",
        "Your circle of support",
        "The people around you that we have recorded, and whether they act for you.",
        ("people.Relationship",),
    ),
    Section(
        "named_workers",
        "Your named workers",
        "Who your named worker was and when, including any time you waited for one, and the "
        "notes written when your worker changed.",
        ("people.NamedWorkerAllocation",),
    ),
    Section(
        "crises",
        "Crises",
        "Times of crisis we recorded, such as an unplanned stay in hospital.",
        ("people.CrisisEvent",),
    ),
    Section(
        "peer_register",
        "Peer support register",
        "Whether you agreed to share your experience with other people who draw on support.",
        ("reviews.PeerSupporter",),
    ),
    Section(
        "peer_links",
        "Peer support links",
        "Proposals to put you in touch with a peer. The other person's details are not "
        "included here, because they are about them.",
        ("reviews.PeerLink",),
    ),
    Section(
        "audit",
        "Who has looked at or changed your record",
        "Every time someone opened or changed your record: when, who, what and why they could.",
        ("audit.AuditEvent",),
    ),
)

SECTION_KEYS: tuple[str, ...] = tuple(section.key for section in SECTIONS)

# Models that reach a person through foreign keys but are not produced, with the reason.
# tests/subject_access/test_completeness.py fails for a model that is in neither list.
EXCLUDED_MODELS: dict[str, str] = {
    # django-simple-history's row copies. They are a technical backstop for restoring rows,
    # not the record (docs/ARCHITECTURE.md, "Audit"). What changed and who changed it is
    # produced from the audit trail, whose events carry old and new values. If a request
    # needs earlier versions of a plan or assessment word for word, an officer can read them
    # from these tables (see the notes on subject access).
    "people.HistoricalPerson": "row history (backstop copy)",
    "people.HistoricalRelationship": "row history (backstop copy)",
    "assessments.HistoricalContact": "row history (backstop copy)",
    "assessments.HistoricalAssessment": "row history (backstop copy)",
    "assessments.HistoricalCapacityRecord": "row history (backstop copy)",
    "plans.HistoricalPlan": "row history (backstop copy)",
    # Need to know (people/rules.py). Each use of break-glass is in the audit trail section:
    # who, when, the reason they gave, and every page they opened with it.
    "people.BreakGlassGrant": "every use is in the audit trail section, with its reason",
    # Setting, changing and lifting a restriction are in the audit trail section, with the
    # reason and the staff named.
    "people.RecordRestriction": "every change is in the audit trail section",
    # Who was invited to use the portal, at which address, and what became of it, is in the
    # audit trail section (portal.invited, portal.invitation_resent, portal.invitation_withdrawn,
    # portal.joined, with the address and expiry); the row adds only the link's hash.
    "portal.PortalInvitation": "invitations to the portal: in the audit trail section",
    # The retention worklist and the mark of a deleted record (retention/): dates worked out
    # from the requests, services and reviews already in the file; a deletion is in the audit
    # trail section. A record deleted under the retention rules can no longer be found.
    "retention.RetentionItem": "retention worklist (dates worked out from the record)",
    "retention.RetentionAction": "marks a deleted record (the deletion is audited)",
}

# Never output: a hash of a one-use link's secret. Useless to the person, and a copy of it
# outside the database is exactly what storing only the hash is meant to avoid.
SECRET_FIELDS: frozenset[str] = frozenset(
    {
        "plans.PlanInvitation.token_hash",
        "reviews.ReviewInvitation.token_hash",
    }
)

# Fields that hold no information about the person: counters that stop two people saving
# over each other's work (optimistic locking), and the audit trail's hash chain (each event's
# place and hashes, which only `selfdirect audit-verify` reads).
NOT_INFORMATION: frozenset[str] = frozenset(
    {
        "assessments.Assessment.version",
        "plans.Plan.version",
        "audit.AuditEvent.sequence",
        "audit.AuditEvent.prev_hash",
        "audit.AuditEvent.hash",
    }
)

# Values that have a code but no choices on the model field.
EXTRA_CHOICES: dict[str, dict[str, str]] = {
    # plans/signoff.py RouteKind: who the published rules sent the plan to.
    "plans.Plan.route_kind": {
        "named_worker": "Your named worker",
        "line": "A manager in your named worker's line of management",
        "panel": "The panel",
    },
    # Kept on the review as it was at completion (for the learning figures), as a code.
    "reviews.Review.primary_support_reason": dict(codes.PRIMARY_SUPPORT_REASON),
}


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _user_label(user: User) -> str:
    """A worker's name and role, as the audit trail writes it (audit.services._actor_label).

    Staff act for the council, so the person may know who did what; usernames and email
    addresses are not given."""
    return f"{user.get_full_name() or user.username} ({user.get_role_display()})"


# Related records shown by name rather than by number: they are not in the file themselves.
_AS_TEXT: dict[str, Callable[[Any], str]] = {
    "accounts.User": _user_label,
    "workforce.Team": str,
    "reviews.LearningTheme": str,
}


def coded(value: str | None, label: str | None) -> dict[str, str] | None:
    """A coded value as {code, label}; nothing recorded is None, not an empty code."""
    if value in (None, ""):
        return None
    return {"code": str(value), "label": str(label if label is not None else value)}


def _choices_label(model_label: str, field: models.Field[Any, Any], value: Any) -> Any:
    if field.choices:
        return coded(value, dict(field.flatchoices).get(value, value))
    extra = EXTRA_CHOICES.get(f"{model_label}.{field.name}")
    return coded(value, extra.get(value, value)) if extra is not None else None


def _scalar(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _record(
    obj: models.Model,
    *,
    person: Person,
    skip: Iterable[str] = (),
    json: dict[str, Callable[[Any], Any]] | None = None,
) -> Record:
    """One row as a record: every concrete field except secrets and internal counters.

    The foreign key to the person is left out (every record in the file is theirs). Staff,
    teams and learning themes are given by name; other linked records by number, with the
    key ending in `_id`, so a review can be matched to its plan in the same file.
    Related rows must have been fetched with select_related, or each costs a query.
    """
    model_label = _label(type(obj))
    skipped = set(skip)
    out: Record = {}
    for field in obj._meta.concrete_fields:
        key = f"{model_label}.{field.name}"
        if key in SECRET_FIELDS or key in NOT_INFORMATION or field.name in skipped:
            continue
        if field.primary_key:
            out["id"] = obj.pk
            continue
        if field.is_relation:
            related_model = field.related_model
            assert related_model is not None and not isinstance(related_model, str)
            related_label = _label(related_model)
            if related_label == "people.Person":
                # A safeguard: a query that let in another person's row fails loudly.
                if getattr(obj, field.attname) != person.pk:
                    raise ValueError(f"{key} names another person")
                continue
            as_text = _AS_TEXT.get(related_label)
            if as_text is not None:
                related = getattr(obj, field.name)
                out[field.name] = as_text(related) if related is not None else None
            else:
                out[f"{field.name}_id"] = getattr(obj, field.attname)
            continue
        value = getattr(obj, field.attname)
        if json is not None and field.name in json:
            out[field.name] = json[field.name](value)
            continue
        if field.choices or key in EXTRA_CHOICES:
            out[field.name] = _choices_label(model_label, field, value)
            continue
        out[field.name] = _scalar(value)
    return out


# --- Sections -------------------------------------------------------------------------------


def _person(person: Person) -> list[Record]:
    record = _record(person, person=person, skip=("portal_user",))
    # The council's own number for the person, as on letters (Person.reference).
    record = {"id": record.pop("id"), "reference": person.reference, **record}
    account = person.portal_user
    record["portal_account"] = (
        {
            "username": account.username,
            "email": account.email,
            "active": account.is_active,
            "created_at": _scalar(account.date_joined),
            "last_signed_in_at": _scalar(account.last_login),
        }
        if account is not None
        else None
    )
    return [record]


def _contacts(person: Person) -> list[Record]:
    rows = Contact.objects.filter(person=person).select_related("team", "recorded_by")
    return [_record(row, person=person) for row in rows.order_by("received_on", "id")]


def _story(person: Person) -> list[Record]:
    rows = StoryEntry.objects.filter(person=person).select_related("author")
    return [_record(row, person=person) for row in rows.order_by("created_at", "id")]


def _assessments(person: Person) -> list[Record]:
    rows = (
        Assessment.objects.filter(person=person)
        .select_related("assessor")
        .prefetch_related("judgements")
        .order_by("started_at", "id")
    )
    out = []
    for row in rows:
        record = _record(row, person=person)
        judgements: Iterable[OutcomeJudgement] = row.judgements.all()
        record["judgements"] = [_record(j, person=person, skip=("assessment",)) for j in judgements]
        out.append(record)
    return out


def _capacity(person: Person) -> list[Record]:
    rows = CapacityRecord.objects.filter(person=person).select_related("assessed_by")
    return [_record(row, person=person) for row in rows.order_by("assessed_on", "id")]


_RISK = dict(RISK_LEVELS)
_MET = dict(MET_BY_OTHERS)


def _contributions(value: Any) -> list[Record]:
    """The budget's explanation as issued, with each code given its label."""
    out = []
    for item in value or []:
        line = dict(item)
        outcome = line.pop("outcome", None)
        label = line.pop("label", None)
        out.append(
            {
                "outcome": coded(outcome, label),
                **line,
                "risk": coded(line.get("risk"), _RISK.get(line.get("risk", ""))),
                "met_by_others": coded(
                    line.get("met_by_others"), _MET.get(line.get("met_by_others", ""))
                ),
            }
        )
    return out


def _budgets(person: Person) -> list[Record]:
    rows = (
        IndicativeBudget.objects.filter(person=person)
        .select_related("ras_version")
        .prefetch_related("streams")
        .order_by("issued_at", "id")
    )
    out = []
    for row in rows:
        record = _record(
            row, person=person, skip=("ras_version",), json={"contributions": _contributions}
        )
        version = row.ras_version
        # The council's published rules, not the person's data: named, not copied (the
        # rules themselves are on the public page "How budgets are worked out").
        record["ras_version"] = {
            "version": version.version,
            "published_at": _scalar(version.published_at),
            "note": version.note,
        }
        record["streams"] = [_record(s, person=person, skip=("budget",)) for s in row.streams.all()]
        out.append(record)
    return out


def _plans(person: Person) -> list[Record]:
    rows = list(
        Plan.objects.filter(person=person)
        .select_related("updated_by", "decision__decided_by")
        .prefetch_related(
            "items",
            Prefetch(
                "invitations",
                queryset=PlanInvitation.objects.select_related("invited_by", "accepted_by"),
            ),
        )
        .order_by("created_at", "id")
    )
    approver_ids = {pk for plan in rows for pk in plan.route_approver_ids or []}
    approvers = {user.pk: _user_label(user) for user in User.objects.filter(pk__in=approver_ids)}
    out = []
    for row in rows:
        record = _record(
            row,
            person=person,
            # Who the plan was sent to, by name; a user who has since been removed by number.
            json={
                "route_approver_ids": lambda ids: [approvers.get(pk, f"User {pk}") for pk in ids]
            },
        )
        record["route_approvers"] = record.pop("route_approver_ids")
        record["items"] = [_record(item, person=person, skip=("plan",)) for item in row.items.all()]
        decision = getattr(row, "decision", None)
        record["decision"] = (
            _record(decision, person=person, skip=("plan",)) if decision is not None else None
        )
        record["invitations"] = [
            _record(invitation, person=person, skip=("plan",))
            for invitation in row.invitations.all()
        ]
        out.append(record)
    return out


def _services(person: Person) -> list[Record]:
    rows = Service.objects.filter(person=person).order_by("start_date", "id")
    return [_record(row, person=person) for row in rows]


def _direct_payments(person: Person) -> list[Record]:
    rows = DirectPayment.objects.filter(person=person).order_by("first_payment_on", "id")
    return [_record(row, person=person) for row in rows]


def _reviews_due(person: Person) -> list[Record]:
    rows = ScheduledReview.objects.filter(person=person).order_by("due_by", "id")
    return [_record(row, person=person) for row in rows]


_ACHIEVED = dict(schedule.OUTCOMES_ACHIEVED)


def _reviews(person: Person) -> list[Record]:
    outcome_labels = dict(ALL_OUTCOMES)

    def ratings(value: Any) -> list[Record]:
        # {outcome code: rating code} as the contributor gave them.
        return [
            {
                "outcome": coded(code, outcome_labels.get(code, code)),
                "rating": coded(rating, _ACHIEVED.get(rating, rating)),
            }
            for code, rating in (value or {}).items()
        ]

    contributions = ReviewContribution.objects.select_related("author").prefetch_related(
        Prefetch("points", queryset=ReviewPoint.objects.select_related("theme"))
    )
    rows = (
        Review.objects.filter(person=person)
        .select_related("opened_by", "completed_by", "team")
        .prefetch_related(
            Prefetch("contributions", queryset=contributions),
            "outcomes",
            Prefetch("invitations", queryset=ReviewInvitation.objects.select_related("invited_by")),
        )
        .order_by("opened_at", "id")
    )
    out = []
    for row in rows:
        record = _record(row, person=person)
        record["contributions"] = [
            {
                **_record(
                    contribution,
                    person=person,
                    skip=("review",),
                    json={"outcome_ratings": ratings},
                ),
                "points": [
                    _record(point, person=person, skip=("contribution",))
                    for point in contribution.points.all()
                ],
            }
            for contribution in row.contributions.all()
        ]
        record["outcomes"] = [
            _record(outcome, person=person, skip=("review",)) for outcome in row.outcomes.all()
        ]
        record["invitations"] = [
            _record(invitation, person=person, skip=("review",))
            for invitation in row.invitations.all()
        ]
        out.append(record)
    return out


def _circle(person: Person) -> list[Record]:
    rows = Relationship.objects.filter(person=person).select_related("user")
    return [_record(row, person=person) for row in rows.order_by("name", "id")]


def _named_workers(person: Person) -> list[Record]:
    rows = NamedWorkerAllocation.objects.filter(person=person).select_related(
        "worker", "allocated_by"
    )
    return [_record(row, person=person) for row in rows.order_by("started_at", "id")]


def _crises(person: Person) -> list[Record]:
    rows = CrisisEvent.objects.filter(person=person).select_related("recorded_by")
    return [_record(row, person=person) for row in rows.order_by("occurred_on", "id")]


def _peer_register(person: Person) -> list[Record]:
    rows = PeerSupporter.objects.filter(person=person)
    return [_record(row, person=person) for row in rows]


_PEER_SIDES = {
    "seeking": "You were offered the support of a peer",
    "offering": "You were asked to share your experience with someone",
}


def _peer_link(link: PeerLink, *, person: Person, own_reviews: set[int]) -> Record:
    """A link from this person's side only: the other person is not named, nor what they
    said when they agreed; the worker's reason is given to the person it was written about.
    """
    seeking = link.person_id == person.pk
    side = "seeking" if seeking else "offering"
    status = dict(PeerLink._meta.get_field("status").flatchoices)
    return {
        "id": link.pk,
        "your_part": coded(side, _PEER_SIDES[side]),
        "why": link.why if seeking else "",
        "proposed_by": _user_label(link.proposed_by),
        "proposed_at": _scalar(link.proposed_at),
        "you_agreed_at": _scalar(link.person_agreed_at if seeking else link.peer_agreed_at),
        "how_you_agreed": link.person_agreed_how if seeking else link.peer_agreed_how,
        "status": coded(link.status, status.get(link.status)),
        "linked_at": _scalar(link.linked_at),
        # Only a review of this person: the link may have been followed up at the other's.
        "followed_up_in_review_id": (
            link.followed_up_in_id if link.followed_up_in_id in own_reviews else None
        ),
    }


def _peer_links(person: Person) -> list[Record]:
    rows = (
        PeerLink.objects.filter(Q(person=person) | Q(peer=person))
        .select_related("proposed_by")
        .order_by("proposed_at", "id")
    )
    own_reviews = set(Review.objects.filter(person=person).values_list("pk", flat=True))
    return [_peer_link(link, person=person, own_reviews=own_reviews) for link in rows]


def _audit(person: Person) -> list[Record]:
    rows = AuditEvent.objects.filter(person=person).order_by("at", "id")
    # The actor's label was written with the event, so it stays true if the account goes;
    # the account itself is not needed.
    return [_record(row, person=person, skip=("actor",)) for row in rows]


_COLLECTORS: dict[str, Callable[[Person], list[Record]]] = {
    "person": _person,
    "requests_for_support": _contacts,
    "story": _story,
    "assessments": _assessments,
    "capacity": _capacity,
    "budgets": _budgets,
    "plans": _plans,
    "services": _services,
    "direct_payments": _direct_payments,
    "reviews_due": _reviews_due,
    "reviews": _reviews,
    "circle_of_support": _circle,
    "named_workers": _named_workers,
    "crises": _crises,
    "peer_register": _peer_register,
    "peer_links": _peer_links,
    "audit": _audit,
}


def collect(
    *,
    person: Person,
    produced_by: User | None,
    reason: str,
    produced_at: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Everything held about PERSON: a header, then every section in SECTIONS order.

    PERSON should come with team, named_worker and portal_user already selected (the
    subject_access selector does this). Reads only: the caller writes the audit event.
    """
    at = produced_at or timezone.now()
    sections = {section.key: _COLLECTORS[section.key](person) for section in SECTIONS}
    return {
        "header": {
            "schema_version": SCHEMA_VERSION,
            "title": "Everything we hold about you",
            "council": settings.COUNCIL_NAME,
            "service": settings.SERVICE_NAME,
            "produced_at": _scalar(at),
            "produced_by": _user_label(produced_by) if produced_by is not None else "System",
            "request_reference_or_reason": reason,
            "person_id": person.pk,
            "person_reference": person.reference,
            "contents": [
                {
                    "section": section.key,
                    "title": section.title,
                    "description": section.description,
                    "records": len(sections[section.key]),
                }
                for section in SECTIONS
            ],
        },
        "sections": sections,
    }
