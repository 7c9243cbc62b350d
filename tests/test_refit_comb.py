"""The refit's hold asks the comb (round 29): a loose refit keeps the grid's period only while
the comb's long window proposes that tempo (``refit.comb_agrees``).

Round 27's hold (``refit.refit_grid``) kept whatever period the grid had once its tempo had
settled: on hiphop-90-crowd@timgm from mid-music a period the refit had drifted to before it
settled (91.5 for 90) while the comb read 112 and 161, and on the held-out hiphop a detector's
double (174.5 for 87).  Evidence rows are ``[time, kind, strength]`` (kind 1: an onset)."""

from __future__ import annotations

import numpy as np

from vj.audio.grid_fit import GridFit, fit_grid
from vj.audio.refit import LOOSE_REFIT_RMS, comb_agrees, refit_grid


def _room_smeared() -> tuple[np.ndarray, GridFit, float]:
    """16 beats at 112, two of the last four heard 40-45 ms early: the free line drifts (112.6)."""
    period = 60.0 / 112.0
    t = np.arange(16) * period + np.random.default_rng(1).uniform(-0.002, 0.002, 16)
    t[-3] -= 0.040
    t[-1] -= 0.045
    ev = np.array([[x, 1.0, 1.0] for x in t])
    old = GridFit(anchor=15 * period, period=period, rms=0.002, onsets=16, beats=16, coverage=1.0,
                  latest=15 * period)
    return ev, old, 15 * period + 0.1


def test_the_period_is_held_only_while_the_comb_proposes_it():
    ev, old, now = _room_smeared()
    free = fit_grid(ev, old.anchor, old.period, now)
    assert free.rms > LOOSE_REFIT_RMS and free.period != old.period
    # the comb's long window reads 112.8 (within grid_checks.DISAGREE): held
    held = refit_grid(ev, old, now, comb_period=60.0 / 112.8)
    assert held is not None and held.period == old.period
    # the comb reads another tempo (90), or the grid's double (224), or nothing yet: the refit is free
    for comb in (60.0 / 90.0, 60.0 / 224.0, None):
        fit = refit_grid(ev, old, now, comb_period=comb)
        assert fit is not None and fit.period == free.period


def test_comb_agrees_at_the_proposed_level_only():
    p = 60.0 / 120.0
    assert comb_agrees(p, 60.0 / 122.0)
    assert not comb_agrees(p, 60.0 / 126.0)
    assert not comb_agrees(p, 60.0 / 60.0) and not comb_agrees(p, 60.0 / 240.0)
