"""Shared fixtures and hypothesis profiles.

Profiles: ``ci`` (loaded when the ``CI`` environment variable is set, as ``.ci/run`` does) bounds the
number of examples so a CI run takes a predictable time and prints the blob needed to reproduce a
failure; ``dev`` otherwise. Tests that need more examples say so with their own ``@settings``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=100, deadline=None, derandomize=False, print_blob=True)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO_ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """A private catalogue cache for the session (never the developer's ~/.cache); subprocesses inherit it."""
    cache = tempfile.mkdtemp(prefix="safeguard-check-test-cache-")
    os.environ["SAFEGUARD_CHECK_CACHE_DIR"] = cache
    config.add_cleanup(lambda: shutil.rmtree(cache, ignore_errors=True))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's top directory (holds pyproject.toml, cases/, baselines/, rules/)."""
    return REPO_ROOT
