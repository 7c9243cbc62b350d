"""Round 52: the learned bar template (``phase_cues.bar_probabilities``, ``BAR_WEIGHT``) votes on the
phase from how the four beats of a bar differ (kick, snare, kick, snare), which a fold onto one beat
cannot see.  It ships off (``BAR_WEIGHT`` 0: a room's right grid flipped with it on); these tests
hold the template at its measured weight, for the round that switches it on.

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


def test_the_amen_break_stays_on_the_beat(monkeypatch):
    """jungle-165@opl3's first 24 s, the bar template on at its measured weight (it ships off:
    round 52): the beats at 16-24 s sit on the labels (main's grid was on the "and" from 13.11 s);
    with ``BAR_WEIGHT`` 0 they are half a beat off."""
    monkeypatch.setattr(pc, "BAR_WEIGHT", pc.MEASURED_BAR_WEIGHT)
    item, an = heard("jungle-165@opl3", 24.0, HOP)
    ref = np.asarray(item.beats)
    ph = np.asarray(an.tracker.grid.position(ref[(ref > 16.0) & (ref < 24.0)])) % 1.0
    assert ph.size > 10 and np.all(np.minimum(ph, 1.0 - ph) < 0.12), ph
