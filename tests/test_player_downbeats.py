"""A song's known downbeats (setlist ``downbeat = ...``) in `vj play`'s own frame loop: the player tells the show
which song's track it hears and where that track began (vj.live.tracks.heard_track, ShowLoop.hearing_track),
and the engine gets its resync (R) on each known downbeat as the track reaches it.  The show's side is tested in
tests/test_known_downbeats.py; here the real Player runs under Xvfb, with `--tracks` and with one audio file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from servers import xvfb

#: the song's known downbeats (seconds into its track): after the player's warm-up (at most 3 s, vj.live.app),
#: so each is reached while the show runs, not in the first frame's audio
DOWNBEATS = (3.5, 5.0)
#: a frame may come this late on a loaded 2-core machine (the test's frames at 30 fps are 33 ms apart; the longest
#: frozen frame measured in the 15-minute soak at load 8 was 0.19 s, docs/PERFORMANCE.md)
FRAME_SLACK_S = 1.0

SCRIPT = """
import json, sys
from pathlib import Path
from vj.audio.file_input import FileInput
from vj.engine import Resync
from vj.engine.show import ShowEngine
from vj.live.app import PlayOptions, Player
from vj.live.tracks import SetlistTracks
from vj.show.plan import plan_show

setlist, banks, out, feed_kind = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
given = []   # (show time, the resync's time): every Resync the engine is stepped with
first = []   # the show time of the engine's first step
step = ShowEngine.step

def recording(self, t, snapshot, events=()):
    events = list(events)
    first[:] = first or [t]
    given.extend((t, ev.at) for ev in events if isinstance(ev, Resync))
    return step(self, t, snapshot, events)

ShowEngine.step = recording
plans = plan_show(setlist, banks_dir=banks, require_audio=False)
if feed_kind == "tracks":   # vj play --tracks
    feed = SetlistTracks([p.audio for p in plans], mute=True).start()
else:                       # vj play --audio-file (the song's own track)
    feed = FileInput(plans[0].audio).start()
player = Player(plans, feed, PlayOptions(size=(320, 180), fps=30, vsync=False, panel=False, duration=7.0), feed_label="test")
try:
    player.run()
finally:
    player.close()
out.write_text(json.dumps(dict(given=given, first=first[0], downbeats=list(plans[0].downbeats))))
"""


@pytest.mark.parametrize("feed", ["tracks", "file"])
def test_the_player_gives_the_engine_a_resync_on_each_known_downbeat(test_bank, tmp_path, feed):
    root, banks, track = test_bank
    setlist = tmp_path / "set.toml"
    setlist.write_text(f'[[songs]]\ntitle = "one"\nbank = "t"\naudio = "{track}"\n'
                       f'downbeat = [{", ".join(str(d) for d in DOWNBEATS)}]\n')
    script, out = tmp_path / "play.py", tmp_path / "state.json"
    script.write_text(SCRIPT)
    with xvfb("640x480x24"):
        r = subprocess.run([sys.executable, str(script), str(setlist), str(banks), str(out), feed],
                           capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    state = json.loads(out.read_text())
    assert state["downbeats"] == list(DOWNBEATS)
    given = state["given"]
    # each known downbeat once, at its time in the track (the track began with the show: sample 0), given in
    # the frame whose audio reached it (the show's time is the audio clock: within a few frames of it)
    assert [at for _, at in given] == pytest.approx(list(DOWNBEATS), abs=1e-3), given
    # (a loaded machine may start the show after a downbeat: then it comes with the first frame, not dropped)
    for t, at in given:
        reached = max(at, state["first"])
        assert reached - 1e-3 <= t <= reached + FRAME_SLACK_S, (given, state["first"])
