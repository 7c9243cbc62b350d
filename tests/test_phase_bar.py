"""Round 52: the learned bar template (``phase_cues.bar_probabilities``, ``BAR_WEIGHT``) votes on the
phase from how the four beats of a bar differ (kick, snare, kick, snare), which a fold onto one beat
cannot see.  Round 52 added it to every read and a room's right grid flipped; since round 54 it is on
(``BAR_WEIGHT`` 0.2) but may only veto a phase challenger's vote for a flip (``phase_cues.bar_holds``,
``phase_challenger.BAR_VETO``), never cast one.

jungle-165@opl3 (the tuning split's Amen break, cached in out/beat-corpus as the bench's): the Amen's
kicks fall on the "and" (4 of 6), so the beat-level cues favour the "and" and main's challenger
flipped the grid onto it at 13.11 s, where it stayed to the end (F 0.419)."""

from __future__ import annotations

import numpy as np

from corpus_item import HOP, heard
from vj.audio import phase_cues as pc


def _bar(rng: np.random.Generator, beats: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Hops of the 14 channels over ``beats`` beats (40 hops a beat) and their beat positions."""
    pos = np.arange(beats * 40) / 40.0
    return rng.random((pos.size, 14)) * 0.1, pos


def test_the_bar_vote_does_not_depend_on_which_beat_is_the_one():
    """The tracker does not know the 1: a bar fold moved by a whole beat reads the same; a bar
    whose beats are all alike gives no vote (equal probabilities); under two bars, no fold."""
    rng = np.random.default_rng(1)
    x, pos = _bar(rng)
    x[(pos % 4.0) < 0.05, 0] += 1.0           # a kick on the 1
    x[np.abs(pos % 4.0 - 1.5) < 0.05, 1] += 1.0  # a snare on the "and" of 2
    b = pc.bar_fold(x, pos)
    p = pc.bar_probabilities(b)
    assert np.allclose(pc.bar_probabilities(np.roll(b, pc.BINS, axis=1)), p)
    assert np.allclose(pc.bar_probabilities(np.roll(b, 2 * pc.BINS, axis=1)), p)
    same = np.tile(b[:, :pc.BINS], (1, pc.BAR_BEATS))
    assert np.allclose(pc.bar_probabilities(same), 0.25)
    assert pc.bar_fold(x[:7 * 40], pos[:7 * 40]) is None


def test_the_amen_break_stays_on_the_beat():
    """jungle-165@opl3's first 24 s: the bar read vetoes the votes that flipped main's grid onto the
    "and" at 13.11 s, so the beats at 16-24 s sit on the labels; with ``BAR_WEIGHT`` 0 (or
    ``BAR_VETO`` off) they are half a beat off."""
    item, an = heard("jungle-165@opl3", 24.0, HOP)
    ref = np.asarray(item.beats)
    ph = np.asarray(an.tracker.grid.position(ref[(ref > 16.0) & (ref < 24.0)])) % 1.0
    assert ph.size > 10 and np.all(np.minimum(ph, 1.0 - ph) < 0.12), ph


class _VotingCues:
    """Cues that read the "and" clearly (-0.2) at every check; the bar read holds the grid at the
    checks in ``holds``."""

    dt = HOP / 44100

    def __init__(self, holds: set[int]):
        self.holds, self.t, self.act, self.n = holds, np.zeros(0), {}, 0

    def margin(self, fit, now, window_s):
        self.n += 1
        return -0.2, 2

    def bar_holds(self, fit, now, window_s, q, need):
        return self.n - 1 in self.holds


def _checks_to_flip(holds: set[int], n: int = 12) -> int | None:
    from vj.audio.grid_fit import GridFit
    from vj.audio.phase_challenger import PhaseChallenger
    period = 60.0 / 120.0
    fit = GridFit(anchor=0.0, period=period, rms=0.001, onsets=8, beats=8, coverage=1.0, latest=10.0)
    ch = PhaseChallenger(_VotingCues(holds))
    for i in range(n):
        if ch.check(fit, 10.0 + i * period, 0.0, kick=True) is not None:
            return i + 1
    return None


def test_the_bar_read_only_stops_a_flip():
    """Round 54: four clear votes for the "and" flip a steady grid on the fourth check; a bar read
    that holds the grid at one of them stops that vote (the count starts again after it), and one
    that holds it at every check keeps the grid.  With ``BAR_VETO`` off the bar is not asked."""
    free = _checks_to_flip(set())
    assert free is not None and free <= 4
    assert _checks_to_flip({free - 1}) == 2 * free
    assert _checks_to_flip(set(range(12))) is None
