"""Run ``safeguard-check`` with the given arguments and write its peak RSS (MB) to ``$SGC_PEAK_FILE``.

Used by bench_check.py for the batch runs of figure 3: the checking process holds every result and
writes the reports, so its peak is what a batch costs in memory (workers hold one plan at a time).
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path


def _write_peak() -> None:
    target = os.environ.get("SGC_PEAK_FILE")
    if not target:
        return
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            Path(target).write_text(f"{int(line.split()[1]) / 1024:.0f}\n")


if __name__ == "__main__":
    atexit.register(_write_peak)
    from safeguard_check.cli import main

    sys.argv = ["safeguard-check", *sys.argv[1:]]
    main()
