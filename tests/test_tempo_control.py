"""Manual tempo control: tap, x2 and /2, nudge, resync, latency (pure, no devices)."""

from __future__ import annotations

import pytest

from showkit import FPS, clips, grid_beat
from vj.audio.snapshot import AudioSnapshot, BeatState
from vj.engine import AutoTempo, Nudge, Resync, SetLatency, ShowEngine, ShowRules, TapTempo, TempoScale
from vj.engine.tempo_control import TempoControl


def test_taps_set_tempo_and_phase_and_auto_returns_to_the_tracker():
    tc = TempoControl()
    for k in range(6):
        tc.tap(10.0 + k * 0.6 + (0.01 if k % 2 else -0.01))  # 100 BPM, +-10 ms human jitter
    b = tc.apply(14.0, BeatState())
    assert b.source == "tap" and b.bpm == pytest.approx(100.0, rel=0.02)
    assert b.last_beat <= 14.0 < b.next_beat
    assert abs((b.last_beat - 10.0) / 0.6 - round((b.last_beat - 10.0) / 0.6)) < 0.05  # on the tapped grid
    tc.auto()
    tracker = grid_beat(14.0)
    assert tc.apply(14.0, tracker) == tracker


def test_a_long_pause_starts_a_new_tap_sequence():
    tc = TempoControl()
    for at in (1.0, 1.5, 2.0):
        tc.tap(at)
    for at in (10.0, 10.4, 10.8):
        tc.tap(at)
    assert tc.apply(11.0, BeatState()).bpm == pytest.approx(150.0, rel=1e-6)


@pytest.mark.parametrize("factor,bpm", [(2.0, 240.0), (0.5, 60.0)])
def test_double_and_half_time_keep_the_grid(factor, bpm):
    tc = TempoControl()
    tc.set_scale(factor)
    for t in (3.0, 3.1, 3.3, 4.2, 5.05):
        base = grid_beat(t)
        b = tc.apply(t, base)
        assert b.bpm == pytest.approx(bpm)
        assert b.last_beat <= t + 1e-9 < b.next_beat
        # every beat of the slower grid is a beat of the faster one
        slow, fast = (base, b) if factor == 2.0 else (b, base)
        pos = fast.beat_position(slow.last_beat)
        assert abs(pos - round(pos)) < 1e-6
    tc.set_scale(1.0)
    assert tc.apply(3.0, grid_beat(3.0)).bpm == 120.0


def test_nudge_moves_beats_and_resync_sets_the_downbeat():
    tc = TempoControl()
    tc.nudge(0.02)
    b = tc.apply(3.0, grid_beat(3.0))
    assert b.last_beat == pytest.approx(grid_beat(3.0).last_beat + 0.02)
    tc = TempoControl()
    tc.resync(5.26)  # the beat at 5.25 becomes a downbeat
    b = tc.apply(7.0, grid_beat(7.0))
    down_count = round(b.beat_position(5.25))
    assert (down_count - (b.beat_count - b.bar_beat)) % 4 == 0


def test_engine_follows_taps_and_latency():
    engine = ShowEngine(clips(), ShowRules())
    frames = []
    for n in range(int(6 * FPS)):
        t = n / FPS
        events = [TapTempo(t)] if n in (30, 48, 66, 84) else []  # taps every 0.6 s: 100 BPM
        frames.append(engine.step(t, AudioSnapshot(time=t, beat=BeatState()), events))
    assert frames[-1].bpm == pytest.approx(100.0, rel=0.01)
    engine.step(6.0, AudioSnapshot(time=6.0), [SetLatency(0.05), TempoScale(2.0), Nudge(0.01), Resync(6.0), AutoTempo()])
    rep = engine.step(6.05, AudioSnapshot(time=6.05, beat=grid_beat(6.05))).report
    # back on the tracker ("test"), still doubled and nudged
    assert rep.latency == 0.05 and rep.tempo_source == "test x2 +10ms" and rep.nudge == pytest.approx(0.01)
    engine.step(6.1, AudioSnapshot(time=6.1), [SetLatency(5.0)])
    assert engine.rules.latency == 0.05 and any("latency" in m for m in engine.report.messages)
