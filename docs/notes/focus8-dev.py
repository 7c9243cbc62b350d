"""Round focus8: keyframes of seen corpus items cached before both neighbour rules (out/keys8), then rules tried
on them and scored as bench/focus.py does.  held-out-9 is refused.  Run from the repo root:
.venv/bin/python docs/notes/focus8-dev.py [names...]   (no names: every seen item)."""
import math, pickle, statistics, sys
from dataclasses import replace
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import vj.focus.estimate as E
from vj.focus.track import focus_at, resolve, round_key
KEYS = CACHE.parent / "keys8"
KEYS.mkdir(parents=True, exist_ok=True)
REFUSED = "held-out-9"
items = [i for i in fc.ITEMS if i.group not in (REFUSED, "held-out-21")]  # held-out-21: round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15)
assert not any(i.group in (REFUSED, "held-out-21") for i in items)


def raw_keys(it):
    p = KEYS / f"{it.name}.pkl"
    if p.exists():
        return pickle.loads(p.read_bytes())
    orig = E.borrow, E.corroborate
    E.borrow = lambda ks: ks
    E.corroborate = lambda ks, size: ks
    try:
        est = E.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    finally:
        E.borrow, E.corroborate = orig
    ks = list(est.keys)
    p.write_bytes(pickle.dumps((est.size, ks)))
    return est.size, ks


def score(it, keys):
    track = tuple(round_key((k.t, k.fit.x, k.fit.y, k.fit.confidence)) for k in keys)
    res = resolve(None, track)
    if not it.forward:
        return res, None
    tr = fc.truth(it)
    ers = [fc.error(focus_at(res.follow, t) if res.follow else res.focus, tr.at(t), it.size)
           for t in np.arange(0, it.seconds, 0.1)]
    return res, float(np.mean(ers))


def run(post, names=None):
    """post(size, keys) -> keys (before borrow); {name: (item, resolved, error)}."""
    out = {}
    for it in items:
        if names and it.name not in names:
            continue
        size, ks = raw_keys(it)
        out[it.name] = (it, *score(it, E.borrow(post(size, ks))))
    return out


def summ(res):
    out = {}
    for name, (it, r, err) in res.items():
        g = out.setdefault(it.group, {"e": [], "still": 0, "ns": 0, "fol": 0})
        if err is None:
            g["ns"] += 1
            g["still"] += r.source == "default"
        else:
            g["e"].append(err)
            g["fol"] += r.source == "auto"
    return {g: (round(statistics.median(v["e"]) * 100, 2), round(max(v["e"]) * 100, 2),
                sum(e > .08 for e in v["e"]), v["fol"], len(v["e"]), v["still"], v["ns"]) for g, v in out.items()}


if __name__ == "__main__":
    names = sys.argv[1:]
    for it in items:
        if names and it.name not in names:
            continue
        size, ks = raw_keys(it)
        tr = fc.truth(it)
        print(f"== {it.name} {it.group} {it.motion} crf {it.crf} size {size}")
        for k in ks:
            t = tr.at(k.t) if it.forward else (0.5, 0.5)
            d = k.dense or k.fit
            def f(e):
                return "   -   " if e is None else f"({e.x:.3f},{e.y:.3f}) {fc.error((e.x, e.y), t, it.size)*100:5.1f}% c{e.confidence:.2f} r{e.rate:.3f}"
            print(f"  t {k.t:.2f} truth ({t[0]:.3f},{t[1]:.3f}) chosen {f(k.fit)} | dense {f(d)} | long {f(k.long)} | sim {f(k.similar)}")
