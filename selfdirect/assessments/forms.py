from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from selfdirect.assessments import capacity
from selfdirect.assessments.eligibility import Judgement
from selfdirect.assessments.models import (
    AssessmentKind,
    AssessmentMethod,
    RequestClosure,
    RouteOfAccess,
    StorySection,
)
from selfdirect.assessments.outcomes import (
    MET_BY_OTHERS,
    RISK_LEVELS,
    outcomes_for,
    unable_reasons_for,
)
from selfdirect.core.forms import GovDateField

YES_NO = (("yes", "Yes"), ("no", "No"))


def yes_no(label: str, error: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": error},
    )


class ContactForm(forms.Form):
    received_on = GovDateField(
        label="When was the request made?",
        label_for_errors="The date of the request",
        past_only=True,
        help_text="For example, 27 3 2026",
    )
    route_of_access = forms.ChoiceField(
        label="How did the request reach us?",
        choices=RouteOfAccess.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the request reached us"},
    )
    requested_by = forms.CharField(
        label="Who asked?",
        max_length=200,
        help_text="For example: the person, their daughter, the ward 7 discharge team",
        error_messages={"required": "Enter who asked for support"},
    )
    what_for = forms.CharField(
        label="What did they ask for?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what they asked for"},
    )
    urgent = forms.BooleanField(
        label="This is urgent",
        required=False,
        help_text="Urgent requests go to the top of the team's queue",
    )
    kind = forms.ChoiceField(
        label="Which assessment?",
        choices=AssessmentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which assessment"},
    )


class ContactCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How did the request end?",
        choices=RequestClosure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the request ended"},
    )
    closed_on = GovDateField(
        label="When did it end?", label_for_errors="The date it ended", past_only=True
    )


class StoryForm(forms.Form):
    """One box per section of the person's story; every box is optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in StorySection.choices:
            self.fields[code] = forms.CharField(
                label=label,
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any((cleaned.get(code) or "").strip() for code, _ in StorySection.choices):
            raise forms.ValidationError("Write something in at least one box")
        return cleaned


class OutcomesForm(forms.Form):
    """The worker's judgment for each eligibility outcome, one group of questions each."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.outcomes = outcomes_for(kind)
        for code, label in self.outcomes:
            lower = label[0].lower() + label[1:]
            self.fields[f"{code}-achievable"] = yes_no(
                "Can they achieve this without help, pain, risk or taking much longer?",
                f"Select whether they can achieve {lower}",
            )
            self.fields[f"{code}-unable_reason"] = forms.ChoiceField(
                label="If not, why not?",
                choices=unable_reasons_for(kind),
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{code}-met_by_others"] = forms.ChoiceField(
                label=(
                    "How much of this need is already met by family, friends, "
                    "community or their own strengths?"
                ),
                choices=MET_BY_OTHERS,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{code}-risk"] = forms.ChoiceField(
                label="If the rest stays unmet, how serious is the risk to their wellbeing?",
                choices=RISK_LEVELS,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{code}-reason"] = forms.CharField(
                label="Your reason, in one line", max_length=300, required=False
            )

    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code,
                "label": label,
                "fields": [
                    self[f"{code}-{part}"]
                    for part in ("achievable", "unable_reason", "met_by_others", "risk", "reason")
                ],
            }
            for code, label in self.outcomes
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for code, label in self.outcomes:
            lower = label[0].lower() + label[1:]
            if cleaned.get(f"{code}-achievable") != "no":
                continue
            if not cleaned.get(f"{code}-unable_reason"):
                self.add_error(f"{code}-unable_reason", f"Select why they cannot achieve {lower}")
            if not cleaned.get(f"{code}-met_by_others"):
                self.add_error(
                    f"{code}-met_by_others",
                    f"Select how much of the need for {lower} is already met",
                )
            if not cleaned.get(f"{code}-risk"):
                self.add_error(f"{code}-risk", f"Select the risk to wellbeing for {lower}")
            if not (cleaned.get(f"{code}-reason") or "").strip():
                self.add_error(f"{code}-reason", f"Give your reason for {lower}")
        return cleaned

    def judgements(self) -> list[Judgement]:
        cleaned = self.cleaned_data
        result = []
        for code, _ in self.outcomes:
            achievable = cleaned[f"{code}-achievable"] == "yes"
            result.append(
                Judgement(
                    outcome=code,
                    achievable=achievable,
                    unable_reason=None if achievable else cleaned[f"{code}-unable_reason"],
                    met_by_others=cleaned.get(f"{code}-met_by_others") or "none",
                    risk=cleaned.get(f"{code}-risk") or "low",
                    reason=(cleaned.get(f"{code}-reason") or "").strip(),
                )
            )
        return result


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    needs_arise_from_condition = yes_no(
        "Do their needs arise from, or relate to, a physical or mental impairment or illness?",
        "Select whether their needs arise from an impairment or illness",
    )
    significant_impact = yes_no(
        "Is there, or is there likely to be, a significant impact on their wellbeing?",
        "Select whether there is a significant impact on their wellbeing",
    )
    significant_impact_reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain why there is, or is not, a significant impact"},
    )
    method = forms.ChoiceField(
        label="How was the assessment done?",
        choices=AssessmentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the assessment was done"},
    )
    carer_health_deteriorating = forms.ChoiceField(
        label="Is the carer's physical or mental health deteriorating, or at risk of it?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "carer":
            self.fields[
                "needs_arise_from_condition"
            ].label = "Do their needs arise from providing necessary care to an adult?"
            self.fields["carer_health_deteriorating"].required = True
            self.fields["carer_health_deteriorating"].error_messages["required"] = (
                "Select whether the carer's health is deteriorating or at risk"
            )
        else:
            del self.fields["carer_health_deteriorating"]


class CapacityForm(forms.Form):
    assessed_on = GovDateField(
        label="Date of this decision", label_for_errors="The date of the decision", past_only=True
    )
    impairment_of_mind = yes_no(
        "Is there an impairment of, or disturbance in the functioning of, their mind or brain?",
        "Select whether there is an impairment of the mind or brain",
    )
    practicable_help_tried = forms.CharField(
        label="What help did you give them to make the decision themselves?",
        help_text="For example: easy-read information, a quieter time of day, an interpreter",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the help you gave them to decide for themselves"},
    )
    reasons = forms.CharField(
        label="Your reasons",
        help_text="These are sent to the person and their representative if the decision changes",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reasons for your decision"},
    )
    appropriate_person_available = yes_no(
        "Is there an appropriate person, not paid to care, who can support them to take part?",
        "Select whether there is an appropriate person to support them",
        help_text=(
            "If not, and they have substantial difficulty with any of the above, "
            "an independent advocate must be arranged"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The four functional tests, placed after the impairment question.
        for code, label in capacity.FUNCTIONS:
            self.fields[code] = forms.ChoiceField(
                label=f"Can they {label[0].lower()}{label[1:]}?",
                choices=capacity.FUNCTION_LEVELS,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select whether they can {label[0].lower()}{label[1:]}"
                },
            )
        self.order_fields(
            ["assessed_on", "impairment_of_mind", *[c for c, _ in capacity.FUNCTIONS]]
        )


class PortalStoryForm(StoryForm):
    """The same sections, with labels that speak to the person (or whoever writes for them)."""

    PROMPTS = {
        "about_me": "Anything you want us to know about you",
        "day_in_my_life": "What happens in a usual day, from getting up to going to bed",
        "typical_week": "What a usual week looks like: places, people, activities",
        "important_to_me": "What makes a good day for you",
        "important_for_me": "What you need to stay safe and well",
        "who_is_important": "Family, friends, neighbours, groups, pets",
        "strengths": "What you are good at and what you can do for yourself",
        "working": "What is going well at the moment",
        "not_working": "What is hard, or not going well",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, hint in self.PROMPTS.items():
            self.fields[code].help_text = hint


class StarterBudgetForm(forms.Form):
    weekly = forms.DecimalField(
        label="Amount a week, in pounds",
        min_value=Decimal("0.01"),
        max_value=Decimal("5000"),
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the amount a week",
            "invalid": "Amount must be in pounds, like 150",
            "min_value": "Amount must be more than £0",
            "max_value": "Amount must be £5,000 a week or less",
            "max_decimal_places": "Amount can have no more than 2 decimal places",
        },
    )
    weeks = forms.IntegerField(
        label="For how many weeks",
        help_text="1 to 6 weeks, until the plan is agreed",
        min_value=1,
        max_value=6,
        error_messages={
            "required": "Enter how many weeks",
            "invalid": "Weeks must be a whole number, like 4",
            "min_value": "A starter budget lasts at least 1 week",
            "max_value": "A starter budget lasts 6 weeks at most",
        },
    )
    what_for = forms.CharField(
        label="What it is for",
        max_length=200,
        error_messages={"required": "Say what the starter budget is for"},
    )
    delivery = forms.ChoiceField(
        label="How it is paid",
        choices=[
            ("direct_payment", "As a direct payment"),
            ("council_arranged", "The council arranges it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it is paid"},
    )
