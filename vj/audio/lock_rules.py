"""The lock rules of vj's beat tracker: which seeded grid may start the clock, replace a
provisional one, or take over when the music comes back after a silence.

- **seed** (``seed_lattice``, ``seed_phase``, ``clear_phase``): a grid at the comb's period
  through its beat, moved to the quarter-beat position with the strongest onsets (its
  lattice), or to an odd eighth when the onsets there outweigh every quarter (a lattice
  through a groove's swung 8ths, round 16), its beats where the phase cues put them
  (``phase_challenger``);
- **first lock** (``_first_lock``, ``_try_lock``): the clock starts once that grid has 4 onsets within 20 ms
  RMS, or already ``LOCK_ONSETS`` within ``LOCK_RMS`` when the comb's period has been steady
  for ``LOCK_STABLE`` estimates and the phase is clear; a first peak's grid fitted loosely
  gives way to a runner-up's fitted at least twice as tightly (``lock_order``, round 25);
- **provisional** (``_provisional_change``): while the comb holds less than
  ``beat_tracker.FIRM_S`` of signal, a comb period that differs and has stayed put for
  ``PROVISIONAL_STABLE`` estimates re-seeds the grid at once, but not to 4:3 of a grid that is
  not slipping (``grid_checks.dotted_up``, round 38: back to the 4:3 it had just left);
- **resume** (``_resume``): after a silence the grid flywheels until a grid seeded from the
  new music alone says whether it is the same grid or another (``RESUME_WAIT_S``); another
  tempo once the comb has settled on it, or sooner when its lattice catches every kick since
  the music came back (``RESUME_KICKS``, round 45).

``LockRules`` is a mixin of ``beat_tracker.BeatTracker`` (split out of it in round 16
with no change in behaviour; the seed's odd-eighth move came after, in the same round): its methods read and set the tracker's state (``evidence``,
``phase``, ``clock``, ``_fit``, ``_stable``, ``_hypothesis``, ``_resume_at``, ...) and call
its ``_take`` and ``_refit``.
"""

from __future__ import annotations

import math

import numpy as np

from .grid_checks import dotted_up
from .grid_fit import MATCH, GridFit, GridMove, fit_grid, lattice_hits
from .phase_challenger import PHASE_WINDOW_S, SEED_WINDOW_MIN_S

#: After a silence (``beat_tracker.RESTART_SILENCE_S``) the grid flywheels, unrefitted, until a grid seeded from the new
#: music alone (by the first-lock rule) says whether it is the same grid (a dropout: keep
#: it) or another (a new track, or the same tempo on another phase: take it); after this
#: many seconds without such a grid, the usual checks go on.  Refitting the old grid to
#: the new onsets bent it: an off-beat-bass groove back after 2 s on another phase ran at
#: 127 for 124 a 16th early, for 5 s.
RESUME_WAIT_S = 4.0
#: ... "the same grid": the new grid's beats within this many beats of the old grid's.
RESUME_SAME = 0.1
#: ... and another tempo before the comb has settled on it (``PROVISIONAL_STABLE``): the comb's
#: first peak, when its grid passes the lock test and its lattice catches every one of at least
#: this many kick-strength onsets since the music came back (the change detector's test of a
#: challenger, ``change_detector.CHALLENGE_STRONG``, with no old grid to beat).  Round 45: after
#: silence-gap-120-100's 2 s gap (both tuning sources) the comb reads 133 (the funk's 4:3) for
#: 0.3 s, then 100 from +1.25 s, and waits 0.46 s for 10 steady readings; the 4:3's lattice
#: caught 1-3 of the 3-6 kicks at every reading, 100's all of them from its first (3/3 at
#: +1.26 s on numpy, 6/6 at +1.57 s on opl3, its lattice first passing there).
RESUME_KICKS = 3
#: First lock: this many onsets on the comb's grid within this residual RMS (s).
LOCK_ONSETS = 3
LOCK_RMS = 0.01
#: ... and the comb's period steady (within ``STEADY``) over this many estimates in a row.
LOCK_STABLE = 4
STEADY = 0.02
#: ... and while provisional, a comb period (octave-folded) that differs from the grid's
#: and has stayed the same for this many estimates in a row (~0.46 s) re-seeds it.
PROVISIONAL_STABLE = 10
#: First lock among the comb's early peaks (``beat_tracker.EARLY_PEAKS``): a grid that passes the
#: lock test but fits its onsets looser than ``LOOSE_LOCK_RMS`` (s; check (a)'s ``MISFIT_RMS``, "a
#: grid within it is not slipping") gives way to another peak's grid that is good enough and
#: fits at most ``TIGHTER_LOCK`` times its residual (``tighter_lock``, round 25).
LOOSE_LOCK_RMS = 0.008
TIGHTER_LOCK = 0.5
#: At the seed, the strongest quarter-beat position (or odd eighth: ``GridFit.off_quarter``)
#: needs this many onsets.
SEED_PHASE_COUNT = 2


def lock_ready(fit: GridFit | None, stable: int) -> bool:
    """Does ``fit`` pass the first-lock test (``LOCK_ONSETS`` within ``LOCK_RMS`` with the comb
    steady for ``LOCK_STABLE`` estimates, or ``GridFit.good_enough``)?  The phase is read after."""
    return fit is not None and (fit.good_enough or (
        fit.onsets >= LOCK_ONSETS and fit.rms < LOCK_RMS and stable >= LOCK_STABLE))


def lock_order(fits: list[GridFit | None], stable: int, own: int | None = None) -> list[int]:
    """The order in which the comb's early peaks' grids (``fits``, in the comb's order) are tried
    for the first lock: those of the first ``own`` (all by default: ``tempo_proposer.alternatives``
    lets the runner-ups lock on their own only after ``ALT_AFTER_S`` unlocked) that pass
    ``lock_ready``, in the comb's order; except that a first one fitted looser than
    ``LOOSE_LOCK_RMS`` goes after the tightest good-enough grid of any peak fitted within
    ``TIGHTER_LOCK`` of its residual.

    In a room the comb's early reading of claps and reverberation often ranks a 3:2, 2:3 or 6:5
    relative first, and its grid passes the lock test on a few loose onsets while the true
    tempo's grid, a runner-up, fits them several times tighter (round 25, tuning split:
    trance-138-room@timgm locked 164.7 at 15.3 ms with 132.2 at 4.2 ms beside it; rock-112-room@opl3
    73.7 at 11.2 ms with 111.3 at 3.8 ms; the comb's checks took 3-8 s to reach the tempo).  A
    first grid within ``LOOSE_LOCK_RMS`` keeps its place: the comb's rank decides between tight
    grids."""
    own = len(fits) if own is None else own
    ok = [i for i, f in enumerate(fits[:own]) if lock_ready(f, stable)]
    if not ok or fits[ok[0]].rms <= LOOSE_LOCK_RMS:
        return ok
    first = fits[ok[0]].rms
    tight = [i for i, f in enumerate(fits) if i != ok[0] and f is not None and f.good_enough
             and f.rms <= TIGHTER_LOCK * first]
    if not tight:
        return ok
    best = min(tight, key=lambda i: fits[i].rms)
    return [best] + [i for i in ok if i != best]


class LockRules:
    """The tracker's lock rules (a mixin of ``BeatTracker``: see the module's docstring)."""

    def _provisional_change(self, beat_t: float, period: float, now: float) -> None:
        """While provisional, the comb sees more of the music with every estimate and its
        early reading (often a 3:2 or 4:3 relative while few periods fit the window) is
        replaced as soon as it has settled on another period whose grid fits the onsets."""
        self._hypothesis = (beat_t, period)
        if self._stable < PROVISIONAL_STABLE:
            return
        fit = self.seed_lattice(beat_t, period, now)
        if fit is not None and dotted_up(fit.period, self._fit):
            return  # the comb's early reading of a groove's dotted 8ths (round 38: ramp-funk's flip back)
        if fit is not None and (fit.good_enough or (fit.onsets >= LOCK_ONSETS and fit.rms < LOCK_RMS)):
            self._take(self.seed_phase(fit, now), now, "provisional")

    def _first_lock(self, hyps: list[tuple[float, float]], now: float, own: int) -> None:
        """Not locked yet: the comb's early peaks' grids, tried in ``lock_order`` (the first
        ``own`` on their own, the rest only in place of a loose first)."""
        fits = [self.seed_lattice(beat_t, period, now) for beat_t, period in hyps]
        for i in lock_order(fits, self._stable, own):
            self._try_lock(*hyps[i], now, fits[i])
            if self._fit is not None:
                return

    def _try_lock(self, beat_t: float, period: float, now: float, fit: GridFit | None = None) -> None:
        fit = fit or self.seed_lattice(beat_t, period, now)
        # the comb has already found the period: three onsets on its beats, tightly
        # fitted, with the beats clearly the strongest quarter-beat position, are
        # enough to start the clock
        if not lock_ready(fit, self._stable):
            return
        fit = self.seed_phase(fit, now)
        if fit.good_enough or self.clear_phase(fit, now):
            self._moves.append(GridMove(now, "lock", None, fit))
            self._fit = fit
            self._grid_since = now
            self.clock.lock(self._clock_grid(), now)

    def _resume(self, hyps: list[tuple[float, float]], now: float) -> None:
        """Music back after a silence (``RESUME_WAIT_S``): a grid from its onsets alone, by
        the first-lock rule, decides between the flywheeling grid and a new one."""
        assert self._fit is not None and self._resume_at is not None
        since = self._resume_at
        self._hypothesis = hyps[0]  # (the comb's, for its steadiness count)
        # the old tempo first (a dropout, or the next track at the same tempo), then the comb's:
        # its early reading of new music is often a 4:3 or 3:2 relative
        old = self._fit
        window = max(SEED_WINDOW_MIN_S, now - since)
        kicks = self.evidence.strong(now, since)
        for i, (beat_t, period) in enumerate([(old.at(math.floor(old.position(now))), old.period)] + hyps):
            settled = self._stable >= PROVISIONAL_STABLE
            if i and not settled and (i > 1 or kicks.size < RESUME_KICKS):
                break  # another tempo: once the comb has settled on it (as while provisional), or on every kick
            fit = self.seed_lattice(beat_t, period, now, since=since)
            if fit is None or not (fit.good_enough or (fit.onsets >= LOCK_ONSETS and fit.rms < LOCK_RMS)):
                continue
            if i and not settled and not lattice_hits(fit.lattice_position(kicks), fit.period).all():
                continue  # the comb's early reading of new music (a 4:3 or 3:2) misses some kicks
            fit = self.seed_phase(fit, now, since=since)
            if not (fit.good_enough or i or self.clear_phase(fit, now, window)):
                continue
            self._resume_at = None
            beat = fit.at(math.floor(fit.position(now)))
            drift = old.position(beat) - round(old.position(beat))
            if abs(fit.period / old.period - 1.0) < STEADY and abs(drift) < RESUME_SAME:
                self._refit(now)  # a dropout: the same grid goes on
            else:
                self._take(fit, now, "resume")
                self._grid_since = since  # the phase cues look at the new music only
                self._disagree = self._disagree_short = self._phase_votes = 0
                self.phase.reset()
            return

    def seed_lattice(self, beat_t: float, period: float, now: float, since: float = -math.inf) -> GridFit | None:
        """A grid at the folded period through the comb's beat (moved to the nearest onset),
        then moved to the quarter-beat position where the onsets are strongest: its lattice
        (timing, onsets, residual, strengths), all that the tests of whether to take a grid
        read.  Where its beats go is ``seed_phase``'s call, made only for a grid that passes
        them (the cues' read was half the cost of a seed, and most seeds are refused).

        (With aubio as the proposer, trying its 3:4 and 2:3 relatives as well, scored by on-beat strength,
        fixed none of the corpus's 4:3 funk errors and broke a jungle item: left out.)"""
        ev = self.evidence.rows()
        d = np.where(ev[:, 1] == 1.0, np.abs(ev[:, 0] - beat_t), np.inf)
        anchor = float(ev[np.argmin(d), 0]) if d.size and d.min() < MATCH * period else beat_t
        fit = fit_grid(ev, anchor, period, now, since)
        if fit is None:
            return None
        q = fit.stronger_phase(1.0, min_count=SEED_PHASE_COUNT)
        if q:
            moved = fit_grid(ev, fit.anchor + q * fit.period / 4.0, fit.period, now, since, fit.curv)
            if moved is not None and (moved.good_enough or (moved.onsets >= LOCK_ONSETS and moved.rms < LOCK_RMS)):
                fit = moved
        e = fit.off_quarter(1.0, min_count=SEED_PHASE_COUNT)
        if e:
            # the lattice went through a swung subdivision: onto the onsets off its quarters
            moved = fit_grid(ev, fit.anchor + e * fit.period / 8.0, fit.period, now, since, fit.curv)
            if moved is not None and (moved.good_enough or (moved.onsets >= LOCK_ONSETS and moved.rms < LOCK_RMS)):
                fit = moved
        return fit

    def seed_phase(self, fit: GridFit, now: float, since: float = -math.inf) -> GridFit:
        """A seeded lattice's beats where the phase cues put them (``PhaseChallenger.seed``)."""
        return self.phase.seed(fit, now, since)

    def clear_phase(self, fit: GridFit, now: float, window_s: float = PHASE_WINDOW_S) -> bool:
        """The beats are clearly the strongest quarter, or the cues clearly put the beat there."""
        return self.phase.clear(fit, now, window_s)
