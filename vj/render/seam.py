"""The seam score of a zoom-through frame: how visible the emerging clip's border is.

``score = mean gradient magnitude on B's border / mean gradient magnitude of the picture around it``,
on the frame as it goes out (after motion blur).  B's border is the line where its mask (which the
compositor writes in the alpha channel) crosses one half; "around it" is a band either side of that
line.  1.0: the border is no more visible than the picture's ordinary edges; a hard rectangle of
other colours scores 3 and more.  Parts of the line on the screen's edge are not a seam and are
left out, and so are frames where B's border is too short to judge (B a few pixels wide, or filling
the screen).
"""

from __future__ import annotations

import cv2
import numpy as np

#: the frame is judged at this width at most (a projector's edges at 1080p are the same ones at 640)
WIDTH = 640
#: half-width of the band around the border, pixels at WIDTH: a few times the gradient's own reach
BAND = 10
#: border pixels needed for a score (B's outline at least ~ a 6 px square at WIDTH)
MIN_BORDER = 24


def _shrink(img: np.ndarray) -> np.ndarray:
    h, w = img.shape[:2]
    if w <= WIDTH:
        return img.astype(np.float32)
    return cv2.resize(img.astype(np.float32), (WIDTH, max(1, round(h * WIDTH / w))), interpolation=cv2.INTER_AREA)


def seam_score(luma: np.ndarray, mask: np.ndarray) -> float | None:
    """The score of one frame: ``luma`` (rows x columns, any range) and B's ``mask`` (same size, 0..1)."""
    y, m = _shrink(luma), _shrink(mask)
    gx = cv2.Sobel(y, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(y, cv2.CV_32F, 0, 1, ksize=3)
    grad = np.hypot(gx, gy)
    inside = (m >= 0.5).astype(np.uint8)
    # the border: pixels of either side that touch the other
    kernel = np.ones((3, 3), np.uint8)
    border = (cv2.dilate(inside, kernel) != cv2.erode(inside, kernel))
    edge = np.zeros_like(border)
    edge[2:-2, 2:-2] = True                  # the screen's own edge is not a seam
    border &= edge
    if int(border.sum()) < MIN_BORDER:
        return None
    b8 = border.astype(np.uint8)
    near = cv2.dilate(b8, np.ones((2 * BAND + 1, 2 * BAND + 1), np.uint8)).astype(bool)
    band = near & ~cv2.dilate(b8, np.ones((5, 5), np.uint8)).astype(bool) & edge
    if not band.any():
        return None
    around = float(grad[band].mean())
    return float(grad[border].mean()) / max(around, 1e-3)
