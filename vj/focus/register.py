"""A second measurement of the heading over a wide time gap: whole-frame parametric registration.

Where the flow fits are all unsure (a crushed clip, a person moving on their own in front of the camera), two
frames about 1.5 s apart are registered as a whole: a similarity x' - c = s R (x - c) + t, solved by Gauss-Newton
with Huber weights (what moves on its own weighs less) coarse to fine on a pyramid.  A zoom toward p is such a map
with p = (I - s R)^-1 (its fixed point).  OpenCV's ECC (``cv2.findTransformECC``, affine) was tried first: it raised
"images may be uncorrelated" on every crushed parking pair and scattered its fixed points on the rest (round focus21).
Several pairs are spread over the clip; the heading is trusted only where every pair's warp explains it (leaves
under REG_LEFT of the misfit the frames have as they are), expands at the flow's own rate-ramp foot or faster, from a
point inside the frame, and the points lie on one line over time.  A still shot
reads no rate (a moving scene too), a zoom-out a negative one, a pan no fixed point inside the frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

from .fit import FIT_RAMPS
from .neighbours import MIN_AGREE_CONF, plays_at_centre

if TYPE_CHECKING:
    from .estimate import KeyFit

#: seconds between a pair's frames (the widest the clip allows, up to REG_GAP_MAX, and at least REG_GAP_MIN)
REG_GAP_MAX = 1.5
REG_GAP_MIN = 0.8
#: a pair is registered only where its two frames lie within this of the gap apart.  Inside a run of decoded frames
#: (vj.focus.estimate.RUN_HOLE, 0.25 s: no two of its frames further apart) the frames nearest a pair's ends always
#: do; a clip longer than about 11 s is decoded in keyframe windows with holes between them, and an end in a hole took
#: a frame far from it (a 20 s clip's four pairs lay 0.80, 1.93, 1.93 and 0.80 s apart for a 1.5 s gap, outside what
#: REG_LEFT and REG_RATE were measured on).  The estimator's windows keep all four pairs up to about 13.5 s of clip and
#: none from about 18.5 s (review56); every seen clip is 1.7-6 s long and decoded without a hole
REG_GAP_SLACK = 0.25
#: pairs spread over the clip; every one must expand from about the same point
REG_PAIRS = 4
#: the rate every pair must read (ln(scale)/s): the flow's rate ramp's foot (vj.focus.fit.FIT_RAMPS)
REG_RATE = FIT_RAMPS["rate"].lo
#: the most of the still picture's misfit (mean |b - a|) a pair may leave under its warp: on seen clips a real zoom
#: left 0.07-0.64 (walk-drift-slow-crushed-21's signer the most), a pan the pyramid could not follow and fitted as a
#: false zoom 0.80-1.03 (hubble-pan-crushed-8 and -10, gravel-pan-crushed-11, chelsea-pan-crushed-7), a still 0.98-1.00
REG_LEFT = 0.75
#: how far (share of the width) a pair's fixed point may lie from the line through the pairs' points over time
REG_AGREE = 0.05
#: pyramid levels solved (the analysis frame, ~320 px wide, halved each level), the finest REG_FINEST halvings down:
#: 160 px costs a quarter of 320 px (0.07-0.17 s CPU a clip, not 0.23-0.58 s) and changed no pair's error by more than
#: 1.5 points on five seen clips (sister-drift-crushed-20, walk-drift-slow-crushed-21, walk-slow-crushed-11,
#: bottles-static, hubble-zoom-out-4; round focus21)
REG_FINEST = 1
REG_LEVELS = 3
REG_ITERS = 30
#: Gaussian smoothing of both frames before the pyramid (px): the encoder's block edges and specks
REG_SIGMA = 1.0
#: Huber's threshold in robust sigmas (what moves on its own, a car driving in, weighs less)
REG_HUBER = 1.345
#: floor of the robust sigma (grey levels): where the encoder copied most of the picture the median residual is 0
REG_NOISE = 1.0


@dataclass(frozen=True, slots=True)
class PairReg:
    """One registered pair: the later frame as a similarity warp of the earlier one."""

    t: float                    #: the pair's middle (seconds)
    gap: float                  #: seconds between its frames
    x: float                    #: fixed point, normalised to the frame (0..1, y down); nan when there is none
    y: float
    rate: float                 #: expansion rate, ln(scale) per second (negative for a zoom-out)
    left: float                 #: share of the misfit of b to a as they are left under the warp (inf: failed)


def _pyramid(img: np.ndarray, levels: int) -> list[np.ndarray]:
    out = [cv2.GaussianBlur(img.astype(np.float32), (0, 0), REG_SIGMA)]
    for _ in range(levels - 1):
        if min(out[-1].shape) < 32:
            break
        out.append(cv2.pyrDown(out[-1]))
    return out


def _solve_level(a: np.ndarray, b: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, float]:
    """Gauss-Newton with Huber weights (IRLS) for the similarity q = (a, b, tx, ty) about the frame's centre:
    x' - c = [[a, -b], [b, a]] (x - c) + t, with b(x') ~ a(x).  Returns (q, the weighted residual RMS)."""
    h, w = a.shape
    cx, cy = (w - 1) / 2, (h - 1) / 2
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    dx, dy = xs - cx, ys - cy
    gx = cv2.Sobel(b, cv2.CV_32F, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(b, cv2.CV_32F, 0, 1, ksize=3) / 8
    rms = math.inf
    for _ in range(REG_ITERS):
        qa, qb, tx, ty = q
        mx = (qa * dx - qb * dy + cx + tx).astype(np.float32)
        my = (qb * dx + qa * dy + cy + ty).astype(np.float32)
        inside = (mx >= 1) & (mx <= w - 2) & (my >= 1) & (my <= h - 2)
        if inside.sum() < 0.25 * w * h:
            return q, math.inf
        bw = cv2.remap(b, mx, my, cv2.INTER_LINEAR)[inside]
        gxw = cv2.remap(gx, mx, my, cv2.INTER_LINEAR)[inside]
        gyw = cv2.remap(gy, mx, my, cv2.INTER_LINEAR)[inside]
        r = bw - a[inside]
        r = r - np.median(r)  # a change of overall brightness is not motion
        ddx, ddy = dx[inside], dy[inside]
        jac = np.stack([gxw * ddx + gyw * ddy, -gxw * ddy + gyw * ddx, gxw, gyw], 1).astype(np.float64)
        sigma = max(1.4826 * float(np.median(np.abs(r))), REG_NOISE)
        k = REG_HUBER * sigma
        wt = np.where(np.abs(r) <= k, 1.0, k / np.maximum(np.abs(r), 1e-9))
        rms = float(np.sqrt(np.sum(wt * r * r) / np.sum(wt)))
        jw = jac * wt[:, None]
        try:
            step = np.linalg.solve(jw.T @ jac + 1e-6 * np.eye(4), -(jw.T @ r))
        except np.linalg.LinAlgError:
            return q, math.inf
        q = q + step
        if abs(step[0]) + abs(step[1]) < 1e-5 and abs(step[2]) + abs(step[3]) < 1e-3:
            break
    return q, rms


def _misfit(a: np.ndarray, b: np.ndarray, q: np.ndarray) -> float:
    """Mean |b(x') - a(x)| (less its median: brightness) over the overlap, under the similarity q."""
    h, w = a.shape
    cx, cy = (w - 1) / 2, (h - 1) / 2
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    mx = (q[0] * (xs - cx) - q[1] * (ys - cy) + cx + q[2]).astype(np.float32)
    my = (q[1] * (xs - cx) + q[0] * (ys - cy) + cy + q[3]).astype(np.float32)
    inside = (mx >= 1) & (mx <= w - 2) & (my >= 1) & (my <= h - 2)
    if not inside.any():
        return math.inf
    r = cv2.remap(b, mx, my, cv2.INTER_LINEAR)[inside] - a[inside]
    return float(np.mean(np.abs(r - np.median(r))))


def register_pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, float]:
    """(2x3 affine W with b(W x) ~ a(x), a similarity, coarse to fine; the share of the still picture's misfit left
    under W at the finest level solved, inf where the solve failed)."""
    pa, pb = _pyramid(a, REG_FINEST + REG_LEVELS), _pyramid(b, REG_FINEST + REG_LEVELS)
    q = np.array([1.0, 0.0, 0.0, 0.0])
    left = math.inf
    for level in range(len(pa) - 1, REG_FINEST - 1, -1):
        q, rms = _solve_level(pa[level], pb[level], q)
        if not math.isfinite(rms):
            return np.eye(2, 3), math.inf
        if level == REG_FINEST:
            left = _misfit(pa[level], pb[level], q) / max(_misfit(pa[level], pb[level], np.array([1.0, 0, 0, 0])), 1e-6)
        if level:
            q = np.array([q[0], q[1], q[2] * 2, q[3] * 2])
    q[2:] *= 2 ** (REG_FINEST - 1) if REG_FINEST else 1  # back to the analysis frame's pixels
    h, w = a.shape
    cx, cy = (w - 1) / 2, (h - 1) / 2
    rot = np.array([[q[0], -q[1]], [q[1], q[0]]])
    shift = np.array([cx, cy]) + q[2:] - rot @ np.array([cx, cy])
    return np.hstack([rot, shift[:, None]]), left


def fixed_point(warp: np.ndarray) -> tuple[float, float] | None:
    """The point the affine warp leaves in place (pixels), or None when it has none (a pure shift)."""
    m = np.eye(2) - warp[:, :2].astype(np.float64)
    if abs(np.linalg.det(m)) < 1e-9:
        return None
    p = np.linalg.solve(m, warp[:, 2].astype(np.float64))
    return float(p[0]), float(p[1])


def pair_times(t0: float, t1: float) -> tuple[float, list[float]]:
    """(gap, start times) of REG_PAIRS pairs spread over [t0, t1], or (0, []) when the clip is too short."""
    span = t1 - t0
    gap = min(REG_GAP_MAX, span * 0.6)
    if gap < REG_GAP_MIN:
        return 0.0, []
    n = REG_PAIRS
    return gap, [t0 + (span - gap) * i / max(n - 1, 1) for i in range(n)]


def register_clip(frames: list[tuple[float, np.ndarray]]) -> list[PairReg]:
    """Wide-gap registrations spread over the decoded ``frames`` ((t, grey) in time order)."""
    if len(frames) < 2:
        return []
    ts = np.array([t for t, _ in frames])
    gap, starts = pair_times(float(ts[0]), float(ts[-1]))
    h, w = frames[0][1].shape
    out = []
    for s in starts:
        ia = int(np.argmin(np.abs(ts - s)))
        ib = int(np.argmin(np.abs(ts - (s + gap))))
        if ib <= ia:
            continue
        dt = float(ts[ib] - ts[ia])
        if abs(dt - gap) > REG_GAP_SLACK:
            continue  # an end in a hole between decoded windows: not the gap the gates were measured at
        warp, left = register_pair(frames[ia][1], frames[ib][1])
        det = float(np.linalg.det(warp[:, :2].astype(np.float64)))
        rate = math.log(max(det, 1e-6)) / 2 / dt
        p = fixed_point(warp)
        x, y = (math.nan, math.nan) if p is None else (p[0] / w, p[1] / h)
        out.append(PairReg(float(ts[ia] + ts[ib]) / 2, dt, x, y, rate, left))
    return out


def heading(regs: list[PairReg], aspect: float) -> list[tuple[float, float, float]] | None:
    """(t, x, y) of the pairs' fixed points on a straight line over time, or None where the registrations do not
    all explain the pair (REG_LEFT) and expand (REG_RATE) from a point inside the frame on that line (REG_AGREE)."""
    if len(regs) < REG_PAIRS or any(not r.left <= REG_LEFT or r.rate < REG_RATE for r in regs):
        return None
    if any(not (0.0 <= r.x <= 1.0 and 0.0 <= r.y <= 1.0) for r in regs):
        return None
    ts = np.array([r.t for r in regs])
    lines = [np.polyfit(ts, np.array([getattr(r, a) for r in regs]), 1) for a in ("x", "y")]
    for r in regs:
        x, y = (float(np.polyval(c, r.t)) for c in lines)
        if math.hypot(r.x - x, (r.y - y) * aspect) > REG_AGREE:
            return None
    return [(float(t), float(np.polyval(lines[0], t)), float(np.polyval(lines[1], t))) for t in ts]


def register_centre(keys: list[KeyFit], frames: list[tuple[float, np.ndarray]]) -> list[KeyFit]:
    """``keys`` where the clip plays at the centre and the wide-gap registrations agree on a heading: every keyframe
    placed on it (held at the ends) at MIN_AGREE_CONF; else ``keys`` unchanged."""
    if not keys or not plays_at_centre(keys) or len(frames) < 2:
        return keys
    h, w = frames[0][1].shape
    line = heading(register_clip(frames), h / w)
    if line is None:
        return keys
    ts = [t for t, _, _ in line]
    out = []
    for k in keys:
        x = float(np.interp(k.t, ts, [p[1] for p in line]))
        y = float(np.interp(k.t, ts, [p[2] for p in line]))
        out.append(replace(k, fit=replace(k.fit, x=x, y=y, confidence=MIN_AGREE_CONF), dense=k.dense or k.fit))
    return out
