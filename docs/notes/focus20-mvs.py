"""Round focus20: what H.264's own motion vectors say about the heading, per seen corpus item (held-out-21 refused).

Every frame is decoded with ``flags2=+export_mvs``; each exported block vector is turned into a flow sample at the
block's centre, pointing forward in time (a past reference's vector dst - src, a future reference's src - dst; read
from motion_x / motion_scale, quarter-pel, since src_x is rounded to a whole px), and the clip's samples (every frame
pooled, one weight per 16x16 px of block) are fitted by vj.focus.fit.fit_foe at the coded size with dt = 1/fps (the
reference distance is not exported, so the rate reads the one-frame distance). Per clip: vectors per frame, the share
that are zero, the pooled fit (x, y, confidence, rate, consistency) and its error against the truth (every 0.1 s,
mean, as bench/focus.py); then the same fit on the non-zero vectors alone (the skipped blocks are exported with a
zero vector); for still shots the confidences (must stay low).
Pickled to out/focus20-mvs-TAG.pkl.  Run from the repo root:
.venv/bin/python docs/notes/focus20-mvs.py TAG [NAME|GROUP|crushed|still ...]"""
import pickle, sys, time
sys.path.insert(0, "bench")
import av
import numpy as np
import focus_corpus as fc
from common import CACHE
from vj.focus.fit import fit_foe

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20)
tag, sel = sys.argv[1], sys.argv[2:]
def want(i):
    return (not sel or i.name in sel or i.group in sel or ("crushed" in sel and i.crf > 20)
            or ("still" in sel and not i.forward))
items = [i for i in fc.ITEMS if i.group != REFUSED and want(i)]
assert not any(i.group == REFUSED for i in items)


def vectors(path):
    """(points, flow, weight, frames, per-frame counts, zero share) of every exported vector of the clip."""
    c = av.open(str(path))
    s = c.streams.video[0]
    s.codec_context.options = {"flags2": "+export_mvs"}
    pts, fl, wt, counts, zeros = [], [], [], [], 0
    n = 0
    for fr in c.decode(s):
        n += 1
        sd = fr.side_data.get("MOTION_VECTORS") if hasattr(fr.side_data, "get") else None
        if sd is None:
            counts.append(0)
            continue
        a = sd.to_ndarray()
        counts.append(len(a))
        sign = -np.sign(a["source"]).astype(np.float64)  # past (-1): dst - src; future (+1): src - dst
        # src = dst + motion / motion_scale, at the vector's own sub-pel precision (src_x is rounded to a px)
        m = np.stack([a["motion_x"], a["motion_y"]], 1).astype(np.float64) / a["motion_scale"][:, None]
        d = -m * sign[:, None]
        zeros += int((np.abs(d).sum(1) == 0).sum())
        pts.append(np.stack([a["dst_x"], a["dst_y"]], 1).astype(np.float64))
        fl.append(d)
        wt.append(a["w"].astype(np.float64) * a["h"] / 256.0)
    fps = float(s.average_rate or 30)
    size = (s.codec_context.width, s.codec_context.height)
    c.close()
    if not pts:
        return None
    return np.concatenate(pts), np.concatenate(fl), np.concatenate(wt), n, counts, zeros, fps, size


res = {}
for it in items:
    t0 = time.time()
    path = fc.make(it, CACHE / "focus-corpus")
    v = vectors(path)
    if v is None:
        print(it.name, "no vectors"); continue
    p, f, w, n, counts, zeros, fps, size = v
    fit = fit_foe(p, f, w, size, 1.0 / fps)
    nz = np.abs(f).sum(1) > 0  # the vectors the encoder coded as moving, fitted alone (their own "moving" is 1)
    nzfit = fit_foe(p[nz], f[nz], w[nz], size, 1.0 / fps)
    err = None
    if it.forward:
        tr = fc.truth(it)
        errs = [fc.error((fit.x, fit.y), tr.at(float(t)), it.size) for t in np.arange(0.0, it.seconds, 0.1)]
        err = float(np.mean(errs))
    nzerr = None
    if it.forward:
        nzerr = float(np.mean([fc.error((nzfit.x, nzfit.y), tr.at(float(t)), it.size)
                               for t in np.arange(0.0, it.seconds, 0.1)]))
    res[it.name] = dict(group=it.group, motion=it.motion, crf=it.crf, rate=it.rate, frames=n,
                        per_frame=float(np.mean(counts)), zero=zeros / max(len(p), 1), fit=fit, err=err,
                        nonzero=int(nz.sum()), nzfit=nzfit, nzerr=nzerr)
    print(f"{it.name:34s} {it.group:11s} {it.motion:8s} crf{it.crf} vec/f {np.mean(counts):6.0f} zero {zeros / len(p):.2f} "
          f"fit ({fit.x:.3f},{fit.y:.3f}) conf {fit.confidence:.2f} rate {fit.rate:.3f} cons {fit.consistency:.2f} "
          f"mov {fit.moving:.2f} err {'' if err is None else f'{100 * err:.2f} %'} | nonzero {int(nz.sum())} "
          f"({nzfit.x:.3f},{nzfit.y:.3f}) conf {nzfit.confidence:.2f} rate {nzfit.rate:.3f} cons {nzfit.consistency:.2f} "
          f"err {'' if nzerr is None else f'{100 * nzerr:.2f} %'} [{time.time() - t0:.1f}s]", flush=True)
pickle.dump(res, open(f"out/focus20-mvs-{tag}.pkl", "wb"))
