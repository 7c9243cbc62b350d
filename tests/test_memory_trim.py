"""Issue 14's soak: memory freed during a long show goes back to the system (vj/live/memory.py).

A heap with ~100 MB of holes between live blocks (what frame buffers freed between audio blocks leave):
glibc keeps the holes resident until malloc_trim; the trimmer must give them back."""

import re
import sys
import time

import numpy as np
import pytest

from vj.live.memory import Trimmer

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")


def rss_mb() -> float:
    return int(re.search(r"VmRSS:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024


def holes(n: int = 1000, size: int = 100_000) -> list:
    """n touched blocks of ``size`` bytes freed, each with a small block kept after it (so none is at the top)."""
    kept, big = [], []
    for _ in range(n):
        a = np.empty(size, np.uint8)
        a[:] = 1
        big.append(a)
        kept.append(np.ones(2000, np.uint8))
    del big
    return kept


def test_the_trimmer_gives_freed_holes_back():
    trimmer = Trimmer()
    assert trimmer.available
    kept = holes()
    before = rss_mb()
    assert trimmer.trim()
    after = rss_mb()
    assert before - after > 50, f"RSS {before:.0f} -> {after:.0f} MB"
    assert trimmer.trims == 1 and trimmer.seconds > 0
    del kept


def test_the_trimmer_thread_trims_on_its_own_and_stops_when_closed():
    trimmer = Trimmer(every=0.05).start()
    try:
        deadline = time.monotonic() + 10
        while trimmer.trims < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert trimmer.trims >= 2
    finally:
        trimmer.close()
    done = trimmer.trims
    time.sleep(0.2)
    assert trimmer.trims == done
