from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from selfdirect.budgets.models import IndicativeBudget, RasDraft, RasVersion
from selfdirect.budgets.ras import RasConfig
from selfdirect.budgets.ras_json import config_from_json

if TYPE_CHECKING:
    from selfdirect.people.models import Person


def ras_current() -> tuple[RasVersion, RasConfig]:
    """The newest published RAS version: the one that prices assessments completed now."""
    version = RasVersion.objects.order_by("-published_at", "-id").first()
    if version is None:  # the 0002 migration publishes one; only a hand-emptied table gets here
        raise RuntimeError("No RAS has been published")
    return version, config_from_json(version.config)


def ras_version_list() -> QuerySet[RasVersion]:
    return RasVersion.objects.select_related("published_by").order_by("-published_at", "-id")


def budget_for_assessment(*, assessment_id: int) -> IndicativeBudget | None:
    return (
        IndicativeBudget.objects.select_related("ras_version")
        .prefetch_related("streams")
        .filter(assessment_id=assessment_id)
        .first()
    )


def budget_latest(*, person: Person) -> IndicativeBudget | None:
    """The person's latest indicative budget: the one a new plan is written against."""
    return (
        IndicativeBudget.objects.select_related("ras_version")
        .prefetch_related("streams")
        .filter(person=person)
        .order_by("-issued_at", "-id")
        .first()
    )


def ras_draft_list() -> QuerySet[RasDraft]:
    """Every draft, newest change first. Drafts are the council's shared work in progress:
    every commissioner and administrator sees them all."""
    return RasDraft.objects.select_related(
        "created_by", "updated_by", "based_on", "published_as"
    ).order_by("-updated_at", "-id")


def ras_draft_get(*, pk: int) -> RasDraft:
    """One draft, or 404."""
    return get_object_or_404(ras_draft_list(), pk=pk)
