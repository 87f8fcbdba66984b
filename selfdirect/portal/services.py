"""Portal accounts: invitations from the council, accounts made from an invitation link, and
signing in by an emailed link. Every write is atomic and audited; emails go once it commits.

Only the hash of each link's secret is stored (core/tokens.py). Whether a link still works is
decided by portal/links.py; the settings PORTAL_INVITATION_DAYS and SIGN_IN_LINK_MINUTES say
for how long.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from selfdirect.accounts.models import PORTAL_ROLES, Role, User
from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.core.tokens import new_token, token_hash
from selfdirect.people.models import Person, Relationship
from selfdirect.people.rules import access_basis
from selfdirect.plans import services as plan_services
from selfdirect.plans.models import PlanInvitation
from selfdirect.portal import links
from selfdirect.portal.links import LinkState
from selfdirect.portal.models import PortalInvitation, SignInLink

logger = logging.getLogger(__name__)

LinkUrl = Callable[[str], str]


class LinkProblem(Exception):
    """The link cannot be used: it has expired, been used, or been withdrawn or replaced."""

    def __init__(self, state: LinkState) -> None:
        super().__init__(state.value)
        self.state = state


class AccountExists(Exception):
    """There is already an account for this email address: sign in instead of making one."""


def _send(subject: str, body: str, to: str) -> None:
    transaction.on_commit(
        lambda: send_mail(
            subject=subject, message=body, from_email=None, recipient_list=[to], fail_silently=True
        )
    )


def account_exists_for(email: str) -> bool:
    """Whether an account already uses EMAIL as its username or email address."""
    address = links.username_for(email)
    return User.objects.filter(Q(username__iexact=address) | Q(email__iexact=address)).exists()


# --- Invitations from the council ---------------------------------------------------------


def invitation_state(invitation: PortalInvitation) -> LinkState:
    return links.link_state(
        now=timezone.now(),
        expires_at=invitation.expires_at,
        used_at=invitation.accepted_at,
        withdrawn_at=invitation.withdrawn_at,
        replaced=invitation.replaced,
    )


def _invitee_name(person: Person, relationship: Relationship | None) -> str:
    if relationship is None:
        return person.preferred_name or person.first_name
    return relationship.name


def _invitation_email(invitation: PortalInvitation, link: str) -> tuple[str, str]:
    person = invitation.person
    first = person.preferred_name or person.first_name
    days = settings.PORTAL_INVITATION_DAYS
    if invitation.relationship is None:
        what = (
            "to see your record online: what the council holds about you, your budget and your plan"
        )
    else:
        what = f"to see {first}'s record online, as someone who acts for them"
    body = (
        f"Dear {_invitee_name(person, invitation.relationship)},\n\n"
        f"{settings.COUNCIL_NAME} has invited you {what}.\n\n"
        f"To make your account, follow this link within {days} days. It works once:\n{link}\n\n"
        f"You can choose a password, or sign in each time with a link we email you.\n\n"
        f"If you did not expect this email, you can ignore it.\n\n{settings.COUNCIL_NAME}"
    )
    return "You have been invited to use the council's online service", body


def _open_invitations(person: Person) -> list[PortalInvitation]:
    return list(
        PortalInvitation.objects.filter(
            person=person, accepted_at__isnull=True, withdrawn_at__isnull=True
        )
    )


def _check_target(person: Person, relationship: Relationship | None) -> None:
    """The person, or a representative in their circle, who has no account yet."""
    if relationship is None:
        if person.portal_user_id is not None:
            raise ValidationError({"who": f"{person.first_name} already has an account"})
        return
    if relationship.person_id != person.pk or not relationship.is_representative:
        raise ValidationError({"who": "Choose the person or a representative in their circle"})
    if relationship.user_id is not None:
        raise ValidationError({"who": f"{relationship.name} already has an account"})


def _new_invitation(
    *,
    actor: User,
    person: Person,
    relationship: Relationship | None,
    email: str,
    join_url: LinkUrl,
) -> PortalInvitation:
    token = new_token()
    now = timezone.now()
    invitation = PortalInvitation(
        person=person,
        relationship=relationship,
        email=email.strip(),
        token_hash=token_hash(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=settings.PORTAL_INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    subject, body = _invitation_email(invitation, join_url(token))
    _send(subject, body, invitation.email)
    return invitation


def _audit_values(invitation: PortalInvitation) -> dict[str, object]:
    who = "the person" if invitation.relationship is None else invitation.relationship.name
    return {
        "who": who,
        "email": invitation.email,
        "expires_at": timezone.localtime(invitation.expires_at).isoformat(),
    }


def _reason(actor: User, person: Person) -> str:
    return access_basis(actor, person) or "Recorded by the council"


@transaction.atomic
def portal_invite(
    *,
    actor: User,
    person: Person,
    relationship: Relationship | None,
    email: str,
    join_url: LinkUrl,
) -> PortalInvitation:
    """A worker invites the person (RELATIONSHIP None) or a representative in their circle to
    make a portal account. There is one open invitation per invitee: to send another link,
    send the open one again (portal_invitation_resend)."""
    _check_target(person, relationship)
    target = relationship.pk if relationship is not None else None
    if any(i.relationship_id == target for i in _open_invitations(person)):
        raise ValidationError(
            {"who": "They have already been invited. Send the invitation again instead"}
        )
    invitation = _new_invitation(
        actor=actor, person=person, relationship=relationship, email=email, join_url=join_url
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.PORTAL_INVITED,
        reason=_reason(actor, person),
        new_values=_audit_values(invitation),
    )
    return invitation


@transaction.atomic
def portal_invitation_resend(
    *, actor: User, invitation: PortalInvitation, join_url: LinkUrl
) -> PortalInvitation:
    """Send a new link (for example after the first expired). The old link stops working."""
    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise ValidationError("This invitation has already been used or withdrawn")
    person = invitation.person
    _check_target(person, invitation.relationship)
    invitation.withdrawn_at = timezone.now()
    invitation.replaced = True
    invitation.save(update_fields=["withdrawn_at", "replaced"])
    fresh = _new_invitation(
        actor=actor,
        person=person,
        relationship=invitation.relationship,
        email=invitation.email,
        join_url=join_url,
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.PORTAL_INVITATION_RESENT,
        reason=_reason(actor, person),
        new_values=_audit_values(fresh),
    )
    return fresh


@transaction.atomic
def portal_invitation_withdraw(*, actor: User, invitation: PortalInvitation) -> PortalInvitation:
    """The link stops working; following it says the invitation was withdrawn."""
    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise ValidationError("This invitation has already been used or withdrawn")
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        person=invitation.person,
        event_type=EventType.PORTAL_INVITATION_WITHDRAWN,
        reason=_reason(actor, invitation.person),
        old_values=_audit_values(invitation),
    )
    return invitation


def portal_invitation_for_token(token: str) -> PortalInvitation | None:
    return (
        PortalInvitation.objects.select_related("person", "relationship")
        .filter(token_hash=token_hash(token))
        .first()
    )


def _usable_invitation(token: str) -> PortalInvitation:
    """The invitation for TOKEN, locked, if it can still be used; else LinkProblem."""
    invitation = (
        # Lock only the invitation: PostgreSQL cannot lock the missing side of an outer join
        # (an invitation for the person themself has no relationship).
        PortalInvitation.objects.select_for_update(of=("self",))
        .select_related("person", "relationship")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise LinkProblem(LinkState.WITHDRAWN)
    state = invitation_state(invitation)
    if state != LinkState.GOOD:
        raise LinkProblem(state)
    relationship = invitation.relationship
    if relationship is None:
        if invitation.person.portal_user_id is not None:
            raise LinkProblem(LinkState.USED)
    elif relationship.user_id is not None:
        raise LinkProblem(LinkState.USED)
    elif not relationship.is_representative:
        # No longer acting for the person: the invitation no longer stands.
        raise LinkProblem(LinkState.WITHDRAWN)
    return invitation


def invitation_role(invitation: PortalInvitation) -> Role:
    return Role.PERSON if invitation.relationship_id is None else Role.REPRESENTATIVE


def _new_portal_account(*, email: str, name: str, role: Role, password: str | None) -> User:
    if account_exists_for(email):
        raise AccountExists(email)
    first_name, last_name = links.split_name(name)
    user = User(
        username=links.username_for(email),
        email=links.username_for(email),
        first_name=first_name[:150],
        last_name=last_name[:150],
        role=role,
    )
    if password is None:
        # They sign in by emailed link only.
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    user.full_clean()
    user._change_reason = "Made from an invitation link"  # type: ignore[attr-defined]
    user.save()
    return user


_LINKED = "Portal account from an invitation"


def _link_account(invitation: PortalInvitation, user: User) -> None:
    now = timezone.now()
    person = invitation.person
    if invitation.relationship is None:
        person.portal_user = user
        person._change_reason = _LINKED  # type: ignore[attr-defined]
        person.save(update_fields=["portal_user", "updated_at"])
    else:
        relationship = invitation.relationship
        relationship.user = user
        relationship._change_reason = _LINKED  # type: ignore[attr-defined]
        relationship.save(update_fields=["user", "updated_at"])
    invitation.accepted_by = user
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    audit_record(
        actor=user,
        person=person,
        event_type=EventType.PORTAL_JOINED,
        reason="Invited by the council",
        new_values={
            "who": "the person"
            if invitation.relationship is None
            else invitation.relationship.name,
            "account": user.username,
        },
    )


@transaction.atomic
def portal_join(*, token: str, password: str | None) -> User:
    """Make the invitee's account from the link and link it to the record.

    PASSWORD None: they would rather sign in by emailed link only, so the account gets an
    unusable password. Raises LinkProblem, AccountExists, or ValidationError for the password.
    """
    invitation = _usable_invitation(token)
    name = (
        f"{invitation.person.first_name} {invitation.person.last_name}"
        if invitation.relationship is None
        else invitation.relationship.name
    )
    user = _new_portal_account(
        email=invitation.email, name=name, role=invitation_role(invitation), password=password
    )
    _link_account(invitation, user)
    return user


def may_accept_with_account(invitation: PortalInvitation, user: User) -> bool:
    """Someone who already has a portal account of the right kind, with the address the
    invitation went to, may link it rather than make another (a representative for two
    people, say)."""
    if not user.is_authenticated or user.role != invitation_role(invitation):
        return False
    if (user.email or "").strip().lower() != links.username_for(invitation.email):
        return False
    if invitation.relationship_id is None:
        return not Person.objects.filter(portal_user=user).exists()
    return True


@transaction.atomic
def portal_accept(*, actor: User, token: str) -> PortalInvitation:
    """Link the signed-in ACTOR's existing account to the record the invitation is about."""
    invitation = _usable_invitation(token)
    if not may_accept_with_account(invitation, actor):
        raise ValidationError("This invitation is for someone else")
    _link_account(invitation, actor)
    return invitation


# --- Plan helpers with no account yet -------------------------------------------------------


def plan_invitation_state(invitation: PlanInvitation) -> LinkState:
    return links.link_state(
        now=timezone.now(), expires_at=invitation.expires_at, used_at=invitation.accepted_at
    )


@transaction.atomic
def plan_helper_join(*, token: str, password: str | None) -> User:
    """Someone invited to help with a plan, with no account, makes a plan helper account from
    the link; it then joins the plan as plans.services.invitation_accept does for anyone."""
    invitation = (
        PlanInvitation.objects.select_for_update()
        .select_related("plan", "plan__person")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise LinkProblem(LinkState.WITHDRAWN)
    state = plan_invitation_state(invitation)
    if state != LinkState.GOOD:
        raise LinkProblem(state)
    user = _new_portal_account(
        email=invitation.email, name=invitation.name, role=Role.PLAN_HELPER, password=password
    )
    audit_record(
        actor=user,
        person=invitation.plan.person,
        event_type=EventType.PORTAL_JOINED,
        reason="Plan helper invited by the person",
        new_values={"who": invitation.name, "account": user.username, "plan": invitation.plan_id},
    )
    plan_services.invitation_accept(actor=user, token=token)
    return user


# --- Signing in by emailed link ------------------------------------------------------------


def _portal_user_for(email: str) -> User | None:
    """The one active portal account with this address. Staff are never found: they sign in
    with a password and a two-factor code only."""
    matches = list(
        User.objects.filter(email__iexact=email, is_active=True, role__in=PORTAL_ROLES)[:2]
    )
    if len(matches) != 1:
        if matches:
            logger.warning("More than one portal account uses one email address; no link sent")
        return None
    return matches[0]


@transaction.atomic
def sign_in_link_request(*, email: str, use_url: LinkUrl) -> SignInLink | None:
    """Email a sign-in link to the portal account with EMAIL, if there is one and it has not
    had SIGN_IN_LINKS_PER_WINDOW links lately. The caller says the same to everyone, whether
    or not anything was sent, so nobody learns who has an account."""
    address = links.username_for(email)
    user = _portal_user_for(address)
    if user is None:
        return None
    # Lock the account so two requests at once cannot both slip under the limit.
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    recent = SignInLink.objects.filter(
        email=address, created_at__gt=now - links.SIGN_IN_LINK_WINDOW
    ).count()
    if not links.may_send_sign_in_link(sent_in_window=recent):
        return None
    token = new_token()
    minutes = settings.SIGN_IN_LINK_MINUTES
    link = SignInLink.objects.create(
        user=user,
        email=address,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    body = (
        f"Use this link to sign in to {settings.SERVICE_NAME}. It works once, "
        f"within {minutes} minutes:\n{use_url(token)}\n\n"
        f"If you did not ask to sign in, you can ignore this email: nobody can sign in "
        f"without the link.\n\n{settings.COUNCIL_NAME}"
    )
    _send(f"Sign in to {settings.SERVICE_NAME}", body, user.email)
    return link


def sign_in_link_for_token(token: str) -> SignInLink | None:
    return SignInLink.objects.select_related("user").filter(token_hash=token_hash(token)).first()


def sign_in_link_state(link: SignInLink) -> LinkState:
    user = link.user
    if not user.is_active or user.role not in PORTAL_ROLES:
        return LinkState.WITHDRAWN
    return links.link_state(now=timezone.now(), expires_at=link.expires_at, used_at=link.used_at)


@transaction.atomic
def sign_in_link_use(*, token: str) -> User:
    """Use the link once; every other unused link for the account stops working too. The
    caller signs the returned user in."""
    link = (
        SignInLink.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise LinkProblem(LinkState.WITHDRAWN)
    state = sign_in_link_state(link)
    if state != LinkState.GOOD:
        raise LinkProblem(state)
    now = timezone.now()
    SignInLink.objects.filter(user=link.user, used_at__isnull=True).update(used_at=now)
    audit_record(
        actor=link.user,
        person=None,
        event_type=EventType.PORTAL_SIGNED_IN_BY_LINK,
        reason="Followed a sign-in link sent to their email address",
    )
    return link.user
