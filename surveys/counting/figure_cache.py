"""Figures computed from the rollups, cached until the rollups next change.

A scorecard is read far more often than its rollups change: a drain runs every few
seconds at most, and a head's page is opened again and again in between. Whatever
rewrites what the figures are made of (a rollup recomputation, a theme refresh, a
complaint) stamps a new version when its transaction commits, and a cached figure is
keyed by the version read before it was computed. So a page never shows figures older
than the last committed change: a change committed while a figure is computed stamps a
version that figure is not stored under.

Without a version (Redis emptied or down) figures are computed, not cached. Entries also
expire after TIMEOUT, bounding how stale a figure can be should a stamp be lost.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "figures:version"
TIMEOUT = 120  # seconds


def figures_changed() -> None:
    """Stamp a new version once the caller's transaction commits (at once outside one)."""
    transaction.on_commit(_stamp)


def _stamp() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def cached_figures(name: str, parts: tuple, compute):
    """compute(), or what it returned under the current version for the same parts."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        return compute()
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    key = f"figures:{name}:{version}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout=TIMEOUT)
    return found
