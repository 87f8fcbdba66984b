"""Invitations to use the portal.

Staff pages: a worker with a relationship to the person invites them, or a representative in
their circle, sends a link again or withdraws it. Public pages, reached from an emailed link
with no account: the invitee makes their account (password, or emailed links only) and is
signed in; someone invited to help with a plan does the same, then joins the plan.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from selfdirect.accounts.models import User
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.forms import apply_service_errors
from selfdirect.people.models import Person
from selfdirect.people.selectors import person_get_for_user
from selfdirect.plans import services as plan_services
from selfdirect.portal import services
from selfdirect.portal.forms import InviteForm, JoinForm
from selfdirect.portal.links import LinkState
from selfdirect.portal.models import PortalInvitation
from selfdirect.portal.selectors import invitees, open_invitations, with_accounts

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _link_maker(request: HttpRequest, name: str) -> Callable[[str], str]:
    return lambda token: request.build_absolute_uri(reverse(name, args=[token]))


def link_problem(request: HttpRequest, state: LinkState | None, kind: str) -> HttpResponse:
    """A plain page saying why the link does not work and what to do. KIND: "portal",
    "plan" or "sign_in". An unknown link is 404, like any other page that does not exist."""
    return render(
        request,
        "portal/link_problem.html",
        {"state": state.value if state else "unknown", "kind": kind},
        status=404 if state is None else 200,
    )


# --- Staff: invite, send again, withdraw ----------------------------------------------------


def _person_for_worker(request: AuthedRequest, person_id: int) -> Person:
    person = person_get_for_user(user=request.user, person_id=person_id, what="portal invitations")
    if not request.user.has_perm("people.change_person", person):
        raise Http404("Not found")
    return person


@permission_required("portal.invite_to_portal")
def staff_invitations(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = _person_for_worker(request, person_id)
    open_ones = list(open_invitations(person=person))
    choices = invitees(person=person, open_ones=open_ones)
    form = InviteForm(request.POST if request.method == "POST" else None, invitees=choices)
    if request.method == "POST" and form.is_valid():
        chosen = next(i for i in choices if i.key == form.cleaned_data["who"])
        try:
            invitation = services.portal_invite(
                actor=request.user,
                person=person,
                relationship=chosen.relationship,
                email=form.cleaned_data["email"],
                join_url=_link_maker(request, "portal:join"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}")
            return HttpResponseRedirect(reverse("portal:staff-invitations", args=[person.pk]))
    return render(
        request,
        "portal/staff_invitations.html",
        {
            "person": person,
            "form": form,
            "invitations": open_ones,
            "with_accounts": with_accounts(person=person),
            "can_invite": bool(choices),
            "settings_days": settings.PORTAL_INVITATION_DAYS,
            "now": timezone.now(),
        },
    )


def _invitation_for_worker(request: AuthedRequest, invitation_id: int) -> PortalInvitation:
    invitation = PortalInvitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation")
    invitation.person = _person_for_worker(request, invitation.person_id)
    return invitation


def _after_change(request: AuthedRequest, invitation: PortalInvitation) -> HttpResponse:
    return HttpResponseRedirect(reverse("portal:staff-invitations", args=[invitation.person_id]))


@permission_required("portal.invite_to_portal")
def staff_invitation_resend(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_for_worker(request, invitation_id)
    if request.method == "POST":
        try:
            fresh = services.portal_invitation_resend(
                actor=request.user,
                invitation=invitation,
                join_url=_link_maker(request, "portal:join"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"A new link was sent to {fresh.email}. The old link no longer works"
            )
    return _after_change(request, invitation)


@permission_required("portal.invite_to_portal")
def staff_invitation_withdraw(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation_for_worker(request, invitation_id)
    if request.method == "POST":
        try:
            services.portal_invitation_withdraw(actor=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The invitation was withdrawn. Its link no longer works")
    return _after_change(request, invitation)


# --- Public: make an account from the link --------------------------------------------------


def _sign_in_url(next_url: str) -> str:
    return f"{reverse('accounts:sign-in')}?{urlencode({'next': next_url})}"


def _join_form(request: HttpRequest, email: str, name: str) -> JoinForm:
    # The second button ("sign in by email link only") sends no password to check.
    wants_password = request.method == "POST" and request.POST.get("how") != "email_link"
    return JoinForm(request.POST if wants_password else None, email=email, name=name)


def _password_chosen(request: HttpRequest, form: JoinForm) -> tuple[bool, str | None]:
    """(go ahead, the password or None for emailed links only)."""
    if request.method != "POST":
        return False, None
    if request.POST.get("how") == "email_link":
        return True, None
    if form.is_valid():
        return True, form.cleaned_data["password"]
    return False, None


def join(request: HttpRequest, token: str) -> HttpResponse:
    """Follow a council's invitation: make an account (or link the one you are signed in with)."""
    invitation = services.portal_invitation_for_token(token)
    if invitation is None:
        return link_problem(request, None, "portal")
    state = services.invitation_state(invitation)
    if state != LinkState.GOOD:
        return link_problem(request, state, "portal")
    person = invitation.person
    context: dict[str, object] = {
        "invitation": invitation,
        "person": person,
        "for_self": invitation.relationship_id is None,
        "sign_in_url": _sign_in_url(request.get_full_path()),
    }
    user = request.user
    if user.is_authenticated:
        assert isinstance(user, User)
        if not services.may_accept_with_account(invitation, user):
            return render(request, "portal/join_signed_in_elsewhere.html", context)
        if request.method == "POST":
            try:
                services.portal_accept(actor=user, token=token)
            except services.LinkProblem as problem:
                return link_problem(request, problem.state, "portal")
            messages.success(request, f"Your account is now linked to {person.first_name}'s record")
            return HttpResponseRedirect(reverse("portal:home"))
        return render(request, "portal/join_link_account.html", context)
    if services.account_exists_for(invitation.email):
        return render(request, "portal/join_account_exists.html", context)
    name = person.full_name if invitation.relationship is None else invitation.relationship.name
    form = _join_form(request, invitation.email, name)
    go, password = _password_chosen(request, form)
    if go:
        try:
            account = services.portal_join(token=token, password=password)
        except services.LinkProblem as problem:
            return link_problem(request, problem.state, "portal")
        except services.AccountExists:
            return render(request, "portal/join_account_exists.html", context)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            login(request, account, backend=BACKEND)
            messages.success(request, "Your account is ready. You are signed in")
            return HttpResponseRedirect(reverse("portal:home"))
    return render(request, "portal/join.html", {**context, "form": form, "email": invitation.email})


def helper_join(request: HttpRequest, token: str) -> HttpResponse:
    """Follow a plan helper invitation with no account: make a plan helper account, then join
    the plan. Signed in, the plan's own page (portal:invitation) does the joining."""
    invitation = plan_services.invitation_for_token(token)
    if invitation is None:
        return link_problem(request, None, "plan")
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("portal:invitation", args=[token]))
    state = services.plan_invitation_state(invitation)
    if state != LinkState.GOOD:
        return link_problem(request, state, "plan")
    person = invitation.plan.person
    context: dict[str, object] = {
        "invitation": invitation,
        "person": person,
        "helper": True,
        "sign_in_url": _sign_in_url(reverse("portal:invitation", args=[token])),
    }
    if services.account_exists_for(invitation.email):
        return render(request, "portal/join_account_exists.html", context)
    form = _join_form(request, invitation.email, invitation.name)
    go, password = _password_chosen(request, form)
    if go:
        try:
            account = services.plan_helper_join(token=token, password=password)
        except services.LinkProblem as problem:
            return link_problem(request, problem.state, "plan")
        except services.AccountExists:
            return render(request, "portal/join_account_exists.html", context)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            login(request, account, backend=BACKEND)
            messages.success(request, "Your account is ready. You can now help with the plan")
            return HttpResponseRedirect(reverse("portal:plan-edit", args=[invitation.plan_id]))
    return render(request, "portal/join.html", {**context, "form": form, "email": invitation.email})
