from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from selfdirect.assessments.outcomes import MET_BY_OTHERS, RISK_LEVELS
from selfdirect.budgets.models import FundingStream
from selfdirect.budgets.ras import RasConfig, RasTable


def money(label: str, *, help_text: str = "", max_value: str = "100000") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal("0"),
        max_value=Decimal(max_value),
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be an amount in pounds, like 45.50",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be £{max_value} or less",
            "max_decimal_places": f"{label} can have no more than 2 decimal places",
        },
    )


class StreamForm(forms.Form):
    stream = forms.ChoiceField(
        label="Funding stream",
        choices=[
            (
                FundingStream.PERSONAL_HEALTH_BUDGET.value,
                FundingStream.PERSONAL_HEALTH_BUDGET.label,
            ),
            (FundingStream.CARERS_BUDGET.value, FundingStream.CARERS_BUDGET.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the funding stream"},
    )
    weekly = money("Amount a week", max_value="10000")
    note = forms.CharField(
        label="Where it comes from (optional)",
        max_length=300,
        required=False,
        help_text="For example: NHS continuing healthcare, agreed by the integrated care board",
    )


class RasForm(forms.Form):
    """A new RAS version: every number of both tables, prefilled from the current version."""

    version = forms.CharField(
        label="Version name",
        max_length=40,
        help_text="For example 2027.1. It is shown on every budget priced with it.",
        error_messages={"required": "Enter a name for the new version"},
    )
    note = forms.CharField(
        label="What changed, and why",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what changed and why"},
    )
    range_low = forms.DecimalField(
        label="Bottom of the range, as a share of the budget",
        help_text="For example 0.85 means the final budget may be 15% lower",
        min_value=Decimal("0"),
        max_value=Decimal("1"),
        decimal_places=2,
        error_messages={"invalid": "Enter a number like 0.85"},
    )
    range_high = forms.DecimalField(
        label="Top of the range, as a share of the budget",
        help_text="For example 1.25 means the final budget may be 25% higher",
        min_value=Decimal("1"),
        max_value=Decimal("5"),
        decimal_places=2,
        error_messages={"invalid": "Enter a number like 1.25"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for table, who in (("adult", "needs assessments"), ("carer", "carers' assessments")):
            for risk, label in RISK_LEVELS:
                self.fields[f"{table}-points-{risk}"] = forms.IntegerField(
                    label=f"{label} risk: points ({who})",
                    min_value=0,
                    max_value=1000,
                    error_messages={"invalid": "Points must be a whole number"},
                )
            for met, label in MET_BY_OTHERS:
                self.fields[f"{table}-share-{met}"] = forms.DecimalField(
                    label=f"Share still unmet when others meet {label.lower()} ({who})",
                    min_value=Decimal("0"),
                    max_value=Decimal("1"),
                    decimal_places=2,
                    error_messages={"invalid": "Enter a share between 0 and 1, like 0.6"},
                )
            self.fields[f"{table}-price"] = money(
                f"Price per point a week ({who})", max_value="1000"
            )

    def table_fields(self, table: str) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(f"{table}-")]

    @property
    def adult_fields(self) -> list[forms.BoundField]:
        return self.table_fields("adult")

    @property
    def carer_fields(self) -> list[forms.BoundField]:
        return self.table_fields("carer")

    @staticmethod
    def initial_from(config: RasConfig) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "range_low": config.range_low,
            "range_high": config.range_high,
        }
        for name, table in (("adult", config.adult), ("carer", config.carer)):
            for risk, points in table.points.items():
                initial[f"{name}-points-{risk}"] = points
            for met, share in table.unmet_share.items():
                initial[f"{name}-share-{met}"] = share
            initial[f"{name}-price"] = table.price_per_point
        return initial

    def config(self, weeks_per_year: Decimal) -> RasConfig:
        data = self.cleaned_data

        def table(name: str) -> RasTable:
            return RasTable(
                points={risk: data[f"{name}-points-{risk}"] for risk, _ in RISK_LEVELS},
                unmet_share={met: data[f"{name}-share-{met}"] for met, _ in MET_BY_OTHERS},
                price_per_point=data[f"{name}-price"],
            )

        return RasConfig(
            version=data["version"].strip(),
            adult=table("adult"),
            carer=table("carer"),
            range_low=data["range_low"],
            range_high=data["range_high"],
            weeks_per_year=weeks_per_year,
        )


class RasDraftStartForm(forms.Form):
    name = forms.CharField(
        label="Name this draft",
        max_length=100,
        help_text="Something your colleagues will recognise, like “Price per point £6.50”",
        error_messages={"required": "Enter a name for the draft"},
    )


class RasDraftForm(RasForm):
    """A draft RAS: the same numbers as a new version, and the same checks
    (ras.validate_config, in services.ras_draft_save), so a draft is always fit to publish."""

    name = forms.CharField(
        label="Name of the draft",
        max_length=100,
        error_messages={"required": "Enter a name for the draft"},
    )
    # The draft's version when the form was shown: a stale one means someone else saved.
    draft_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].label = "Version name if it is published"
        self.fields[
            "version"
        ].help_text = "For example 2027.1. It must not be the name of a version already published."
        self.fields["note"].label = "What this draft changes, and why"
        self.fields["note"].help_text = "If it is published, this is shown as what changed"
        self.fields["note"].error_messages["required"] = "Say what this draft changes and why"
