"""The ingest API: a council document (PDF or text) → :class:`IngestResult` → YAML or ``LoadedPlan``.

For the CLI: ``safeguard-check ingest FILE [-o plan.yaml]`` writes ``ingest_path(FILE).to_yaml()``;
``check FILE.txt|FILE.pdf`` checks ``load_document(FILE)``, whose findings carry line numbers in the
YAML that ``ingest`` writes for the same file. Every failure is an :class:`InputError` with a message
key of the catalogue (``io.*``, ``decode.*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.ingest.build import IngestStructureError, Unmapped, build
from safeguard_check.ingest.context import Warnings
from safeguard_check.ingest.pdf import PdfTextError, is_pdf, pdf_text
from safeguard_check.ingest.sections import parse_document
from safeguard_check.ingest.text import repair
from safeguard_check.load.declaration import LoadedPlan, parse_declaration
from safeguard_check.load.encoding import DecodeError, decode_bytes
from safeguard_check.model.declaration import Declaration

__all__ = ["IngestResult", "Unmapped", "ingest_bytes", "ingest_path", "ingest_text", "load_document"]

MAX_BYTES = 50 * 1024 * 1024
"""Council PDFs are a few MB; anything this large is a mistake."""


@dataclass(frozen=True)
class IngestResult:
    """The draft declaration, the sentences no code was found for, and review warnings."""

    declaration: Declaration
    unmapped: tuple[Unmapped, ...]
    """Kept in the draft (measures with ``codes: []``, clauses without ``code``), listed for review."""
    warnings: tuple[str, ...]
    """「日本語 / English」 notes on what could not be read or was assumed."""
    source: str
    """The input's name (path)."""
    input_format: str
    """``pdf`` or the text encoding read (``utf-8``, ``cp932`` …)."""
    furniture: tuple[str, ...] = ()
    """Lines dropped as page furniture (資料番号, page numbers)."""

    def to_yaml(self) -> str:
        """A commented, reviewable YAML declaration that ``check`` loads as it is."""
        from safeguard_check.ingest.yaml_out import to_yaml

        return to_yaml(self)

    def loaded_plan(self, name: str | None = None) -> LoadedPlan:
        """The draft as ``check_plan`` takes it: ``to_yaml()`` parsed, so findings get line numbers
        in that YAML (``name`` is the file it will be saved as; default ``<source>.yaml``)."""
        return parse_declaration(self.to_yaml(), name or f"{self.source}.yaml")


def ingest_text(text: str, source: str = "<text>", input_format: str = "text") -> IngestResult:
    """Ingest a council document's text (already decoded). Raises :class:`InputError` when the text
    lacks what a declaration needs (municipality, effective date, title)."""
    repaired = repair(text)
    warnings = Warnings()
    try:
        built = build(parse_document(repaired.lines), repaired.document_number, warnings)
    except IngestStructureError as exc:
        raise InputError(
            [InputIssue(source, None, None, "io.unreadable", {"path": source, "detail": str(exc)})]
        ) from None
    return IngestResult(built.declaration, built.unmapped, built.warnings, source, input_format, repaired.furniture)


def ingest_bytes(data: bytes, source: str = "<bytes>") -> IngestResult:
    """Ingest a PDF or a text file (UTF-8, UTF-16 with BOM, Shift_JIS/CP932) given as bytes."""
    if is_pdf(data):
        try:
            text = pdf_text(data)
        except PdfTextError as exc:
            raise InputError(
                [InputIssue(source, None, None, "io.unreadable", {"path": source, "detail": str(exc)})]
            ) from None
        return ingest_text(text, source, "pdf")
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        raise InputError([InputIssue(source, exc.line, exc.column, exc.key, {"detail": exc.detail})]) from None
    return ingest_text(decoded.text, source, decoded.encoding)


def ingest_path(path: str | Path) -> IngestResult:
    """Ingest a council document file (``.pdf`` or text). Raises :class:`InputError` (located, with a
    message key) when the file cannot be read or does not look like a delegation plan."""
    fs = Path(path)
    name = str(path)
    if not fs.exists():
        raise InputError([InputIssue(name, None, None, "io.not_found", {"path": name})])
    if fs.is_dir():
        raise InputError([InputIssue(name, None, None, "io.is_directory", {"path": name})])
    try:
        size = fs.stat().st_size
        if size > MAX_BYTES:
            raise InputError([InputIssue(name, None, None, "io.too_large", {"size": size, "limit": MAX_BYTES})])
        data = fs.read_bytes()
    except OSError as exc:
        raise InputError(
            [InputIssue(name, None, None, "io.unreadable", {"path": name, "detail": exc.strerror or str(exc)})]
        ) from None
    return ingest_bytes(data, name)


def load_document(path: str | Path, name: str | None = None) -> LoadedPlan:
    """Ingest a council document and parse the draft as ``check_plan`` takes it.

    ``name`` is the file name findings report (default ``<path>.yaml``, where ``ingest -o`` would
    write the draft); their line numbers point into ``ingest_path(path).to_yaml()``.
    """
    return ingest_path(path).loaded_plan(name)
