from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from selfdirect.assessments.models import (
    Assessment,
    AssessmentStatus,
    CapacityRecord,
    Contact,
    StoryEntry,
    StorySection,
)
from selfdirect.people.rules import access_basis, restriction_filter_for_user
from selfdirect.people.selectors import record_read_or_404

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person


def assessment_get_for_user(*, user: User, assessment_id: int, what: str = "") -> Assessment:
    """The assessment, if USER has a legitimate relationship with its person; otherwise 404.

    Writes a read event, like people.selectors.person_get_for_user.
    """
    assessment = (
        Assessment.objects.select_related(
            "person", "person__team", "person__named_worker", "assessor"
        )
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    record_read_or_404(
        user=user,
        person=assessment.person,
        basis=access_basis(user, assessment.person),
        new_values={"page": what or "assessment", "assessment": assessment.pk},
    )
    return assessment


def story_for_person(*, person: Person) -> list[dict[str, Any]]:
    """The person's story, section by section in the usual order, oldest entry first.

    Each entry carries who wrote it (author_label), as the person and worker both see it.
    """
    entries: dict[str, list[StoryEntry]] = {}
    for entry in person.story.order_by("created_at", "id"):
        entries.setdefault(entry.section, []).append(entry)
    return [
        {"code": code, "label": label, "entries": entries.get(code, [])}
        for code, label in StorySection.choices
    ]


def open_assessment(*, person: Person, kind: str = "adult") -> Assessment | None:
    return person.assessments.filter(kind=kind, status=AssessmentStatus.IN_PROGRESS).first()


def latest_completed_assessment(*, person: Person) -> Assessment | None:
    return (
        person.assessments.filter(status=AssessmentStatus.COMPLETED)
        .select_related("indicative_budget", "indicative_budget__ras_version")
        .order_by("-completed_at", "-id")
        .first()
    )


def assessment_list_for_person(*, person: Person) -> QuerySet[Assessment]:
    return person.assessments.select_related("assessor").order_by("-started_at", "-id")


def contact_queue_for_team(*, team_id: int, viewer: User) -> QuerySet[Contact]:
    """Requests not yet assessed or closed, urgent first, then oldest first (restricted
    records VIEWER is not named on are left out: the queue shows names)."""
    completed = Assessment.objects.filter(contact=OuterRef("pk"), status=AssessmentStatus.COMPLETED)
    return (
        Contact.objects.filter(team_id=team_id, closed_on__isnull=True)
        .filter(restriction_filter_for_user(viewer, "person__"))
        .exclude(Exists(completed))
        .select_related("person", "person__named_worker")
        .order_by("-urgent", "received_on", "id")
    )


def capacity_history(*, person: Person) -> QuerySet[CapacityRecord]:
    return person.capacity_records.select_related("assessed_by").order_by("-assessed_on", "-id")


def contact_get_for_user(*, user: User, contact_id: int, page: str = "starter budget") -> Contact:
    """A request for support, if USER has a legitimate relationship with the person; else 404."""
    contact = (
        Contact.objects.select_related("person", "person__named_worker")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise Http404("No such request")
    record_read_or_404(
        user=user,
        person=contact.person,
        basis=access_basis(user, contact.person),
        new_values={"page": page, "contact": contact.pk},
    )
    return contact


def urgent_contacts(*, person: Person) -> QuerySet[Contact]:
    return Contact.objects.filter(person=person, urgent=True).order_by("-received_on", "-id")
