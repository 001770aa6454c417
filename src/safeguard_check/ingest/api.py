"""The ingest API: a council document (PDF or text) → :class:`IngestResult` → YAML or ``LoadedPlan``.

For the CLI: ``safeguard-check ingest FILE [-o plan.yaml]`` writes ``ingest_path(FILE).to_yaml()``;
``check FILE.txt|FILE.pdf`` checks ``load_document(FILE)``. A text document's findings point at the
lines of the document itself, where the sentence examined starts (``positions``). A PDF's point at
the lines of the draft ``ingest FILE.pdf -o FILE.pdf.yaml`` writes: the lines of text extracted from
a PDF are nowhere a reader could find them. Every failure is an :class:`InputError` with a message
key of the catalogue (``io.*``, ``decode.*``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from safeguard_check.errors import InputError, InputIssue
from safeguard_check.ingest.build import IngestStructureError, Unmapped, build
from safeguard_check.ingest.context import Warnings
from safeguard_check.ingest.pdf import PdfTextError, is_pdf, pdf_text
from safeguard_check.ingest.positions import document_positions
from safeguard_check.ingest.prose import prose_sheet
from safeguard_check.ingest.sections import parse_document
from safeguard_check.ingest.text import repair
from safeguard_check.leakguard import LeakHit, cap_hits, guard_text
from safeguard_check.load.declaration import LoadedPlan, max_bytes_limit, parse_declaration
from safeguard_check.load.encoding import DecodeError, decode_bytes
from safeguard_check.load.files import read_input_bytes
from safeguard_check.load.tree import MAX_INT_DIGITS, Position, SourceMap, long_digit_run
from safeguard_check.load.tree import Path as TreePath
from safeguard_check.model.declaration import Declaration, SourceRef
from safeguard_check.model.reading import MissingField, ReadingNotes, UnrecognisedSentence

__all__ = ["IngestResult", "Unmapped", "ingest_bytes", "ingest_path", "ingest_text", "load_document"]

MAX_BYTES = 50 * 1024 * 1024
"""Council PDFs are a few MB; anything this large is a mistake (``--max-bytes`` overrides it)."""


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
    positions: Mapping[TreePath, Position] = field(default_factory=dict)
    """Where each part of the draft was read in a *text* document (empty for a PDF)."""
    document_leaks: tuple[LeakHit, ...] = ()
    """Individual numbers in a text document, at their lines there (the leak guard over its text)."""
    missing: tuple[MissingField, ...] = ()
    """Form fields the document lacks (a placeholder stands in the draft where the model needs one)."""

    def reading_notes(self) -> ReadingNotes:
        """What was not understood: unmapped sentences and clauses with their document lines (None
        for a PDF), how many measure sentences were read and mapped, and the missing form fields."""
        measures = self.declaration.measures
        lines = {index: pos.line for (kind, index), pos in _indexed(self.positions).items() if kind == "measures"}
        contract_lines = {
            index: pos.line for (kind, index), pos in _indexed(self.positions).items() if kind == "contracts"
        }
        by_source = {_key(m.source): i for i, m in enumerate(measures) if m.source is not None}
        unrecognised: list[UnrecognisedSentence] = []
        for u in self.unmapped:
            key = (u.sheet, u.section, u.category, u.item)
            index = by_source.get(key)
            measure = measures[index] if index is not None else None
            if u.kind == "clause":
                contract = next(
                    (
                        (i, c)
                        for i, c in enumerate(self.declaration.contracts)
                        if c.source is not None and _key(c.source) == key
                    ),
                    None,
                )
                line = contract_lines.get(contract[0]) if contract else None
                subjects = (contract[1].id, *contract[1].contractors) if contract else ()
            else:
                line = lines.get(index) if index is not None else None
                subjects = tuple(dict.fromkeys([*measure.implemented_by, *measure.covers])) if measure else ()
            kind: Literal["measure", "clause"] = "clause" if u.kind == "clause" else "measure"
            unrecognised.append(UnrecognisedSentence(line, u.text, u.where, kind, subjects))
        mapped = sum(1 for m in measures if m.codes or m.not_done)
        return ReadingNotes(tuple(unrecognised), len(measures), mapped, self.missing)

    def to_yaml(self) -> str:
        """A commented, reviewable YAML declaration that ``check`` loads as it is."""
        from safeguard_check.ingest.yaml_out import to_yaml

        return to_yaml(self)

    def loaded_plan(self, name: str | None = None) -> LoadedPlan:
        """The draft as ``check_plan`` takes it: ``to_yaml()`` parsed, so findings get line numbers
        in that YAML (``name`` is the file it will be saved as; default ``<source>.yaml``)."""
        return parse_declaration(self.to_yaml(), name or f"{self.source}.yaml")

    def document_plan(self) -> LoadedPlan:
        """The draft as ``check`` takes it, located in the document itself when it is text.

        The draft is validated (and its text guarded) exactly as ``ingest -o`` would write it, then,
        for a text document, every part is mapped to the document line its sentence starts on and the
        plan is named after the document. A PDF's plan keeps the draft's lines (see the module doc).
        """
        draft = self.loaded_plan()
        notes = self.reading_notes()
        if not self.positions:
            return dataclasses.replace(draft, reading=notes)
        return LoadedPlan(
            draft.declaration,
            SourceMap(self.source, dict(self.positions)),
            self.source,
            self.input_format,
            _document_leaks(self.document_leaks, draft.leaks),
            reading=notes,
        )


def _indexed(positions: Mapping[TreePath, Position]) -> dict[tuple[str, int], Position]:
    # ("measures", 3) → its position: only the top-level parts the notes point at.
    return {
        (str(path[0]), path[1]): pos for path, pos in positions.items() if len(path) == 2 and isinstance(path[1], int)
    }


def _key(source: SourceRef) -> tuple[str, str, str, str]:
    return (source.sheet or "", source.section or "", source.category or "", source.item or "")


def _document_leaks(document: tuple[LeakHit, ...], draft: tuple[LeakHit, ...]) -> tuple[LeakHit, ...]:
    # Numbers found in the document are reported at their lines there. The draft's guard may see one
    # the text scan cannot (a number broken over two lines is joined in the draft): it is kept, as
    # the document's, without a line of the draft that no one can open. None is ever dropped.
    seen = Counter(h.redacted for h in document)
    extra: list[LeakHit] = []
    for hit in draft:
        if seen[hit.redacted] > 0:
            seen[hit.redacted] -= 1
        else:
            extra.append(dataclasses.replace(hit, line=None, column=None))
    return cap_hits((*document, *extra))


def ingest_text(text: str, source: str = "<text>", input_format: str = "text") -> IngestResult:
    """Ingest a council document's text (already decoded). Raises :class:`InputError` when the text
    lacks what a declaration needs (municipality, effective date, title)."""
    repaired = repair(text)
    warnings = Warnings()
    document = parse_document(repaired.lines)
    if not document.sheets:
        # No 別紙 form: the document is read as prose (a PIA excerpt, a 仕様書 …).
        document.sheets.append(prose_sheet(repaired.lines))
    try:
        built = build(document, repaired.document_number, warnings)
    except IngestStructureError as exc:
        raise InputError(
            [InputIssue(source, None, None, "io.unreadable", {"path": source, "detail": str(exc)})]
        ) from None
    text_lines = input_format != "pdf"  # a PDF's extracted lines are nowhere a reader could find them
    return IngestResult(
        built.declaration,
        built.unmapped,
        built.warnings,
        source,
        input_format,
        repaired.furniture,
        positions=document_positions(document, built.declaration) if text_lines else {},
        document_leaks=guard_text(text)[1] if text_lines else (),
        missing=built.missing,
    )


def ingest_bytes(data: bytes, source: str = "<bytes>") -> IngestResult:
    """Ingest a PDF or a text file (UTF-8, UTF-16 with BOM, Shift_JIS/CP932) given as bytes."""
    if is_pdf(data):
        try:
            text = pdf_text(data)
        except PdfTextError as exc:
            raise InputError(
                [InputIssue(source, None, None, exc.key, {"path": source, "detail": str(exc), **exc.params})]
            ) from None
        _refuse_long_numbers(text, source, located=False)
        return ingest_text(text, source, "pdf")
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        raise InputError([InputIssue(source, exc.line, exc.column, exc.key, {"detail": exc.detail})]) from None
    _refuse_long_numbers(decoded.text, source, located=True)
    return ingest_text(decoded.text, source, decoded.encoding)


def _refuse_long_numbers(text: str, source: str, *, located: bool) -> None:
    # A number of more than 4,300 digits would crash the int() that reads it (対象者数, item numbers).
    # Lines of text extracted from a PDF are nowhere a reader could find them, so none is given then.
    found = long_digit_run(text)
    if found is not None:
        line, column, digits = found
        params: dict[str, object] = {"digits": digits, "limit": MAX_INT_DIGITS}
        if not located:
            raise InputError([InputIssue(source, None, None, "document.too_many_digits", params)])
        raise InputError([InputIssue(source, line, column, "document.too_many_digits", params)])


def ingest_path(path: str | Path) -> IngestResult:
    """Ingest a council document file (``.pdf`` or text). Raises :class:`InputError` (located, with a
    message key) when the file cannot be read or does not look like a delegation plan."""
    name = str(path)
    # Regular files only, never more than the limit (--max-bytes when given) read: see load/files.py.
    data = read_input_bytes(Path(path), max_bytes_limit(name, MAX_BYTES), name=name)
    return ingest_bytes(data, name)


def load_document(path: str | Path) -> LoadedPlan:
    """Ingest a council document and validate the draft as ``check_plan`` takes it.

    A text document's findings name the document and point at its lines; a PDF's name
    ``<path>.yaml`` and point at the lines of the draft ``ingest <path> -o <path>.yaml`` writes.
    """
    return ingest_path(path).document_plan()
