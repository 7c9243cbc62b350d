"""The locked grid's refit: the least-squares grid through the onsets near its beats, once
an onset or a comb estimate comes (``beat_tracker.BeatTracker._refit``).

A refit that fits its onsets loosely (residual over ``grid_checks.MISFIT_RMS``, check (a)'s
"slipping" floor) keeps the grid's period and bend and fits its anchor only
(``refit_grid``, round 27).  In a room or a crowd the onsets near the grid's beats are
smeared and some are not the beat's at all (claps, a reverberation's tail, a 16th before a
masked kick); a least-squares line through them moves the period by up to
``grid_fit.SLOPE_MAX`` a refit, and the refits add up: on the tuning split (round 27) grids
fitted at 2-10 ms on the labelled tempo drifted, within a second, to fits of 20-31 ms
and tempi 1-3 % off (rock-112-room@timgm 111.9 -> 114.8, trance-138-room@numpy 137.5 ->
133.3, trance-138-room@timgm 137.5 -> 140.0, hiphop-90-crowd@timgm 90.0 -> 91.2) with no
grid move, the beats leaving the labels by 0.2-0.4 beat; the comb's checks then moved the
loose grid to a relative.  A loose grid's tempo is the checks' call: (a) re-seeds it when
the short window's comb disagrees and its grid fits tighter (the held grid keeps the free
fit's residual, so it still counts as slipping), (c) when no onset lands near it, (b) and
the change detector as before.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .grid_checks import MISFIT_RMS
from .grid_fit import GridFit, fit_grid

#: Above this residual (s) a refit keeps the period: ``grid_checks.MISFIT_RMS`` (a grid fitted
#: within it is not slipping).
LOOSE_REFIT_RMS = MISFIT_RMS
#: ... unless the free period fits clearly better: the F statistic of its one more parameter
#: over this (5: about the 95 % point of F(1, 8-12), the onsets a refit holds).
PERIOD_F = 5.0


def period_explains(held: GridFit, free: GridFit) -> bool:
    """Does the free fit's new period explain the onsets clearly better than the held one
    (an F test of the one more parameter, over ``PERIOD_F``)?  A grid locked at a tempo a
    little off (trance-138-room@timgm at 132.2 for 138) converges so; noise does not."""
    n = max(free.beats, 3)
    return held.rms ** 2 - free.rms ** 2 > PERIOD_F * free.rms ** 2 / (n - 2)


def refit_grid(ev: np.ndarray, fit: GridFit, now: float, settled: bool = True) -> GridFit | None:
    """``fit`` refitted to the evidence rows ``ev`` at ``now`` (its offset kept): free, or with
    its period and bend held when the free fit is looser than ``LOOSE_REFIT_RMS`` and its new
    period does not explain the onsets clearly better (``period_explains``).  ``settled``: the
    grid's tempo was set (a lock, a re-seed at another tempo) at least
    ``beat_tracker.FIRM_S`` ago; before that the refit is free, as a grid just locked at a tempo
    a little off converges by its refits (trance-138-room@timgm, locked at 132.2 for 138 on 4
    onsets, reached 138 by 6 s; held from the start, its fit dropped the onsets that ran away
    from it, the grid counted as lost at 3.8 s and went to 77.3).  None when no evidence is
    near it (or too little: under 2 beats).

    A held grid keeps the free fit's residual and latest onset: the onsets near it are as loose
    as the free fit says, so check (a) still sees it slipping, and it counts as lost only when
    no onset lands near it at all.  With the held fit's own (it drops the onsets that ran
    away: a tight residual, an old latest onset), a clean 128 -> 100 jump went "lost" 0.9 s
    after the jump, (b) re-seeded it from the mixed long window at 130 and the detector
    brought 100 at 2.4 s instead of (a) at 1.4 s (``test_beat_tracker``'s tempo jump)."""
    new = fit_grid(ev, fit.anchor, fit.period, now, curv=fit.curv)
    if settled and new is not None and new.rms > LOOSE_REFIT_RMS:
        held = fit_grid(ev, fit.anchor, fit.period, now, curv=fit.curv, hold_period=True)
        if held is not None and held.beats >= 2 and not period_explains(held, new):
            new = replace(held, rms=max(held.rms, new.rms), latest=new.latest)
    if new is None or new.beats < 2:
        return None
    return replace(new, offset=fit.offset)
