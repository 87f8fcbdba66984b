"""The portal: what the person, and those acting for them, see of their own record."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.people.selectors import person_get_for_user, person_list_for_user, relationship_list


@permission_required("portal.use_portal")
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    people = list(person_list_for_user(user=user)[:50])
    return render(request, "portal/home.html", {"people": people})


@permission_required("people.use_portal_record")
def person(request: AuthedRequest, person_id: int) -> HttpResponse:
    record = person_get_for_user(user=request.user, person_id=person_id, what="portal")
    return render(
        request,
        "portal/person.html",
        {
            "person": record,
            "circle": relationship_list(person=record),
            "is_self": record.portal_user_id == request.user.pk,
        },
    )
