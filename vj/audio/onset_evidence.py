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

from .grid_fit import QUARTER_TOL, GridFit

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


class OnsetEvidence:
    """Onset rows in a ring, rated as they mature."""

    def __init__(self, sample_rate: int, hop: int):
        self._ev = np.zeros((EVIDENCE_ROWS, 3), np.float64)
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

    def add(self, t: float) -> None:
        row = self._total
        self._ev[row % EVIDENCE_ROWS] = (t, 1.0, -1.0)
        self._total += 1
        self._unrated.append((row, t))

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
