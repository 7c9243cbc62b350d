"""Round 51: a challenger at a new tempo gets its beat from the change's bar line
(``change_detector.bar_line_phase``): the earliest of the kicks before the suspicion that run
back on its lattice, when it lies on the old grid's beat, is the new grid's beat.

Two tuning-split items (cached in out/beat-corpus as the bench's):

- change-128-100-140@opl3, funk at 100 then big beat at 140 from 27.52 s: the detector takes
  140.5 at 29.07 s; the cues put it on the "and" (main: flipped back at 29.91 s).  The change's
  first kick (27.53 s) lies on the challenger's "and": taken on the beat, and no flip after.
- change-128-100-club@timgm, house at 128 then funk at 100 from 16.88 s, in a club: a 99.4
  grid fitted at 18.48 s a 16th off the kick at the change, held by the clear-phase test (main:
  taken at 19.37 s).  The bar line puts the beat on that kick: taken at 18.48 s on the beat."""

from __future__ import annotations

import numpy as np

from corpus_item import HOP, heard


def _takes_after(name: str, change: float, seconds: float):
    item, an = heard(name, change + seconds, HOP)
    moves = [m for m in an.tracker.moves if m.t > change]
    ref = np.asarray(item.beats, float)
    return moves, ref[(ref > change) & (ref < change + seconds)]


def _on_beat(fit, ref: np.ndarray) -> np.ndarray:
    return np.abs((fit.position(ref) + 0.5) % 1.0 - 0.5)


def test_a_new_tempo_taken_on_the_and_is_put_on_the_changes_first_kick():
    """The 140 grid is the detector's, on the labelled beats (within 0.1 beat), and no phase flip
    follows it in the 3 s after the change (with the rule broken: taken 0.49 beat off, flipped)."""
    change = 27.52
    moves, ref = _takes_after("change-128-100-140@opl3", change, 3.0)
    assert moves and moves[0].rule == "detector", moves
    take = moves[0]
    assert abs(60.0 / take.after.period / 140.0 - 1.0) < 0.02
    assert np.all(_on_beat(take.after, ref[ref > take.t]) < 0.1), _on_beat(take.after, ref)
    assert all(m.rule != "phase" for m in moves), [(m.t, m.rule) for m in moves]


def test_a_new_tempo_a_16th_off_the_changes_first_kick_is_taken_on_it_sooner():
    """The 100 grid is taken within 1.8 s of the change (measured +1.60 s; +2.49 s with the rule
    broken), on the labelled beats."""
    change = 16.88
    moves, ref = _takes_after("change-128-100-club@timgm", change, 3.0)
    assert moves and moves[0].rule == "detector", moves
    take = moves[0]
    assert take.t - change < 1.8, take.t
    assert abs(60.0 / take.after.period / 100.0 - 1.0) < 0.02
    assert np.all(_on_beat(take.after, ref[ref > take.t]) < 0.1), _on_beat(take.after, ref)


def test_a_new_tempo_whose_beat_the_bar_line_gives_is_taken_on_two_onsets():
    """change-90-174@numpy (hip-hop at 90, drum and bass at 174 from 16.0 s): 173.5 fitted on 2
    onsets catches every kick since the suspicion and the 90 grid none, and the change's first
    kick (16.00 s) is on its beat: taken within 1.25 s of the change (measured +1.09 s; +1.46 s,
    on the third onset, with ``BAR_LINE_ONSETS`` = 3), on the labelled beats."""
    change = 16.0
    moves, ref = _takes_after("change-90-174@numpy", change, 2.5)
    assert moves and moves[0].rule == "detector", moves
    take = moves[0]
    assert take.t - change < 1.25, take.t
    assert abs(60.0 / take.after.period / 174.0 - 1.0) < 0.02
    assert np.all(_on_beat(take.after, ref[ref > take.t]) < 0.1), _on_beat(take.after, ref)


def test_on_two_onsets_the_old_grid_must_explain_none_of_the_kicks():
    """hiphop-swing-92@numpy is steady at 92: no detector take in its first 12 s (with the old
    grid allowed to explain some of the kicks, a challenger on 2 onsets was taken at 5.25 s)."""
    item, an = heard("hiphop-swing-92@numpy", 12.0, HOP)
    assert not [m for m in an.tracker.moves if m.rule == "detector"], [(m.t, m.rule) for m in an.tracker.moves]
