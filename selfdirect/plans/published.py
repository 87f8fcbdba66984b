"""The council's published plan rules: the only reasons a plan may be refused. Pure, no Django.

A plan may be refused only for a reason published in advance: it is unsafe (the risk must
be described), it is over budget (and the panel has decided so), or the money would buy
something the law does not allow. Being unusual is never a reason.
"""

from __future__ import annotations

REFUSAL_REASONS: tuple[tuple[str, str], ...] = (
    ("unsafe", "It would not keep you safe: the risk is described below"),
    ("over_budget", "It costs more than your budget, and the panel has decided it cannot be met"),
    ("legal_restriction", "It would use the money for something the law does not allow"),
)

# What the money cannot buy, with the law that says so.
LEGAL_RESTRICTIONS: tuple[tuple[str, str], ...] = (
    (
        "residential_care",
        "Direct payments cannot pay for long stays in a care home (more than 4 weeks in 12 "
        "months): Care and Support (Direct Payments) Regulations 2014, regulation 7.",
    ),
    (
        "close_relative",
        "Direct payments cannot pay a close relative who lives in the same household, unless "
        "the council decides it is necessary: Direct Payments Regulations 2014, regulation 3.",
    ),
    (
        "council_services",
        "Direct payments cannot buy services the council itself provides: Care Act 2014, s.33.",
    ),
    (
        "unlawful",
        "The money cannot be spent on anything unlawful, on gambling, or on alcohol or tobacco.",
    ),
)

SIGN_OFF_RULES: tuple[str, ...] = (
    "A plan that costs no more than the budget is signed off by your named worker, if it is "
    "within their delegated limit.",
    "If it is more than your named worker may sign off, it goes to the first person in their "
    "line of management whose limit covers it.",
    "Only a plan that costs more than the budget goes to a panel.",
    "A plan is never refused for being unusual. It can only be refused for one of the reasons "
    "below, and you are told the reason directly.",
)
