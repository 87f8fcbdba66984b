"""Form pieces the GOV.UK Design System needs and Django lacks: the day/month/year date input."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation errors on the form (never a 500, nothing half-saved)."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


class GovDateWidget(forms.MultiWidget):
    """Three text boxes (day, month, year), the GOV.UK date input pattern."""

    template_name = "core/widgets/date_parts.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
            forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages."""

    widget = GovDateWidget

    def __init__(
        self, *, past_only: bool = False, label_for_errors: str = "Date", **kwargs: Any
    ) -> None:
        self.past_only = past_only
        self.label_for_errors = label_for_errors
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> datetime.date | None:
        name = self.label_for_errors
        if not data_list or not any(part.strip() for part in data_list if part):
            if self.required:
                raise ValidationError(f"Enter {name.lower()}", code="required")
            return None
        parts = [(part or "").strip() for part in data_list] + ["", "", ""]
        day, month, year = parts[:3]
        missing = [n for n, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(f"{name} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{name} must be a real date")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{name} must be a real date") from None
        if self.past_only and value > datetime.date.today():
            raise ValidationError(f"{name} must be today or in the past")
        if value.year < 1900:
            raise ValidationError(f"{name} must be after 1900")
        return value

    def clean(self, value: Any) -> Any:
        # MultiValueField would raise its own generic messages for blank parts;
        # we want the GOV.UK wording, so every check lives in compress().
        if not isinstance(value, list | tuple):
            value = GovDateWidget().decompress(value)
        cleaned = self.compress([str(v) if v is not None else "" for v in value])
        self.validate(cleaned)
        self.run_validators(cleaned)
        return cleaned

    def validate(self, value: Any) -> None:
        return None
