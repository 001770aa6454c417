"""Evaluation of rules over facts: durable-rules (production) and a plain-Python reference.

durable-rules ships no wheels, so installing it compiles C. Where it could not be installed (no
compiler; it is left out on Windows by an environment marker, see ``pyproject.toml``) the reference
evaluator — proven to give the same findings by ``tests/engine`` — takes over: :func:`resolve` picks
the engine for a run and says whether it fell back, so the command line can say so once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

EngineName = Literal["durable", "reference"]
EngineChoice = Literal["auto", "durable", "reference"]
ENGINE_CHOICES: tuple[EngineChoice, ...] = ("auto", "durable", "reference")
"""``auto`` (the default): durable-rules when it can be imported, else the reference evaluator."""


@lru_cache(maxsize=1)
def durable_available() -> bool:
    """Whether durable-rules imports on this interpreter (remembered: the answer cannot change)."""
    try:
        import durable.lang  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class EngineChoiceResult:
    """The engine a run uses and whether ``auto`` fell back to the reference evaluator."""

    name: EngineName
    fell_back: bool = False


def resolve(choice: EngineChoice) -> EngineChoiceResult:
    """The engine for ``choice``: ``auto`` is durable-rules when available, else the reference
    evaluator (``fell_back``). An explicit ``durable`` is kept as asked (it fails with
    :class:`~safeguard_check.engine.durable.EngineUnavailable` later if durable-rules is missing)."""
    if choice == "reference":
        return EngineChoiceResult("reference")
    if choice == "durable" or durable_available():
        return EngineChoiceResult("durable")
    return EngineChoiceResult("reference", fell_back=True)
