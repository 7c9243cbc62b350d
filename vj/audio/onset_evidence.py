"""The onset evidence ring: every onset aubio reports, with a strength once it is known.

Rows are ``[time, kind, strength]``: kind 1 is an onset; its strength is -1 until
``STRENGTH_WINDOW_S`` has passed, then the rise of the raw bass across it times the
peak raw hfc onset function just after it (a kick is a bass onset with a broadband
attack).  A slow peak of those strengths (time constant ``PEAK_TAU_S``) tells which
onsets are as strong as the music's kicks (``KICK_SHARE`` of it): the change detector,
the phase vote and the "lost" test look at those only, so hats alone in a breakdown
move nothing.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Callable

import numpy as np

from .grid_fit import FIT_BEATS, FIT_TAU_S, QUARTER_TOL, GridFit

#: Evidence rows kept (onsets; ~15 s of busy music).
EVIDENCE_ROWS = 128
#: Seconds after an onset in which its strength is measured (and before it, for the
#: bass it rises from).
STRENGTH_WINDOW_S = 0.07
STRENGTH_BEFORE_S = 0.05
#: Seconds of hops kept for that (a little more than the two windows).
HOP_RING_S = 0.2
#: An onset is "kick-strength" at this fraction of the slow peak of onset strength
#: (time constant ``PEAK_TAU_S``).
KICK_SHARE = 0.2
PEAK_TAU_S = 20.0
#: Beats looked back over for a kick-strength onset (``kick_present``).
KICK_BEATS = 4
#: The grid counts as lost when at least this many onsets came but none landed on it for
#: this many beats.
LOST_BEATS = 3
#: Seconds of onsets the on-beat strength of a grid is measured over by default.
ON_BEAT_WINDOW_S = 6.0
#: A kick's entry (``entered``): an onset this many times the slow peak before it.  Round 9,
#: every raise of the peak more than 2 s into the music of the tuning split: the kick's first
#: onsets after a kick-less intro raise it 298x (house, numpy kit), 22x (house, TimGM6mb) and
#: 3.3x (techno under its bass, numpy kit); no other raise, on any item, reached 2.94
#: (a tempo change's new kicks, drums back after a breakdown, a room's first kicks).
ENTRY_RATIO = 3.0
#: The beat's timing: the grid is fitted to aubio's onset times (less ``beat_tracker.ONSET_LEAD_S``),
#: and its beats are shown moved by how much earlier or later the onsets it is fitted on rose
#: (``timing_shift``).  An onset's rise is the moment the onset function (raw hfc, one value
#: a hop) goes through ``RISE_FRACTION`` of the way from the lowest hop in the ``RISE_BASE_S``
#: before its peak to that peak, interpolated between hops, less ``RISE_LAG_S``.  aubio's time
#: is the (smoothed) peak, which a kick whose body swells for 10-20 ms after its note-on, or a
#: room's reverberation, pushes late.  Round 22, every onset of the tuning split within 35 ms of
#: a labelled beat (6,454): against aubio's time less 6 ms, the spread of the group means fell
#: from 2.9 to 1.3 ms (club +3.4 -> +1.6, reverb +2.4 -> +0.5, laptop mic -4.5 -> -0.3, Afro
#: house -7.8 -> -2.2), of the item means from 4.2 to 3.4 ms, of the onsets from 6.2 to 5.2 ms;
#: a fraction of 0.15-0.3 reads the same, 0.5 (nearer the peak) worse, a base of 3 hops worse
#: (rooms).  The crossing's hop end lies 5.3 ms (median) after the note-on (a hop's 23 ms window
#: has taken in a fifth of the attack by then).  What no rise can see is a sound that starts
#: after its note-on (OPL3's kick reaches a tenth of its peak 5.7 ms after it: read +3.8 ms,
#: TimGM6mb's -2.0).  The decisions (lock, change, phase) stay on aubio's times: fed the rises,
#: the change detector's and the phase seed's tests, measured on aubio's times, took other
#: paths (a phase cut re-locked 0.97 -> 5.8 s later).
RISE_FRACTION = 0.2
RISE_BASE_S = 0.06
RISE_LAG_S = 0.005
#: The peak is looked for within this of aubio's time (it lies 10-15 ms after it).
RISE_SEARCH_S = 0.035
#: The onsets the grid leans on: within this of its lattice points (its fit's tolerance
#: tightens to 3x the residuals' MAD, 12 ms at least; the nearest 16th is 75 ms away at 200 BPM).
RISE_MATCH_S = 0.03


class OnsetEvidence:
    """Onset rows in a ring, rated as they mature."""

    def __init__(self, sample_rate: int, hop: int):
        self._ev = np.zeros((EVIDENCE_ROWS, 3), np.float64)
        self._shift = np.zeros(EVIDENCE_ROWS)  # per row: its rise less its time (``RISE_FRACTION``)
        self._total = 0  # rows ever written; row i lives at i % EVIDENCE_ROWS
        self._unrated: deque[tuple[int, float]] = deque()  # (row, time) of onsets awaiting a strength
        n_ring = int(math.ceil(HOP_RING_S * sample_rate / hop))
        self._ring_t = np.full(n_ring, -math.inf)
        self._ring_odf = np.zeros(n_ring)
        self._ring_bass = np.zeros(n_ring)
        self._ring_i = 0
        self._peak = 0.0  # slow peak of onset strengths, and when it was set
        self._peak_t = 0.0
        self.entered = -math.inf  #: the last onset that raised the peak ENTRY_RATIO-fold: a kick's entry

    def add(self, t: float, rise: float | None = None) -> None:
        """An onset at ``t``, which rose at ``rise`` (``rise_time``; None: at ``t``)."""
        row = self._total
        self._ev[row % EVIDENCE_ROWS] = (t, 1.0, -1.0)
        self._shift[row % EVIDENCE_ROWS] = 0.0 if rise is None else rise - t
        self._total += 1
        self._unrated.append((row, t))

    def rise_time(self, t: float) -> float | None:
        """The leading edge of the onset aubio put at ``t`` (see ``RISE_FRACTION``), from the hops
        heard so far; None where the onset function shows no rise there."""
        order = np.argsort(self._ring_t)  # the ring's hops, oldest first (18 values)
        ts, odf = self._ring_t[order], self._ring_odf[order]
        near = np.flatnonzero(np.abs(ts - t) <= RISE_SEARCH_S)
        if near.size == 0:
            return None
        p = int(near[np.argmax(odf[near])])
        lo = int(np.searchsorted(ts, ts[p] - RISE_BASE_S - 1e-9))
        base = float(odf[lo:p + 1].min())
        level = base + RISE_FRACTION * (float(odf[p]) - base)
        if odf[p] <= base or not math.isfinite(ts[lo]):
            return None
        k = p
        while k > lo and odf[k - 1] >= level:
            k -= 1
        dt = ts[k] - ts[k - 1]
        return float(ts[k - 1] + dt * (level - odf[k - 1]) / (odf[k] - odf[k - 1])) - RISE_LAG_S

    def timing_shift(self, fit: GridFit, now: float) -> float:
        """How much earlier (negative) the onsets ``fit`` leans on rose than their times say:
        the mean over those within ``RISE_MATCH_S`` of its lattice points in its window
        (``FIT_BEATS``), weighted by recency as the fit weighs them (``FIT_TAU_S``); 0 without any."""
        ev = self.rows()
        sel = (ev[:, 1] == 1.0) & (ev[:, 0] > now - FIT_BEATS * fit.period)
        ts = ev[sel, 0]
        if ts.size == 0:
            return 0.0
        u = fit.lattice_position(ts)
        on = np.abs(u - np.round(u)) * fit.period < RISE_MATCH_S
        if not on.any():
            return 0.0
        w = np.exp(-(now - ts[on]) / FIT_TAU_S)
        return float(np.dot(w, self._shift[:len(ev)][sel][on]) / w.sum())

    def rows(self) -> np.ndarray:
        """The stored rows (a view, unordered once the ring has wrapped)."""
        return self._ev[:min(self._total, EVIDENCE_ROWS)]

    def rate(self, t: float, odf: float, bass: float, on_rated: Callable[[float, float], None]) -> None:
        """Take in a hop's raw onset function and bass; give each onset, once
        ``STRENGTH_WINDOW_S`` has passed, its strength, and tell ``on_rated(time, strength)``."""
        i = self._ring_i
        self._ring_t[i], self._ring_odf[i], self._ring_bass[i] = t, odf, bass
        self._ring_i = (i + 1) % self._ring_t.size
        while self._unrated and t >= self._unrated[0][1] + STRENGTH_WINDOW_S:
            row, ot = self._unrated.popleft()
            if self._total - row > EVIDENCE_ROWS:
                continue  # overwritten already
            entry = self._ev[row % EVIDENCE_ROWS]
            after = (self._ring_t > ot) & (self._ring_t <= ot + STRENGTH_WINDOW_S)
            before = (self._ring_t > ot - STRENGTH_BEFORE_S) & (self._ring_t <= ot)
            if not after.any():
                entry[2] = 0.0
                continue
            base = float(self._ring_bass[before].min()) if before.any() else 0.0
            rise = max(0.0, float(self._ring_bass[after].max()) - base)
            entry[2] = rise * max(0.0, float(self._ring_odf[after].max()))
            peak = self.peak_strength(ot)
            if entry[2] >= peak:
                if 0.0 < peak and entry[2] >= ENTRY_RATIO * peak:
                    self.entered = ot
                self._peak, self._peak_t = float(entry[2]), ot
            on_rated(ot, float(entry[2]))

    def peak_strength(self, now: float) -> float:
        return self._peak * math.exp(-max(0.0, now - self._peak_t) / PEAK_TAU_S)

    def is_kick(self, strength: float, now: float) -> bool:
        return strength >= KICK_SHARE * self.peak_strength(now)

    def strong(self, now: float, since: float) -> np.ndarray:
        """Times of the kick-strength onsets after ``since``."""
        ev = self.rows()
        sel = (ev[:, 1] == 1.0) & (ev[:, 0] > since) & (ev[:, 2] >= KICK_SHARE * self.peak_strength(now))
        return ev[sel, 0]

    def kick_present(self, now: float, period: float) -> bool:
        """Whether onsets as strong as the music's kicks were heard in the last
        ``KICK_BEATS`` beats.  Without them (a breakdown of pads and hats) the quarter-beat
        strengths are noise, and the grid holds."""
        ev = self.rows()
        recent = (ev[:, 1] == 1.0) & (ev[:, 0] > now - KICK_BEATS * period)
        return bool(recent.any()) and float(ev[recent, 2].max()) >= KICK_SHARE * self.peak_strength(now)

    def lost(self, now: float, fit: GridFit) -> bool:
        """Music is playing (onsets) but has stopped landing on the grid."""
        period = fit.period
        ev = self.rows()
        recent = np.count_nonzero((ev[:, 1] == 1.0) & (ev[:, 0] > now - LOST_BEATS * period))
        return recent >= LOST_BEATS and fit.latest < now - LOST_BEATS * period

    def on_beat_strength(self, fit: GridFit, now: float, window_s: float = ON_BEAT_WINDOW_S) -> float:
        """Onset strength per second landing on ``fit``'s lattice points over the last
        ``window_s`` (where its onsets are: how well its timing is backed, whatever its phase)."""
        ev = self.rows()
        rated = (ev[:, 1] == 1.0) & (ev[:, 2] >= 0.0) & (ev[:, 0] > now - window_s)
        frac = fit.lattice_position(ev[rated, 0]) % 1.0
        on = np.abs((frac + 0.5) % 1.0 - 0.5) < QUARTER_TOL
        return float(ev[rated, 2][on].sum()) / window_s
