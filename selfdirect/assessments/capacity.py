"""Capacity to plan and manage support, and the Care Act advocacy duty. Pure, no Django.

Mental Capacity Act 2005 s.3: a person is unable to make a decision if they cannot
understand the relevant information, retain it, use or weigh it, or communicate the
decision. Capacity is decision-specific; here the decision is always "planning and
managing my support", recorded separately from the size of the person's needs.

Care Act 2014 s.67: an independent advocate must be arranged when the person would have
*substantial difficulty* in any of those four things (a lower bar than lacking capacity)
*and* there is no appropriate unpaid person to support them.
"""

from __future__ import annotations

from dataclasses import dataclass

DECISION = "Planning and managing my support"

# How well the person manages each of the four functions, from best to worst.
ABLE = "able"
DIFFICULTY = "substantial_difficulty"
UNABLE = "unable"
FUNCTION_LEVELS: tuple[tuple[str, str], ...] = (
    (ABLE, "Can do this"),
    (DIFFICULTY, "Can do this, but with substantial difficulty"),
    (UNABLE, "Cannot do this, even with help"),
)
FUNCTIONS: tuple[tuple[str, str], ...] = (
    ("understand", "Understand the information relevant to the decision"),
    ("retain", "Retain that information"),
    ("use_or_weigh", "Use or weigh that information as part of making the decision"),
    ("communicate", "Communicate their decision, by any means"),
)


@dataclass(frozen=True)
class FunctionalTests:
    understand: str
    retain: str
    use_or_weigh: str
    communicate: str

    def levels(self) -> tuple[str, ...]:
        return (self.understand, self.retain, self.use_or_weigh, self.communicate)


def lacks_capacity(tests: FunctionalTests, *, impairment_of_mind: bool) -> bool:
    """MCA s.2-3: unable to do any one of the four, because of an impairment of mind or brain."""
    return impairment_of_mind and UNABLE in tests.levels()


def has_substantial_difficulty(tests: FunctionalTests) -> bool:
    return any(level in (DIFFICULTY, UNABLE) for level in tests.levels())


def advocate_required(tests: FunctionalTests, *, appropriate_person_available: bool) -> bool:
    """Care Act s.67: substantial difficulty in any function and nobody appropriate to help."""
    return has_substantial_difficulty(tests) and not appropriate_person_available
