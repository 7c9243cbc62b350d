"""Check (e) of the beat tracker's grid checks (round 37): a young grid at 3:2 of the tempo gives
way to the comb's relative when the kick-and-backbeat pattern repeats at the relative's beats.

A generated hip-hop groove at 90 with swung 8ths (numpy kit, seed 4): the provisional re-seed
takes 135, the 3:2 of the swung 8ths, at 2.3 s; main's tracker stays there until check (b)
takes 90 at 5.3 s.  The drums repeat every 2 and 4 beats of 90 (1.33 and 2.67 s), not every 2
and 4 beats of 135 (0.89 and 1.78 s), and the backbeat falls on 90's beats that are not 135's:
check (e) takes 90 at 3.25 s.  A waltz's grid repeats as a 3:2 grid does (three of its beats are
its bar): the tuning split's jazz waltz at 150 stays at 150 because its accents are on the
grid's own beats (2 and 3), not on the 2:3 relative's (the "and" of 2)."""

from __future__ import annotations

import numpy as np

from corpus_item import HOP, bc, hear, heard
from vj.audio import repeat_cue
from vj.audio.analysis import Analyzer

BPM = 90.0


def _run(seconds: float) -> Analyzer:
    item = bc.load(bc.Spec("test-hiphop-90-4@numpy", "test", (bc.Section("hiphop", 8, BPM, swing=0.66),),
                           seed=4, source="numpy", humanize_ms=3, random_mix=False))
    return hear(item, seconds, HOP)


def test_a_young_grid_at_three_halves_gives_way_where_the_drums_repeat():
    """At 135 from the provisional re-seed, the tracker is at 90 by check (e) 3.5 s in."""
    tr = _run(3.5).tracker
    rules = [m.rule for m in tr.moves]
    at_135 = [m for m in tr.moves if abs(60.0 / m.after.period - 1.5 * BPM) < 3.0]
    assert at_135, rules  # (the 3:2 grid this test is about)
    assert "repeat" in rules
    assert abs(60.0 / tr.grid.period - BPM) < 1.0


def test_the_drums_repeat_at_the_tempo_not_at_its_three_halves():
    """The cue itself, 8 s in: the 2:3 relative of a grid at 135 gains, that of the grid at 90 does not."""
    an = _run(8.0)
    cues = an.tracker.cues
    now = float(np.max(cues.t))  # (the last hop's)
    assert repeat_cue.gain(cues, now, 60.0 / (1.5 * BPM), 1.5) > 0.1
    assert repeat_cue.gain(cues, now, 60.0 / BPM, 1.5) < 0.1


def test_a_jazz_waltz_at_150_is_not_taken_to_its_two_thirds():
    """jazzwaltz-150-3-4@numpy (the tuning split's recipe): its 2:3 relative, 100, repeats at its
    bar, and the comb's long window reads it at 7.3 s; the grid stays at 150 (without the accent
    read, check (e) took 100 at 7.34 s and the item's F fell 0.986 -> 0.632)."""
    _, an = heard("jazzwaltz-150-3-4@numpy", 9.0, HOP)
    tr = an.tracker
    assert "repeat" not in [m.rule for m in tr.moves]
    assert abs(60.0 / tr.grid.period - 150.0) < 2.0
