"""Peer suggestions: pure scoring (reviews/peers.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from selfdirect.reviews.peers import Profile, postcode_area, postcode_district, score, suggest

LD = "learning_disability_support"
MH = "mental_health_support"


def test_postcode_parts() -> None:
    assert postcode_district("LS6 2AB") == "LS6"
    assert postcode_area("LS6 2AB") == "LS"
    assert postcode_area("M1 1AE") == "M"


def test_best_match_first_with_reasons() -> None:
    seeker = Profile(1, LD, "LS6 2AB", frozenset({"nutrition", "community_facilities"}),
                     frozenset({"direct_payment", "personal_assistant"}))  # fmt: skip
    close = Profile(2, LD, "LS6 4XY", frozenset({"community_facilities"}),
                    frozenset({"personal_assistant"}))  # fmt: skip
    far = Profile(3, LD, "M1 1AE", frozenset(), frozenset())
    other = Profile(4, MH, "LS7 1AA", frozenset(), frozenset())
    matches = suggest(seeker, [far, other, close])
    assert [m.peer_id for m in matches] == [2, 3]
    assert matches[0].score == 3 + 1 + 2 + 1
    assert "has used employing personal assistants" in matches[0].reasons
    assert "lives nearby (same postcode district)" in matches[0].reasons


def test_never_suggests_themself_or_excluded() -> None:
    seeker = Profile(1, LD, "LS6 2AB")
    twin = Profile(1, LD, "LS6 2AB")
    linked = Profile(2, LD, "LS6 2AB")
    assert suggest(seeker, [twin, linked], exclude=[2]) == []


profiles = st.builds(
    Profile,
    person_id=st.integers(1, 50),
    primary_support_reason=st.sampled_from([LD, MH, ""]),
    postcode=st.sampled_from(["LS6 2AB", "LS7 1AA", "M1 1AE", ""]),
    outcomes=st.frozensets(st.sampled_from(["nutrition", "relationships", "clothing"])),
    ways=st.frozensets(st.sampled_from(["direct_payment", "personal_assistant", "isf"])),
)


@given(seeker=profiles, peers=st.lists(profiles, max_size=20))
def test_suggestions_are_ranked_and_bounded(seeker: Profile, peers: list[Profile]) -> None:
    matches = suggest(seeker, peers, limit=5)
    assert len(matches) <= 5
    assert all(m.peer_id != seeker.person_id and m.score >= 3 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


@given(a=profiles, b=profiles)
def test_score_is_symmetric(a: Profile, b: Profile) -> None:
    assert score(a, b).score == score(b, a).score


def test_learning_suppression_and_quarters() -> None:
    import datetime

    from selfdirect.reviews import learning

    assert [learning.display(n) for n in (0, 1, 4, 5, 12)] == [
        "0", "fewer than 5", "fewer than 5", "5", "12"
    ]  # fmt: skip
    cells = learning.cells([("Transport", "", "working", 5), ("Transport", "", "not_working", 3)])
    assert cells[0].working_shown == "5" and cells[0].not_working_shown == "fewer than 5"
    assert not cells[0].quotable
    assert learning.quarter_label(datetime.date(2026, 11, 23)) == "2026/27 Q3"
    assert learning.quarter_label(datetime.date(2027, 2, 1)) == "2026/27 Q4"
