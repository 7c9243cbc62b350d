"""The engine when clips fail and come back (issue 14, fault 3): it flies into the clip on screen again
when every clip of the song has failed (the renderer holds its last good picture), and a restored
clip rejoins the rotation."""

from __future__ import annotations

import pytest

from showkit import FPS, clips, grid_beat
from vj.audio.snapshot import AudioSnapshot
from vj.engine import ClipFailed, ClipRestored, ShowEngine, ShowRules


def _step(engine, n, events=()):
    t = n / FPS
    return engine.step(t, AudioSnapshot(time=t, beat=grid_beat(t)), events)


def test_every_clip_failed_flies_into_the_clip_on_screen_then_a_restored_clip_rejoins():
    engine = ShowEngine(clips(3), ShowRules(switch_bars=1, transition_beats=2))
    frames = [_step(engine, n) for n in range(30)]
    on_screen = frames[-1].current_clip
    # every clip fails (a drive unplugged): before the fix the show flew on into clips with no picture
    fail = [ClipFailed(c, "gone") for c in ("c0", "c1", "c2")]
    frames = [_step(engine, 30, fail)] + [_step(engine, n) for n in range(31, 400)]
    flying_into = {layer.clip_id for f in frames for layer in f.layers[1:]}
    assert flying_into <= {on_screen}, flying_into
    assert any(f.transition >= 0 for f in frames)   # the zoom goes on: flights into the held picture
    assert {f.current_clip for f in frames} == {on_screen}
    # one clip comes back: the next flight goes into it
    back = "c2" if on_screen != "c2" else "c1"
    frames = [_step(engine, 400, [ClipRestored(back)])] + [_step(engine, n) for n in range(401, 700)]
    assert any(f"'{back}' is back" in m for m in engine.report.messages) or \
        any(back in layer.clip_id for f in frames for layer in f.layers)
    assert back in {f.current_clip for f in frames}


def test_a_restored_clip_that_was_not_failed_changes_nothing():
    engine = ShowEngine(clips(3), ShowRules(switch_bars=1))
    a = [_step(engine, n) for n in range(100)]
    engine2 = ShowEngine(clips(3), ShowRules(switch_bars=1))
    b = [_step(engine2, n, [ClipRestored("c1")] if n == 50 else []) for n in range(100)]
    assert [f.current_clip for f in a] == [f.current_clip for f in b]
    assert engine2.report.messages == ()


def test_nudges_add_up_to_at_most_half_a_second_and_say_so():
    """Fault 10: nudge had no total limit (a stuck key or a flood moved the grid by seconds)."""
    from vj.engine import Nudge
    engine = ShowEngine(clips(3), ShowRules())
    _step(engine, 0)
    for n in range(1, 80):
        _step(engine, n, [Nudge(0.01)])
    assert engine.report.nudge == pytest.approx(0.5)
    assert any("nudge held at +500 ms" in m for m in engine.report.messages), engine.report.messages
    _step(engine, 80, [Nudge(-0.02)])
    assert engine.report.nudge == pytest.approx(0.48) and not engine.report.messages
