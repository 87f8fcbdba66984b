"""The values a Service may hold, in the words of the national Client Level Data return.

Pure data, no Django. A Service stores the Release 2 label itself (support/release.py writes
"Direct payment", "Long term support: Community" and so on), so each list is just the labels,
in the order of ../shared/reference/cld-r2-spec.json (tests/support/test_codes.py checks the
two agree). The legacy import checks a previous system's services against these lists.
"""

from __future__ import annotations

# CLD field Delivery_Mechanism (the spec says the list may be incomplete).
DELIVERY_MECHANISM: tuple[str, ...] = (
    "Direct payment",
    "CASSR managed personal budget",
    "CASSR commissioned support",
)

# CLD field Service_Type.
SERVICE_TYPE: tuple[str, ...] = (
    "Long term support: Nursing care",
    "Long term support: Residential care",
    "Long term support: Community",
    "Long term support: Prison",
    "Short term support: ST-Max",
    "Short term support: Ongoing low level",
    "Short term support: Other short term",
    "Unpaid carer support: Direct to unpaid carer",
    "Unpaid carer support: Support involving the person cared-for",
)

# CLD field Service_Component.
SERVICE_COMPONENT: tuple[str, ...] = (
    "Reablement",
    "Short term residential care",
    "Short term nursing care",
    "Long term residential care",
    "Long term nursing care",
    "Home support or domiciliary care",
    "Day support",
    "Meals",
    "Transport",
    "Equipment",
    "Direct payment",
    "Shared Lives",
    "Community supported living",
    "Extra care housing",
    "Professional support: Social worker",
    "Professional support: Other",
    "Learning, education or employment support",
    "End of life care",
    "Emergency support",
    "Other short term support",
    "Other long term support",
    "Unpaid carer respite",
    "Unpaid carer sitting service",
    "Unpaid carer universal services",
    "Other unpaid carer support",
)

# CLD field Cost_Frequency_Unit_Type.
COST_FREQUENCY: tuple[str, ...] = (
    "Per session",
    "Hourly",
    "Daily",
    "Weekly",
    "Fortnightly",
    "4-weekly",
    "Monthly",
    "Quarterly",
    "Annually",
    "One-off",
    "No charge to client",
)
