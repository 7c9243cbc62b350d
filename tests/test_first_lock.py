"""The first lock among the comb's early peaks (round 25).

In a room the comb's early reading of claps and reverberation often ranks a 3:2, 2:3 or 6:5
relative of the tempo first, and that grid passes the lock test on a few loosely fitted onsets
while the tempo's own grid, a runner-up, fits them several times tighter (tuning split:
trance-138-room@timgm 164.7 at 15.3 ms beside 132.2 at 4.2 ms; rock-112-room@opl3 73.7 at
11.2 ms beside 111.3 at 3.8 ms).  ``lock_rules.lock_order`` tries the tighter grid first."""

from __future__ import annotations

from vj.audio.grid_fit import GridFit
from vj.audio.lock_rules import LOOSE_LOCK_RMS, lock_order, lock_ready


def _fit(bpm: float, rms_ms: float, onsets: int = 4) -> GridFit:
    return GridFit(anchor=0.0, period=60.0 / bpm, rms=rms_ms / 1000.0, onsets=onsets, beats=onsets,
                   coverage=0.5, latest=2.0)


def test_a_loose_first_grid_gives_way_to_a_tighter_runner_up():
    # rock-112-room@opl3 at 2.47 s: the comb's first peak 73.7 (2:3), its runner-up the tempo
    fits = [_fit(73.7, 11.2), _fit(111.3, 3.8), _fit(84.1, 26.8)]
    assert lock_ready(fits[0], 0) and lock_ready(fits[1], 0)
    assert lock_order(fits, 0) == [1, 0]
    # ... also while the runner-ups may not lock on their own yet (tempo_proposer.alternatives)
    assert lock_order(fits, 0, own=1) == [1, 0]


def test_a_tight_first_grid_keeps_its_place():
    # within LOOSE_LOCK_RMS the comb's rank decides, however much tighter a runner-up fits
    assert 0.004 < LOOSE_LOCK_RMS
    assert lock_order([_fit(134.0, 4.0), _fit(90.0, 1.0)], 0) == [0, 1]
    assert lock_order([_fit(134.0, 4.0), _fit(90.0, 1.0)], 0, own=1) == [0]


def test_a_runner_up_must_be_good_enough_and_twice_as_tight():
    # trance-138-room@numpy at 1.46 s: 168.0 at 15 ms; 89.8 at 7 ms on 3 onsets only (not good enough)
    assert lock_order([_fit(168.0, 15.0), _fit(89.8, 7.0, onsets=3), _fit(99.0, 3.1, onsets=2)], 0, own=1) == [0]
    # a runner-up fitted only a little tighter does not take the lock
    assert lock_order([_fit(168.0, 15.0), _fit(138.0, 9.0)], 0, own=1) == [0]
    # nothing passes: nothing to try
    assert lock_order([_fit(168.0, 25.0), None], 0) == []
