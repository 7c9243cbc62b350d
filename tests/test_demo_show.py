"""The demo show's setup (`vj demo`): what a setup cut short leaves, and what it never touches."""

from __future__ import annotations

from pathlib import Path

import pytest

from vj.demo_show import DEMO_SETLIST, setup_demo
from vj.errors import VjError


def test_a_setup_cut_short_leaves_no_setlist_so_play_alone_still_says_run_vj_demo(tmp_path: Path) -> None:
    """The setlist was written first: a setup stopped at the bank (Ctrl+C in its minute, or a bank of one's own
    named demo, which the demo never replaces) left a setlist naming a bank that is not there, and `vj play`
    alone then said "bank 'demo' not found" instead of "run `vj demo`"."""
    mine = tmp_path / "banks" / "demo" / "bank.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text('[[clips]]\nfile = "mine.mp4"\n')
    with pytest.raises(VjError, match="not the demo bank"):
        setup_demo(tmp_path / "setlists", tmp_path / "banks", say=lambda line: None,
                   size=(64, 36), seconds=0.5, fps=10)
    assert not (tmp_path / "setlists" / DEMO_SETLIST).exists()
    assert mine.read_text() == '[[clips]]\nfile = "mine.mp4"\n'
