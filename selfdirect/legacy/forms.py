from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from selfdirect.legacy import validate

HINTS = {
    validate.WORKERS: "Staff accounts, with their role and team",
    validate.PEOPLE: "The people drawing on support",
    validate.ALLOCATIONS: "Each person's named workers, current and past",
    validate.CIRCLES: "The people in each person's circle of support",
    validate.SERVICES: "The support each person has now, with its Client Level Data values",
}


class UploadForm(forms.Form):
    """One optional file of each kind: a council may bring its staff first and people later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in validate.KINDS:
            self.fields[kind] = forms.FileField(
                label=f"{validate.KIND_LABELS[kind]} (optional)",
                help_text=f"{HINTS[kind]}. A CSV or Excel (.xlsx) file.",
                required=False,
                widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
                error_messages={
                    "empty": "The selected file is empty",
                    "invalid": "Choose a CSV or Excel file",
                },
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = [kind for kind in validate.KINDS if cleaned.get(kind)]
        if not chosen and not self.errors:
            raise forms.ValidationError("Choose at least one file to check")
        for kind in chosen:
            upload: UploadedFile = cleaned[kind]
            if (upload.size or 0) > validate.MAX_FILE_BYTES:
                self.add_error(
                    kind, f"The selected file must be smaller than {validate.MAX_FILE_LABEL}"
                )
        return cleaned

    def uploads(self) -> list[validate.Upload]:
        """The chosen files, read: only called once the form is valid (sizes checked)."""
        chosen: list[validate.Upload] = []
        for kind in validate.KINDS:
            upload: UploadedFile | None = self.cleaned_data.get(kind)
            if upload is not None:
                chosen.append(
                    validate.Upload(kind=kind, name=upload.name or kind, data=upload.read())
                )
        return chosen
