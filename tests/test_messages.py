"""What the performer reads: levels, lifetimes, replacement by key, and no Python exception names."""

from __future__ import annotations

import pytest

from vj.control import ShowControl, SongEntry, command
from vj.engine import ShowReport
from vj.live.messages import ERROR, INFO, SHOW_FOR, WARNING, MessageBoard, performer_words


def test_exception_names_and_errno_tags_never_reach_the_screen():
    assert performer_words("ValueError: song has 6 clips") == "song has 6 clips"
    assert performer_words("render: RuntimeError: compiling failed") == "render: compiling failed"
    assert performer_words("audio input: OSError: [Errno 19] No such device") == "audio input: No such device"
    assert performer_words("clip 'a' skipped (av.error.InvalidDataError: bad data)") == "clip 'a' skipped (bad data)"
    assert performer_words("the tempo is 120 BPM") == "the tempo is 120 BPM"


def test_levels_live_for_their_time_and_a_key_replaces_its_old_message():
    board = MessageBoard()
    board.say(INFO, "osc: listening", 0.0)
    board.say(ERROR, "the control panel failed", 0.0)
    board.say(INFO, "next song armed: two", 1.0, key="song")
    assert [m.text for m in board.live(SHOW_FOR[INFO] + 0.5)] == ["the control panel failed", "next song armed: two"]
    board.say(INFO, "now playing: two", 2.0, key="song")
    assert [m.text for m in board.live(2.0)][-1] == "now playing: two"
    assert "next song armed: two" not in [m.text for m in board.live(2.0)]
    assert [m.text for m in board.log][-2:] == ["next song armed: two", "now playing: two"]
    board.retire("song")
    assert board.live(2.0)[-1].text == "the control panel failed"
    assert board.live(SHOW_FOR[ERROR] + 1.0) == []
    with pytest.raises(ValueError):
        board.say("loud", "x", 0.0)
    assert WARNING in SHOW_FOR


def test_a_key_past_the_songs_clips_says_so_in_the_performers_words():
    controls = ShowControl([SongEntry("Opener", ("a", "b", "c"))])
    controls.submit(command("clip/cue", 9, origin="key"))
    assert controls.drain(0.0, ShowReport()) == []
    said = controls.problems[-1]
    assert said == "key: 'Opener' has 3 clips, so clip 9 cues nothing (use 1-3, or pick any clip in the clip browser)"
    assert "Error" not in said
