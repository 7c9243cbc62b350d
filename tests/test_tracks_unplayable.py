"""`vj play --tracks`: a song's track that exists but does not play (not audio, a file cut short, a drive gone
between the setlist check and the show) is silence for that song, said on the panel; the show runs on.  Its
track's end armed that song, and opening the track raised out of the player's frame loop: vj play stopped."""

from __future__ import annotations

import json
import subprocess
import sys

from media import write_track
from servers import xvfb

SCRIPT = """
import json, sys
from pathlib import Path
from vj.live.app import PlayOptions, Player
from vj.live.tracks import SetlistTracks
from vj.show.plan import plan_show

setlist, banks, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
plans = plan_show(setlist, banks_dir=banks, require_audio=False, lenient=True)
feed = SetlistTracks([p.audio for p in plans], mute=True).start()
player = Player(plans, feed, PlayOptions(size=(320, 180), fps=30, vsync=False, panel=False, duration=4.0), feed_label="t")
try:
    player.run()
finally:
    player.close()
out.write_text(json.dumps(dict(index=feed.index, said=feed.said(), own=feed.own_song)))
"""


def test_a_track_that_does_not_play_is_silence_and_the_show_runs_on(test_bank, tmp_path):
    root, banks, _ = test_bank
    short = write_track(tmp_path / "short.flac", seconds=1.0)
    (tmp_path / "junk.mp3").write_bytes(b"\x00 not audio at all " * 300)
    setlist = tmp_path / "set.toml"
    setlist.write_text(f'[[songs]]\ntitle = "one"\nbank = "t"\naudio = "{short}"\n\n'
                       f'[[songs]]\ntitle = "two"\nbank = "t"\naudio = "junk.mp3"\ndownbeat = 0.5\n')
    script, out = tmp_path / "play.py", tmp_path / "state.json"
    script.write_text(SCRIPT)
    with xvfb("640x480x24"):
        r = subprocess.run([sys.executable, str(script), str(setlist), str(banks), str(out)],
                           capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    state = json.loads(out.read_text())
    assert state["index"] == 1 and state["own"] is None, state   # song two, on silence (no known downbeats)
    assert "junk.mp3" in state["said"] and "silence" in state["said"], state
