"""The show engine's test kit: exact beat states (a perfect tracker), clip references, a frame rate.

Tests of the show logic (engine, show loop, controls) drive it with beats they know exactly;
the analysis chain has tests of its own on real audio (test_audio_analysis.py).
"""

from __future__ import annotations

import math

import numpy as np

from vj.audio import ANALYSIS_RATE
from vj.audio.snapshot import AudioSnapshot, BeatState
from vj.engine import ClipRef

FPS = 30


def grid_beat(t: float, bpm: float = 120.0, first: float = 0.25, bpb: int = 4, lock_after: float = 0.0) -> BeatState:
    """A perfect tracker: beats at first + k*60/bpm, beat 0 a downbeat."""
    period = 60.0 / bpm
    if t < max(first, lock_after):
        return BeatState()
    k = int(math.floor((t - first) / period + 1e-9))
    return BeatState(bpm=bpm, confidence=1.0, beat_count=k, last_beat=first + k * period,
                     next_beat=first + (k + 1) * period, beats_per_bar=bpb, bar_beat=k % bpb, source="test")


def run_show(engine, seconds: float, beat=grid_beat, events: dict[int, list] | None = None,
             start: float = 0.0) -> list:
    """The frames of ``engine`` stepped at FPS for ``seconds`` from ``start`` on a perfect grid (``beat``);
    ``events[n]`` go in with the n-th frame of this run."""
    frames = []
    n0 = int(round(start * FPS))
    for n in range(int(seconds * FPS)):
        t = (n0 + n) / FPS
        frames.append(engine.step(t, AudioSnapshot(time=t, beat=beat(t)), (events or {}).get(n, ())))
    return frames


def landings(frames) -> list[tuple[float, str]]:
    """(time, clip) each time a new clip fills the screen in ``frames``."""
    return [(b.time, b.current_clip) for a, b in zip(frames, frames[1:]) if b.current_clip != a.current_clip]


def clips(n: int = 3) -> list[ClipRef]:
    return [ClipRef(f"c{i}", focus=(0.3 + 0.15 * i, 0.6 - 0.1 * i), end=6.0) for i in range(n)]


class PerfectTracker:
    """An analysis chain for :class:`vj.show.loop.ShowLoop` that hears a perfect beat grid: beats every
    60/bpm s from ``first`` (beat 0 a downbeat), whatever the samples say.  Feed it silence of the
    right length (``loop.tick(t, silence_until(loop, t))``)."""

    def __init__(self, bpm: float = 120.0, first: float = 0.0, sample_rate: int = ANALYSIS_RATE):
        self.bpm, self.first, self.sample_rate = bpm, first, sample_rate
        self.samples = 0

    def process(self, block: np.ndarray) -> None:
        self.samples += len(block)

    def snapshot(self) -> AudioSnapshot:
        t = self.samples / self.sample_rate
        return AudioSnapshot(time=t, beat=grid_beat(t, self.bpm, self.first))


def silence_until(loop, t: float) -> np.ndarray:
    """The samples ``loop`` has not heard yet up to ``t`` seconds (silence), as rehearsal feeds its track."""
    return np.zeros(max(0, int(round(t * loop.sample_rate)) - loop.samples_heard), np.float32)
