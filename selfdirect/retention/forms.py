from __future__ import annotations

from django import forms


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label="Why are you deleting this record?",
        help_text=(
            "For example, the retention review of March 2026, and that no legal hold applies. "
            "It is kept in the audit trail."
        ),
        # The audit event keeps up to 300 characters of the reason.
        max_length=300,
        error_messages={
            "required": "Enter why you are deleting this record",
            "max_length": "The reason must be 300 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Confirm that you understand this cannot be undone"},
    )
