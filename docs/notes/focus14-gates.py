"""Round focus14 (trace only): docs/notes/focus13-gates.py with held-out-14 allowed (seen since round focus13), run on
every forward corpus item (not only the crushed ones), and each item's current error over the clip stored ("err")
beside its pooled fit's ("perr").  Writes out/focus14-forward.pkl; the still shots' pickle (out/focus14-still.pkl)
came from focus13-gates.py with REFUSED = "none" and the file name changed, selector "still".  Read by
docs/notes/focus14-poolrate.py.  Run from the repo root: .venv/bin/python docs/notes/focus14-gates.py"""
import pickle, statistics, sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import vj.focus.pooled as P
import vj.focus.estimate as E
from vj.focus.track import resolve, focus_at

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15, none in focus14)
sel = sys.argv[1:]
def want(i):
    return (not sel or i.name in sel or i.group in sel or ("crushed" in sel and i.crf > 20)
            or ("still" in sel and not i.forward))
items = [i for i in fc.ITEMS if i.group != REFUSED and want(i) and i.forward]
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
                        conf=res.confidence, size=est.size, err=float(np.mean([fc.error(focus_at(res.follow, t) if res.follow else res.focus, tr.at(t), it.size) for t in ts])))
    if f is not None:
        print(f"{it.name:32s} {'F' if it.forward else 'S'} crf {it.crf} {res.source:7s} "
              f"cop {statistics.fmean(k.copied for k in est.keys):.2f} pooled {perr*100:5.1f}% rate {f.rate:.3f} "
              f"others {f.others:.2f} agree {seen['agree']:.2f} -> {f.others * P.AGREEMENT(seen['agree']):.2f}", flush=True)
pickle.dump(out, open("out/focus14-forward.pkl", "wb"))
