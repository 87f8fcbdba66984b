"""Two-factor authentication and the sign-in throttle (the rules; views only call these)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import time

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from selfdirect.accounts import totp
from selfdirect.accounts.models import (
    STAFF_ROLES,
    AttemptStage,
    RecoveryCode,
    SignInAttempt,
    TwoFactorDevice,
    User,
)

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def needs_two_factor(user: User) -> bool:
    """Staff must use a second factor; portal users sign in with a password or email link."""
    return user.role in STAFF_ROLES


def is_enrolled(user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user).exists()


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from. Behind a proxy, the proxy must set REMOTE_ADDR
    (e.g. gunicorn's --forwarded-allow-ips); X-Forwarded-For is never trusted here."""
    return request.META.get("REMOTE_ADDR") or None


# --- The throttle --------------------------------------------------------------------------


def record_attempt(
    *, username: str, address: str | None, stage: str, succeeded: bool
) -> SignInAttempt:
    return SignInAttempt.objects.create(
        at=timezone.now(),
        username=username.strip().lower()[:150],
        ip_address=address,
        stage=stage,
        succeeded=succeeded,
    )


def is_throttled(*, username: str, address: str | None) -> bool:
    """True once the failures in the last minute reach the limit: the next try is refused."""
    since = timezone.now() - datetime.timedelta(minutes=1)
    failures = SignInAttempt.objects.filter(at__gte=since, succeeded=False).exclude(
        stage=AttemptStage.REFUSED
    )
    if (
        failures.filter(username=username.strip().lower()[:150]).count()
        >= settings.SIGN_IN_FAILURES_PER_MINUTE
    ):
        return True
    return (
        address is not None
        and failures.filter(ip_address=address).count()
        >= settings.SIGN_IN_FAILURES_PER_MINUTE_PER_ADDRESS
    )


# --- Setting up an authenticator app ------------------------------------------------------------


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Ten new one-use recovery codes; the old ones stop working. Shown once, never stored."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=_hash(_normalise_recovery(c))) for c in codes]
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def two_factor_enrol(*, user: User, secret: str, code: str) -> list[str] | None:
    """Keep SECRET as USER's authenticator if CODE proves their app has it; then the
    recovery codes to show them once. None if the code is wrong."""
    step = totp.matching_step(secret, code, time.time(), None)
    if step is None:
        return None
    TwoFactorDevice.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "confirmed_at": timezone.now(), "last_used_step": step},
    )
    return recovery_codes_replace(user=user)


@transaction.atomic
def second_factor_check(*, user: User, code: str) -> str | None:
    """'app' or 'recovery' if CODE is a good, unused code for USER; else None.

    The device row is locked so two requests cannot both use the same code.
    """
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        return None
    step = totp.matching_step(device.secret, code, time.time(), device.last_used_step)
    if step is not None:
        device.last_used_step = step
        device.save(update_fields=["last_used_step"])
        return "app"
    normalised = _normalise_recovery(code)
    if len(normalised) == 10:
        used = RecoveryCode.objects.filter(
            user=user, code_hash=_hash(normalised), used_at__isnull=True
        ).update(used_at=timezone.now())
        if used:
            return "recovery"
    return None


def two_factor_reset(*, user: User) -> None:
    """An administrator's remedy when a phone and the recovery codes are both lost
    (`selfdirect two-factor reset USER`): the user sets up again at their next sign-in."""
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
