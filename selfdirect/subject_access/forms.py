from __future__ import annotations

from django import forms

from selfdirect.subject_access.services import FORMATS


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Name, NHS number or record number",
        help_text="For example, Ada Lovelace, 943 476 5919 or SD0000012",
        max_length=100,
        error_messages={"required": "Enter a name, NHS number or record number"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ProduceForm(forms.Form):
    reason = forms.CharField(
        label="Request reference or reason",
        help_text=(
            "For example, the reference of the subject access request. "
            "It is kept in the record of who has looked at this person's information."
        ),
        # The audit event keeps up to 300 characters of the reason.
        max_length=300,
        error_messages={
            "required": "Enter the request reference or reason",
            "max_length": "Request reference or reason must be 300 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Sent by whichever of the two buttons was pressed (Enter sends the first).
    format = forms.ChoiceField(
        choices=[(code, code.upper()) for code in FORMATS],
        error_messages={
            "required": "Choose to download a JSON file or a PDF",
            "invalid_choice": "Choose to download a JSON file or a PDF",
        },
    )
