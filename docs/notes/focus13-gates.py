"""Round focus13: for every seen corpus item the encoder mostly copied or that is a still shot (held-out-21 refused since round focus21),
each keyframe as measured (dense fit, chosen fit, copied share, long-baseline and similarity estimates) and the
clip's pooled dense fit (vj.focus.pooled) made whether or not the clip would be pooled, with its worst keyframe's
agreement.  Question: which rate gate keeps a crushed push-in whose rate the encoder halved (parking-zoom-crushed-14,
0.135/s read at 0.062-0.081/s) out of pooling, and what still shots read there.  Writes out/focus13-gates.pkl.
Run from the repo root: .venv/bin/python docs/notes/focus13-gates.py [selector ...] (name, group, crushed, still)."""
import pickle, statistics, sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import vj.focus.pooled as P
import vj.focus.estimate as E
from vj.focus.track import resolve

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15, held-out-14 in focus13)
sel = sys.argv[1:]
def want(i):
    return (not sel or i.name in sel or i.group in sel or ("crushed" in sel and i.crf > 20)
            or ("still" in sel and not i.forward))
items = [i for i in fc.ITEMS if i.group != REFUSED and want(i)]
assert not any(i.group == REFUSED for i in items)
seen = {}
orig = E.pool_unsure
def pool(keys, samples, size, **lines):
    fit, agree = P.pooled_fit(samples, size) if len(samples) >= 2 else (None, 0.0)
    seen.update(fit=fit, agree=agree, keys=list(keys))
    return orig(keys, samples, size, **lines)
E.pool_unsure = pool
out = {}
for it in items:
    seen.clear()
    est = E.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    res = resolve(None, est.track)
    tr = fc.truth(it)
    ts = np.arange(0, it.seconds, 0.1)
    f = seen.get("fit")
    perr = None if f is None else float(np.mean([fc.error((f.x, f.y), tr.at(t) if it.forward else (0.5, 0.5), it.size) for t in ts]))
    out[it.name] = dict(item=it, pre=seen.get("keys"), keys=est.keys, fit=f, agree=seen.get("agree"), perr=perr,
                        truth=[tr.at(k.t) if it.forward else (0.5, 0.5) for k in est.keys], source=res.source,
                        conf=res.confidence, size=est.size)
    if f is not None:
        print(f"{it.name:32s} {'F' if it.forward else 'S'} crf {it.crf} {res.source:7s} "
              f"cop {statistics.fmean(k.copied for k in est.keys):.2f} pooled {perr*100:5.1f}% rate {f.rate:.3f} "
              f"others {f.others:.2f} agree {seen['agree']:.2f} -> {f.others * P.AGREEMENT(seen['agree']):.2f}", flush=True)
pickle.dump(out, open("out/focus13-gates.pkl", "wb"))
