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

A right grid in 3/4 repeats as a grid at 3:2 of a tempo in 4 does (three of its beats are a bar
of the waltz, or two beats of the tempo; six are a bar of either): jazzwaltz-150-3-4@numpy's 2:3
relative gained +0.36 (round 37's try 1 moved it to 100).  What tells them is where the accents
fall: ``accent`` compares the same signal's peaks on the relative's own beats (not within a
quarter of the grid's beat of a grid beat) with those on the grid's own beats.  A grid at 3:2 in 4
has the backbeat on the relative's own beats and swung 8ths or ghost notes on its own; a waltz's
grid has beats 2 and 3 on its own, the relative the "and" of 2.
"""

from __future__ import annotations

import math

import numpy as np

from .grid_fit import GridFit
from .phase_cues import WINDOW_S, PhaseCues

#: Lags read, in beats of the period tested: half a bar and a bar.
MULTIPLES = (2, 4)
#: Hops each side of the triangular smoothing (~35 ms at 512 / 44.1 kHz).
SMOOTH_HOPS = 3
_KERNEL = np.bartlett(2 * SMOOTH_HOPS + 3)[1:-1]
#: ``accent``: a beat is the other grid's too within ``APART`` of a grid beat (a grid at 3:2's own
#: beats are half a beat of it from the relative's); its peak is read within ``ACCENT_TOL`` of a
#: grid beat; beats within ``EDGE_S`` of the window's ends are not read.
APART = 0.25
ACCENT_TOL = 1.0 / 6.0
EDGE_S = 0.1


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


def _signal(cues: PhaseCues, now: float) -> tuple[np.ndarray, np.ndarray] | None:
    """The kick and backbeat activations of the cues' window up to ``now``, smoothed, each at
    unit deviation, summed; and their times (oldest first).  None with too little audio."""
    sel = (cues.t > now - WINDOW_S) & (cues.t <= now)
    if sel.sum() < 8:
        return None
    order = np.argsort(cues.t[sel])
    x = np.zeros(int(sel.sum()))
    for name in ("kick", "backbeat"):
        s = np.convolve(cues.act[name][sel][order], _KERNEL, "same")
        x += s / (s.std() + 1e-12)
    return cues.t[sel][order], x


def accent(cues: PhaseCues, now: float, fit: GridFit, beat_t: float, period: float) -> float | None:
    """The drums on the beats of a relative grid (``beat_t`` + k ``period``) that are not
    ``fit``'s, against those on ``fit``'s beats that are not the relative's: the difference of
    their mean peaks (within ``ACCENT_TOL`` of a grid beat each), over their sum; None when
    either has no beat in the window."""
    read = _signal(cues, now)
    if read is None:
        return None
    ts, x = read
    t0, t1 = float(ts[0]) + EDGE_S, now - EDGE_S
    mine = np.array([fit.at(k) for k in range(math.ceil(fit.position(t0)), math.floor(fit.position(t1)) + 1)])
    rel = beat_t + period * np.arange(math.ceil((t0 - beat_t) / period), math.floor((t1 - beat_t) / period) + 1)
    if not mine.size or not rel.size:
        return None
    apart = APART * fit.period
    own = [b for b in mine if np.min(np.abs(rel - b)) > apart]
    theirs = [b for b in rel if np.min(np.abs(mine - b)) > apart]
    tol = ACCENT_TOL * fit.period

    def peaks(beats: list[float]) -> list[float]:
        return [float(x[m].max()) for b in beats for m in ((ts > b - tol) & (ts < b + tol),) if m.any()]

    a, g = peaks(theirs), peaks(own)
    if not a or not g:
        return None
    a_m, g_m = sum(a) / len(a), sum(g) / len(g)
    return (a_m - g_m) / (a_m + g_m) if a_m + g_m > 0 else None


def gain(cues: PhaseCues, now: float, period: float, relative: float,
         multiples: tuple[int, ...] = MULTIPLES) -> float | None:
    """How much more the drums repeat at ``relative`` x ``period`` (s) than at ``period``
    (``multiples`` of each), over the cues' window up to ``now``; None when a lag does not fit."""
    read = _signal(cues, now)
    if read is None:
        return None
    a = _acf(read[1])
    reads = []
    for p in (period, relative * period):
        v = [_at(a, m * p / cues.dt) for m in multiples]
        if any(r is None for r in v):
            return None
        reads.append(sum(v) / len(v))
    return reads[1] - reads[0]
