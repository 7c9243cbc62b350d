"""Round focus12: was pooled.consistency_at bit-identical to fit_foe's own inlier count?  Run at 5f20beb/b5f84a7 (before
the two shared fit.expanding_share): on the dense samples of every keyframe of the seen compressed and walk.mkv items
(held-out-21 refused since round focus21), at three foci each (the keyframe's own, the centre, (0.3, 0.6)), consistency_at (px, no floor)
against fit_foe's way (units of the longer side, the distance to e floored at NEAR, and with no floor).
Run from the repo root: .venv/bin/python docs/notes/focus12-share.py"""
import sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
from vj.focus import estimate as E, pooled as P
from vj.focus.fit import INLIER_SINE, MIN_FLOW_PX, NEAR, _lines

cap = {}
orig = E.pool_unsure


def spy(keys, samples, size, **kw):
    cap["s"], cap["size"] = list(samples), size
    return orig(keys, samples, size, **kw)


E.pool_unsure = spy


def fit_way(s, x, y, size, near):
    w, h = size
    scale = float(max(w, h))
    mag = np.hypot(s.flow[:, 0], s.flow[:, 1])
    mov = (mag > MIN_FLOW_PX) & (s.weight > 0)
    if not mov.any():
        return 0.0
    p = s.points[mov].astype(np.float64) / scale
    u = s.flow[mov].astype(np.float64) / scale / mag[mov, None] * scale
    wt = s.weight[mov].astype(np.float64)
    e = np.array([x, y]) * (np.array([w, h], np.float64) / scale)
    n, c = _lines(u, p, 0.0)
    r = p - e
    dist = np.maximum(np.hypot(r[:, 0], r[:, 1]), near)
    sine = (n @ e - c) / dist
    radial = n[:, 1] * r[:, 0] - n[:, 0] * r[:, 1] > 0
    return float(wt[(np.abs(sine) < INLIER_SINE) & radial].sum() / wt.sum())


count, same = 0, {"NEAR": 0, "none": 0}
worst = {"NEAR": 0.0, "none": 0.0}
for it in fc.ITEMS:
    if it.group == "held-out-21" or (it.crf <= 20 and it.source != "walk.mkv"):
        continue
    E.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    for s in cap["s"]:
        for x, y in ((s.fit.x, s.fit.y), (0.5, 0.5), (0.3, 0.6)):
            a = P.consistency_at(s, x, y, cap["size"])
            count += 1
            for name, near in (("NEAR", NEAR), ("none", 1e-9 / max(cap["size"]))):
                b = fit_way(s, x, y, cap["size"], near)
                same[name] += a == b
                worst[name] = max(worst[name], abs(a - b))
for name in same:
    print(f"floor {name}: {same[name]}/{count} bit-identical, largest difference {worst[name]:.6f}")
