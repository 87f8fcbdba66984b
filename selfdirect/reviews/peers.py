"""Suggesting peers: people who have agreed to share their experience, matched to someone who
might be helped by talking to them. Pure, no Django.

A worker sees the suggestions and decides whether to propose a link; a link is made only
when both people agree. The score is deliberately simple and explained on screen, so the
worker can see why someone was suggested:

- same primary support reason: 3
- outcomes in common (the outcomes their budgets were for): 1 each, at most 3
- nearby: same postcode district 2, or same postcode area 1
- a way of managing support the person is using or considering, that the peer has used
  (for example employing personal assistants, or a direct payment): 1 each

Nobody is suggested to themself, nor a peer already linked to or declined by the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MAX_OUTCOME_POINTS = 3
MIN_SCORE = 3


@dataclass(frozen=True)
class Profile:
    person_id: int
    primary_support_reason: str
    postcode: str
    outcomes: frozenset[str] = frozenset()
    # How support is (or would be) managed: plan management codes and provider kinds, such as
    # "direct_payment" or "personal_assistant".
    ways: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    peer_id: int
    score: int
    reasons: tuple[str, ...] = field(default_factory=tuple)


_OUTWARD = re.compile(r"^([A-Z]{1,2})([0-9][A-Z0-9]?)")


def postcode_district(postcode: str) -> str:
    """The outward code: "LS6 2AB" -> "LS6"."""
    return postcode.strip().upper().split(" ")[0] if postcode.strip() else ""


def postcode_area(postcode: str) -> str:
    """The letters of the outward code: "LS6 2AB" -> "LS"."""
    match = _OUTWARD.match(postcode.strip().upper())
    return match.group(1) if match else ""


WAY_WORDS = {
    "direct_payment": "a direct payment",
    "isf": "an individual service fund",
    "council_managed": "a council-managed account",
    "council_arranged": "support arranged by the council",
    "personal_assistant": "employing personal assistants",
    "community_group": "community groups and activities",
    "equipment": "equipment or technology",
    "provider": "a care provider or agency",
}


def score(seeker: Profile, peer: Profile) -> Match:
    """How well PEER might match SEEKER, with the reasons in plain English."""
    points = 0
    reasons: list[str] = []
    if seeker.primary_support_reason and (
        seeker.primary_support_reason == peer.primary_support_reason
    ):
        points += 3
        reasons.append("the same main reason for support")
    shared = seeker.outcomes & peer.outcomes
    if shared:
        points += min(len(shared), MAX_OUTCOME_POINTS)
        reasons.append(f"{len(shared)} outcome{'s' if len(shared) != 1 else ''} in common")
    if postcode_district(seeker.postcode) and (
        postcode_district(seeker.postcode) == postcode_district(peer.postcode)
    ):
        points += 2
        reasons.append("lives nearby (same postcode district)")
    elif postcode_area(seeker.postcode) and (
        postcode_area(seeker.postcode) == postcode_area(peer.postcode)
    ):
        points += 1
        reasons.append("lives in the same area")
    for way in sorted(seeker.ways & peer.ways):
        points += 1
        reasons.append(f"has used {WAY_WORDS.get(way, way.replace('_', ' '))}")
    return Match(peer_id=peer.person_id, score=points, reasons=tuple(reasons))


def suggest(
    seeker: Profile,
    peers: Iterable[Profile],
    *,
    exclude: Sequence[int] = (),
    limit: int = 5,
) -> list[Match]:
    """The best LIMIT matches scoring at least MIN_SCORE, best first (ties: lowest id first)."""
    skip = {seeker.person_id, *exclude}
    matches = [score(seeker, peer) for peer in peers if peer.person_id not in skip]
    good = [m for m in matches if m.score >= MIN_SCORE]
    good.sort(key=lambda m: (-m.score, m.peer_id))
    return good[:limit]
