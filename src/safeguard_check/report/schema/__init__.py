"""JSON Schemas of the machine-readable report formats, shipped as package data.

``report-v1.schema.json`` describes ``safeguard-check check --format json`` output (Draft 2020-12). It is
generated from the result model by :func:`safeguard_check.report.formats.json_format.report_schema`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPORT_SCHEMA_FILE = "report-v1.schema.json"


def report_schema_text() -> str:
    """The committed report schema file's content."""
    return Path(__file__).with_name(REPORT_SCHEMA_FILE).read_text(encoding="utf-8")


def load_report_schema() -> dict[str, Any]:
    """The committed report schema as data."""
    data: dict[str, Any] = json.loads(report_schema_text())
    return data
