"""scripts/pip-audit-check: what fails `make security`, from pip-audit's JSON report."""

from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pip-audit-check"


def load() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("pip_audit_check", str(SCRIPT))
    spec = importlib.util.spec_from_loader("pip_audit_check", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


check = load()
DJANGO = {"name": "django", "version": "5.2.1", "vulns": []}
SKIPPED = {"name": "rules", "skip_reason": "Dependency not found on PyPI"}


def test_exceptions_need_a_reason() -> None:
    text = "# comment\n\nPYSEC-2026-1  Only the admin site is affected; we do not use it\n"
    assert check.read_exceptions(text) == {
        "PYSEC-2026-1": "Only the admin site is affected; we do not use it"
    }
    with pytest.raises(SystemExit, match="say why GHSA-xxxx is accepted"):
        check.read_exceptions("GHSA-xxxx\n")


def test_the_committed_exceptions_file_reads() -> None:
    check.read_exceptions(check.EXCEPTIONS.read_text(encoding="utf-8"))


def test_a_known_vulnerability_fails() -> None:
    vuln = {"id": "PYSEC-2026-9", "fix_versions": ["5.2.2"], "aliases": []}
    status, lines = check.verdict(
        {"dependencies": [{**DJANGO, "vulns": [vuln]}, SKIPPED]}, required=False
    )
    assert status == 1
    assert "VULNERABLE django 5.2.1: PYSEC-2026-9 (5.2.2)" in lines
    assert any(line.startswith("NOT CHECKED rules") for line in lines)


def test_clean_passes_and_skips_fail_only_when_required() -> None:
    assert check.verdict({"dependencies": [DJANGO, SKIPPED]}, required=False)[0] == 0
    assert check.verdict({"dependencies": [DJANGO, SKIPPED]}, required=True)[0] == 1
    status, lines = check.verdict({"dependencies": [SKIPPED]}, required=False)
    assert status == 0 and "NOTHING WAS AUDITED" in lines[-1]
