"""Issue 14, fault 1: changing songs back and forth must never freeze the output or pile up work.

The real `vj play` under Xvfb, its output grabbed from outside; songs changed by real key presses
(N, P) and by OSC over UDP.  The campaign found a return to the first song freezing the picture for
as long as the show had run; after the shape refactor a song change still rebuilt the control panel
on the frame thread for every command (about 22 ms here), so a controller that sends song changes
quickly (or a flood of them) stalled the output.
"""

from __future__ import annotations

import shutil
import time

import pytest

from playrig import BLACK_BOUND, FROZEN_BOUND, PlayRun
from servers import xvfb

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool missing: run make setup")


def two_songs(root, banks) -> str:
    path = root / "songs-two.toml"
    path.write_text(f"""
[setlist]
title = "two songs"
[[songs]]
title = "one"
bank = "{banks / 't'}"
switch_bars = 1
order = ["clip0", "clip1"]
[[songs]]
title = "two"
bank = "{banks / 't'}"
switch_bars = 1
order = ["clip2", "clip3"]
""")
    return str(path)


def test_song_changes_back_and_forth_keep_the_output_moving(test_bank, tmp_path):
    root, banks, track = test_bank
    setlist = two_songs(root, banks)
    with xvfb("1280x800x24") as display:
        run = PlayRun(display, [setlist, "--audio-file", str(track), "--mute", "--duration", "22"], tmp_path).start()
        try:
            run.wait_window()
            time.sleep(2.0)
            quiet0 = time.monotonic()
            time.sleep(2.0)
            quiet1 = flood0 = time.monotonic()
            # a controller that sends song changes fast: 300 a second for 3 s (under the OSC budget)
            k = 0
            while time.monotonic() - flood0 < 3.0:
                run.osc("/vj/song/select", 1 + k % 2)
                k += 1
                time.sleep(1 / 300)
            flood1 = time.monotonic()
            run.osc("/vj/song/select", 2)
            time.sleep(2.5)             # song two lands (a flight on a downbeat)
            run.key("p")                # ... and back to the first song, by key
            back = time.monotonic()
            time.sleep(4.0)
            run.key("n")                # N then P: song two armed, then song one again
            run.key("p")
            time.sleep(4.0)             # ... which lands
            code = run.wait()
        finally:
            run.terminate()
    assert code == 0, run.stderr
    watch = run.watch
    quiet = watch.changing(quiet0, quiet1) / max(1, len(watch.between(quiet0, quiet1)) - 1)
    flood = watch.changing(flood0, flood1) / max(1, len(watch.between(flood0, flood1)) - 1)
    print(f"\noutput changes per grab: quiet {quiet:.2f}, while song changes flood in {flood:.2f}; "
          f"longest frozen {run.frozen():.2f} s, black {run.black():.2f} s")
    # the picture kept moving while the song changes came in, as it did before them
    assert flood >= 0.5 * quiet, (flood, quiet)
    assert run.frozen() < FROZEN_BOUND
    assert run.black() < BLACK_BOUND
    # after the return to song one the picture moves, and song one's clips are back on stage
    assert watch.changing(back, back + 3.0) >= 0.5 * quiet * (len(watch.between(back, back + 3.0)) - 1)
    stats = run.stats()
    clips = stats["clips"]
    assert any(c in ("clip2", "clip3") for c in clips)
    last_two = max(i for i, c in enumerate(clips) if c in ("clip2", "clip3"))
    assert any(c in ("clip0", "clip1") for c in clips[last_two:]), clips
    # the panel no longer announces a song that has long landed
    assert not any("armed" in m for m in stats["messages"]), stats["messages"]
