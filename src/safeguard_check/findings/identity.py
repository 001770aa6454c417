"""What identifies a plan, and the fingerprints of its findings.

A finding's fingerprint must tell two plans apart even when they belong to the same municipality
(two plans of 新宿区 share rules and often subject ids), and must stay the same when the plan is
edited (baseline mode and code-scanning dashboards match findings by it). So it is built from:

- the plan's **identity**: its declared ``plan.id`` when there is one, else its file's path relative
  to the root of the git work tree that holds it (the nearest directory upward with a ``.git``
  entry), else relative to the working directory, else the absolute path — always with ``/``
  separators. Editing the file keeps the path; two files never share one. Moving or renaming the
  file changes it: declare ``plan.id`` to keep fingerprints across moves.
- the rule id, the subject's kind and the subject's id — never the line, the title or any value.

Fingerprints made before plan identities existed (municipality + rule + subject,
:func:`legacy_fingerprint`) are still matched by baseline mode, so old baseline files keep working.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

IDENTITY_PREFIX_DECLARED = "id:"
IDENTITY_PREFIX_PATH = "path:"


def plan_identity(declared_id: str | None, path: str) -> str:
    """The identity of the plan in ``path``: ``id:<plan.id>`` if declared, else ``path:<relative path>``.

    The prefixes keep a declared id from ever equalling some file's path.
    """
    if declared_id:
        return IDENTITY_PREFIX_DECLARED + declared_id
    return IDENTITY_PREFIX_PATH + identity_path(path)


def identity_path(path: str) -> str:
    """``path`` relative to its git work tree's root, else to the working directory, with ``/``."""
    absolute = Path(os.path.abspath(path))
    root = _work_tree_root(str(absolute.parent))
    for base in (root, os.getcwd()):
        if base is None:
            continue
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            continue
    return absolute.as_posix()


@lru_cache(maxsize=1024)
def _work_tree_root(directory: str) -> str | None:
    # One lookup per directory: a batch of thousands of plans usually sits in a few directories.
    current = Path(directory)
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None


def fingerprint(identity: str, rule_id: str, subject_kind: str, subject_id: str) -> str:
    """The fingerprint of a finding of rule ``rule_id`` on a subject of the plan with ``identity``."""
    key = "\x1f".join(("v2", identity, rule_id, subject_kind, subject_id))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def legacy_fingerprint(municipality: str, rule_id: str, subject_kind: str, subject_id: str) -> str:
    """The fingerprint before plan identities (municipality, rule, subject): what old baselines hold."""
    key = "\x1f".join((municipality, rule_id, subject_kind, subject_id))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
