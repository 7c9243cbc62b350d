"""tests/jack.py's own rules, where a mistake costs a developer's machine more than a failed test."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from jack import _other_jackd_running


def test_a_running_jackdbus_counts_as_a_jack_server(tmp_path):
    """A desktop's JACK runs as jackdbus (QjackCtl, Cadence, Ardour's session): with the registry full, the harness
    took it for no server at all and removed /dev/shm/jack-shm-registry under it (and the shared files after a
    test), breaking the developer's own JACK.  Every other process is left out, so only this one can answer."""
    fake = tmp_path / "jackdbus"
    shutil.copy(shutil.which("sleep"), fake)
    proc = subprocess.Popen([str(fake), "30"])
    try:
        deadline = time.monotonic() + 10.0
        while (Path("/proc") / str(proc.pid) / "comm").read_text().strip() != "jackdbus":   # forked, not yet exec'd
            assert time.monotonic() < deadline
            time.sleep(0.01)
        everyone = {int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()}
        assert _other_jackd_running(everyone - {proc.pid})
        assert not _other_jackd_running(everyone)
    finally:
        proc.kill()
        proc.wait()
