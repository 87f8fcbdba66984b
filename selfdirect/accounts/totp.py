"""Time-based one-time passwords (RFC 6238, the codes authenticator apps show): pure Python.

Six digits, 30-second steps, HMAC-SHA1 — what every authenticator app (Microsoft, Google,
FreeOTP, 1Password…) expects from an `otpauth://` QR code. A code is accepted for the step
before and after the current one, to allow for a slow phone clock, but never twice: the
caller keeps the last step used and passes it back in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30
WINDOW = 1  # steps either side of now that are still accepted


def new_secret() -> str:
    """A random 160-bit secret, base32 without padding (as apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def code_for_step(secret: str, step: int) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def normalise(code: str) -> str:
    """What people type: spaces and hyphens are allowed between the digits."""
    return "".join(ch for ch in code if ch not in " -\t")


def matching_step(
    secret: str, code: str, unix_time: float, last_used_step: int | None
) -> int | None:
    """The step CODE is valid for (within the window and after LAST_USED_STEP), or None."""
    code = normalise(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(unix_time)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(code_for_step(secret, step), code):
            return step
    return None


def unused_code(secret: str, unix_time: float, last_used_step: int | None) -> str:
    """The code an app shows now or, if that one is used, the next (still accepted)."""
    step = step_at(unix_time)
    if last_used_step is not None and last_used_step >= step:
        step = last_used_step + 1
    return code_for_step(secret, step)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// link that the QR code carries."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
