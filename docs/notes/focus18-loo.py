"""Round focus18: for every seen corpus item (held-out-21 refused) whose keyframes would reach pooling (the clip at the
centre, the encoder's copied share at least COPIED_SHARE), the clip's pooled dense fit (vj.focus.pooled) and each
leave-one-keyframe-out pooled fit: its clip error against the truth, rate, others and agreement, and whether it would
pass the pooling gates (POOL_RATE, others * AGREEMENT >= MIN_AGREE_CONF).  Writes out/focus18-loo.pkl.
Run from the repo root: .venv/bin/python docs/notes/focus18-loo.py [selector ...] (name or group) [--part I/N]"""
import pickle, statistics, sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import vj.focus.pooled as P
import vj.focus.estimate as E
from vj.focus.neighbours import MIN_AGREE_CONF, plays_at_centre

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18)
args = [a for a in sys.argv[1:] if not a.startswith("--part")]
part = next((a.split("=")[1] for a in sys.argv[1:] if a.startswith("--part=")), "0/1")
pi, pn = map(int, part.split("/"))
items = [i for i in fc.ITEMS if i.group != REFUSED and (not args or i.name in args or i.group in args)]
items = items[pi::pn]
assert not any(i.group == REFUSED for i in items)
seen = {}
orig = E.pool_unsure
def pool(keys, samples, size, **kw):
    seen.update(keys=list(keys), samples=list(samples), size=size)
    return orig(keys, samples, size, **kw)
E.pool_unsure = pool

def clip_err(it, f):
    tr, ts = fc.truth(it), np.arange(0, it.seconds, 0.1)
    return float(np.mean([fc.error(f, tr.at(t), it.size) for t in ts])) if it.forward else None

def gates(fit, agree):
    return bool(np.isfinite(fit.rate) and fit.rate >= P.POOL_RATE and fit.others * P.AGREEMENT(agree) >= MIN_AGREE_CONF)

rows = []
for it in items:
    seen.clear()
    est = E.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    keys, samples, size = seen.get("keys"), seen.get("samples"), seen.get("size")
    if not keys or len(samples) != len(keys) or len(keys) < 2 or not plays_at_centre(keys) or \
            statistics.fmean(k.copied for k in keys) < E.COPIED_SHARE:
        continue
    full, agree = P.pooled_fit(samples, size)
    r = dict(name=it.name, group=it.group, motion=it.motion, forward=it.forward, n=len(keys),
             conf=[k.fit.confidence for k in keys], full=(clip_err(it, (full.x, full.y)), full.rate, full.others, agree,
                                                          gates(full, agree)), loo=[])
    if len(keys) >= 3:
        for j in range(len(keys)):
            sub = samples[:j] + samples[j + 1:]
            f, a = P.pooled_fit(sub, size)
            r["loo"].append((j, clip_err(it, (f.x, f.y)), f.rate, f.others, a, gates(f, a)))
    rows.append(r)
    fe = r["full"]
    print(f"{it.name:36s} {it.group:12s} {it.motion:8s} conf " + "/".join(f"{c:.2f}" for c in r["conf"])
          + f" | full {'-' if fe[0] is None else f'{fe[0]*100:.1f}%'} rate {fe[1]:.3f} oth {fe[2]:.2f} agr {fe[3]:.2f} {'PASS' if fe[4] else ''}"
          + "".join(f" | -{j}: {'-' if e is None else f'{e*100:.1f}%'} r{ra:.3f} o{o:.2f} a{a:.2f}{' PASS' if g else ''}"
                    for j, e, ra, o, a, g in r["loo"]), flush=True)
pickle.dump(rows, open(f"out/focus18-loo-{pi}.pkl", "wb"))
