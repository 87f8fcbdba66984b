"""What-if re-pricing (targets P5): who is in the current population, and the vectorised
figures equal ras.py's, person by person, on a hand-built population with known answers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType

import numpy as np
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfdirect.accounts.models import Role, User
from selfdirect.assessments.models import Assessment, AssessmentStatus, OutcomeJudgement
from selfdirect.assessments.outcomes import outcomes_for
from selfdirect.budgets import ras, whatif
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.budgets.ras import DEFAULT_RAS, RasConfig, RasTable
from selfdirect.budgets.selectors import ras_current
from selfdirect.people.models import Person
from selfdirect.plans.models import Plan, PlanStatus
from selfdirect.reviews.models import Review, ReviewStatus
from selfdirect.reviews.schedule import END_AS_PLANNED, PLANNED_REASON, REASSESS
from selfdirect.workforce.models import Team
from tests.factories import PersonFactory, TeamFactory, UserFactory

NOW = timezone.now()
DAY = datetime.timedelta(days=1)

Needs = dict[str, tuple[str, str]]  # outcome -> (risk, met_by_others), each unable to achieve


def _assessment(
    person: Person,
    worker: User,
    needs: Needs,
    *,
    kind: str = "adult",
    eligible: bool | None = True,
    completed: datetime.datetime | None = NOW - 10 * DAY,
) -> Assessment:
    """An assessment made directly, judging every outcome of KIND: NEEDS unable, the rest
    achievable. These tests are about pricing, not about the assessment journey."""
    assessment = Assessment.objects.create(
        person=person,
        kind=kind,
        status=AssessmentStatus.COMPLETED if completed else AssessmentStatus.IN_PROGRESS,
        assessor=worker,
        started_at=(completed or NOW) - 5 * DAY,
        completed_at=completed,
        eligible=eligible if completed else None,
    )
    OutcomeJudgement.objects.bulk_create(
        OutcomeJudgement(
            assessment=assessment,
            outcome=code,
            achievable=code not in needs,
            unable_reason="without_assistance" if code in needs else "",
            risk=needs.get(code, ("low", "none"))[0],
            met_by_others=needs.get(code, ("low", "none"))[1],
        )
        for code, _ in outcomes_for(kind)
    )
    return assessment


def _support_ended(person: Person, worker: User, assessment: Assessment, at: datetime.datetime):  # type: ignore[no-untyped-def]
    """A review that ended the person's support AT (with the plan it reviewed)."""
    version, _ = ras_current()
    budget = IndicativeBudget.objects.create(
        assessment=assessment,
        person=person,
        ras_version=version,
        weekly=0,
        annual=0,
        range_low=0,
        range_high=0,
        issued_at=assessment.completed_at,
    )
    plan = Plan.objects.create(
        person=person,
        budget=budget,
        status=PlanStatus.APPROVED,
        what_i_want="Test",
        created_at=at - 30 * DAY,
        updated_at=at - 30 * DAY,
        updated_by=worker,
    )
    return Review.objects.create(
        person=person,
        plan=plan,
        planned=True,
        reason=PLANNED_REASON,
        status=ReviewStatus.COMPLETED,
        opened_at=at - DAY,
        opened_by=worker,
        decision=END_AS_PLANNED,
        completed_at=at,
        completed_by=worker,
    )


@dataclass
class Council:
    team_a: Team
    team_b: Team
    # assessment id -> the weekly budget with the default RAS, in pennies, worked out by hand
    expected: dict[int, int]
    left_out: list[Assessment]


@pytest.fixture
def council(db: None) -> Council:
    team_a = TeamFactory(name="Team A")
    team_b = TeamFactory(name="Team B")
    worker_a = UserFactory(role=Role.SOCIAL_WORKER, team=team_a)
    worker_b = UserFactory(role=Role.SOCIAL_WORKER, team=team_b)

    def person(worker: User = worker_a, **fields: object) -> Person:
        return PersonFactory(named_worker=worker, **fields)

    expected: dict[int, int] = {}
    left_out: list[Assessment] = []

    # docs/RAS.md's example: 12 points + 20 × 60% = 24 points at £6: £144.00.
    example = _assessment(
        person(),
        worker_a,
        {"nutrition": ("substantial", "none"), "personal_hygiene": ("critical", "some")},
    )
    expected[example.pk] = 14400
    # Every need met by others: eligible, £0.
    all_met = _assessment(
        person(),
        worker_a,
        {"nutrition": ("critical", "all"), "toilet_needs": ("substantial", "all")},
    )
    expected[all_met.pk] = 0
    # A carer: 10 × 30% × £5 = £15.00, plus 3 points × £5 = £15.00.
    carer = _assessment(
        person(worker_b, client_type="unpaid_carer"),
        worker_b,
        {"caring_for_others": ("critical", "most"), "recreation": ("moderate", "none")},
        kind="carer",
    )
    expected[carer.pk] = 3000
    # A carer eligible with no unmet need (their health is at risk): £0.
    carer_none = _assessment(
        person(worker_b, client_type="unpaid_carer"), worker_b, {}, kind="carer"
    )
    expected[carer_none.pk] = 0
    # Reassessed: only the latest assessment counts (low, some: 2 × 60% × £6 = £7.20).
    reassessed = person(worker_b, primary_support_reason="mental_health_support")
    left_out.append(
        _assessment(
            reassessed, worker_b, {"nutrition": ("critical", "none")}, completed=NOW - 90 * DAY
        )
    )
    latest = _assessment(reassessed, worker_b, {"clothing": ("low", "some")})
    expected[latest.pk] = 720
    # Every outcome, every level: each need rounded to the penny on its own.
    many = _assessment(
        person(),
        worker_a,
        {
            "nutrition": ("low", "none"),
            "personal_hygiene": ("moderate", "some"),
            "toilet_needs": ("substantial", "most"),
            "clothing": ("critical", "all"),
            "home_safety": ("critical", "none"),
        },
    )
    expected[many.pk] = 1200 + 2160 + 2160 + 0 + 12000
    # A review after the assessment ended support earlier than ... an assessment after it:
    # the new assessment counts.
    back = person()
    first = _assessment(back, worker_a, {"nutrition": ("low", "none")}, completed=NOW - 200 * DAY)
    _support_ended(back, worker_a, first, NOW - 100 * DAY)
    again = _assessment(
        back, worker_a, {"nutrition": ("moderate", "none")}, completed=NOW - 50 * DAY
    )
    expected[again.pk] = 3600
    left_out.append(first)

    # Left out: latest assessment not eligible (an older one was).
    not_now = person()
    left_out.append(
        _assessment(
            not_now, worker_a, {"nutrition": ("critical", "none")}, completed=NOW - 90 * DAY
        )
    )
    left_out.append(_assessment(not_now, worker_a, {}, eligible=False))
    # Left out: died.
    left_out.append(
        _assessment(
            person(date_of_death=datetime.date(2026, 1, 1)),
            worker_a,
            {"nutrition": ("critical", "none")},
        )
    )
    # Left out: support ended at a review after the assessment.
    ended = person()
    ended_assessment = _assessment(ended, worker_a, {"nutrition": ("critical", "none")})
    _support_ended(ended, worker_a, ended_assessment, NOW - DAY)
    left_out.append(ended_assessment)
    # Left out: assessment still in progress (and an eligible one from before it counts).
    in_progress = person()
    before = _assessment(
        in_progress, worker_a, {"nutrition": ("moderate", "most")}, completed=NOW - 60 * DAY
    )
    expected[before.pk] = 1080
    left_out.append(
        _assessment(in_progress, worker_a, {"nutrition": ("critical", "none")}, completed=None)
    )
    # A review that did not end support leaves the person in.
    reviewed = person()
    kept = _assessment(reviewed, worker_a, {"habitable_home": ("substantial", "some")})
    review = _support_ended(reviewed, worker_a, kept, NOW - DAY)
    Review.objects.filter(pk=review.pk).update(decision=REASSESS)
    expected[kept.pk] = 4320
    return Council(team_a=team_a, team_b=team_b, expected=expected, left_out=left_out)


def test_the_population_is_each_persons_latest_eligible_assessment(council: Council) -> None:
    ids = set(whatif.population_assessments().values_list("id", flat=True))
    assert ids == set(council.expected)
    assert not ids & {a.pk for a in council.left_out}


def test_vectorised_prices_match_the_hand_worked_figures(council: Council) -> None:
    result = whatif.reprice(DEFAULT_RAS, DEFAULT_RAS).by_assessment()
    assert {a: weekly for a, (weekly, _, _, _) in result.items()} == council.expected
    assert all(annual == weekly * 52 for weekly, _, annual, _ in result.values())


def test_a_price_rise_reprices_everyone(council: Council) -> None:
    draft = replace(
        DEFAULT_RAS,
        version="draft",
        adult=replace(DEFAULT_RAS.adult, price_per_point=Decimal("6.50")),
    )
    result = whatif.reprice(DEFAULT_RAS, draft)
    by_id = result.by_assessment()
    example = min(council.expected, key=lambda a: a)  # the docs' example was made first
    assert by_id[example][:2] == (14400, 15600)
    everyone = whatif.change(
        "Everyone", result.before, result.after, np.ones(result.population.size, dtype=bool)
    )
    # Adults with a need that counts go up; £0 budgets and carers stay the same.
    assert (everyone.people, everyone.gain, everyone.lose, everyone.same) == (9, 6, 0, 3)
    assert everyone.annual_difference == sum(a - b for _, _, b, a in by_id.values())


def _table(points: tuple[int, ...], shares: tuple[str, ...], price: str) -> RasTable:
    return RasTable(
        points=MappingProxyType(
            dict(zip(("low", "moderate", "substantial", "critical"), points, strict=True))
        ),
        unmet_share=MappingProxyType(
            dict(zip(("none", "some", "most", "all"), (Decimal(s) for s in shares), strict=True))
        ),
        price_per_point=Decimal(price),
    )


HAND_MADE = [
    # Half pennies on every need: rounded up each time, then added (not the other way).
    replace(
        DEFAULT_RAS,
        version="halves",
        adult=_table((1, 3, 5, 7), ("0.5", "0.5", "0.1", "0.1"), "0.01"),
        carer=_table((1, 1, 1, 1), ("0.5", "0.5", "0.5", "0.5"), "0.05"),
    ),
    # "All of it" still counts for something; odd weeks in a year round the yearly figure.
    replace(
        DEFAULT_RAS,
        version="odd",
        adult=_table((0, 7, 13, 29), ("1", "0.77", "0.33", "0.11"), "6.37"),
        carer=_table((0, 0, 0, 0), ("1", "0", "0", "0"), "9.99"),
        weeks_per_year=Decimal("52.1786"),
    ),
    # Everything priced at nothing.
    replace(DEFAULT_RAS, version="zero", adult=_table((0, 0, 0, 0), ("1", "1", "1", "1"), "0")),
]


@pytest.mark.parametrize("draft", HAND_MADE, ids=lambda c: c.version)
def test_vectorised_equals_per_record_for_hand_made_drafts(
    council: Council, draft: RasConfig
) -> None:
    vectorised = whatif.reprice(DEFAULT_RAS, draft).by_assessment()
    assert vectorised == whatif.reprice_per_record(DEFAULT_RAS, draft)
    assert set(vectorised) == set(council.expected)


def test_half_pennies_are_rounded_need_by_need(council: Council) -> None:
    # docs example under "halves": 5 × 0.5 × £0.01 = 2.5p -> 3p; 7 × 0.5 × 1p = 3.5p -> 4p.
    example = min(council.expected)
    assert whatif.reprice(DEFAULT_RAS, HAND_MADE[0]).by_assessment()[example][1] == 7


@st.composite
def tables(draw: st.DrawFn) -> RasTable:
    points = sorted(draw(st.lists(st.integers(0, 60), min_size=4, max_size=4)))
    shares = sorted(draw(st.lists(st.integers(0, 100), min_size=4, max_size=4)), reverse=True)
    price = draw(st.integers(0, 200_000))
    return RasTable(
        points=dict(zip(("low", "moderate", "substantial", "critical"), points, strict=True)),
        unmet_share={
            met: Decimal(share) / 100
            for met, share in zip(("none", "some", "most", "all"), shares, strict=True)
        },
        price_per_point=Decimal(price) / 1000,  # up to three places: half pennies and less
    )


@st.composite
def configs(draw: st.DrawFn) -> RasConfig:
    return RasConfig(
        version="drawn",
        adult=draw(tables()),
        carer=draw(tables()),
        range_low=Decimal("0.85"),
        range_high=Decimal("1.25"),
        weeks_per_year=Decimal(draw(st.integers(5000, 5300))) / 100,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(live=configs(), draft=configs())
def test_vectorised_equals_per_record_for_any_valid_config(
    council: Council, live: RasConfig, draft: RasConfig
) -> None:
    assert ras.validate_config(live) == [] and ras.validate_config(draft) == []
    assert whatif.reprice(live, draft).by_assessment() == whatif.reprice_per_record(live, draft)


def test_an_empty_population(db: None) -> None:
    result = whatif.reprice(DEFAULT_RAS, DEFAULT_RAS)
    assert result.population.size == 0
    report = whatif.report(result, live_label="live", draft_label="draft", team_names={})
    assert report.headline.people == 0


def test_median_rounds_half_pennies_away_from_zero() -> None:
    median = whatif._median
    assert median(np.array([1, 2], dtype=np.int64)) == 2
    assert median(np.array([-1, -2], dtype=np.int64)) == -2
    assert median(np.array([5, 1, 3], dtype=np.int64)) == 3
    assert median(np.array([], dtype=np.int64)) is None


def test_bands_count_everyone_once() -> None:
    # 0p, 200p, ... £198 a week, and one budget of £100,000 a week.
    before = np.concatenate([np.arange(0, 20000, 200), [10_000_000]]).astype(np.int64)
    after = before * 2
    result = whatif.bands(before, after)
    assert result[0].label == "£0" and (result[0].before, result[0].after) == (1, 1)
    # 95 in 100 of the budgets are under about £380: ten closed bands of £50 hold them.
    assert result[1].label == "£0.01 to £49.99"
    assert result[2].label == "£50 to £99.99"
    assert sum(b.before for b in result) == len(before)
    assert sum(b.after for b in result) == len(after)
    assert len(result) <= 12
    # The very large budget is in the open band, and does not stretch the others.
    assert result[-1].label.endswith("or more") and result[-1].before >= 1


def test_groups_are_suppressed_under_five(council: Council) -> None:
    result = whatif.reprice(DEFAULT_RAS, HAND_MADE[1])
    names = {council.team_a.pk: "Team A", council.team_b.pk: "Team B"}
    report = whatif.report(result, live_label="live", draft_label="draft", team_names=names)
    team = report.figure("team")
    assert team is not None
    rows = {row[0]: row for row in team.table.rows}
    # Team B has 3 people in the population: counts hidden, money "not shown".
    assert rows["Team B"][1] == "fewer than 5"
    assert rows["Team B"][2] == "not shown"
    assert rows["Team A"][1] == 6
    assert isinstance(rows["Team A"][2], Decimal)


@pytest.mark.parametrize("config", [DEFAULT_RAS, *HAND_MADE], ids=lambda c: c.version)
def test_each_of_the_32_amounts_is_ras_pys_for_one_need(config: RasConfig) -> None:
    from selfdirect.assessments.eligibility import Judgement

    amounts = whatif.need_pennies(config).reshape(2, 4, 4)
    for k, kind in enumerate(whatif.KIND_CODES):
        outcome = outcomes_for(kind)[-1][0]
        for r, risk in enumerate(whatif.RISK_CODES):
            for m, met in enumerate(whatif.MET_CODES):
                need = Judgement(outcome, False, "without_assistance", met, risk)
                weekly = ras.indicative_budget(config, kind, [need]).weekly
                assert amounts[k, r, m] == int(weekly * 100), (kind, risk, met)
