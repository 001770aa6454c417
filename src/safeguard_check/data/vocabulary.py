"""The controlled vocabulary (measure codes, tasks, systems, auth factors, transfer methods).

It is data (``vocabulary.yaml`` beside this module), loaded once with the safe loader and validated,
so that legal staff can add a code without touching Python.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

Channel = Literal["network", "media", "postal", "other"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    ja: str
    en: str


class MeasureEntry(_Entry):
    phrases: tuple[str, ...] = ()
    derived: bool = False  # computed from structure; a declaration may not claim it


class AuthFactorEntry(_Entry):
    code: str | None = None


class MethodEntry(_Entry):
    channel: Channel


class Vocabulary(BaseModel):
    """All controlled codes, each with Japanese and English labels."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: Literal[1]
    measures: dict[str, MeasureEntry]
    tasks: dict[str, _Entry]
    systems: dict[str, _Entry]
    auth_factors: dict[str, AuthFactorEntry]
    transfer_methods: dict[str, MethodEntry]

    def label(self, kind: str, code: str, lang: str) -> str:
        """Label of ``code`` in table ``kind`` (``measures``, ``tasks`` …); the code itself if unknown."""
        table: dict[str, _Entry] = getattr(self, kind)
        entry = table.get(code)
        if entry is None:
            return code
        return entry.ja if lang == "ja" else entry.en


def _yaml_loader() -> type[yaml.SafeLoader]:
    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The bundled vocabulary, parsed once per process."""
    # A path beside this module, not importlib.resources (≈ 15 ms of imports at every start): the
    # package is always installed as files (wheel or editable), never zipped.
    text = Path(__file__).with_name("vocabulary.yaml").read_text(encoding="utf-8")
    return Vocabulary.model_validate(yaml.load(text, Loader=_yaml_loader()))


def suggest(word: str, candidates: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """Closest known spellings of ``word``, best first (for "did you mean")."""
    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.5)
