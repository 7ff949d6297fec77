"""Whole-process timing helpers for the benchmark scripts (run by hand, never in tests)."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time


def run(cmd: list[str], repeat: int = 3) -> tuple[float, float, float]:
    """Median and best wall time (s) and peak memory (MB) of a command, whole process."""
    times, peaks = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONHASHSEED": "0"})
        times.append(time.perf_counter() - t)
        peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
    return statistics.median(times), min(times), max(peaks)


def sakip(*args: str) -> list[str]:
    return [sys.executable, "-m", "sakip_xl", *args]
