"""Review pages for staff and the portal, the learning view for commissioners, learning themes
for administrators, and peer support. Views parse input, check the role, call one selector or
service, and render."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts.models import PORTAL_ROLES
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.forms import apply_service_errors
from selfdirect.core.kept import kept
from selfdirect.people.models import Person
from selfdirect.people.rules import access_basis
from selfdirect.people.selectors import person_get_for_user
from selfdirect.plans.models import PlanStatus
from selfdirect.reviews import learning, schedule, selectors, services
from selfdirect.reviews.forms import (
    AskForm,
    CompleteForm,
    InviteForm,
    LearningFilterForm,
    ThemeForm,
    UnplannedForm,
    ViewForm,
)
from selfdirect.reviews.models import LearningTheme, LinkStatus, PeerLink, Review
from selfdirect.support.models import ScheduledReview


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _in_portal(request: AuthedRequest) -> bool:
    return request.user.role in PORTAL_ROLES


def _window_status(window: ScheduledReview | None) -> str:
    if window is None:
        return ""
    return schedule.status(
        schedule.Window(window.kind, window.due_from, window.due_by), timezone.localdate()
    )


# --- Staff: lists and the person's reviews -----------------------------------------------


@permission_required("reviews.work_on_reviews")
def due(request: AuthedRequest) -> HttpResponse:
    """Reviews due and overdue: my people by default, or my team's."""
    mine = request.GET.get("who", "mine") != "team"
    today = timezone.localdate()
    windows = list(selectors.reviews_due(user=request.user, mine=mine)[:200])
    rows = [
        (w, schedule.status(schedule.Window(w.kind, w.due_from, w.due_by), today)) for w in windows
    ]
    return render(
        request,
        "reviews/due.html",
        {
            "rows": rows,
            "mine": mine,
            "asked": selectors.unplanned_open(user=request.user, mine=mine)[:100],
            "today": today,
        },
    )


@permission_required("reviews.work_on_reviews")
def person_reviews(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The person's reviews: the next one due, the one open, and those held. POST starts the
    planned review."""
    person = person_get_for_user(user=request.user, person_id=person_id, what="reviews")
    if request.method == "POST":
        try:
            review = services.review_open(actor=request.user, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(reverse("reviews:person", args=[person.pk]))
        return HttpResponseRedirect(reverse("reviews:review", args=[review.pk]))
    window = selectors.open_window(person=person)
    return render(
        request,
        "reviews/person.html",
        {
            "person": person,
            "window": window,
            "window_status": _window_status(window),
            "open_review": selectors.open_review(person=person),
            "reviews": selectors.reviews_for_person(person=person),
            "plan": services.current_plan(person),
        },
    )


@permission_required("reviews.work_on_reviews")
def unplanned(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id, what="unplanned review")
    form = UnplannedForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_open(
                actor=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                reason_detail=form.cleaned_data["reason_detail"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return HttpResponseRedirect(reverse("reviews:review", args=[review.pk]))
    return render(request, "reviews/unplanned.html", {"person": person, "form": form})


def _review_context(review: Review) -> dict[str, Any]:
    outcomes = services.plan_outcomes(review.plan)
    contributions = list(selectors.contributions_for(review=review))
    ratings_labels = dict(schedule.PERSON_RATINGS)
    table = [
        (
            label,
            [
                ratings_labels.get(c.outcome_ratings.get(code, ""), "Not answered")
                for c in contributions
            ],
        )
        for code, label in outcomes
    ]
    return {
        "review": review,
        "person": review.person,
        "plan": review.plan,
        "items": review.plan.items.all(),
        "outcomes": outcomes,
        "contributions": contributions,
        "ratings_table": table,
        "results": review.outcomes.all(),
        "invitations": review.invitations.all(),
    }


@permission_required("reviews.work_on_reviews")
def review(request: AuthedRequest, review_id: int) -> HttpResponse:
    """Everyone's views side by side with the plan being reviewed."""
    item = selectors.review_get_for_user(user=request.user, review_id=review_id)
    context = _review_context(item)
    context["peer_links"] = selectors.peer_links_for(person=item.person)
    return render(request, "reviews/review.html", context)


@permission_required("reviews.work_on_reviews")
def worker_view(request: AuthedRequest, review_id: int) -> HttpResponse:
    item = selectors.review_get_for_user(user=request.user, review_id=review_id, what="view")
    if not item.is_open:
        return HttpResponseRedirect(reverse("reviews:review", args=[item.pk]))
    form = ViewForm(_post(request), outcomes=services.plan_outcomes(item.plan), subject="they")
    if request.method == "POST" and form.is_valid():
        try:
            services.review_give_view(
                actor=request.user, review=item, view=services.View(**form.view_kwargs())
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Your view has been saved")
            return HttpResponseRedirect(reverse("reviews:review", args=[item.pk]))
    return render(
        request, "reviews/view_form.html", {"review": item, "person": item.person, "form": form}
    )


@permission_required("reviews.work_on_reviews")
def complete(request: AuthedRequest, review_id: int) -> HttpResponse:
    item = selectors.review_get_for_user(user=request.user, review_id=review_id, what="complete")
    if not item.is_open:
        return HttpResponseRedirect(reverse("reviews:review", args=[item.pk]))
    follow_up = selectors.linked_unfollowed(person=item.person).exists()
    supporter = selectors.peer_supporter(person=item.person)
    asked = [c.will_share_experience for c in item.contributions.all()]
    initial: dict[str, Any] = {"will_share_experience": "not_asked"}
    if True in asked:
        initial["will_share_experience"] = "yes"
    elif False in asked:
        initial["will_share_experience"] = "no"
    if supporter is not None:
        initial["how_to_contact"] = supporter.how_to_contact
    form = CompleteForm(
        _post(request),
        initial=initial,
        outcomes=services.plan_outcomes(item.plan),
        points=selectors.points_for(review=item),
        themes=selectors.theme_list(active_only=True).values_list("pk", "name"),
        follow_up=follow_up,
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = services.review_complete(
                actor=request.user, review=item, outcome=services.Outcome(**form.outcome_kwargs())
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The review has been recorded and the person told")
            return HttpResponseRedirect(reverse("reviews:review", args=[done.pk]))
    context = _review_context(item)
    context["form"] = form
    return render(request, "reviews/complete.html", context)


# --- Portal: the person's own review -----------------------------------------------------


@permission_required("reviews.give_view")
def portal_review(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The person's review: give their view of the open one, or ask for one."""
    person = person_get_for_user(user=request.user, person_id=person_id, what="portal review")
    open_review = selectors.open_review(person=person)
    is_self = person.portal_user_id == request.user.pk
    view_form = ask_form = None
    if open_review is not None:
        view_form = ViewForm(
            _post(request),
            outcomes=services.plan_outcomes(open_review.plan),
            ask_peer=True,
            subject="you" if is_self else person.preferred_name or person.first_name,
        )
        if request.method == "POST" and view_form.is_valid():
            try:
                services.review_give_view(
                    actor=request.user,
                    review=open_review,
                    view=services.View(**view_form.view_kwargs()),
                )
            except ValidationError as error:
                apply_service_errors(view_form, error)
            else:
                messages.success(
                    request, "Thank you. Your named worker will read this before the review"
                )
                return HttpResponseRedirect(reverse("portal:review", args=[person.pk]))
    else:
        ask_form = AskForm(_post(request))
        if request.method == "POST" and ask_form.is_valid():
            try:
                services.review_ask(
                    actor=request.user,
                    person=person,
                    what_changed=ask_form.cleaned_data["what_changed"],
                )
            except ValidationError as error:
                apply_service_errors(ask_form, error)
            else:
                messages.success(request, "Your named worker has been told you want a review")
                return HttpResponseRedirect(reverse("portal:review", args=[person.pk]))
    return render(
        request,
        "reviews/portal_review.html",
        {
            "person": person,
            "is_self": is_self,
            "review": open_review,
            "view_form": view_form,
            "ask_form": ask_form,
            "window": selectors.open_window(person=person),
            "past": selectors.reviews_for_person(person=person).filter(status="completed")[:10],
            "has_plan": person.plans.filter(status=PlanStatus.APPROVED).exists(),
            "mine": open_review.contributions.filter(author=request.user).first()
            if open_review
            else None,
        },
    )


@permission_required("reviews.give_view")
def portal_invite(request: AuthedRequest, review_id: int) -> HttpResponse:
    item = selectors.review_get_for_user(user=request.user, review_id=review_id, what="invite")
    form = InviteForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_invite(
                actor=request.user,
                review=item,
                answer_url=lambda token: request.build_absolute_uri(
                    reverse("reviews:answer", args=[token])
                ),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['name']} has been sent a link")
            return HttpResponseRedirect(reverse("portal:review", args=[item.person_id]))
    return render(
        request,
        "reviews/invite.html",
        {
            "review": item,
            "person": item.person,
            "form": form,
            "invitations": item.invitations.all(),
        },
    )


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """Someone the person invited gives their view, once, without an account."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("This link has expired or has already been used")
    item = invitation.review
    person = item.person
    form = ViewForm(
        _post(request),
        outcomes=services.plan_outcomes(item.plan),
        subject=person.preferred_name or person.first_name,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_answer_invitation(token=token, view=services.View(**form.view_kwargs()))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return render(request, "reviews/answer_done.html", {"name": person.first_name})
    return render(
        request,
        "reviews/answer.html",
        {
            "form": form,
            "invitation": invitation,
            "name": person.preferred_name or person.first_name,
        },
    )


# --- Learning ------------------------------------------------------------------------------


@permission_required("reviews.see_learning")
def learning_view(request: AuthedRequest) -> HttpResponse:
    """Anonymised counts of what people say is working and not working, by theme."""
    form = LearningFilterForm(
        request.GET or None, today=timezone.localdate(), teams=selectors.team_choices()
    )
    start, end, period_label = form.chosen_period()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    team = data.get("team") or ""
    f = selectors.LearningFilter(
        start=start,
        end=end,
        team_id=int(team) if team.isdigit() else None,
        primary_support_reason=data.get("psr", ""),
        split=data.get("split", ""),
    )
    fresh = request.GET.get("fresh") == "1"
    cells, as_at = _learning_cells(f, fresh=fresh)
    shown_themes = {c.theme for c in cells if c.quotable and not f.split}
    if f.split:
        totals, _ = _learning_cells(replace(f, split=""), fresh=fresh)
        shown_themes = {c.theme for c in totals if c.quotable}
    return render(
        request,
        "reviews/learning.html",
        {
            "form": form,
            "cells": cells,
            "split": f.split,
            "split_label": dict(form.fields["split"].choices).get(f.split, ""),  # type: ignore[attr-defined]
            "period_label": period_label,
            "quotes": selectors.learning_quotes(f=f, themes=shown_themes),
            "threshold": learning.THRESHOLD,
            "as_at": as_at,
            "cache_minutes": settings.FIGURES_CACHE_SECONDS // 60,
            "fresh_url": "?" + urlencode({**request.GET.dict(), "fresh": "1"}),
        },
    )


def _learning_cells(
    f: selectors.LearningFilter, *, fresh: bool
) -> tuple[list[learning.Cell], datetime.datetime]:
    """The counts for these filters, worked out at most once every FIGURES_CACHE_SECONDS, as
    on the figures pages (for everyone who asks with the same filters).

    They count every completed review in the period across the council (about 50 ms for
    12,000 points at 100,000 people on SQLite, growing with the council) and describe months,
    so minutes-old counts are fine; the page says when they were worked out, and FRESH works
    them out again now. Quotes are never kept: a withdrawn agreement to share takes effect at
    once."""
    key = "learning:" + urlencode(sorted((k, str(v)) for k, v in f.__dict__.items()))
    return kept(key, lambda: selectors.learning_cells(f=f), fresh=fresh)


@permission_required("reviews.manage_themes")
def themes(request: AuthedRequest) -> HttpResponse:
    return render(request, "reviews/themes.html", {"themes": selectors.theme_list()})


@permission_required("reviews.manage_themes")
def theme_edit(request: AuthedRequest, theme_id: int | None = None) -> HttpResponse:
    theme = get_object_or_404(LearningTheme, pk=theme_id) if theme_id else None
    initial = (
        {"name": theme.name, "description": theme.description, "active": theme.active}
        if theme
        else {"active": True}
    )
    form = ThemeForm(_post(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_save(actor=request.user, theme=theme, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The theme has been saved")
            return HttpResponseRedirect(reverse("reviews:themes"))
    return render(request, "reviews/theme_form.html", {"form": form, "theme": theme})


# --- Peer support ------------------------------------------------------------------------


def _link_sides(user: Any, link: PeerLink) -> list[str]:
    sides = []
    if access_basis(user, link.person):
        sides.append(services.SIDE_PERSON)
    if access_basis(user, link.peer):
        sides.append(services.SIDE_PEER)
    return sides


def _peer_context(person: Person) -> dict[str, Any]:
    links = []
    for link in selectors.peer_links_for(person=person):
        side = services.SIDE_PERSON if link.person_id == person.pk else services.SIDE_PEER
        agreed = link.person_agreed_at if side == services.SIDE_PERSON else link.peer_agreed_at
        links.append({"link": link, "side": side, "agreed": agreed})
    return {
        "person": person,
        "supporter": selectors.peer_supporter(person=person),
        "links": links,
    }


@permission_required("reviews.work_on_reviews")
def peers(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The peer register entry, suggested peers (described, never named) and links. POST
    proposes a link to one of the suggested peers."""
    person = person_get_for_user(user=request.user, person_id=person_id, what="peer support")
    suggestions = selectors.peer_suggestions(person=person)
    if request.method == "POST":
        by_id = {str(m.peer_id): m for m in suggestions}
        match = by_id.get(request.POST.get("peer", ""))
        if match is None:
            messages.error(request, "Choose one of the suggested peers")
        else:
            try:
                services.peer_propose(
                    actor=request.user,
                    person=person,
                    peer=Person.objects.get(pk=match.peer_id),
                    why="; ".join(match.reasons),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    "The link has been proposed. Nothing is shared until both people agree",
                )
        return HttpResponseRedirect(reverse("reviews:peers", args=[person.pk]))
    context = _peer_context(person)
    context["suggestions"] = suggestions
    return render(request, "reviews/peers.html", context)


@permission_required("reviews.work_on_reviews")
def peer_answer(request: AuthedRequest, link_id: int) -> HttpResponse:
    """A worker records that someone they work with agrees to (or declines) a link."""
    return _peer_answer(request, link_id, portal=False)


@permission_required("reviews.give_view")
def portal_peer_answer(request: AuthedRequest, link_id: int) -> HttpResponse:
    return _peer_answer(request, link_id, portal=True)


def _peer_answer(request: AuthedRequest, link_id: int, *, portal: bool) -> HttpResponse:
    link = get_object_or_404(PeerLink.objects.select_related("person", "peer"), pk=link_id)
    sides = _link_sides(request.user, link)
    if not sides:
        raise Http404("No such link")
    side = sides[0]
    who = link.person if side == services.SIDE_PERSON else link.peer
    person_get_for_user(user=request.user, person_id=who.pk, what="peer link")
    back = reverse("portal:peers" if portal else "reviews:peers", args=[who.pk])
    if request.method == "POST":
        choice = request.POST.get("agree", "")
        if choice not in ("yes", "no"):
            messages.error(request, "Choose yes or no")
            return HttpResponseRedirect(request.path)
        how = (
            "In the portal"
            if portal
            else (request.POST.get("how", "").strip() or "Told their worker")
        )
        try:
            services.peer_answer(
                actor=request.user, link=link, side=side, agree=choice == "yes", how=how
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(back)
    return render(
        request,
        "reviews/peer_answer.html",
        {"link": link, "side": side, "who": who, "portal": portal, "back": back},
    )


@permission_required("reviews.give_view")
def portal_peers(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The person joins or leaves the peer register, and answers proposed links."""
    person = person_get_for_user(user=request.user, person_id=person_id, what="portal peers")
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "leave":
            services.peer_withdraw(actor=request.user, person=person)
            messages.success(request, "You will no longer be suggested as a peer")
            return HttpResponseRedirect(reverse("portal:peers", args=[person.pk]))
        try:
            services.peer_join(
                actor=request.user,
                person=person,
                how_to_contact=request.POST.get("how_to_contact", ""),
            )
        except ValidationError:
            error = "Say how a peer could get in touch, once you both agree"
        else:
            messages.success(request, "Thank you. You are on the peer support register")
            return HttpResponseRedirect(reverse("portal:peers", args=[person.pk]))
    context = _peer_context(person)
    context["error"] = error
    context["typed"] = request.POST.get("how_to_contact", "") if request.method == "POST" else ""
    context["linked"] = LinkStatus.LINKED
    return render(request, "reviews/portal_peers.html", context)
