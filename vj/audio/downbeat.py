"""Which fired beat starts the bar (``BeatState.bar_beat``).

Each fired beat's bass strength (peak raw bass in the ``BASS_WINDOW_S`` after it) goes
into a leaky per-position mean (about ``1 / (1 - KEEP)`` bars' memory).  The bar starts
at the position with clearly the most bass (``SWITCH_RATIO`` above the current choice);
until one is clear (``SETTLE_BARS``), beat 0 (the first beat after lock) is the downbeat.
"""

from __future__ import annotations

from collections import deque

import numpy as np

#: Seconds of bass looked at after each beat.
BASS_WINDOW_S = 0.12
#: The leaky mean keeps this share of its value per bar (~5 bars' memory).
KEEP = 0.8
#: The downbeat moves when another position has this much more bass, after this many bars.
SWITCH_RATIO = 1.25
SETTLE_BARS = 2


class Downbeat:
    def __init__(self, beats_per_bar: int):
        self.beats_per_bar = beats_per_bar
        self._acc = np.zeros(beats_per_bar, np.float64)
        self._acc_n = 0
        self.phase = 0
        self._pending: deque[list] = deque()  # [beat index, beat time, max bass]

    def beat(self, index: int, t: float) -> None:
        """A beat fired (its bass is collected over the next ``BASS_WINDOW_S``)."""
        self._pending.append([index, t, 0.0])

    def bar_beat(self, count: int) -> int:
        return (count - self.phase) % self.beats_per_bar

    def hop(self, t: float, bass: float) -> None:
        while self._pending:
            entry = self._pending[0]
            if t > entry[1] + BASS_WINDOW_S:
                self._pending.popleft()
                self._add(entry[0], entry[2])
            else:
                break
        for entry in self._pending:
            if t >= entry[1]:
                entry[2] = max(entry[2], bass)

    def _add(self, index: int, strength: float) -> None:
        pos = index % self.beats_per_bar
        first = self._acc_n < self.beats_per_bar
        self._acc[pos] = strength if first else KEEP * self._acc[pos] + (1.0 - KEEP) * strength
        self._acc_n += 1
        if self._acc_n < SETTLE_BARS * self.beats_per_bar:
            return
        best = int(np.argmax(self._acc))
        if best != self.phase and self._acc[best] > SWITCH_RATIO * self._acc[self.phase]:
            self.phase = best
