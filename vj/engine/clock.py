"""The show clock: a monotonic beat position that follows the tracker smoothly.

The tracker's estimate can jump (first lock, re-lock, a corrected phase).  The show
must not: a zoom that jumps or runs backwards is worse than one a few ms off.  So
the clock advances at the tracked tempo and slews its phase toward the tracker's
prediction, never slower than half speed or faster than double speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..audio.snapshot import BeatState

#: Seconds for a phase error to shrink by e; short enough to land hits within a frame.
SLEW_TIME = 0.12


def wrap(x: float, period: float = 1.0) -> float:
    """``x`` wrapped into (-period/2, period/2]."""
    y = math.fmod(x + period / 2.0, period)
    if y <= 0.0:
        y += period
    return y - period / 2.0


@dataclass(slots=True)
class ShowClock:
    """Beat position ``p`` (beats since the show started; downbeats where ``(p - downbeat) % bpb == 0``)."""

    bpm: float = 120.0
    beats_per_bar: int = 4
    p: float = 0.0
    downbeat: int = 0           #: beat index (mod beats_per_bar) of downbeats
    t: float | None = None
    synced: bool = False        #: True once the tracker has given a phase

    def advance(self, t: float, beat: BeatState, allow_snap: bool = True) -> float:
        """Move to time ``t`` (seconds) and return the new beat position.

        ``allow_snap=False`` (during a flight) makes a first lock slew like any other
        correction instead of jumping forward, so a flight never skips ahead.
        """
        if self.t is None:
            self.t = t
            if beat.locked:
                self._snap(t, beat)
            return self.p
        dt = t - self.t
        if dt <= 0.0:
            return self.p
        self.t = t
        if beat.locked:
            # the tempo, not the current beat interval: a tracker stretches or shortens one
            # interval to move its phase, and the slew below takes that at half to double speed
            self.bpm = beat.bpm if beat.bpm > 0.0 else 60.0 / (beat.next_beat - beat.last_beat)
        rate = self.bpm / 60.0
        pred = self.p + dt * rate
        if not beat.locked:
            self.p = pred
            return self.p
        if not self.synced and allow_snap:
            self.p = pred
            self._snap(t, beat)
            return self.p
        self.synced = True
        target = beat.beat_position(t)
        err = wrap(target - pred)
        corr = err * min(1.0, dt / SLEW_TIME)
        corr = max(-0.5 * dt * rate, min(1.0 * dt * rate, corr))
        self.p = pred + corr
        self._align_bars(t, beat)
        return self.p

    def _snap(self, t: float, beat: BeatState) -> None:
        """First lock: jump forward (never back) to the tracker's phase."""
        target = beat.beat_position(t)
        self.p += (target - self.p) % 1.0
        self.synced = True
        self._align_bars(t, beat)

    def _align_bars(self, t: float, beat: BeatState) -> None:
        if beat.beats_per_bar != self.beats_per_bar:
            self.beats_per_bar = beat.beats_per_bar
        frac = beat.beat_position(t) - beat.beat_count
        self.downbeat = round(self.p - beat.bar_beat - frac) % self.beats_per_bar

    def next_downbeat(self, at_or_after: float) -> int:
        """The first downbeat (an integer beat) at or after beat position ``at_or_after``."""
        b = math.ceil(at_or_after - 1e-9)
        return b + (self.downbeat - b) % self.beats_per_bar

    def bar_position(self, p: float | None = None) -> float:
        p = self.p if p is None else p
        return (p - self.downbeat) / self.beats_per_bar
