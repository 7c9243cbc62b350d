"""A second, independent focus estimate for slow push-ins: sparse corners tracked (pyramidal
Lucas-Kanade, both ways) between the two frames furthest apart in a keyframe's window, and one
similarity transform fitted to them by RANSAC (``cv2.estimateAffinePartial2D``).

A zoom by ``s`` about ``f`` (with a roll ``R``) maps ``x`` to ``s R x + (I - s R) f``, so with the
fitted ``x' = A x + t``, ``f = (I - A)^-1 t``.  RANSAC keeps the largest set of corners that move as
one rigid picture, so a person or a car moving on their own is left out instead of averaged in; this
is what the dense radial fit (:mod:`vj.focus.fit`) is weakest at when the expansion is slow (0.05-0.2
per second moves the frame's edge a few px over the whole window).  A real flythrough with depth is not
one similarity (near things grow faster than far ones); its corners then do not agree at the tight
RANSAC threshold and the confidence stays low, so the dense fit decides.  Used by
:mod:`vj.focus.estimate` only where the dense fit is slow or unsure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from .fit import FIT_RAMPS, Ramp

#: corners tracked per pair (goodFeaturesToTrack), their minimum quality and spacing (px)
CORNERS = 400
CORNER_QUALITY = 0.01
CORNER_SPACING = 5
#: LK window and pyramid: 0.7 s of a 0.2/s push-in moves the analysis frame's edge ~22 px
LK_WIN = (15, 15)
LK_LEVELS = 3
#: px a corner may miss its start when tracked back (forward-backward check)
FB_PX = 0.5
#: RANSAC: px a corner may miss the similarity and still count as moving with the picture
RANSAC_PX = 0.5
#: corners needed after the forward-backward check for a fit at all
MIN_CORNERS = 12
#: the confidence's ramps besides the dense fit's rate and inside ramps.  On the tuning set's slow
#: push-ins 50-95 % of the tracked corners were inliers (a signer in front of the camera: ~50 %);
#: on fast zooms LK loses most corners and the share falls to 15-35 %: those are the dense fit's
INLIER_SHARE = Ramp(0.35, 0.5)
INLIERS = Ramp(15.0, 40.0)


@dataclass(frozen=True, slots=True)
class SimilarFit:
    """Focus of a similarity fit, normalised to the analysed frame (0..1, y down)."""

    x: float
    y: float
    confidence: float
    rate: float         #: ln(scale) per second
    share: float        #: inliers / tracked corners
    inliers: int
    spread: float = 0.0  #: standard error of the focus from the inliers' path residuals and layout (share of the width)
    reach: float = 0.0   #: median px the zoom moved its inlier tracks (:mod:`vj.focus.tracks`; 0: not measured)


def similar_foe(a: np.ndarray, b: np.ndarray, dt: float) -> SimilarFit | None:
    """The focus of the similarity that maps grey frame ``a`` onto ``b`` (``dt`` seconds later); None when
    too few corners track."""
    h, w = a.shape[:2]
    pts = cv2.goodFeaturesToTrack(a, CORNERS, CORNER_QUALITY, CORNER_SPACING, blockSize=5)
    if pts is None or len(pts) < MIN_CORNERS or dt <= 0:
        return None
    nxt, st, _ = cv2.calcOpticalFlowPyrLK(a, b, pts, None, winSize=LK_WIN, maxLevel=LK_LEVELS)
    back, st2, _ = cv2.calcOpticalFlowPyrLK(b, a, nxt, None, winSize=LK_WIN, maxLevel=LK_LEVELS)
    ok = (st[:, 0] == 1) & (st2[:, 0] == 1) & (np.linalg.norm(back - pts, axis=2)[:, 0] < FB_PX)
    p, q = pts[ok, 0], nxt[ok, 0]
    if len(p) < MIN_CORNERS:
        return None
    # OpenCV's RANSAC draws from its own fixed-seed generator: the same corners give the same fit
    m, inl = cv2.estimateAffinePartial2D(p, q, method=cv2.RANSAC, ransacReprojThreshold=RANSAC_PX,
                                         maxIters=2000, confidence=0.999, refineIters=10)
    if m is None or inl is None:
        return None
    a2, t = m[:, :2], m[:, 2]
    scale = math.sqrt(max(float(np.linalg.det(a2)), 1e-12))
    rate = math.log(scale) / dt
    try:
        f = np.linalg.solve(np.eye(2) - a2, t)
    except np.linalg.LinAlgError:
        return None
    if not np.all(np.isfinite(f)):
        return None
    x, y = float(f[0]) / w, float(f[1]) / h
    inliers = int(inl.sum())
    share = inliers / len(p)
    margin = min(x, 1.0 - x, y, 1.0 - y)
    conf = FIT_RAMPS["rate"](rate) * FIT_RAMPS["inside"](margin) * INLIER_SHARE(share) * INLIERS(inliers)
    return SimilarFit(min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0), conf, rate, share, inliers)
