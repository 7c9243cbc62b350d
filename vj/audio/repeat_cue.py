"""Does the drum pattern repeat at a grid's beats, or at a relative's (round 37)?

A grid at 3:2 or 6:5 of the tempo passes the lock and the comb's checks for seconds (a crowd's
claps, a room's reverberation, a swung groove): the comb's 2:3 reading of a right grid is the
everyday noise of breakbeats and half-time, so the comb's ratio alone does not tell a wrong grid
from a right one.  What a dancer hears is where the drums *repeat*: a kick-and-snare pattern
comes back every two and every four beats of the tempo, not every two or four beats of a grid
at 3:2 of it (4/3 and 8/3 of a beat).

``repetition`` reads the phase cues' kick and backbeat activations (``phase_cues``, the last
``phase_cues.WINDOW_S``), each smoothed over ``SMOOTH_HOPS`` either side (a hop's jitter
would miss a spike's product) and scaled to unit deviation, summed, and autocorrelated
(unbiased, normalised to 1 at lag 0): the mean at ``MULTIPLES`` of the period.
``gain`` is a relative's repetition less the grid's own.
"""

from __future__ import annotations

import math

import numpy as np

from .phase_cues import WINDOW_S, PhaseCues

#: Lags read, in beats of the period tested: half a bar and a bar.
MULTIPLES = (2, 4)
#: Hops each side of the triangular smoothing (~35 ms at 512 / 44.1 kHz).
SMOOTH_HOPS = 3
_KERNEL = np.bartlett(2 * SMOOTH_HOPS + 3)[1:-1]


def _acf(x: np.ndarray) -> np.ndarray:
    """Unbiased autocorrelation of ``x``, 1 at lag 0 (zeros if ``x`` is flat)."""
    x = x - x.mean()
    n = x.size
    nfft = 1 << int(math.ceil(math.log2(2 * n)))
    spec = np.fft.rfft(x, nfft)
    a = np.fft.irfft(spec.real ** 2 + spec.imag ** 2, nfft)[:n]
    a = a / np.maximum(n - np.arange(n), n / 4)
    return a / a[0] if a[0] > 0 else np.zeros(n)


def _at(a: np.ndarray, lag: float) -> float | None:
    if not 0 <= lag < a.size - 1:
        return None
    i = int(lag)
    f = lag - i
    return float(a[i] * (1.0 - f) + a[i + 1] * f)


def gain(cues: PhaseCues, now: float, period: float, relative: float) -> float | None:
    """How much more the drums repeat at ``relative`` x ``period`` (s) than at ``period``
    (``MULTIPLES`` of each), over the cues' window up to ``now``; None when a lag does not fit."""
    sel = (cues.t > now - WINDOW_S) & (cues.t <= now)
    if sel.sum() < 8:
        return None
    order = np.argsort(cues.t[sel])
    x = np.zeros(int(sel.sum()))
    for name in ("kick", "backbeat"):
        s = np.convolve(cues.act[name][sel][order], _KERNEL, "same")
        x += s / (s.std() + 1e-12)
    a = _acf(x)
    reads = []
    for p in (period, relative * period):
        v = [_at(a, m * p / cues.dt) for m in MULTIPLES]
        if any(r is None for r in v):
            return None
        reads.append(sum(v) / len(v))
    return reads[1] - reads[0]
