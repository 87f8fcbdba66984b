"""The pure rules for one-use links (portal/links.py), with hand-worked cases."""

from __future__ import annotations

import datetime

from selfdirect.portal.links import (
    LinkState,
    link_state,
    may_send_sign_in_link,
    split_name,
    username_for,
)

NOON = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)
LATER = NOON + datetime.timedelta(minutes=15)


def test_a_link_works_until_it_expires() -> None:
    assert link_state(now=NOON, expires_at=LATER, used_at=None) == LinkState.GOOD
    assert link_state(now=LATER, expires_at=LATER, used_at=None) == LinkState.EXPIRED


def test_used_and_withdrawn_say_more_than_expired() -> None:
    after = LATER + datetime.timedelta(days=1)
    assert link_state(now=after, expires_at=LATER, used_at=NOON) == LinkState.USED
    assert (
        link_state(now=after, expires_at=LATER, used_at=None, withdrawn_at=NOON)
        == LinkState.WITHDRAWN
    )
    assert (
        link_state(now=NOON, expires_at=LATER, used_at=None, withdrawn_at=NOON, replaced=True)
        == LinkState.REPLACED
    )


def test_three_sign_in_links_per_window() -> None:
    assert [may_send_sign_in_link(sent_in_window=n) for n in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_usernames_and_names() -> None:
    assert username_for("  Rita.Rep@Example.ORG ") == "rita.rep@example.org"
    assert split_name("Rita Mary Rep") == ("Rita", "Mary Rep")
    assert split_name("Cher") == ("Cher", "")
    assert split_name("  ") == ("", "")
