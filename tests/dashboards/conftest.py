from __future__ import annotations

import pytest

from selfdirect.reviews import learning


@pytest.fixture
def no_suppression(monkeypatch: pytest.MonkeyPatch) -> None:
    """Show every count, so a test on a handful of people can check the exact figures.
    (Suppression itself has its own tests, with the real threshold.)"""
    monkeypatch.setattr(learning, "THRESHOLD", 1)
