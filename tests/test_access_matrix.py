"""Every URL × every role × with and without a legitimate relationship (targets R1).

The expectations here are written out by hand, independently of people/rules.py, so
that removing or loosening any permission check in a view or selector fails a test.
A new URL pattern fails `test_every_route_is_covered` until it is added to ROUTES.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from selfdirect.accounts.models import Role, User
from selfdirect.audit.models import AuditEvent
from selfdirect.budgets import services as budgets_services
from selfdirect.core.tokens import new_token, token_hash
from selfdirect.legacy import services as legacy_services
from selfdirect.people.models import Person
from selfdirect.portal.models import PortalInvitation
from selfdirect.returns import services as returns_services
from selfdirect.reviews.models import LearningTheme
from tests.conftest import World

CASE = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})
PORTAL_RECORD = frozenset({Role.PERSON, Role.REPRESENTATIVE})
PORTAL = frozenset({Role.PERSON, Role.REPRESENTATIVE, Role.PLAN_HELPER})
ADMIN = frozenset({Role.ADMINISTRATOR})
MANAGER = frozenset({Role.TEAM_MANAGER})
ALL_ROLES = frozenset(Role)
PLAN_WRITERS = CASE | PORTAL_RECORD
# Anonymised figures: managers, commissioners and administrators.
FIGURES = frozenset({Role.TEAM_MANAGER, Role.COMMISSIONER, Role.ADMINISTRATOR})
# --- helper-whatif --- who may try out draft RASs
RAS_MODELLERS = frozenset({Role.COMMISSIONER, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Route:
    roles: frozenset[Role] = ALL_ROLES
    public: bool = False
    # "person": the URL names a person; "circle": a person and someone in their circle;
    # "staff"/"team": an administrator's object.
    scope: str = ""
    post_only: bool = False
    # Signed-in users of these roles are sent elsewhere (302) instead of shown the page.
    redirects: frozenset[Role] = field(default=frozenset())
    # What an allowed user gets: 302 for a POST-only action that a GET sends back.
    ok: int = 200
    # Subject access: the role reaches any person with no relationship to them (administrators
    # answering a request); _expected treats every person as related for these routes.
    any_person: bool = False


ROUTES: dict[str, Route] = {
    "core:home": Route(public=True, redirects=PORTAL),
    "core:accessibility": Route(public=True),
    "core:privacy": Route(public=True),
    "accounts:sign-in": Route(public=True, redirects=ALL_ROLES),
    "accounts:signed-out": Route(public=True),
    # --- two-factor authentication and confirming who you are ---
    # Without a password step in progress, or new codes to show, these send you on (302).
    "accounts:sign-in-code": Route(redirects=ALL_ROLES),
    "accounts:recovery-codes": Route(redirects=ALL_ROLES),
    "accounts:account": Route(),
    "accounts:two-factor-setup": Route(redirects=PORTAL),
    "accounts:confirm": Route(),
    "accounts:sign-out": Route(public=True, post_only=True),
    "people:list": Route(roles=CASE),
    "people:create": Route(roles=CASE),
    "people:detail": Route(roles=CASE, scope="person"),
    "people:edit": Route(roles=CASE, scope="person"),
    "people:circle-add": Route(roles=CASE, scope="person"),
    "people:circle-edit": Route(roles=CASE, scope="circle"),
    "people:circle-remove": Route(roles=CASE, scope="circle"),
    "people:named-worker": Route(roles=MANAGER, scope="person"),
    "people:audit": Route(roles=MANAGER, scope="person"),
    "people:named-worker-release": Route(roles=MANAGER, scope="person"),
    "people:handover-read": Route(roles=CASE, scope="person", ok=302),
    "people:crisis-add": Route(roles=CASE, scope="person"),
    "caseloads:team": Route(roles=MANAGER),
    # A worker's caseload: team A's page for world.person's team, team B's for the other.
    "caseloads:worker": Route(roles=MANAGER, scope="worker"),
    "assessments:queue": Route(roles=CASE),
    "assessments:contact-create": Route(roles=CASE, scope="person"),
    "assessments:capacity-create": Route(roles=CASE, scope="person"),
    "assessments:starter-budget": Route(roles=CASE, scope="contact"),
    "assessments:contact-close": Route(roles=CASE, scope="contact"),
    "assessments:story": Route(roles=CASE, scope="open_assessment"),
    "assessments:outcomes": Route(roles=CASE, scope="open_assessment"),
    "assessments:decision": Route(roles=CASE, scope="open_assessment"),
    "assessments:result": Route(roles=CASE, scope="done_assessment"),
    "assessments:letter": Route(roles=CASE, scope="done_assessment"),
    "budgets:transparency": Route(public=True),
    "plans:start": Route(roles=PLAN_WRITERS, scope="person"),
    "plans:edit": Route(roles=PLAN_WRITERS | {Role.PLAN_HELPER}, scope="plan"),
    "plans:totals": Route(roles=PLAN_WRITERS | {Role.PLAN_HELPER}, scope="plan"),
    "plans:decide": Route(roles=CASE | {Role.PANEL_MEMBER}, scope="plan"),
    "plans:panel": Route(roles=frozenset({Role.PANEL_MEMBER})),
    "plans:rules": Route(public=True),
    "portal:plan": Route(roles=PLAN_WRITERS, scope="person"),
    "portal:plan-edit": Route(roles=PLAN_WRITERS | {Role.PLAN_HELPER}, scope="plan"),
    "portal:plan-invite": Route(roles=PORTAL_RECORD, scope="plan"),
    "portal:invitation": Route(roles=frozenset({Role.PLAN_HELPER}), scope="token"),
    "budgets:ras-list": Route(roles=ADMIN),
    "budgets:ras-new": Route(roles=ADMIN),
    "workforce:staff-list": Route(roles=ADMIN),
    "workforce:staff-edit": Route(roles=ADMIN, scope="staff"),
    "workforce:team-list": Route(roles=ADMIN),
    "workforce:team-create": Route(roles=ADMIN),
    "workforce:team-edit": Route(roles=ADMIN, scope="team"),
    "portal:home": Route(roles=PORTAL),
    "portal:person": Route(roles=PORTAL_RECORD, scope="person"),
    "portal:story": Route(roles=PORTAL_RECORD, scope="person"),
    "portal:budget": Route(roles=PORTAL_RECORD, scope="person"),
    "portal:letter": Route(roles=PORTAL_RECORD, scope="person"),
    "portal:review": Route(roles=PORTAL_RECORD, scope="person"),
    "portal:review-invite": Route(roles=PORTAL_RECORD, scope="review"),
    "portal:peers": Route(roles=PORTAL_RECORD, scope="person"),
    "portal:peer-answer": Route(roles=PORTAL_RECORD, scope="peer_link"),
    "reviews:due": Route(roles=CASE),
    "reviews:person": Route(roles=CASE, scope="person"),
    "reviews:unplanned": Route(roles=CASE, scope="person"),
    "reviews:review": Route(roles=CASE, scope="review"),
    "reviews:worker-view": Route(roles=CASE, scope="review"),
    "reviews:complete": Route(roles=CASE, scope="review"),
    "reviews:answer": Route(public=True, scope="bad_token"),
    "reviews:peers": Route(roles=CASE, scope="person"),
    "reviews:peer-answer": Route(roles=CASE, scope="peer_link"),
    "reviews:learning": Route(roles=frozenset({Role.COMMISSIONER, Role.ADMINISTRATOR})),
    "reviews:themes": Route(roles=ADMIN),
    "reviews:theme-create": Route(roles=ADMIN),
    "reviews:theme-edit": Route(roles=ADMIN, scope="theme"),
    "workforce:field-register": Route(roles=ADMIN),
    "dashboards:index": Route(roles=FIGURES),
    "dashboards:continuity": Route(roles=FIGURES),
    "dashboards:flow": Route(roles=FIGURES),
    "dashboards:commissioning": Route(roles=FIGURES),
    # --- The CLD return (issue 7) ---
    "returns:cld": Route(roles=ADMIN),
    "returns:cld-run": Route(roles=ADMIN, scope="cld_export"),
    "returns:cld-download": Route(roles=ADMIN, scope="cld_export"),
    # --- Legacy import (issue 7) ---
    "legacy:upload": Route(roles=ADMIN),
    "legacy:batch": Route(roles=ADMIN, scope="import_batch"),
    "legacy:run": Route(roles=ADMIN, scope="import_batch", ok=302),
    # --- Subject access (issue 7) ---
    "subject_access:search": Route(roles=ADMIN),
    "subject_access:person": Route(roles=ADMIN, scope="person", any_person=True),
    # --- helper-portal ---
    "portal:staff-invitations": Route(roles=CASE, scope="person"),
    "portal:staff-invitation-resend": Route(roles=CASE, scope="portal_invitation", ok=302),
    "portal:staff-invitation-withdraw": Route(roles=CASE, scope="portal_invitation", ok=302),
    "portal:join": Route(public=True, scope="bad_token"),
    "portal:helper-join": Route(public=True, scope="bad_token"),
    "email_link:start": Route(public=True, redirects=ALL_ROLES),
    "email_link:sent": Route(public=True),
    "email_link:use": Route(public=True, scope="bad_token"),
    # --- helper-access ---
    # Break-glass: any case worker may ask (the form finds nobody without all three details).
    "people:break-glass": Route(roles=CASE),
    "people:break-glass-uses": Route(roles=MANAGER),
    # Restricted records: administrators (information governance) reach any person's record.
    "restrictions:list": Route(roles=ADMIN),
    "restrictions:person": Route(roles=ADMIN, scope="person", any_person=True),
    "portal:who-looked": Route(roles=PORTAL_RECORD, scope="person"),
    # --- helper-retention ---
    "retention:due": Route(roles=ADMIN),
    # Any person's record (not due: the page says so and offers no button).
    "retention:anonymise": Route(roles=ADMIN, scope="person", any_person=True),
    # --- helper-whatif ---
    # RAS drafts and what-if: commissioners and administrators; only administrators publish.
    "budgets:ras-drafts": Route(roles=RAS_MODELLERS),
    "budgets:ras-draft-new": Route(roles=RAS_MODELLERS),
    "budgets:ras-draft": Route(roles=RAS_MODELLERS, scope="ras_draft"),
    "budgets:ras-draft-whatif": Route(roles=RAS_MODELLERS, scope="ras_draft"),
    "budgets:ras-draft-delete": Route(roles=RAS_MODELLERS, scope="ras_draft"),
    "budgets:ras-draft-publish": Route(roles=ADMIN, scope="ras_draft"),
}

# Who has a legitimate relationship with which person, written out by hand.
USERS_AND_RELATIONSHIPS: dict[str, set[str]] = {
    "allocated_worker": {"person"},
    "team_a_worker": {"person"},
    "team_manager": {"person"},
    "worker_other_team": {"other_person"},
    "manager_other_team": {"other_person"},
    "panel_member": set(),
    "commissioner": set(),
    "administrator": set(),
    "the_person": {"person"},
    "representative": {"person"},
    "representative_of_other": {"other_person"},
    "non_representative_contact": set(),
    "plan_helper": set(),
    "stranger": set(),
}


# The JSON API signs in with bearer tokens, not the session these pages use: every operation is
# walked for every role in tests/api/test_access.py instead.
API_NAMESPACE = "api"


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == API_NAMESPACE and not namespace:
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                names.add(f"{namespace}{pattern.name}")
            else:
                names.add(f"{namespace}<unnamed {pattern.pattern}>")

    walk(get_resolver().url_patterns)
    return names


def test_every_route_is_covered() -> None:
    assert _route_names() == set(ROUTES), "add new URL patterns to ROUTES in this test"


def _portal_invitation(person: Person, worker: User) -> int:
    """--- helper-portal --- an invitation made directly: only its id is in the URL."""
    now = timezone.now()
    return PortalInvitation.objects.create(
        person=person,
        email="invited@example.org",
        token_hash=token_hash(new_token()),
        invited_by=worker,
        created_at=now,
        expires_at=now + datetime.timedelta(days=7),
    ).pk


def _urls(world: World, name: str, route: Route) -> list[tuple[str, str]]:
    """(URL, the person it names or "") for each object the route can name."""
    if route.scope == "person":
        return [
            (reverse(name, args=[world.person.pk]), "person"),
            (reverse(name, args=[world.other_person.pk]), "other_person"),
        ]
    if route.scope == "circle":
        return [
            (
                reverse(name, args=[p.pk, p.relationships.order_by("pk").first().pk]),
                label,
            )
            for p, label in ((world.person, "person"), (world.other_person, "other_person"))
        ]
    if route.scope in {"open_assessment", "done_assessment"}:
        mine = world.open_assessment if route.scope == "open_assessment" else world.done_assessment
        other = (
            world.other_open_assessment
            if route.scope == "open_assessment"
            else world.other_done_assessment
        )
        return [
            (reverse(name, args=[mine.pk]), "person"),
            (reverse(name, args=[other.pk]), "other_person"),
        ]
    if route.scope == "plan":
        return [
            (reverse(name, args=[world.plan.pk]), "person"),
            (reverse(name, args=[world.other_plan.pk]), "other_person"),
        ]
    if route.scope == "contact":
        return [
            (reverse(name, args=[world.contact.pk]), "person"),
            (reverse(name, args=[world.other_contact.pk]), "other_person"),
        ]
    if route.scope == "review":
        return [
            (reverse(name, args=[world.review.pk]), "person"),
            (reverse(name, args=[world.other_review.pk]), "other_person"),
        ]
    if route.scope == "peer_link":
        return [
            (reverse(name, args=[world.peer_link.pk]), "person"),
            (reverse(name, args=[world.other_peer_link.pk]), "other_person"),
        ]
    if route.scope == "theme":
        return [(reverse(name, args=[LearningTheme.objects.order_by("pk").first().pk]), "")]
    if route.scope in {"token", "bad_token"}:
        # No valid link: a helper gets 404, whoever they are.
        return [(reverse(name, args=["not-a-real-invitation"]), "nobody")]
    if route.scope == "portal_invitation":
        # --- helper-portal --- an open invitation to the portal for each person
        mine = _portal_invitation(world.person, world.allocated_worker)
        other = _portal_invitation(world.other_person, world.worker_other_team)
        return [
            (reverse(name, args=[mine]), "person"),
            (reverse(name, args=[other]), "other_person"),
        ]
    if route.scope == "worker":
        return [
            (reverse(name, args=[world.allocated_worker.pk]), "person"),
            (reverse(name, args=[world.worker_other_team.pk]), "other_person"),
        ]
    if route.scope == "staff":
        return [(reverse(name, args=[world.team_a_worker.pk]), "")]
    if route.scope == "team":
        return [(reverse(name, args=[world.team_a.pk]), "")]
    if route.scope == "import_batch":
        batch = legacy_services.batch_create(actor=world.administrator, uploads=[])
        return [(reverse(name, args=[batch.pk]), "")]
    if route.scope == "ras_draft":  # --- helper-whatif ---
        draft = budgets_services.ras_draft_start(actor=world.administrator, name="Matrix")
        return [(reverse(name, args=[draft.pk]), "")]
    if route.scope == "cld_export":
        run = returns_services.export_request(
            actor=world.administrator, period_end=datetime.date.today()
        )
        returns_services.export_run(run.pk)
        return [(reverse(name, args=[run.pk]), "")]
    return [(reverse(name), "")]


def _expected(route: Route, user_key: str | None, role: Role | None, target: str) -> int:
    if route.scope == "bad_token":
        return 404  # a link that is wrong, used or expired shows nothing, to anyone
    if user_key is None:
        if route.public:
            return 405 if route.post_only else 200
        return 302
    assert role is not None
    if role in route.redirects:
        return 302
    if route.public:
        return 405 if route.post_only else 200
    if role not in route.roles:
        return 403
    related = USERS_AND_RELATIONSHIPS[user_key]
    if route.scope == "plan" and user_key == "plan_helper":
        related = {"person"}  # invited to world.person's plan, and only that
    if route.any_person:
        related = {"person", "other_person"}
    if target and target not in related:
        return 404
    return route.ok


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_for_every_role_and_relationship(world: World, name: str) -> None:
    route = ROUTES[name]
    failures: list[str] = []
    users: list[tuple[str | None, object]] = [(None, None)] + [
        (key, getattr(world, key)) for key in USERS_AND_RELATIONSHIPS
    ]
    for url, target in _urls(world, name, route):
        for key, user in users:
            client = world.client_for(user)  # type: ignore[arg-type]
            role = getattr(user, "role", None)
            expected = _expected(route, key, role, target)
            got = client.get(url).status_code
            if got != expected:
                failures.append(f"GET {url} as {key or 'anonymous'}: {got}, expected {expected}")
            refused = expected in (302, 403, 404) and (key is None or expected != route.ok)
            if refused:
                # A refused user must not be able to write either.
                before = AuditEvent.objects.count()
                posted = client.post(url, {}).status_code
                if posted != expected:
                    failures.append(
                        f"POST {url} as {key or 'anonymous'}: {posted}, expected {expected}"
                    )
                if AuditEvent.objects.count() != before and expected != 403:
                    failures.append(f"POST {url} as {key or 'anonymous'} wrote an audit event")
    assert not failures, "\n".join(failures)


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    response = world.client_for(None).get(reverse("people:detail", args=[world.person.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_circle_member_of_another_person_is_not_found(world: World) -> None:
    """The relationship id must belong to the person in the URL."""
    other = world.other_person.relationships.first()
    url = reverse("people:circle-edit", args=[world.person.pk, other.pk])
    assert world.client_for(world.allocated_worker).get(url).status_code == 404
    url = reverse("people:circle-remove", args=[world.person.pk, other.pk])
    assert world.client_for(world.allocated_worker).post(url).status_code == 404
    assert world.other_person.relationships.filter(pk=other.pk).exists()


def test_unknown_person_is_not_found(world: World) -> None:
    url = reverse("people:detail", args=[999999])
    assert world.client_for(world.allocated_worker).get(url).status_code == 404


def test_people_list_shows_only_related_people(world: World) -> None:
    response = world.client_for(world.worker_other_team).get(reverse("people:list"))
    assert world.other_person.last_name in response.content.decode()
    assert world.person.last_name not in response.content.decode()
    response = world.client_for(world.representative).get(reverse("portal:home"))
    content = response.content.decode()
    assert world.person.full_name in content and world.other_person.full_name not in content
