from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
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
        self._read: dict[str, validate.Upload] = {}
        limit = settings.UPLOAD_MAX_BYTES
        for kind in chosen:
            upload: UploadedFile = cleaned[kind]
            # The size first, from what the server already knows, so a huge file is not read.
            if (upload.size or 0) > limit:
                self.add_error(
                    kind, f"The selected file must be smaller than {validate.size_label(limit)}"
                )
                continue
            name = upload.name or kind
            data = upload.read()
            # The type by the file's content, not only its name: the wrong kind of file is an
            # error here, and is never stored.
            try:
                validate.file_type(name, data, max_bytes=limit)
            except validate.FileRefused as refused:
                self.add_error(kind, refused.message)
                continue
            self._read[kind] = validate.Upload(kind=kind, name=name, data=data)
        return cleaned

    def uploads(self) -> list[validate.Upload]:
        """The chosen files, read: only called once the form is valid (sizes and types
        checked)."""
        return [self._read[kind] for kind in validate.KINDS if kind in self._read]
