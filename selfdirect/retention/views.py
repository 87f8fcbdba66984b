"""Administrators' pages: the records due under the retention rules, and deleting one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts.reauth import recent_auth_required
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.forms import apply_service_errors
from selfdirect.people.models import Person
from selfdirect.people.selectors import record_read_or_404
from selfdirect.retention import policy, selectors, services
from selfdirect.retention.forms import AnonymiseForm
from selfdirect.retention.policy import Status
from selfdirect.retention.rules import retention_basis

PER_PAGE = 50
SHOW = {"deletion": Status.DELETION, "review": Status.REVIEW}


@permission_required("retention.review")
def due(request: AuthedRequest) -> HttpResponse:
    """The latest run's worklist, one list at a time (?show=deletion or review), paginated.

    A POST works the list out again now (what the scheduled job does every night)."""
    if request.method == "POST":
        result = services.retention_review_run(actor=request.user)
        messages.success(
            request,
            f"The list was worked out again: {result.run.due_for_deletion:,} due for deletion, "
            f"{result.run.due_for_review:,} due for review.",
        )
        return redirect("retention:due")
    show = SHOW.get(request.GET.get("show", ""), Status.DELETION)
    run = selectors.latest_run()
    page = None
    counts = {}
    if run is not None:
        page = Paginator(selectors.due_items(run=run, status=show), PER_PAGE).get_page(
            request.GET.get("page")
        )
        counts = {key: selectors.due_items(run=run, status=s).count() for key, s in SHOW.items()}
    return render(
        request,
        "retention/due.html",
        {
            "run": run,
            "page": page,
            "show": show.value,
            "counts": counts,
            "periods": selectors.retention_periods(),
        },
    )


def _person_or_404(person_id: int) -> Person:
    person = Person.objects.select_related("team").filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    return person


@permission_required("retention.anonymise")
@recent_auth_required
def anonymise(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Confirm, with a reason, that a record due for deletion is to be deleted.

    The page shows only the record number and dates, not the person's details: the decision
    rests on the retention rules, and the reason names any check made (such as a legal hold).
    """
    person = _person_or_404(person_id)
    posted = request.method == "POST"
    form = AnonymiseForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            services.person_anonymise(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Record {person.reference} was deleted.")
            return redirect(reverse("retention:due"))
    basis = retention_basis(request.user)
    if not posted:
        record_read_or_404(
            user=request.user, person=person, basis=basis, new_values={"page": "retention"}
        )
    periods = selectors.retention_periods()
    facts = selectors.record_facts(person_id=person.pk)
    status = policy.status(facts, periods, timezone.localdate()) if facts is not None else None
    return render(
        request,
        "retention/anonymise.html",
        {
            "person": person,
            "form": form,
            "facts": facts,
            "due_on": policy.due_date(facts, periods) if facts is not None else None,
            "status": status,
            "due": status is Status.DELETION,
            "wiped": services.WIPED_SUMMARY,
            "kept": services.KEPT_SUMMARY,
        },
    )
