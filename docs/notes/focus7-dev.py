"""Round focus7: the _corroborate rule tried as variants on cached keyframes (seen sets; held-out-8 refused).
Caches each item's keyframes before _borrow (out/keys), then applies the variant and _borrow and scores as
bench/focus.py does.  Run from the repo root: .venv/bin/python docs/notes/focus7-dev.py
"fired" lists (t, long conf, long to neighbour, own to long, own to neighbour, own conf); distances in widths."""
import math, pickle, statistics, sys
from dataclasses import replace
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import vj.focus.estimate as E
from vj.focus.track import focus_at, resolve, round_key
KEYS = CACHE.parent / "keys"
KEYS.mkdir(parents=True, exist_ok=True)
items = [i for i in fc.ITEMS if i.group not in ("held-out-8", "held-out-21")]  # held-out-21: round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15)
assert not any(i.group in ("held-out-8", "held-out-21") for i in items)

def raw_keys(it):
    p = KEYS / f"{it.name}.pkl"
    if p.exists():
        return pickle.loads(p.read_bytes())
    orig = E.borrow, getattr(E, "corroborate", None)
    E.borrow = lambda ks: ks  # the keyframes as main measured them (before both neighbour rules)
    E.corroborate = lambda ks, size: ks
    try:
        est = E.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    finally:
        E.borrow, E.corroborate = orig
    ks = list(est.keys)
    p.write_bytes(pickle.dumps(ks))
    return ks

def score(it, keys):
    track = tuple(round_key((k.t, k.fit.x, k.fit.y, k.fit.confidence)) for k in keys)
    res = resolve(None, track)
    if not it.forward:
        return res, None
    tr = fc.truth(it)
    ers = [fc.error(focus_at(res.follow, t) if res.follow else res.focus, tr.at(t), it.size)
           for t in np.arange(0, it.seconds, 0.1)]
    return res, float(np.mean(ers))

def run(post=lambda ks: ks, verbose=False):
    out = {}
    for it in items:
        ks = E.borrow(post(raw_keys(it)))
        out[it.name] = (it, *score(it, ks))
    return out


MIN = 0.5

def apart(a, b, size):
    w, h = size
    return math.hypot((a.x - b.x) * w, (a.y - b.y) * h) / w

def corroborate(keys, size, weak=0.0, near_d=0.04, far_d=0.08, rate_agree=1.5, log=None, adjacent=True):
    out = list(keys)
    for i, k in enumerate(keys):
        L = k.long
        if L is None or L.confidence >= MIN or L.confidence <= weak:
            continue
        c = k.fit
        if not (c.rate > 0 and L.rate > 0 and max(c.rate, L.rate) <= rate_agree * min(c.rate, L.rate)):
            continue
        nbrs = [keys[j] for j in (i - 1, i + 1) if 0 <= j < len(keys)] if adjacent else [keys[j] for j in range(len(keys)) if j != i]
        nbrs = [n for n in nbrs if n.fit.confidence >= MIN]
        agree = [n for n in nbrs if apart(n.fit, L, size) <= near_d]
        if not agree:
            continue
        n = min(agree, key=lambda n: apart(n.fit, L, size))
        if apart(c, L, size) <= far_d or apart(c, n.fit, size) <= far_d:
            continue
        if log is not None:
            log.append((k.t, L.confidence, apart(n.fit, L, size), apart(c, L, size), apart(c, n.fit, size), c.confidence))
        out[i] = replace(k, fit=replace(c, x=L.x, y=L.y, confidence=max(c.confidence, MIN)), dense=k.dense or c)
    return out

base = run()
def summ(res):
    out = {}
    for name, (it, r, err) in res.items():
        g = out.setdefault(it.group, {"e": [], "still": 0, "ns": 0})
        if err is None:
            g["ns"] += 1; g["still"] += r.source == "default"
        else:
            g["e"].append(err)
    return {g: (statistics.median(v["e"]), max(v["e"]), sum(e > .08 for e in v["e"]), v["still"], v["ns"]) for g, v in out.items()}
sb = summ(base)
variants = {
 "w0 n4 f8": dict(weak=0.0, near_d=0.04, far_d=0.08),
 "w0 n4 f4": dict(weak=0.0, near_d=0.04, far_d=0.04),
 "w0 n6 f6": dict(weak=0.0, near_d=0.06, far_d=0.06),
 "w.2 n4 f8": dict(weak=0.2, near_d=0.04, far_d=0.08),
 "w0 n4 f8 norate": dict(weak=0.0, near_d=0.04, far_d=0.08, rate_agree=99),
}
for vn, kw in variants.items():
    log = []
    res = {}
    for it in items:
        l2 = []
        ks = E.borrow(corroborate(raw_keys(it), it.size, log=l2, **kw))
        if l2: log.append((it.name, l2))
        res[it.name] = (it, *score(it, ks))
    s = summ(res)
    print("==", vn)
    for name, l2 in log:
        print("  fired", name, [tuple(round(x, 3) for x in e) for e in l2], f"{(base[name][2] or 0)*100:.2f} -> {(res[name][2] or 0)*100:.2f}", base[name][1].source, res[name][1].source)
    for g in sb:
        if sb[g] != s[g]:
            print("  ", g, [f"{x*100:.2f}" if isinstance(x, float) else x for x in sb[g]], "->", [f"{x*100:.2f}" if isinstance(x, float) else x for x in s[g]])
print("base")
for g in sb: print("  ", g, [f"{x*100:.2f}" if isinstance(x, float) else x for x in sb[g]])
