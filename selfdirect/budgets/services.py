"""Issuing indicative budgets and publishing RAS versions."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from selfdirect.assessments.eligibility import Judgement
from selfdirect.assessments.outcomes import outcomes_for
from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.budgets import ras
from selfdirect.budgets.models import (
    BudgetStream,
    FundingStream,
    IndicativeBudget,
    RasDraft,
    RasVersion,
)
from selfdirect.budgets.ras_json import config_from_json, config_to_json
from selfdirect.budgets.selectors import ras_current

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.assessments.models import Assessment


@transaction.atomic
def budget_issue(*, actor: User, assessment: Assessment, reason: str) -> IndicativeBudget:
    """Price a completed, eligible assessment with the current RAS and store it as issued.

    Every figure and the explanation are stored, so publishing a new RAS version never
    changes a budget a person has already been told about.
    """
    version, config = ras_current()
    judgements = [
        Judgement(
            outcome=j.outcome,
            achievable=j.achievable,
            unable_reason=j.unable_reason or None,
            met_by_others=j.met_by_others,
            risk=j.risk,
            reason=j.reason,
        )
        for j in assessment.judgements.all()
    ]
    result = ras.indicative_budget(config, assessment.kind, judgements)
    labels = dict(outcomes_for(assessment.kind))
    reasons = {j.outcome: j.reason for j in judgements}
    budget = IndicativeBudget.objects.create(
        assessment=assessment,
        person=assessment.person,
        ras_version=version,
        weekly=result.weekly,
        annual=result.annual,
        range_low=result.range_low,
        range_high=result.range_high,
        contributions=[
            {
                "outcome": c.outcome,
                "label": labels[c.outcome],
                "risk": c.risk,
                "met_by_others": c.met_by_others,
                "points": str(c.points),
                "weekly": str(c.weekly),
                "reason": reasons.get(c.outcome, ""),
            }
            for c in result.contributions
        ],
        issued_at=timezone.now(),
    )
    stream = (
        FundingStream.CARERS_BUDGET if assessment.kind == "carer" else FundingStream.SOCIAL_CARE
    )
    BudgetStream.objects.create(
        budget=budget, stream=stream, weekly=result.weekly, note=f"RAS {version.version}"
    )
    audit_record(
        actor=actor,
        person=assessment.person,
        event_type=EventType.BUDGET_ISSUED,
        reason=reason,
        new_values={
            "weekly": str(result.weekly),
            "annual": str(result.annual),
            "ras_version": version.version,
        },
    )
    return budget


@transaction.atomic
def budget_stream_set(
    *, actor: User, budget: IndicativeBudget, stream: str, weekly: Decimal, note: str, reason: str
) -> BudgetStream:
    """Add or change another funding stream (for example a personal health budget).

    The RAS line is the RAS's: it is not edited here, so the explanation stays true.
    """
    if stream not in {FundingStream.PERSONAL_HEALTH_BUDGET, FundingStream.CARERS_BUDGET}:
        raise ValidationError({"stream": "Choose a personal health budget or a carer's budget"})
    if weekly < 0:
        raise ValidationError({"weekly": "Amount must be 0 or more"})
    line, _ = BudgetStream.objects.update_or_create(
        budget=budget, stream=stream, defaults={"weekly": weekly, "note": note}
    )
    audit_record(
        actor=actor,
        person=budget.person,
        event_type=EventType.BUDGET_STREAM_SET,
        reason=reason,
        new_values={"stream": stream, "weekly": str(weekly), "note": note},
    )
    return line


@transaction.atomic
def ras_publish(*, actor: User, config: ras.RasConfig, note: str) -> RasVersion:
    """Publish a new RAS version. It prices assessments completed from now on only."""
    problems = ras.validate_config(config)
    if RasVersion.objects.filter(version=config.version).exists():
        problems.append(f"Version {config.version} has already been published: choose a new name")
    if problems:
        raise ValidationError(problems)
    return RasVersion.objects.create(
        version=config.version,
        config=config_to_json(config),
        note=note,
        published_at=timezone.now(),
        published_by=actor,
    )


# --- Drafts: trying a RAS out before anyone is priced with it ------------------------------
#
# A draft never touches a budget. Budgets are priced by ras_current(), which reads only
# RasVersion; a draft becomes one only through ras_draft_publish, which calls ras_publish.


def _next_version_name(current: str) -> str:
    """A version name not yet published, from the live one: 2026.1 -> 2026.2."""
    taken = set(RasVersion.objects.values_list("version", flat=True))
    match = re.fullmatch(r"(.*?)(\d+)", current)
    stem, number = (match[1], int(match[2])) if match else (f"{current}.", 0)
    while True:
        number += 1
        name = f"{stem[: 39 - len(str(number))]}{number}"
        if name not in taken:
            return name


@transaction.atomic
def ras_draft_start(*, actor: User, name: str) -> RasDraft:
    """A new draft: a copy of the live RAS, under a version name not yet used."""
    live_version, live = ras_current()
    config = replace(live, version=_next_version_name(live.version))
    now = timezone.now()
    return RasDraft.objects.create(
        name=name,
        config=config_to_json(config),
        note="",
        based_on=live_version,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
    )


@transaction.atomic
def ras_draft_save(
    *,
    actor: User,
    draft: RasDraft,
    name: str,
    note: str,
    config: ras.RasConfig,
    expected_version: int,
) -> RasDraft:
    """Change a draft. The configuration must pass ras.validate_config, as a published
    version must, so a draft can always be published as it stands.

    EXPECTED_VERSION is the draft's version when the person started changing it: if someone
    else has saved since, nothing is saved and they are told (no lost update).
    """
    if draft.published_as is not None:
        raise ValidationError(
            f"This draft was published as version {draft.published_as.version}: it cannot be "
            "changed. Start a new draft instead."
        )
    problems = ras.validate_config(config)
    if problems:
        raise ValidationError(problems)
    changed = RasDraft.objects.filter(
        pk=draft.pk, version=expected_version, published_as__isnull=True
    ).update(
        name=name,
        note=note,
        config=config_to_json(config),
        updated_at=timezone.now(),
        updated_by=actor,
        version=F("version") + 1,
    )
    if not changed:
        raise ValidationError(
            "Someone else saved this draft while you were changing it. Your changes have not "
            "been saved: open the draft again to see theirs, then make yours."
        )
    draft.refresh_from_db()
    return draft


@transaction.atomic
def ras_draft_delete(*, actor: User, draft: RasDraft) -> None:
    """Delete a draft. A published version it became is not affected."""
    RasDraft.objects.filter(pk=draft.pk).delete()


@transaction.atomic
def ras_draft_publish(*, actor: User, draft: RasDraft) -> RasVersion:
    """Publish a draft as a new RAS version, through ras_publish: from now on it prices
    every assessment completed; budgets already issued keep theirs."""
    draft = RasDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.published_as is not None:
        raise ValidationError(
            f"This draft was already published as version {draft.published_as.version}"
        )
    version = ras_publish(
        actor=actor,
        config=config_from_json(draft.config),
        note=draft.note or f"From the draft “{draft.name}”",
    )
    draft.published_as = version
    draft.save(update_fields=["published_as"])
    return version
