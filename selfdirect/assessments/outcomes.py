"""The outcomes an assessment looks at, and the words a worker uses to judge each one.

Pure data, no Django. Each list is (code, label): the code is what we store, the label is
plain English for screens and letters. The outcome labels follow the Care and Support
(Eligibility Criteria) Regulations 2015: reg. 2(2) for adults, reg. 3(2)(b) for carers.
"""

from __future__ import annotations

Choices = tuple[tuple[str, str], ...]

# Reg. 2(2)(a)–(j), in the regulation's own order so screens and letters follow it.
ADULT_OUTCOMES: Choices = (
    ("nutrition", "Managing and maintaining nutrition"),
    ("personal_hygiene", "Maintaining personal hygiene"),
    ("toilet_needs", "Managing toilet needs"),
    ("clothing", "Being appropriately clothed"),
    ("home_safety", "Being able to make use of the home safely"),
    ("habitable_home", "Maintaining a habitable home environment"),
    ("relationships", "Developing and maintaining family or other personal relationships"),
    (
        "work_education_volunteering",
        "Accessing and engaging in work, training, education or volunteering",
    ),
    (
        "community_facilities",
        "Making use of necessary facilities or services in the local community, including "
        "public transport and recreational facilities or services",
    ),
    ("caring_for_child", "Carrying out any caring responsibilities for a child"),
)

# Reg. 3(2)(b)(i)–(viii). Some codes match the adult list on purpose: the same outcome keeps
# the same code, so reports can compare like with like.
CARER_OUTCOMES: Choices = (
    ("caring_for_child", "Carrying out any caring responsibilities for a child"),
    ("caring_for_others", "Providing care to other people they care for"),
    ("habitable_home", "Maintaining a habitable home environment"),
    ("nutrition", "Managing and maintaining nutrition"),
    ("relationships", "Developing and maintaining family or other personal relationships"),
    ("work_education_volunteering", "Engaging in work, training, education or volunteering"),
    (
        "community_facilities",
        "Making use of necessary facilities or services in the local community",
    ),
    ("recreation", "Engaging in recreational activities"),
)

# Reg. 2(3)(a)–(d): the four ways an adult can be "unable to achieve" an outcome. For carers,
# reg. 3(3) lists only the first three: "takes significantly longer" is an adult-only reason
# (see unable_reasons_for).
UNABLE_REASONS: Choices = (
    ("without_assistance", "Unable to achieve it without help, including prompting"),
    ("pain_distress_anxiety", "Able to, but only with significant pain, distress or anxiety"),
    (
        "endangers_health_safety",
        "Able to, but it endangers, or is likely to endanger, their health or safety, "
        "or someone else's",
    ),
    (
        "takes_significantly_longer",
        "Able to, but it takes significantly longer than would normally be expected",
    ),
)

# How much of a need family, community or the person's own strengths already meet.
# Ordered from most unmet ("none") to least ("all"): the budget rules rely on this order.
# It never affects eligibility (statutory guidance, chapter 6), only the unmet need.
MET_BY_OTHERS: Choices = (
    ("none", "None of it"),
    ("some", "Some of it"),
    ("most", "Most of it"),
    ("all", "All of it"),
)

# The four bands many councils used before the Care Act (Fair Access to Care Services),
# kept because workers can explain them. Ordered by increasing risk: the budget rules
# rely on this order.
RISK_LEVELS: Choices = (
    ("low", "Low"),
    ("moderate", "Moderate"),
    ("substantial", "Substantial"),
    ("critical", "Critical"),
)

# Who an assessment is for: an adult with needs (reg. 2) or a carer (reg. 3).
KINDS: tuple[str, ...] = ("adult", "carer")

_OUTCOMES_BY_KIND: dict[str, Choices] = {"adult": ADULT_OUTCOMES, "carer": CARER_OUTCOMES}
# Reg. 3(3)(a)–(c) has no "takes significantly longer" limb, unlike reg. 2(3)(d).
_UNABLE_REASONS_BY_KIND: dict[str, Choices] = {
    "adult": UNABLE_REASONS,
    "carer": tuple(item for item in UNABLE_REASONS if item[0] != "takes_significantly_longer"),
}


def outcomes_for(kind: str) -> Choices:
    """Return the specified outcomes for an assessment of this kind, in the regulation's order.

    Adults: Eligibility Criteria Regulations 2015, reg. 2(2). Carers: reg. 3(2)(b).
    Raises ValueError for a kind that is not in KINDS, so a typo cannot silently give the
    wrong list.
    """
    try:
        return _OUTCOMES_BY_KIND[kind]
    except KeyError:
        raise ValueError(
            f"Unknown assessment kind {kind!r}: expected one of {', '.join(KINDS)}."
        ) from None


def unable_reasons_for(kind: str) -> Choices:
    """Return the ways of being "unable to achieve" an outcome that the law allows for this kind.

    Adults: all four in reg. 2(3). Carers: only the three in reg. 3(3); taking significantly
    longer than expected is not a reason for a carer. Raises ValueError for an unknown kind.
    """
    try:
        return _UNABLE_REASONS_BY_KIND[kind]
    except KeyError:
        raise ValueError(
            f"Unknown assessment kind {kind!r}: expected one of {', '.join(KINDS)}."
        ) from None
