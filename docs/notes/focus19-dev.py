"""Round focus19: every seen corpus item (held-out-21 refused) estimated with vj.focus as it is, with module constants
patched from the command line (mod.NAME=VALUE, e.g. estimate.MAX_GAP=0.9; ``deblock``: H.264's loop filter on); per
clip the error of the focus the show uses, its confidence, and each keyframe's (t, x, y, conf, copied, gap, rate).
Results pickled to out/focus19-TAG-<i>of<n>.pkl; items already in the pickles VJ_DONE (a glob) names are skipped.
Run from the repo root:
.venv/bin/python docs/notes/focus19-dev.py TAG [--part=i/n] [--sel=crushed|all|NAME,...] [mod.NAME=VALUE ...] [deblock]"""
import importlib, os, pickle, sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
from vj.focus.track import resolve, focus_at

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19)
tag = sys.argv[1]
part, sel, patches = (0, 1), "all", []
for a in sys.argv[2:]:
    if a.startswith("--part="):
        i, n = a[7:].split("/"); part = (int(i), int(n))
    elif a.startswith("--sel="):
        sel = a[6:]
    else:
        patches.append(a)
import vj.focus.estimate as E
if "deblock" in patches:  # decode with H.264's loop filter on (estimate._Frames skips it)
    patches.remove("deblock")
    init = E._Frames.__init__
    def _init(self, path):
        init(self, path)
        self.stream.codec_context.options = {}
    E._Frames.__init__ = _init
for p in patches:
    lhs, val = p.split("=", 1)
    mod, name = lhs.rsplit(".", 1)
    m = importlib.import_module("vj.focus." + mod)
    setattr(m, name, type(getattr(m, name))(eval(val)))

def want(i):
    if sel == "all": return True
    if sel == "crushed": return i.crf > 20
    return i.name in sel.split(",") or i.group in sel.split(",")
items = [i for i in fc.ITEMS if i.group != REFUSED and want(i)]
assert not any(i.group == REFUSED for i in items)
done = set()
for f in __import__("glob").glob(os.environ.get("VJ_DONE", "/nonexistent")):  # results of an earlier run of this tag
    done |= set(pickle.load(open(f, "rb")))
items = [i for i in items if i.name not in done][part[0]::part[1]]
out = f"out/focus19-{tag}-{part[0]}of{part[1]}.pkl"
res = {}
for it in items:
    path = fc.make(it, CACHE / "focus-corpus")
    est = E.estimate_focus(path)
    r = resolve(None, est.track)
    mean = None
    if it.forward:
        tr = fc.truth(it)
        errs = [fc.error(focus_at(r.follow, float(t)) if r.follow else r.focus, tr.at(float(t)), it.size)
                for t in np.arange(0.0, it.seconds, 0.1)]
        mean = float(np.mean(errs))
    keys = [(k.t, k.fit.x, k.fit.y, k.fit.confidence, k.copied, k.gap, k.fit.rate) for k in est.keys]
    res[it.name] = dict(group=it.group, forward=it.forward, crf=it.crf, mean=mean, conf=r.confidence, source=r.source,
                        keys=keys, secs=est.seconds)
    pickle.dump(res, open(out, "wb"))
print("done", len(res), out)
