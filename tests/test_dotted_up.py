"""Round 38: no comb rule moves a grid that is not slipping to 4:3 of its tempo
(``grid_checks.dotted_up``): the comb's 4:3 reading of a right grid is a groove's dotted 8ths.

Generated items (``bench/beat_corpus.py``, cached in out/beat-corpus as the bench's): electro at
128 (kicks in the 3+3+2 figure) and funk at 104, whose 4:3 grids (170.7, 138.7) fit the onsets
and catch more on-beat strength than the tempo's."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import beat_corpus as bc  # noqa: E402

from vj.audio.analysis import Analyzer  # noqa: E402

HOP = 512


def _moves(item) -> list[tuple[float, str, float]]:
    """Every tempo the tracker's grid took: (when, which rule, BPM)."""
    x = np.asarray(item.audio, np.float32)
    an = Analyzer(sample_rate=item.sample_rate, hop=HOP)
    for i in range(0, x.size - HOP, HOP):
        an.process(x[i:i + HOP])
    return [(m.t, m.rule, 60.0 / m.after.period) for m in an.tracker.moves]


def _near(bpm: float, target: float) -> bool:
    return abs(bpm / target - 1.0) < 0.02


def test_a_grid_at_the_tempo_of_a_dotted_groove_is_not_taken_back_to_four_thirds():
    """Electro at 128 (a random mix through TimGM6mb): the first lock is at 170.7 (4:3), the
    provisional re-seed takes 128 at 2.4 s, and the grid stays there.  With the rule broken,
    check (b) takes 170.7 back on on-beat strength at 4.3 s, 15.2 s and 19.1 s (round 21's
    ping-pong; check d brings 128 back each time)."""
    item = bc.load(bc.Spec("test-electro-128-s4@timgm", "test", (bc.Section("electro", 12, 128),), seed=4,
                           source="timgm"))
    moves = _moves(item)
    at = next(t for t, _, bpm in moves if _near(bpm, 128.0))
    assert at < 3.0  # measured 2.37 s
    assert not [m for m in moves if m[0] > at and _near(m[2], 128.0 * 4.0 / 3.0)], moves


def test_the_provisional_re_seed_does_not_flip_back_to_the_four_thirds_it_left():
    """Funk at 104 (ramp-funk-104-84@numpy's first bars): locked at 139.2 (4:3) at 1.07 s, the
    provisional re-seed takes 103.5 at 1.67 s; with the rule broken it took 138.7 back at 2.23 s
    (the comb's early window turned back to the figure) and check (d) 103.9 at 2.97 s."""
    item = bc.load(bc.Spec("test-funk-104-s27@numpy", "test", (bc.Section("funk", 4, 104, key=52),), seed=27,
                           source="numpy", humanize_ms=4))
    moves = _moves(item)
    assert _near(moves[0][2], 104.0 * 4.0 / 3.0)  # the first lock at 4:3 (the case)
    tempi = [bpm for t, _, bpm in moves if t > 1.0]
    i = next(i for i, bpm in enumerate(tempi) if _near(bpm, 104.0))
    assert all(_near(bpm, 104.0) for bpm in tempi[i:]), moves
