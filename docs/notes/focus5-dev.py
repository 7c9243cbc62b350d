"""Round focus5, run from the repo root: before (git REV) / now on seen corpus items: per-item error and source, changed ones listed, summary per group.
usage: dev.py REV SELECT...   (SELECT: a group name, 'crushed', 'walk', 'slow', 'still', or an item name)"""
import sys, statistics, pickle
from pathlib import Path
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
from focus import estimator_at, score
from vj.focus.estimate import estimate_focus
rev, sel = sys.argv[1], sys.argv[2:]
def want(i):
    if i.group in ("held-out-7", "held-out-21"): return False  # held-out-21: round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15)
    return any(s == i.group or s == i.name or (s == "crushed" and i.crf > 20) or (s == "walk" and i.source == "walk.mkv")
               or (s == "slow" and i.forward and i.rate is not None and i.rate < 0.16) or (s == "still" and not i.forward) for s in sel)
items = [i for i in fc.ITEMS if want(i)]
memo = Path(f"/tmp/focus5_before_{rev}.pkl")
old = pickle.loads(memo.read_bytes()) if memo.exists() else {}
before = None
rows = []
for it in items:
    path = fc.make(it, CACHE / "focus-corpus"); tr = fc.truth(it)
    if it.name not in old:
        before = before or estimator_at(rev)
        old[it.name] = score(it.name, it.group, it.motion, path, it.size, it.seconds, lambda t, tr=tr: tr.at(t), before)
        memo.write_bytes(pickle.dumps(old))
    b = old[it.name]
    a = score(it.name, it.group, it.motion, path, it.size, it.seconds, lambda t, tr=tr: tr.at(t), estimate_focus)
    rows.append((it, b, a))
    f = lambda r: (f"{r.mean*100:6.2f}%" if r.mean is not None else "   -   ") + f" {r.source[:4]} {r.confidence:.2f}" + ("" if r.ok else " FAIL")
    mark = "" if (b.mean is None or abs(b.mean - a.mean) < 0.0005) and b.source == a.source else "  <--"
    print(f"{it.name:32s} {it.group:11s} {f(b):22s} -> {f(a):22s} {b.seconds:.2f}/{a.seconds:.2f}s{mark}", flush=True)
for g in sorted({i.group for i, _, _ in rows}) + ["ALL"]:
    rs = [(b, a) for i, b, a in rows if g in (i.group, "ALL")]
    fb = [b.mean for b, a in rs if b.mean is not None]; fa = [a.mean for b, a in rs if a.mean is not None]
    okb = sum(b.ok for b, a in rs); oka = sum(a.ok for b, a in rs)
    if fb:
        print(f"{g:11s} n{len(fb):3d} median {statistics.median(fb)*100:.2f} -> {statistics.median(fa)*100:.2f} %  max {max(fb)*100:.2f} -> {max(fa)*100:.2f} %  >8%: {sum(x>0.08 for x in fb)} -> {sum(x>0.08 for x in fa)}  ok {okb} -> {oka} of {len(rs)}")
    else:
        print(f"{g:11s} stills ok {okb} -> {oka} of {len(rs)}")
