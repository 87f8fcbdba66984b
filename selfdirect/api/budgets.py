"""The person's indicative budget, with the explanation they were given."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Router

from selfdirect.api.errors import ERRORS
from selfdirect.api.people import person_for
from selfdirect.api.schemas import BudgetLine, BudgetOut, FundingStreamOut
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.budgets.selectors import budget_latest

router = Router(tags=["budgets"])


def budget_out(budget: IndicativeBudget) -> BudgetOut:
    return BudgetOut(
        id=budget.pk,
        person_id=budget.person_id,
        assessment_id=budget.assessment_id,
        weekly=budget.weekly,
        annual=budget.annual,
        range_low=budget.range_low,
        range_high=budget.range_high,
        ras_version=budget.ras_version.version,
        issued_at=budget.issued_at,
        contributions=[
            BudgetLine(
                outcome=line["outcome"],
                label=line.get("label", ""),
                risk=line.get("risk", ""),
                met_by_others=line.get("met_by_others", ""),
                points=Decimal(str(line.get("points", "0"))),
                weekly=Decimal(str(line["weekly"])),
                reason=line.get("reason", ""),
            )
            for line in budget.contributions
        ],
        funding_streams=[
            FundingStreamOut(stream=s.stream, weekly=s.weekly, note=s.note)
            for s in budget.streams.all()
        ],
    )


@router.get(
    "/people/{person_id}/budget",
    response={200: BudgetOut, **ERRORS},
    summary="The person's latest indicative budget, with its explanation",
)
def read_budget(request: HttpRequest, person_id: int) -> BudgetOut:
    """The budget issued when their latest eligible assessment was completed, with every figure
    as issued: a later RAS version never changes it. 404 if none has been issued."""
    person = person_for(request, person_id, what="budget")
    budget = budget_latest(person=person)
    if budget is None:
        raise Http404("No indicative budget has been issued")
    return budget_out(budget)
