from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.text import capfirst

from selfdirect.accounts.models import STAFF_ROLES, User
from selfdirect.core import field_register, field_usage
from selfdirect.workforce.models import Team


def staff_list(*, team_id: int | None = None) -> QuerySet[User]:
    staff = User.objects.filter(role__in=STAFF_ROLES).select_related("team")
    if team_id is not None:
        staff = staff.filter(team_id=team_id)
    return staff.order_by("last_name", "first_name", "id")


def staff_get(*, user_id: int) -> User:
    user = User.objects.filter(pk=user_id, role__in=STAFF_ROLES).select_related("team").first()
    if user is None:
        raise Http404("No such member of staff")
    return user


def team_list() -> QuerySet[Team]:
    return Team.objects.annotate(member_count=Count("members", distinct=True)).order_by("name")


def team_get(*, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    return team


@dataclass(frozen=True)
class FieldRow:
    name: str  # the field's name in the code, e.g. "date_of_birth"
    label: str  # e.g. "Date of birth"
    model_label: str  # e.g. "Person"
    purposes: tuple[str, ...]  # plain-English labels; empty if none is declared
    outputs: tuple[str, ...]  # plain-English labels; empty if nothing uses it
    why: str
    holding: int  # records holding a value


@dataclass(frozen=True)
class ModelFields:
    label: str
    records: int
    rows: tuple[FieldRow, ...]


_UNDECLARED = field_register.Entry(purposes=(), why="")


ValueCounts = dict[str, tuple[int, dict[str, int]]]


def field_value_counts() -> ValueCounts:
    """For each model holding data about a person ("app_label.ModelName"), how many records it
    has and how many hold a value in each field: one aggregate query per model, each reading
    the whole table."""
    return {
        model._meta.label: field_usage.value_counts(model)
        for model in field_usage.person_data_models()
    }


def field_register_report(*, counts: ValueCounts | None = None) -> list[ModelFields]:
    """Every field held about a person, by model, with its purposes, the outputs that use it
    and how many records hold a value (from COUNTS, worked out now if not given). A model or
    field missing from COUNTS shows no records."""
    if counts is None:
        counts = field_value_counts()
    report = []
    for model in field_usage.person_data_models():
        records, holding = counts.get(model._meta.label, (0, {}))
        model_label = str(capfirst(model._meta.verbose_name))
        rows = []
        for field in field_usage.fields_of(model):
            key = f"{model._meta.app_label}.{model.__name__}.{field.name}"
            # A field added without an entry shows as "no purpose given" (and fails the tests).
            entry = field_register.REGISTER.get(key, _UNDECLARED)
            rows.append(
                FieldRow(
                    name=field.name,
                    label=capfirst(str(field.verbose_name)),
                    model_label=model_label,
                    purposes=tuple(field_register.purpose_label(p) for p in entry.purposes),
                    outputs=tuple(field_register.output_label(o) for o in entry.used_by),
                    why=entry.why,
                    holding=holding.get(field.name, 0),
                )
            )
        report.append(ModelFields(label=model_label, records=records, rows=tuple(rows)))
    return report
