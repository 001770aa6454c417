"""Hostile PDFs, written byte by byte (no PDF library decides what they hold).

Each page uses the standard Helvetica font, so its text operators give characters pdfminer reads
without any font file; streams may be Flate-compressed, and a stream may be given as raw bytes with
its own filter (a decompression bomb). Cross-reference offsets are exact.
"""

from __future__ import annotations

import zlib


def pdf(pages: list[bytes], *, filters: dict[int, bytes] | None = None) -> bytes:
    """A PDF with one page per content stream in ``pages``.

    ``filters`` maps a page index to the ``/Filter`` value of its content stream, which is then
    written exactly as given (already encoded by the caller).
    """
    filters = filters or {}
    objects: list[bytes] = [b"", b""]  # catalog and page tree, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    font = len(objects)
    kids = []
    for index, content in enumerate(pages):
        extra = b" /Filter %s" % filters[index] if index in filters else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(content), extra) + content + b"\nendstream")
        contents = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (font, contents)
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_line(text: str, y: int = 800) -> bytes:
    """A content stream that shows ``text`` (ASCII) on one line."""
    return b"BT /F1 10 Tf 40 %d Td (%s) Tj ET" % (y, text.encode("ascii"))


def flate_bomb(size: int) -> bytes:
    """A Flate stream of a text line followed by ``size`` spaces (about 1,000:1), made in chunks."""
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(text_line("bomb") + b"\n")]
    chunk = b" " * (8 * 1024 * 1024)
    for _ in range(size // len(chunk)):
        parts.append(compressor.compress(chunk))
    parts.append(compressor.flush())
    return b"".join(parts)


def scattered_characters(count: int, seed: int = 1) -> bytes:
    """``count`` one-character strings at pseudo-random places: each becomes its own text box, and
    pdfminer's layout analysis grows faster than quadratically with them."""
    state = seed
    ops = [b"BT /F1 8 Tf"]
    for _ in range(count):
        state = (state * 1103515245 + 12345) % 2**31
        x, y = state % 560, (state // 560) % 820
        ops.append(b"1 0 0 1 %d %d Tm (a) Tj" % (x, y))
    ops.append(b"ET")
    return b" ".join(ops)


def lzw(data: bytes) -> bytes:
    """``data`` LZW-encoded as PDF's /LZWDecode reads it (9 to 12-bit codes, early change), so that a
    run of one byte becomes codes of up to 3,800 bytes each: an LZW decompression bomb."""
    table = {bytes([i]): i for i in range(256)}
    codes: list[tuple[int, int]] = []
    decoder_size, width = 258, 9  # the decoder's table lags one code behind the encoder's

    def emit(code: int) -> None:
        nonlocal decoder_size, width
        codes.append((code, width))
        if len(codes) > 2:  # neither the clear code nor the first code after it adds an entry
            decoder_size += 1
            width = {511: 10, 1023: 11, 2047: 12}.get(decoder_size, width)

    emit(256)
    word = b""
    for value in data:
        extended = word + bytes([value])
        if extended in table:
            word = extended
            continue
        emit(table[word])
        if len(table) + 2 < 4096:
            table[extended] = len(table) + 2
        word = bytes([value])
    if word:
        emit(table[word])
    emit(257)
    bits = "".join(format(code, f"0{size}b") for code, size in codes)
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")
