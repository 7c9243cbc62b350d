"""Round 53: in a room the reverberation smears the onsets around a right grid's beats, and its refits
read 15-30 ms while the tempo is right.  Check (a) replaces a slipping grid only by one fitted
``grid_checks.TIGHTER_RATIO`` times tighter (``tighter_fits``; from a first grid to a metrical
relative of it, any tighter as before), and check (d) only by one fitted no looser
than the grid (``dominance_fits``, as round 24's dominance path).

trance-138-room@timgm (the tuning split's recipe, cached in out/beat-corpus as the bench's): locked at
132.2 at 2.32 s, its refits reach 138 by 6 s.  Without (a)'s ratio, (a) took 145.0 at 8.03 s (27.5 ->
23.4 ms) and (b), (c), (b) brought 138 back at 10.59 s; with (a)'s ratio and without (d)'s, (d) took
112.2 at 9.71 s (16.9 -> 26.1 ms) and the grid wandered to 15.42 s."""

from __future__ import annotations

from corpus_item import HOP, heard

from vj.audio.grid_checks import tighter_fits
from vj.audio.grid_fit import GridFit

BPM = 138.0


def _fit(rms: float, bpm: float = 120.0) -> GridFit:
    return GridFit(anchor=0.0, period=60.0 / bpm, rms=rms, onsets=8, beats=8, coverage=1.0, latest=0.0)


def test_check_a_wants_a_clearly_tighter_grid():
    """The measured (a) takes: off right grids (x1.03-x2.34) refused, onto the tempo (x3.4-x8) taken."""
    assert not tighter_fits(_fit(0.0234), _fit(0.0275))   # trance@timgm 138 -> 145.0
    assert not tighter_fits(_fit(0.0112), _fit(0.0263))   # trance@numpy 138.9 -> 178.1 (mid-music)
    assert tighter_fits(_fit(0.0078), _fit(0.0264))       # trance@numpy 119.6 -> 138.0
    assert tighter_fits(_fit(0.0017), _fit(0.0115))       # hiphop-swing-90@timgm 134.7 -> 90.2
    # a first grid's metrical relative needs only "tighter": trance@numpy's provisional 91.7 -> 138.0, x2.23
    assert tighter_fits(_fit(0.0078, 138.0), _fit(0.0174, 91.7), first=True)
    assert not tighter_fits(_fit(0.0078, 138.0), _fit(0.0174, 91.7))        # a checked grid's: the ratio
    assert not tighter_fits(_fit(0.0078, 145.0), _fit(0.0174, 91.7), first=True)


def test_a_rooms_right_grid_stays_on_its_tempo():
    """trance-138-room@timgm, its first 24 s: after the lock no move takes the grid off 138 (with (a)'s
    ratio broken: 145.0 at 8.03 s; with (d)'s fit test broken: 112.2 at 9.71 s)."""
    _, an = heard("trance-138-room@timgm", 24.0, HOP)
    moves = [(round(m.t, 2), m.rule, round(60.0 / m.after.period, 1)) for m in an.tracker.moves]
    assert moves and moves[0][1] == "lock", moves
    assert all(abs(bpm / BPM - 1.0) < 0.03 for _, _, bpm in moves[1:]), moves
    assert abs(60.0 / an.tracker.grid.period / BPM - 1.0) < 0.03


def test_a_young_first_grids_relative_needs_only_tighter():
    """trance-138-room@numpy, its first 10 s: locked at 168.0, the provisional 89.9 (2:3) at 1.95 s, and check (a)
    takes 138.0 at 7.20 s, fitted x2.2 tighter (17.4 -> 7.8 ms): a young first grid's relative needs only "tighter"
    (``tighter_fits``'s ``first``).  With the exception off in check (a), 137.5 only at 8.59 s (round 53, try 1)."""
    _, an = heard("trance-138-room@numpy", 10.0, HOP)
    moves = [(round(m.t, 2), m.rule, round(60.0 / m.after.period, 1)) for m in an.tracker.moves]
    assert any(r == "short" and t < 8.0 and abs(bpm / BPM - 1.0) < 0.03 for t, r, bpm in moves), moves
