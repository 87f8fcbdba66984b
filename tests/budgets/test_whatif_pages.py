"""Draft RASs and the what-if page: commissioners and administrators try a RAS out; a draft
prices nobody until an administrator publishes it as a new version."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfdirect.budgets import services
from selfdirect.budgets.models import IndicativeBudget, RasDraft, RasVersion
from selfdirect.budgets.ras import DEFAULT_RAS
from selfdirect.budgets.ras_json import config_from_json
from selfdirect.budgets.selectors import ras_current
from tests.conftest import World
from tests.factories import PersonFactory, completed_assessment


def _post(draft: RasDraft, **changes: str) -> dict[str, str]:
    config = config_from_json(draft.config)
    data = {
        "name": draft.name,
        "version": config.version,
        "note": "Price per point up with the national living wage",
        "range_low": str(config.range_low),
        "range_high": str(config.range_high),
        "draft_version": str(draft.version),
    }
    for table, values in (("adult", config.adult), ("carer", config.carer)):
        for risk, points in values.points.items():
            data[f"{table}-points-{risk}"] = str(points)
        for met, share in values.unmet_share.items():
            data[f"{table}-share-{met}"] = str(share)
        data[f"{table}-price"] = str(values.price_per_point)
    data.update(changes)
    return data


def _draft(world: World, **changes: str) -> RasDraft:
    draft = services.ras_draft_start(actor=world.commissioner, name="Living wage")
    client = world.client_for(world.commissioner)
    response = client.post(reverse("budgets:ras-draft", args=[draft.pk]), _post(draft, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    return draft


def _issued(world: World) -> list[tuple[object, ...]]:
    return list(
        IndicativeBudget.objects.order_by("pk").values_list(
            "pk", "weekly", "annual", "ras_version_id", "contributions"
        )
    )


def test_a_commissioner_starts_a_draft_as_a_copy_of_the_live_ras(world: World) -> None:
    client = world.client_for(world.commissioner)
    response = client.post(reverse("budgets:ras-draft-new"), {"name": "Try £6.50"})
    draft = RasDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("budgets:ras-draft", args=[draft.pk])
    config = config_from_json(draft.config)
    assert config == replace(DEFAULT_RAS, version="2026.2")
    assert draft.based_on == ras_current()[0] and draft.created_by == world.commissioner
    page = client.get(response["Location"]).content.decode()
    assert "Try £6.50" in page and 'value="2026.2"' in page


def test_a_draft_without_a_name_is_refused(world: World) -> None:
    response = world.client_for(world.commissioner).post(reverse("budgets:ras-draft-new"), {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Enter a name for the draft" in response.content.decode()
    assert not RasDraft.objects.exists()


def test_saving_a_draft_changes_no_budget_and_not_the_live_ras(world: World) -> None:
    issued = _issued(world)
    live = ras_current()
    draft = _draft(world, **{"adult-price": "6.50"})
    assert config_from_json(draft.config).adult.price_per_point == Decimal("6.50")
    assert draft.updated_by == world.commissioner and draft.version == 2
    assert ras_current() == live
    assert _issued(world) == issued
    # A new assessment is still priced with the live version.
    person = PersonFactory(named_worker=world.allocated_worker)
    budget = IndicativeBudget.objects.get(
        assessment=completed_assessment(person, world.allocated_worker)
    )
    assert budget.ras_version.version == DEFAULT_RAS.version


def test_an_invalid_draft_is_refused_and_nothing_is_saved(world: World) -> None:
    draft = services.ras_draft_start(actor=world.commissioner, name="Bad")
    before = (draft.config, draft.version)
    client = world.client_for(world.commissioner)
    url = reverse("budgets:ras-draft", args=[draft.pk])
    # Fewer points for critical than substantial: ras.validate_config refuses it.
    response = client.post(url, _post(draft, **{"adult-points-critical": "1"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "points must not go down as the risk rises" in content
    # A field the form itself refuses.
    response = client.post(url, _post(draft, **{"carer-price": "lots", "version": ""}))
    content = response.content.decode()
    assert (
        "must be an amount in pounds" in content and "Enter a name for the new version" in content
    )
    draft.refresh_from_db()
    assert (draft.config, draft.version) == before


def test_two_people_changing_one_draft_do_not_overwrite_each_other(world: World) -> None:
    draft = services.ras_draft_start(actor=world.commissioner, name="Shared")
    stale = _post(draft, **{"adult-price": "7.00"})
    world.client_for(world.administrator).post(
        reverse("budgets:ras-draft", args=[draft.pk]), _post(draft, **{"adult-price": "6.25"})
    )
    response = world.client_for(world.commissioner).post(
        reverse("budgets:ras-draft", args=[draft.pk]), stale
    )
    assert response.status_code == 200
    assert "Someone else saved this draft" in response.content.decode()
    draft.refresh_from_db()
    assert config_from_json(draft.config).adult.price_per_point == Decimal("6.25")


def test_the_what_if_page_shows_the_change_for_everyone(world: World) -> None:
    # world has two people with the documented example's needs: £144.00 a week each.
    draft = _draft(world, **{"adult-price": "6.50"})
    response = world.client_for(world.commissioner).get(
        reverse("budgets:ras-draft-whatif", args=[draft.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "What this draft would do to people" in content
    assert "£6.00" in content and "£6.50" in content  # what the draft changes
    # Two people: too few to show; every figure from them is "not shown".
    assert "fewer than 5" in content and "not shown" in content
    assert "<svg" not in content  # nothing safe to draw
    assert "Publish as a new version" not in content  # commissioners do not publish


def test_the_what_if_figures_and_csv_for_a_larger_population(world: World) -> None:
    for _ in range(4):
        person = PersonFactory(named_worker=world.allocated_worker)
        completed_assessment(person, world.allocated_worker)
    draft = _draft(world, **{"adult-price": "6.50"})
    client = world.client_for(world.administrator)
    url = reverse("budgets:ras-draft-whatif", args=[draft.pk])
    content = client.get(url).content.decode()
    # Six people at £144.00 a week, £7,488.00 a year: £44,928.00; with £6.50, £48,672.00.
    assert "£44,928.00" in content and "£48,672.00" in content and "+£3,744.00" in content
    assert "Publish as a new version" in content
    assert content.count('<svg class="sd-chart" role="img"') == 1  # the bands
    response = client.get(url, {"format": "csv", "figure": "headline"})
    assert response["Content-Type"].startswith("text/csv")
    rows = dict(csv.reader(io.StringIO(response.content.decode())))
    assert rows["Yearly cost with the draft"] == "48672.00"
    assert rows["Difference a year"] == "3744.00"
    assert rows["People whose budget would go up"] == "6"
    assert rows["Median rise, a week"] == "12.00"

    def table(figure: str) -> list[list[str]]:
        response = client.get(url, {"format": "csv", "figure": figure})
        return list(csv.reader(io.StringIO(response.content.decode())))

    bands = table("bands")
    assert bands[0] == ["Weekly budget", "People, live RAS 2026.1", "People, draft 2026.2"]
    assert ["£140 to £159.99", "6", "6"] in bands
    teams = {row[0]: row for row in table("team")}
    # Team A: five people, £37,440.00 a year now; team B: one, so nothing about them shown.
    assert teams[world.team_a.name][1:5] == ["5", "37440.00", "40560.00", "3120.00"]
    assert teams[world.team_b.name][1:3] == ["fewer than 5", "not shown"]
    assert client.get(url, {"format": "csv", "figure": "nope"}).status_code == 404


def test_the_what_if_page_takes_the_same_queries_whatever_the_population(world: World) -> None:
    draft = _draft(world, **{"adult-price": "6.50"})
    client = world.client_for(world.commissioner)
    url = reverse("budgets:ras-draft-whatif", args=[draft.pk])
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    for _ in range(6):
        person = PersonFactory(named_worker=world.worker_other_team)
        completed_assessment(person, world.worker_other_team, kind="adult")
    assert queries() == small


def test_only_an_administrator_publishes_and_then_the_live_ras_changes(world: World) -> None:
    issued = _issued(world)
    draft = _draft(world, **{"adult-price": "6.50"})
    url = reverse("budgets:ras-draft-publish", args=[draft.pk])
    assert world.client_for(world.commissioner).post(url).status_code == 403
    assert ras_current()[0].version == DEFAULT_RAS.version

    client = world.client_for(world.administrator)
    assert "Publish as version 2026.2?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("budgets:ras-list")
    version, config = ras_current()
    assert version.version == "2026.2" and version.published_by == world.administrator
    assert config.adult.price_per_point == Decimal("6.50")
    assert version.note == "Price per point up with the national living wage"
    draft.refresh_from_db()
    assert draft.published_as == version
    assert _issued(world) == issued  # budgets already issued keep theirs
    # Published drafts cannot be published again or changed.
    response = client.post(url)
    assert RasVersion.objects.count() == 2
    response = client.post(
        reverse("budgets:ras-draft", args=[draft.pk]), _post(draft, **{"adult-price": "9.00"})
    )
    draft.refresh_from_db()
    assert config_from_json(draft.config).adult.price_per_point == Decimal("6.50")


def test_publishing_a_version_name_already_used_is_refused(world: World) -> None:
    draft = _draft(world, version=DEFAULT_RAS.version)
    client = world.client_for(world.administrator)
    whatif_page = client.get(reverse("budgets:ras-draft-whatif", args=[draft.pk])).content.decode()
    assert "has already been published" in whatif_page
    response = client.post(reverse("budgets:ras-draft-publish", args=[draft.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content and "choose a new name" in content
    assert RasVersion.objects.count() == 1


def test_deleting_a_draft(world: World) -> None:
    draft = _draft(world)
    client = world.client_for(world.commissioner)
    url = reverse("budgets:ras-draft-delete", args=[draft.pk])
    assert "Delete the draft" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and not RasDraft.objects.exists()
    assert client.get(reverse("budgets:ras-draft-whatif", args=[draft.pk])).status_code == 404


def test_the_drafts_list(world: World) -> None:
    _draft(world)
    client = world.client_for(world.commissioner)
    content = client.get(reverse("budgets:ras-drafts")).content.decode()
    assert "Living wage" in content and "Start a new draft" in content
    assert "Only an administrator can publish" in content
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("budgets:ras-drafts") in home
