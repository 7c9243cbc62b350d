"""Round focus21: per seen corpus item (held-out-21 refused), the wide-gap ECC registrations (vj.focus.register) of the
clip's decoded analysis frames, each pair's fixed point against the truth at the pair's middle, with main's
estimate of the clip (its source, confidence and error as bench/focus.py scores it).  Writes out/focus21-reg-TAG.pkl.
Run from the repo root: .venv/bin/python docs/notes/focus21-reg.py TAG [--part=i/n] [selector ...]
(name, group, crushed, still, centre = main plays it at the centre)."""
import pickle, sys, time
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import focus as B
import vj.focus.estimate as E
from vj.focus.register import register_clip

REFUSED = "held-out-21"  # round focus21
tag = sys.argv[1]
part = next((a for a in sys.argv[2:] if a.startswith("--part=")), None)
sel = [a for a in sys.argv[2:] if not a.startswith("--")]
def want(i):
    return (not sel or i.name in sel or i.group in sel or ("crushed" in sel and i.crf > 20)
            or ("still" in sel and i.motion in fc.STILL))
items = [i for i in fc.ITEMS if i.group != REFUSED and want(i)]
assert not any(i.group == REFUSED for i in items)
if part:
    k, n = map(int, part.split("=")[1].split("/"))
    items = items[k::n]
out = {}
for it in items:
    path = fc.make(it, CACHE / "focus-corpus")
    tr = fc.truth(it)
    t0 = time.process_time()
    fr = E._Frames(path)
    frames = fr.window(0.0, it.seconds)
    fr.close()
    regs = register_clip(frames)
    cost = time.process_time() - t0
    row = None if "--nomain" in sys.argv else B.score(it.name, it.group, it.motion, path, it.size, it.seconds, lambda t, tr=tr: tr.at(t))
    errs = []
    for r in regs:
        if np.isnan(r.x) or tr.at(r.t) is None:
            errs.append(None)
        else:
            errs.append(fc.error((r.x, r.y), tr.at(r.t), it.size))
    out[it.name] = dict(item=it, regs=regs, errs=errs, row=row, cost=cost)
    e = "-" if row is None or row.mean is None else f"{row.mean*100:.1f}"
    pr = " ".join(f"[{r.rate:+.3f} L{r.left:.2f} ({r.x:.2f},{r.y:.2f}) {'-' if er is None else f'{er*100:.1f}'}]"
                  for r, er in zip(regs, errs))
    print(f"{it.name:34s} {it.motion:8s} crf{it.crf:2d} main {row.source if row else '':7s} {row.confidence if row else 0:.2f} {e:>5s} | {pr} | {cost:.2f}s",
          flush=True)
pickle.dump(out, open(f"out/focus21-reg-{tag}{'-' + part.split('=')[1].replace('/', 'of') if part else ''}.pkl", "wb"))
