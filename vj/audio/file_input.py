"""A decoded track played by a clock: the audio feed of `vj play --audio-file` and of tests."""

from __future__ import annotations

import math
import time
from typing import Callable

import numpy as np

from . import ANALYSIS_RATE
from .feed import InputStatus


class FileInput:
    """A decoded track played by a clock: an :class:`~vj.audio.feed.AudioFeed`, like LiveInput.

    ``source``: a path (decoded with :func:`~vj.audio.file_source.load_audio`), an
    :class:`~vj.audio.file_source.AudioData`, or a mono array at ``analysis_rate``.
    ``clock``: seconds, monotonic; the wall clock by default.  A test passes its own and
    advances it as fast as it likes.  After the end it returns silence (time keeps
    flowing), or starts again with ``loop``.
    """

    def __init__(self, source, analysis_rate: int = ANALYSIS_RATE,
                 clock: Callable[[], float] = time.monotonic, loop: bool = False):
        from .file_source import AudioData, load_audio

        if isinstance(source, AudioData):
            if source.sample_rate != analysis_rate:
                source = load_audio(source.path, analysis_rate)
            self.samples, self.name = source.samples, str(source.path)
        elif isinstance(source, np.ndarray):
            self.samples, self.name = np.asarray(source, np.float32).reshape(-1), "samples"
        else:
            data = load_audio(source, analysis_rate)
            self.samples, self.name = data.samples, str(data.path)
        self.analysis_rate = int(analysis_rate)
        self.clock = clock
        self.loop = loop
        self._t0: float | None = None
        self._pos = 0
        self._level = self._peak = 0.0
        self.closed = False

    @property
    def duration(self) -> float:
        return len(self.samples) / self.analysis_rate

    @property
    def started_at(self) -> float | None:
        """The clock's time when playing started (None before :meth:`start`): a player of the same
        file started from this time is heard in step with what the show listens to."""
        return self._t0

    @property
    def position(self) -> float:
        """Seconds handed out so far."""
        return self._pos / self.analysis_rate

    def start(self) -> FileInput:
        if self._t0 is None:
            self._t0 = self.clock()
        return self

    def read_new(self) -> np.ndarray:
        if self._t0 is None or self.closed:
            return np.zeros(0, np.float32)
        due = int((self.clock() - self._t0) * self.analysis_rate + 1e-6)  # 1e-6: float clocks land just short
        n = due - self._pos
        if n <= 0:
            return np.zeros(0, np.float32)
        out = self._slice(self._pos, due)
        self._pos = due
        if out.size:
            self._level = float(np.sqrt(np.mean(np.square(out, dtype=np.float64))))
            self._peak = float(np.max(np.abs(out)))
        return out

    def _slice(self, a: int, b: int) -> np.ndarray:
        total = len(self.samples)
        if not self.loop or total == 0:
            out = np.zeros(b - a, np.float32)
            if a < total:
                out[:min(b, total) - a] = self.samples[a:min(b, total)]
            return out
        idx = np.arange(a, b) % total
        return self.samples[idx].astype(np.float32, copy=False)

    def status(self) -> InputStatus:
        playing = self._t0 is not None and not self.closed and (self.loop or self._pos < len(self.samples))
        state = "closed" if self.closed else ("playing" if playing else ("ended" if self._t0 is not None else "connecting"))
        return InputStatus(device=self.name, state=state, connected=playing, sample_rate=float(self.analysis_rate),
                           analysis_rate=self.analysis_rate, channels=(1,), level=self._level if playing else 0.0,
                           peak=self._peak if playing else 0.0, since_audio_s=0.0 if playing else math.inf)

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> FileInput:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
