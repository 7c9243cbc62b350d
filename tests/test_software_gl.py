"""llvmpipe (software GL) gets enough rasteriser threads on a machine with few cores (vj.gfx.context)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from servers import xvfb
from vj.gfx.context import SOFTWARE_GL_MIN_THREADS

#: a child process opens the GL context the way vj does, then names its llvmpipe threads
PROBE = """
import glob, sys
if sys.argv[1] == "window":
    from vj.gfx.window import create_window
    window, ctx = create_window((64, 64), visible=False)
else:
    from vj.gfx.context import headless_context
    ctx = headless_context()
names = [open(f).read().strip() for f in glob.glob("/proc/self/task/*/comm")]
print(ctx.info["GL_RENDERER"], sum(n.startswith("llvmpipe-") for n in names))
"""


def _probe(kind: str, **env: str) -> tuple[str, int]:
    clean = {k: v for k, v in os.environ.items() if k != "LP_NUM_THREADS"} | env
    out = subprocess.run([sys.executable, "-c", PROBE, kind], capture_output=True, text=True, env=clean,
                         timeout=120, check=True).stdout.split()
    return " ".join(out[:-1]), int(out[-1])


@pytest.mark.parametrize("kind", ["headless", "window"])
def test_llvmpipe_gets_at_least_the_minimum_number_of_threads(kind):
    if kind == "window":
        with xvfb("320x240x24"):
            renderer, threads = _probe(kind)
    else:
        renderer, threads = _probe(kind)
    if "llvmpipe" not in renderer:
        pytest.skip(f"not software GL: {renderer}")
    assert threads == max(SOFTWARE_GL_MIN_THREADS, os.cpu_count() or 1)


def test_the_users_own_setting_wins():
    renderer, threads = _probe("headless", LP_NUM_THREADS="2")
    if "llvmpipe" not in renderer:
        pytest.skip(f"not software GL: {renderer}")
    assert threads == 2
