"""Round focus5 (and focus7): per-keyframe trace of the focus estimate on seen corpus items (the unseen held-out
group refused: VJ_TRACE_REFUSE, held-out-21 by default since round focus21): each
estimate's error at the keyframe, confidence, rate and the share of samples the encoder copied ("cop").
Run from the repo root: .venv/bin/python docs/notes/focus5-trace.py vj.focus.estimate crushed walk
(selectors: a group, an item name, 'crushed', 'walk', 'still')."""
import os, sys, importlib
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
from vj.focus.track import focus_at, resolve
mod = importlib.import_module(sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "vj.focus.estimate")
names = [a for a in sys.argv[2:]]
def want(i):
    return any(s == i.group or s == i.name or (s == "crushed" and i.crf > 20) or (s == "walk" and i.source == "walk.mkv")
               or (s == "still" and not i.forward) for s in names)
refused = os.environ.get("VJ_TRACE_REFUSE", "held-out-21")
items = [i for i in fc.ITEMS if want(i) and i.group != refused]
assert not any(i.group == refused for i in items)
def e(f, tr, size):
    return "   -  " if f is None else f"{fc.error((f.x, f.y), tr, size)*100:5.1f}%"
errs = {}
for it in items:
    est = mod.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    tr = fc.truth(it)
    res = resolve(None, est.track)
    if it.forward:
        ers = [fc.error(focus_at(res.follow, t) if res.follow else res.focus, tr.at(t), it.size) for t in np.arange(0, it.seconds, 0.1)]
        err = float(np.mean(ers)); errs[it.name] = err
    else:
        err = None
    print(f"== {it.name} ({it.group}, {it.motion}, rate {fc.motion(it).rate:.3f}, crf {it.crf}) source {res.source} "
          f"conf {res.confidence:.2f} err {'-' if err is None else f'{err*100:.2f} %'}  {est.seconds:.2f}s")
    for k in est.keys:
        t = tr.at(k.t) if it.forward else (0.5, 0.5)
        d = k.dense or k.fit
        print(f"  t {k.t:4.2f} gap {k.gap:.2f} cop {getattr(k, 'copied', 0):.2f} chosen {e(k.fit, t, it.size)} c{k.fit.confidence:.2f} | dense {e(d, t, it.size)} "
              f"c{d.confidence:.2f} cons {d.consistency:.2f} rate {d.rate:.3f} mov {d.moving:.2f} spr {d.spread:.2f} | "
              f"sim {e(k.similar, t, it.size)} c{(k.similar.confidence if k.similar else 0):.2f} | "
              f"long {e(k.long, t, it.size)} c{(k.long.confidence if k.long else 0):.2f} r{(k.long.rate if k.long else 0):.3f}"
              + (f" borrowed {k.borrowed:.2f}" if k.borrowed is not None else "")
              + "".join(f" | {n} {e(getattr(k, n), t, it.size)} c{getattr(k, n).confidence:.2f} r{getattr(k, n).rate:.3f}"
                        for n in ("longdense",) if getattr(k, n, None) is not None))
fw = list(errs.values())
if fw:
    print(f"median {np.median(fw)*100:.2f} %  max {max(fw)*100:.2f} %  n {len(fw)}")
