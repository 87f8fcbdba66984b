"""Reading import batches. Any administrator may see any batch: importing is the council's
set-up work, shared between its administrators, not one person's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from selfdirect.legacy.models import ImportBatch


def batch_get(*, batch_id: int) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.select_related("created_by", "imported_by"), pk=batch_id
    )


def batch_list(*, limit: int = 20) -> QuerySet[ImportBatch]:
    """The latest batches, newest first, for the upload page."""
    return ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]
