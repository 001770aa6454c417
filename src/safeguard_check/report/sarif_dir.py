"""``-o sarif-dir=DIR``: one SARIF file per plan, each with its own category.

GitHub code scanning accepts at most 25,000 results per run and shows 5,000; an archive of 2,000 plans
gave one run of 40,908 results (95 MB). Split per plan, every file stays far inside the limits and
carries ``automationDetails.id`` = ``safeguard-check/<plan identity>/``, so each plan's alerts are
tracked (and closed) on their own. An input that could not be checked gets its own file too, with an
unsuccessful invocation naming the problem and the category the plan has when it loads.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.findings.model import FailedInput, Report
from safeguard_check.messages import Lang
from safeguard_check.report.formats.sarif import stream_sarif
from safeguard_check.report.output import is_stdout, write_atomic

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def file_name(identity: str) -> str:
    """``path:plans/a.yaml`` → ``plans__a.yaml-1a2b3c4d.sarif``: readable, portable, and unique (the
    digest of the identity tells apart ``a/b`` and ``a__b``, or a declared id and a path)."""
    kind, _, value = identity.partition(":")
    stem = _UNSAFE.sub("_", value.replace("/", "__"))[:100] or "_"
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:8]
    return f"{'id-' if kind == 'id' else ''}{stem}-{digest}.sarif"


def per_plan(report: Report) -> dict[str, Report]:
    """File name → a report of one plan (or of one input that could not be checked), in report order."""
    out: dict[str, Report] = {}
    for result in report.results:
        out[file_name(result.plan_id or f"path:{result.file}")] = report.model_copy(
            update={"results": (result,), "errors": ()}
        )
    failed: dict[str, list[FailedInput]] = {}
    for error in report.errors:
        failed.setdefault(error.plan_id or f"path:{error.file}", []).append(error)
    for identity, errors in failed.items():
        out[file_name(identity)] = report.model_copy(update={"results": (), "errors": tuple(errors)})
    return out


def write_sarif_dir(directory: Path, report: Report, lang: Lang) -> list[Path]:
    """Write one SARIF log per plan into ``directory`` (created if needed); the paths written."""
    if is_stdout(directory):
        raise InputError([InputIssue("-", None, None, "output.dir_not_stdout", {"spec": "sarif-dir=-"})])
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            [
                InputIssue(
                    str(directory),
                    None,
                    None,
                    "output.unwritable",
                    {"path": str(directory), "detail": exc.strerror or str(exc)},
                )
            ]
        ) from None
    written = []
    for name, one in per_plan(report).items():
        path = directory / name
        write_atomic(path, stream_sarif(one, lang))
        written.append(path)
    return written
