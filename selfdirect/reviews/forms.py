"""Review, learning and peer support forms. Questions are in plain English; the CLD wording is
kept for the return."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms

from selfdirect.people.codes import PRIMARY_SUPPORT_REASON
from selfdirect.reviews import schedule
from selfdirect.reviews.learning import quarter_label
from selfdirect.reviews.models import ContributorKind, ReviewPoint

YES_NO = (("yes", "Yes"), ("no", "No"))
POINTS_HINT = "Put each point on a new line."


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class ViewForm(forms.Form):
    """What is working, what is not, what to change, and how far each outcome is met."""

    working = forms.CharField(
        label="What is working?", required=False, widget=forms.Textarea, help_text=POINTS_HINT
    )
    not_working = forms.CharField(
        label="What is not working?",
        required=False,
        widget=forms.Textarea,
        help_text=POINTS_HINT,
    )
    change = forms.CharField(
        label="What would you like to change?",
        required=False,
        widget=forms.Textarea,
        help_text=POINTS_HINT,
    )
    share_quotes = forms.ChoiceField(
        label="Can the council share what you wrote, without your name, to help improve support?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Only the words, never who wrote them. It does not affect your support.",
        error_messages={"required": "Say whether the council can share what you wrote"},
    )

    def __init__(
        self,
        *args: Any,
        outcomes: Iterable[tuple[str, str]] = (),
        ask_peer: bool = False,
        subject: str = "you",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.outcome_codes: list[str] = []
        for code, label in outcomes:
            self.outcome_codes.append(code)
            self.fields[f"outcome_{code}"] = forms.ChoiceField(
                label=label,
                choices=schedule.PERSON_RATINGS,
                widget=forms.RadioSelect,
                required=False,
            )
        if ask_peer:
            self.fields["will_share_experience"] = forms.ChoiceField(
                label=f"Would {subject} be willing to share "
                f"{'your' if subject == 'you' else 'their'} experience with someone starting out?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
                help_text="Your worker may suggest putting you in touch with someone. Nothing is "
                "shared unless you both agree.",
            )

    def outcome_fields(self) -> list[forms.BoundField]:
        return [self[f"outcome_{c}"] for c in self.outcome_codes]

    def ratings(self) -> dict[str, str]:
        return {c: self.cleaned_data.get(f"outcome_{c}") or "" for c in self.outcome_codes}

    def view_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "working": data["working"],
            "not_working": data["not_working"],
            "change": data["change"],
            "ratings": self.ratings(),
            "share_quotes": data["share_quotes"] == "yes",
            "will_share_experience": _yes_no(data.get("will_share_experience")),
        }


class InviteForm(forms.Form):
    name = forms.CharField(label="Their name", max_length=200)
    email = forms.EmailField(
        label="Their email address",
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    kind = forms.ChoiceField(
        label="Who are they?",
        choices=[
            (ContributorKind.FAMILY, ContributorKind.FAMILY.label),
            (ContributorKind.PROVIDER, ContributorKind.PROVIDER.label),
            (ContributorKind.OTHER, "Someone else"),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter their name"
        self.fields["email"].error_messages["required"] = "Enter their email address"
        self.fields["kind"].error_messages["required"] = "Say who they are"


class AskForm(forms.Form):
    what_changed = forms.CharField(
        label="What has changed, or what would you like to talk about?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Tell us what has changed or what you want to talk about"},
    )


class UnplannedForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is this review happening?",
        choices=schedule.UNPLANNED_REASON_WORDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the review is happening"},
    )
    reason_detail = forms.CharField(
        label="What has changed?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Say what has changed"},
    )


class CompleteForm(forms.Form):
    """What the worker records at the end of the review."""

    method = forms.ChoiceField(
        label="How was the review held?",
        choices=schedule.METHODS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the review was held"},
    )
    decision = forms.ChoiceField(
        label="What happens next?",
        choices=schedule.DECISIONS,
        widget=forms.RadioSelect,
        help_text="A review never changes the budget. If their needs have changed, choose "
        "reassess: the budget changes only if the new assessment says so.",
        error_messages={"required": "Choose what happens next"},
    )
    decision_note = forms.CharField(
        label="Why, in words the person will understand",
        widget=forms.Textarea,
        required=False,
        max_length=4000,
    )
    will_share_experience = forms.ChoiceField(
        label="Will they share their experience with others (peer support)?",
        choices=(*YES_NO, ("not_asked", "Not asked this time")),
        widget=forms.RadioSelect,
        initial="not_asked",
    )
    how_to_contact = forms.CharField(
        label="How could a peer get in touch, once both agree?",
        required=False,
        max_length=300,
        help_text="For example: by email to the address they gave, or through their worker.",
    )

    def __init__(
        self,
        *args: Any,
        outcomes: Iterable[tuple[str, str]] = (),
        points: Iterable[ReviewPoint] = (),
        themes: Iterable[tuple[int, str]] = (),
        follow_up: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.outcome_codes: list[str] = []
        for code, label in outcomes:
            self.outcome_codes.append(code)
            self.fields[f"outcome_{code}"] = forms.ChoiceField(
                label=label,
                choices=schedule.OUTCOMES_ACHIEVED,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how far '{label}' is met"},
            )
        theme_choices = [("", "No theme"), *[(str(pk), name) for pk, name in themes]]
        self.point_ids: list[int] = []
        self.points = list(points)
        for point in self.points:
            self.point_ids.append(point.pk)
            self.fields[f"theme_{point.pk}"] = forms.ChoiceField(
                label=f"Theme for: {point.text[:80]}",
                choices=theme_choices,
                required=False,
                initial=str(point.theme_id or ""),
            )
        if follow_up:
            self.fields["peer_follow_up"] = forms.CharField(
                label="How has peer support gone since they were linked?",
                widget=forms.Textarea,
                required=False,
                max_length=2000,
            )

    def outcome_fields(self) -> list[forms.BoundField]:
        return [self[f"outcome_{c}"] for c in self.outcome_codes]

    def theme_rows(self) -> list[tuple[ReviewPoint, forms.BoundField]]:
        return [(p, self[f"theme_{p.pk}"]) for p in self.points]

    def outcome_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "method": data["method"],
            "decision": data["decision"],
            "decision_note": data.get("decision_note", ""),
            "achieved": {c: data.get(f"outcome_{c}") or "" for c in self.outcome_codes},
            "themes": {
                pk: int(data[f"theme_{pk}"]) if data.get(f"theme_{pk}") else None
                for pk in self.point_ids
            },
            "will_share_experience": _yes_no(data.get("will_share_experience")),
            "how_to_contact": data.get("how_to_contact", ""),
            "peer_follow_up": data.get("peer_follow_up", ""),
        }


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Theme", max_length=100, error_messages={"required": "Enter a name for the theme"}
    )
    description = forms.CharField(
        label="What it covers", max_length=300, required=False, help_text="Optional"
    )
    active = forms.BooleanField(
        label="Offer this theme when tagging reviews",
        required=False,
        initial=True,
        help_text="Untick to retire a theme. Its counts stay in the figures.",
    )


def _quarters(today: datetime.date, count: int = 8) -> list[tuple[str, str]]:
    """The last COUNT financial quarters, newest first, as (start:end, label)."""
    out = []
    year, month = today.year, 3 * ((today.month - 1) // 3) + 1
    for _ in range(count):
        start = datetime.date(year, month, 1)
        end_month, end_year = (month + 3, year) if month < 10 else (1, year + 1)
        end = datetime.date(end_year, end_month, 1) - datetime.timedelta(days=1)
        out.append((f"{start.isoformat()}:{end.isoformat()}", quarter_label(start)))
        month -= 3
        if month < 1:
            month += 12
            year -= 1
    return out


class LearningFilterForm(forms.Form):
    period = forms.ChoiceField(label="Period", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    psr = forms.ChoiceField(
        label="Primary support reason",
        required=False,
        choices=[("", "All"), *PRIMARY_SUPPORT_REASON],
    )
    split = forms.ChoiceField(
        label="Show counts by",
        required=False,
        choices=[
            ("", "Theme only"),
            ("team", "Team"),
            ("psr", "Primary support reason"),
            ("quarter", "Quarter"),
        ],
    )

    def __init__(
        self, *args: Any, today: datetime.date, teams: Iterable[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        last_year = f"{(today - datetime.timedelta(days=365)).isoformat()}:{today.isoformat()}"
        period, team = self.fields["period"], self.fields["team"]
        assert isinstance(period, forms.ChoiceField) and isinstance(team, forms.ChoiceField)
        period.choices = [(last_year, "The last 12 months"), *_quarters(today)]
        team.choices = [("", "All teams"), *[(str(pk), n) for pk, n in teams]]

    def chosen_period(self) -> tuple[datetime.date, datetime.date, str]:
        value = (self.cleaned_data.get("period") if self.is_valid() else "") or str(
            self.fields["period"].choices[0][0]  # type: ignore[attr-defined]
        )
        start, end = (datetime.date.fromisoformat(part) for part in value.split(":"))
        label = dict(self.fields["period"].choices)[value]  # type: ignore[attr-defined]
        return start, end, str(label)
