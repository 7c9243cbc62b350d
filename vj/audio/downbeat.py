"""Which fired beat starts the bar (``BeatState.bar_beat``).

Each fired beat gets three kinds of evidence:

- **bass**: the peak raw bass in the ``BASS_WINDOW_S`` after it;
- **kick**: the peak of ``phase_cues``' kick channel (a short, pitch-falling low-band
  onset) from ``CUE_PRE_S`` before it to ``BASS_WINDOW_S`` after it;
- **harmony**: how far the mean chroma of its beat (from it to the next) lies from the
  mean chroma of the beat before (1 - cosine): chords change on the 1.

Each goes into a leaky per-position mean (about ``1 / (1 - KEEP)`` bars' memory).  A
position's score is the sum over the kinds of ``WEIGHTS`` times its share of that kind
(the chord change's with ``HARMONY_FLOOR`` added to each position: audio without chords
changes its chroma by noise only).  A kind that is level across the bar adds the same to
every position, so the bar starts at the position whose score is ``SWITCH_MARGIN`` above
the current choice's; until one is, or before ``SETTLE_BARS``, beat 0 (the first beat
after lock) is the downbeat.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np

#: Seconds of bass (and of the kick cue) looked at after each beat.
BASS_WINDOW_S = 0.12
#: ... and of the kick cue before it (a beat may fire a little late; the cue itself comes
#: ``phase_cues.KICK_DELAY`` hops after its hop).
CUE_PRE_S = 0.05
#: The leaky mean keeps this share of its value per bar (~5 bars' memory).
KEEP = 0.8
#: The downbeat moves when another position's score is this much higher, after this many
#: bars.  (The bass-only rule before round 40 moved at 1.25 x the current position's share,
#: about 0.06 over it at shares near 1/4.  A ratio of the summed shares does not work: a
#: level kind dilutes it, and a tone track whose 1 is only a louder kick (1.0 against 0.8,
#: ``tests/test_beats_command.py``) stayed where it locked.)
SWITCH_MARGIN = 0.06
SETTLE_BARS = 2
#: Evidence kinds (rows of the per-position means) and their weights: equal, not tuned.
#: Measured on the tuning split's 116 4/4 items (``bench/downbeats.py``, replayed with
#: ``bench/downbeat_probe.py``; bar starts on a labelled downbeat, items mostly wrong) and
#: ``vj demo``'s three tracks: bass alone (before round 40) 0.413, 62; demo 0.000.  Harmony
#: alone 0.332, 76 (demo 0.882); kick alone 0.454, 59 (demo 0.755); bass + kick 0.460, 59
#: (demo 0.558); bass + harmony 0.428, 61; all three 0.469, 59 (demo 0.882).  Weighting the
#: kick 2 (0.486) or the harmony 0.5 (0.477) or 2 (0.441) moves it by less than the kinds do.
#: (Those with the ratio rule; with ``SWITCH_MARGIN`` and ``HARMONY_FLOOR``: 0.477, 56.)
KINDS = ("bass", "kick", "harmony")
WEIGHTS = {"bass": 1.0, "kick": 1.0, "harmony": 1.0}
#: Added to each position's mean chord change before its share is taken (1 - cosine of
#: beat-long chroma): the demo track's change on the 1 is 0.05-0.1 and 0.005-0.02 on the
#: other beats; a chordless track's 1e-5..4e-4 is noise that would read as a sure 1.
#: Tuning split, with ``SWITCH_MARGIN`` 0.06: 0.01 -> 0.478 right, 54 items mostly wrong;
#: 0.02 -> 0.477, 56; (margin 0.1, 0.02 -> 0.475, 58).
HARMONY_FLOOR = 0.02
_BASS, _KICK, _HARM = range(3)


class Downbeat:
    def __init__(self, beats_per_bar: int):
        self.beats_per_bar = beats_per_bar
        self._acc = np.zeros((len(KINDS), beats_per_bar), np.float64)
        self._n = [0] * len(KINDS)  # beats added per kind
        self.phase = 0
        self._pending: deque[list] = deque()  # [beat index, beat time, max bass, max kick]
        self._w = np.array([WEIGHTS[k] for k in KINDS])
        self._span = np.zeros(12)  # chroma summed since the last beat ...
        self._span_index: int | None = None  # ... which
        self._prev_span: np.ndarray | None = None  # the beat before's

    def beat(self, index: int, t: float) -> None:
        """A beat fired (its bass and kick are collected over the next ``BASS_WINDOW_S``; the
        chord change of the beat before it is known now)."""
        self._pending.append([index, t, 0.0, 0.0])
        span, self._span = self._span, np.zeros(12)
        if self._span_index is not None and index == self._span_index + 1:
            norm = math.sqrt(float(span @ span))
            if norm > 0.0 and self._prev_span is not None:
                self._add(_HARM, self._span_index, 1.0 - float(span @ self._prev_span) / norm)
            self._prev_span = span / norm if norm > 0.0 else None
        else:
            self._prev_span = None
        self._span_index = index

    def bar_beat(self, count: int) -> int:
        return (count - self.phase) % self.beats_per_bar

    def hop(self, t: float, bass: float, kick_t: float | None = None, kick: float = 0.0,
            chroma: np.ndarray | None = None) -> None:
        """One hop ending at ``t``: its raw ``bass``, the kick cue's latest value ``kick`` (of the
        hop at ``kick_t``: it comes late) and the hop's ``chroma`` (unit length)."""
        kick_t = t if kick_t is None else kick_t
        done = min(t, kick_t)  # the evidence up to here is in
        while self._pending:
            entry = self._pending[0]
            if done > entry[1] + BASS_WINDOW_S:
                self._pending.popleft()
                self._add(_BASS, entry[0], entry[2])
                self._add(_KICK, entry[0], entry[3])
                self._decide()
            else:
                break
        for entry in self._pending:
            b = entry[1]
            if b <= t <= b + BASS_WINDOW_S:
                entry[2] = max(entry[2], bass)
            if b - CUE_PRE_S <= kick_t <= b + BASS_WINDOW_S:
                entry[3] = max(entry[3], kick)
        if chroma is not None:
            self._span += chroma

    def _add(self, kind: int, index: int, strength: float) -> None:
        pos = index % self.beats_per_bar
        first = self._n[kind] < self.beats_per_bar
        self._acc[kind, pos] = strength if first else KEEP * self._acc[kind, pos] + (1.0 - KEEP) * strength
        self._n[kind] += 1

    def _decide(self) -> None:
        if self._n[_BASS] < SETTLE_BARS * self.beats_per_bar:
            return
        acc = self._acc.copy()
        acc[_HARM] += HARMONY_FLOOR
        tot = acc.sum(axis=1, keepdims=True)
        score = self._w @ np.divide(acc, tot, out=np.zeros_like(acc), where=tot > 0)
        best = int(np.argmax(score))
        if best != self.phase and score[best] - score[self.phase] > SWITCH_MARGIN:
            self.phase = best
