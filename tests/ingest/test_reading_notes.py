"""LoadedPlan.reading: unrecognised sentences with their document lines, N of M mapped, missing fields."""

from __future__ import annotations

from pathlib import Path

from safeguard_check.ingest import ingest_text, load_document

from .layouts import form_document


def test_unrecognised_sentences_carry_line_where_and_subjects(tmp_path: Path) -> None:
    doc = form_document(party_measures="１ 従事者に研修を行わせる。\n２ 職員は毎朝ラジオ体操を行う。")
    path = tmp_path / "doc.txt"
    path.write_text(doc, encoding="utf-8")
    notes = load_document(path).reading
    assert notes is not None
    [u] = notes.unrecognised
    line = doc.splitlines().index("２ 職員は毎朝ラジオ体操を行う。") + 1
    assert (u.line, u.text, u.kind) == (line, "職員は毎朝ラジオ体操を行う。", "measure")
    assert "受託事業者に行わせる" in u.where and u.where.endswith("2")
    assert u.subjects == ("contractor-1",)
    assert (notes.measure_sentences, notes.mapped_sentences) == (3, 2)


def test_pdf_plan_notes_have_no_document_line() -> None:
    result = ingest_text(form_document(party_measures="１ 職員は毎朝ラジオ体操を行う。"), "doc.pdf", "pdf")
    notes = result.document_plan().reading
    assert notes is not None and [u.line for u in notes.unrecognised] == [None]


def test_where_names_the_principal_as_the_document_does() -> None:
    result = ingest_text(form_document(principal_measures="１ 職員は毎朝ラジオ体操を行う。"))
    [u] = result.document_plan().reading.unrecognised  # type: ignore[union-attr]
    assert u.where == "sheet1 市が行う 運用上の対策 1"
