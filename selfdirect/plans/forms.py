from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from selfdirect.plans import published
from selfdirect.plans.costs import MAX_UNITS, PERIODS, UNITS
from selfdirect.plans.models import HelperKind, Management, PlanAuthor, ProviderKind
from selfdirect.plans.services import ItemInput


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    what_i_want = forms.CharField(
        label="What I want to achieve",
        help_text="In your own words: what a good life looks like, and what you want to change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    who_helps = forms.CharField(
        label="Who helps me",
        help_text="Family, friends, neighbours, groups, and anyone paid",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    if_things_go_wrong = forms.CharField(
        label="What happens if things go wrong",
        help_text="For example, if a personal assistant is ill, or a carer cannot come",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    management = forms.ChoiceField(
        label="How the money will be managed",
        choices=Management.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the money will be managed"},
    )
    interim = forms.BooleanField(
        label="This is an interim plan",
        required=False,
        help_text="A simple plan to get started; you can add detail later",
    )
    written_by = forms.ChoiceField(
        label="Who mainly wrote this plan?",
        help_text="Asked when the plan is sent. If you leave it, we go by who sends it.",
        choices=PlanAuthor.choices,
        required=False,
        widget=forms.RadioSelect,
    )


class ItemForm(forms.Form):
    what = forms.CharField(
        label="What the money pays for",
        max_length=200,
        help_text="For example: a personal assistant to help me get up and go out",
        error_messages={"required": "Say what the money pays for"},
    )
    provider_kind = forms.ChoiceField(
        label="Who provides it",
        choices=ProviderKind.choices,
        error_messages={"required": "Choose who provides it"},
    )
    provider_name = forms.CharField(label="Their name (optional)", max_length=200, required=False)
    unit_cost = forms.DecimalField(
        label="Cost, in pounds",
        help_text="For example 16.50 for an hour, or 40 for the whole thing",
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the cost",
            "invalid": "Cost must be an amount in pounds, like 16.50",
            "min_value": "Cost must be £0 or more",
            "max_value": "Cost must be less than £100,000",
            "max_decimal_places": "Cost can have no more than 2 decimal places",
        },
    )
    unit = forms.ChoiceField(label="Per", choices=UNITS, initial="hour")
    units = forms.DecimalField(
        label="How many",
        help_text="For example 10 (hours)",
        min_value=Decimal("0.01"),
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how many",
            "invalid": "How many must be a number, like 10",
            "min_value": "How many must be more than 0",
            "max_decimal_places": "How many can have no more than 2 decimal places",
        },
    )
    per = forms.ChoiceField(label="How often", choices=PERIODS)
    management = forms.ChoiceField(
        label="How this is paid for (if it is a mix)",
        choices=[("", "Same as the plan"), *Management.choices[:-1]],
        required=False,
    )

    def has_changed(self) -> bool:
        # A blank row still sends its drop-downs' first options; only typing counts as filling
        # it in, so an untouched "Add an item" row is skipped rather than refused.
        typed = ("what", "provider_name", "unit_cost", "units")
        return any((self.data.get(self.add_prefix(name)) or "").strip() for name in typed)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        units, per = cleaned.get("units"), cleaned.get("per")
        if units is not None and per in MAX_UNITS and units > MAX_UNITS[per]:
            self.add_error(
                "units", f"How many must be {MAX_UNITS[per]} or fewer {dict(PERIODS)[per]}"
            )
        return cleaned

    def to_input(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            what=data["what"],
            provider_kind=data["provider_kind"],
            provider_name=data.get("provider_name", ""),
            unit_cost=data["unit_cost"],
            unit=data["unit"],
            units=data["units"],
            per=data["per"],
            management=data.get("management", ""),
        )


class BaseItemFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this item"

    def items(self) -> list[ItemInput]:
        return [
            form.to_input()
            for form in self.forms
            if form.cleaned_data.get("what") and not form.cleaned_data.get("DELETE")
        ]


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Sign the plan off"), ("refuse", "Do not sign it off")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to sign the plan off"},
    )
    reason_code = forms.ChoiceField(
        label="If not, the published reason",
        help_text="A plan can only be refused for one of these. Being unusual is not a reason.",
        choices=published.REFUSAL_REASONS,
        widget=forms.RadioSelect,
        required=False,
    )
    legal_restriction = forms.ChoiceField(
        label="If it is a legal restriction, which one",
        choices=[("", "Choose one"), *published.LEGAL_RESTRICTIONS],
        required=False,
    )
    risk_description = forms.CharField(
        label="If it is unsafe, describe the risk",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    explanation = forms.CharField(
        label="Explain the decision to the person",
        help_text="They are sent this, word for word",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain the decision in plain words"},
    )


class InvitationForm(forms.Form):
    name = forms.CharField(
        label="Their name", max_length=200, error_messages={"required": "Enter their name"}
    )
    email = forms.EmailField(
        label="Their email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        label="Who are they?",
        choices=HelperKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who they are"},
    )
