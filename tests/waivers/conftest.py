"""Fixtures for the waiver tests: the bundled catalogue and the Shinjuku plan's check result."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard_check.check import check_plan
from safeguard_check.findings.model import CheckResult
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import load_declaration

REPO = Path(__file__).resolve().parents[2]
SHINJUKU_DIR = REPO / "cases" / "shinjuku-2020-mynumber-card"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def shinjuku(catalog: Catalog) -> CheckResult:
    plan = load_declaration(SHINJUKU_DIR / "declaration.yaml")
    return check_plan(plan, catalog, engine="reference")


@pytest.fixture(scope="session")
def shinjuku_2023(catalog: Catalog) -> CheckResult:
    """The same plan under the law of 2023-04-01, where one rule fires on each of J-LIS's six contractors
    (secrecy of J-LIS's contractors, REVIEW-2026-12 §C): the subject wildcard has several to match."""
    import datetime as dt

    plan = load_declaration(SHINJUKU_DIR / "declaration.yaml")
    return check_plan(plan, catalog, engine="reference", as_of=dt.date(2023, 4, 1))
