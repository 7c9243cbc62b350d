"""Round 38: the metrical level from mid-music.  The halving vote after the lock counts the
comb's own peak at the grid's half while nothing plays between the grid's beats (round 19's
point 4), not only a peak the proposer's halving rule halved.

Generated items (``bench/beat_corpus.py``), heard from half a beat after their third beat, as
``bench/midstart.py`` cuts them: the first lock comes before two periods of the slow tempo fit
the comb's window, at the double."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import beat_corpus as bc  # noqa: E402

from vj.audio.analysis import Analyzer  # noqa: E402

HOP = 512


def _from_mid_music(item, meter: int) -> list[tuple[float, str, float]]:
    """The grid's tempi (when, rule, BPM) heard from half a beat after the third beat."""
    ref = np.asarray(item.beats, float)
    cut = ref[2] + 0.5 * (ref[1] - ref[0])
    x = np.asarray(item.audio, np.float32)[int(cut * item.sample_rate):]
    an = Analyzer(sample_rate=item.sample_rate, hop=HOP, beats_per_bar=meter)
    for i in range(0, x.size - HOP, HOP):
        an.process(x[i:i + HOP])
    return [(m.t, m.rule, 60.0 / m.after.period) for m in an.tracker.moves]


def test_a_waltz_locked_at_double_halves_on_the_combs_own_peak():
    """A waltz at 90 (numpy kit): locked at 178 at 1.0 s; from 2 s the comb's top is 90 itself
    (no halving rule fires: the rule halves a peak, and the peak is already the half), with
    nothing between the grid's beats.  Halves at 11.8 s (16 votes); without the own-peak vote
    it stays at 178 all item (checked)."""
    item = bc.load(bc.Spec("test-waltz-90-s1@numpy", "test", (bc.Section("waltz", 10, 90, meter=3, key=55),),
                           seed=1, source="numpy", humanize_ms=4))
    moves = _from_mid_music(item, 3)
    assert abs(moves[0][2] - 180.0) < 4.0, moves  # the case: the first lock at double
    halve = [t for t, rule, bpm in moves if rule == "halve" and abs(bpm - 90.0) < 2.0]
    assert halve and halve[0] < 13.0, moves
