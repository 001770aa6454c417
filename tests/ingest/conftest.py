"""Fixtures for ingest tests: the Shinjuku text, its hand-written declaration and their findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard_check.check import check_plan
from safeguard_check.ingest import IngestResult, ingest_path, ingest_text
from safeguard_check.ingest.quality import FindingKey, finding_identities
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.declaration import LoadedPlan, load_declaration

CASE = Path(__file__).resolve().parents[2] / "cases" / "shinjuku-2020-mynumber-card"
TEXT_PATH = CASE / "shiryo30.txt"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled baselines and rules."""
    return load_catalog()


@pytest.fixture(scope="session")
def shinjuku_text() -> str:
    """資料30 as extracted from the PDF (cases/…/shiryo30.txt)."""
    return TEXT_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def hand() -> LoadedPlan:
    """The hand-written declaration of the same document: the target."""
    return load_declaration(CASE / "declaration.yaml")


@pytest.fixture(scope="session")
def hand_findings(hand: LoadedPlan, catalog: Catalog) -> set[FindingKey]:
    """The hand-written case's findings as id-independent keys."""
    return finding_identities(check_plan(hand, catalog), hand.declaration)


@pytest.fixture(scope="session")
def ingested() -> IngestResult:
    """ingest(shiryo30.txt)."""
    return ingest_path(TEXT_PATH)


def findings(result: IngestResult, catalog: Catalog) -> set[FindingKey]:
    """Check an ingest result the way `check FILE.txt` will: through its YAML."""
    plan = result.loaded_plan()
    return finding_identities(check_plan(plan, catalog), plan.declaration)


def ingest_findings(text: str, catalog: Catalog) -> set[FindingKey]:
    """Ingest ``text`` and check it."""
    return findings(ingest_text(text), catalog)
