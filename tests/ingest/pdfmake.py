"""Make a PDF of a council document's text with reportlab's built-in Japanese CID font.

``HeiseiKakuGo-W5`` is one of the Adobe-Japan1 CID fonts every PDF reader knows, so reportlab writes
it by name (no font file needed) with the UniJIS-UCS2-H encoding and no ToUnicode map: extraction has
to use the predefined CMap, as with many real council PDFs. Each page gets the 資料番号 as a header
and a page number as a footer, the page furniture ingest must remove.
"""

from __future__ import annotations

import io

LINES_PER_PAGE = 48


def make_pdf(text: str, header: str | None = "資料３０", footer: bool = True) -> bytes:
    """The lines of ``text`` drawn one per PDF line, ``LINES_PER_PAGE`` to a page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "HeiseiKakuGo-W5"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=True)  # invariant: same bytes every run
    width, height = A4
    lines = text.split("\n")
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    for number, page in enumerate(pages, start=1):
        c.setFont(font, 10)
        if header:
            c.drawRightString(width - 40, height - 30, header)
        y = height - 60
        for line in page:
            c.drawString(40, y, line.rstrip())
            y -= 15
        if footer:
            c.drawCentredString(width / 2, 25, f"- {number} -")
        c.showPage()
    c.save()
    return out.getvalue()
