"""Making, revoking and checking API tokens. The token is `sd_` and 43 random characters."""

from __future__ import annotations

import datetime

from django.utils import timezone

from selfdirect.accounts.models import User
from selfdirect.api.models import ApiToken
from selfdirect.core.tokens import new_token, token_hash

PREFIX = "sd_"
# last_used_at is written at most this often, so every call is not also a write.
TOUCH_EVERY = datetime.timedelta(minutes=1)


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for USER. Returns the stored record and the token, which is never stored."""
    if not user.is_active:
        raise ValueError(f"{user.username} is not an active account")
    token = PREFIX + new_token()
    record = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API token",
        prefix=token[:10],
        token_hash=token_hash(token),
        created_at=timezone.now(),
    )
    return record, token


def token_revoke(*, record: ApiToken) -> ApiToken:
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
    return record


def user_for_token(token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not token.startswith(PREFIX):
        return None
    record = (
        ApiToken.objects.select_related("user", "user__team")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user
