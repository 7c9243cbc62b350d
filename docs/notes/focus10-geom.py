"""Round focus10: per keyframe of every seen corpus item (held-out-21 refused since round focus21), the long-baseline corner-track
estimate (vj.focus.tracks) with the geometry of its inlier tracks, the dense fit, and how well the dense flow field
agrees with each focus (the weighted share of the moving samples that point away from it: the dense fit's own
consistency measure, evaluated at the corner tracks' focus).  Writes out/focus10-geom.pkl.
Run from the repo root: .venv/bin/python docs/notes/focus10-geom.py [selector ...] (an item name or group; all)."""
import math, pickle, sys, time
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import vj.focus.estimate as E
import vj.focus.tracks as T
from vj.focus.fit import INLIER_SINE, MIN_FLOW_PX

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15, held-out-14 in focus13, held-out-13 in focus12, held-out-12 in focus11, held-out-11 before)
sel = sys.argv[1:]
def want(i):
    return (not sel or i.name in sel or i.group in sel or ("real" in sel and not i.source.endswith(".jpg"))
            or ("signer" in sel and i.source in ("walk.mkv", "milk.mkv")) or ("crushed" in sel and i.crf > 20))
items = [i for i in fc.ITEMS if i.group != REFUSED and want(i)]
assert not any(i.group == REFUSED for i in items)
cap, fits = [], []
orig = T._ransac_paths
def rp(z, us):
    r = orig(z, us); cap.append((z, us, r)); return r
T._ransac_paths = rp
orig_fit = E.fit_foe
def ff(points, flow, weight, size, dt, seed=0):
    r = orig_fit(points, flow, weight, size, dt, seed); fits.append(((points, flow, weight, size, dt), r)); return r
E.fit_foe = ff
calls, kfits = [], []
orig_tf = E.track_foe
def tf(run, t):
    n = len(cap); out = orig_tf(run, t); calls.append(cap[n] if len(cap) > n else None)
    kfits.append(list(fits)); fits.clear(); return out
E.track_foe = tf
E.borrow = lambda ks, **_: ks
E.corroborate = lambda ks, size: ks


def cons_at(args, ex, ey):
    """Weighted share of moving samples pointing away from (ex, ey) (normalised) within INLIER_SINE."""
    points, flow, weight, (w, h), dt = args
    mag = np.hypot(flow[:, 0], flow[:, 1])
    mov = (mag > MIN_FLOW_PX) & (weight > 0)
    if mov.sum() < 10:
        return 0.0
    p = points[mov].astype(float); f = flow[mov].astype(float); wt = weight[mov]
    r = p - np.array([ex * w, ey * h])
    d = np.maximum(np.hypot(r[:, 0], r[:, 1]), 1e-6)
    cross = (r[:, 0] * f[:, 1] - r[:, 1] * f[:, 0]) / (d * mag[mov])
    ok = (np.abs(cross) < INLIER_SINE) & ((r * f).sum(1) > 0)
    return float(wt[ok].sum() / wt.sum())


def make(it):
    for _ in range(10):
        try:
            return fc.make(it, CACHE / "focus-corpus")
        except FileNotFoundError:
            time.sleep(2)
    return fc.make(it, CACHE / "focus-corpus")


rows = []
for it in items:
    cap.clear(); calls.clear(); kfits.clear(); fits.clear()
    est = E.estimate_focus(make(it))
    tr = fc.truth(it)
    w, h = est.size
    for k, c, fl in zip(est.keys, calls, kfits):
        t = tr.at(k.t) if it.forward else (0.5, 0.5)
        d = k.dense or k.fit
        row = dict(item=it.name, group=it.group, forward=it.forward, crf=it.crf, src=it.source, t=k.t, size=(w, h),
                   truth=t, chosen=(k.fit.x, k.fit.y, k.fit.confidence, k.fit.rate), copied=k.copied,
                   dense=(d.x, d.y, d.confidence, d.rate, d.consistency),
                   err_chosen=fc.error((k.fit.x, k.fit.y), t, it.size), err_dense=fc.error((d.x, d.y), t, it.size))
        # the dense fit's flow: the call whose result is the dense fit (else the last one)
        args = next((a for a, r in fl if abs(r.x - d.x) < 1e-9 and abs(r.y - d.y) < 1e-9), fl[-1][0] if fl else None)
        if args is not None:
            row.update(cons_dense=cons_at(args, d.x, d.y), cons_truth=cons_at(args, *t), cons_centre=cons_at(args, .5, .5))
        L = k.long
        if L is not None and c is not None and c[2][0] is not None:
            z, us, (a, f, keep) = c
            zi = z[keep]; z0 = zi[:, 0]; m0 = z0.mean()
            row.update(long=(L.x, L.y, L.confidence, L.rate, L.share, L.inliers, L.spread),
                       err_long=fc.error((L.x, L.y), t, it.size), n_alive=len(z),
                       rms=float(np.sqrt(np.mean(np.abs(z0 - m0) ** 2))), sx=float(np.std(z0.real)),
                       sy=float(np.std(z0.imag)), fdist=float(abs(f - m0)), a1=float(abs(1 - a)),
                       z=z, us=us, keep=keep, a=a, f=f)
            if args is not None:
                row["cons_long"] = cons_at(args, L.x, L.y)
        rows.append(row)
    print(it.name, flush=True)
out = CACHE.parent / "focus10-geom.pkl"
out.write_bytes(pickle.dumps(rows))
print("wrote", out, len(rows))
