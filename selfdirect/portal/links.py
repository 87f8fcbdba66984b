"""When a portal invitation or an emailed sign-in link still works, and how often a sign-in link
may be sent. Plain Python, no Django: the services pass in what the database holds.

Both kinds of link work once, and only until they expire. A sign-in link is sent at most
SIGN_IN_LINKS_PER_WINDOW times per address in SIGN_IN_LINK_WINDOW, so nobody can use the page
to flood someone's inbox; the count is of links stored, so it holds across processes.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

SIGN_IN_LINKS_PER_WINDOW = 3
SIGN_IN_LINK_WINDOW = datetime.timedelta(minutes=15)


class LinkState(StrEnum):
    GOOD = "good"
    EXPIRED = "expired"
    USED = "used"
    WITHDRAWN = "withdrawn"
    # Withdrawn because a newer link was sent in its place.
    REPLACED = "replaced"


def link_state(
    *,
    now: datetime.datetime,
    expires_at: datetime.datetime,
    used_at: datetime.datetime | None,
    withdrawn_at: datetime.datetime | None = None,
    replaced: bool = False,
) -> LinkState:
    """What a link can do now. Used or withdrawn says more than expired, so it wins."""
    if used_at is not None:
        return LinkState.USED
    if withdrawn_at is not None:
        return LinkState.REPLACED if replaced else LinkState.WITHDRAWN
    if expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.GOOD


def may_send_sign_in_link(*, sent_in_window: int) -> bool:
    """Whether another sign-in link may go to an address that has had SENT_IN_WINDOW links in
    the last SIGN_IN_LINK_WINDOW."""
    return sent_in_window < SIGN_IN_LINKS_PER_WINDOW


def username_for(email: str) -> str:
    """A portal account's username is its email address, lower-cased, so it is easy to
    remember and cannot be made twice with different capitals."""
    return email.strip().lower()


def split_name(name: str) -> tuple[str, str]:
    """First name and the rest, for an account made from the name the invitation gives."""
    parts = name.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""
