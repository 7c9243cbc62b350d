"""Frame pacing (vj.live.pacing): a finished frame waits for its deadline, then flips; and when vsync is asked
for but does not hold the frames (Xvfb, a driver set to ignore it, a faster display), the clock takes over.

Driven on a fake clock (no timing in the test): frames whose cost alternates between short and long, all
within a period, must reach the screen one period apart; sleeping after the flip instead (the player
before 2026-12-05) put a long frame after a short one 1.6 periods apart: a late, dropped frame.  Under Xvfb
a vsync'd window flips at once (0.3 ms for an empty frame), and the player trusting it drew 4034 frames in
60 s at --fps 60.
"""

from __future__ import annotations

import math

import numpy as np

import pytest

from vj.live.pacing import WATCH_FRAMES, Pacer

PERIOD = 1.0 / 60.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


def pacer(clock: FakeClock, vsync: bool = False, fps: float = 60.0) -> Pacer:
    p = Pacer(fps, vsync, clock=clock.monotonic, sleep=clock.sleep)
    p.start()
    return p


def flips(clock: FakeClock, p: Pacer, costs, refresh: float | None = None) -> list[float]:
    """The flip times of frames costing ``costs`` seconds each, in the order Player.run() does them.
    ``refresh``: a display whose vsync works at that rate (the flip waits for the next vblank); None: a flip
    that returns at once (Xvfb)."""
    out: list[float] = []
    for cost in costs:
        clock.now += cost            # input, tick, draw, present: the frame's work
        p.wait()                     # the finished frame is held until its deadline (when pacing by the clock)
        if refresh is not None:      # the swap waits for the display's next vblank
            clock.now = math.ceil(clock.now * refresh - 1e-9) / refresh
        p.flipped(out and clock.now - out[-1] or None)
        out.append(clock.now)
    return out


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:])]


def test_short_and_long_frames_within_a_period_are_shown_one_period_apart():
    clock = FakeClock()
    p = pacer(clock)
    times = flips(clock, p, [0.005, 0.015] * 30)
    assert max(abs(g - PERIOD) for g in gaps(times)) < 1e-9
    assert p.slept == pytest.approx(PERIOD - 0.015)   # what the frame waited is known (not its cost)


def test_a_frame_over_its_deadline_flips_at_once_and_the_next_catches_up():
    clock = FakeClock()
    p = pacer(clock)
    g = gaps(flips(clock, p, [0.005, 0.020, 0.005, 0.005]))
    assert g[0] == pytest.approx(0.020)               # late by 3.3 ms: shown when done, not a period later
    assert g[1] == pytest.approx(2 * PERIOD - 0.020)  # back on the deadlines
    assert g[2] == pytest.approx(PERIOD)


def test_far_behind_it_does_not_catch_up_in_a_burst():
    clock = FakeClock()
    p = pacer(clock)
    times = flips(clock, p, [0.005, 0.100, 0.005, 0.005])
    assert times[2] - times[1] == pytest.approx(PERIOD)   # one period after the stall, not at once


def test_vsync_that_does_not_hold_the_frames_hands_over_to_the_clock():
    clock = FakeClock()
    p = pacer(clock, vsync=True)
    assert p.mode == "vsync"
    times = flips(clock, p, [0.004] * (WATCH_FRAMES + 60))   # Xvfb: the flip returns at once
    g = gaps(times)
    assert max(g[:WATCH_FRAMES - 1]) == pytest.approx(0.004)   # trusted while it was watched ...
    assert p.by_clock and p.since_frame == WATCH_FRAMES + 1
    assert max(abs(x - PERIOD) for x in g[-50:]) < 1e-9          # ... then one period apart
    assert p.mode.startswith("clock (vsync")


def test_vsync_that_holds_the_frames_is_left_alone():
    clock = FakeClock()
    p = pacer(clock, vsync=True)
    times = flips(clock, p, [0.004, 0.012, 0.020, 0.008] * 40, refresh=60.0)   # some frames miss a vblank
    assert not p.by_clock and p.mode == "vsync"
    assert all(x == pytest.approx(PERIOD) or x == pytest.approx(2 * PERIOD) for x in gaps(times))
    assert p.slept == 0.0


def test_a_faster_display_is_paced_to_the_rate_asked_for():
    clock = FakeClock()
    p = pacer(clock, vsync=True)
    times = flips(clock, p, [0.004] * (WATCH_FRAMES + 60), refresh=144.0)
    assert p.by_clock
    g = gaps(times)[-50:]
    assert sum(g) / len(g) == pytest.approx(PERIOD, rel=0.02)   # 60 a second on average, on the vblanks
    assert min(g) > 0.8 * PERIOD


def test_slack_is_the_time_left_to_the_deadline_and_none_under_vsync():
    clock = FakeClock()
    p = pacer(clock)
    clock.now += 0.005
    assert p.slack() == pytest.approx(PERIOD - 0.005)
    clock.now += 0.020
    assert p.slack() == 0.0                       # already late: no spare time
    assert pacer(FakeClock(), vsync=True).slack() == 0.0   # vsync paces: the wait is not ours to use


def test_audio_heard_in_a_frames_spare_time_gives_the_same_show(test_bank):
    """Live play analyses audio in a finished frame's wait (Player._listen_ahead through ShowLoop.hear):
    the show it drives must be the one that analysing it at the next tick gives, frame for frame."""
    from vj.audio import ANALYSIS_RATE
    from vj.bank import load_bank
    from vj.engine import ShowRules
    from vj.show.loop import ShowLoop
    from vj.show.plan import SongPlan

    root, banks, track = test_bank
    bank = load_bank("t", banks_dir=banks)
    plans = [SongPlan("one", bank, None, ShowRules(switch_bars=1), clip_order=("clip0", "clip1"))]
    rate, fps = ANALYSIS_RATE, 30
    t = np.arange(8 * rate) / rate
    audio = (np.sin(2 * np.pi * 60 * t) * np.exp(-((t % 0.5) * 30))).astype(np.float32)   # a kick at 120 BPM
    at_tick, ahead = ShowLoop(plans), ShowLoop(plans)
    step = rate // fps
    beats = 0
    for n in range(8 * fps):
        chunk = audio[n * step:(n + 1) * step]
        a = at_tick.tick(n / fps, chunk)
        ahead.hear(chunk[:100])
        ahead.hear(chunk[100:])
        b = ahead.tick(n / fps)
        assert a.layers == b.layers and a.beat_position == b.beat_position and a.bpm == b.bpm, n
        assert a.audio.beat == b.audio.beat and a.audio.onset == b.audio.onset, n
        beats += a.beat_fired
    assert beats >= 8   # the show followed the track (a test on silence would prove nothing)
