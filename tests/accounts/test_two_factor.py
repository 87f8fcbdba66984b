"""Issue 9: staff need two-factor authentication; sign-in is throttled; sensitive actions
need a recent sign-in."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts import services, totp
from selfdirect.accounts.middleware import OPEN_BEFORE_SET_UP
from selfdirect.accounts.models import (
    STAFF_ROLES,
    RecoveryCode,
    Role,
    SignInAttempt,
    TwoFactorDevice,
    User,
)
from selfdirect.accounts.reauth import AUTHENTICATED_AT
from tests.conftest import World
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory
from tests.test_access_matrix import ROUTES, _urls

SETUP = reverse("accounts:two-factor-setup")


def code_now(secret: str = TOTP_SECRET, ahead: int = 0) -> str:
    return totp.code_for_step(secret, totp.step_at(time.time()) + ahead)


def sign_in_with_password(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:sign-in"), {"username": username, "password": password})


# --- The pure TOTP rules, against RFC 6238's published test vector ------------------------------


def test_codes_match_rfc_6238() -> None:
    # RFC 6238 appendix B, SHA-1, secret "12345678901234567890", 8 digits; we show 6.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert totp.code_for_step(secret, 59 // 30) == "287082"  # 94287082
    assert totp.code_for_step(secret, 1111111109 // 30) == "081804"  # 07081804
    assert totp.code_for_step(secret, 20000000000 // 30) == "353130"  # 65353130


def test_a_code_is_good_for_one_step_either_side_and_only_once() -> None:
    now = 1_700_000_000.0
    step = totp.step_at(now)
    for offset in (-1, 0, 1):
        code = totp.code_for_step(TOTP_SECRET, step + offset)
        assert totp.matching_step(TOTP_SECRET, code, now, None) == step + offset
        assert totp.matching_step(TOTP_SECRET, code, now, step + offset) is None
    assert (
        totp.matching_step(TOTP_SECRET, totp.code_for_step(TOTP_SECRET, step + 2), now, None)
        is None
    )
    assert totp.matching_step(TOTP_SECRET, "12345", now, None) is None
    spaced = totp.code_for_step(TOTP_SECRET, step)
    assert totp.matching_step(TOTP_SECRET, f"{spaced[:3]} {spaced[3:]}", now, None) == step


def test_the_unused_code_moves_past_a_used_step() -> None:
    now = 1_700_000_000.0
    step = totp.step_at(now)
    assert totp.unused_code(TOTP_SECRET, now, None) == totp.code_for_step(TOTP_SECRET, step)
    assert totp.unused_code(TOTP_SECRET, now, step) == totp.code_for_step(TOTP_SECRET, step + 1)
    assert totp.matching_step(TOTP_SECRET, totp.unused_code(TOTP_SECRET, now, step), now, step)


def test_the_qr_link_names_the_council_and_key() -> None:
    uri = totp.provisioning_uri("ABC", account="worker", issuer="Northbridge Borough Council")
    assert uri.startswith("otpauth://totp/Northbridge%20Borough%20Council%3Aworker?secret=ABC")
    assert "issuer=Northbridge+Borough+Council" in uri


# --- Staff cannot reach personal data before they set up an app ---------------------------------


STAFF_KEYS = ("allocated_worker", "team_manager", "panel_member", "commissioner", "administrator")


def test_staff_without_two_factor_are_sent_to_set_it_up_from_every_page(world: World) -> None:
    TwoFactorDevice.objects.all().delete()
    clients = {key: world.client_for(getattr(world, key)) for key in STAFF_KEYS}
    checked = 0
    failures = []
    for name, route in sorted(ROUTES.items()):
        if route.public or name in OPEN_BEFORE_SET_UP:
            continue
        for url, _target in _urls(world, name, route):
            for key, client in clients.items():
                response = client.get(url)
                checked += 1
                if response.status_code != 302 or not response["Location"].startswith(SETUP):
                    failures.append(f"{url} as {key}: {response.status_code}")
    assert not failures, failures
    assert checked > 300


def test_portal_users_are_not_asked_for_two_factor(world: World) -> None:
    client = world.client_for(world.the_person)
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(SETUP).status_code == 302


def test_setting_up_an_app_then_opening_the_page_you_wanted(world: World) -> None:
    user = UserFactory(username="newstarter", role=Role.SOCIAL_WORKER, two_factor=False)
    client = Client()
    response = sign_in_with_password(client, "newstarter")
    assert response.status_code == 302  # no app yet: signed in with the password alone …
    wanted = reverse("people:list")
    response = client.get(wanted)
    assert response["Location"] == f"{SETUP}?next=%2Fpeople%2F"  # … but sent to set one up
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "QR code for your authenticator app" in page
    secret = client.session["selfdirect_two_factor_secret"]
    assert totp.grouped(secret) in page

    wrong = client.post(f"{SETUP}?next={wanted}", {"code": "000000"})
    assert "The code is not right" in wrong.content.decode()
    assert not TwoFactorDevice.objects.filter(user=user).exists()

    response = client.post(f"{SETUP}?next={wanted}", {"code": code_now(secret)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:recovery-codes"))
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert f'href="{wanted}"' in codes_page
    # Shown once: the page does not show them again.
    assert client.get(reverse("accounts:recovery-codes")).status_code == 302
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert client.get(wanted).status_code == 200


# --- Signing in with a code ---------------------------------------------------------------------


def test_staff_sign_in_needs_the_code(world: World) -> None:
    client = Client()
    response = sign_in_with_password(client, "allocated")
    assert response["Location"] == reverse("accounts:sign-in-code")
    # Not signed in yet.
    assert client.get(reverse("people:list")).status_code == 302
    wrong = client.post(reverse("accounts:sign-in-code"), {"code": "123456"})
    assert "The code is not right" in wrong.content.decode()
    response = client.post(reverse("accounts:sign-in-code"), {"code": code_now()})
    assert response.status_code == 302
    assert client.get(reverse("people:list")).status_code == 200
    attempts = list(SignInAttempt.objects.order_by("pk").values_list("stage", "succeeded"))
    assert attempts == [("password", True), ("code", False), ("code", True)]


def test_a_code_cannot_be_used_twice(world: World) -> None:
    code = code_now()
    first = Client()
    sign_in_with_password(first, "allocated")
    assert first.post(reverse("accounts:sign-in-code"), {"code": code}).status_code == 302
    second = Client()
    sign_in_with_password(second, "allocated")
    again = second.post(reverse("accounts:sign-in-code"), {"code": code})
    assert again.status_code == 200
    assert "The code is not right" in again.content.decode()


def test_a_recovery_code_works_once(world: World) -> None:
    codes = services.recovery_codes_replace(user=world.allocated_worker)
    client = Client()
    sign_in_with_password(client, "allocated")
    response = client.post(
        reverse("accounts:sign-in-code"), {"code": codes[3].upper()}, follow=True
    )
    assert "You used a recovery code. You have 9 left" in response.content.decode()
    other = Client()
    sign_in_with_password(other, "allocated")
    refused = other.post(reverse("accounts:sign-in-code"), {"code": codes[3]})
    assert refused.status_code == 200


def test_the_code_step_expires(world: World) -> None:
    client = Client()
    sign_in_with_password(client, "allocated")
    session = client.session
    session["selfdirect_pending_sign_in"]["at"] = time.time() - 301
    session.save()
    response = client.post(reverse("accounts:sign-in-code"), {"code": code_now()})
    assert response["Location"] == reverse("accounts:sign-in")
    assert client.get(reverse("people:list")).status_code == 302


def test_the_code_step_goes_on_to_the_page_asked_for_but_never_off_site(world: World) -> None:
    client = Client()
    client.post(
        reverse("accounts:sign-in") + "?next=/people/",
        {"username": "allocated", "password": PASSWORD, "next": "/people/"},
    )
    assert (
        client.post(reverse("accounts:sign-in-code"), {"code": code_now()})["Location"]
        == "/people/"
    )
    evil = Client()
    evil.post(
        reverse("accounts:sign-in"),
        {"username": "allocated", "password": PASSWORD, "next": "https://evil.example/"},
    )
    location = evil.post(reverse("accounts:sign-in-code"), {"code": code_now(ahead=1)})["Location"]
    assert "evil" not in location


# --- Throttling ---------------------------------------------------------------------------------


def test_the_sixth_failed_sign_in_in_a_minute_is_refused(world: World) -> None:
    client = Client()
    for _ in range(5):
        response = sign_in_with_password(client, "allocated", "not-the-password")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    # The sixth is refused, even with the right password, which is not even checked.
    response = sign_in_with_password(client, "Allocated", PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "selfdirect_pending_sign_in" not in client.session
    # A minute later the account can be used again.
    SignInAttempt.objects.update(at=timezone.now() - datetime.timedelta(seconds=61))
    assert sign_in_with_password(client, "allocated")["Location"] == reverse(
        "accounts:sign-in-code"
    )


def test_wrong_codes_count_towards_the_throttle(world: World) -> None:
    client = Client()
    sign_in_with_password(client, "allocated")
    for _ in range(5):
        client.post(reverse("accounts:sign-in-code"), {"code": "000000"})
    response = client.post(reverse("accounts:sign-in-code"), {"code": code_now()})
    assert response.status_code == 429
    assert client.get(reverse("people:list")).status_code == 302


def test_one_address_gets_more_tries_than_one_username(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SIGN_IN_FAILURES_PER_MINUTE_PER_ADDRESS = 8
    client = Client()
    for index in range(8):
        sign_in_with_password(client, f"nobody{index}", "wrong")
    assert sign_in_with_password(client, "allocated").status_code == 429


# --- Confirming who you are before sensitive actions --------------------------------------------


def test_a_stale_sign_in_must_be_confirmed_with_password_and_code(world: World) -> None:
    client = world.client_for(world.administrator)
    page = reverse("returns:cld")
    assert client.get(page).status_code == 200  # just signed in: recent enough
    session = client.session
    session[AUTHENTICATED_AT] = time.time() - 901
    session.save()
    response = client.get(page)
    assert response.status_code == 302
    confirm = response["Location"]
    assert confirm.startswith(reverse("accounts:confirm"))
    bad = client.post(confirm, {"password": PASSWORD, "code": "000000", "next": page})
    assert "The password or code is not right" in bad.content.decode()
    response = client.post(confirm, {"password": PASSWORD, "code": code_now(), "next": page})
    assert response["Location"] == page
    assert client.get(page).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["returns:cld", "subject_access:search", "budgets:ras-new", "legacy:upload"],
)
def test_sensitive_pages_need_a_recent_sign_in(world: World, name: str) -> None:
    client = world.client_for(world.administrator)
    session = client.session
    session[AUTHENTICATED_AT] = time.time() - 3600
    session.save()
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))


def test_recovery_codes_can_be_made_again_after_confirming(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    old = services.recovery_codes_replace(user=world.allocated_worker)
    response = client.post(reverse("accounts:account"))
    assert response["Location"].startswith(reverse("accounts:recovery-codes"))
    page = client.get(response["Location"]).content.decode()
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)
    assert len(new) == 10 and not set(new) & set(old)


def test_every_staff_role_needs_two_factor_and_no_portal_role_does() -> None:
    for role in Role:
        user = User(role=role)
        assert services.needs_two_factor(user) is (role in STAFF_ROLES)
