"""What the panel says about a control surface's problem, in the real `vj play` (its own process under Xvfb,
OSC over real UDP): one message, at the problem's level.

The surfaces log a problem (stderr and, through `vj play`'s log, the panel's news) and hand it to the panel's
problems as well; the panel showed each OSC or MIDI problem twice, once blue ("info") and once amber ("warning").
"""

from __future__ import annotations

import shutil
import time

import pytest

from playrig import PlayRun
from servers import xvfb

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool missing: run make setup")


def test_a_wrong_osc_message_is_one_warning_on_the_panel(test_bank, tmp_path):
    root, banks, track = test_bank
    with xvfb("1280x800x24") as display:
        run = PlayRun(display, [str(banks / "t"), "--banks-dir", str(banks), "--audio-file", str(track), "--mute",
                                "--duration", "8"], tmp_path).start()
        try:
            run.wait_window()
            run.osc("/vj/zoom/pulse", "loud")        # a string where a number goes
            assert run.wait() == 0, run.stderr[-2000:]
        finally:
            run.terminate()
    said = [m for m in run.stats()["messages"] if "zoom/pulse" in m]
    assert len(said) == 1 and said[0].startswith("warning: "), run.stats()["messages"]
    # its surface named once: the command's own origin is "osc HOST:PORT", and "osc: osc ..." read as a stutter
    assert said[0].startswith("warning: osc 127.0.0.1:") and "osc: osc" not in run.stderr, (said, run.stderr[-2000:])
    assert run.stderr.count("expected a number, got str 'loud'") == 1, run.stderr[-2000:]
