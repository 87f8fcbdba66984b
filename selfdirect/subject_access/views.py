"""Administrators' pages for subject access: find a person, see what is held, download it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from selfdirect.accounts.reauth import recent_auth_required
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.forms import apply_service_errors
from selfdirect.subject_access import selectors, services
from selfdirect.subject_access.forms import ProduceForm, SearchForm

# More matches than this and the administrator is asked to say more.
SEARCH_LIMIT = 50


@permission_required("subject_access.produce")
@recent_auth_required
def search(request: AuthedRequest) -> HttpResponse:
    """A GET form, so it works without JavaScript and the back button keeps the results."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    people = None
    more = False
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        found = list(selectors.person_search(user=request.user, query=query)[: SEARCH_LIMIT + 1])
        more = len(found) > SEARCH_LIMIT
        people = found[:SEARCH_LIMIT]
    return render(
        request,
        "subject_access/search.html",
        {"form": form, "people": people, "more": more, "limit": SEARCH_LIMIT},
    )


@permission_required("subject_access.produce")
@recent_auth_required
def person(request: AuthedRequest, person_id: int) -> HttpResponse:
    """What will be included, and the two downloads. The file is sent as an attachment from
    memory, never saved on the server; the production writes its own audit event."""
    posted = request.method == "POST"
    form = ProduceForm(request.POST if posted else None)
    if posted and form.is_valid():
        subject = selectors.person_get_for_subject_access(
            user=request.user, person_id=person_id, record_read=False
        )
        fmt = form.cleaned_data["format"]
        try:
            files = services.subject_access_produce(
                actor=request.user,
                person=subject,
                reason=form.cleaned_data["reason"],
                formats=[fmt],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            produced = files[fmt]
            response = HttpResponse(produced.content, content_type=produced.content_type)
            response["Content-Disposition"] = f'attachment; filename="{produced.filename}"'
            # A whole social care record: no browser or proxy should keep a copy.
            response["Cache-Control"] = "no-store"
            return response
    # The page shows what is held, so opening it is an audited read of the record.
    subject = selectors.person_get_for_subject_access(user=request.user, person_id=person_id)
    counts = selectors.section_counts(person=subject)
    return render(
        request,
        "subject_access/person.html",
        {"form": form, "person": subject, "counts": counts},
    )
