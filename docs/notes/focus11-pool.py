"""Round focus11: per seen corpus item (held-out-21 refused since round focus21), each keyframe's dense samples (the fit the keyframe
kept: short or wide gap), pooled over the whole clip into one fit (flows per second), against the truth and the
per-keyframe fits.  Question: does a clip whose keyframes are each unsure place a steady heading when their
evidence is pooled, and do still shots stay unsure?  Writes out/focus11-pool.pkl.
Run from the repo root: .venv/bin/python docs/notes/focus11-pool.py [selector ...] (name, group, crushed, still)."""
import pickle, sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import vj.focus.estimate as E
from vj.focus.track import resolve

REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15, held-out-14 in focus13, held-out-13 in focus12)
sel = [a for a in sys.argv[1:] if not a.startswith("--")]
def want(i):
    return (not sel or i.name in sel or i.group in sel or ("crushed" in sel and i.crf > 20)
            or ("still" in sel and not i.forward))
items = [i for i in fc.ITEMS if i.group != REFUSED and want(i)]
if "--made" in sys.argv:  # only clips already made (another process may be making the rest)
    items = [i for i in items if (CACHE / "focus-corpus" / f"{i.name}-{fc._key(i)}.mp4").exists()]
calls = []
orig = E._fit_pairs
def fp(sampler, window, starts, gap):
    sampler_copy = []
    o_sample = sampler.sample
    def sample(a, b):
        r = o_sample(a, b); sampler_copy.append(r); return r
    sampler.sample = sample
    try:
        fit, n = orig(sampler, window, starts, gap)
    finally:
        del sampler.sample
    calls.append((gap, sampler_copy, fit))
    return fit, n
E._fit_pairs = fp
orig_tf = E.track_foe
def tf(run, t):
    calls.append(("key", t, None)); return orig_tf(run, t)
E.track_foe = tf
out = {}
for it in items:
    calls.clear()
    est = E.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    res = resolve(None, est.track)
    out[it.name] = dict(item=it, keys=est.keys, calls=list(calls), size=est.size, source=res.source,
                        conf=res.confidence)
    print(it.name, len(calls), res.source, flush=True)
pickle.dump(out, open("out/focus11-pool.pkl", "wb"))
