"""MIDI clock in as a tempo source: a pure, testable follower (feed it (time, message) pairs).

A MIDI clock sends 24 ticks per quarter note.  One tick's interval is useless as a tempo:
at 128 BPM a tick lasts 19.5 ms, so 1 ms of jitter (USB, the OS, JACK's period) moves a
per-tick tempo by +/-5%, and a tick that arrives late and its successor early swing it from
about 67 to 529 BPM.  :class:`MidiClockFollower` fits ``time = a + b * tick`` by least squares
over the last ``window`` ticks (96 = 4 beats by default), drops ticks whose residual is more
than ``k`` robust standard deviations (1.4826 x MAD) from the fit, and fits again: the tempo is
``60 / (24 b)``.  A run of ``change_run`` ticks all late (or all early) is a tempo change, not
jitter: the window restarts at them so a new tempo is followed within a few ticks.  Unless they
came in a burst (a stalled driver or machine handing on held-back ticks at once): those are outliers
to the fit, not a tempo.

Transport: Start resets the position to 0 and the fit; Continue resumes from the position
(song position pointer, SPP, in sixteenths); Stop publishes ``running=False`` (the show hands
back to the tracker) and ticks are ignored until Start or Continue; a gap longer than ``gap``
seconds between ticks resets the fit (not the position).  A clock that never sent Start (many
DJ mixers) is followed as free-running, counting beats from its first tick.

Readings are :class:`~vj.control.controller.ClockReading`: ``beat`` is the position of the
latest tick in quarter notes (ticks / 24 + SPP / 4) and ``stamp`` its fitted time (the fit
also takes the jitter out of the phase).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .controller import ClockReading

TICKS_PER_BEAT = 24
SOURCE = "midi clock"


@dataclass(frozen=True, slots=True)
class Fit:
    """``time = intercept + slope * n`` over the kept ticks."""

    slope: float          #: seconds per tick
    intercept: float
    kept: int
    dropped: int
    threshold: float      #: residual beyond which a tick was dropped (s)

    @property
    def bpm(self) -> float:
        return 60.0 / (TICKS_PER_BEAT * self.slope)

    def at(self, n: float) -> float:
        return self.intercept + self.slope * n


def _ols(n: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    nm, tm = n.mean(), t.mean()
    dn = n - nm
    var = float(dn @ dn)
    slope = float(dn @ (t - tm)) / var if var > 0 else 0.0
    return slope, float(tm - slope * nm)


def robust_fit(n: np.ndarray, t: np.ndarray, k: float = 4.0, floor: float = 0.0005) -> Fit | None:
    """Drop residuals beyond ``k`` x 1.4826 MAD (at least ``floor`` s) from a robust line, then least squares.

    The robust line: the median of the slopes between ticks half the window apart, through the
    median point (a least-squares start would be dragged by a burst of held-back ticks, and its
    residuals would then hide them)."""
    if len(n) < 3:
        return None
    h = len(n) // 2
    if h >= 3:
        slope = float(np.median((t[h:2 * h] - t[:h]) / (n[h:2 * h] - n[:h])))
        icpt = float(np.median(t - slope * n))
    else:
        slope, icpt = _ols(n, t)
    r = t - (icpt + slope * n)
    med = float(np.median(r))
    mad = float(np.median(np.abs(r - med))) * 1.4826
    thr = max(k * mad, floor)
    keep = np.abs(r - med) <= thr
    kept = int(keep.sum())
    if kept < 3:
        keep, kept = np.ones(len(n), bool), len(n)
    slope, icpt = _ols(n[keep], t[keep])
    if not slope > 0:
        return None
    return Fit(slope, icpt, kept, len(n) - kept, thr)


class MidiClockFollower:
    """Feed MIDI clock messages with their arrival times; get :class:`ClockReading` s to publish."""

    def __init__(self, *, source: str = SOURCE, window: int = 96, min_ticks: int = 12, gap: float = 0.5,
                 publish_every: int = 6, k: float = 4.0, change_run: int = 8):
        if not 3 <= min_ticks <= window:
            raise ValueError("need 3 <= min_ticks <= window")
        self.source, self.window, self.min_ticks, self.gap = source, window, min_ticks, gap
        self.publish_every, self.k, self.change_run = publish_every, k, change_run
        self.running: bool | None = None    #: None: free-running (no Start seen); False: stopped
        self.position = 0                   #: ticks since song position 0 (of the next tick)
        self.fit: Fit | None = None
        self.resets = 0                     #: fit resets (start, continue, gap, tempo change)
        self._n: list[int] = []
        self._t: list[float] = []
        self._count = 0                     #: local tick counter (index of the next tick in the fit)
        self._last_t: float | None = None
        self._since_publish = 0

    # -- transport ---------------------------------------------------------------------------
    def reset_fit(self) -> None:
        self._n.clear()
        self._t.clear()
        self.fit = None
        self._since_publish = 0
        self.resets += 1

    @property
    def bpm(self) -> float | None:
        return self.fit.bpm if self.fit is not None else None

    @property
    def beat(self) -> float:
        """Position of the latest tick, in quarter notes."""
        return (self.position - 1) / TICKS_PER_BEAT

    def feed(self, t: float, msg) -> ClockReading | None:
        """One message (a mido Message, or anything with ``.type`` and, for songpos, ``.pos``)
        that arrived at ``t`` (time.monotonic()); returns a reading to publish, or None."""
        kind = getattr(msg, "type", msg)
        if kind == "clock":
            return self._tick(t)
        if kind == "start":
            self.running, self.position = True, 0
            self.reset_fit()
            self._last_t = None
        elif kind == "continue":
            self.running = True
            self.reset_fit()
            self._last_t = None
        elif kind == "stop":
            was = self.running
            self.running = False
            if was is not False:
                return ClockReading(self.source, self.bpm or 120.0, max(0.0, self.beat), t, running=False)
        elif kind == "songpos":
            pos = int(getattr(msg, "pos", 0))
            self.position = max(0, pos) * (TICKS_PER_BEAT // 4)
        return None

    def _tick(self, t: float) -> ClockReading | None:
        if self.running is False:
            self._last_t = t
            return None
        if self._last_t is not None and t - self._last_t > self.gap:
            self.reset_fit()
        if self._last_t is not None and t < self._last_t:   # clocks never run backwards: a bad stamp
            t = self._last_t
        self._last_t = t
        n = self._count
        self._count += 1
        self._n.append(n)
        self._t.append(t)
        if len(self._n) > self.window:
            del self._n[0], self._t[0]
        self.position += 1
        self._since_publish += 1
        if len(self._n) < self.min_ticks:
            return None
        self._refit()
        if self.fit is None:
            return None
        if self._since_publish < self.publish_every and self._since_publish != len(self._n):
            return None
        self._since_publish = 0
        fit = self.fit
        return ClockReading(self.source, fit.bpm, self.beat, fit.at(n))

    def _refit(self) -> None:
        n = np.asarray(self._n, dtype=np.float64)
        t = np.asarray(self._t, dtype=np.float64)
        m = self.change_run
        if m and len(n) >= m + self.min_ticks:
            # predict the last m ticks from the ones before: all late (or early), their median by
            # more than the outlier threshold and the last by 1.5 times it, is a tempo
            # change (a lone outlier moves neither the median nor the signs); keep the ticks since it
            old = robust_fit(n[:-m], t[:-m], self.k)
            if old is not None:
                r = t[-m:] - old.at(n[-m:])
                # ... unless it is a stall: a driver or a machine that held the ticks back hands them on
                # together, late at first and less late after (a tempo change drifts further and further),
                # and closer together than any tempo the fit would follow
                drifting = abs(r[-1]) >= abs(r[0])
                spaced = float(np.min(np.diff(t[-m:]))) > 0.25 * old.slope
                if ((np.all(r > 0) or np.all(r < 0)) and abs(r[-1]) > 1.5 * old.threshold
                        and abs(float(np.median(r))) > old.threshold and drifting and spaced):
                    del self._n[:-m], self._t[:-m]
                    n, t = n[-m:], t[-m:]
                    self.resets += 1
        self.fit = robust_fit(n, t, self.k)


class ArrivalClock:
    """When a port's messages arrived, on ``time.monotonic()``, from the driver's own measure.

    rtmidi hands each message to Python with the time since the previous one, measured in C as
    the message arrived (ALSA: the sequencer's timestamps; JACK: the process cycle).  The Python
    callback itself may run late: behind the GIL, or on a loaded machine, by milliseconds to tens
    of milliseconds, and then several at once.  Stamped on entering Python, a steady MIDI clock
    would look like bursts.  So the driver's deltas give the spacing, and the offset to
    ``time.monotonic()`` is the smallest seen ``callback time - driver time``: a callback can
    be late, never early, so the earliest one tells the truth and a late one changes nothing.
    The offset may creep up by ``DRIFT`` (seconds per second) between minima, so clocks that
    drift apart are followed.
    """

    #: 200 ppm: more than two quartz clocks drift apart, little enough to ignore a 1 s stall
    DRIFT = 2e-4

    def __init__(self):
        self._t: float | None = None      #: driver time of the latest message, seconds since the first
        self._offset = math.inf

    def stamp(self, delta: float, now: float) -> float:
        """The arrival time of a message the driver says came ``delta`` s after the previous one,
        handed to Python at ``now``."""
        prev = self._t
        self._t = 0.0 if prev is None else prev + max(0.0, delta)
        if prev is not None and math.isfinite(self._offset):
            self._offset += self.DRIFT * (self._t - prev)
        self._offset = min(self._offset, now - self._t)
        return self._t + self._offset


def per_tick_bpm(times) -> np.ndarray:
    """The naive tempo from each tick interval (for comparison)."""
    d = np.diff(np.asarray(times, dtype=np.float64))
    with np.errstate(divide="ignore"):
        return np.where(d > 0, 60.0 / (TICKS_PER_BEAT * np.where(d > 0, d, 1.0)), math.inf)
