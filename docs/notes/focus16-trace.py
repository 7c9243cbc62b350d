"""Round focus16 (trace): for named seen corpus items (held-out-21 refused), the clip error of the track the estimator
makes, and of what-ifs that each undo one rule, to see which rule decides the clip: the centre; every keyframe's
final focus followed whatever the clip's median confidence (the median rule undone); the confident keyframes only
(each keyframe at or above MIN_CONFIDENCE, the clip followed even under the median line); each keyframe at its dense
fit where the corner tracks overruled it (vj.focus.estimate.combine_long undone); keyframes that borrowed at their
own fit again (vj.focus.neighbours.borrow undone).  The per-keyframe detail is docs/notes/focus14-trace.py's.
Run from the repo root: .venv/bin/python docs/notes/focus16-trace.py parking-drift-slow-crushed-16 walk-slow-crushed-16 book-slow-crushed-16"""
import sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
from vj.focus.estimate import estimate_focus
from vj.focus.track import MIN_CONFIDENCE, focus_at, resolve

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16)
items = [i for i in fc.ITEMS if i.name in sys.argv[1:] and i.group != REFUSED]
assert not any(i.group == REFUSED for i in items)


def err(follow, it):
    tr, ts = fc.truth(it), np.arange(0, it.seconds, 0.1)
    return np.mean([fc.error(focus_at(follow, t) if follow else (0.5, 0.5), tr.at(t), it.size) for t in ts]) * 100


for it in items:
    est = estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    res = resolve(None, est.track)
    keys = est.keys
    def kf(k, f=None):
        f = f or k.fit
        return (k.t, f.x, f.y, f.confidence)
    tracks = [kf(k, k.dense if (k.dense is not None and k.long is not None and (k.fit.x, k.fit.y) == (k.long.x, k.long.y)
                                and k.borrowed is None and k.pooled is None) else None) for k in keys]
    unborrowed = [kf(k, k.dense if k.borrowed is not None else None) for k in keys]
    print(f"== {it.name}: {res.source} conf {res.confidence:.2f}  keys "
          + " ".join(f"{k.t:.2f}:c{k.fit.confidence:.2f}{'/b' if k.borrowed is not None else ''}"
                     f"{'/p' if k.pooled is not None else ''}" for k in keys))
    print(f"   as made      {err(res.follow, it):6.2f} %")
    print(f"   centre       {err((), it):6.2f} %")
    print(f"   all keys     {err([kf(k) for k in keys], it):6.2f} %  (median rule undone, every keyframe followed)")
    sure = [kf(k) for k in keys if k.fit.confidence >= MIN_CONFIDENCE]
    print(f"   sure keys    {err(sure, it):6.2f} %  ({len(sure)} keyframes at or above {MIN_CONFIDENCE})")
    print(f"   dense kept   {err([k for k in tracks if k[3] >= MIN_CONFIDENCE], it):6.2f} %  (corner tracks' overrule undone)")
    ub = [k for k in unborrowed if k[3] >= MIN_CONFIDENCE]
    print(f"   no borrow    {err(ub, it) if sorted(k[3] for k in unborrowed)[len(keys)//2] >= MIN_CONFIDENCE else err((), it):6.2f} %"
          "  (borrowed keyframes at their own fit; centre if the median then falls under the line)")
