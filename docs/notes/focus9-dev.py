"""Round focus9: main's estimator and the working tree's on the seen items a selector picks (never held-out-10),
clip by clip; main's rows cached in /tmp/f9/main_rows.pkl.  Run from the repo root:
.venv/bin/python docs/notes/focus9-dev.py crushed parking   (selectors: all, a group, an item, crushed, parking, still)"""
import sys, pickle, os
sys.path.insert(0, "bench")
import focus as fb
import focus_corpus as fc
from common import CACHE
os.makedirs("/tmp/f9", exist_ok=True)
cache = "/tmp/f9/main_rows.pkl"
sel = sys.argv[1:]
def want(i):
    return any(s == "all" or s == i.group or s == i.name or (s == "crushed" and i.crf > 20) or (s == "parking" and i.source == "parking.mp4")
               or (s == "still" and not i.forward) for s in sel)
items = [i for i in fc.ITEMS if want(i) and i.group not in ("held-out-10", "held-out-21")]  # held-out-21: round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15)
assert not any(i.group in ("held-out-10", "held-out-21") for i in items)
old = pickle.load(open(cache, "rb")) if os.path.exists(cache) else {}
before = None
changed = 0
for it in items:
    path = fc.make(it, CACHE / "focus-corpus")
    tr = fc.truth(it)
    if it.name not in old:
        before = before or fb.estimator_at("main")
        old[it.name] = fb.score(it.name, it.group, it.motion, path, it.size, it.seconds, lambda t: tr.at(t), before)
        pickle.dump(old, open(cache, "wb"))
    n = fb.score(it.name, it.group, it.motion, path, it.size, it.seconds, lambda t: tr.at(t))
    o = old[it.name]
    f = lambda r: f"{r.source:7s} c{r.confidence:.2f} " + (f"{r.mean*100:5.2f}%" if r.mean is not None else "  -   ") + (" ok" if r.ok else " FAIL")
    same = (o.source, o.confidence, o.mean) == (n.source, n.confidence, n.mean)
    changed += not same
    print(f"{'  ' if same else '**'} {it.name:30s} {it.group:11s} main {f(o)} | now {f(n)}", flush=True)
print("changed", changed, "of", len(items))
