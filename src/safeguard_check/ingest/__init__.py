"""``ingest``: turn a council document (PDF or extracted text) into a draft declaration to review.

Pipeline: bytes → text (:mod:`.pdf` or :func:`load.encoding.decode_bytes`) → repaired lines
(:mod:`.text`) → structure (:mod:`.sections`, :mod:`.labels`, :mod:`.lists`) → parties
(:mod:`.parties`), plan fields (:mod:`.plan`), facts (:mod:`.facts`), codes (:mod:`.mapping`) →
:class:`Declaration` (:mod:`.build`) → commented YAML (:mod:`.yaml_out`).

The API is in :mod:`.api` and re-exported here: :func:`ingest_path`, :func:`ingest_bytes`,
:func:`ingest_text` → :class:`IngestResult`; :func:`load_document` → ``LoadedPlan`` for ``check``.
"""

from __future__ import annotations

from safeguard_check.ingest.api import (
    IngestResult,
    Unmapped,
    ingest_bytes,
    ingest_path,
    ingest_text,
    load_document,
)

__all__ = ["IngestResult", "Unmapped", "ingest_bytes", "ingest_path", "ingest_text", "load_document"]
