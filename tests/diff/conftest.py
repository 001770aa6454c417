"""Fixtures for the diff tests: the catalogue, loaded once."""

from __future__ import annotations

import pytest

from safeguard_check.load.catalog import Catalog, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled baselines and rules."""
    return load_catalog()
