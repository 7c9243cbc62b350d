"""The beat clock: fires each beat at the time it predicted, so the engine can schedule ahead.

A beat is never taken back or renumbered: when the grid later shows a prediction was
off, the *next* interval absorbs the difference, at most ``MAX_STEP`` of a period per
beat (a half-beat correction takes three beats).  Because a beat fires exactly at its
predicted time and ``last``/``next`` change only then, ``beat_position(t)`` is
continuous and never runs backwards, whatever the grid does in between.

Every re-seed of the grid (a tempo change, a phase move) re-phases the clock at once
(``reseeded``): a beat of the new grid since the last fired one (``REPHASE_MIN`` of a
period after it or later) fires now, late, once (as at the first lock), or the pending
beat moves earlier onto the new grid.  A move later (before ``STRETCH_MAX`` of the
interval has passed, by at most ``JUMP_STEP``) stretches the current interval around
now: the last beat's time moves back so ``beat_position`` stays where it was and never
runs back (it runs slower until the beat); otherwise the interval after it takes the
``JUMP_STEP`` move.  (Only in the first half of the interval, the pending beat of a
119 -> 93 jump fired on the old grid, 120 ms early, and the re-lock took 3.2 s instead
of 2.0.)
"""

from __future__ import annotations

import math
from typing import Callable

from .grid_fit import GridFit

#: Largest phase correction applied to one beat interval, as a fraction of a period.
MAX_STEP = 0.2
#: ... and right after a re-seed (a tempo or phase change), the first interval may move
#: this much, so a cut is followed within a beat or two.
JUMP_STEP = 0.5
#: On a re-seed, a beat of the new grid that lies more than this fraction of a period
#: after the last fired beat fires at once (late, once, as at the first lock).
REPHASE_MIN = 0.3
#: A re-seed that moves the pending beat later stretches the current interval (so
#: ``beat_position`` never runs back) while less than this fraction of it has passed;
#: later than that the pending beat fires where it was planned.
STRETCH_MAX = 0.9


class BeatClock:
    """``count`` (-1 until the first lock), ``last`` and ``next`` beat times.  Each fired
    beat is told to ``on_beat(index, time)`` (the downbeat listens)."""

    def __init__(self, on_beat: Callable[[int, float], None]):
        self.count = -1
        self.last = 0.0
        self.next = 0.0
        self.jump = False  # the next interval may move by up to JUMP_STEP (after a re-seed)
        self._on_beat = on_beat
        self._due = 0  # beats fired on time (by ``advance``) since ``take_due`` last asked

    @property
    def running(self) -> bool:
        return self.count >= 0

    def lock(self, fit: GridFit, now: float) -> None:
        """First lock: beat 0 is the last grid beat at or before now (it fires late, once)."""
        g = fit.at(math.floor(fit.position(now)))
        self.count = 0
        self.last = g
        self.next = g + self._interval_after(fit, g)
        self._on_beat(0, g)
        self.advance(now, fit)
        self._due = 0  # the lock's own beats are no beats on time

    def reseeded(self, fit: GridFit, now: float) -> None:
        """The grid was re-seeded (tempo or phase change): follow it at once (see the module)."""
        self.jump = True
        if self.count < 0:
            return
        kg = math.floor(fit.position(now))
        g, g_next = fit.at(kg), fit.at(kg + 1)
        if g > self.last + REPHASE_MIN * fit.period:
            self.count += 1
            self.last = g
            self.next = g_next
            self.jump = False
            self._on_beat(self.count, g)
        elif g_next < self.next:
            self.next = g_next
            self.jump = False
        else:
            # later: stretch the current interval so that ``beat_position`` stays where it
            # is now (the last beat's time moves back), unless the beat is nearly due
            frac = (now - self.last) / (self.next - self.last)
            if g_next - self.next <= JUMP_STEP * fit.period and frac < STRETCH_MAX:
                self.last = (now - frac * g_next) / (1.0 - frac)
                self.next = g_next
                self.jump = False

    def _interval_after(self, fit: GridFit, beat_t: float) -> float:
        kb = round(fit.position(beat_t))  # the grid beat nearest the one that fired
        interval = fit.at(kb + 1) - fit.at(kb)
        lim = (JUMP_STEP if self.jump else MAX_STEP) * fit.period
        self.jump = False
        step = min(lim, max(-lim, fit.at(kb) - beat_t))
        return interval + step

    def advance(self, t: float, fit: GridFit | None) -> None:
        """Fire every beat due by ``t``."""
        while self.count >= 0 and self.next <= t:
            assert fit is not None
            beat_t = self.next
            self.count += 1
            self.last = beat_t
            self.next = beat_t + self._interval_after(fit, beat_t)
            self._due += 1
            self._on_beat(self.count, beat_t)

    def take_due(self) -> int:
        """How many beats fired on time since the last call (whoever called ``advance``: the
        tracker at a hop, or a snapshot between hops), and start counting again.  The tracker
        runs its once-a-beat checks on this count, not on what its own ``advance`` fired: a
        snapshot taken between a beat and the next hop fired that beat first, and its check
        was skipped (``vj play`` and rehearsal take one every frame: their beats depended on
        where the frames fell; the bench's 512-sample blocks end on hops and never did)."""
        n, self._due = self._due, 0
        return n
