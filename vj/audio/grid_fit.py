"""The beat grid and how it is fitted to onsets: pure functions, no state.

The grid (anchor, period, bend) is a weighted least-squares line through recent onset
times (aubio ``onset``, ~2 ms jitter) near the predicted beats.  Each onset gets the
integer beat index it rounds to, so missed and extra beats cost nothing; one onset
per index (the closest); far ones are rejected and the tolerance tightens to 3x
the robust spread (MAD) of the residuals over three passes.  Recent onsets weigh
more (time constant ``FIT_TAU_S``) so a drifting tempo is followed.  On a ramp the
grid bends: ``GridFit.curv`` adds a tempo slope (beat k at ``anchor + k period +
curv (k^2 - k)``), measured over the whole window with even weights and kept only when
it fits clearly better than a line (F over ``RAMP_F``) and tightly (``RAMP_RMS``): a
phase cut or a room's smeared onsets also bend a line, but loosely.  A straight line
through a funk ramp 104 -> 84 fired each beat 30-40 ms early (median); bent, 4-7 ms.

Evidence rows are ``[time, kind, strength]`` (kind 1: an onset; strength -1 until it is
known; see ``onset_evidence``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

#: Evidence counts for a beat when within this fraction of a period of the grid.
MATCH = 0.15
#: Beats of evidence the fit looks back over, and the time constant of its recency weighting.
FIT_BEATS = 16
FIT_TAU_S = 3.0
#: Onsets needed (with at least ``SLOPE_SPAN`` beats between the first and the last) before
#: the fit moves the period, and how far (a fraction) one fit may move it.
SLOPE_ONSETS = 4
SLOPE_SPAN = 3
SLOPE_MAX = 0.08
#: The first pass's tolerance is ``MATCH`` of a period; later ones 3x the robust spread,
#: but never under ``MIN_TOL_S``.
MIN_TOL_S = 0.012
FIT_PASSES = 3
#: A ramp (a tempo that speeds up or slows down) bends the grid: with at least
#: ``RAMP_ONSETS`` onsets over ``RAMP_BEATS`` beats the fit adds a tempo slope (a
#: quadratic term), up to ``RAMP_MAX`` of a period per beat, when it fits the onsets
#: clearly better than a line (F statistic over ``RAMP_F``) with a residual under
#: ``RAMP_RMS`` seconds; a straight line through a ramp predicts every beat late
#: (speeding up) or early (slowing down).
RAMP_ONSETS = 8
RAMP_BEATS = 8
RAMP_MAX = 0.02
RAMP_F = 20.0
RAMP_RMS = 0.009
#: Weight of a non-onset beat row (kind 0) relative to an onset in the fit (only used while the
#: fit window holds fewer than ``SLOPE_ONSETS`` onsets).
AUBIO_WEIGHT = 0.25
#: Time constant (s) of the recency weighting of the quarter-beat strengths.
PHASE_TAU_S = 3.0
#: An onset counts for a quarter-beat position within this fraction of a beat of it.
QUARTER_TOL = 0.1
#: ... and for an odd eighth of the lattice (1/8, 3/8, 5/8, 7/8 of a beat after its points,
#: between the straight 16ths) within this fraction (round 16); an onset 0.0625-0.1 beat from
#: a quarter counts for both, which adds to both sides of ``GridFit.off_quarter``'s comparison.  A lattice fitted to the
#: swung 8ths of a groove (at 0.58-0.67 of the beat) has the beat's kicks and snares 0.33-0.42
#: of a beat after its points, off every quarter: the quarter-beat strengths and the phase
#: cues' four offsets never see them (bench/phase_trace.py: hiphop-swing-90@opl3 heard from
#: mid-music sat at 0.62 of the beat for the whole item).
EIGHTH_TOL = 1.0 / 16.0
#: Coverage looks at this many grid beats that ended at least ``COVERAGE_LAG_S`` ago.
COVERAGE_BEATS = 8
COVERAGE_LAG_S = 0.1
#: A grid is good enough to run the clock with this many onsets within ``GOOD_RMS``, or this
#: many beats with any evidence within ``GOOD_BEATS_RMS`` (seconds).
GOOD_ONSETS, GOOD_RMS = 4, 0.02
GOOD_BEATS, GOOD_BEATS_RMS = 6, 0.03
#: The lattice of the change detector: an onset is explained within ``LATTICE_TOL_S`` of a
#: 16th of the grid (of an 8th when 16ths would be closer than ``LATTICE_MIN_S``).
LATTICE_TOL_S = 0.015
LATTICE_MIN_S = 0.09
#: A tempo within this of 3:2 or 4:3 of another (up to octaves) is a metrical relative.
METRICAL_TOL = 0.03


@dataclass(frozen=True, slots=True)
class GridFit:
    """A beat grid: a *lattice* fitted to the onsets, lattice point ``u`` (relative to the
    latest evidence) at ``anchor + u * period + curv * (u * u - u)`` (``period`` is the
    interval from point 0 to point 1 and ``curv`` bends the grid on a ramp: each interval
    is ``2 * curv`` longer than the one before), and the beats ``offset`` beats after its
    points.  The onsets fix the lattice (its timing); which of its quarter-beat positions
    is the beat (the phase) is the phase cues' call: with a quiet kick under a loud
    off-beat bass the onsets sit on the "and", and the beat is half a beat away from them."""

    anchor: float
    period: float
    rms: float          #: weighted residual RMS of the evidence, seconds
    onsets: int         #: distinct beats backed by an onset
    beats: int          #: distinct beats with any evidence
    coverage: float     #: fraction of the last 8 grid beats backed by evidence (kind-0 rows: half)
    latest: float       #: time of the latest evidence used
    #: summed strength (and count) of the window's onsets at 0, 1/4, 1/2, 3/4 of a beat after the grid's beats
    strength: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    counts: tuple[int, ...] = (0, 0, 0, 0)
    curv: float = 0.0
    offset: float = 0.0  #: the beats lie this many beats after the lattice's points (0..1)
    #: the same at 1/8, 3/8, 5/8 and 7/8 of a beat (``EIGHTH_TOL``): onsets off every quarter
    odd_strength: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    odd_counts: tuple[int, ...] = (0, 0, 0, 0)

    def lattice_at(self, u):
        """Time of (possibly fractional) lattice index ``u``."""
        return self.anchor + u * self.period + self.curv * (u * u - u)

    def lattice_position(self, t):
        """Lattice index (fractional) of time ``t``: the inverse of ``lattice_at``."""
        u = (t - self.anchor) / self.period
        if self.curv:
            for _ in range(2):  # Newton; the bend is small (under RAMP_MAX a beat)
                u = u - (self.lattice_at(u) - t) / (self.period + self.curv * (2.0 * u - 1.0))
        return u

    def at(self, k):
        """Time of (possibly fractional) beat index ``k``."""
        return self.lattice_at(k + self.offset)

    def position(self, t):
        """Beat index (fractional) of time ``t``: the inverse of ``at``."""
        return self.lattice_position(t) - self.offset

    def stronger_phase(self, ratio: float, min_count: int = 3) -> int:
        """The quarter-beat position (1..3) whose onsets are ``ratio`` times stronger than
        those on the beats, or 0 to stay."""
        best = max(range(4), key=lambda q: self.strength[q] if self.counts[q] >= min_count else -1.0)
        if best and self.counts[best] >= min_count and self.strength[best] > ratio * self.strength[0]:
            return best
        return 0

    def off_quarter(self, ratio: float, min_count: int = 3) -> int:
        """The odd eighth (1, 3, 5, 7: eighths of a beat after the lattice's points) whose onsets
        are ``ratio`` times stronger than those at every quarter of the lattice, or 0: the
        lattice sits on a swung subdivision, and the music's strongest onsets lie where none of
        its quarter-beat positions reach."""
        best = max(range(4), key=lambda i: self.odd_strength[i] if self.odd_counts[i] >= min_count else -1.0)
        if self.odd_counts[best] >= min_count and self.odd_strength[best] > ratio * max(self.strength):
            return 2 * best + 1
        return 0

    @property
    def good_enough(self) -> bool:
        return ((self.onsets >= GOOD_ONSETS and self.rms < GOOD_RMS)
                or (self.beats >= GOOD_BEATS and self.rms < GOOD_BEATS_RMS))


def fold_bpm(bpm: float, lo: float, hi: float) -> float:
    """Fold an octave error into ``[lo, hi]`` (into the octave nearest to it when the range
    is narrower than an octave and no octave fits)."""
    if not bpm > 0.0 or not math.isfinite(bpm):
        return bpm
    while bpm < lo:
        bpm *= 2.0
    while bpm > hi:
        bpm /= 2.0
    if bpm < lo and math.log2(lo / bpm) > math.log2(2.0 * bpm / hi):
        bpm *= 2.0  # nothing fits: 2 bpm overshoots hi by less than bpm falls short of lo
    return bpm


def median(x: np.ndarray) -> float:
    """Median of a short array (np.median's overhead is ~20 us; this is ~2)."""
    s = np.sort(x)
    n = s.size
    return float(s[n // 2]) if n % 2 else 0.5 * float(s[n // 2 - 1] + s[n // 2])


def octave_ratio(a: float, b: float) -> float:
    """``a / b`` folded into [1/sqrt(2), sqrt(2)): 1.0 means the same tempo up to octaves."""
    r = a / b
    while r >= math.sqrt(2.0):
        r /= 2.0
    while r < 1.0 / math.sqrt(2.0):
        r *= 2.0
    return r


def metrical(a: float, b: float) -> bool:
    """Whether periods ``a`` and ``b`` are (up to octaves) 3:2 or 4:3 apart: the usual
    metrical confusions of a busy groove, which a few seconds of onsets cannot tell
    from a tempo change."""
    r = octave_ratio(a, b)
    return any(abs(r / m - 1.0) < METRICAL_TOL for m in (0.75, 4.0 / 3.0))


def subdivisions(period: float) -> float:
    """Lattice points per beat: 16ths, or 8ths when 16ths would be closer than
    ``LATTICE_MIN_S`` (a fast grid's 16ths would explain anything)."""
    return 4.0 if period >= 4 * LATTICE_MIN_S else 2.0


def lattice_hits(beats: np.ndarray, period: float) -> np.ndarray:
    """Whether each beat position (in beats of ``period``) lies within ``LATTICE_TOL_S`` of
    the grid's lattice (``subdivisions``)."""
    n = subdivisions(period)
    f = beats * n
    return np.abs(f - np.rint(f)) * period / n < LATTICE_TOL_S


def on_lattice(fit: GridFit, ts: np.ndarray) -> np.ndarray:
    """Whether each time lies on ``fit``'s lattice."""
    return lattice_hits(fit.lattice_position(ts), fit.period)


def lattice_hold(strong: np.ndarray, period: float) -> float:
    """How many of ``strong`` (onset times) lie on the 16ths (8ths when fast) of one grid
    of ``period`` (the best of the grids through each of them), less the number a lattice
    that fine would catch by chance (a faster grid's is finer)."""
    best = max((int(np.count_nonzero(lattice_hits((strong - a) / period, period))) for a in strong), default=0)
    return best - strong.size * min(1.0, 2.0 * LATTICE_TOL_S * subdivisions(period) / period)


def ramp(k: np.ndarray, t: np.ndarray, w: np.ndarray | None, period: float) -> float:
    """The bend ``c`` of ``t = a + b k + c (k^2 - k)`` (weighted least squares) if it
    fits clearly better than a line (F statistic over ``RAMP_F``) and is at most
    ``RAMP_MAX`` of a period per beat; else 0.  ``w`` None: every weight 1 (the same
    numbers as a vector of ones, without multiplying by them)."""
    x = np.empty((3, k.size))
    x[0] = 1.0
    x[1] = k
    np.subtract(k * k, k, out=x[2])
    xw = x if w is None else x * w  # (its first two rows are the line's)
    try:
        line = np.linalg.solve(xw[:2] @ x[:2].T, xw[:2] @ t)
        bent = np.linalg.solve(xw @ x.T, xw @ t)
    except np.linalg.LinAlgError:
        return 0.0
    e_line = (t - line @ x[:2]) ** 2
    e_bent = (t - bent @ x) ** 2
    sse_line = float(np.sum(e_line if w is None else w * e_line))
    sse_bent = float(np.sum(e_bent if w is None else w * e_bent))
    c = float(bent[2])
    if (abs(2.0 * c) >= RAMP_MAX * period or sse_line - sse_bent <= RAMP_F * sse_bent / (k.size - 3)
            or sse_bent > RAMP_RMS ** 2 * (k.size if w is None else float(w.sum()))):  # a cut or a room's smear, not a ramp
        return 0.0
    return c


_QUARTERS = (np.arange(4) / 4.0)[:, None]
_ODD_EIGHTHS = ((2 * np.arange(4) + 1) / 8.0)[:, None]


def _lattice_index(ts, anchor: float, period: float, curv: float):
    """``GridFit(anchor, period, curv=curv).lattice_position(ts)``, the same arithmetic
    without building a GridFit (``fit_grid`` runs on every onset)."""
    u = (ts - anchor) / period
    if curv:
        for _ in range(2):
            u = u - (anchor + u * period + curv * (u * u - u) - ts) / (period + curv * (2.0 * u - 1.0))
    return u


def _lattice_time(k: np.ndarray, anchor: float, period: float, curv: float) -> np.ndarray:
    """``GridFit(anchor, period, curv=curv).lattice_at(k)`` (a straight grid's bend term is a
    zero, and adding it changes nothing)."""
    if curv:
        return anchor + k * period + curv * (k * k - k)
    return anchor + k * period


def fit_grid(ev: np.ndarray, anchor: float, period: float, now: float, since: float = -math.inf,
             curv: float = 0.0, hold_period: bool = False) -> GridFit | None:
    """Weighted line through the evidence rows ``ev`` near the grid (``anchor``, ``period``,
    ``curv``), from the last ``FIT_BEATS`` and after ``since``; bent by a tempo slope when
    the evidence spans enough beats (``RAMP_ONSETS``).  ``hold_period``: the period (and the
    bend) stay as given, only the anchor is fitted (``refit.refit_grid``, round 27).

    (Written for its cost, about half of the tracker's: one array pass per step, no
    GridFit until the end; the numbers are those of the plain form, bit for bit.)"""
    recent = ev[:, 0] > max(since, now - FIT_BEATS * period - 0.5)
    is_onset = ev[:, 1] == 1.0
    onset_rows = recent & is_onset
    n_onsets = int(np.count_nonzero(onset_rows))
    # enough onsets: beat rows without one would only pull
    ev = ev[onset_rows] if n_onsets >= SLOPE_ONSETS else ev[recent]
    if len(ev) == 0:
        return None
    ts, kind, strength = ev[:, 0], ev[:, 1], ev[:, 2]
    all_onsets = n_onsets == len(ev)  # (the usual case: no kind key to sort by, every weight 1)
    given_curv = curv
    spread = MATCH * period / 3.0
    for _ in range(FIT_PASSES):
        n = np.rint(_lattice_index(ts, anchor, period, curv))
        r = ts - _lattice_time(n, anchor, period, curv)
        tol = min(MATCH * period, max(MIN_TOL_S, 3.0 * spread))
        ar = np.abs(r)
        idx = np.flatnonzero(ar < tol)
        if idx.size == 0:
            return None
        order = idx[np.lexsort((ar[idx], n[idx]) if all_onsets else (ar[idx], -kind[idx], n[idx]))]
        no = n[order]
        first = np.empty(order.size, bool)
        first[0] = True
        np.not_equal(no[1:], no[:-1], out=first[1:])
        sel = order[first]
        ns = no[first]
        k = ns - ns.max()
        tt = ts[sel]
        base = None if all_onsets else np.where(kind[sel] == 1.0, 1.0, AUBIO_WEIGHT)
        w = np.exp(-(now - tt) / FIT_TAU_S)
        if base is not None:
            w = base * w
        sw = w.sum()
        # a ramp's bend is measured over the whole window with even weights (a few
        # recent onsets would bend a steady grid), then the recency-weighted line
        # through what is left of the onset times gives the anchor and period
        curv = 0.0
        span = -k.min()
        if hold_period:
            curv = given_curv
        elif sel.size >= RAMP_ONSETS and span >= RAMP_BEATS:
            curv = ramp(k, tt, base, period)
        u = tt - curv * (k * k - k) if curv else tt
        new_period = period
        if not hold_period and sel.size >= SLOPE_ONSETS and span >= SLOPE_SPAN:
            wk = w * k
            sk, su = wk.sum(), (w * u).sum()
            skk, sku = (wk * k).sum(), (wk * u).sum()
            den = sw * skk - sk * sk
            if den > 0:
                slope = (sw * sku - sk * su) / den
                if abs(slope / period - 1.0) < SLOPE_MAX:
                    new_period = slope
        anchor = float(np.sum(w * (u - k * new_period)) / sw)
        period = float(new_period)
        res = tt - _lattice_time(k, anchor, period, curv)
        # the robust spread (MAD) sets the next pass's tolerance, so a few stray
        # onsets (a click 40 ms before the beat) are dropped, not averaged in
        spread = 1.4826 * median(np.abs(res - median(res)))
    rms = float(math.sqrt(np.sum(w * res * res) / sw))
    onsets = kind[sel] == 1.0
    # the grid beats that ended at least COVERAGE_LAG_S ago (an onset needs that long to show)
    cur = math.floor(_lattice_index(now - COVERAGE_LAG_S, anchor, period, curv))
    recent = (k <= cur) & (k > cur - COVERAGE_BEATS)
    n_recent, n_on = int(np.count_nonzero(recent)), int(np.count_nonzero(onsets[recent]))
    coverage = (n_on + 0.5 * (n_recent - n_on)) / COVERAGE_BEATS  # (sums of ones and halves are exact in any order)
    # how strong the window's onsets are at each quarter-beat position of this grid
    frac = _lattice_index(ts, anchor, period, curv) % 1.0
    rated = (kind == 1.0) & (strength >= 0.0)
    weighted = strength * np.exp(-(now - ts) / PHASE_TAU_S)  # recent: a phase cut shows within a few beats
    sums, counts = _strength_at(frac, _QUARTERS, QUARTER_TOL, rated, weighted)
    odd_sums, odd_counts = _strength_at(frac, _ODD_EIGHTHS, EIGHTH_TOL, rated, weighted)
    return GridFit(anchor, period, rms, int(np.count_nonzero(onsets)), int(sel.size), min(1.0, coverage),
                   float(tt.max()), sums, counts, curv, odd_strength=odd_sums, odd_counts=odd_counts)


def _strength_at(frac: np.ndarray, positions: np.ndarray, tol: float, rated: np.ndarray,
                 weighted: np.ndarray) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """The weighted strength and the count of the rated onsets within ``tol`` (of a beat) of each
    of ``positions`` (a column of phases): the quarters' and the odd eighths' alike."""
    near = rated & (np.abs((frac - positions + 0.5) % 1.0 - 0.5) < tol)  # (positions, onsets)
    return (tuple(float(weighted[at].sum()) for at in near),
            tuple(int(c) for c in np.count_nonzero(near, axis=1)))


class GridMove(NamedTuple):
    """One grid move, for traces (``BeatTracker.moves``): when, by which rule, the grid before
    (None at the first lock) and after.  Rules: ``lock``, ``provisional``, ``resume``, ``phase``
    (the phase challenger's flip), ``nudge`` (``shift_phase``), ``detector`` (the change
    detector's challenger), ``swing`` (onto an odd eighth), ``lattice`` (onto a stronger
    quarter), ``short``, ``long``, ``lost`` (the comb's checks a, b, c: ``beat_tracker``), ``halve``."""

    t: float
    rule: str
    before: GridFit | None
    after: GridFit
