"""Round 48: check (b) on on-beat strength alone does not leave a grid for the comb's grid fitted over
``grid_checks.LOOSER_RATIO`` times looser (floored at ``MISFIT_RMS``).  In a room the reverberation's tail
between a right grid's beats gives a relative's slower grid more on-beat strength, fitted three times looser.

trance-138-room@timgm (the tuning split's recipe, cached in out/beat-corpus as the bench's): its grid is back
on 138 at 10.59 s; without the rule (b) took it to 101.6 at 20.34 s (its fit 9.3 -> 28.5 ms) and brought 138
back only at 24.89 s."""

from __future__ import annotations

from corpus_item import HOP, heard

from vj.audio.grid_checks import MISFIT_RMS, strength_fits
from vj.audio.grid_fit import GridFit

BPM = 138.0


def _fit(rms: float) -> GridFit:
    return GridFit(anchor=0.0, period=0.5, rms=rms, onsets=8, beats=8, coverage=1.0, latest=0.0)


def test_a_grid_fitted_markedly_looser_is_refused_on_strength():
    """The ratio, and its floor: a 3x looser grid is refused, the fits of (b)'s right takes pass."""
    assert not strength_fits(_fit(0.0285), _fit(0.0093), MISFIT_RMS)   # trance@timgm's 101.6
    assert strength_fits(_fit(0.0190), _fit(0.0154), MISFIT_RMS)       # rock@opl3's way back to 112
    assert strength_fits(_fit(0.0200), _fit(0.0086), MISFIT_RMS)       # hiphop@numpy's way back to 90
    assert strength_fits(_fit(0.0150), _fit(0.0010), MISFIT_RMS)       # a very tight grid: the floor


def test_a_rooms_right_grid_is_not_taken_to_a_looser_relative_on_strength():
    """trance-138-room@timgm, 11-24 s: once back at 138 no move takes the grid off that tempo
    (with the rule broken: (b)'s 101.6 at 20.34 s)."""
    _, an = heard("trance-138-room@timgm", 24.0, HOP)
    late = [(round(m.t, 2), m.rule, round(60.0 / m.after.period, 1)) for m in an.tracker.moves if m.t > 11.0]
    assert all(abs(bpm / BPM - 1.0) < 0.03 for _, _, bpm in late), late
    assert abs(60.0 / an.tracker.grid.period / BPM - 1.0) < 0.03
