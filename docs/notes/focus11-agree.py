"""Round focus11: for every seen corpus item (held-out-21 refused since round focus21), the clip's pooled dense fit (vj.focus.pooled) made
whether or not the clip would be pooled: its error against the truth, rate, ramps, and the worst keyframe's
agreement with it, with the clip's median keyframe confidence and copied share before pooling.
Run from the repo root: .venv/bin/python docs/notes/focus11-agree.py [selector ...] (name, group, crushed, still)."""
import statistics, sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import vj.focus.pooled as P
import vj.focus.estimate as E

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15, held-out-14 in focus13, held-out-13 in focus12)
sel = sys.argv[1:]
def want(i):
    return (not sel or i.name in sel or i.group in sel or ("crushed" in sel and i.crf > 20)
            or ("still" in sel and not i.forward))
items = [i for i in fc.ITEMS if i.group != REFUSED and want(i)]
assert not any(i.group == REFUSED for i in items)
seen = {}
def pool(keys, samples, size, **_lines):
    fit, agree = P.pooled_fit(samples, size) if len(samples) >= 2 else (None, 0.0)
    seen.update(fit=fit, agree=agree, med=statistics.median(k.fit.confidence for k in keys),
                cop=statistics.fmean(k.copied for k in keys))
    return keys
E.pool_unsure = pool
for it in items:
    seen.clear()
    E.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    f = seen.get("fit")
    if f is None:
        print(f"{it.name:32s} no pooled fit"); continue
    tr = fc.truth(it)
    ts = np.arange(0, it.seconds, 0.1)
    err = float(np.mean([fc.error((f.x, f.y), tr.at(t) if it.forward else (0.5, 0.5), it.size) for t in ts]))
    print(f"{it.name:32s} {'F' if it.forward else 'S'} crf {it.crf} med {seen['med']:.2f} cop {seen['cop']:.2f} | "
          f"pooled {err*100:5.1f}% cons {f.consistency:.2f} rate {f.rate:.3f} others {f.others:.2f} "
          f"agree {seen['agree']:.2f} -> {f.others * P.AGREEMENT(seen['agree']):.2f}", flush=True)
