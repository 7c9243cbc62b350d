"""Shared fixtures: real media made on the fly (tiny, so the whole suite stays fast).

The helpers themselves live in media.py, signals.py and showkit.py; test modules import from
those, never from each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from media import write_clip, write_track
from vj.bank import import_bank


@pytest.fixture(scope="session", autouse=True)
def _show_states(tmp_path_factory):
    """Saved show states (vj play's autosave) go to a folder of this run, never the user's: a test's
    killed show must not make a later test's `vj play` ask whether to resume."""
    import os
    old = os.environ.get("VJ_STATE_DIR")
    os.environ["VJ_STATE_DIR"] = str(tmp_path_factory.mktemp("states"))
    yield
    if old is None:
        os.environ.pop("VJ_STATE_DIR", None)
    else:
        os.environ["VJ_STATE_DIR"] = old


@pytest.fixture
def make_clip() -> Callable[..., Path]:
    """``make_clip(path, size=(64, 36), seconds=1.0, fps=30, ...)``: write a real H.264 clip (see media.write_clip)."""
    return write_clip


@pytest.fixture(scope="session")
def test_bank(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The test show, made once per run: bank ``t`` (clips clip0..clip3: 96x54, 2 s, each a different
    colour) in ``ROOT/banks``, and the 120 BPM test track as ``ROOT/track.flac``, ``one.flac`` and
    ``two.flac``.  Returns (ROOT, ROOT/banks, ROOT/track.flac).  Tests may add files to ROOT (give
    them names of their own) but must not change the bank or the tracks."""
    root = tmp_path_factory.mktemp("show")
    for i in range(4):
        write_clip(root / "src" / f"clip{i}.mp4", size=(96, 54), seconds=2.0, seed=i * 3)
    banks = root / "banks"
    import_bank(root / "src", "t", banks_dir=banks)
    track = write_track(root / "track.flac")
    for name in ("one.flac", "two.flac"):
        (root / name).write_bytes(track.read_bytes())
    return root, banks, track
