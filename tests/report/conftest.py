"""Reports shared by the format tests (checked once per session: checking is the slow part)."""

from __future__ import annotations

import pytest

from safeguard_check.findings.model import Report

from .helpers import MINIMAL, SHINJUKU, checked, document_checked, hostile, report_of, with_waived


@pytest.fixture(scope="session")
def shinjuku() -> Report:
    """The Shinjuku 2020 plan, as checked: 15 open findings."""
    return report_of(checked(SHINJUKU))


@pytest.fixture(scope="session")
def waived() -> Report:
    """Shinjuku with its multi-factor authentication finding waived, one expired and one unmatched waiver."""
    return report_of(with_waived(checked(SHINJUKU)), waivers_file="waivers.yaml")


@pytest.fixture(scope="session")
def two_plans() -> Report:
    """Two plans in one report (Shinjuku with a waiver, and the minimal test plan)."""
    return report_of(with_waived(checked(SHINJUKU)), checked(MINIMAL), waivers_file="waivers.yaml")


@pytest.fixture(scope="session")
def hostile_report() -> Report:
    """Shinjuku with markup and control characters in the plan's title, names and a subject."""
    return report_of(hostile(checked(SHINJUKU)))


@pytest.fixture(scope="session")
def all_reports(shinjuku: Report, waived: Report, two_plans: Report, hostile_report: Report) -> dict[str, Report]:
    """Every report above by name."""
    return {"shinjuku": shinjuku, "waived": waived, "two_plans": two_plans, "hostile": hostile_report}


@pytest.fixture(scope="session")
def document() -> Report:
    """Shinjuku as read from a council document: three sentences not understood, a missing field."""
    return report_of(document_checked())
