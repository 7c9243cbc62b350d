"""The analysis chain: samples in, AudioSnapshot out, the same live and offline.

madmom style: each stage is a small processor (re-blocking to the hop, the feature
extractor, the beat tracker).  ``Analyzer.process`` accepts blocks of any length and
cuts them into hops internally, so every result is a function of the samples so far
and nothing else: a 64-sample callback, a 4096-sample callback and an offline pass
over a file give identical snapshots at the same sample positions.
"""

from __future__ import annotations

import numpy as np

from . import ANALYSIS_RATE
from .features import FeatureExtractor
from .snapshot import AudioSnapshot
from .beat_tracker import BeatTracker


class Analyzer:
    """Live/offline audio analysis.  ``process`` blocks in, ``snapshot`` the state out.

    Mono input; a 2-D block is taken as (frames, channels), sounddevice's layout, and
    averaged.  ``onset_fired`` in a snapshot means an onset since the previous
    ``snapshot()`` call (so take one snapshot per frame).  Not thread-safe: an audio
    callback thread and a render thread must share it under a lock (both calls are
    short: ~0.1 ms per hop, ~15 us per snapshot).
    """

    def __init__(self, sample_rate: int = ANALYSIS_RATE, hop: int = 512, beats_per_bar: int = 4,
                 bpm_hint: float | None = None, bpm_range: tuple[float, float] | None = None):
        """``bpm_range``: a song's range, narrowing the tracker's shared one (bpm_range.TRACKER_BPM_RANGE)."""
        self.sample_rate = int(sample_rate)
        self.hop = int(hop)
        self.features = FeatureExtractor(self.sample_rate, self.hop)
        self.tracker = BeatTracker(self.sample_rate, self.hop, beats_per_bar, bpm_hint, bpm_range)
        self._buf = np.zeros(self.hop, np.float32)
        self._last_hop = np.zeros(self.hop, np.float32)   #: the latest complete hop (the snapshot's waveform)
        self._fill = 0
        self._hops = 0
        self._samples = 0
        self._onset_since_snapshot = False

    @property
    def time(self) -> float:
        """Seconds of audio consumed so far."""
        return self._samples / self.sample_rate

    @property
    def samples(self) -> int:
        """Samples consumed so far."""
        return self._samples

    def process(self, block: np.ndarray) -> None:
        x = np.asarray(block)
        if x.ndim == 2:
            x = x.mean(axis=1)
        elif x.ndim != 1:
            raise ValueError(f"audio block must be 1-D (mono) or 2-D (frames, channels), got shape {x.shape}")
        n = len(x)
        pos = 0
        while pos < n:
            take = min(self.hop - self._fill, n - pos)
            self._buf[self._fill:self._fill + take] = x[pos:pos + take]  # casts to float32
            self._fill += take
            pos += take
            if self._fill == self.hop:
                self._fill = 0
                self._hops += 1
                self._process_hop(self._hops * self.hop / self.sample_rate)
        self._samples += n

    def _process_hop(self, t: float) -> None:
        self._last_hop[:] = self._buf
        self.features.process(self._buf)
        self.tracker.process_hop(self._buf, t, self.features)
        if self.features.onset_time is not None:
            self._onset_since_snapshot = True

    def snapshot(self) -> AudioSnapshot:
        """The state after every sample so far (features as of the last complete hop)."""
        t = self.time
        f = self.features
        fired, self._onset_since_snapshot = self._onset_since_snapshot, False
        return AudioSnapshot(
            time=t, rms=f.rms,
            bass=float(f.levels[0]), mid=float(f.levels[1]), treble=float(f.levels[2]),
            bass_att=float(f.att[0]), mid_att=float(f.att[1]), treble_att=float(f.att[2]),
            onset=f.odf, onset_fired=fired, beat=self.tracker.state(t),
            spectrum=AudioSnapshot.frozen_spectrum(f.spectrum), waveform=AudioSnapshot.frozen_spectrum(self._last_hop))
