"""Text from a PDF, with pdfminer.six, within bounds of memory and CPU time.

pdfminer.six is pure Python, maintained, and ships the Adobe CMaps (Adobe-Japan1, UniJIS-UCS2 …), so
it reads the CID-keyed Japanese fonts council PDFs use even when a font has no ToUnicode map; its
layout analysis rebuilds lines in reading order and marks page ends with form feeds, which
:mod:`ingest.text` uses to find page furniture. Scanned PDFs have no text layer and are refused
(OCR is out of scope).

**Limits.** pdfminer has none (it decodes a Flate stream in one ``zlib.decompress`` call, and its
layout analysis grows faster than quadratically with the text boxes on a page: 2,000 characters
scattered over one page take 18 s), so a hostile PDF of a few hundred kilobytes could take gigabytes
or minutes. :class:`PdfLimits` bounds, each with its own message (``pdf.*``):

* pages, counted over the page tree before any page is interpreted;
* decompressed bytes, per stream and in total: pdfminer's decoders that expand data (Flate, LZW,
  RunLength) are module globals of ``pdfminer.pdftypes``, replaced for the duration of one
  extraction by versions that stop at the limit (a lock serialises extractions in one process);
* characters and content-stream operations per page (counted by a subclassed device and
  interpreter), which bound the memory and the layout analysis of one page;
* CPU time per page and in total: a ``SIGPROF`` interval timer (``ITIMER_PROF`` counts CPU time, not
  wall-clock time) interrupts the extraction wherever it is, layout analysis included. Where that
  timer is unavailable (Windows, or a thread other than the main one) the same budgets are checked
  between characters and operations instead.

Real council documents stay far below every limit: the 13-page seed document takes 0.2 s of CPU. The
CPU budgets are the loosest limits, because a legitimate dense table costs time too (see
:attr:`PdfLimits.page_cpu_seconds`).
"""

from __future__ import annotations

import io
import logging
import signal
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

PDF_MAGIC = b"%PDF-"
_MIB = 1024 * 1024


@dataclass(frozen=True)
class PdfLimits:
    """Bounds on one PDF's text extraction (see the module docstring)."""

    max_pages: int = 500
    max_stream_bytes: int = 64 * _MIB
    """Decompressed size of one stream (content, font, object stream)."""
    max_total_bytes: int = 256 * _MIB
    """Decompressed size of all streams together."""
    max_chars_per_page: int = 20_000
    """A dense A4 page of Japanese holds about 2,000 characters."""
    max_operations_per_page: int = 2_000_000
    """Operands and graphics-state saves in a page's content streams."""
    page_cpu_seconds: float = 10.0
    """A page of prose takes about 0.02 s, but layout analysis grows faster than quadratically with the
    text boxes: a dense A3 table of 720 cells takes about 3 s, one of 1,280 cells 12 s (the 4,000 boxes
    of a hostile 100 kB page would take over a minute)."""
    total_cpu_seconds: float = 60.0


DEFAULT_LIMITS = PdfLimits()


class PdfTextError(ValueError):
    """The PDF cannot be read, is encrypted, has no text layer, or exceeds a limit.

    ``key`` is a message key of the catalogue and ``params`` its parameters: ``io.unreadable`` (with the
    English ``detail`` in the message) for a broken or scanned PDF, ``pdf.*`` for a limit.
    """

    def __init__(self, message: str, key: str = "io.unreadable", **params: object) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


class _Stop(BaseException):
    """A limit was reached. A BaseException, so that pdfminer's own ``except Exception`` (it recovers
    from many broken files that way) cannot swallow it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF (the magic may follow a few junk bytes, as readers allow)."""
    return PDF_MAGIC in data[:1024]


class _Guard:
    """Counts what one extraction spends and stops it at a limit."""

    # How many characters or operations pass between two looks at the CPU clock when no timer runs.
    _CLOCK_EVERY = 1024
    # After the CPU timer first fires it fires again this often (CPU seconds) until disarmed: the
    # handler's exception can land in a gc callback or a __del__, where Python ignores it.
    _REFIRE = 0.05

    def __init__(self, limits: PdfLimits, timer: bool) -> None:
        self.limits = limits
        self.timer = timer
        self.started = time.process_time()
        self.page = 0
        self.page_started = self.started
        self.in_page = False
        self.chars = 0
        self.operations = 0
        self.events = 0
        self.decompressed = 0
        self.expired: _Stop | None = None
        """The stop the timer raised, kept in case the exception was swallowed where it landed."""

    # --- CPU time ---

    def _remaining(self) -> float:
        return self.limits.total_cpu_seconds - (time.process_time() - self.started)

    def _page_binds(self) -> bool:
        spent = time.process_time() - self.page_started
        return self.in_page and self.limits.page_cpu_seconds - spent <= self._remaining()

    def out_of_time(self) -> _Stop:
        if self._page_binds():
            return _Stop("pdf.page_cpu_time", page=self.page, limit=self.limits.page_cpu_seconds)
        return _Stop("pdf.cpu_time", limit=self.limits.total_cpu_seconds)

    def arm(self) -> None:
        """Set the CPU timer to the nearer of the page's and the document's deadline."""
        if not self.timer:
            return
        budget = self._remaining()
        if self.in_page:
            budget = min(budget, self.limits.page_cpu_seconds - (time.process_time() - self.page_started))
        # setitimer(…, 0) would disarm the timer: an exhausted budget fires at once instead.
        signal.setitimer(signal.ITIMER_PROF, max(budget, 1e-6), self._REFIRE)

    def _clock(self) -> None:
        if self.expired is not None:  # the timer fired but its exception was swallowed
            raise self.expired
        self.events += 1
        if self.timer or self.events % self._CLOCK_EVERY:
            return
        if self._remaining() <= 0 or (
            self.in_page and time.process_time() - self.page_started > self.limits.page_cpu_seconds
        ):
            raise self.out_of_time()

    # --- pages, characters, operations ---

    def begin_page(self) -> None:
        self.page += 1
        self.in_page = True
        self.page_started = time.process_time()
        self.chars = 0
        self.operations = 0
        self.arm()

    def end_page(self) -> None:
        if self.expired is not None:
            raise self.expired
        self.in_page = False
        self.arm()

    def char(self) -> None:
        self.chars += 1
        if self.chars > self.limits.max_chars_per_page:
            raise _Stop("pdf.too_many_characters", page=self.page, limit=self.limits.max_chars_per_page)
        self._clock()

    def operation(self) -> None:
        self.operations += 1
        if self.operations > self.limits.max_operations_per_page:
            raise _Stop("pdf.too_many_operations", page=self.page, limit=self.limits.max_operations_per_page)
        self._clock()

    # --- decompression ---

    def room(self) -> int:
        """How many more bytes the next stream may decompress to."""
        return max(0, min(self.limits.max_stream_bytes, self.limits.max_total_bytes - self.decompressed))

    def spend(self, size: int, room: int) -> None:
        if size > room:
            if room < self.limits.max_stream_bytes:
                raise _Stop("pdf.decompressed_too_large", limit=self.limits.max_total_bytes)
            raise _Stop("pdf.stream_too_large", limit=self.limits.max_stream_bytes)
        self.decompressed += size


class _BoundedZlib:
    """What ``pdfminer.pdftypes`` uses of :mod:`zlib`, stopping at the guard's limits."""

    error = zlib.error

    def __init__(self, guard: _Guard) -> None:
        self.guard = guard

    def decompress(self, data: bytes) -> bytes:
        room = self.guard.room()
        stream = zlib.decompressobj()
        out = stream.decompress(data, room + 1)
        self.guard.spend(len(out), room)
        if not stream.eof:
            # As zlib.decompress says it, so that pdfminer tries its recovery for truncated data.
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self) -> _BoundedDecompressor:
        return _BoundedDecompressor(self.guard)


class _BoundedDecompressor:
    """``zlib.decompressobj()`` for pdfminer's byte-by-byte recovery of corrupt streams."""

    def __init__(self, guard: _Guard) -> None:
        self.guard = guard
        self.stream = zlib.decompressobj()
        self.room = guard.room()
        self.total = 0

    def decompress(self, data: bytes) -> bytes:
        out = self.stream.decompress(data, self.room - self.total + 1)
        self.total += len(out)
        if self.total > self.room:
            self.guard.spend(self.total, self.room)
        self.guard.decompressed += len(out)
        return out


def _bounded_lzw(guard: _Guard) -> Any:
    from pdfminer.lzw import LZWDecoder

    def lzwdecode(data: bytes) -> bytes:
        room = guard.room()
        parts: list[bytes] = []
        size = 0
        for part in LZWDecoder(io.BytesIO(data)).run():
            size += len(part)
            if size > room:
                guard.spend(size, room)
            parts.append(part)
        guard.spend(size, room)
        return b"".join(parts)

    return lzwdecode


def _bounded_runlength(guard: _Guard) -> Any:
    from pdfminer.runlength import rldecode

    def bounded(data: bytes) -> bytes:
        # The decoded size follows from the length bytes alone; add them up before decoding.
        room = guard.room()
        size = 0
        index = 0
        while index < len(data) and data[index] != 128:
            length = data[index]
            size += length + 1 if length < 128 else 257 - length
            index += length + 2 if length < 128 else 2
            if size > room:
                guard.spend(size, room)
        decoded = rldecode(data)
        guard.spend(len(decoded), room)
        return decoded

    return bounded


_PATCH_LOCK = threading.Lock()


@contextmanager
def _bounded_decoders(guard: _Guard) -> Iterator[None]:
    import pdfminer.pdftypes as pdftypes

    replacements = {
        "zlib": _BoundedZlib(guard),
        "lzwdecode": _bounded_lzw(guard),
        "rldecode": _bounded_runlength(guard),
    }
    with _PATCH_LOCK:
        saved = {name: getattr(pdftypes, name) for name in replacements}
        for name, value in replacements.items():
            setattr(pdftypes, name, value)
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(pdftypes, name, value)


@contextmanager
def _cpu_timer(guard: _Guard) -> Iterator[None]:
    if not guard.timer:
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        guard.expired = guard.out_of_time()
        raise guard.expired

    previous = signal.signal(signal.SIGPROF, expired)
    try:
        guard.arm()
        yield
    finally:
        # Nested: if the timer fires just before it is disarmed, the handler is still put back.
        try:
            signal.setitimer(signal.ITIMER_PROF, 0)
        finally:
            signal.signal(signal.SIGPROF, previous)


def _timer_available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def pdf_text(data: bytes, limits: PdfLimits = DEFAULT_LIMITS) -> str:
    """The text of every page, pages separated by ``\\f``. Raises :class:`PdfTextError`."""
    # pdfminer logs every font oddity as a warning; the user gets our own warnings instead.
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    guard = _Guard(limits, timer=_timer_available())
    try:
        with _bounded_decoders(guard), _cpu_timer(guard):
            text = _extract(data, guard)
    except _Stop as stop:
        raise PdfTextError(f"PDF: limit {stop.key} {stop.params}", stop.key, **stop.params) from None
    except Exception as exc:  # pdfminer raises many unrelated types for broken files
        raise PdfTextError(f"PDF: {type(exc).__name__}: {exc}") from None
    finally:
        logger.setLevel(level)
    if not text.replace("\f", "").strip():
        raise PdfTextError("PDF has no text layer (a scanned image?); OCR it first")
    return text


def _extract(data: bytes, guard: _Guard) -> str:
    """What ``pdfminer.high_level.extract_text`` does, with the guard's device and interpreter."""
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    class Device(TextConverter):
        def begin_page(self, *args: Any, **kwargs: Any) -> None:
            guard.begin_page()
            super().begin_page(*args, **kwargs)

        def end_page(self, *args: Any, **kwargs: Any) -> None:
            super().end_page(*args, **kwargs)  # the layout analysis runs here, under the page's budget
            guard.end_page()

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            guard.char()
            return float(super().render_char(*args, **kwargs))

    class Interpreter(PDFPageInterpreter):
        def push(self, obj: Any) -> None:
            guard.operation()
            super().push(obj)

        def do_q(self) -> None:
            guard.operation()
            super().do_q()

    fp = io.BytesIO(data)
    # As extract_text: a document that asks not to be extracted from is read all the same.
    document = PDFDocument(PDFParser(fp), "")
    # Count the pages (a walk of the page tree) before interpreting any of them.
    for count, _ in enumerate(PDFPage.create_pages(document), start=1):
        if count > guard.limits.max_pages:
            raise _Stop("pdf.too_many_pages", limit=guard.limits.max_pages)
    output = io.StringIO()
    resources = PDFResourceManager(caching=True)
    device = Device(resources, output, codec="utf-8", laparams=LAParams())
    interpreter = Interpreter(resources, device)
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
    return output.getvalue()
