"""Text from a PDF, with pdfminer.six.

pdfminer.six is pure Python, maintained, and ships the Adobe CMaps (Adobe-Japan1, UniJIS-UCS2 …), so
it reads the CID-keyed Japanese fonts council PDFs use even when a font has no ToUnicode map; its
layout analysis rebuilds lines in reading order and marks page ends with form feeds, which
:mod:`ingest.text` uses to find page furniture. Scanned PDFs have no text layer and are refused
(OCR is out of scope).
"""

from __future__ import annotations

import io
import logging

PDF_MAGIC = b"%PDF-"


class PdfTextError(ValueError):
    """The PDF cannot be read, is encrypted, or has no text layer."""


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF (the magic may follow a few junk bytes, as readers allow)."""
    return PDF_MAGIC in data[:1024]


def pdf_text(data: bytes) -> str:
    """The text of every page, pages separated by ``\\f``. Raises :class:`PdfTextError`."""
    from pdfminer.high_level import extract_text  # deferred: only PDF input pays for the import
    from pdfminer.layout import LAParams

    # pdfminer logs every font oddity as a warning; the user gets our own warnings instead.
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        text = extract_text(io.BytesIO(data), laparams=LAParams())
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise PdfTextError(f"PDF: {type(exc).__name__}: {exc}") from None
    finally:
        logger.setLevel(level)
    if not text.replace("\f", "").strip():
        raise PdfTextError("PDF has no text layer (a scanned image?); OCR it first")
    return text
