"""The installed command as CI runs it: a subprocess with colours off and a fixed width."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m safeguard_check ARGS`` in ``cwd``; ``env`` adds to (or overrides) the environment."""
    return subprocess.run(
        [sys.executable, "-m", "safeguard_check", *args],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
