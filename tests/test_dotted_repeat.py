"""Round 46: check (d) on one reading.  A first grid at 4:3 of the tempo (a dembow's 3+3+2 figure
read as dotted 8ths) that the comb's short window reads at 3/4 of gives way at that first reading
when the kick-and-backbeat pattern also repeats more at two beats of the short window's period
than at two of the grid's (``grid_checks.DOTTED_REPEAT``, ``repeat_cue.gain``).

reggaeton-96@timgm (the tuning split's recipe, cached in out/beat-corpus as the bench's): locked at
128.0 (4:3) at 1.16 s; the short window reads 96 at 3.20 s (gain +0.76), and (d) takes it there;
with the rule broken (two readings, as before) nothing does until the change detector at 3.85 s."""

from __future__ import annotations

from corpus_item import HOP, heard

BPM = 96.0


def test_a_dembow_first_locked_at_4_3_is_at_its_tempo_at_the_short_windows_first_reading():
    """reggaeton-96@timgm, its first 5 s: the first lock at 4:3, then (d) to 96 by 3.5 s."""
    _, an = heard("reggaeton-96@timgm", 5.0, HOP)
    moves = [(round(m.t, 2), m.rule, round(60.0 / m.after.period, 1)) for m in an.tracker.moves]
    assert moves and moves[0][1] == "lock" and abs(moves[0][2] / (BPM * 4 / 3) - 1.0) < 0.02, moves
    assert len(moves) > 1 and moves[1][1] == "dotted" and moves[1][0] < 3.5, moves
    assert abs(moves[1][2] / BPM - 1.0) < 0.02, moves
