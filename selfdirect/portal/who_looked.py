"""Who has looked at my record: the audit trail of a person's record, for the person.

The person and their representatives see every read and change of the record, newest
first, with who did it (name and role) and why they could (the audit basis, in plain
English). Break-glass uses are shown with the reason the worker gave; nothing is hidden.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.people import rules as people_rules
from selfdirect.people.selectors import person_get_for_user, record_events_for_person

PAGE_SIZE = 25


def plain_reason(reason: str, *, whose: str) -> str:
    """The basis stored in the audit trail, said to the person. WHOSE: "your" or "Ada's"."""
    if reason.startswith(people_rules.BASIS_BREAK_GLASS):
        given = reason.removeprefix(people_rules.BASIS_BREAK_GLASS)
        team = f"the team that supports {whose_object(whose)}"
        return f"They are not in {team}, so they had to give a reason: {given}"
    known = {
        people_rules.BASIS_NAMED_WORKER: f"They are {whose} named worker",
        people_rules.BASIS_TEAM_MEMBER: f"They work in {whose} team",
        people_rules.BASIS_TEAM_MANAGER: f"They manage {whose} team",
        people_rules.BASIS_REPRESENTATIVE: f"They act for {whose_object(whose)}",
        people_rules.BASIS_RESTRICTION_ADMIN: "Information governance: who may see the record",
    }
    return known.get(reason, reason)


def whose_object(whose: str) -> str:
    """ "your" -> "you"; "Ada's" -> "Ada"."""
    return "you" if whose == "your" else whose.removesuffix("'s")


@permission_required("people.use_portal_record")
def who_looked(request: AuthedRequest, person_id: int) -> HttpResponse:
    record = person_get_for_user(user=request.user, person_id=person_id, what="who has looked")
    is_self = record.portal_user_id == request.user.pk
    whose = "your" if is_self else f"{record.first_name}'s"
    # The reader's own visits would fill the list: left out unless they ask for them.
    mine = request.GET.get("mine") == "1"
    events = record_events_for_person(person=record, leave_out_actor=None if mine else request.user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "at": event.at,
            "who": "You" if event.actor_id == request.user.pk else event.actor_label,
            "what": event.get_event_type_display(),
            "why": plain_reason(event.reason, whose=whose),
        }
        for event in page.object_list
    ]
    return render(
        request,
        "portal/who_looked.html",
        {"person": record, "is_self": is_self, "page": page, "rows": rows, "mine": mine},
    )
