from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from selfdirect.accounts.models import CASE_ROLES, Role
from selfdirect.workforce.models import Discipline, Team

STAFF_ROLE_CHOICES = [
    (role.value, role.label)
    for role in (
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.PANEL_MEMBER,
        Role.COMMISSIONER,
        Role.ADMINISTRATOR,
    )
]


def _phone(value: str) -> str:
    value = value.strip()
    if value and not all(ch.isdigit() or ch in " +()-" for ch in value):
        raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
    return value


class StaffForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=STAFF_ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their role"},
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="No team",
    )
    sign_off_limit = forms.DecimalField(
        label="Delegated sign-off limit, in pounds a year",
        help_text="The largest annual plan cost they may sign off. Enter 0 if they sign off none.",
        min_value=Decimal("0"),
        max_value=Decimal("9999999"),
        decimal_places=2,
        error_messages={
            "required": "Enter a sign-off limit, or 0",
            "invalid": "Sign-off limit must be a number of pounds, like 25000",
            "min_value": "Sign-off limit must be 0 or more",
            "max_value": "Sign-off limit must be less than £10 million",
            "max_decimal_places": "Sign-off limit can have no more than 2 decimal places",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

    phone = forms.CharField(
        label="Work phone number (optional)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") in CASE_ROLES and not cleaned.get("team"):
            self.add_error("team", "Choose a team: social workers and team managers work in one")
        return cleaned


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name", max_length=120, error_messages={"required": "Enter the team's name"}
    )
    discipline = forms.ChoiceField(
        label="Who the team works with",
        choices=Discipline.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the team works with"},
    )
    phone = forms.CharField(
        label="Duty phone number (optional)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="Team email address (optional)",
        required=False,
        help_text="Shown to people waiting for a named worker, or whose worker is away",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data.get("phone", ""))

    def __init__(self, *args: Any, team: Team | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        clash = Team.objects.filter(name__iexact=name)
        if self.team is not None:
            clash = clash.exclude(pk=self.team.pk)
        if clash.exists():
            raise forms.ValidationError("There is already a team with that name")
        return name
