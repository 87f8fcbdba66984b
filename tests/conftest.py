"""Named test users for every role (conventions: healthchecks-style owner/stranger tests).

`world` builds one small council: two teams, a person in team A, and a user for every
role, each either with a legitimate relationship to that person or without one.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from selfdirect.accounts.models import Role, User
from selfdirect.assessments import services
from selfdirect.assessments.models import Assessment, Contact
from selfdirect.people.models import Person, Relationship
from selfdirect.plans import services as plan_services
from selfdirect.plans.models import Plan, PlanStatus
from selfdirect.reviews import services as review_services
from selfdirect.reviews.models import PeerLink, Review
from selfdirect.workforce.models import Discipline, Team
from tests.factories import (
    PASSWORD,
    PersonFactory,
    RelationshipFactory,
    TeamFactory,
    UserFactory,
    completed_assessment,
)


@dataclass
class World:
    team_a: Team
    team_b: Team
    person: Person  # in team A, named worker = allocated_worker
    other_person: Person  # in team B
    allocated_worker: User
    team_a_worker: User
    worker_other_team: User
    team_manager: User
    manager_other_team: User
    panel_member: User
    commissioner: User
    administrator: User
    the_person: User
    representative: User
    representative_of_other: User
    non_representative_contact: User
    plan_helper: User
    stranger: User
    relationship: Relationship
    done_assessment: Assessment  # completed and eligible, for world.person
    open_assessment: Assessment  # in progress, for world.person
    other_done_assessment: Assessment
    other_open_assessment: Assessment
    contact: Contact  # an urgent request for world.person
    other_contact: Contact
    plan: Plan  # a draft, for world.person
    other_plan: Plan
    review: Review  # open, of world.person's signed-off plan
    other_review: Review
    peer_link: PeerLink  # world.person is offered a peer in team A
    other_peer_link: PeerLink

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


CLD_SPEC = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "cld-r2-spec.json"


@pytest.fixture(scope="session")
def cld_spec() -> dict:
    """The CLD Release 2 specification, from ../shared/reference beside this checkout."""
    if not CLD_SPEC.exists():
        pytest.skip("../shared/reference/cld-r2-spec.json is not beside this checkout")
    return json.loads(CLD_SPEC.read_text())


@pytest.fixture
def world(db: None) -> World:
    team_a = TeamFactory(name="Older people – North", discipline=Discipline.OLDER_PEOPLE)
    team_b = TeamFactory(name="Mental health – South", discipline=Discipline.MENTAL_HEALTH)
    allocated_worker = UserFactory(username="allocated", role=Role.SOCIAL_WORKER, team=team_a)
    team_a_worker = UserFactory(username="teammate", role=Role.SOCIAL_WORKER, team=team_a)
    worker_other_team = UserFactory(username="otherworker", role=Role.SOCIAL_WORKER, team=team_b)
    team_manager = UserFactory(username="manager", role=Role.TEAM_MANAGER, team=team_a)
    manager_other_team = UserFactory(username="othermanager", role=Role.TEAM_MANAGER, team=team_b)
    the_person_user = UserFactory(username="theperson", role=Role.PERSON)
    person = PersonFactory(
        first_name="Ada",
        last_name="Lovelace",
        named_worker=allocated_worker,
        portal_user=the_person_user,
    )
    other_person = PersonFactory(
        first_name="Bob", last_name="Other", named_worker=worker_other_team
    )
    representative = UserFactory(username="rep", role=Role.REPRESENTATIVE)
    representative_of_other = UserFactory(username="otherrep", role=Role.REPRESENTATIVE)
    non_rep = UserFactory(username="contact", role=Role.REPRESENTATIVE)
    relationship = RelationshipFactory(
        person=person,
        name="Rita Rep",
        relationship_type="attorney_hw",
        is_representative=True,
        user=representative,
    )
    RelationshipFactory(
        person=other_person, name="Otto Rep", is_representative=True, user=representative_of_other
    )
    # In the circle but not a representative: no access to the record.
    RelationshipFactory(person=person, name="Cora Contact", is_representative=False, user=non_rep)
    plan_helper = UserFactory(username="helper", role=Role.PLAN_HELPER)
    done = completed_assessment(person, allocated_worker)
    other_done = completed_assessment(other_person, worker_other_team)
    open_one = services.assessment_start(actor=allocated_worker, person=person)
    other_open = services.assessment_start(actor=worker_other_team, person=other_person)
    contacts = [
        services.contact_create(
            actor=worker,
            person=who,
            received_on=datetime.date(2026, 11, 1),
            route_of_access="hospital_discharge",
            requested_by="Ward 7",
            what_for="Going home today",
            urgent=True,
        )
        for who, worker in ((person, allocated_worker), (other_person, worker_other_team))
    ]
    plan = plan_services.plan_start(actor=allocated_worker, person=person)
    # The helper was invited to world.person's plan, and to nothing else.
    links: list[str] = []
    plan_services.plan_invite(
        actor=the_person_user,
        plan=plan,
        name="Hana Helper",
        email="hana@example.org",
        kind="support_planner",
        accept_url=lambda token: links.append(token) or token,
    )
    plan_services.invitation_accept(actor=plan_helper, token=links[0])
    reviews = [
        review_services.review_open(actor=worker, person=_signed_off(who, worker))
        for who, worker in ((person, allocated_worker), (other_person, worker_other_team))
    ]
    peer_links = []
    for who, worker, team in (
        (person, allocated_worker, team_a),
        (other_person, worker_other_team, team_b),
    ):
        peer = PersonFactory(first_name="Pat", last_name=f"Peer {team.pk}", named_worker=worker)
        review_services.peer_join(actor=worker, person=peer, how_to_contact="Through my worker")
        peer_links.append(
            review_services.peer_propose(actor=worker, person=who, peer=peer, why="Test")
        )
    return World(
        review=reviews[0],
        other_review=reviews[1],
        peer_link=peer_links[0],
        other_peer_link=peer_links[1],
        contact=contacts[0],
        other_contact=contacts[1],
        plan=plan,
        other_plan=plan_services.plan_start(actor=worker_other_team, person=other_person),
        done_assessment=done,
        open_assessment=open_one,
        other_done_assessment=other_done,
        other_open_assessment=other_open,
        team_a=team_a,
        team_b=team_b,
        person=person,
        other_person=other_person,
        allocated_worker=allocated_worker,
        team_a_worker=team_a_worker,
        worker_other_team=worker_other_team,
        team_manager=team_manager,
        manager_other_team=manager_other_team,
        panel_member=UserFactory(username="panel", role=Role.PANEL_MEMBER),
        commissioner=UserFactory(username="commissioner", role=Role.COMMISSIONER),
        administrator=UserFactory(username="admin", role=Role.ADMINISTRATOR),
        the_person=the_person_user,
        representative=representative,
        representative_of_other=representative_of_other,
        non_representative_contact=non_rep,
        plan_helper=plan_helper,
        stranger=UserFactory(username="stranger", role=Role.PERSON),
        relationship=relationship,
    )


def _signed_off(person: Person, worker: User) -> Person:
    """Give PERSON a signed-off plan (made directly: these tests are not about sign-off)."""
    budget = person.indicative_budgets.order_by("-issued_at").first()
    earlier = timezone.now() - datetime.timedelta(days=90)
    Plan.objects.create(
        person=person,
        budget=budget,
        status=PlanStatus.APPROVED,
        what_i_want="To get out more",
        created_at=earlier,
        updated_at=earlier,
        updated_by=worker,
    )
    return person


__all__ = ["PASSWORD", "World"]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Files the service keeps (the CLD return) go to a folder of the test's own."""
    settings.FILES_DIR = tmp_path / "files"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """PBKDF2 is slow on purpose; tests create many users and need no real hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _figures_worked_out_every_time(settings) -> None:  # type: ignore[no-untyped-def]
    """Each test builds its own history: figures cached by an earlier test would be wrong.
    tests/dashboards/test_views.py turns the cache on where it tests it."""
    settings.FIGURES_CACHE_SECONDS = 0
