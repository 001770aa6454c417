"""PDF input: a PDF made from the Shinjuku text ingests to the same declaration as the text.

The PDFs are written here with reportlab's built-in Japanese CID font (see pdfmake.py), with a 資料番号
header and a page number footer on every page. Fields that could legitimately differ are none: the
furniture is removed, the minus sign a CID font gives for 「－」 is read as a hyphen, and layout
analysis rebuilds the same lines. What does differ is outside the declaration: ``input_format``
(``pdf``) and the list of removed page furniture.
"""

from __future__ import annotations

import pytest

from safeguard_check.errors import InputError
from safeguard_check.ingest import IngestResult, ingest_bytes, ingest_path
from safeguard_check.ingest.quality import FindingKey
from safeguard_check.load.catalog import Catalog

from .conftest import findings

# reportlab is in the test extra: without it these tests must fail, not skip (#19), so it is imported
# plainly (through pdfmake) rather than with importorskip.
from .pdfmake import make_pdf
from .transforms import rewrap


@pytest.fixture(scope="module")
def pdf_result(shinjuku_text: str) -> IngestResult:
    return ingest_bytes(make_pdf(shinjuku_text), "shiryo30.pdf")


def test_pdf_gives_the_same_declaration_as_the_text(pdf_result: IngestResult, ingested: IngestResult) -> None:
    assert pdf_result.input_format == "pdf"
    assert pdf_result.declaration.model_dump() == ingested.declaration.model_dump()
    assert pdf_result.warnings == ingested.warnings
    assert "- 1 -" in pdf_result.furniture and "資料30" in pdf_result.furniture


def test_pdf_findings_equal_the_hand_written_cases(
    pdf_result: IngestResult, catalog: Catalog, hand_findings: set[FindingKey]
) -> None:
    assert findings(pdf_result, catalog) == hand_findings


def test_pdf_with_another_layout(shinjuku_text: str, ingested: IngestResult) -> None:
    result = ingest_bytes(make_pdf(rewrap(shinjuku_text, 27, blank=False), header="資料30", footer=True), "x.pdf")
    assert result.declaration.model_dump() == ingested.declaration.model_dump()


def test_pdf_file_on_disk(tmp_path, shinjuku_text: str, ingested: IngestResult) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "shiryo30.pdf"
    path.write_bytes(make_pdf(shinjuku_text))
    assert ingest_path(path).declaration == ingested.declaration


def test_broken_pdf_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        ingest_bytes(b"%PDF-1.4\nthis is not a pdf", "broken.pdf")
    assert err.value.issues[0].key == "io.unreadable"


def test_pdf_without_text_is_an_input_error() -> None:
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.rect(10, 10, 100, 100)  # a drawing, as a scanned page would be an image: no text layer
    c.showPage()
    c.save()
    with pytest.raises(InputError) as err:
        ingest_bytes(out.getvalue(), "scan.pdf")
    assert "no text layer" in str(err.value.issues[0].params["detail"])
