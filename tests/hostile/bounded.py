"""The command in a subprocess under hard resource limits, for inputs built to exhaust them.

``RLIMIT_AS`` caps the address space (a runaway read or decompression dies with MemoryError at once
instead of swapping the machine) and ``RLIMIT_CPU`` the CPU seconds (the kernel stops a runaway
computation with SIGXCPU). A test then asserts that the command finished *within* those bounds with
exit 2 and its message: a bound on resources, not on wall-clock time. The timeout is a safety net
for what no limit catches (a read that waits for ever).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MEMORY_BYTES = 768 * 1024 * 1024
CPU_SECONDS = 20


def run_bounded(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 90,
    memory: int = MEMORY_BYTES,
    cpu_seconds: int = CPU_SECONDS,
) -> subprocess.CompletedProcess[str]:
    """``python -m safeguard_check ARGS --lang en`` with at most ``memory`` bytes and ``cpu_seconds``."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))

    return subprocess.run(
        [sys.executable, "-m", "safeguard_check", *args, "--lang", "en"],
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit if sys.platform != "win32" else None,
    )
