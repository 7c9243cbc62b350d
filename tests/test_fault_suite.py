"""Issue 14: the standing fault suite's fast subset runs in every test run (bench/faults.py --fast).

The suite itself, not a copy: each fault against the real `vj play` under Xvfb beside a fault-free
baseline, the output grabbed from outside; it exits 1 when any row misses the target (black or frozen
over 1 s, data lost, nothing said, no recovery), so this test fails with it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb")


def test_the_fast_fault_subset_meets_the_target():
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "faults.py"), "--fast"], capture_output=True,
                       text=True, timeout=600, cwd=ROOT)
    out = r.stdout
    assert r.returncode == 0, out[-3000:] + r.stderr[-2000:]
    assert "target (no black or frozen stretch over 1 s, nothing lost, every fault said and recovered): met" in out
    rows = [line for line in out.splitlines() if line.startswith("| ") and not line.startswith("| fault ")]
    assert any(row.startswith("| 2 campaign OSC packet") for row in rows), out
    assert any(row.startswith("| 7 100 feedback") for row in rows), out
    assert any(row.startswith("| 9 import") for row in rows), out
    assert sum(row.startswith("| baseline") for row in rows) == 1   # the baselines merged into one row
