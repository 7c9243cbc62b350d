"""Round focus12: per keyframe of every seen corpus item (held-out-21 refused since round focus21), the dense fit of each of its frame
pairs alone, and how far each lies from the keyframe's pooled dense fit (vj.focus.fit.split_apart's measure), beside
the pooled fit's error.  Run from the repo root at the estimator before the SPLIT_APART rule (main 5f20beb) to see the
fits the rule judges: .venv/bin/python docs/notes/focus12-split.py [item or group ...]
Prints the confident dense fits sorted by the least per-pair distance (the rule's statistic)."""
import sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
from vj.focus import estimate as E
from vj.focus.fit import fit_foe
from vj.focus.neighbours import apart

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15, held-out-14 in focus13, held-out-13 in focus12)
cap = {}
orig = E.pool_unsure


def spy(keys, samples, size, **kw):  # each keyframe's dense samples, as its kept fit saw them
    cap["s"], cap["size"] = list(samples), size
    return orig(keys, samples, size, **kw)


E.pool_unsure = spy
sel = sys.argv[1:]
rows = []
for it in fc.ITEMS:
    if it.group == REFUSED or (sel and not any(s == it.name or s == it.group for s in sel)):
        continue
    est = E.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    tr, size = fc.truth(it), cap["size"]
    n = len(range(E.BORDER, size[1] - E.BORDER, E.STEP)) * len(range(E.BORDER, size[0] - E.BORDER, E.STEP))
    for k, s in zip(est.keys, cap["s"]):
        f = s.fit
        if f.confidence < 0.5:
            continue
        per = [fit_foe(s.points[j * n:(j + 1) * n], s.flow[j * n:(j + 1) * n], s.weight[j * n:(j + 1) * n], size, s.gap)
               for j in range(len(s.points) // n)]
        t = tr.at(k.t) if it.forward else None
        err = f"{fc.error((f.x, f.y), t, it.size) * 100:5.1f}%" if t else "still "
        d = [apart(p, f, size) for p in per]
        rows.append((min(d), f"{it.name:32s} {it.group:12s} t{k.t:.2f} dense c{f.confidence:.2f} err {err} | pairs "
                             + " ".join(f"{a * 100:5.1f}% c{p.confidence:.2f}" for a, p in zip(d, per))))
for m, line in sorted(rows, key=lambda r: -r[0]):
    print(f"min {m * 100:5.1f}%  {line}")
