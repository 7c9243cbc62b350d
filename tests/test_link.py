"""Ableton Link with two real peers in two processes, inside a network namespace the test makes
(`unshare -n`: loopback only, no other Link session can join)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("link", reason="Ableton Link is optional: make setup installs it from requirements-link.lock")


def test_tempo_and_phase_cross_both_ways():
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("needs `unshare -n` (root or user namespaces) to keep Link on a private loopback")
    script = Path(__file__).with_name("link_scenario.py")
    r = subprocess.run(["unshare", "-n", "sh", "-c", f"ip link set lo up && {sys.executable} {script}"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    # a foreign peer set 133 BPM: the show follows, with Link as its tempo source, on the session's phase
    assert out["follow_source"] == "link" and out["follow_bpm"] == pytest.approx(133.0, abs=0.05)
    assert out["phase_ms_median"] < 2.0
    # vj leads at 97 BPM (a tempo set on vj): the foreign peer follows
    assert out["lead_peer_bpm"] == pytest.approx(97.0, abs=0.01)


def test_link_is_refused_clearly_when_the_mode_is_wrong():
    from vj.control import ShowControl, SongEntry
    from vj.control.link import LinkSurface
    from vj.errors import VjError
    with pytest.raises(VjError, match="follow or --link lead"):
        LinkSurface(ShowControl([SongEntry("s", ("a",))]), mode="sideways")
