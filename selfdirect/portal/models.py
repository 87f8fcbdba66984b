"""Invitations to use the portal, and emailed sign-in links. Only the hash of each link's secret
is kept (core/tokens.py), so a copy of the database cannot be used to follow a link."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PortalInvitation(models.Model):
    """A worker invites the person, or a representative in their circle, to make a portal
    account. Following the link once makes the account and links it to the record."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="portal_invitations"
    )
    # Empty: the invitation is for the person themself. Otherwise the representative in their
    # circle whose account it makes.
    relationship = models.ForeignKey(
        "people.Relationship",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portal_invitations",
    )
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Withdrawn because the link was sent again: the old link then says to use the newer one.
    replaced = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "accepted_at", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"Portal invitation for {self.email}"

    @property
    def for_self(self) -> bool:
        return self.relationship_id is None


class SignInLink(models.Model):
    """A one-use link to sign in to the portal without a password, emailed on request.

    Only portal accounts get one: staff sign in with a password and a two-factor code.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The address it went to, lower-cased: the throttle counts links per address.
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email", "created_at"])]

    def __str__(self) -> str:
        return f"Sign-in link for {self.email}"
