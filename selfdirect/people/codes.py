"""Coded values the person record uses, in the words of the national Client Level Data return.

Pure data, no Django. Each list is (code, label): the code is what we store, the label is
the exact Release 2 value from ../shared/reference/cld-r2-spec.json, so the return can use
it as it stands (tests/people/test_codes.py checks the two agree).
"""

from __future__ import annotations

Choices = tuple[tuple[str, str], ...]

# CLD field Ethnicity.
ETHNICITY: Choices = (
    (
        "asian_or_asian_british_any_other_asian_background",
        "Asian or Asian British: Any other Asian background",
    ),
    ("asian_or_asian_british_bangladeshi", "Asian or Asian British: Bangladeshi"),
    ("asian_or_asian_british_chinese", "Asian or Asian British: Chinese"),
    ("asian_or_asian_british_indian", "Asian or Asian British: Indian"),
    ("asian_or_asian_british_pakistani", "Asian or Asian British: Pakistani"),
    (
        "black_black_british_caribbean_or_african_african",
        "Black, Black British, Caribbean or African: African",
    ),
    (
        "black_black_british_caribbean_or_african_any_other_black_black_british_or_caribbean_background",
        "Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background",
    ),
    (
        "black_black_british_caribbean_or_african_caribbean",
        "Black, Black British, Caribbean or African: Caribbean",
    ),
    (
        "mixed_or_multiple_ethnic_groups_any_other_mixed_or_multiple_ethnic_background",
        "Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background",
    ),
    (
        "mixed_or_multiple_ethnic_groups_white_and_asian",
        "Mixed or multiple ethnic groups: White and Asian",
    ),
    (
        "mixed_or_multiple_ethnic_groups_white_and_black_african",
        "Mixed or multiple ethnic groups: White and Black African",
    ),
    (
        "mixed_or_multiple_ethnic_groups_white_and_black_caribbean",
        "Mixed or multiple ethnic groups: White and Black Caribbean",
    ),
    ("no_data_refused", "No data: Refused"),
    ("no_data_undeclared_or_not_known", "No data: Undeclared or not known"),
    ("other_ethnic_group_any_other_ethnic_group", "Other ethnic group: Any other ethnic group"),
    ("other_ethnic_group_arab", "Other ethnic group: Arab"),
    ("white_any_other_white_background", "White: Any other White background"),
    (
        "white_english_welsh_scottish_northern_irish_or_british",
        "White: English, Welsh, Scottish, Northern Irish or British",
    ),
    ("white_gypsy_or_irish_traveller", "White: Gypsy or Irish Traveller"),
    ("white_irish", "White: Irish"),
    ("white_roma", "White: Roma"),
)

# CLD field Primary_Support_Reason.
PRIMARY_SUPPORT_REASON: Choices = (
    ("physical_support_access_and_mobility_only", "Physical support: Access and mobility only"),
    ("physical_support_personal_care_support", "Physical support: Personal care support"),
    (
        "sensory_support_support_for_visual_impairment",
        "Sensory support: Support for visual impairment",
    ),
    (
        "sensory_support_support_for_hearing_impairment",
        "Sensory support: Support for hearing impairment",
    ),
    (
        "sensory_support_support_for_dual_impairment",
        "Sensory support: Support for dual impairment",
    ),
    ("support_with_memory_and_cognition", "Support with memory and cognition"),
    ("learning_disability_support", "Learning disability support"),
    ("mental_health_support", "Mental health support"),
    ("social_support_substance_misuse_support", "Social support: Substance misuse support"),
    ("social_support_asylum_seeker_support", "Social support: Asylum seeker support"),
    (
        "social_support_support_for_social_isolation_or_other_reason",
        "Social support: Support for social isolation or other reason",
    ),
    ("social_support_support_to_unpaid_carer", "Social support: Support to unpaid carer"),
    ("unknown", "Unknown"),
)

# CLD field Accommodation_Status.
ACCOMMODATION_STATUS: Choices = (
    ("owner_occupier_or_shared_ownership_scheme", "Owner occupier or shared ownership scheme"),
    (
        "tenant_local_authority_or_other_social_housing_provider",
        "Tenant: Local authority or other social housing provider",
    ),
    ("tenant_private_landlord", "Tenant: Private landlord"),
    (
        "settled_mainstream_housing_with_family_or_friends",
        "Settled mainstream housing with family or friends",
    ),
    (
        "supported_accommodation_supported_lodgings_or_supported_group_home",
        "Supported accommodation, supported lodgings or supported group home",
    ),
    ("shared_lives_scheme", "Shared Lives scheme"),
    (
        "approved_premises_for_offenders_released_from_prison_or_under_probation_supervision",
        "Approved premises for offenders released from prison or under probation supervision",
    ),
    (
        "sheltered_housing_extra_care_housing_or_other_sheltered_housing",
        "Sheltered housing, extra care housing or other sheltered housing",
    ),
    (
        "mobile_accommodation_for_gypsy_roma_and_traveller_communities",
        "Mobile accommodation for Gypsy, Roma and Traveller communities",
    ),
    ("rough_sleeper_or_squatting", "Rough sleeper or squatting"),
    (
        "night_shelter_emergency_hostel_or_direct_access_hostel",
        "Night shelter, emergency hostel or direct access hostel",
    ),
    ("refuge", "Refuge"),
    (
        "placed_in_temporary_accommodation_by_the_council_inc_homelessness_resettlement",
        "Placed in temporary accommodation by the council (inc. homelessness resettlement)",
    ),
    (
        "staying_with_family_or_friends_as_a_short_term_guest",
        "Staying with family or friends as a short term guest",
    ),
    (
        "acute_hospital_or_long_term_healthcare_residential_facility",
        "Acute hospital or long term healthcare residential facility",
    ),
    ("registered_care_home", "Registered care home"),
    ("registered_nursing_home", "Registered nursing home"),
    (
        "prison_young_offenders_institution_or_detention_centre",
        "Prison, young offenders institution or detention centre",
    ),
    ("other_temporary_accommodation", "Other temporary accommodation"),
    ("unknown", "Unknown"),
)

# CLD field Employment_Status.
EMPLOYMENT_STATUS: Choices = (
    ("paid_less_than_16_hours_a_week", "Paid: Less than 16 hours a week"),
    ("paid_16_or_more_hours_a_week", "Paid: 16 or more hours a week"),
    ("paid_hours_per_week_unknown", "Paid: Hours per week unknown"),
    ("not_in_paid_employment_seeking_work", "Not in paid employment: Seeking work"),
    (
        "not_in_paid_employment_not_actively_seeking_work_or_retired",
        "Not in paid employment: Not actively seeking work or retired",
    ),
    ("not_in_paid_employment_voluntary_work_only", "Not in paid employment: Voluntary work only"),
    ("unknown", "Unknown"),
)

# CLD field Has_Unpaid_Carer.
# CLD field Autism_Spectrum_Disorder_ASD (its R2 value list is unpublished; see issue 7's mapping).
AUTISM: Choices = (
    ("yes", "Yes: autism has been diagnosed"),
    ("no", "No"),
    ("not_known", "Not known"),
)

HAS_UNPAID_CARER: Choices = (
    ("yes", "Yes"),
    ("no", "No"),
    ("unknown", "Unknown"),
)

# CLD field Client_Funding_Status: who pays, as the financial assessment found. We do not
# hold the financial assessment itself; a worker records its result here.
CLIENT_FUNDING_STATUS: Choices = (
    ("fully_social_care_funded", "Fully social care funded"),
    ("joint_client_and_social_care_funded", "Joint client and social care funded"),
    ("fully_client_funded", "Fully client funded"),
    ("unknown", "Unknown"),
)

# CLD field Client_Type.
CLIENT_TYPE: Choices = (
    ("service_user", "Service user"),
    ("unpaid_carer", "Unpaid carer"),
)

# Gender as the person describes it. The CLD list is unpublished (only Male, Female and
# Unknown are seen in DHSC's code), so the return's mapping decides how "another way" is sent.
GENDER: Choices = (
    ("female", "Female"),
    ("male", "Male"),
    ("another", "In another way"),
    ("not_known", "Not known or prefers not to say"),
)

CODE_MAX_LENGTH = 100

REFERENCE_PREFIX = "SD"


def reference(pk: int) -> str:
    """The council's own identifier for a person (CLD LA_Person_Unique_Identifier)."""
    return f"{REFERENCE_PREFIX}{pk:07d}"


def pk_from_reference(value: str) -> int | None:
    """The record number in a reference such as SD0000123 (or SD123); None if it is not one,
    or is too long to be a record number."""
    digits = value.strip().upper().removeprefix(REFERENCE_PREFIX).lstrip("0") or "0"
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 9 else None


def label(choices: Choices, code: str) -> str:
    """The CLD label for a stored code (KeyError for an unknown code: never guess)."""
    return dict(choices)[code]
