"""Per-hop audio features: level, bass/mid/treble, a coarse spectrum, onsets.

Each processor here is a small callable that takes one hop of samples and updates
its own state in place (buffers are allocated once), so the same chain serves a
live callback and an offline pass.  Band levels go through a slow automatic gain so
a quiet club feed and a loud master both drive the visuals across 0..1.
"""

from __future__ import annotations

import math

import aubio
import numpy as np

#: Band edges (Hz) of the three projectM-style bands.
BASS_HZ = 250.0
TREBLE_HZ = 4000.0
#: Onset method, picked by measurement on synthetic kick and hat tracks (120 and
#: 137 BPM, aubio win 1024 / hop 512): hfc found every kick and hat with no extra
#: triggers (specflux added ~25% double triggers on kicks), jitter sd ~1.7 ms, and
#: costs about the same as the others (~20 us per hop).
ONSET_METHOD = "hfc"
#: aubio reports onsets early by a near constant: its default delay (4.3 hops)
#: over-compensates by ~15 ms for synthetic kicks with an instant attack and ~11 ms
#: for hats.  Adding 14 ms back put synthetic-kick beats ~1.5 ms early but left the
#: beats on the soundfont drums of bench/beat_corpus.py ~7 ms late; 10 ms splits
#: the difference (visuals a little early are less noticeable than late ones).
ONSET_BIAS_S = 0.010
#: aubio's onset silence gate (default -70 dB) dropped the hats of a groove played
#: 40 dB down; -80 dB keeps them while digital silence still gives no onsets.
ONSET_SILENCE_DB = -80.0
#: Seconds for the automatic gain's reference to fall by e after the music gets quieter.
AGC_RELEASE_S = 8.0
#: Absolute floor of the gain reference (linear RMS, -80 dBFS): below it,
#: sound is treated as near-silence and not boosted (a hiss floor above it will be, slowly).
AGC_FLOOR = 1e-4
#: Gain floor of the onset detection function (hfc units, per hop).
ODF_FLOOR = 1e-2
#: Fast attack / slow release of the ``*_att`` values (seconds).
ATT_ATTACK_S = 0.005
ATT_RELEASE_S = 0.3


def _maximum(a: float, b: float) -> float:
    """``np.maximum`` of two floats (a NaN in ``b`` wins, as there)."""
    return a if a >= b else b


class AutoGain:
    """Divide by a slow peak follower (instant attack, exponential release), so the
    output stays in 0..1 and quiet material still spans the range after a while.
    (A handful of values a hop: Python floats, cheaper than numpy calls, the same numbers.)"""

    def __init__(self, n: int, hop_seconds: float, release_s: float = AGC_RELEASE_S,
                 floor: float | np.ndarray = AGC_FLOOR):
        self.decay = math.exp(-hop_seconds / release_s)
        self.floor = np.broadcast_to(np.asarray(floor, np.float64), (n,)).tolist()
        self.peak = list(self.floor)

    def reference(self, x: list[float]) -> list[float]:
        """Take in ``x`` and return the current reference (what 1.0 stands for)."""
        self.peak = [_maximum(p * self.decay, v) for p, v in zip(self.peak, x)]
        return [_maximum(p, f) for p, f in zip(self.peak, self.floor)]


class Attack:
    """projectM's ``*_att``: follow rises almost at once, let falls decay slowly."""

    def __init__(self, n: int, hop_seconds: float, attack_s: float = ATT_ATTACK_S, release_s: float = ATT_RELEASE_S):
        self.up = 1.0 - math.exp(-hop_seconds / attack_s)
        self.down = 1.0 - math.exp(-hop_seconds / release_s)
        self.value = np.zeros(n, np.float64)  #: updated in place
        self._v = [0.0] * n

    def __call__(self, x: list[float]) -> np.ndarray:
        rise = self.up - self.down
        v = []
        for xi, vi in zip(x, self._v):
            d = xi - vi
            v.append(vi + d * ((rise if d > 0.0 else 0.0) + self.down))
        self._v = v
        self.value[:] = v
        return self.value


def band_matrix(sample_rate: int, win: int, n_bands: int) -> np.ndarray:
    """Rows: bass, mid, treble, then ``n_bands`` log-spaced bands (~40 Hz..16 kHz), each
    a 0/1 mask over the ``win // 2 + 1`` FFT bins, scaled so ``sqrt(M @ |X|^2)`` is the
    RMS of the signal within that band (Parseval, Hann window)."""
    n_bins = win // 2 + 1
    freqs = np.arange(n_bins) * sample_rate / win
    rows = [(freqs > 0) & (freqs < BASS_HZ), (freqs >= BASS_HZ) & (freqs < TREBLE_HZ), freqs >= TREBLE_HZ]
    top = min(16000.0, sample_rate / 2)
    edges_hz = np.geomspace(40.0, top, n_bands + 1)
    edges = np.maximum(np.rint(edges_hz * win / sample_rate).astype(int), 1)
    for i in range(1, len(edges)):  # at least one bin per band at the low end
        edges[i] = max(edges[i], edges[i - 1] + 1)
    edges = np.minimum(edges, n_bins)
    for lo, hi in zip(edges[:-1], edges[1:]):
        row = np.zeros(n_bins, bool)
        row[lo:max(hi, lo + 1)] = True
        rows.append(row)
    window = np.hanning(win)  # aubio's pvoc uses a Hann window
    scale = 2.0 / (win * float(np.sum(window ** 2)))
    return np.array(rows, np.float64) * scale


class FeatureExtractor:
    """One hop in, every per-hop feature updated in place.

    Attributes after ``process``: ``rms`` (absolute linear RMS of the hop, 0..~1 full
    scale, not gain-controlled, so silence reads as silence), ``levels`` (bass, mid,
    treble after the automatic gain, 0..1), ``att`` (their fast-attack/slow-release
    versions), ``raw_bass`` (bass RMS before the gain), ``spectrum`` (``n_bands``
    log-spaced band levels under one shared gain, so the shape is kept), ``odf`` (the
    onset detection function, gain-controlled to 0..1; ``odf_raw`` before the gain),
    ``onset_time`` (seconds, the
    attack of an onset detected in this hop, else None).
    """

    def __init__(self, sample_rate: int = 44100, hop: int = 512, win: int = 1024, n_bands: int = 32):
        dt = hop / sample_rate
        self.hop = hop
        self._pvoc = aubio.pvoc(win, hop)
        self._onset = aubio.onset(ONSET_METHOD, win, hop, sample_rate)
        self._onset.set_delay_s(self._onset.get_delay_s() - ONSET_BIAS_S)
        self._onset.set_silence(ONSET_SILENCE_DB)
        self._bands = band_matrix(sample_rate, win, n_bands)
        self._power = np.empty(win // 2 + 1, np.float64)
        self._band_ms = np.empty(len(self._bands), np.float64)
        self._band_rms = np.empty(len(self._bands), np.float64)
        # one gain stage for everything gain-controlled: bass, mid, treble, spectrum peak, odf
        self._gain = AutoGain(5, dt, floor=np.array([AGC_FLOOR] * 4 + [ODF_FLOOR]))
        self._att = Attack(3, dt)
        self.levels = np.zeros(3, np.float64)
        self.att = self._att.value
        self.spectrum = np.zeros(n_bands, np.float64)
        self.rms = 0.0
        self.raw_bass = 0.0
        #: the ``n_bands`` log-spaced band levels before any gain (linear RMS), a view
        #: updated in place each hop (the beat tracker's onset-strength function reads it)
        self.bands_raw = self._band_rms[3:]
        self.odf = 0.0
        self.odf_raw = 0.0
        self.onset_time: float | None = None
        #: the hop's FFT power spectrum (``win // 2 + 1`` bins), a view updated in place (the
        #: beat tracker's harmonic-change cue reads it)
        self.power = self._power

    def process(self, hop: np.ndarray) -> None:
        """``hop``: exactly ``self.hop`` float32 samples."""
        self.rms = math.sqrt(float(np.dot(hop, hop)) / len(hop))
        spec = self._pvoc(hop)
        np.square(spec.norm, out=self._power)
        np.dot(self._bands, self._power, out=self._band_ms)
        np.sqrt(self._band_ms, out=self._band_rms)
        self.raw_bass = float(self._band_rms[0])
        fired = bool(self._onset(hop)[0])
        raw_spec = self._band_rms[3:]
        gin = self._band_rms[:3].tolist() + [float(raw_spec.max()), float(self._onset.get_descriptor())]
        ref = self._gain.reference(gin)
        out = [g / r for g, r in zip(gin, ref)]
        self.levels[:] = out[:3]
        self._att(out[:3])
        np.divide(raw_spec, ref[3], out=self.spectrum)
        self.odf = out[4]
        self.odf_raw = gin[4]
        self.onset_time = self._onset.get_last_s() if fired else None
