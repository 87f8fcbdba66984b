"""The committed sample files (docs/samples/legacy/) are valid, consistent with each other,
and import cleanly."""

from __future__ import annotations

import datetime

from selfdirect.accounts.models import User
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.legacy import services
from selfdirect.legacy.models import LegacyRecord
from selfdirect.people.models import NamedWorkerAllocation, Person, Relationship
from selfdirect.support.models import Service
from selfdirect.workforce.models import Team
from tests.factories import UserFactory
from tests.legacy.conftest import samples


def test_samples_have_no_problems(sample_teams: dict[str, Team]) -> None:
    checked = services.legacy_check(uploads=samples())
    assert checked.problems == []
    assert checked.counts() == {
        "workers": 4,
        "people": 4,
        "allocations": 5,
        "circles": 4,
        "services": 4,
    }


def test_samples_import_cleanly(sample_teams: dict[str, Team]) -> None:
    admin = UserFactory(username="admin", role="administrator")
    checked = services.legacy_import(actor=admin, uploads=samples())
    assert checked.ok
    assert User.objects.filter(
        username="jasmine.okafor", team__name="Older people – North"
    ).exists()
    assert not User.objects.get(username="gareth.hughes").has_usable_password()
    margaret = Person.objects.get(last_name="Ellis")
    assert margaret.named_worker == User.objects.get(username="jasmine.okafor")
    assert margaret.team.name == "Older people – North"
    assert margaret.ethnicity == "white_english_welsh_scottish_northern_irish_or_british"
    spells = list(NamedWorkerAllocation.objects.filter(person=margaret).order_by("started_at"))
    assert [s.worker.username for s in spells] == ["tomasz.nowak", "jasmine.okafor"]
    assert spells[1].ended_at is None
    assert spells[1].started_at.date() == datetime.date(2024, 6, 30)
    irene = Person.objects.get(last_name="Walsh")
    assert irene.named_worker is None  # waiting in the team's queue since her worker's spell
    assert Relationship.objects.filter(person=margaret, is_representative=True).count() == 1
    assert Service.objects.count() == 4
    assert LegacyRecord.objects.count() == 21
    assert AuditEvent.objects.filter(event_type=EventType.LEGACY_IMPORTED).count() == 1
    # Running the same files again adds nothing.
    again = services.legacy_import(actor=admin, uploads=samples())
    assert sum(again.counts().values()) == 0
    assert sum(again.already.values()) == 21
    assert Person.objects.count() == 4
