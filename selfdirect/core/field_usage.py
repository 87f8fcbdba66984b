"""Which fields hold data about a person, and how many records hold a value in each.

The register of purposes itself is pure (core/field_register.py); this module asks Django
which models and fields exist, so that a new field cannot slip in without a purpose.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Count, Q
from simple_history.models import HistoricalChanges

PACKAGE = "selfdirect"
PERSON_MODEL = "people.Person"


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _selfdirect_models() -> list[type[models.Model]]:
    """Concrete models of our own apps; django-simple-history's copies are left out, because
    they mirror a model that is already in the list."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith(f"{PACKAGE}.")
        for model in config.get_models()
        if not model._meta.abstract
        and not model._meta.proxy
        and not issubclass(model, HistoricalChanges)
    ]


def _reaches_person(model: type[models.Model], seen: frozenset[str] = frozenset()) -> bool:
    """Whether MODEL is Person or points at it through a chain of foreign keys."""
    label = _label(model)
    if label == PERSON_MODEL:
        return True
    if label in seen:
        return False
    for field in model._meta.concrete_fields:
        target = field.related_model
        if (
            (field.many_to_one or field.one_to_one)
            and target is not None
            and not isinstance(target, str)
            and _reaches_person(target, seen | {label})
        ):
            return True
    return False


def person_data_models() -> list[type[models.Model]]:
    """Person, and every model of ours that reaches Person through foreign keys."""
    return [model for model in _selfdirect_models() if _reaches_person(model)]


def fields_of(model: type[models.Model]) -> list[models.Field[object, object]]:
    """MODEL's concrete fields, foreign keys included, without the automatic primary key."""
    return [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField))
    ]


def person_data_fields() -> list[str]:
    """Every field holding data about a person, as "app_label.ModelName.field_name"."""
    return [
        f"{_label(model)}.{field.name}"
        for model in person_data_models()
        for field in fields_of(model)
    ]


def _holds_a_value(field: models.Field[object, object]) -> Q | None:
    """What "holds a value" means beyond not null: text not blank, a list or dict not empty."""
    if isinstance(field, models.CharField | models.TextField):
        return ~Q(**{field.name: ""})
    if isinstance(field, models.JSONField):
        empty = field.get_default()
        if empty in ([], {}):
            return ~Q(**{field.name: empty})
    return None


def value_counts(model: type[models.Model]) -> tuple[int, dict[str, int]]:
    """How many records MODEL has, and how many hold a value in each field.

    One aggregate query per model, never a loop over rows.
    """
    aggregates: dict[str, Count] = {"records": Count("pk")}
    for field in fields_of(model):
        aggregates[f"n_{field.name}"] = Count(field.name, filter=_holds_a_value(field))
    counts = model._default_manager.aggregate(**aggregates)
    records = counts.pop("records") or 0
    return records, {key.removeprefix("n_"): value or 0 for key, value in counts.items()}
