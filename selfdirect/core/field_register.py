"""The field register: every field we hold about a person, why we collect it, and what uses it.

Collect only what is used (UK GDPR art. 5(1)(c), data minimisation). Each field of a model
that holds data about a person declares one or more purposes and the outputs (pages,
letters, rules, emails) that read it. A field with no output is listed on the
administrators' page "What we collect and why", so it can be put to use or stopped.

Pure Python, no Django: core/field_usage.py asks Django which fields exist, and
tests/core/test_field_register.py fails when a field has no entry here, when an entry names
a field that no longer exists, or when an output it claims never mentions it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PURPOSES: tuple[tuple[str, str], ...] = (
    ("budget", "Working out and paying the personal budget"),
    ("plan", "Writing and signing off the person's support plan"),
    ("statutory_return", "The Client Level Data return the council must make to the government"),
    ("review", "Reviewing how the person's support is going"),
    ("contact", "Knowing who the person is and keeping in touch with them and their circle"),
    ("safety", "Keeping the person safe, and their record seen only by those who should"),
    ("audit", "Showing who did what, and when"),
)


@dataclass(frozen=True)
class Output:
    """Something that reads person data: a page, a letter, a rule, an email."""

    code: str
    label: str
    # Paths relative to the selfdirect/ package: the templates and modules that make it up.
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    purposes: tuple[str, ...]
    why: str
    used_by: tuple[str, ...] = ()
    # Properties that show the field under another name (Person.full_name for the names).
    read_as: tuple[str, ...] = ()


_EXPLAINED = "budgets/templates/budgets/_explained.html"

OUTPUTS: tuple[Output, ...] = (
    Output(
        "person_pages",
        "The worker's pages about a person: home, people list, person page, named workers",
        (
            "core/views.py",
            "core/templates/core/home.html",
            "people/views.py",
            "people/selectors.py",
            "assessments/selectors.py",
            "people/templates/people/person_list.html",
            "people/templates/people/person_detail.html",
            "people/templates/people/named_worker_change.html",
        ),
    ),
    Output(
        "portal",
        "The person's and their representative's pages in the portal",
        (
            "portal/views.py",
            "portal/templates/portal/home.html",
            "portal/templates/portal/person.html",
            "portal/templates/portal/story.html",
            "portal/templates/portal/budget.html",
            "assessments/selectors.py",
            _EXPLAINED,
        ),
    ),
    Output(
        "caseloads",
        "Caseloads: what each person needs next, the team's weighting and unallocated queue",
        (
            "caseloads/selectors.py",
            "caseloads/templates/caseloads/_caseload_table.html",
            "caseloads/templates/caseloads/team.html",
        ),
    ),
    Output(
        "cld_return",
        "The Client Level Data return and its data-quality check",
        ("returns/cld_map.py", "returns/export.py"),
    ),
    Output(
        "requests_queue",
        "The team's queue of requests for support, and closing one without an assessment",
        (
            "assessments/selectors.py",
            "assessments/templates/assessments/contact_queue.html",
            "assessments/templates/assessments/contact_close.html",
        ),
    ),
    Output(
        "assessment_pages",
        "The worker's assessment pages: story, outcomes, decision, result, capacity, "
        "starter budget",
        (
            "assessments/views.py",
            "assessments/selectors.py",
            "assessments/templates/assessments/story.html",
            "assessments/templates/assessments/outcomes.html",
            "assessments/templates/assessments/decision.html",
            "assessments/templates/assessments/result.html",
            "assessments/templates/assessments/capacity_form.html",
            "assessments/templates/assessments/starter_budget.html",
            _EXPLAINED,
        ),
    ),
    Output(
        "eligibility",
        "The eligibility decision under the 2015 regulations",
        ("assessments/eligibility.py", "assessments/services.py"),
    ),
    Output(
        "indicative_budget",
        "Working out the indicative budget (the Resource Allocation System)",
        ("budgets/ras.py", "budgets/services.py", "budgets/selectors.py"),
    ),
    Output(
        "budget_letter",
        "The decision letter (PDF), with the budget explained",
        ("budgets/letters.py", "budgets/templates/budgets/letter.html", _EXPLAINED),
    ),
    Output(
        "plan_pages",
        "The support plan pages, the sign-off page and the panel's list",
        (
            "plans/views.py",
            "plans/selectors.py",
            "plans/templates/plans/start.html",
            "plans/templates/plans/edit.html",
            "plans/templates/plans/_totals.html",
            "plans/templates/plans/submitted.html",
            "plans/templates/plans/decide.html",
            "plans/templates/plans/panel.html",
            "plans/templates/plans/invite.html",
            "plans/templates/plans/accept.html",
        ),
    ),
    Output(
        "sign_off",
        "Starting a plan, and who signs it off by the council's published rules",
        ("plans/signoff.py", "plans/services.py"),
    ),
    Output(
        "support_release",
        "Releasing the money: services, the direct payment and the first review",
        ("support/release.py", "support/services.py"),
    ),
    Output(
        "review_pages",
        "The worker's review pages: reviews due, the person's reviews, a review and its record",
        (
            "reviews/views.py",
            "reviews/selectors.py",
            "reviews/templates/reviews/due.html",
            "reviews/templates/reviews/person.html",
            "reviews/templates/reviews/review.html",
            "reviews/templates/reviews/complete.html",
            "reviews/templates/reviews/_views.html",
        ),
    ),
    Output(
        "review_portal",
        "Reviews in the portal: giving a view, asking others for theirs, answering an invitation",
        (
            "reviews/views.py",
            "reviews/templates/reviews/portal_review.html",
            "reviews/templates/reviews/invite.html",
            "reviews/templates/reviews/answer.html",
        ),
    ),
    Output(
        "review_schedule",
        "Opening reviews, and when the next one is due",
        ("reviews/schedule.py", "reviews/services.py"),
    ),
    Output(
        "learning",
        "What the council learns from reviews, with nobody identified",
        ("reviews/learning.py", "reviews/selectors.py", "reviews/templates/reviews/learning.html"),
    ),
    Output(
        "peer_support",
        "Suggesting peers, and putting people in touch when both agree",
        (
            "reviews/peers.py",
            "reviews/selectors.py",
            "reviews/views.py",
            "reviews/templates/reviews/peers.html",
            "reviews/templates/reviews/portal_peers.html",
            "reviews/templates/reviews/_links.html",
            "reviews/templates/reviews/peer_answer.html",
        ),
    ),
    Output(
        "emails",
        "Emails to the person, their representatives and helpers about decisions and invitations",
        (
            "assessments/services.py",
            "plans/services.py",
            "reviews/services.py",
            "people/selectors.py",
        ),
    ),
    Output(
        "access",
        "Deciding who may open a record (everyone else is told it was not found)",
        (
            "people/rules.py",
            "people/selectors.py",
            "plans/rules.py",
            "plans/selectors.py",
            "plans/services.py",
            "support/services.py",
            "reviews/selectors.py",
            "reviews/services.py",
        ),
    ),
    Output(
        "audit_trail",
        "The page showing who has looked at or changed a person's record",
        ("people/templates/people/person_audit.html", "audit/selectors.py"),
    ),
    Output(
        "audit_check",
        "The check that no audit event has been changed or removed (selfdirect audit-verify)",
        ("audit/chain.py", "audit/selectors.py", "audit/management/commands/audit_verify.py"),
    ),
    Output(
        "dashboards",
        "Figures for managers and commissioners: continuity, flow, commissioning",
        (
            "dashboards/selectors.py",
            "dashboards/views.py",
            "dashboards/templates/dashboards/figures.html",
        ),
    ),
    Output(
        "portal_accounts",
        "Invitations to use the portal: the worker's page, the link's page and the email",
        (
            "portal/invitations.py",
            "portal/services.py",
            "portal/selectors.py",
            "portal/templates/portal/staff_invitations.html",
            "portal/templates/portal/_invitations_summary.html",
            "portal/templates/portal/join.html",
        ),
    ),
    # --- helper-retention ---
    Output(
        "retention",
        "Records due under the retention rules, and deleting them (administrators)",
        (
            "retention/selectors.py",
            "retention/services.py",
            "retention/views.py",
            "retention/templates/retention/due.html",
            "retention/templates/retention/anonymise.html",
            "retention/management/commands/retention_review.py",
        ),
    ),
    # --- helper-access ---
    Output(
        "need_to_know",
        "Break-glass and its review by managers; restricted records (administrators)",
        (
            "people/rules.py",
            "people/selectors.py",
            "people/services.py",
            "people/templates/people/person_detail.html",
            "people/templates/people/break_glass_uses.html",
            "people/templates/people/restrictions.html",
            "people/templates/people/restriction_person.html",
        ),
    ),
)

# Shorthands for the entries below.
_NAMES = ("full_name",)
_WHEN_RECORDED = "When this was recorded, kept for the audit; no page shows it yet."
_WHEN_CHANGED = "When this was last changed, kept for the audit; no page shows it yet."

REGISTER: dict[str, Entry] = {
    # people.Person ----------------------------------------------------------------------------
    "people.Person.first_name": Entry(
        ("contact",),
        "So we know who the person is and can address them by name.",
        ("person_pages", "portal", "budget_letter", "emails", "dashboards"),
        _NAMES,
    ),
    "people.Person.last_name": Entry(
        ("contact",),
        "So we know who the person is, and workers can find them in the list.",
        ("person_pages", "portal", "budget_letter", "dashboards"),
        _NAMES,
    ),
    "people.Person.preferred_name": Entry(
        ("contact",),
        "What the person likes to be called, used when we speak or write to them.",
        ("person_pages", "portal", "budget_letter", "emails"),
    ),
    "people.Person.date_of_birth": Entry(
        ("contact", "statutory_return"),
        "Tells apart people with the same name; the return needs each person's age.",
        ("person_pages", "portal", "dashboards"),
    ),
    "people.Person.nhs_number": Entry(
        ("contact", "statutory_return"),
        "Matches the person with their NHS record and is a key of the return.",
        ("person_pages", "portal"),
        ("nhs_number_display",),
    ),
    "people.Person.gender": Entry(
        ("statutory_return",),
        "The return asks for it; the return export is not built yet, so only the person page "
        "shows it.",
        ("person_pages", "dashboards"),
    ),
    "people.Person.ethnicity": Entry(
        ("statutory_return",),
        "The return asks for it, to show whether support reaches every community.",
        ("person_pages", "dashboards"),
    ),
    "people.Person.client_type": Entry(
        ("statutory_return",),
        "Whether the person draws on support or is an unpaid carer: it sets the service type "
        "in the return.",
        ("person_pages", "support_release"),
    ),
    "people.Person.primary_support_reason": Entry(
        ("statutory_return",),
        "The main reason the person needs support, asked for by the return.",
        ("person_pages", "portal", "dashboards"),
    ),
    "people.Person.postcode": Entry(
        ("contact", "statutory_return"),
        "Where to write to the person; the return needs it to place them in an area.",
        ("person_pages", "portal", "budget_letter"),
    ),
    "people.Person.accommodation_status": Entry(
        ("statutory_return",),
        "The return asks where the person lives (for example, in their own home).",
        ("person_pages",),
    ),
    "people.Person.employment_status": Entry(
        ("statutory_return",),
        "The return asks whether the person works.",
        ("person_pages",),
    ),
    "people.Person.has_unpaid_carer": Entry(
        ("statutory_return",),
        "The return asks whether someone cares for the person without pay.",
        ("person_pages",),
    ),
    "people.Person.autism": Entry(
        ("statutory_return", "safety"),
        "The return asks whether the person has autism, and crises are measured for the "
        "autism cohort.",
        ("person_pages", "dashboards"),
    ),
    "people.Person.funding_status": Entry(
        ("statutory_return", "budget"),
        "The return asks who pays for the person's support, as the financial assessment found.",
        ("person_pages", "cld_return"),
    ),
    "assessments.Assessment.method": Entry(
        ("statutory_return",),
        "The return asks how each assessment was done.",
        ("assessment_pages", "cld_return"),
    ),
    "people.Person.date_of_death": Entry(
        ("safety", "statutory_return"),
        "So nobody writes to or about someone who has died as if they were alive.",
        ("person_pages", "dashboards"),
    ),
    "people.Person.team": Entry(
        ("safety", "contact"),
        "The team responsible for the person: who may see the record and who the line is "
        "for sign-off.",
        ("person_pages", "portal", "access", "sign_off", "dashboards"),
    ),
    "people.Person.named_worker": Entry(
        ("contact", "safety"),
        "The person's main point of contact at the council, who may see and sign off for them.",
        (
            "person_pages",
            "portal",
            "budget_letter",
            "requests_queue",
            "access",
            "sign_off",
            "dashboards",
        ),
    ),
    "people.Person.portal_user": Entry(
        ("safety", "contact"),
        "The person's own account, so they can see their record and be emailed decisions.",
        ("access", "portal", "emails"),
    ),
    "people.Person.created_at": Entry(("audit",), _WHEN_RECORDED),
    "people.Person.updated_at": Entry(("audit",), _WHEN_CHANGED),
    # people.Relationship (the circle of support) ------------------------------------------
    "people.Relationship.person": Entry(
        ("contact",), "Whose circle of support this is.", ("person_pages", "portal", "access")
    ),
    "people.Relationship.name": Entry(
        ("contact",), "Who is in the person's circle of support.", ("person_pages", "portal")
    ),
    "people.Relationship.relationship_type": Entry(
        ("contact", "safety"),
        "How they are connected, including attorneys and deputies who may decide for the person.",
        ("person_pages", "portal"),
    ),
    "people.Relationship.phone": Entry(
        ("contact",), "How to reach someone in the circle.", ("person_pages",)
    ),
    "people.Relationship.email": Entry(
        ("contact",),
        "How to reach someone in the circle; representatives are emailed decisions.",
        ("person_pages", "emails"),
    ),
    "people.Relationship.address": Entry(
        ("contact",),
        "Where to write to someone in the circle; no page or letter uses it yet.",
    ),
    "people.Relationship.is_representative": Entry(
        ("safety", "contact"),
        "A representative acts for the person: they may see the record and are told decisions.",
        ("person_pages", "portal", "access", "emails"),
    ),
    "people.Relationship.user": Entry(
        ("safety",),
        "Their portal account, so a representative can see the record they act on.",
        ("access",),
    ),
    "people.Relationship.created_at": Entry(("audit",), _WHEN_RECORDED),
    "people.Relationship.updated_at": Entry(("audit",), _WHEN_CHANGED),
    # people.NamedWorkerAllocation ---------------------------------------------------------
    "people.NamedWorkerAllocation.person": Entry(
        ("contact", "audit"), "Whose named worker this was.", ("person_pages", "dashboards")
    ),
    "people.NamedWorkerAllocation.worker": Entry(
        ("contact", "audit"), "Who the named worker was.", ("person_pages", "dashboards")
    ),
    "people.NamedWorkerAllocation.started_at": Entry(
        ("contact", "audit"), "When they became the named worker.", ("person_pages", "dashboards")
    ),
    "people.NamedWorkerAllocation.ended_at": Entry(
        ("contact", "audit"),
        "When they stopped being the named worker; an open spell is the current one.",
        ("person_pages", "dashboards"),
    ),
    "people.NamedWorkerAllocation.handover_note": Entry(
        ("safety",),
        "What the new named worker needs to know first, so nothing is lost in a handover.",
        ("person_pages",),
    ),
    "people.NamedWorkerAllocation.allocated_by": Entry(
        ("audit", "safety"),
        "Who made the change, shown with the handover note so the new worker knows who wrote it.",
        ("person_pages",),
    ),
    "people.NamedWorkerAllocation.unallocated_because": Entry(
        ("contact",),
        "Why the person is waiting for a named worker, so the manager can decide who is next.",
        ("person_pages", "caseloads"),
    ),
    "people.NamedWorkerAllocation.note_read_at": Entry(
        ("safety",),
        "Whether the new named worker has read the handover note: until then it is shown first.",
        ("person_pages", "caseloads"),
    ),
    # people.CrisisEvent -------------------------------------------------------------------
    "people.CrisisEvent.person": Entry(
        ("safety",), "Whose crisis this was.", ("person_pages", "caseloads", "dashboards")
    ),
    "people.CrisisEvent.kind": Entry(
        ("safety",),
        "Which kind of crisis (unplanned admission or emergency placement), for prevention "
        "figures by cohort.",
        ("person_pages", "dashboards"),
    ),
    "people.CrisisEvent.occurred_on": Entry(
        ("safety",),
        "When it happened: crises in the last 12 months weigh on the caseload.",
        ("person_pages", "caseloads", "dashboards"),
    ),
    "people.CrisisEvent.note": Entry(
        ("safety",), "What led to it, briefly, for the worker.", ("person_pages",)
    ),
    "people.CrisisEvent.recorded_by": Entry(("audit",), "Who recorded it.", ("person_pages",)),
    "people.CrisisEvent.recorded_at": Entry(("audit",), _WHEN_RECORDED),
    # audit.AuditEvent ---------------------------------------------------------------------
    # audit_check reads every field but the id: the event's hash covers them all.
    "audit.AuditEvent.at": Entry(("audit",), "When it happened.", ("audit_trail", "audit_check")),
    "audit.AuditEvent.actor": Entry(
        ("audit",),
        "The account that did it; pages show the name kept with the event, which outlives it.",
        ("audit_check",),
    ),
    "audit.AuditEvent.actor_label": Entry(
        ("audit",),
        "Who did it, readable even after their account is removed.",
        ("audit_trail", "audit_check"),
    ),
    "audit.AuditEvent.person": Entry(
        ("audit",), "Whose record was seen or changed.", ("audit_trail", "audit_check")
    ),
    "audit.AuditEvent.person_label": Entry(
        ("audit",),
        "The person's reference, kept for when the record itself is removed; no page shows it yet.",
        ("audit_check",),
    ),
    "audit.AuditEvent.event_type": Entry(
        ("audit",), "What they did.", ("audit_trail", "audit_check")
    ),
    "audit.AuditEvent.reason": Entry(
        ("audit",), "The relationship or reason that allowed it.", ("audit_trail", "audit_check")
    ),
    "audit.AuditEvent.old_values": Entry(
        ("audit",), "What a change replaced.", ("audit_trail", "audit_check")
    ),
    "audit.AuditEvent.new_values": Entry(
        ("audit",), "What a change set.", ("audit_trail", "audit_check")
    ),
    "audit.AuditEvent.sequence": Entry(
        ("audit",), "The event's place in the trail, so a removed event shows.", ("audit_check",)
    ),
    "audit.AuditEvent.prev_hash": Entry(
        ("audit",),
        "Links the event to the one before it, so a changed one shows.",
        ("audit_check",),
    ),
    "audit.AuditEvent.hash": Entry(
        ("audit",), "Seals what the event says, so a change to it shows.", ("audit_check",)
    ),
    # assessments.Contact (a request for support) ------------------------------------------
    "assessments.Contact.person": Entry(
        ("statutory_return",),
        "Who asked for support (the return's request event).",
        ("requests_queue", "person_pages", "assessment_pages", "dashboards"),
    ),
    "assessments.Contact.team": Entry(
        ("contact",),
        "Which team's queue the request waits in, so someone gets back to the person.",
        ("requests_queue", "dashboards"),
    ),
    "assessments.Contact.received_on": Entry(
        ("statutory_return",),
        "When the request came in: the return's request date, and oldest first in the queue.",
        ("requests_queue", "person_pages", "assessment_pages", "dashboards"),
    ),
    "assessments.Contact.route_of_access": Entry(
        ("statutory_return",),
        "How the request reached us (for example, hospital discharge), asked for by the return.",
        ("requests_queue", "assessment_pages", "dashboards"),
    ),
    "assessments.Contact.requested_by": Entry(
        ("contact",),
        "Who made the request, so we can go back to them; no page shows it yet.",
    ),
    "assessments.Contact.what_for": Entry(
        ("budget",),
        "What help was asked for, where the conversation starts.",
        ("assessment_pages",),
    ),
    "assessments.Contact.urgent": Entry(
        ("safety",),
        "Urgent requests go first in the queue and may get a starter budget the same day.",
        ("requests_queue", "person_pages", "assessment_pages", "support_release", "dashboards"),
    ),
    "assessments.Contact.recorded_by": Entry(
        ("audit",), "Who recorded the request; the audit trail already shows it."
    ),
    "assessments.Contact.created_at": Entry(("audit",), _WHEN_RECORDED),
    "assessments.Contact.closed_on": Entry(
        ("statutory_return",),
        "When a request ended without an assessment: the return's end date for it.",
        ("cld_return", "requests_queue"),
    ),
    "assessments.Contact.closed_outcome": Entry(
        ("statutory_return",),
        "How a request ended without an assessment: the return's outcome for it.",
        ("cld_return", "requests_queue"),
    ),
    # assessments.Assessment ---------------------------------------------------------------
    "assessments.Assessment.person": Entry(
        ("budget",),
        "Whose needs were assessed.",
        ("person_pages", "portal", "assessment_pages", "budget_letter"),
    ),
    "assessments.Assessment.contact": Entry(
        ("statutory_return",),
        "The request this assessment answers; an answered request leaves the queue.",
        ("requests_queue",),
    ),
    "assessments.Assessment.kind": Entry(
        ("budget", "statutory_return"),
        "A needs assessment or a carer's assessment: different rules and budgets apply.",
        ("person_pages", "assessment_pages", "eligibility", "indicative_budget"),
    ),
    "assessments.Assessment.status": Entry(
        ("budget",),
        "In progress or completed; only a completed assessment has a decision.",
        ("assessment_pages", "requests_queue", "portal", "dashboards"),
    ),
    "assessments.Assessment.assessor": Entry(
        ("audit",),
        "Who carried out the assessment; the audit trail shows it, and no page does yet.",
    ),
    "assessments.Assessment.started_at": Entry(
        ("statutory_return",), "When the assessment started.", ("person_pages",)
    ),
    "assessments.Assessment.completed_at": Entry(
        ("budget", "statutory_return"),
        "When the decision was made, told to the person in their letter.",
        ("portal", "assessment_pages", "budget_letter", "dashboards"),
    ),
    "assessments.Assessment.needs_arise_from_condition": Entry(
        ("budget",),
        "One of the facts the eligibility decision rests on (2015 regulations, reg. 2 and 3).",
        ("eligibility",),
    ),
    "assessments.Assessment.significant_impact": Entry(
        ("budget",),
        "One of the facts the eligibility decision rests on.",
        ("eligibility",),
    ),
    "assessments.Assessment.significant_impact_reason": Entry(
        ("budget",),
        "The worker's reason for the wellbeing judgment, kept as the record of the decision; "
        "no page or letter shows it yet.",
    ),
    "assessments.Assessment.carer_health_deteriorating": Entry(
        ("budget",),
        "For a carer, one of the facts the eligibility decision rests on.",
        ("eligibility",),
    ),
    "assessments.Assessment.eligible": Entry(
        ("budget", "statutory_return"),
        "The eligibility decision.",
        ("person_pages", "portal", "assessment_pages", "budget_letter"),
    ),
    "assessments.Assessment.eligibility_reasons": Entry(
        ("budget",),
        "The reasons for the decision, in words the person can read.",
        ("portal", "assessment_pages", "budget_letter"),
    ),
    "assessments.Assessment.version": Entry(
        ("audit",),
        "Stops two people saving over each other's changes, so the record stays true.",
        ("assessment_pages",),
    ),
    # assessments.OutcomeJudgement ---------------------------------------------------------
    "assessments.OutcomeJudgement.assessment": Entry(
        ("budget",),
        "The assessment this judgment belongs to.",
        ("assessment_pages", "eligibility", "indicative_budget"),
    ),
    "assessments.OutcomeJudgement.outcome": Entry(
        ("budget",),
        "Which Care Act outcome the judgment is about.",
        ("assessment_pages", "eligibility", "indicative_budget"),
    ),
    "assessments.OutcomeJudgement.achievable": Entry(
        ("budget",),
        "Whether the person can achieve the outcome: this decides eligibility.",
        ("assessment_pages", "eligibility", "indicative_budget"),
    ),
    "assessments.OutcomeJudgement.unable_reason": Entry(
        ("budget",),
        "Why they cannot, in the meanings the regulations allow.",
        ("assessment_pages", "eligibility", "indicative_budget"),
    ),
    "assessments.OutcomeJudgement.met_by_others": Entry(
        ("budget",),
        "How much of the need family, friends or community already meet: it lowers the budget.",
        ("assessment_pages", "indicative_budget"),
    ),
    "assessments.OutcomeJudgement.risk": Entry(
        ("budget",),
        "How serious the risk is if the need stays unmet: it sets the budget.",
        ("assessment_pages", "indicative_budget"),
    ),
    "assessments.OutcomeJudgement.reason": Entry(
        ("budget",),
        "The worker's one-line reason for the judgment.",
        ("assessment_pages", "indicative_budget"),
    ),
    # assessments.StoryEntry ---------------------------------------------------------------
    "assessments.StoryEntry.person": Entry(
        ("plan",), "Whose story it is.", ("assessment_pages", "portal")
    ),
    "assessments.StoryEntry.section": Entry(
        ("plan",), "Which part of the story it belongs to.", ("assessment_pages", "portal")
    ),
    "assessments.StoryEntry.text": Entry(
        ("plan", "budget"),
        "The person's own words, which the assessment and the plan start from.",
        ("assessment_pages", "portal"),
    ),
    "assessments.StoryEntry.author": Entry(
        ("audit",),
        "The account that wrote it; pages show the name kept with the entry, as they were then.",
    ),
    "assessments.StoryEntry.author_label": Entry(
        ("plan", "audit"),
        "Who wrote it, as they were to the person at the time.",
        ("assessment_pages", "portal"),
    ),
    "assessments.StoryEntry.created_at": Entry(
        ("plan",), "When it was written.", ("assessment_pages", "portal")
    ),
    # assessments.CapacityRecord -----------------------------------------------------------
    "assessments.CapacityRecord.person": Entry(
        ("safety",),
        "Whose capacity was assessed.",
        ("person_pages", "portal", "assessment_pages", "emails"),
    ),
    "assessments.CapacityRecord.decision": Entry(
        ("safety",),
        "The decision the assessment is about (always planning and managing support today); "
        "no page shows it.",
    ),
    "assessments.CapacityRecord.assessed_on": Entry(
        ("safety",),
        "When capacity was assessed.",
        ("person_pages", "portal", "assessment_pages", "emails"),
    ),
    "assessments.CapacityRecord.assessed_by": Entry(
        ("safety", "audit"), "Who assessed capacity.", ("assessment_pages",)
    ),
    "assessments.CapacityRecord.impairment_of_mind": Entry(
        ("safety",),
        "Part of the legal record of the capacity test (Mental Capacity Act 2005); the outcome "
        "is worked out from it when saved, and no page shows it afterwards.",
    ),
    "assessments.CapacityRecord.understand": Entry(
        ("safety",),
        "One of the four functional tests, kept as the legal record; no page shows it yet.",
    ),
    "assessments.CapacityRecord.retain": Entry(
        ("safety",),
        "One of the four functional tests, kept as the legal record; no page shows it yet.",
    ),
    "assessments.CapacityRecord.use_or_weigh": Entry(
        ("safety",),
        "One of the four functional tests, kept as the legal record; no page shows it yet.",
    ),
    "assessments.CapacityRecord.communicate": Entry(
        ("safety",),
        "One of the four functional tests, kept as the legal record; no page shows it yet.",
    ),
    "assessments.CapacityRecord.practicable_help_tried": Entry(
        ("safety",),
        "What was done to help the person decide for themselves, which the law requires "
        "first; no page shows it yet.",
    ),
    "assessments.CapacityRecord.outcome": Entry(
        ("safety", "plan"),
        "Whether the person can make decisions about planning and managing their support.",
        ("person_pages", "portal", "assessment_pages", "emails"),
    ),
    "assessments.CapacityRecord.reasons": Entry(
        ("safety",),
        "Why, told to the person and their representatives.",
        ("portal", "emails"),
    ),
    "assessments.CapacityRecord.appropriate_person_available": Entry(
        ("safety",),
        "Whether someone suitable can support the person to take part (Care Act s.67); the "
        "advocacy duty is worked out from it when saved, and no page shows it afterwards.",
    ),
    "assessments.CapacityRecord.advocate_required": Entry(
        ("safety",),
        "Whether an independent advocate must be arranged (Care Act s.67).",
        ("person_pages", "portal", "assessment_pages"),
    ),
    "assessments.CapacityRecord.created_at": Entry(("audit",), _WHEN_RECORDED),
    # budgets.IndicativeBudget -------------------------------------------------------------
    "budgets.IndicativeBudget.assessment": Entry(
        ("budget",),
        "The assessment the budget was worked out from.",
        ("portal", "assessment_pages", "budget_letter", "dashboards"),
    ),
    "budgets.IndicativeBudget.person": Entry(
        ("budget",),
        "Whose budget it is; a plan starts from the latest one.",
        ("sign_off", "dashboards"),
    ),
    "budgets.IndicativeBudget.ras_version": Entry(
        ("budget",),
        "Which published version of the rules worked it out, told to the person.",
        ("budget_letter",),
    ),
    "budgets.IndicativeBudget.weekly": Entry(
        ("budget", "plan"),
        "The budget a week, as issued.",
        ("budget_letter", "portal", "assessment_pages", "plan_pages", "dashboards"),
    ),
    "budgets.IndicativeBudget.annual": Entry(
        ("budget", "plan"),
        "The budget a year, as issued.",
        ("budget_letter", "portal", "assessment_pages", "plan_pages", "dashboards"),
    ),
    "budgets.IndicativeBudget.range_low": Entry(
        ("budget",),
        "The lowest the budget is expected to move to while planning.",
        ("budget_letter", "portal", "assessment_pages"),
    ),
    "budgets.IndicativeBudget.range_high": Entry(
        ("budget",),
        "The highest the budget is expected to move to while planning.",
        ("budget_letter", "portal", "assessment_pages"),
    ),
    "budgets.IndicativeBudget.contributions": Entry(
        ("budget",),
        "How each need adds to the budget, as explained to the person.",
        ("budget_letter", "portal", "assessment_pages"),
    ),
    "budgets.IndicativeBudget.issued_at": Entry(
        ("budget",),
        "When the budget was issued.",
        ("budget_letter", "portal", "assessment_pages", "dashboards"),
    ),
    # budgets.BudgetStream -----------------------------------------------------------------
    "budgets.BudgetStream.budget": Entry(
        ("budget",),
        "The budget this funding stream is part of.",
        ("budget_letter", "portal", "sign_off"),
    ),
    "budgets.BudgetStream.stream": Entry(
        ("budget",),
        "Where the money comes from (social care, NHS, carer's budget), shown separately.",
        ("budget_letter", "portal", "assessment_pages"),
    ),
    "budgets.BudgetStream.weekly": Entry(
        ("budget", "plan"),
        "How much this stream gives a week; all streams count towards the plan's budget.",
        ("budget_letter", "portal", "sign_off"),
    ),
    "budgets.BudgetStream.note": Entry(
        ("budget",),
        "A note about the stream, shown to the person.",
        ("budget_letter", "portal"),
    ),
    # plans.Plan ---------------------------------------------------------------------------
    "plans.Plan.person": Entry(
        ("plan",), "Whose plan it is.", ("plan_pages", "sign_off", "dashboards")
    ),
    "plans.Plan.budget": Entry(
        ("plan", "budget"),
        "The budget the plan is written against.",
        ("plan_pages", "sign_off", "dashboards"),
    ),
    "plans.Plan.status": Entry(
        ("plan",),
        "Being written, sent, signed off or not: it decides who may change or decide it.",
        ("plan_pages", "sign_off"),
    ),
    "plans.Plan.interim": Entry(
        ("plan",), "Whether this is a simple interim plan.", ("plan_pages",)
    ),
    "plans.Plan.what_i_want": Entry(
        ("plan",), "What the person wants to achieve, in their words.", ("plan_pages",)
    ),
    "plans.Plan.who_helps": Entry(("plan",), "Who helps the person.", ("plan_pages",)),
    "plans.Plan.if_things_go_wrong": Entry(
        ("plan", "safety"), "What happens if things go wrong.", ("plan_pages",)
    ),
    "plans.Plan.management": Entry(
        ("plan", "budget"),
        "How the money is managed (a direct payment, for example): it decides how it is paid.",
        ("plan_pages", "support_release"),
    ),
    "plans.Plan.version": Entry(
        ("audit",),
        "Stops two people saving over each other's changes, so nobody's work is lost.",
        ("plan_pages",),
    ),
    "plans.Plan.created_at": Entry(
        ("plan",), "When the plan was started: the newest plan is the one in hand.", ("plan_pages",)
    ),
    "plans.Plan.updated_at": Entry(
        ("plan", "audit"),
        "When it was last saved, shown when two people edit at once.",
        ("plan_pages",),
    ),
    "plans.Plan.updated_by": Entry(
        ("plan", "audit"),
        "Who last saved it, shown when two people edit at once.",
        ("plan_pages",),
    ),
    "plans.Plan.submitted_at": Entry(
        ("plan",), "When it was sent for sign-off.", ("plan_pages", "dashboards")
    ),
    "plans.Plan.written_by": Entry(
        ("plan",),
        "Who mainly wrote the plan: the council learns whether people direct their own support.",
        ("plan_pages", "dashboards"),
    ),
    "plans.Plan.route_kind": Entry(
        ("plan",),
        "Where sign-off went under the published rules (named worker, line or panel).",
        ("plan_pages", "sign_off", "dashboards"),
    ),
    "plans.Plan.route_approver_ids": Entry(
        ("plan",), "Who may sign the plan off under the published rules.", ("sign_off",)
    ),
    "plans.Plan.route_reason": Entry(
        ("plan",),
        "Why sign-off went there, in plain words.",
        ("plan_pages", "sign_off"),
    ),
    # plans.PlanItem -----------------------------------------------------------------------
    "plans.PlanItem.plan": Entry(
        ("plan",), "The plan the item is part of.", ("plan_pages", "support_release", "dashboards")
    ),
    "plans.PlanItem.what": Entry(
        ("plan",), "What the money pays for.", ("plan_pages", "support_release")
    ),
    "plans.PlanItem.provider_kind": Entry(
        ("plan", "statutory_return"),
        "Who provides it; it sets the service component in the return.",
        ("plan_pages", "support_release"),
    ),
    "plans.PlanItem.provider_name": Entry(
        ("plan",), "The provider's name, if known.", ("plan_pages", "support_release")
    ),
    "plans.PlanItem.unit_cost": Entry(
        ("plan", "budget"), "The cost of one unit.", ("plan_pages", "support_release")
    ),
    "plans.PlanItem.unit": Entry(
        ("plan", "statutory_return"),
        "What a unit is (an hour, a session); it sets the return's cost frequency.",
        ("plan_pages", "support_release"),
    ),
    "plans.PlanItem.units": Entry(
        ("plan", "budget"), "How many units.", ("plan_pages", "support_release")
    ),
    "plans.PlanItem.per": Entry(
        ("plan", "budget"), "How often (a week, a month).", ("plan_pages", "support_release")
    ),
    "plans.PlanItem.weekly_cost": Entry(
        ("plan", "budget"), "The cost a week.", ("plan_pages", "support_release")
    ),
    "plans.PlanItem.annual_cost": Entry(
        ("plan", "budget"),
        "The cost a year, which decides who signs the plan off.",
        ("plan_pages", "sign_off", "dashboards"),
    ),
    "plans.PlanItem.management": Entry(
        ("plan", "budget"),
        "How this item is paid, when the plan mixes ways.",
        ("plan_pages", "support_release"),
    ),
    # plans.PlanDecision -------------------------------------------------------------------
    "plans.PlanDecision.plan": Entry(
        ("plan",), "The plan decided.", ("plan_pages", "emails", "dashboards")
    ),
    "plans.PlanDecision.approved": Entry(
        ("plan",), "Signed off or not.", ("plan_pages", "emails", "dashboards")
    ),
    "plans.PlanDecision.reason_code": Entry(
        ("plan",),
        "The published reason for a refusal, told to the person.",
        ("plan_pages", "emails", "dashboards"),
    ),
    "plans.PlanDecision.legal_restriction": Entry(
        ("plan",),
        "Which published legal restriction applied to a refusal; recorded, but not yet shown to "
        "the person.",
    ),
    "plans.PlanDecision.risk_description": Entry(
        ("plan", "safety"),
        "The risk that made a plan unsafe, told to the person.",
        ("plan_pages",),
    ),
    "plans.PlanDecision.explanation": Entry(
        ("plan",), "The decision explained in plain words.", ("plan_pages", "emails")
    ),
    "plans.PlanDecision.decided_by": Entry(("plan", "audit"), "Who decided.", ("plan_pages",)),
    "plans.PlanDecision.by_panel": Entry(
        ("plan",), "Whether the panel decided (only for plans over budget).", ("plan_pages",)
    ),
    "plans.PlanDecision.decided_at": Entry(
        ("plan",), "When it was decided.", ("plan_pages", "dashboards")
    ),
    # plans.PlanInvitation -----------------------------------------------------------------
    "plans.PlanInvitation.plan": Entry(
        ("plan", "safety"),
        "The one plan the helper may see.",
        ("access", "plan_pages"),
    ),
    "plans.PlanInvitation.name": Entry(
        ("plan", "contact"), "Who was invited to help.", ("plan_pages", "emails")
    ),
    "plans.PlanInvitation.email": Entry(("contact",), "Where to send the invitation.", ("emails",)),
    "plans.PlanInvitation.kind": Entry(
        ("plan",), "What kind of helper (family, a support planner).", ("plan_pages",)
    ),
    "plans.PlanInvitation.token_hash": Entry(
        ("safety",),
        "Checks the invitation link without keeping the link itself.",
        ("access",),
    ),
    "plans.PlanInvitation.invited_by": Entry(
        ("audit",), "Who sent the invitation; the audit trail already shows it."
    ),
    "plans.PlanInvitation.created_at": Entry(
        ("plan",), "When the invitation was sent.", ("plan_pages",)
    ),
    "plans.PlanInvitation.expires_at": Entry(
        ("safety",), "The link stops working after 14 days.", ("plan_pages", "access")
    ),
    "plans.PlanInvitation.accepted_by": Entry(
        ("safety",), "The helper's account, which may see this plan only.", ("access",)
    ),
    "plans.PlanInvitation.accepted_at": Entry(
        ("plan",), "When the helper joined.", ("plan_pages",)
    ),
    # support.Service ----------------------------------------------------------------------
    "support.Service.person": Entry(
        ("statutory_return", "budget"),
        "Whose support it is; a new plan ends the person's earlier services.",
        ("support_release",),
    ),
    "support.Service.plan": Entry(
        ("budget",),
        "The plan the support comes from.",
        ("plan_pages", "support_release", "dashboards"),
    ),
    "support.Service.contact": Entry(
        ("budget",),
        "The urgent request a starter budget answers.",
        ("assessment_pages",),
    ),
    "support.Service.description": Entry(("budget",), "What the support is.", ("plan_pages",)),
    "support.Service.provider_name": Entry(
        ("budget",), "Who provides it; copied from the plan, and no page shows it yet."
    ),
    "support.Service.delivery_mechanism": Entry(
        ("statutory_return", "budget"),
        "How the support is paid (the return's delivery mechanism), shown to the person.",
        ("plan_pages",),
    ),
    "support.Service.service_type": Entry(
        ("statutory_return",),
        "The return's service type; the return export is not built yet.",
    ),
    "support.Service.service_component": Entry(
        ("statutory_return",),
        "The return's service component; the return export is not built yet.",
    ),
    "support.Service.unit_cost": Entry(
        ("statutory_return",),
        "The return's unit cost; the return export is not built yet.",
    ),
    "support.Service.cost_frequency": Entry(
        ("statutory_return",),
        "The return's cost frequency; the return export is not built yet.",
    ),
    "support.Service.planned_units_per_week": Entry(
        ("statutory_return",),
        "The return's planned units a week; the return export is not built yet.",
    ),
    "support.Service.weekly_cost": Entry(
        ("budget",), "What the support costs a week.", ("plan_pages", "assessment_pages")
    ),
    "support.Service.start_date": Entry(
        ("budget", "statutory_return"),
        "When the support starts.",
        ("plan_pages", "assessment_pages", "dashboards"),
    ),
    "support.Service.end_date": Entry(
        ("budget", "statutory_return"),
        "When the support ends (a starter budget, or replaced by a new plan).",
        ("assessment_pages", "support_release"),
    ),
    # support.DirectPayment ----------------------------------------------------------------
    "support.DirectPayment.person": Entry(
        ("budget",), "Who is paid; no output reads it from here yet (the plan says whose)."
    ),
    "support.DirectPayment.plan": Entry(
        ("budget",), "The plan the payment is for.", ("plan_pages",)
    ),
    "support.DirectPayment.four_weekly_amount": Entry(
        ("budget",), "How much is paid every 4 weeks.", ("plan_pages",)
    ),
    "support.DirectPayment.first_payment_on": Entry(
        ("budget",), "When the first payment is made.", ("plan_pages",)
    ),
    # support.ScheduledReview --------------------------------------------------------------
    "support.ScheduledReview.person": Entry(
        ("review",),
        "Whose review is due; a new plan closes their earlier review windows.",
        ("support_release", "review_pages", "review_schedule"),
    ),
    "support.ScheduledReview.plan": Entry(("review",), "The plan to be reviewed.", ("plan_pages",)),
    "support.ScheduledReview.kind": Entry(
        ("review",),
        "Which review is due: the light-touch first one, annual, or a direct payment review.",
        ("review_pages",),
    ),
    "support.ScheduledReview.due_from": Entry(
        ("review",), "The earliest date for the review.", ("plan_pages", "review_pages")
    ),
    "support.ScheduledReview.due_by": Entry(
        ("review",),
        "The latest date for the review: after it, the review is overdue.",
        ("plan_pages", "review_pages", "review_portal"),
    ),
    "support.ScheduledReview.closed_on": Entry(
        ("review",),
        "When the window closed (held, or replaced by a new plan): an open one is still due.",
        ("support_release", "review_pages", "review_schedule"),
    ),
    "support.ScheduledReview.closed_because": Entry(
        ("review", "audit"),
        "Why the window closed (held, replaced, support ended), kept for the record; no page "
        "shows it yet.",
    ),
}
REGISTER.update(
    {
        # reviews.Review -------------------------------------------------------------------
        "reviews.Review.person": Entry(
            ("review",),
            "Whose review it is.",
            ("review_pages", "review_portal", "learning", "access"),
        ),
        "reviews.Review.plan": Entry(
            ("review",),
            "The plan being reviewed.",
            ("review_pages", "review_schedule", "dashboards"),
        ),
        "reviews.Review.scheduled": Entry(
            ("review",),
            "The planned window this review meets, closed when it is held.",
            ("review_pages", "review_schedule"),
        ),
        "reviews.Review.planned": Entry(
            ("review", "statutory_return"),
            "Planned or unplanned: only a planned review moves the next one on.",
            ("review_pages", "review_schedule"),
        ),
        "reviews.Review.reason": Entry(
            ("review", "statutory_return"), "Why the review was held.", ("review_pages",)
        ),
        "reviews.Review.reason_detail": Entry(
            ("review",), "More about why, in plain words.", ("review_pages",)
        ),
        "reviews.Review.asked_for_by_person": Entry(
            ("review",), "Whether the person asked for the review.", ("review_pages",)
        ),
        "reviews.Review.status": Entry(
            ("review",),
            "Gathering views, or completed.",
            ("review_pages", "review_portal", "learning", "dashboards"),
        ),
        "reviews.Review.opened_at": Entry(
            ("review", "statutory_return"), "When the review started.", ("review_pages",)
        ),
        "reviews.Review.opened_by": Entry(
            ("review", "audit"),
            "Who started the review, which tells a review the person asked for from one they "
            "were offered.",
            ("review_schedule",),
        ),
        "reviews.Review.method": Entry(("review",), "How the review was held.", ("review_pages",)),
        "reviews.Review.decision": Entry(
            ("review",),
            "What the review decided, told to the person.",
            ("review_pages", "review_portal", "emails"),
        ),
        "reviews.Review.decision_note": Entry(
            ("review",),
            "The decision explained, told to the person.",
            ("review_pages", "review_portal", "emails"),
        ),
        "reviews.Review.outcomes_achieved": Entry(
            ("review", "statutory_return"),
            "How far the plan's outcomes were met, overall.",
            ("review_pages", "dashboards"),
        ),
        "reviews.Review.event_outcome": Entry(
            ("statutory_return",),
            "The return's event outcome for the review; the return export is not built yet.",
        ),
        "reviews.Review.peer_follow_up": Entry(
            ("review",), "How a peer support link has gone.", ("review_pages",)
        ),
        "reviews.Review.completed_at": Entry(
            ("review", "statutory_return"),
            "When the review was completed.",
            (
                "review_pages",
                "review_portal",
                "review_schedule",
                "learning",
                "peer_support",
                "dashboards",
            ),
        ),
        "reviews.Review.completed_by": Entry(
            ("review", "audit"), "Who recorded the review.", ("review_pages",)
        ),
        "reviews.Review.team": Entry(
            ("review",),
            "The team when the review was completed, so the learning figures do not move later.",
            ("learning", "dashboards"),
        ),
        "reviews.Review.primary_support_reason": Entry(
            ("review",),
            "The support reason when the review was completed, for the learning figures.",
            ("learning", "dashboards"),
        ),
        "reviews.Review.by_named_worker": Entry(
            ("review",),
            "Whether the named worker held the review: the continuity figures show the share.",
            ("dashboards",),
        ),
        # reviews.ReviewContribution ------------------------------------------------------
        "reviews.ReviewContribution.review": Entry(
            ("review",), "The review the view is for.", ("review_pages", "learning")
        ),
        "reviews.ReviewContribution.kind": Entry(
            ("review",),
            "Who gave the view: only the person's and others' words are quoted, never a worker's.",
            ("learning",),
        ),
        "reviews.ReviewContribution.author": Entry(
            ("review",),
            "The account that gave it, so giving a view again replaces the earlier one.",
            ("review_portal",),
        ),
        "reviews.ReviewContribution.author_label": Entry(
            ("review",),
            "Who gave it, as they were to the person at the time.",
            ("review_pages",),
        ),
        "reviews.ReviewContribution.outcome_ratings": Entry(
            ("review",), "How far they feel each outcome is met.", ("review_pages",)
        ),
        "reviews.ReviewContribution.share_quotes": Entry(
            ("review",),
            "Whether their words may be quoted, with nobody named, in what the council learns.",
            ("learning",),
        ),
        "reviews.ReviewContribution.will_share_experience": Entry(
            ("review",),
            "Whether they would share their experience with others as a peer.",
            ("review_pages",),
        ),
        "reviews.ReviewContribution.submitted_at": Entry(
            ("review",), "When they gave it.", ("review_pages", "review_portal")
        ),
        # reviews.ReviewPoint -------------------------------------------------------------
        "reviews.ReviewPoint.contribution": Entry(
            ("review",), "The view the point is part of.", ("review_pages", "learning")
        ),
        "reviews.ReviewPoint.kind": Entry(
            ("review",),
            "Working, not working, or something to change.",
            ("review_pages", "learning"),
        ),
        "reviews.ReviewPoint.text": Entry(
            ("review",), "The point, in their words.", ("review_pages", "learning")
        ),
        "reviews.ReviewPoint.theme": Entry(
            ("review",),
            "The learning theme the worker tagged it with.",
            ("review_pages", "learning"),
        ),
        # reviews.ReviewOutcome -----------------------------------------------------------
        "reviews.ReviewOutcome.review": Entry(
            ("review",), "The review it belongs to.", ("review_pages",)
        ),
        "reviews.ReviewOutcome.outcome": Entry(
            ("review",), "Which outcome of the plan.", ("review_pages",)
        ),
        "reviews.ReviewOutcome.achieved": Entry(
            ("review", "statutory_return"),
            "How far it is met, as agreed at the review.",
            ("review_pages",),
        ),
        # reviews.ReviewInvitation --------------------------------------------------------
        "reviews.ReviewInvitation.review": Entry(
            ("review", "safety"),
            "The one review the link lets them answer.",
            ("review_pages", "access"),
        ),
        "reviews.ReviewInvitation.name": Entry(
            ("contact",),
            "Who the person asked for a view.",
            ("review_pages", "review_portal", "emails"),
        ),
        "reviews.ReviewInvitation.email": Entry(
            ("contact",), "Where to send the request.", ("emails",)
        ),
        "reviews.ReviewInvitation.kind": Entry(
            ("review",), "Family, a provider, or someone else.", ("review_portal",)
        ),
        "reviews.ReviewInvitation.token_hash": Entry(
            ("safety",), "Checks the link without keeping the link itself.", ("access",)
        ),
        "reviews.ReviewInvitation.invited_by": Entry(
            ("audit",), "Who sent the request; the audit trail already shows it."
        ),
        "reviews.ReviewInvitation.created_at": Entry(("audit",), _WHEN_RECORDED),
        "reviews.ReviewInvitation.expires_at": Entry(
            ("safety",), "When the link stops working.", ("access",)
        ),
        "reviews.ReviewInvitation.answered_at": Entry(
            ("review", "safety"),
            "When they answered: the link works only once.",
            ("review_pages", "review_portal", "access"),
        ),
        # reviews.PeerSupporter -----------------------------------------------------------
        "reviews.PeerSupporter.person": Entry(
            ("plan", "contact"),
            "Who has agreed to share their experience with others.",
            ("peer_support",),
        ),
        "reviews.PeerSupporter.joined_on": Entry(
            ("plan",), "When they joined the register.", ("peer_support",)
        ),
        "reviews.PeerSupporter.how_to_contact": Entry(
            ("contact",),
            "How a linked peer may reach them, shared only once both agree.",
            ("peer_support",),
        ),
        "reviews.PeerSupporter.withdrawn_on": Entry(
            ("safety",),
            "When they left the register: nobody is suggested after that.",
            ("peer_support",),
        ),
        "reviews.PeerSupporter.source_review": Entry(
            ("audit",), "The review at which they offered; no page shows it yet."
        ),
        # reviews.PeerLink ----------------------------------------------------------------
        "reviews.PeerLink.person": Entry(("plan",), "Who a peer link is for.", ("peer_support",)),
        "reviews.PeerLink.peer": Entry(("plan",), "The peer suggested.", ("peer_support",)),
        "reviews.PeerLink.why": Entry(
            ("plan",), "Why the worker suggested this peer.", ("peer_support",)
        ),
        "reviews.PeerLink.proposed_by": Entry(
            ("audit",), "Who proposed the link; the audit trail already shows it."
        ),
        "reviews.PeerLink.proposed_at": Entry(
            ("plan",), "When the link was proposed: the newest are listed first.", ("peer_support",)
        ),
        "reviews.PeerLink.person_agreed_at": Entry(
            ("safety",),
            "When the person agreed: a link is made only when both agree.",
            ("peer_support",),
        ),
        "reviews.PeerLink.person_agreed_how": Entry(
            ("safety", "audit"),
            "How the person agreed, kept as the record of consent; no page shows it yet.",
        ),
        "reviews.PeerLink.peer_agreed_at": Entry(
            ("safety",), "When the peer agreed.", ("peer_support",)
        ),
        "reviews.PeerLink.peer_agreed_how": Entry(
            ("safety", "audit"),
            "How the peer agreed, kept as the record of consent; no page shows it yet.",
        ),
        "reviews.PeerLink.status": Entry(
            ("plan",), "Proposed, linked or declined.", ("peer_support",)
        ),
        "reviews.PeerLink.linked_at": Entry(
            ("plan",), "When they were put in touch; no page shows it yet."
        ),
        "reviews.PeerLink.followed_up_in": Entry(
            ("review",),
            "The review at which the link was followed up.",
            ("peer_support", "review_pages"),
        ),
    }
)

# portal.PortalInvitation (helper-portal, issue 9) ------------------------------------------
REGISTER.update(
    {
        "portal.PortalInvitation.person": Entry(
            ("contact", "safety"),
            "The record the new account will see.",
            ("portal_accounts",),
        ),
        "portal.PortalInvitation.relationship": Entry(
            ("contact", "safety"),
            "The representative the account is for (empty: the person themself).",
            ("portal_accounts",),
        ),
        "portal.PortalInvitation.email": Entry(
            ("contact",),
            "Where the invitation goes; it becomes the account's sign-in name.",
            ("portal_accounts",),
        ),
        "portal.PortalInvitation.token_hash": Entry(
            ("safety",),
            "Checks the invitation link without keeping the link itself.",
            ("portal_accounts",),
        ),
        "portal.PortalInvitation.invited_by": Entry(
            ("audit",), "Who sent the invitation.", ("portal_accounts",)
        ),
        "portal.PortalInvitation.created_at": Entry(
            ("contact",), "When the invitation was sent.", ("portal_accounts",)
        ),
        "portal.PortalInvitation.expires_at": Entry(
            ("safety",),
            "The link stops working after PORTAL_INVITATION_DAYS.",
            ("portal_accounts",),
        ),
        "portal.PortalInvitation.accepted_by": Entry(
            ("safety",), "The account made from the link.", ("portal_accounts",)
        ),
        "portal.PortalInvitation.accepted_at": Entry(
            ("safety",), "When the link was used: it works once.", ("portal_accounts",)
        ),
        "portal.PortalInvitation.withdrawn_at": Entry(
            ("safety",), "When the council withdrew the link.", ("portal_accounts",)
        ),
        "portal.PortalInvitation.replaced": Entry(
            ("safety",),
            "The link was withdrawn because a newer one was sent.",
            ("portal_accounts",),
        ),
    }
)

# --- helper-retention: the retention worklist and the mark of a deleted record -------------
REGISTER.update(
    {
        "retention.RetentionItem.run": Entry(
            ("safety",), "The retention review that found the record due.", ("retention",)
        ),
        "retention.RetentionItem.person": Entry(
            ("safety",), "The record that is due under the retention rules.", ("retention",)
        ),
        "retention.RetentionItem.category": Entry(
            ("safety",),
            "Case record or contact only: which retention period applies.",
            ("retention",),
        ),
        "retention.RetentionItem.last_activity": Entry(
            ("safety",), "When the retention period started.", ("retention",)
        ),
        "retention.RetentionItem.due_on": Entry(
            ("safety",), "When the record may be deleted.", ("retention",)
        ),
        "retention.RetentionItem.status": Entry(
            ("safety",), "Due for review or due for deletion.", ("retention",)
        ),
        "retention.RetentionAction.person": Entry(
            ("audit", "safety"),
            "The record that was deleted: it is never listed as due again.",
            ("retention",),
        ),
        "retention.RetentionAction.anonymised_at": Entry(
            ("audit",), "When the record was deleted.", ("retention",)
        ),
        "retention.RetentionAction.anonymised_by": Entry(
            ("audit",), "Who deleted the record.", ("retention",)
        ),
        "retention.RetentionAction.reason": Entry(
            ("audit",), "Why the record was deleted.", ("retention",)
        ),
        "retention.RetentionAction.category": Entry(
            ("audit",), "Which retention period applied.", ("retention",)
        ),
        "retention.RetentionAction.last_activity": Entry(
            ("audit",), "When the retention period started.", ("retention",)
        ),
        "retention.RetentionAction.due_on": Entry(
            ("audit",), "When the record became due for deletion.", ("retention",)
        ),
    }
)


# --- helper-access: break-glass and restricted records (people/rules.py) ---------------------
REGISTER.update(
    {
        "people.BreakGlassGrant.user": Entry(
            ("safety", "audit"),
            "The worker who looked at a record outside their caseload.",
            ("need_to_know",),
        ),
        "people.BreakGlassGrant.person": Entry(
            ("safety", "audit"), "The record they could see.", ("need_to_know",)
        ),
        "people.BreakGlassGrant.team": Entry(
            ("safety",), "The worker's team: its managers are told.", ("need_to_know",)
        ),
        "people.BreakGlassGrant.reason": Entry(
            ("safety", "audit"),
            "Why they had to look; the reason for every page they opened.",
            ("need_to_know",),
        ),
        "people.BreakGlassGrant.started_at": Entry(
            ("audit",), "When they started looking.", ("need_to_know",)
        ),
        "people.BreakGlassGrant.expires_at": Entry(
            ("safety",), "When their access ends (BREAK_GLASS_MINUTES).", ("need_to_know",)
        ),
        "people.BreakGlassGrant.reviewed_at": Entry(
            ("safety",), "When a manager checked it was needed.", ("need_to_know",)
        ),
        "people.BreakGlassGrant.reviewed_by": Entry(
            ("safety", "audit"), "The manager who checked it.", ("need_to_know",)
        ),
        "people.RecordRestriction.person": Entry(
            ("safety",), "The record only the staff named may see.", ("need_to_know",)
        ),
        "people.RecordRestriction.reason": Entry(
            ("safety", "audit"), "Why the record is restricted.", ("need_to_know",)
        ),
        "people.RecordRestriction.created_by": Entry(
            ("audit",), "The administrator who restricted it.", ("need_to_know",)
        ),
        "people.RecordRestriction.created_at": Entry(
            ("audit",), "When it was restricted.", ("need_to_know",)
        ),
        "people.RecordRestriction.updated_at": Entry(("audit",), _WHEN_CHANGED),
    }
)

# Checks, run by tests/core/test_field_register.py over the fields Django reports. ------------


def missing_purposes(fields: Iterable[str], register: Mapping[str, Entry]) -> list[str]:
    """Fields with no register entry, or an entry that declares no purpose."""
    return [field for field in fields if field not in register or not register[field].purposes]


def stale_entries(fields: Iterable[str], register: Mapping[str, Entry]) -> list[str]:
    """Register entries that name a field which no longer exists."""
    known = set(fields)
    return sorted(key for key in register if key not in known)


def unknown_codes(
    register: Mapping[str, Entry],
    purposes: Iterable[tuple[str, str]] = PURPOSES,
    outputs: Iterable[Output] = OUTPUTS,
) -> list[str]:
    """Purposes or outputs named in the register that are not defined."""
    purpose_codes = {code for code, _ in purposes}
    output_codes = {output.code for output in outputs}
    problems = []
    for key, entry in register.items():
        problems += [f"{key}: no purpose {p!r}" for p in entry.purposes if p not in purpose_codes]
        problems += [f"{key}: no output {o!r}" for o in entry.used_by if o not in output_codes]
    return problems


def names_for(key: str, entry: Entry) -> tuple[str, ...]:
    """The names under which code or a template reads this field."""
    name = key.rsplit(".", 1)[1]
    return (name, f"{name}_id", f"get_{name}_display", *entry.read_as)


def mentions(text: str, names: Iterable[str]) -> bool:
    """Whether TEXT reads one of NAMES as a field: `x.name`, `"name"` (or `"-name"` to order
    by it), `name=`, `__name`, `name__lookup`. A word in a sentence ("what I want") does not
    count, nor a form's input (`form.name`). It is a mention, not a proof: it catches a claim
    about an output that never touches the field, and the register's honesty covers the rest."""
    alternatives = "|".join(re.escape(name) for name in names)
    pattern = (
        rf"(?<!form)(?:\.|[\"']-?|__)(?:{alternatives})\b"
        rf"|\b(?:{alternatives})(?:__\w+)?\s*=(?!=)"
    )
    return re.search(pattern, text) is not None


def unbacked_claims(
    register: Mapping[str, Entry],
    sources: Mapping[str, str],
    outputs: Iterable[Output] = OUTPUTS,
) -> list[str]:
    """Claims "field F is used by output O" where no source file of O reads F.

    SOURCES maps each source path to its text (the caller reads the files).
    """
    by_code = {output.code: output for output in outputs}
    problems = []
    for key, entry in register.items():
        names = names_for(key, entry)
        for code in entry.used_by:
            output = by_code.get(code)
            if output is None:
                continue  # unknown_codes reports it
            if not any(mentions(sources.get(path, ""), names) for path in output.sources):
                problems.append(f"{key} is said to be used by {code}, which never reads it")
    return problems


def unused_fields(register: Mapping[str, Entry]) -> list[str]:
    """Fields collected but not used by any output: the administrators' report."""
    return [key for key, entry in register.items() if not entry.used_by]


def purpose_label(code: str) -> str:
    return dict(PURPOSES).get(code, code)


def output_label(code: str) -> str:
    return {output.code: output.label for output in OUTPUTS}.get(code, code)
