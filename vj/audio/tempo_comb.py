"""vj's own causal tempo estimate: a comb over the autocorrelation of an onset-strength
function (the last few seconds), with a tempo prior.

The onset-strength function (``OnsetStrength``) is a log-magnitude spectral flux over
the feature extractor's 32 log-spaced bands (40 Hz..16 kHz), half-wave rectified, with
the bands under ~160 Hz counted extra (kicks and bass carry the beat in most styles,
hats and ghost notes the subdivisions).  Log magnitude makes it independent of the
input level; an absolute floor (-80 dBFS per band) keeps noise in empty bands out.

``TempoComb`` keeps ``WINDOW_S`` of that function (one value per hop) and, when asked,
autocorrelates it (FFT, unbiased), then scores each candidate period ``tau`` in the
allowed range by a comb over its multiples and its half:

    S(tau) = A(tau) + A(2 tau) / 2 + A(4 tau) / 4 + A(tau / 2) / 2

(A normalised to 1 at lag 0, unbiased, linearly interpolated at fractional lags),
times a log-Gaussian prior (``PRIOR_OCTAVES`` wide, one standard deviation) around
``center``: the tracker's ``PRIOR_BPM`` (120) or its ``bpm_hint``.  Candidates are
1% apart; the best local maxima are refined by a parabola through the neighbouring
scores, so the period is not quantised to hops (a kick track at 137 BPM reads within
0.5%; aubio's hop-quantised period read 139.7).

Measured on the 43 items of bench/beat_corpus.py, estimating once a second from 2 s
on (before the tracker's metrical check): the raw comb was right in 81% of the
estimates, mostly octave errors otherwise (fast dnb, jungle, jazz ride, punk at half
tempo); with the tracker's doubling check (``tempo_proposer.DOUBLE_RATIO``) 90%.  Smoothing the
autocorrelation scored better on that count but worse in the tracker (funk, a
room-degraded trance): left out.  A 4 s or 6 s window scored alike.

Cost: ~0.27 ms per estimate (three peaks) every 4 hops, about 0.6% of a core, plus
the two phase profiles (~0.03 ms each).
"""

from __future__ import annotations

import math

import numpy as np

#: Seconds of onset strength the tempo is estimated from.
WINDOW_S = 5.0
#: Width of the log-Gaussian tempo prior, in octaves (standard deviation).
PRIOR_OCTAVES = 0.8
#: Absolute floor of a band level in the log flux (linear RMS, -80 dBFS).
BAND_FLOOR = 1e-4
#: Bands under this frequency are counted ``LOW_WEIGHT`` times extra.
LOW_HZ = 160.0
LOW_WEIGHT = 2.0
#: Bands under this frequency make the second, "body" onset function (kick and snare
#: bodies without the hats) that the metrical level is chosen from.
BODY_HZ = 2500.0
#: Comb weights of A(2 tau), A(4 tau) and A(tau / 2) (A(tau) weighs 1).
COMB = (0.5, 0.25, 0.5)
#: Seconds of signal before the first estimate (each candidate also needs two of its
#: periods in the window, so this only matters for fast tempi: 171 BPM at 0.7 s).
MIN_SIGNAL_S = 0.7


class OnsetStrength:
    """Log-magnitude spectral flux over log-spaced bands, bass counted extra."""

    def __init__(self, n_bands: int = 32, low_bands: int | None = None):
        if low_bands is None:
            edges = np.geomspace(40.0, 16000.0, n_bands + 1)
            low_bands = int(np.searchsorted(edges[1:], LOW_HZ))
        self.w = np.ones(n_bands)
        self.w[:low_bands] += LOW_WEIGHT * n_bands / max(1, low_bands) / 4.0
        self.w /= self.w.sum()
        edges = np.geomspace(40.0, 16000.0, n_bands + 1)
        body = max(1, int(np.searchsorted(edges[1:], BODY_HZ)))
        self.wlow = np.zeros(n_bands)
        self.wlow[:body] = 1.0 / body  # kick and snare bodies, no hats
        self._prev = np.full(n_bands, math.log(BAND_FLOOR))
        self._cur = np.empty(n_bands)
        self._d = np.empty(n_bands)
        #: this hop's positive log flux per band (a view, updated in place; the phase cues read it)
        self.flux = self._d
        self.value = 0.0
        self.low = 0.0

    def __call__(self, bands: np.ndarray) -> float:
        np.maximum(bands, BAND_FLOOR, out=self._cur)
        np.log(self._cur, out=self._cur)
        np.subtract(self._cur, self._prev, out=self._d)
        np.maximum(self._d, 0.0, out=self._d)
        self._prev, self._cur = self._cur, self._prev
        self.value = float(np.dot(self.w, self._d))
        self.low = float(np.dot(self.wlow, self._d))
        return self.value


class TempoComb:
    """Tempo from the autocorrelation of the last ``window_s`` of an onset function."""

    def __init__(self, fs: float, lo: float, hi: float, center: float | None = None,
                 window_s: float = WINDOW_S, prior_octaves: float = PRIOR_OCTAVES):
        self.fs = fs
        self.n = int(round(window_s * fs))
        # the ring is kept twice over (each value at i and i + n), so the last m values are
        # one slice, never a gathered copy (profile and acf read them a few times per hop)
        self._buf = np.zeros(2 * self.n)
        self.ring = self._buf[:self.n]  #: the ring itself (a view)
        self.i = 0
        self.filled = 0
        self.nfft = 1 << int(math.ceil(math.log2(2 * self.n)))
        self.lo, self.hi = lo, hi
        center = center or math.sqrt(lo * hi)
        # candidates 1% apart over the allowed range
        k = int(math.ceil(math.log(hi / lo) / math.log(1.01))) + 1
        self.bpms = np.geomspace(lo, hi, k)
        self.lags = 60.0 * fs / self.bpms
        self.prior = np.exp(-0.5 * (np.log2(self.bpms / center) / prior_octaves) ** 2)
        self.max_lag = int(math.ceil(4 * self.lags.max())) + 2
        self.norm = 1.0 / np.maximum(self.n - np.arange(self.max_lag + 1), self.n / 4)
        self.scores = np.zeros_like(self.bpms)
        # fixed per comb: the ages of the window's frames (newest 0), the unbiased
        # autocorrelation's divisors per window length, and where the comb reads the
        # autocorrelation (indices and interpolation weights at tau, 2 tau, 4 tau, tau / 2)
        self._age = np.arange(self.n - 1, -1, -1, dtype=np.float64)
        self._unbias: dict[int, np.ndarray] = {}
        acf_size = min(self.max_lag + 1, self.nfft)  # (the length of what ``acf`` returns)
        self._taps = [self._tap(mult * self.lags, acf_size) for mult in (1.0, 2.0, 4.0, 0.5)]

    @staticmethod
    def _tap(lags: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Where the comb reads an autocorrelation of ``size`` lags at fractional ``lags``
        (linear interpolation): the two indices and their weights."""
        lags = np.minimum(lags, size - 1.001)
        i = lags.astype(int)
        f = lags - i
        return i, i + 1, 1 - f, f

    def push(self, v: float) -> None:
        self._buf[self.i] = self._buf[self.i + self.n] = v
        self.i = (self.i + 1) % self.n
        self.filled = min(self.filled + 1, self.n)

    def twin_ring(self) -> np.ndarray:
        """A ring for another onset function pushed in step with this one (``push_twin``,
        then ``profile(ring=...)``), kept twice over like the comb's own."""
        return np.zeros(2 * self.n)

    def push_twin(self, ring: np.ndarray, v: float) -> None:
        """Put ``v`` in a ``twin_ring`` at the slot the next ``push`` fills."""
        ring[self.i] = ring[self.i + self.n] = v

    def profile(self, period: float, ring: np.ndarray | None = None, bins: int = 16,
                frames: int | None = None) -> np.ndarray:
        """Mean of the onset function (``ring``: a ``twin_ring`` pushed in step) folded at
        ``period`` frames over the window, in ``bins`` phase bins; bin 0 is the latest frame."""
        m = self.filled if frames is None else min(frames, self.filled)
        src = self._buf if ring is None else ring
        x = src[self.i + self.n - m:self.i + self.n]
        age = self._age[self.n - m:]
        b = (np.floor(age / period * bins) % bins).astype(int)
        s = np.bincount(b, weights=x, minlength=bins)
        c = np.bincount(b, minlength=bins)
        return s / np.maximum(c, 1)

    def clear(self) -> None:
        self._buf[:] = 0.0
        self.filled = 0

    def recent(self, m: int) -> np.ndarray:
        """The last ``m`` values, oldest first (a view: read only)."""
        m = min(m, self.n)
        return self._buf[self.i + self.n - m:self.i + self.n]

    def acf(self, frames: int | None = None) -> np.ndarray:
        x = self.recent(self.filled if frames is None else min(frames, self.filled))
        x = x - x.mean()
        X = np.fft.rfft(x, self.nfft)
        a = np.fft.irfft(X.real ** 2 + X.imag ** 2, self.nfft)[:self.max_lag + 1]
        m = x.size
        unbias = self._unbias.get(m)
        if unbias is None:
            unbias = self._unbias[m] = np.maximum(m - np.arange(a.size), m / 4)
        a = a / unbias
        return a / a[0] if a[0] > 0 else a

    def estimate(self) -> tuple[float, float]:
        """(bpm, salience) or (0, 0) when there is too little signal."""
        peaks = self.peaks(1)
        return peaks[0] if peaks else (0.0, 0.0)

    def peaks(self, k: int = 3, frames: int | None = None) -> list[tuple[float, float]]:
        """Up to ``k`` local maxima of the comb score as (bpm, score), best first; the
        bpm refined by a parabola through the neighbours."""
        m = self.filled if frames is None else min(frames, self.filled)
        if m < MIN_SIGNAL_S * self.fs:
            return []
        a = self.acf(m)
        if not a[0] > 0:
            return []
        usable = self.lags * 2.0 < m  # at least two periods in the window

        def at(tap):
            i0, i1, w0, w1 = tap
            return a[i0] * w0 + a[i1] * w1

        c = COMB
        t1, t2, t4, th = self._taps
        s = at(t1) + c[0] * at(t2) + c[1] * at(t4) + c[2] * at(th)
        s = np.where(usable, np.maximum(s, 0.0) * self.prior, 0.0)
        self.scores = s
        # a peak needs both neighbours scored: the slowest usable candidate is no peak just
        # because the next slower one cannot be scored yet
        inner = (s[1:-1] > s[:-2]) & (s[1:-1] >= s[2:]) & (s[1:-1] > 0) & usable[:-2]
        idx = np.flatnonzero(inner) + 1
        if s.size > 1 and s[0] > s[1]:
            idx = np.append(idx, 0)
        if s.size > 1 and s[-1] > s[-2]:
            idx = np.append(idx, s.size - 1)
        out = []
        for j in idx[np.argsort(s[idx])[::-1]][:k]:
            bpm = float(self.bpms[j])
            if 0 < j < s.size - 1:
                y0, y1, y2 = s[j - 1], s[j], s[j + 1]
                den = y0 - 2 * y1 + y2
                if den < 0:
                    d = 0.5 * (y0 - y2) / den
                    bpm *= 1.01 ** max(-0.5, min(0.5, d))
            out.append((bpm, float(s[j])))
        return out
