"""The completeness guard: a subject access file must hold everything held about the person.

Every model of ours that reaches people.Person through foreign keys (directly, or through an
assessment, plan, review or contribution) must be in a section of the collector or in its
explicit EXCLUDED_MODELS list with a reason. A new model fails here until someone decides.
For a person with a full history, each of those models' rows for the person appear in the file
(no more, no fewer), with every field except the secrets and counters collect.py names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalChanges

from selfdirect.subject_access.collect import (
    EXCLUDED_MODELS,
    NOT_INFORMATION,
    SECRET_FIELDS,
    SECTIONS,
    collect,
)
from tests.conftest import World
from tests.subject_access.conftest import History

PERSON = "people.Person"


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _our_models() -> list[type[models.Model]]:
    """Every concrete model in the selfdirect apps, django-simple-history's copies included."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("selfdirect.")
        for model in config.get_models()
        if not model._meta.abstract and not model._meta.proxy
    ]


def reaches_person(model: type[models.Model], seen: frozenset[str] = frozenset()) -> bool:
    """Whether MODEL is Person, points at it through a chain of foreign keys, or is the
    row history of such a model (HistoricalPerson keeps the person's id as a plain number)."""
    label = _label(model)
    if label == PERSON:
        return True
    if label in seen:
        return False
    if issubclass(model, HistoricalChanges) and reaches_person(
        model.instance_type,  # type: ignore[attr-defined]
        seen | {label},
    ):
        return True
    for field in model._meta.concrete_fields:
        target = field.related_model
        if (
            (field.many_to_one or field.one_to_one)
            and target is not None
            and not isinstance(target, str)
            and reaches_person(target, seen | {label})
        ):
            return True
    return False


def models_about_a_person() -> set[str]:
    return {_label(model) for model in _our_models() if reaches_person(model)}


COVERED = {label for section in SECTIONS for label in section.models}


def uncovered(about: set[str], covered: set[str], excluded: set[str]) -> list[str]:
    return sorted(about - covered - excluded)


def test_every_model_about_a_person_is_collected_or_excluded() -> None:
    missing = uncovered(models_about_a_person(), COVERED, set(EXCLUDED_MODELS))
    assert missing == [], (
        "Collect these in selfdirect/subject_access/collect.py (a section, or a list inside "
        f"one), or add them to EXCLUDED_MODELS with the reason: {missing}"
    )


def test_the_guard_finds_links_through_other_records() -> None:
    about = models_about_a_person()
    assert {
        "people.Person",
        "assessments.OutcomeJudgement",  # through an assessment
        "plans.PlanItem",  # through a plan
        "reviews.ReviewPoint",  # through a contribution and a review
        "audit.AuditEvent",
        "people.HistoricalPerson",  # row history, by the person's id
    } <= about
    assert not about & {"accounts.User", "workforce.Team", "budgets.RasVersion"}
    # Taking a model out of the sections would be caught.
    assert uncovered(about, COVERED - {"reviews.ReviewPoint"}, set(EXCLUDED_MODELS)) == [
        "reviews.ReviewPoint"
    ]


def test_lists_name_real_models_and_do_not_overlap() -> None:
    about = models_about_a_person()
    assert not COVERED - about, COVERED - about
    assert not set(EXCLUDED_MODELS) - about, set(EXCLUDED_MODELS) - about
    assert not COVERED & set(EXCLUDED_MODELS)
    assert all(reason.strip() for reason in EXCLUDED_MODELS.values())
    for key in SECRET_FIELDS | NOT_INFORMATION:
        app_model, field_name = key.rsplit(".", 1)
        apps.get_model(app_model)._meta.get_field(field_name)


def test_fields_that_look_secret_are_never_output() -> None:
    """A new token, hash or password field must be listed in SECRET_FIELDS (or renamed), or in
    NOT_INFORMATION when it is no secret but says nothing about the person (the audit chain)."""
    suspicious = {
        f"{_label(model)}.{field.name}"
        for model in _our_models()
        if _label(model) in COVERED
        for field in model._meta.concrete_fields
        if any(word in field.name for word in ("token", "hash", "password", "secret"))
    }
    allowed = SECRET_FIELDS | NOT_INFORMATION
    assert suspicious <= allowed, suspicious - allowed


# Where each model's rows for a person are in the database, and in the file.
Data = dict[str, Any]
LOCATE: dict[str, tuple[Callable[[int], Q], Callable[[Data], list[Data]]]] = {
    "people.Person": (lambda pk: Q(pk=pk), lambda d: d["person"]),
    "assessments.Contact": (lambda pk: Q(person=pk), lambda d: d["requests_for_support"]),
    "assessments.StoryEntry": (lambda pk: Q(person=pk), lambda d: d["story"]),
    "assessments.Assessment": (lambda pk: Q(person=pk), lambda d: d["assessments"]),
    "assessments.OutcomeJudgement": (
        lambda pk: Q(assessment__person=pk),
        lambda d: [j for a in d["assessments"] for j in a["judgements"]],
    ),
    "assessments.CapacityRecord": (lambda pk: Q(person=pk), lambda d: d["capacity"]),
    "budgets.IndicativeBudget": (lambda pk: Q(person=pk), lambda d: d["budgets"]),
    "budgets.BudgetStream": (
        lambda pk: Q(budget__person=pk),
        lambda d: [s for b in d["budgets"] for s in b["streams"]],
    ),
    "plans.Plan": (lambda pk: Q(person=pk), lambda d: d["plans"]),
    "plans.PlanItem": (
        lambda pk: Q(plan__person=pk),
        lambda d: [i for p in d["plans"] for i in p["items"]],
    ),
    "plans.PlanDecision": (
        lambda pk: Q(plan__person=pk),
        lambda d: [p["decision"] for p in d["plans"] if p["decision"]],
    ),
    "plans.PlanInvitation": (
        lambda pk: Q(plan__person=pk),
        lambda d: [i for p in d["plans"] for i in p["invitations"]],
    ),
    "support.Service": (lambda pk: Q(person=pk), lambda d: d["services"]),
    "support.DirectPayment": (lambda pk: Q(person=pk), lambda d: d["direct_payments"]),
    "support.ScheduledReview": (lambda pk: Q(person=pk), lambda d: d["reviews_due"]),
    "reviews.Review": (lambda pk: Q(person=pk), lambda d: d["reviews"]),
    "reviews.ReviewContribution": (
        lambda pk: Q(review__person=pk),
        lambda d: [c for r in d["reviews"] for c in r["contributions"]],
    ),
    "reviews.ReviewPoint": (
        lambda pk: Q(contribution__review__person=pk),
        lambda d: [p for r in d["reviews"] for c in r["contributions"] for p in c["points"]],
    ),
    "reviews.ReviewOutcome": (
        lambda pk: Q(review__person=pk),
        lambda d: [o for r in d["reviews"] for o in r["outcomes"]],
    ),
    "reviews.ReviewInvitation": (
        lambda pk: Q(review__person=pk),
        lambda d: [i for r in d["reviews"] for i in r["invitations"]],
    ),
    "people.Relationship": (lambda pk: Q(person=pk), lambda d: d["circle_of_support"]),
    "people.NamedWorkerAllocation": (lambda pk: Q(person=pk), lambda d: d["named_workers"]),
    "people.CrisisEvent": (lambda pk: Q(person=pk), lambda d: d["crises"]),
    "reviews.PeerSupporter": (lambda pk: Q(person=pk), lambda d: d["peer_register"]),
    "reviews.PeerLink": (lambda pk: Q(person=pk) | Q(peer=pk), lambda d: d["peer_links"]),
    "audit.AuditEvent": (lambda pk: Q(person=pk), lambda d: d["audit"]),
}

# Fields a record leaves out on purpose, beyond secrets and counters: the link to the record it
# sits inside (it is nested there), and those shown another way.
LEFT_OUT: dict[str, set[str]] = {
    "people.Person": {"portal_user"},  # as "portal_account", with the account's details
    "assessments.OutcomeJudgement": {"assessment"},
    "budgets.BudgetStream": {"budget"},
    "plans.Plan": {"route_approver_ids"},  # as "route_approvers", by name
    "plans.PlanItem": {"plan"},
    "plans.PlanDecision": {"plan"},
    "plans.PlanInvitation": {"plan"},
    "reviews.ReviewContribution": {"review"},
    "reviews.ReviewPoint": {"contribution"},
    "reviews.ReviewOutcome": {"review"},
    "reviews.ReviewInvitation": {"review"},
    "audit.AuditEvent": {"actor"},  # actor_label, written with the event, is given
}
# Written from the person's side only, by hand (collect._peer_link): not checked field by field.
HAND_WRITTEN = {"reviews.PeerLink"}


def test_locations_cover_every_collected_model() -> None:
    assert set(LOCATE) == COVERED


def test_every_row_and_field_is_in_the_file(world: World, history: History) -> None:
    person = history.person
    data = collect(person=person, produced_by=None, reason="Check")["sections"]
    problems: list[str] = []
    for label, (in_db, in_file) in LOCATE.items():
        model = apps.get_model(label)
        db_ids = set(model._default_manager.filter(in_db(person.pk)).values_list("pk", flat=True))
        records = in_file(data)
        if not db_ids:
            problems.append(f"{label}: the test history has none; add one to conftest.history")
        if {r["id"] for r in records} != db_ids or len(records) != len(db_ids):
            problems.append(f"{label}: file has {[r['id'] for r in records]}, db {db_ids}")
        if label in HAND_WRITTEN:
            continue
        for field in model._meta.concrete_fields:
            key = f"{label}.{field.name}"
            related = field.related_model
            if (
                key in SECRET_FIELDS
                or key in NOT_INFORMATION
                or field.name in LEFT_OUT.get(label, set())
                or (related is not None and _label(related) == PERSON)  # the person themself
            ):
                continue
            names = {"id"} if field.primary_key else {field.name, f"{field.name}_id"}
            if not all(names & set(record) for record in records):
                problems.append(f"{key} is not in the file")
    assert problems == [], "\n".join(problems)


def test_secrets_are_never_output(world: World, history: History) -> None:
    from selfdirect.plans.models import PlanInvitation
    from selfdirect.reviews.models import ReviewInvitation

    text = json.dumps(collect(person=history.person, produced_by=None, reason="Check"))
    hashes = [
        *PlanInvitation.objects.filter(plan__person=history.person).values_list(
            "token_hash", flat=True
        ),
        *ReviewInvitation.objects.filter(review__person=history.person).values_list(
            "token_hash", flat=True
        ),
    ]
    assert len(hashes) >= 2
    for value in hashes:
        assert value not in text
    assert "token_hash" not in text
