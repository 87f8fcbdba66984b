from __future__ import annotations

import datetime
from typing import Any

from django import forms

from selfdirect.accounts.models import CASE_ROLES, STAFF_ROLES, User
from selfdirect.core.forms import GovDateField
from selfdirect.people import codes, nhs_number, postcodes
from selfdirect.people.models import CrisisKind, Person, RelationshipType


def _with_blank(choices: codes.Choices, prompt: str = "Choose one") -> list[tuple[str, str]]:
    return [("", prompt), *choices]


class PersonForm(forms.Form):
    """A person's details. Labels and errors follow the GOV.UK Design System's wording."""

    first_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter their first name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter their last name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    preferred_name = forms.CharField(
        label="What they like to be called (optional)", max_length=100, required=False
    )
    date_of_birth = GovDateField(
        label="Date of birth",
        label_for_errors="Date of birth",
        past_only=True,
        help_text="For example, 27 3 1957",
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        required=False,
        help_text="10 digits, for example 485 777 3456",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    gender = forms.ChoiceField(
        label="How do they describe their gender?",
        choices=codes.GENDER,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they describe their gender"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnic group",
        choices=_with_blank(codes.ETHNICITY),
        error_messages={"required": "Select their ethnic group"},
    )
    client_type = forms.ChoiceField(
        label="Are they someone who draws on support, or an unpaid carer?",
        choices=codes.CLIENT_TYPE,
        widget=forms.RadioSelect,
        initial="service_user",
        error_messages={"required": "Select whether they draw on support or are an unpaid carer"},
    )
    primary_support_reason = forms.ChoiceField(
        label="Primary support reason",
        choices=_with_blank(codes.PRIMARY_SUPPORT_REASON),
        error_messages={"required": "Select their primary support reason"},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter their postcode"},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    accommodation_status = forms.ChoiceField(
        label="Where they live",
        choices=_with_blank(codes.ACCOMMODATION_STATUS),
        error_messages={"required": "Select where they live"},
    )
    employment_status = forms.ChoiceField(
        label="Work",
        choices=_with_blank(codes.EMPLOYMENT_STATUS),
        error_messages={"required": "Select whether they are in paid work"},
    )
    has_unpaid_carer = forms.ChoiceField(
        label="Does someone care for them without being paid?",
        choices=codes.HAS_UNPAID_CARER,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether someone cares for them without being paid"},
    )
    autism = forms.ChoiceField(
        label="Have they been diagnosed with autism?",
        choices=codes.AUTISM,
        initial="not_known",
        required=False,
        widget=forms.RadioSelect,
    )
    funding_status = forms.ChoiceField(
        label="Who pays for their care and support?",
        help_text="As the financial assessment found. Choose “Unknown” until it is done.",
        choices=codes.CLIENT_FUNDING_STATUS,
        initial="unknown",
        required=False,
        widget=forms.RadioSelect,
    )
    date_of_death = GovDateField(
        label="Date of death (if they have died)",
        label_for_errors="Date of death",
        past_only=True,
        required=False,
    )

    def __init__(self, *args: Any, person_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person_id = person_id

    def clean_nhs_number(self) -> str:
        value = nhs_number.normalise(self.cleaned_data.get("nhs_number", ""))
        if not value:
            return ""
        if len(value) != 10 or not value.isdigit():
            raise forms.ValidationError("NHS number must be 10 digits")
        if not nhs_number.is_valid(value):
            raise forms.ValidationError("Enter a valid NHS number: check the digits are right")
        others = Person.objects.filter(nhs_number=value)
        if self.person_id is not None:
            others = others.exclude(pk=self.person_id)
        if others.exists():
            raise forms.ValidationError("Another person already has this NHS number")
        return value

    def clean_autism(self) -> str:
        return self.cleaned_data.get("autism") or "not_known"

    def clean_funding_status(self) -> str:
        return self.cleaned_data.get("funding_status") or "unknown"

    def clean_postcode(self) -> str:
        value = postcodes.normalise(self.cleaned_data.get("postcode", ""))
        if value is None:
            raise forms.ValidationError("Enter a real postcode, like SD1 4AB")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born: datetime.date | None = cleaned.get("date_of_birth")
        died: datetime.date | None = cleaned.get("date_of_death")
        if born and died and died < born:
            self.add_error("date_of_death", "Date of death must be after the date of birth")
        return cleaned


class NamedWorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f" – {obj.team}" if obj.team_id else ""
        return f"{obj.get_full_name() or obj.username}{team}"


def case_workers() -> Any:
    return (
        User.objects.filter(role__in=CASE_ROLES, is_active=True, team__isnull=False)
        .select_related("team")
        .order_by("team__name", "last_name", "first_name")
    )


class NewPersonForm(PersonForm):
    named_worker = NamedWorkerChoiceField(
        label="Named worker",
        help_text="The worker the person will know as their main contact",
        queryset=User.objects.none(),
        empty_label="Choose a worker",
        error_messages={"required": "Choose their named worker"},
    )

    def __init__(
        self,
        *args: Any,
        team_id: int | None = None,
        allow_unallocated: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        workers = case_workers()
        if team_id is not None:
            workers = workers.filter(team_id=team_id)
        field = self.fields["named_worker"]
        field.queryset = workers  # type: ignore[attr-defined]
        if allow_unallocated:
            # A manager may take a record in before anyone is free: it waits in the queue.
            field.required = False
            field.empty_label = "Nobody yet: put them in the team's queue"  # type: ignore[attr-defined]


class RelationshipForm(forms.Form):
    name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter their name"}
    )
    relationship_type = forms.ChoiceField(
        label="How are they connected to the person?",
        choices=RelationshipType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they are connected to the person"},
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    address = forms.CharField(
        label="Address (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_representative = forms.BooleanField(
        label="They act with or for the person (representative)",
        required=False,
        help_text=(
            "For example an attorney, a deputy, an advocate, "
            "or family the person has asked to act for them"
        ),
    )

    def clean_phone(self) -> str:
        value: str = self.cleaned_data.get("phone", "").strip()
        if value and not all(ch.isdigit() or ch in " +()-" for ch in value):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return value


class NamedWorkerChangeForm(forms.Form):
    new_worker = NamedWorkerChoiceField(
        label="New named worker",
        queryset=User.objects.none(),
        empty_label="Choose a worker",
        error_messages={"required": "Choose the new named worker"},
    )
    handover_note = forms.CharField(
        label="Handover note",
        help_text=(
            "What the new named worker needs to know first: what matters to the person, "
            "anything urgent, and what has been agreed"
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a handover note for the new named worker"},
    )

    def __init__(
        self, *args: Any, team_id: int | None, exclude_worker_id: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # A manager hands over within their own team; moving teams is a transfer between managers.
        workers = case_workers().filter(team_id=team_id)
        if exclude_worker_id is not None:
            workers = workers.exclude(pk=exclude_worker_id)
        self.fields["new_worker"].queryset = workers  # type: ignore[attr-defined]


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label="Why are they going back to the unallocated queue?",
        help_text="For example: their worker has left, or is away for a long time",
        max_length=200,
        error_messages={"required": "Say why the person is going back to the queue"},
    )


class CrisisForm(forms.Form):
    kind = forms.ChoiceField(
        label="What happened?",
        choices=CrisisKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    occurred_on = GovDateField(
        label="When did it happen?",
        label_for_errors="The date it happened",
        past_only=True,
        help_text="For example, 27 3 2026",
    )
    note = forms.CharField(
        label="Anything to add (optional)",
        help_text="Briefly, what led to it. The full story belongs in the person's record.",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Need to know: break-glass and restricted records -------------------------------------


def _reference_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text="For example, SD0000012",
        max_length=20,
        error_messages={"required": "Enter the person's reference"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class BreakGlassForm(forms.Form):
    """Find one person outside your caseload by what you already know about them, and say why.

    All of reference, last name and date of birth must match: there is no browsing."""

    reference = _reference_field("Their reference")
    last_name = forms.CharField(
        label="Their last name",
        max_length=100,
        error_messages={"required": "Enter their last name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = GovDateField(
        label="Their date of birth",
        label_for_errors="Date of birth",
        past_only=True,
        help_text="For example, 27 3 1957",
    )
    reason = forms.CharField(
        label="Why do you need to see their record?",
        help_text=(
            "For example: out-of-hours call from the hospital about their discharge tonight. "
            "Your manager will see this, and so can the person."
        ),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you need to see this record",
            "max_length": "The reason must be 250 characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        value = " ".join(self.cleaned_data.get("reason", "").split())
        if not value:
            raise forms.ValidationError("Enter why you need to see this record")
        return value


class RestrictionFindForm(forms.Form):
    reference = _reference_field("Reference of the record to restrict or change")


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f", {obj.team}" if obj.team_id else ""
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()}{team})"


def active_staff() -> Any:
    return (
        User.objects.filter(role__in=STAFF_ROLES, is_active=True)
        .select_related("team")
        .order_by("team__name", "last_name", "first_name", "pk")
    )


class RestrictionForm(forms.Form):
    reason = forms.CharField(
        label="Why is the record restricted?",
        help_text="For example: the person is a close relative of a member of staff",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the record is restricted"},
    )
    allowed_staff = StaffChoiceField(
        label="Which staff may still see the record?",
        help_text=(
            "Nobody else on the staff will find it or be able to open it, including managers. "
            "Staff you choose still need to work with the person (or use break-glass)."
        ),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["allowed_staff"].queryset = active_staff()  # type: ignore[attr-defined]


class RestrictionLiftForm(forms.Form):
    lift_reason = forms.CharField(
        label="Why is the restriction no longer needed?",
        max_length=300,
        error_messages={"required": "Enter why the restriction is no longer needed"},
    )
