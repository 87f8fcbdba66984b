"""Assessments: created with the worker's judgments, read, and completed (which issues the
indicative budget at once, as on the web)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from selfdirect.api.errors import ERRORS, Conflict
from selfdirect.api.people import person_for, require_case_worker
from selfdirect.api.schemas import (
    AssessmentIn,
    AssessmentOut,
    CompleteIn,
    Contribution,
    IndicativeBudgetOut,
    OutcomeJudgementOut,
)
from selfdirect.assessments import services
from selfdirect.assessments.eligibility import (
    AssessmentFacts,
    Judgement,
    decide_eligibility,
    validate_facts,
)
from selfdirect.assessments.models import Assessment, AssessmentStatus
from selfdirect.assessments.outcomes import outcomes_for, unable_reasons_for
from selfdirect.assessments.selectors import assessment_get_for_user
from selfdirect.budgets.selectors import budget_for_assessment

router = Router(tags=["assessments"])


def _facts(assessment: Assessment) -> AssessmentFacts | None:
    if assessment.significant_impact is None:
        return None
    return AssessmentFacts(
        kind=assessment.kind,
        judgements=services.judgements_of(assessment),
        needs_arise_from_condition=bool(assessment.needs_arise_from_condition),
        significant_impact=assessment.significant_impact,
        carer_health_deteriorating=assessment.carer_health_deteriorating,
    )


def assessment_out(assessment: Assessment) -> dict[str, object]:
    """The assessment; `indicative_budget` only once completed and eligible (exclude_unset)."""
    if assessment.is_completed:
        eligible = bool(assessment.eligible)
        reasons = list(assessment.eligibility_reasons)
    else:
        # Not yet decided: what the regulations would say on what is recorded so far.
        facts = _facts(assessment)
        decision = decide_eligibility(facts) if facts and not validate_facts(facts) else None
        eligible = decision.eligible if decision else False
        reasons = list(decision.reasons) if decision else []
    out: dict[str, object] = {
        "id": assessment.pk,
        "person_id": assessment.person_id,
        "kind": assessment.kind,
        "status": assessment.status,
        "version": assessment.version,
        "outcomes": [
            OutcomeJudgementOut(
                outcome=j.outcome,
                achievable=j.achievable,
                unable_reason=j.unable_reason or None,
                met_by_others=j.met_by_others,
                risk=j.risk,
                reason=j.reason,
            )
            for j in assessment.judgements.order_by("id")
        ],
        "significant_impact": assessment.significant_impact,
        "significant_impact_reason": assessment.significant_impact_reason,
        "carer_health_deteriorating": assessment.carer_health_deteriorating,
        "needs_arise_from_condition": assessment.needs_arise_from_condition,
        "eligible": eligible,
        "eligibility_reasons": reasons,
        "method": assessment.method,
        "started_at": assessment.started_at,
        "completed_at": assessment.completed_at,
    }
    budget = budget_for_assessment(assessment_id=assessment.pk) if assessment.is_completed else None
    if budget is not None:
        out["indicative_budget"] = IndicativeBudgetOut(
            weekly=budget.weekly,
            annual=budget.annual,
            range_low=budget.range_low,
            range_high=budget.range_high,
            ras_version=budget.ras_version.version,
            contributions=[
                Contribution(outcome=c["outcome"], weekly=c["weekly"]) for c in budget.contributions
            ],
        )
    return out


def _check(payload: AssessmentIn) -> None:
    """Field-level problems with the judgments, for this kind of assessment."""
    problems: dict[str, list[str]] = {}
    allowed = dict(outcomes_for(payload.kind))
    reasons = {code for code, _ in unable_reasons_for(payload.kind)}
    seen: set[str] = set()
    for index, judgement in enumerate(payload.outcomes):
        where = f"outcomes.{index}"
        if judgement.outcome not in allowed:
            problems[f"{where}.outcome"] = [
                f"Not an outcome of a {payload.kind} assessment: use one of {', '.join(allowed)}"
            ]
        elif judgement.outcome in seen:
            problems[f"{where}.outcome"] = ["This outcome is judged more than once"]
        seen.add(judgement.outcome)
        if judgement.achievable and judgement.unable_reason is not None:
            problems[f"{where}.unable_reason"] = ["Leave this empty: the outcome is achievable"]
        elif not judgement.achievable and judgement.unable_reason is None:
            problems[f"{where}.unable_reason"] = ["Say why the outcome cannot be achieved"]
        elif not judgement.achievable and judgement.unable_reason not in reasons:
            problems[f"{where}.unable_reason"] = [
                f"Does not apply to a {payload.kind} assessment: use one of {', '.join(reasons)}"
            ]
    if payload.kind == "adult" and payload.carer_health_deteriorating:
        problems["carer_health_deteriorating"] = ["Applies to carers' assessments only"]
    if not payload.significant_impact_reason.strip():
        problems["significant_impact_reason"] = ["Explain why there is, or is not, an impact"]
    if problems:
        raise ValidationError(problems)


@router.post(
    "/people/{person_id}/assessments",
    response={201: AssessmentOut, **ERRORS},
    exclude_unset=True,
    summary="Create an assessment with the judgments about each outcome",
)
def create_assessment(
    request: HttpRequest, person_id: int, payload: AssessmentIn
) -> Status[dict[str, object]]:
    """Opens an assessment, records the judgment on each outcome and the wellbeing facts, and
    answers with whether the person would be eligible (`eligible`, `eligibility_reasons`).
    One assessment of each kind may be open at a time (409 if one is)."""
    user = require_case_worker(request)
    person = person_for(request, person_id, what="assessment")
    _check(payload)
    with transaction.atomic():
        if person.assessments.filter(
            kind=payload.kind, status=AssessmentStatus.IN_PROGRESS
        ).exists():
            raise Conflict(f"An {payload.kind} assessment is already open for this person")
        assessment = services.assessment_start(actor=user, person=person, kind=payload.kind)
        services.judgements_save(
            actor=user,
            assessment=assessment,
            judgements=[
                Judgement(
                    outcome=j.outcome,
                    achievable=j.achievable,
                    unable_reason=j.unable_reason,
                    met_by_others=j.met_by_others,
                    risk=j.risk,
                    reason=j.reason,
                )
                for j in payload.outcomes
            ],
            expected_version=assessment.version,
        )
        assessment.refresh_from_db()
        assessment.significant_impact = payload.significant_impact
        assessment.significant_impact_reason = payload.significant_impact_reason.strip()
        assessment.carer_health_deteriorating = payload.carer_health_deteriorating
        assessment.needs_arise_from_condition = payload.needs_arise_from_condition
        assessment.save(
            update_fields=[
                "significant_impact",
                "significant_impact_reason",
                "carer_health_deteriorating",
                "needs_arise_from_condition",
            ]
        )
    return Status(201, assessment_out(assessment))


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **ERRORS},
    exclude_unset=True,
    summary="Read an assessment",
)
def read_assessment(request: HttpRequest, assessment_id: int) -> dict[str, object]:
    user = request.user
    assessment = assessment_get_for_user(user=user, assessment_id=assessment_id, what="api")  # type: ignore[arg-type]
    return assessment_out(assessment)


@router.post(
    "/assessments/{assessment_id}/complete",
    response={200: AssessmentOut, **ERRORS},
    exclude_unset=True,
    summary="Complete an assessment: decide eligibility and issue the indicative budget",
)
def complete_assessment(
    request: HttpRequest, assessment_id: int, payload: CompleteIn | None = None
) -> dict[str, object]:
    """Decides eligibility under the 2015 regulations and, if eligible, issues the indicative
    budget at once; the answer then has `indicative_budget` (absent when not eligible)."""
    user = require_case_worker(request)
    assessment = assessment_get_for_user(user=user, assessment_id=assessment_id, what="api")
    if assessment.is_completed:
        raise Conflict("This assessment has already been completed")
    if assessment.significant_impact is None:
        raise Conflict("Record whether there is a significant impact on wellbeing first")
    with transaction.atomic():
        services.assessment_complete(
            actor=user,
            assessment=assessment,
            needs_arise_from_condition=bool(assessment.needs_arise_from_condition),
            significant_impact=assessment.significant_impact,
            significant_impact_reason=assessment.significant_impact_reason,
            carer_health_deteriorating=assessment.carer_health_deteriorating,
            expected_version=assessment.version,
            method=(payload.method if payload and payload.method else ""),
        )
    assessment.refresh_from_db()
    return assessment_out(assessment)
