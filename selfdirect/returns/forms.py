from __future__ import annotations

import datetime

from django import forms

from selfdirect.core.forms import GovDateField


class ExportForm(forms.Form):
    period_end = GovDateField(
        label="Last day of the period",
        label_for_errors="The last day of the period",
        help_text="The return covers the 12 months ending on this day, usually a quarter's end. "
        "For example, 30 9 2026.",
    )

    def clean_period_end(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["period_end"]
        if value > datetime.date.today():
            raise forms.ValidationError("The last day of the period must be today or in the past")
        if value.year < 2023:
            raise forms.ValidationError("The return began in April 2023: choose a later date")
        return value
