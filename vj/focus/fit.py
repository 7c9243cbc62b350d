"""Robust fit of a focus of expansion (FOE) to a sparse sample of an optical-flow field.

Flying forward through a still scene, every point moves straight away from one image point, the
focus of expansion ``e``: the flow at ``p`` is ``(p - e) * k(p)`` with ``k > 0`` (``k`` = speed /
depth, so it varies from point to point).  Each flow vector therefore defines a line through
``p`` that passes through ``e``; ``e`` is the point nearest to all the lines.  Depth never enters,
which is why this works on real scenes and not only on digital zooms.

The fit is RANSAC on pairs of lines (their intersection is a candidate ``e``), scored by how many
samples point away from it within an angle, then IRLS (Tukey weights on the angle) from the best
candidate.  Residuals are angles, not distances, so far-away samples (long flow, large absolute
error) count as much as near ones.

What makes a fit trustworthy is the confidence, the product of four ramps (``FIT_RAMPS``): the
share of the picture that moves away from ``e`` (people walking in a static shot move, but they
are a small share), the expansion rate (a static shot has none; a zoom-out has a negative one),
the spread of the line directions (a pan moves everything in one direction: the lines are parallel
and ``e`` is at infinity), and how far ``e`` lies inside the frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: px of flow (at the analysis size) below which a sample does not count as moving: DIS's noise on
#: a static textured shot is about 0.05-0.1 px
MIN_FLOW_PX = 0.25
#: samples needed for a fit at all
MIN_SAMPLES = 24
#: a sample is an inlier when its flow direction is within this angle (as a sine) of (p - e)
INLIER_SINE = math.sin(math.radians(14.0))
#: the IRLS weighting scale (Tukey biweight on the sine of the angle error)
TUKEY_SINE = math.sin(math.radians(20.0))
#: closer to e than this share of the frame width, a flow's direction says little about e
NEAR = 0.04
#: RANSAC hypotheses; 2 lines each.  Deterministic (seeded), so imports are reproducible.
RANSAC_TRIES = 256
#: samples that score the hypotheses
SCORE_SAMPLES = 1024
#: two lines closer than this angle (as a sine) do not make a hypothesis
MIN_CROSSING_SINE = math.sin(math.radians(8.0))
IRLS_ROUNDS = 8
#: candidates outside the frame by more than this share are not considered (a pan's e is at infinity)
SEARCH_MARGIN = 0.35


@dataclass(frozen=True, slots=True)
class Ramp:
    """0 at or below ``lo``, 1 at or above ``hi``, linear between."""

    lo: float
    hi: float

    def __call__(self, v: float) -> float:
        if not math.isfinite(v):
            return 0.0
        return min(max((v - self.lo) / (self.hi - self.lo), 0.0), 1.0)


#: The confidence is the product of these ramps (see the module docstring).
FIT_RAMPS = {
    "moving": Ramp(0.10, 0.25),    #: share of the textured picture that moves at all
    "consistency": Ramp(0.35, 0.60),  #: share of the moving picture that expands from e
    "rate": Ramp(0.03, 0.08),      #: expansion rate, scale growth per second (ln units)
    "spread": Ramp(0.06, 0.20),    #: smaller/larger eigenvalue of the line-normal matrix (0: all parallel)
    "inside": Ramp(-0.08, 0.02),   #: distance of e inside the frame's edge, in frame widths/heights
}


@dataclass(frozen=True, slots=True)
class FoeFit:
    """A fitted focus of expansion, normalised to the analysed frame (0..1, y down)."""

    x: float
    y: float
    confidence: float
    rate: float = 0.0       #: expansion rate in ln(scale) per second; negative for a zoom-out
    consistency: float = 0.0  #: weighted share of the moving samples that expand from (x, y)
    spread: float = 0.0     #: 0 (all flow lines parallel) .. 1 (all directions)
    moving: float = 0.0     #: weighted share of samples that move at all

    @staticmethod
    def none(moving: float = 0.0) -> "FoeFit":
        return FoeFit(0.5, 0.5, 0.0, moving=moving)


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    if len(values) == 0 or weights.sum() <= 0:
        return 0.0
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, 0.5 * cum[-1])])


def _tukey(x: np.ndarray) -> np.ndarray:
    return np.where(np.abs(x) < 1.0, (1.0 - x * x) ** 2, 0.0)


def fit_foe(points: np.ndarray, flow: np.ndarray, weight: np.ndarray, size: tuple[int, int], dt: float,
            seed: int = 0) -> FoeFit:
    """Fit e to ``flow`` (N x 2 px, over ``dt`` seconds) sampled at ``points`` (N x 2 px) of a frame of
    ``size`` (w, h) px; ``weight`` (N) says how much each sample is trusted (texture, consistency)."""
    w, h = size
    scale = float(max(w, h))
    total = float(weight.sum())
    if total <= 0 or len(points) < MIN_SAMPLES:
        return FoeFit.none()
    mag = np.hypot(flow[:, 0], flow[:, 1])
    mov = (mag > MIN_FLOW_PX) & (weight > 0)
    moving = float(weight[mov].sum() / total)
    if mov.sum() < MIN_SAMPLES:
        return FoeFit.none(moving)
    p = points[mov].astype(np.float64) / scale
    f = flow[mov].astype(np.float64) / scale
    wt = weight[mov].astype(np.float64)
    u = f / mag[mov, None] * scale
    n = np.stack([-u[:, 1], u[:, 0]], axis=1)   # unit normals of the flow lines
    c = (n * p).sum(1)                            # the line is n . e = c
    frame = np.array([w, h], np.float64) / scale  # the frame in these units

    def residuals(e: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r = p - e
        dist = np.maximum(np.hypot(r[:, 0], r[:, 1]), NEAR)
        sine = (n @ e - c) / dist
        radial = (u * r).sum(1) > 0
        return sine, radial, dist

    # -- RANSAC: intersections of random pairs of lines
    rng = np.random.default_rng(seed)
    prob = wt / wt.sum()
    i = rng.choice(len(p), RANSAC_TRIES, p=prob)
    j = rng.choice(len(p), RANSAC_TRIES, p=prob)
    det = n[i, 0] * n[j, 1] - n[i, 1] * n[j, 0]
    ok = np.abs(det) > MIN_CROSSING_SINE
    if not ok.any():
        return FoeFit.none(moving)
    i, j, det = i[ok], j[ok], det[ok]
    ex = (c[i] * n[j, 1] - n[i, 1] * c[j]) / det
    ey = (n[i, 0] * c[j] - n[j, 0] * c[i]) / det
    lo, hi = -SEARCH_MARGIN * frame, (1.0 + SEARCH_MARGIN) * frame
    inside = (ex > lo[0]) & (ex < hi[0]) & (ey > lo[1]) & (ey < hi[1])
    if not inside.any():
        return FoeFit.none(moving)
    cand = np.stack([ex[inside], ey[inside]], axis=1)                  # (K, 2)
    # score on a subset: the best of 256 hypotheses is found as well with 1024 samples as with 10000
    sub = rng.choice(len(p), SCORE_SAMPLES, replace=False) if len(p) > SCORE_SAMPLES else np.arange(len(p))
    r = p[None, sub, :] - cand[:, None, :]                              # (K, S, 2)
    dist = np.maximum(np.hypot(r[..., 0], r[..., 1]), NEAR)
    sine = np.abs((n[None, sub] * -r).sum(-1)) / dist
    radial = (u[None, sub] * r).sum(-1) > 0
    score = ((sine < INLIER_SINE) & radial) @ wt[sub]
    e = cand[int(np.argmax(score))]

    # -- IRLS on the sine of the angle error, from the best hypothesis
    for _ in range(IRLS_ROUNDS):
        sine, radial, dist = residuals(e)
        k = wt * _tukey(sine / TUKEY_SINE) * radial / dist ** 2
        if k.sum() <= 0:
            break
        a = (n * k[:, None]).T @ n
        b = (n * (k * c)[:, None]).sum(0)
        if abs(np.linalg.det(a)) < 1e-12 * max(np.trace(a) ** 2, 1e-30):
            break
        e_new = np.linalg.solve(a, b)
        e_new = np.clip(e_new, lo, hi)
        if np.hypot(*(e_new - e)) < 1e-5:
            e = e_new
            break
        e = e_new

    sine, radial, dist = residuals(e)
    inlier = (np.abs(sine) < INLIER_SINE) & radial
    consistency = float(wt[inlier].sum() / wt.sum())
    k = wt * _tukey(sine / TUKEY_SINE) * radial
    a = (n * k[:, None]).T @ n
    eig = np.linalg.eigvalsh(a) if k.sum() > 0 else np.zeros(2)
    spread = float(eig[0] / eig[1]) if eig[1] > 0 else 0.0
    far = inlier & (dist > 2 * NEAR)
    rates = ((p - e) * f).sum(1) / np.maximum(dist, NEAR) ** 2 / max(dt, 1e-6)
    rate = weighted_median(rates[far], wt[far]) if far.any() else 0.0
    norm = e / frame
    margin = float(min(norm[0], 1.0 - norm[0], norm[1], 1.0 - norm[1]))
    conf = (FIT_RAMPS["moving"](moving) * FIT_RAMPS["consistency"](consistency) * FIT_RAMPS["rate"](rate) * FIT_RAMPS["spread"](spread)
            * FIT_RAMPS["inside"](margin))
    return FoeFit(float(np.clip(norm[0], 0.0, 1.0)), float(np.clip(norm[1], 0.0, 1.0)), float(conf), rate=rate,
                  consistency=consistency, spread=spread, moving=moving)
