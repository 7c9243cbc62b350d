"""Ctrl+C during `vj bank import` of a big folder: it stops within a clip or two, keeps what is done
(bank.toml lists those clips, readable), and the same command again adds only the rest, ending with
the bank.toml an uninterrupted import writes.  Runs the real command in a subprocess and sends it a
real SIGINT, as a terminal does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from media import write_clip

pytestmark = pytest.mark.slow

CLIPS = 16


def _import(src: Path, banks: Path, name: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "vj", "bank", "import", "--name", name, "--banks-dir", str(banks),
                             str(src)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))


def _ids(toml: Path) -> list[str]:
    return [c["id"] for c in tomllib.loads(toml.read_text())["clips"]]


def test_ctrl_c_keeps_what_is_done_and_the_next_import_resumes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for i in range(CLIPS):
        write_clip(src / f"c{i:02d}.mp4", size=(320, 180), seconds=3.0, seed=i)
    banks = tmp_path / "banks"
    proc = _import(src, banks, "b")
    previews = banks / "b" / ".vj" / "previews"
    deadline = time.monotonic() + 120
    while not (previews.is_dir() and any(previews.iterdir())) and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    out, err = proc.communicate(timeout=120)
    stopped = time.monotonic() - sent
    toml = banks / "b" / "bank.toml"
    assert proc.returncode == 130, err
    assert toml.exists(), f"nothing kept after Ctrl+C ({stopped:.1f} s to stop): {err}"
    kept = _ids(toml)
    assert 1 <= len(kept) < CLIPS, (kept, err)
    assert "run the same command again" in err
    assert stopped < 30, f"took {stopped:.1f} s to stop"

    again = _import(src, banks, "b")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert f"{CLIPS - len(kept)} added, {len(kept)} kept" in err
    whole = _import(src, banks, "whole")
    whole.communicate(timeout=300)
    assert _ids(toml) == _ids(banks / "whole" / "bank.toml") == [f"c{i:02d}" for i in range(CLIPS)]


def _cpu_s(pid: int) -> float:
    """The process's CPU seconds so far (all its threads: the import's workers are threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_ctrl_c_while_measuring_clips_already_in_the_bank_says_so(tmp_path: Path) -> None:
    """An import that only measures clips already in the bank (their focus tracks, after one with --no-focus) and
    is stopped by Ctrl+C said '0 added, N kept ... 5 focus tracks measured' and exited 0: a script took it as done."""
    src = tmp_path / "src"
    for i in range(48):   # ~0.15 CPU-s of focus measuring each (16 took 3.1 s with the start): a stop lands mid-way
        write_clip(src / f"c{i:02d}.mp4", size=(320, 180), seconds=3.0, seed=i)
    banks = tmp_path / "banks"
    first = subprocess.run([sys.executable, "-m", "vj", "bank", "import", "--name", "b", "--banks-dir", str(banks),
                            "--no-focus", str(src)], capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    proc = _import(src, banks, "b")                      # now measures each kept clip's focus track
    deadline = time.monotonic() + 120
    while proc.poll() is None and _cpu_s(proc.pid) < 2.0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "kept clips not yet measured (interrupted: run the same command again" in err, err
