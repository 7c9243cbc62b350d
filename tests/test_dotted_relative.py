"""Round 50: the change detector tries the beat under a comb peak that is the kicks' dotted 8th
(``change_detector.DOTTED_RELATIVE``, the peak's period x 4/3), fitted on
``change_detector.RELATIVE_ONSETS`` onsets, and takes it only when its lattice catches every one of
the (at least ``CHALLENGE_STRONG``) kicks since the suspicion and the old grid none.

Scripted, as round 50's trace of change-128-100-140@timgm read it: a 128 grid, then a funk at 100
whose three kicks since the suspicion lie at 0, 1.25 and 1.5 of its beats (all on its 16ths, one on
its beats with the anchor, so its fit has 2 onsets); the comb over that second reads only 133.3,
whose lattice catches 2 of the 3 kicks."""

from __future__ import annotations

import math

import numpy as np

from vj.audio import change_detector as cd
from vj.audio.grid_fit import GridFit, on_lattice

T0 = 20.0  #: the suspicion's first kick
NEW = 0.6  #: 100 BPM
KICKS = T0 + NEW * np.array([0.0, 1.25, 1.5])
NOW = float(KICKS[-1]) + 0.1
COMB = 0.45  #: the comb's only peak, 133.3: the kicks' dotted 8th


def _grid(anchor: float, period: float, onsets: int = 3, rms: float = 0.001) -> GridFit:
    return GridFit(anchor=anchor, period=period, rms=rms, onsets=onsets, beats=onsets, coverage=1.0, latest=NOW)


def _old_grid() -> GridFit:
    """A 128 grid whose 16ths miss every kick (the old grid holds none of them)."""
    for lead in np.arange(0.0, 0.117, 0.001):
        g = _grid(T0 - lead, 60.0 / 128.0)
        if not on_lattice(g, KICKS).any():
            return g
    raise AssertionError("no 128 grid misses the kicks")


class _Evidence:
    def __init__(self, kicks: np.ndarray):
        self.kicks = kicks

    def strong(self, now: float, since: float) -> np.ndarray:
        return self.kicks[(self.kicks > since) & (self.kicks <= now)]

    def on_beat_strength(self, fit: GridFit, now: float, window_s: float = 0.0) -> float:
        return 1.0


class _Proposer:
    """The comb reads 133.3 only; a grid at 100 is fitted on 2 onsets (its beats), one at 133.3 on 3."""

    lo, hi = 70.0, 180.0

    def __init__(self, kicks: np.ndarray):
        self.evidence = _Evidence(kicks)

    def estimate(self, now, recent_s=None, k=None, rank=False):
        return [(T0, COMB)]

    def seed_lattice(self, beat_t, period, now, since=-math.inf):
        return _grid(T0, period, onsets=2 if abs(period / NEW - 1.0) < 0.01 else 3)

    def seed_phase(self, fit, now, since=-math.inf):
        return fit

    def clear_phase(self, fit, now, window_s):
        return True


def _challenge(kicks: np.ndarray):
    old = _old_grid()
    p = _Proposer(kicks)
    d = cd.ChangeDetector(lock_rms=0.01)
    for k in kicks:
        d.onset(old, p.evidence, float(k))
    assert d.suspect == T0
    return d.challenge(p, old, NOW)


def test_the_dotted_eighths_beat_is_taken_when_it_catches_every_kick():
    """The 100 grid under the comb's 133.3 is taken at the third kick (the comb's own peak is not:
    its lattice catches 2 of 3)."""
    got = _challenge(KICKS)
    assert got is not None
    fit, start = got
    assert abs(60.0 / fit.period - 100.0) < 0.5, 60.0 / fit.period
    assert start == T0


def test_the_dotted_eighths_beat_is_not_taken_when_a_kick_is_off_its_lattice():
    """A fourth kick off 100's 16ths (and off the old grid's): the relative is refused, and so is
    the comb's 133.3."""
    extra = T0 + NEW * 1.62
    kicks = np.sort(np.append(KICKS, extra))
    assert not on_lattice(_old_grid(), np.array([extra])).any()
    global NOW
    saved, NOW = NOW, float(kicks[-1]) + 0.1
    try:
        assert _challenge(kicks) is None
    finally:
        NOW = saved
