"""Playing a file source out loud, from a child process, through a real JACK server (dummy driver)."""

from __future__ import annotations

import time

from jack import jack_server
from media import write_track
from vj.audio.playback import Playback


def test_playback_plays_through_jack_and_stops_when_closed(tmp_path):
    track = write_track(tmp_path / "t.flac")
    with jack_server():
        pb = Playback(track, time.monotonic())
        time.sleep(2.0)
        assert pb.status() == "playing"
        said = pb.close()
    assert said.startswith("playing t.flac"), said
    assert pb.proc.returncode == 0


def test_no_output_device_means_no_sound_not_a_crash(tmp_path):
    track = write_track(tmp_path / "t.flac")
    pb = Playback(track, time.monotonic(), device="vj-no-such-output")   # no such device, on any machine
    deadline = time.monotonic() + 20
    while pb.status() == "playing" and time.monotonic() < deadline:
        time.sleep(0.1)
    said = pb.close()
    assert pb.proc.returncode == 0                  # the child said why and ended cleanly: no traceback
    assert said.startswith("no sound: ") and "vj-no-such-output" in said, said
