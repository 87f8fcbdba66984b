"""Work that reads a whole council, kept for FIGURES_CACHE_SECONDS for everyone who asks the
same question (the figures pages, the counts on Learning from reviews and What we collect).

What they show describes months, so minutes-old answers are fine; each page says when its
answer was worked out (the time returned here) and offers to work it out again now (FRESH).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

T = TypeVar("T")


def kept(key: str, work: Callable[[], T], *, fresh: bool) -> tuple[T, datetime.datetime]:
    """WORK's answer and when it was worked out: from the cache under KEY unless FRESH or
    caching is off (FIGURES_CACHE_SECONDS = 0), otherwise worked out now and kept."""
    seconds = settings.FIGURES_CACHE_SECONDS
    if seconds > 0 and not fresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    entry = (work(), timezone.now())
    if seconds > 0:
        cache.set(key, entry, seconds)
    return entry
