"""Production settings and the security headers (targets R8).

The production checks run `selfdirect` in a fresh process, because settings are read once
at start-up from the environment.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World

SELFDIRECT = Path(sys.executable).with_name("selfdirect")
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production server: nothing from this test run's settings."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE"}
        and not name.startswith(("DJANGO_", "PYTEST_"))
    }
    environ.update(
        SELFDIRECT_PRODUCTION="1",
        ALLOWED_HOSTS="example.org",
        SELFDIRECT_VAR_DIR=str(tmp_path / "var"),
        **extra,
    )
    return environ


def run(args: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(SELFDIRECT), *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    # A random key, given as a file: proves *_FILE secrets work.
    key = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60))
    key_file = tmp_path / "secret_key"
    key_file.write_text(key + "\n", encoding="utf-8")
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, SECRET_KEY_FILE=str(key_file)),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?:" not in output


def test_check_deploy_fails_without_production_settings(tmp_path: Path) -> None:
    """The check can fail: the laptop settings (no HTTPS, no HSTS) are not fit to deploy."""
    environ = production_env(tmp_path, SECRET_KEY="x" * 60)
    environ.pop("SELFDIRECT_PRODUCTION")
    result = run(["check", "--deploy", "--fail-level", "WARNING"], environ)
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # SECURE_HSTS_SECONDS
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT


@pytest.mark.parametrize("debug", ["0", "1"])
def test_production_refuses_the_demo_secret_key(tmp_path: Path, debug: str) -> None:
    result = run(["check"], production_env(tmp_path, DEBUG=debug))
    assert result.returncode != 0
    assert "Set SECRET_KEY (or SECRET_KEY_FILE) before running in production." in result.stderr


def test_production_settings(tmp_path: Path) -> None:
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
    ]
    script = "from django.conf import settings; " + "; ".join(
        f"print('SETTING', {name!r}, repr(settings.{name}))" for name in names
    )
    environ = production_env(tmp_path, SECRET_KEY="k" * 60, TRUST_X_FORWARDED_PROTO="1")
    result = run(["shell", "-c", script], environ)
    assert result.returncode == 0, result.stderr
    values = dict(
        line.split(" ", 2)[1:] for line in result.stdout.splitlines() if line.startswith("SETTING ")
    )
    assert values == {
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SESSION_COOKIE_NAME": "'__Host-sessionid'",
        "SECURE_SSL_REDIRECT": "True",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_PROXY_SSL_HEADER": "('HTTP_X_FORWARDED_PROTO', 'https')",
    }


def test_every_page_sends_the_security_headers(world: World) -> None:
    for client, url in [
        (Client(), reverse("core:home")),
        (Client(), reverse("core:accessibility")),
        (world.client_for(world.allocated_worker), reverse("core:home")),
        (Client(), "/no-such-page/"),
    ]:
        response = client.get(url)
        assert response["Content-Security-Policy"] == POLICY, url
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_a_request_body_over_the_limit_is_refused_unread(db: None, settings: Any) -> None:
    settings.REQUEST_MAX_BYTES = 100
    settings.UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    response = Client().post(reverse("accounts:sign-in"), {"username": "x" * 200})
    assert response.status_code == 413
    content = response.content.decode()
    assert "The file is too large" in content and "smaller than 50 MB" in content
    assert response["Content-Security-Policy"] == POLICY
    settings.REQUEST_MAX_BYTES = 10_000
    assert Client().post(reverse("accounts:sign-in"), {"username": "x"}).status_code == 200
