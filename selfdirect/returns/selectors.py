from __future__ import annotations

from typing import Any

from django.http import Http404

from selfdirect.people import codes
from selfdirect.people.models import Person
from selfdirect.returns.models import CldExport


def export_list() -> list[CldExport]:
    return list(CldExport.objects.select_related("requested_by")[:20])


def export_get(*, run_id: int) -> CldExport:
    run = CldExport.objects.select_related("requested_by").filter(pk=run_id).first()
    if run is None:
        raise Http404("No such return")
    return run


def failures_with_people(run: CldExport, *, limit: int) -> list[dict[str, Any]]:
    """The first LIMIT failures, each with the person's team and named worker: the
    administrator cannot open the record, so the page says who can fix it."""
    shown = run.failures[:limit]
    ids = {codes.pk_from_reference(str(f["person_id"])) for f in shown}
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=ids - {None}).select_related("team", "named_worker")
    }
    return [
        {**f, "person": people.get(codes.pk_from_reference(str(f["person_id"])) or 0)}
        for f in shown
    ]
