"""Robust fit of a focus of expansion (FOE) to a sparse sample of an optical-flow field.

Flying forward through a still scene, every point moves straight away from one image point, the
focus of expansion ``e``: the flow at ``p`` is ``(p - e) * k(p)`` with ``k > 0`` (``k`` = speed /
depth, so it varies from point to point).  Each flow vector therefore defines a line through
``p`` that passes through ``e``; ``e`` is the point nearest to all the lines.  Depth never enters,
which is why this works on real scenes and not only on digital zooms.

The fit is RANSAC on pairs of lines (their intersection is a candidate ``e``), scored by how many
samples point away from it within an angle, then IRLS (Tukey weights on the angle) from the best
candidate, loosely and tightly; whichever of the three explains the most samples wins, since a
least-squares step can be pulled off the consensus by things that move on their own.  Residuals are
angles, not distances, so far-away samples (long flow, large absolute error) count as much as near
ones.  A camera that rolls while it flies turns every flow vector by about the same angle; RANSAC
tries a few roll angles and IRLS refines it, but a rolled fit must explain clearly more than a
level one (``ROLL_GAIN``), because sideways motion in the picture (a conveyor, a crowd) can pass
for a roll about a shifted point.

What makes a fit trustworthy is its confidence, the product of five ramps (``FIT_RAMPS``): the
share of the textured picture that moves at all, the share of the moving picture that moves away
from ``e`` (people walking in a static shot move, but not away from one point), the expansion rate
(a static shot has none; a zoom-out has a negative one), the spread of the line directions (a pan
moves everything one way: the lines are parallel and ``e`` is at infinity), and how far ``e`` lies
inside the frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

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
#: RANSAC hypotheses per roll angle; 2 lines each.  Deterministic (seeded), so imports are reproducible.
RANSAC_TRIES = 128
#: roll angles tried by RANSAC (radians): a camera rolling at w rad/s while the picture grows at k/s turns
#: the flow by atan(w/k) from radial; IRLS then refines the angle, up to MAX_TWIST
TWISTS = tuple(math.radians(a) for a in (0.0, -12.0, 12.0, -24.0, 24.0))
MAX_TWIST = math.radians(35.0)
#: a rolled fit must explain this many times the samples a level one does
ROLL_GAIN = 1.1
#: samples that score the hypotheses
SCORE_SAMPLES = 1024
#: two lines closer than this angle (as a sine) do not make a hypothesis
MIN_CROSSING_SINE = math.sin(math.radians(8.0))
IRLS_ROUNDS = 8
#: candidates outside the frame by more than this share are not considered (a pan's e is at infinity)
SEARCH_MARGIN = 0.35
#: a fit pooled from several frame pairs is not trusted to place the focus where every pair, fitted alone, places it
#: further than this share of the width from it (:func:`split_apart`): the pooled focus is then a compromise between
#: fields that disagree, not a heading they share.  Seen (round focus12, all 822 keyframes of the 307 seen items,
#: docs/notes/focus12-split.py): of the confident dense fits, walk-zoom-crushed-11 at 1.44 s (10.1 % off at
#: confidence 1.00; a signer filling the frame, her hands moving) had its pairs 9.1-11.1 % away, and three more
#: whose dense fits were 15-31 % off (walk-slow-5, walk-drift-crushed-11, walk-drift-slow-3; set right by the corner
#: tracks) 10.8-20 %; the nearest good fit 7.2 % (parking-slow-crushed-9 at 2.49 s, 1.0 % off).  Narrow: 7.2-9.1 %
SPLIT_APART = 0.08


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
    #: expansion rate, scale growth per second (ln units).  Slow rates are measured over a wide gap
    #: (vj.focus.estimate.EDGE_PX), where still shots on the tuning set read 0.005-0.019 (over 0.1 s:
    #: up to 0.08), so a 0.045/s push-in (15 % in 3 s) counts fully
    "rate": Ramp(0.02, 0.045),
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
    others: float = 0.0     #: the product of the ramps other than the consistency's

    def judged(self, consistency: "Ramp") -> "FoeFit":
        """This fit with its consistency judged by another ramp (see vj.focus.estimate.CRUSHED_CONSISTENCY)."""
        return replace(self, confidence=self.others * consistency(self.consistency))

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


def _lines(u: np.ndarray, p: np.ndarray, twist: float) -> tuple[np.ndarray, np.ndarray]:
    """Normals ``n`` and offsets ``c`` of the lines ``n . e = c`` through each ``p`` along ``u`` turned back by
    ``twist`` (the camera's roll turns every flow vector by about the same angle away from radial)."""
    cs, sn = math.cos(twist), math.sin(twist)
    d = np.stack([u[:, 0] * cs + u[:, 1] * sn, -u[:, 0] * sn + u[:, 1] * cs], axis=1)
    n = np.stack([-d[:, 1], d[:, 0]], axis=1)
    return n, (n * p).sum(1)


def _moving(points: np.ndarray, flow: np.ndarray, weight: np.ndarray, size: tuple[int, int]):
    """The samples a fit counts (flow over MIN_FLOW_PX, weight over 0), in units of the frame's longer side: (mask,
    points, flows, unit flow directions, weights, the flows' lengths in px)."""
    scale = float(max(size))
    mag = np.hypot(flow[:, 0], flow[:, 1])
    mov = (mag > MIN_FLOW_PX) & (weight > 0)
    f = flow[mov].astype(np.float64) / scale
    return mov, points[mov].astype(np.float64) / scale, f, f / mag[mov, None] * scale, \
        weight[mov].astype(np.float64), mag


def _residuals(p: np.ndarray, e: np.ndarray, n: np.ndarray, c: np.ndarray,
               near: float = NEAR) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per sample: the sine of the angle between its (turned) flow line and p - e, with the distance to e taken as at
    least ``near``; whether p - e runs along the flow (away from e); that distance."""
    r = p - e
    dist = np.maximum(np.hypot(r[:, 0], r[:, 1]), near)
    sine = (n @ e - c) / dist
    radial = n[:, 1] * r[:, 0] - n[:, 0] * r[:, 1] > 0  # (p - e) along the turned flow direction
    return sine, radial, dist


def expanding_share(points: np.ndarray, flow: np.ndarray, weight: np.ndarray, x: float, y: float,
                    size: tuple[int, int], near: float = NEAR) -> float:
    """The weighted share of the moving samples that expand from (x, y) (normalised): within INLIER_SINE of radial,
    pointing away, no roll; what :func:`fit_foe` reports as ``consistency`` for a level fit at that focus.  fit_foe
    counts a sample closer to e than ``near`` (NEAR) as if it were that far; vj.focus.pooled passes a ``near`` of
    about 0 (its AGREEMENT was measured so)."""
    mov, p, _, u, wt, _ = _moving(points, flow, weight, size)
    if not mov.any():
        return 0.0
    e = np.array([x, y]) * (np.array(size, np.float64) / float(max(size)))
    n, c = _lines(u, p, 0.0)
    sine, radial, _ = _residuals(p, e, n, c, near)
    return float(wt[(np.abs(sine) < INLIER_SINE) & radial].sum() / wt.sum())


def fit_foe(points: np.ndarray, flow: np.ndarray, weight: np.ndarray, size: tuple[int, int], dt: float,
            seed: int = 0) -> FoeFit:
    """Fit e to ``flow`` (N x 2 px, over ``dt`` seconds) sampled at ``points`` (N x 2 px) of a frame of
    ``size`` (w, h) px; ``weight`` (N) says how much each sample is trusted (texture, consistency)."""
    w, h = size
    scale = float(max(w, h))
    total = float(weight.sum())
    if total <= 0 or len(points) < MIN_SAMPLES:
        return FoeFit.none()
    mov, p, f, u, wt, _ = _moving(points, flow, weight, size)  # u: unit flow directions
    moving = float(weight[mov].sum() / total)
    if mov.sum() < MIN_SAMPLES:
        return FoeFit.none(moving)
    frame = np.array([w, h], np.float64) / scale  # the frame in these units
    lo, hi = -SEARCH_MARGIN * frame, (1.0 + SEARCH_MARGIN) * frame

    # -- RANSAC: intersections of random pairs of lines, for a few roll angles
    rng = np.random.default_rng(seed)
    prob = wt / wt.sum()
    sub = rng.choice(len(p), SCORE_SAMPLES, replace=False) if len(p) > SCORE_SAMPLES else np.arange(len(p))
    best: dict[float, tuple[float, np.ndarray]] = {}  # per roll angle: (score, hypothesis)
    for tw in TWISTS:
        n, c = _lines(u, p, tw)
        i = rng.choice(len(p), RANSAC_TRIES, p=prob)
        j = rng.choice(len(p), RANSAC_TRIES, p=prob)
        det = n[i, 0] * n[j, 1] - n[i, 1] * n[j, 0]
        ok = np.abs(det) > MIN_CROSSING_SINE
        i, j, det = i[ok], j[ok], det[ok]
        cand = np.stack([(c[i] * n[j, 1] - n[i, 1] * c[j]) / det, (n[i, 0] * c[j] - n[j, 0] * c[i]) / det], axis=1)
        cand = cand[np.all((cand > lo) & (cand < hi), axis=1)]
        if not len(cand):
            continue
        # scored on a subset (the best hypothesis is found as well with 1024 samples as with 10000), every
        # (hypothesis, sample) term as a matrix product: n.(p - e) = c - e.n, |p - e|^2, d.(p - e)
        ps, ns, cs = p[sub], n[sub], c[sub]
        ds = np.stack([ns[:, 1], -ns[:, 0]], axis=1)                        # the turned flow directions
        dist = np.sqrt(np.maximum((ps * ps).sum(1)[None, :] - 2.0 * cand @ ps.T + (cand * cand).sum(1)[:, None],
                                  NEAR * NEAR))
        sine = np.abs(cs[None, :] - cand @ ns.T) / dist
        radial = (ds * ps).sum(1)[None, :] - cand @ ds.T > 0
        score = ((sine < INLIER_SINE) & radial) @ wt[sub]
        k = int(np.argmax(score))
        best[tw] = (float(score[k]), cand[k])
    if not best:
        return FoeFit.none(moving)

    def residuals(e: np.ndarray, n: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _residuals(p, e, n, c)

    def refine(e: np.ndarray, twist: float, scale: float, roll: bool = True) -> tuple[np.ndarray, float]:
        """IRLS on the sine of the angle error (Tukey weights at ``scale``); with ``roll``, the roll angle is
        re-estimated from the inliers each round."""
        for _ in range(IRLS_ROUNDS):
            n, c = _lines(u, p, twist)
            sine, radial, dist = residuals(e, n, c)
            k = wt * _tukey(sine / scale) * radial
            if k.sum() <= 0:
                break
            a = (n * (k / dist ** 2)[:, None]).T @ n
            b = (n * (k / dist ** 2 * c)[:, None]).sum(0)
            if abs(np.linalg.det(a)) < 1e-12 * max(np.trace(a) ** 2, 1e-30):
                break
            e_new = np.clip(np.linalg.solve(a, b), lo, hi)
            r = p - e_new
            turn = math.atan2(float((k * (r[:, 0] * u[:, 1] - r[:, 1] * u[:, 0]) / dist).sum()),
                              float((k * (r * u).sum(1) / dist).sum()))
            twist_new = min(max(turn, -MAX_TWIST), MAX_TWIST) if roll else twist
            done = np.hypot(*(e_new - e)) < 1e-5 and abs(twist_new - twist) < 1e-4
            e, twist = e_new, twist_new
            if done:
                break
        return e, twist

    def consensus(e: np.ndarray, twist: float) -> float:
        """Soft inlier count over all samples: what RANSAC maximises, without its subset."""
        n, c = _lines(u, p, twist)
        sine, radial, _ = residuals(e, n, c)
        return float((wt * _tukey(sine / INLIER_SINE) * radial).sum())

    # -- refine the best hypotheses, loosely and tightly; keep whichever explains the most samples (a
    #    least-squares step can be dragged off the consensus by samples that move on their own).  A roll
    #    must explain clearly more than no roll: something moving sideways (a conveyor, a crowd) can look
    #    like a roll about a shifted point
    def candidates(e: np.ndarray, twist: float, roll: bool) -> list[tuple[np.ndarray, float]]:
        return [(e, twist), refine(e, twist, TUKEY_SINE, roll), refine(e, twist, INLIER_SINE, roll)]

    level = max(candidates(best[0.0][1], 0.0, False) if 0.0 in best else [], key=lambda et: consensus(*et),
                default=None)
    tw = max(best, key=lambda t: best[t][0])
    rolled = max(candidates(best[tw][1], tw, True), key=lambda et: consensus(*et))
    if level is None or consensus(*rolled) > ROLL_GAIN * consensus(*level):
        e, twist = rolled
    else:
        e, twist = level

    n, c = _lines(u, p, twist)
    sine, radial, dist = residuals(e, n, c)
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
    others = (FIT_RAMPS["moving"](moving) * FIT_RAMPS["rate"](rate) * FIT_RAMPS["spread"](spread)
              * FIT_RAMPS["inside"](margin))
    conf = others * FIT_RAMPS["consistency"](consistency)  # what FoeFit.judged(FIT_RAMPS["consistency"]) gives
    return FoeFit(float(np.clip(norm[0], 0.0, 1.0)), float(np.clip(norm[1], 0.0, 1.0)), float(conf), rate=rate,
                  consistency=consistency, spread=spread, moving=moving,
                  others=float(others))


def split_apart(fit: FoeFit, points: np.ndarray, flow: np.ndarray, weight: np.ndarray, size: tuple[int, int],
                dt: float, parts: int, enough: float = 0.0) -> float:
    """The least distance (share of the width) between ``fit`` and the fits of each of ``parts`` equal consecutive
    slices of the samples it was fitted to (one frame pair each, as vj.focus.estimate pools them); 0 for one part.
    Something that moves on its own (a signer's hands) points another way in each pair, so each pair's fit lands
    somewhere else and the pooled one between them; a heading the camera flies toward is found by each pair.
    The pairs are fitted in turn, stopping at the first one at most ``enough`` away (a caller asking only whether
    every pair lies further than that need not fit the rest: a good fit's first pair usually agrees)."""
    n = len(points) // max(parts, 1)
    if parts < 2 or n == 0:
        return 0.0
    w, h = size
    least = math.inf
    for i in range(parts):
        f = fit_foe(points[i * n:(i + 1) * n], flow[i * n:(i + 1) * n], weight[i * n:(i + 1) * n], size, dt)
        least = min(least, math.hypot((f.x - fit.x) * w, (f.y - fit.y) * h) / w)
        if least <= enough:
            break
    return least
