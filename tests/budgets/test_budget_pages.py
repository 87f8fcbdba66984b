"""Publishing the RAS, the public transparency page, and budgets that never change once issued."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from selfdirect.budgets.models import IndicativeBudget, RasVersion
from selfdirect.budgets.ras import DEFAULT_RAS
from selfdirect.budgets.selectors import ras_current
from tests.conftest import World
from tests.factories import PersonFactory, completed_assessment


def _ras_post(**changes: str) -> dict[str, str]:
    data = {
        "version": "2027.1",
        "note": "Price per point up with the national living wage",
        "range_low": "0.85",
        "range_high": "1.25",
    }
    for table, config in (("adult", DEFAULT_RAS.adult), ("carer", DEFAULT_RAS.carer)):
        for risk, points in config.points.items():
            data[f"{table}-points-{risk}"] = str(points)
        for met, share in config.unmet_share.items():
            data[f"{table}-share-{met}"] = str(share)
        data[f"{table}-price"] = str(config.price_per_point)
    data.update(changes)
    return data


def test_default_ras_is_published_by_migration(db: None) -> None:
    version, config = ras_current()
    assert version.version == DEFAULT_RAS.version
    assert config == DEFAULT_RAS


def test_new_version_leaves_issued_budgets_unchanged(world: World) -> None:
    before = IndicativeBudget.objects.get(assessment=world.done_assessment)
    issued = (before.weekly, before.annual, before.contributions, before.ras_version_id)
    client = world.client_for(world.administrator)
    response = client.post(reverse("budgets:ras-new"), _ras_post(**{"adult-price": "7.50"}))
    assert response.status_code == 302
    assert ras_current()[0].version == "2027.1"
    after = IndicativeBudget.objects.get(assessment=world.done_assessment)
    assert (after.weekly, after.annual, after.contributions, after.ras_version_id) == issued
    # A new assessment is priced with the new version: same needs, 7.50/6.00 of the money.
    person = PersonFactory(named_worker=world.allocated_worker)
    new = IndicativeBudget.objects.get(
        assessment=completed_assessment(person, world.allocated_worker)
    )
    assert new.ras_version.version == "2027.1"
    assert new.weekly == before.weekly * Decimal("7.50") / Decimal("6.00")


def test_bad_ras_is_refused_with_reasons(world: World) -> None:
    client = world.client_for(world.administrator)
    response = client.post(
        reverse("budgets:ras-new"),
        _ras_post(
            **{"adult-points-critical": "1", "adult-price": "abc", "version": DEFAULT_RAS.version}
        ),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "must be an amount in pounds" in content
    assert RasVersion.objects.count() == 1
    response = client.post(reverse("budgets:ras-new"), _ras_post(**{"adult-points-critical": "1"}))
    assert response.status_code == 200
    assert RasVersion.objects.count() == 1


def test_transparency_page_shows_the_live_ras_without_sign_in(world: World, client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("budgets:transparency")).content.decode()
    assert "How budgets are worked out" in page
    assert DEFAULT_RAS.version in page
    assert "£6.00 a week" in page
    world.client_for(world.administrator).post(
        reverse("budgets:ras-new"), _ras_post(**{"adult-price": "7.25"})
    )
    page = client.get(reverse("budgets:transparency")).content.decode()
    assert "2027.1" in page and "£7.25 a week" in page


def test_health_budget_stream_is_shown_separately(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    url = reverse("assessments:result", args=[world.done_assessment.pk])
    content = client.post(
        url, {"stream": "personal_health_budget", "weekly": "-3"}
    ).content.decode()
    assert "must be 0 or more" in content
    response = client.post(
        url, {"stream": "personal_health_budget", "weekly": "55.00", "note": "CHC"}
    )
    assert response.status_code == 302
    page = world.client_for(world.the_person).get(reverse("portal:budget", args=[world.person.pk]))
    content = page.content.decode()
    assert "Personal health budget" in content and "£55.00" in content and "Social care" in content
