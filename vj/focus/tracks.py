"""A third focus estimate, for slow push-ins whose texture is mostly something moving on its own (a
person signing in front of a plain wall): corners followed through many frames over a long baseline
(up to LONG_REACH either side of the keyframe), and one zoom about a fixed point fitted by RANSAC to
whole paths: a hypothesis (from two tracks' ends) counts the tracks that stay on it at *every* frame.

Why a long baseline: a 0.08/s push-in moves the analysis frame's edge ~13 px per second, while a
signer's hands move tens of px back and forth.  Over a pair 0.1-0.6 s apart the two are of a size, and
the few corners on the wall are outvoted; over 1.3-2 s the zoom's displacement keeps growing while the
person's does not.  Why whole paths: a signer whose hands come back to where they were fits a
similarity between the first and the last frame as well as the wall does (on walk.mkv a RANSAC on the
ends alone chose the hands, 3-7 px off the zoom in between), but not the path between.  Chaining
Lucas-Kanade step by step (STEP_DT) follows the growing displacement that one pyramidal LK jump would
lose.  As in :mod:`vj.focus.similar`, a real flythrough with depth is not one zoom: its corners
disagree, few stay on the hypothesis, and the other estimates decide.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .fit import FIT_RAMPS, Ramp
from .similar import SimilarFit

#: seconds either side of the keyframe that its corner tracks span (within the frames decoded)
LONG_REACH = 1.0
#: seconds between the frames the corners are followed through (LK jumps)
STEP_DT = 0.1
#: a track must span at least this long to say anything
MIN_SPAN = 0.6
#: corners followed, their minimum quality (relative to the best corner) and spacing (px).  A low
#: quality keeps the few corners on a plain wall (a monitor's, a panel's) beside a textured person.
#: 0.001 was tried: tune's milk-slow 4.2 -> 2.3 %, but on the seen walk.mkv clips walk-drift-slow-2
#: 3.6 -> 10.7 % and walk-slow-3 2.0 -> 7.2 % (more corners on the signer, and a wrong consensus)
CORNERS = 600
CORNER_QUALITY = 0.003
CORNER_SPACING = 4
LK_WIN = (15, 15)
LK_LEVELS = 2
#: px a corner may miss its start when followed back over one step
FB_PX = 0.5
#: px a corner may miss the zoom at any frame of its track (one LK step errs ~0.1-0.3 px; chained over
#: 10-15 steps the wall's corners on walk.mkv stayed within 1.5 px, a signer's returning hands not)
PATH_PX = 1.5
#: path RANSAC: hypotheses (two tracks each), and the least distance between a hypothesis's two tracks (px)
RANSAC_TRIES = 400
MIN_PAIR_PX = 20.0
#: tracks needed after following for a fit at all
MIN_TRACKS = 12
#: confidence ramps besides the dense fit's rate and inside ramps: the share of followed corners on the
#: zoom at every frame, and their number.  On walk.mkv (seen held-out clips) the wall keeps only 7-14 of
#: 60-90 followed corners over 2 s (5-20 %), and they placed the focus within 1-2 % of the truth; still shots
#: read a rate of 0.000/s, so the rate ramp, not these, keeps them at the centre
INLIER_SHARE = Ramp(0.03, 0.1)
INLIERS = Ramp(4.0, 10.0)
#: where the inliers are a minority of the followed corners (share under MINORITY: something else in the picture
#: moves another way), the median distance the zoom moved them (its ``reach``: |a - 1| times their distance from
#: the focus, px at the analysis size) in units of PATH_PX.  Tracks that moved only a couple of PATH_PX fit a zoom
#: about any point near them, and a nearly still part of a person near the focus then passes for the camera: its
#: own drift of a px or two (under PATH_PX, so it stays an inlier) moves the focus by that over |a - 1|, whatever
#: the number of tracks.  Seen (round focus10, docs/notes/focus10-geom.py, the 148 seen signer and compressed
#: items): walk-drift-crushed-10 at 0.48 s, 27 inliers (share 0.27) huddled on the signer's chin and a door frame,
#: reach 3.4 px, the focus 6.4 % off at confidence 1.00 with a spread of 0.7 %; walk-slow-crushed-11 (3.8 px, 7.0 %
#: off), walk-drift-slow-4 (4.7 px, 5.5 % off).  Right ones reach 6.1-38 px but one (walk-slow-7 at 2.41 s, 3.9 px,
#: 0.9 % off; its neighbour 1 s before is placed as well and it borrows that).  Where the inliers are most of the
#: corners (bottles-slow-crushed-8: share 0.69-0.91, reach 2.7-4.6 px, 1.2-1.7 % off) nothing else moves, and the
#: ramp does not apply
MINORITY = 0.5
REACH = Ramp(2.0, 4.0)


def _steps(frames: list[tuple[float, np.ndarray]]) -> list[int]:
    """Indices of frames about STEP_DT apart, from the first to the last."""
    out = [0]
    for i in range(1, len(frames)):
        if frames[i][0] - frames[out[-1]][0] >= STEP_DT - 1e-6 or i == len(frames) - 1:
            out.append(i)
    return out


def track_foe(frames: list[tuple[float, np.ndarray]], t: float) -> SimilarFit | None:
    """The focus near time ``t`` from corners followed through ``frames`` (time-ordered grey frames, the ones
    within LONG_REACH of ``t`` are used); None when the frames span too little or too few corners follow."""
    sel = [f for f in frames if abs(f[0] - t) <= LONG_REACH + 1e-6]
    if len(sel) < 3 or sel[-1][0] - sel[0][0] < MIN_SPAN:
        return None
    idx = _steps(sel)
    first = sel[idx[0]][1]
    h, w = first.shape[:2]
    pts = cv2.goodFeaturesToTrack(first, CORNERS, CORNER_QUALITY, CORNER_SPACING, blockSize=5)
    if pts is None or len(pts) < MIN_TRACKS:
        return None
    path = [pts[:, 0].astype(np.float64)]
    alive = np.ones(len(pts), bool)
    cur = pts
    for i0, i1 in zip(idx, idx[1:]):
        a, b = sel[i0][1], sel[i1][1]
        nxt, st, _ = cv2.calcOpticalFlowPyrLK(a, b, cur, None, winSize=LK_WIN, maxLevel=LK_LEVELS)
        back, st2, _ = cv2.calcOpticalFlowPyrLK(b, a, nxt, None, winSize=LK_WIN, maxLevel=LK_LEVELS)
        ok = (st[:, 0] == 1) & (st2[:, 0] == 1) & (np.linalg.norm(back - cur, axis=2)[:, 0] < FB_PX)
        q = nxt[:, 0]
        ok &= (q[:, 0] >= 0) & (q[:, 0] <= w - 1) & (q[:, 1] >= 0) & (q[:, 1] <= h - 1)
        alive &= ok
        path.append(q.astype(np.float64))
        cur = nxt
    if alive.sum() < MIN_TRACKS:
        return None
    span = sel[idx[-1]][0] - sel[idx[0]][0]
    us = np.array([(sel[i][0] - sel[idx[0]][0]) / span for i in idx])
    z = np.stack([q[alive, 0] + 1j * q[alive, 1] for q in path], axis=1)  # tracks x steps, complex px
    a, f, keep = _ransac_paths(z, us)
    if a is None:
        return None
    spread = focus_error(z[keep], us, a, f) / w
    inliers = int(keep.sum())
    rate = math.log(max(abs(a), 1e-6)) / span
    x, y = f.real / w, f.imag / h
    share = inliers / int(alive.sum())
    margin = min(x, 1.0 - x, y, 1.0 - y)
    reach = float(np.median(np.abs(z[keep, 0] - f))) * abs(a - 1)
    conf = FIT_RAMPS["rate"](rate) * FIT_RAMPS["inside"](margin) * INLIER_SHARE(share) * INLIERS(inliers)
    if share < MINORITY:
        conf *= REACH(reach / PATH_PX)
    return SimilarFit(min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0), conf, rate, share, inliers, spread, reach)


def focus_error(z: np.ndarray, us: np.ndarray, a: complex, f: complex) -> float:
    """Standard error (px) of the focus fitted to the inlier tracks ``z`` (tracks x steps) under the zoom ``a``
    about ``f``: their median path residual over the square root of their number and the zoom's |a - 1| (the
    focus is where the displacements vanish, so a weak zoom places it loosely), grown by how far the focus lies
    from the inliers' centroid in units of their spread (an extrapolation from a small patch)."""
    au = np.exp(np.log(a) * us)
    res = float(np.median(np.abs(f + (z[:, :1] - f) * au[None, :] - z).max(axis=1)))
    z0 = z[:, 0]
    m0 = z0.mean()
    rms = max(float(np.sqrt(np.mean(np.abs(z0 - m0) ** 2))), 1e-6)
    return res / (max(abs(1 - a), 1e-6) * math.sqrt(len(z))) * math.sqrt(1.0 + (abs(f - m0) / rms) ** 2)


def _predict(z0: np.ndarray, a: np.ndarray, f: np.ndarray, us: np.ndarray) -> np.ndarray:
    """Positions at times ``us`` (0..1 of the span) of points starting at ``z0`` under zooms ``a`` about ``f``
    (complex: a = s e^{i th}, so a^u = s^u e^{i u th}): hypotheses x tracks x steps."""
    au = np.exp(np.log(a)[:, None] * us[None, :])                    # hypotheses x steps
    return f[:, None, None] + (z0[None, :, None] - f[:, None, None]) * au[:, None, :]


def _ransac_paths(z: np.ndarray, us: np.ndarray) -> tuple[complex | None, complex, np.ndarray]:
    """RANSAC over whole paths: a zoom ``a`` about ``f`` from two tracks' ends, scored by the tracks that stay
    within PATH_PX of it at every step; then a least-squares refit on those.  A signer whose hands come back
    to where they were fits the ends, not the path between."""
    n = len(z)
    rng = np.random.default_rng(0)
    i, j = rng.integers(0, n, RANSAC_TRIES), rng.integers(0, n, RANSAC_TRIES)
    d0 = z[i, 0] - z[j, 0]
    ok = np.abs(d0) > MIN_PAIR_PX
    i, j, d0 = i[ok], j[ok], d0[ok]
    if not len(i):
        return None, 0j, np.zeros(n, bool)
    a = (z[i, -1] - z[j, -1]) / d0
    b = z[i, -1] - a * z[i, 0]
    good = np.abs(1 - a) > 1e-4
    a, b = a[good], b[good]
    if not len(a):
        return None, 0j, np.zeros(n, bool)
    f = b / (1 - a)
    err = np.abs(_predict(z[:, 0], a, f, us) - z[None, :, :]).max(axis=2)   # hypotheses x tracks
    inl = err < PATH_PX
    best = int(np.argmax(inl.sum(1)))
    keep = inl[best]
    if keep.sum() < 3:
        return None, 0j, keep
    # least squares on the kept tracks' ends: z1 = a z0 + b
    z0, z1 = z[keep, 0], z[keep, -1]
    m0, m1 = z0.mean(), z1.mean()
    a_ls = np.vdot(z0 - m0, z1 - m1) / max(np.vdot(z0 - m0, z0 - m0).real, 1e-9)
    if abs(1 - a_ls) <= 1e-4:
        return None, 0j, keep
    b_ls = m1 - a_ls * m0
    return complex(a_ls), complex(b_ls / (1 - a_ls)), keep


