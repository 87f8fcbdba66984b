from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from selfdirect.accounts.models import User
from selfdirect.portal.links import username_for
from selfdirect.portal.selectors import Invitee

EMAIL_ERRORS = {
    "required": "Enter an email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}


class InviteForm(forms.Form):
    who = forms.ChoiceField(
        label="Who are you inviting?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who you are inviting"},
    )
    email = forms.EmailField(
        label="Their email address",
        help_text="The link to make their account goes here. Check it with them.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages=EMAIL_ERRORS,
    )

    def __init__(self, *args: Any, invitees: list[Invitee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [  # type: ignore[attr-defined]
            (
                i.key,
                f"{i.label}: {i.email_on_record} on record" if i.email_on_record else i.label,
            )
            for i in invitees
        ]


class JoinForm(forms.Form):
    """Choose a password (Django's validators: at least 12 characters, not common, not all
    numbers, not like the email address)."""

    password = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. A few words you will remember works well.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password_again = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again"},
    )

    def __init__(self, *args: Any, email: str, name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.name = name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The passwords do not match")
        elif password:
            candidate = User(username=username_for(self.email), email=self.email)
            candidate.first_name = self.name
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return data


class SignInLinkForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="The one your account uses",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages=EMAIL_ERRORS,
    )
