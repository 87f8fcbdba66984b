"""Every operation added for budgets, plans, services, reviews and the CLD return, for every
role in `world`, with and without a relationship to the person (like tests/test_access_matrix.py
for the pages). The expectations are written out by hand, not read from the rules modules.

A role that never does this: 403. No relationship with the person: 404, and nothing is written,
not even an audit event. Anonymous: 401.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from selfdirect.audit.models import AuditEvent
from selfdirect.plans.models import Plan
from selfdirect.returns import services as returns_services
from selfdirect.returns.cld_map import last_quarter_end
from tests.api.conftest import ApiClient
from tests.conftest import World

CASE = {"allocated_worker", "team_a_worker", "team_manager", "worker_other_team"}
CASE |= {"manager_other_team"}
PORTAL_RECORD = {"the_person", "representative", "representative_of_other"}
PORTAL_RECORD |= {"non_representative_contact", "stranger"}
EVERYONE = CASE | PORTAL_RECORD | {"panel_member", "commissioner", "administrator"}
EVERYONE |= {"plan_helper"}

# Who has a relationship with world.person (the "person" target) and world.other_person.
RELATED = {
    "person": {"allocated_worker", "team_a_worker", "team_manager", "the_person", "representative"},
    "other_person": {"worker_other_team", "manager_other_team", "representative_of_other"},
}


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # {id} is filled with the target's object
    scope: str  # person | plan | review | cld | none
    roles: set[str] = field(default_factory=lambda: set(EVERYONE))
    ok: int = 200  # what a related user of an allowed role gets
    body: Callable[[World, Any], Any] | None = None
    # Users related to world.person's object beyond RELATED (the invited plan helper).
    extra: set[str] = field(default_factory=set)


def _quarter_end() -> datetime.date:
    return last_quarter_end(timezone.localdate())


def _save_body(world: World, plan: Any) -> dict[str, Any]:
    current = Plan.objects.get(pk=plan.pk)
    return {"version": current.version, "what_i_want": "To get out more", "items": []}


OPS = [
    Op("GET", "/people/{id}/budget", "person"),
    Op("GET", "/people/{id}/services", "person"),
    Op("POST", "/people/{id}/plans", "person", roles=CASE | PORTAL_RECORD),
    Op("GET", "/plans/{id}", "plan", extra={"plan_helper"}),
    Op(
        "PUT",
        "/plans/{id}",
        "plan",
        roles=CASE | PORTAL_RECORD | {"plan_helper"},
        body=_save_body,
        extra={"plan_helper"},
    ),
    # world.plan has nothing in it yet, so it cannot be sent: 409 shows the call got through.
    Op(
        "POST",
        "/plans/{id}/submit",
        "plan",
        roles=CASE | PORTAL_RECORD | {"plan_helper"},
        ok=409,
        body=lambda world, plan: {"version": 1},
        extra={"plan_helper"},
    ),
    # A draft is not waiting for a decision (409); the panel sees only plans sent to it (404).
    Op(
        "POST",
        "/plans/{id}/decision",
        "plan",
        roles=CASE | {"panel_member"},
        ok=409,
        body=lambda world, plan: {"approved": True, "explanation": "Fine"},
    ),
    # An open review is returned as it is (200).
    Op("POST", "/people/{id}/reviews", "person", roles=CASE, body=lambda world, _: {}),
    Op("GET", "/reviews/{id}", "review"),
    # No outcomes given: 422 shows the call got through without completing the review.
    Op(
        "POST",
        "/reviews/{id}/complete",
        "review",
        roles=CASE,
        ok=422,
        body=lambda world, _: {"method": "remote", "outcomes": [], "decision": "carry_on"},
    ),
    Op(
        "POST",
        "/returns/cld",
        "none",
        roles={"administrator"},
        ok=201,
        body=lambda world, _: {"period_end": _quarter_end().isoformat()},
    ),
    Op("GET", "/returns/cld/{id}", "cld", roles={"administrator"}),
    # Queued, not made (the job starts when a transaction commits; tests never commit): 409.
    Op("GET", "/returns/cld/{id}/file", "cld", roles={"administrator"}, ok=409),
]


def _targets(world: World, op: Op, run_id: int) -> list[tuple[str, Any]]:
    if op.scope == "person":
        return [("person", world.person), ("other_person", world.other_person)]
    if op.scope == "plan":
        return [("person", world.plan), ("other_person", world.other_plan)]
    if op.scope == "review":
        return [("person", world.review), ("other_person", world.other_review)]
    if op.scope == "cld":
        return [("", run_id)]
    return [("", None)]


def _expected(op: Op, user: str | None, target: str) -> int:
    if user is None:
        return 401
    if user not in op.roles:
        return 403
    related = RELATED.get(target, set()) | (op.extra if target == "person" else set())
    if target and user not in related:
        return 404
    return op.ok


@pytest.mark.parametrize("op", OPS, ids=lambda op: f"{op.method} {op.path}")
def test_every_operation_for_every_role(
    world: World, api_as: Callable[..., ApiClient], op: Op
) -> None:
    run = returns_services.export_request(actor=world.administrator, period_end=_quarter_end())
    failures = []
    for key in [None, *sorted(EVERYONE)]:
        client = api_as(getattr(world, key) if key else None)
        for target, obj in _targets(world, op, run.pk):
            ident = obj if isinstance(obj, int) else getattr(obj, "pk", "")
            path = op.path.replace("{id}", str(ident))
            body = op.body(world, obj) if op.body else None
            if op.method != "GET" and body is None:
                body = {}
            before = AuditEvent.objects.count()
            response = client.call(op.method, path, body)
            expected = _expected(op, key, target)
            if response.status_code != expected:
                failures.append(
                    f"{op.method} {path} as {key or 'anonymous'}: "
                    f"{response.status_code}, expected {expected}: {response.content[:200]!r}"
                )
            elif expected in (401, 403, 404) and AuditEvent.objects.count() != before:
                failures.append(f"{op.method} {path} as {key}: refused, but wrote an audit event")
            elif expected not in (401, 403, 404) and AuditEvent.objects.count() == before:
                failures.append(f"{op.method} {path} as {key}: not audited")
    assert not failures, "\n".join(failures)
