"""Frame pacing without vsync (Xvfb): a finished frame waits for its deadline, then flips.

Driven on a fake clock (no timing in the test): frames whose cost alternates between short and long, all
within a period, must reach the screen one period apart; sleeping after the flip instead (the player
before 2026-12-05) put a long frame after a short one 1.6 periods apart: a late, dropped frame.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

import vj.live.app as app

PERIOD = 1.0 / 60.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def monotonic(self) -> float:
        return self.now

    def perf_counter(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


@pytest.fixture
def clock(monkeypatch):
    c = FakeClock()
    monkeypatch.setattr(app, "time", c)
    return c


def player(clock, vsync: bool = False):
    p = app.Player.__new__(app.Player)   # the pacing alone: no window, no show
    p.opt = SimpleNamespace(vsync=vsync, fps=60.0)
    p._next_deadline = clock.now
    p._slept = 0.0
    return p


def flips(clock, p, costs):
    """The flip times of frames costing ``costs`` seconds each, in the order Player.run() does them."""
    out = []
    for cost in costs:
        clock.now += cost            # input, tick, draw, present: the frame's work
        p._wait_for_deadline()       # then _present holds the finished frame until its deadline
        out.append(clock.now)        # ... and flips
    return out


def test_short_and_long_frames_within_a_period_are_shown_one_period_apart(clock):
    p = player(clock)
    times = flips(clock, p, [0.005, 0.015] * 30)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert max(abs(g - PERIOD) for g in gaps) < 1e-9
    assert p._slept == pytest.approx(PERIOD - 0.015)   # what the frame waited is known (not its cost)


def test_a_frame_over_its_deadline_flips_at_once_and_the_next_catches_up(clock):
    p = player(clock)
    times = flips(clock, p, [0.005, 0.020, 0.005, 0.005])
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert gaps[0] == pytest.approx(0.020)           # late by 3.3 ms: shown when done, not a period later
    assert gaps[1] == pytest.approx(2 * PERIOD - 0.020)   # back on the deadlines
    assert gaps[2] == pytest.approx(PERIOD)


def test_far_behind_it_does_not_catch_up_in_a_burst(clock):
    p = player(clock)
    times = flips(clock, p, [0.005, 0.100, 0.005, 0.005])
    assert times[2] - times[1] == pytest.approx(PERIOD)   # one period after the stall, not at once


def test_with_vsync_the_flip_itself_waits(clock):
    p = player(clock, vsync=True)
    times = flips(clock, p, [0.005, 0.015])
    assert times[1] - times[0] == pytest.approx(0.015) and p._slept == 0.0
