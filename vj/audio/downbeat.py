"""Which fired beat starts the bar (``BeatState.bar_beat``).

Per fired beat, ``FEATURES``: the peak raw bass in the ``BASS_WINDOW_S`` after it, the peaks
of ``phase_cues``' kick, backbeat, hats and band-flux channels from ``BEFORE_S`` before it to
``BASS_WINDOW_S`` after, and the chord change (1 - cosine of the beat's mean chroma, from it
to the next beat, against the beat before's).  Each goes into a leaky per-position mean
(about ``1 / (1 - KEEP)`` bars' memory).  Main's bass rule (the bar at the position with the
most bass) holds the bar unless the learned template (``downbeat_template.WEIGHTS``, a logistic
model over the positions of the bar, trained by bench/downbeat_model.py on each feature's share
of the bar at a candidate 1 and the two beats after it) is ``OVERRIDE`` surer of another position:
the bass is right where it is decisive (afro's bass on the 1, an accented kick), the template
where the bass is level (four-on-the-floor, the demo track).  Until ``SETTLE_BARS`` beat 0 (the
first beat after lock) is the downbeat.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

from . import downbeat_template

#: Seconds of bass (and cues) looked at after each beat; cues from BEFORE_S before it.
BASS_WINDOW_S = 0.12
BEFORE_S = 0.05
#: A beat's features are final this long after it (the kick cue is ~70 ms late) and once the
#: next beat fired (its chroma runs to the next beat).
FINAL_S = 0.2
#: The leaky mean keeps this share of its value per bar (~5 bars' memory).
KEEP = 0.8
#: Main's bass rule keeps the bar (the position with the most bass, once it has
#: ``SWITCH_RATIO`` x the current one's) unless the template scores another position
#: ``OVERRIDE`` (logits) above it; both after ``SETTLE_BARS``.  Tuning split, leave one source
#: out (round 42): the template alone 0.624 of bar starts right but afro 0.018 (its kick cue
#: is on the 4); override 0.75 / 0.9 / 1.0: 0.606 / 0.583 / 0.572, afro 0.558 / 0.660 / 0.673,
#: demo tracks 0.882 / 0.818 / 0.731 (the one value range that keeps both: narrow).
SWITCH_RATIO = 1.25
OVERRIDE = 0.9
SETTLE_BARS = 2
#: Added to each position's mean chord change before its share is taken: a track without
#: chords has changes of 1e-5..4e-4 (noise) whose shares would read as sure; the demo's change
#: on the 1 is 0.05-0.1 (round 40's floor).
CHORD_FLOOR = 0.02
#: The per-hop row ``phase_cues.PhaseCues.downbeat_row`` gives: kick time and value, backbeat,
#: hats, the 10 band-flux groups, then 12 chroma bins.
N_GROUPS = 10
FEATURES = ("bass", "kick", "backbeat", "hats") + tuple(f"flux{i}" for i in range(N_GROUPS)) + ("chord",)
_PEAKS = 3 + N_GROUPS          # kick, backbeat, hats, groups (indices 1.. of a feature vector)
_CHROMA = 4 + N_GROUPS         # where the chroma starts in a row


class Downbeat:
    def __init__(self, beats_per_bar: int, weights: np.ndarray | None = None):
        self.beats_per_bar = beats_per_bar
        self.weights = downbeat_template.WEIGHTS if weights is None else np.asarray(weights, float)
        self._acc = np.zeros((beats_per_bar, len(FEATURES)), np.float64)
        self._acc_n = 0
        self.phase = 0
        self._bass_phase = 0
        # [beat index, beat time, features (len FEATURES), chroma sum (12), closed]
        self._pending: deque[list] = deque()
        self._recent: deque[tuple[float, np.ndarray]] = deque()  # (hop time, row) of the last BEFORE_S
        self._last_chroma: np.ndarray | None = None
        self.on_features = None  # (index, time, features, scores) per final beat (bench/downbeat_model.py)

    def beat(self, index: int, t: float) -> None:
        """A beat fired (its evidence is collected until ``FINAL_S`` after it)."""
        if self._pending:
            self._pending[-1][4] = True  # the previous beat's chroma ends here
        x = np.zeros(len(FEATURES))
        for ht, row in self._recent:
            if ht >= t - BEFORE_S:
                self._peaks(x, t, ht, row)
        self._pending.append([index, t, x, np.zeros(12), False])

    def bar_beat(self, count: int) -> int:
        return (count - self.phase) % self.beats_per_bar

    def hop(self, t: float, bass: float, row: np.ndarray | None = None) -> None:
        while self._pending:
            entry = self._pending[0]
            if entry[4] and t > entry[1] + FINAL_S:
                self._pending.popleft()
                self._add(entry)
            else:
                break
        for entry in self._pending:
            if entry[1] <= t <= entry[1] + BASS_WINDOW_S:
                entry[2][0] = max(entry[2][0], bass)
            if row is not None:
                self._peaks(entry[2], entry[1], t, row)
                if t >= entry[1] and not entry[4]:
                    entry[3] += row[_CHROMA:]
        if row is not None:
            self._recent.append((t, row))
            while self._recent and self._recent[0][0] < t - BEFORE_S:
                self._recent.popleft()

    @staticmethod
    def _peaks(x: np.ndarray, tb: float, t: float, row: np.ndarray) -> None:
        if tb - BEFORE_S <= row[0] <= tb + BASS_WINDOW_S:
            x[1] = max(x[1], row[1])
        if tb - BEFORE_S <= t <= tb + BASS_WINDOW_S:
            np.maximum(x[2:2 + _PEAKS - 1], row[2:_CHROMA], out=x[2:2 + _PEAKS - 1])

    def scores(self) -> np.ndarray:
        """Each position's template score (logits) from the leaky means' shares."""
        return context(shares(self._acc), len(self.weights) // len(FEATURES)) @ self.weights

    def _add(self, entry: list) -> None:
        index, t, x, chroma = entry[0], entry[1], entry[2], entry[3]
        n = math.sqrt(float(chroma @ chroma))
        c = chroma / n if n > 0 else None
        if c is not None and self._last_chroma is not None:
            x[-1] = 1.0 - float(c @ self._last_chroma)
        self._last_chroma = c
        pos = index % self.beats_per_bar
        first = self._acc_n < self.beats_per_bar
        self._acc[pos] = x if first else KEEP * self._acc[pos] + (1.0 - KEEP) * x
        self._acc_n += 1
        s = self.scores()
        if self.on_features is not None:
            self.on_features(index, t, x, s, self._acc)
        if self._acc_n < SETTLE_BARS * self.beats_per_bar:
            return
        bass = self._acc[:, 0]
        top = int(np.argmax(bass))
        if top != self._bass_phase and bass[top] > SWITCH_RATIO * bass[self._bass_phase]:
            self._bass_phase = top
        best = int(np.argmax(s))
        self.phase = best if s[best] > s[self._bass_phase] + OVERRIDE else self._bass_phase


def context(share: np.ndarray, k: int) -> np.ndarray:
    """Per position, its own shares then those of the ``k - 1`` positions after it (the
    template weighs what the rest of the bar looks like from each candidate 1)."""
    return np.concatenate([np.roll(share, -j, axis=0) for j in range(k)], axis=1)


def shares(acc: np.ndarray) -> np.ndarray:
    """Each feature's share of the bar at each position, less the level share (1 / positions);
    the chord change with ``CHORD_FLOOR`` added first."""
    a = acc.copy()
    a[:, -1] += CHORD_FLOOR
    tot = a.sum(axis=0)
    n = a.shape[0]
    return np.divide(a, tot, out=np.full_like(a, 1.0 / n), where=tot > 0) - 1.0 / n
