"""Round focus14 (trace only): in each heavily compressed corpus item (CRF over 20; held-out-14 allowed, seen since
round focus13), the frame pairs that straddle an I-frame after the first frame: the encoder redraws the whole
picture there, so the pair holds the motion its copied blocks had dropped since the last redraw.  For each such pair
(the frame before the I-frame to the frame nearest 0.1 s later) the dense fit alone: error against the true heading
(forward clips), confidence, consistency, rate, spread and the copied share.  Question: does such a pair place a
crushed push-in's heading (parking-slow-crushed-15 at 2.73-2.83 s: 1.2 % off, 1.07/s), and what does it read on the
crushed still shots.  Run from the repo root: .venv/bin/python docs/notes/focus14-iframes.py [still|forward|NAME ...]"""
import sys
sys.path.insert(0, "bench")
import av
import focus_corpus as fc
from common import CACHE
import vj.focus.estimate as E

sel = sys.argv[1:]
REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15)
items = [i for i in fc.ITEMS if i.group != REFUSED and i.crf > 20 and (not sel or i.name in sel or ("still" in sel and not i.forward)
                                                or ("forward" in sel and i.forward))]
assert not any(i.group == REFUSED for i in items)
for it in items:
    path = fc.make(it, CACHE / "focus-corpus")
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        ifr = [float(f.time) for f in c.decode(s) if f.key_frame and float(f.time) > 0.05]
    if not ifr:
        print(f"{it.name:30s} {'F' if it.forward else 'S'} crf {it.crf} no I-frame after 0", flush=True)
        continue
    frames = E._Frames(path)
    sampler = E.FlowSampler(frames.size)
    for ti in ifr:
        w = frames.window(max(ti - 0.25, 0), ti + 0.2)
        a = max(t for t, _ in w if t < ti - 1e-6)
        sampler.copied.clear()
        f, n = E._fit_pairs(sampler, w, [a], E.PAIR_DT)
        err = f"{fc.error((f.x, f.y), fc.truth(it).at(ti), it.size)*100:5.1f}%" if it.forward else "  still"
        print(f"{it.name:30s} {'F' if it.forward else 'S'} crf {it.crf} I at {ti:.2f} pair {a:.2f}+0.1 {err} c{f.confidence:.2f} "
              f"cons {f.consistency:.2f} rate {f.rate:.3f} spr {f.spread:.2f} others {f.others:.2f} cop "
              f"{sampler.copied[0] if sampler.copied else 0:.2f}", flush=True)
    frames.close()
