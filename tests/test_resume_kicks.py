"""Round 45: after a silence, the comb's first peak is taken before it has settled
(``lock_rules.PROVISIONAL_STABLE``) when its lattice catches every one of at least
``lock_rules.RESUME_KICKS`` kick-strength onsets since the music came back.

silence-gap-120-100@numpy (the tuning split's recipe, cached in out/beat-corpus as the bench's):
house at 120, 2 s of digital silence from 16 s, funk at 100 from 19 s.  The comb reads 133 (the
funk's 4:3, whose lattice misses kicks) to +1.21 s, then 100, whose lattice catches 3 of 3 kicks at
+1.26 s: taken there, on the beat.  Without the rule the grid waited for 10 steady readings, +1.72 s."""

from __future__ import annotations

import numpy as np

from corpus_item import HOP, heard

RESTART_S = 19.0
BPM = 100.0


def test_after_a_silence_a_comb_tempo_that_catches_every_kick_is_taken_before_it_settles():
    """The resume's grid is at 100 within 1.5 s of the music's return (measured +1.26 s; +1.72 s
    with the rule broken), on the labelled beats, with no move to the 4:3 before it."""
    item, an = heard("silence-gap-120-100@numpy", RESTART_S + 3.0, HOP)
    after = [m for m in an.tracker.moves if m.t > RESTART_S]
    assert after and after[0].rule == "resume", after
    take = after[0]
    assert take.t - RESTART_S < 1.5, (take.t, 60.0 / take.after.period)
    assert abs(60.0 / take.after.period / BPM - 1.0) < 0.02
    ref = np.asarray(item.beats, float)
    ref = ref[(ref > RESTART_S) & (ref < RESTART_S + 3.0)]
    phase = (take.after.position(ref) + 0.5) % 1.0 - 0.5  # the labels within a beat of the grid's beats
    assert np.all(np.abs(phase) < 0.12), phase
