from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.audit import chain


class EventType(models.TextChoices):
    PERSON_VIEWED = "person.viewed", "Viewed the record"
    PERSON_CREATED = "person.created", "Created the record"
    PERSON_UPDATED = "person.updated", "Changed personal details"
    CIRCLE_ADDED = "circle.added", "Added someone to the circle of support"
    CIRCLE_UPDATED = "circle.updated", "Changed someone in the circle of support"
    CIRCLE_REMOVED = "circle.removed", "Removed someone from the circle of support"
    NAMED_WORKER_CHANGED = "named_worker.changed", "Changed the named worker"
    HANDOVER_READ = "named_worker.handover_read", "Read the handover note"
    CRISIS_RECORDED = "crisis.recorded", "Recorded a crisis"
    AUDIT_VIEWED = "audit.viewed", "Looked at who has seen the record"
    CONTACT_RECORDED = "contact.recorded", "Recorded a request for support"
    CONTACT_CLOSED = "contact.closed", "Closed a request for support without an assessment"
    STORY_ADDED = "story.added", "Added to the person's story"
    ASSESSMENT_STARTED = "assessment.started", "Started an assessment"
    JUDGEMENTS_SAVED = "assessment.judgements_saved", "Recorded judgments about outcomes"
    ASSESSMENT_COMPLETED = "assessment.completed", "Completed an assessment"
    CAPACITY_RECORDED = "capacity.recorded", "Recorded a capacity decision"
    BUDGET_ISSUED = "budget.issued", "Issued an indicative budget"
    BUDGET_STREAM_SET = "budget.stream_set", "Changed a funding stream"
    PLAN_STARTED = "plan.started", "Started a support plan"
    PLAN_SAVED = "plan.saved", "Changed the support plan"
    PLAN_SUBMITTED = "plan.submitted", "Sent the plan for sign-off"
    PLAN_DECIDED = "plan.decided", "Decided the plan"
    HELPER_INVITED = "plan.helper_invited", "Invited someone to help with the plan"
    HELPER_JOINED = "plan.helper_joined", "Joined as a plan helper"
    STARTER_BUDGET = "support.starter_budget", "Released a starter budget"
    REVIEW_OPENED = "review.opened", "Started a review"
    REVIEW_ASKED = "review.asked", "Asked for a review"
    REVIEW_VIEW_GIVEN = "review.view_given", "Gave a view for the review"
    REVIEW_INVITED = "review.invited", "Invited someone to give a view for the review"
    REVIEW_COMPLETED = "review.completed", "Recorded the review and its decision"
    PEER_JOINED = "peer.joined", "Joined the peer support register"
    PEER_WITHDRAWN = "peer.withdrawn", "Left the peer support register"
    PEER_PROPOSED = "peer.proposed", "Proposed a peer support link"
    PEER_AGREED = "peer.agreed", "Agreed to a peer support link"
    PEER_DECLINED = "peer.declined", "Declined a peer support link"
    PEER_LINKED = "peer.linked", "Linked with a peer"
    CLD_EXPORTED = "returns.cld_exported", "Produced the Client Level Data return"
    CLD_DOWNLOADED = "returns.cld_downloaded", "Downloaded the Client Level Data return"
    LEGACY_IMPORTED = "legacy.imported", "Imported from a previous system"
    SUBJECT_ACCESS_PRODUCED = "subject_access.produced", "Produced everything held about the person"
    API_CALLED = "api.called", "Used the API"
    # --- helper-retention (issue 9) ---
    RETENTION_ANONYMISED = "retention.anonymised", "Deleted the record under the retention rules"
    PORTAL_INVITED = "portal.invited", "Invited someone to use the portal"
    PORTAL_INVITATION_RESENT = "portal.invitation_resent", "Sent a portal invitation again"
    PORTAL_INVITATION_WITHDRAWN = "portal.invitation_withdrawn", "Withdrew a portal invitation"
    PORTAL_JOINED = "portal.joined", "Made a portal account from an invitation"
    PORTAL_SIGNED_IN_BY_LINK = "portal.signed_in_by_link", "Signed in with an emailed link"
    # --- helper-access: need to know (issue 9) ---
    BREAK_GLASS_STARTED = "break_glass.started", "Opened the record from outside their caseload"
    BREAK_GLASS_REVIEWED = "break_glass.reviewed", "Reviewed a look from outside the caseload"
    RECORD_RESTRICTED = "restriction.set", "Restricted which staff can see the record"
    RESTRICTION_CHANGED = "restriction.changed", "Changed which staff can see the record"
    RESTRICTION_LIFTED = "restriction.lifted", "Lifted the restriction on the record"


class AuditEvent(models.Model):
    """One read or change of a person's record, written in the same transaction as the change.

    `actor_label` and `person_label` keep the event readable even if the account or
    record it names is later removed under the retention rules.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    person_label = models.CharField(max_length=200, blank=True)
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    # Why the actor could do this: the legitimate relationship, or the reason they gave.
    reason = models.CharField(max_length=300)
    old_values = models.JSONField(default=dict, blank=True)
    new_values = models.JSONField(default=dict, blank=True)
    # The hash chain that makes the trail tamper-evident (see chain.py): the event's place,
    # 1, 2, 3, … with no gaps, the hash of the event before it, and its own hash. Only
    # audit_record() (and the synthetic seed, which keeps the same chain) writes events;
    # nothing changes or deletes them, and `selfdirect audit-verify` shows if anything has.
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.event_type}"


class AuditChainHead(models.Model):
    """The last event of the audit chain, kept apart from the events: one row, id 1.

    Every writer locks this row before reading it, so events join the chain one at a time,
    and moves it in the same transaction as the events it adds. Checking the newest event
    against it shows when events at the end of the trail were removed or re-hashed, which
    the links between events alone cannot.
    """

    ROW = 1

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=chain.GENESIS)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_one_row")
        ]

    def __str__(self) -> str:
        return f"Audit chain head: event {self.sequence}"
