"""Shared fixtures and hypothesis profiles.

Profiles: ``ci`` (loaded when the ``CI`` environment variable is set, as ``.ci/run`` does) bounds the
number of examples so a CI run takes a predictable time and prints the blob needed to reproduce a
failure; ``dev`` otherwise. Tests that need more examples say so with their own ``@settings``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=100, deadline=None, derandomize=False, print_blob=True)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The checkout's top directory (holds pyproject.toml, cases/, baselines/, rules/)."""
    return REPO_ROOT
