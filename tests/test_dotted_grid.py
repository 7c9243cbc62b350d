"""Check (d) of the beat tracker's grid checks (round 35): a young grid at 4:3 of the tempo,
through a groove's dotted 8ths, gives way to the tempo the comb's short window reads.

A figure of kicks on the 16ths 0, 3, 6, 8, 11, 14 of each bar at 128 (dembow's and electro's
3+3+2) puts a kick on most beats of a grid at 170.7 (a dotted 8th apart): the tracker locks
there first, and that grid catches more kicks than the one at 128, so check (b) refuses the
move by on-beat strength.  On the tuning split the comb's short window read the tempo 1-3 s
before (b), (c) or the detector took it (electro-128, funk-104@numpy, reggaeton-98-club@timgm)."""

from __future__ import annotations

import numpy as np

from signals import SR, kick, place

from vj.audio.analysis import Analyzer

HOP = 512
BPM, SECONDS = 128.0, 4.4


def test_a_young_grid_at_four_thirds_gives_way_to_the_combs_short_window():
    """Locked at 170.7 on the figure, the tracker is at 128 by check (d) 4.4 s in (main's
    tracker: still at 170.7, until check (c) "lost" at 5.1 s)."""
    s16 = 60.0 / BPM / 4.0
    bars = np.arange(0.2, SECONDS, 16 * s16)
    kicks = np.sort(np.concatenate([bars + i * s16 for i in (0, 3, 6, 8, 11, 14)]))
    x = place(SECONDS, kick(), kicks, 0.8)
    an = Analyzer(sample_rate=SR, hop=HOP)
    for i in range(0, x.size - HOP, HOP):
        an.process(x[i:i + HOP])
    tr = an.tracker
    first = tr.moves[0]
    assert first.rule == "lock" and abs(60.0 / first.after.period - 4.0 / 3.0 * BPM) < 3.0
    assert "dotted" in [m.rule for m in tr.moves]
    assert abs(60.0 / tr.grid.period - BPM) < 1.0
