"""Round focus14 (trace only): per keyframe of named corpus items (held-out-14 allowed: it was scored once at the end of
round focus13 and is seen material since), the dense fit (error against the true heading, confidence, consistency,
rate, spread, moving, the other ramps), the long-baseline dense fit, the similarity and corner-track fits, the copied
share, the chosen fit after corroborate, borrow and pooling, and the clip's pooled dense fit (vj.focus.pooled) made
whether or not the clip is pooled (error, rate, others, agreement, and which pooling gate stops it).
Run from the repo root: .venv/bin/python docs/notes/focus14-trace.py parking-slow-crushed-15 walk-slow-crushed-15"""
import statistics, sys
sys.path.insert(0, "bench")
import numpy as np
import focus_corpus as fc
from common import CACHE
import vj.focus.pooled as P
import vj.focus.estimate as E
from vj.focus.fit import FIT_RAMPS
from vj.focus.neighbours import MIN_AGREE_CONF
from vj.focus.track import focus_at, resolve

names = sys.argv[1:]
REFUSED = "held-out-21"  # round focus21 (held-out-20 in focus20, held-out-19 in focus19, held-out-18 in focus18, held-out-17 in focus17, held-out-16 in focus16, held-out-15 in focus15)
items = [i for i in fc.ITEMS if i.name in names and i.group != REFUSED]
assert not any(i.group == REFUSED for i in items)
seen = {}
orig_pool, orig_corr = E.pool_unsure, E.corroborate
def pool(keys, samples, size, **kw):
    seen["pool_in"] = list(keys)
    if len(samples) >= 2:
        f, a = P.pooled_fit(samples, size)
        seen.update(fit=f, agree=a, samples=samples)
    return orig_pool(keys, samples, size, **kw)
def corr(keys, size):
    seen["measured"] = list(keys)
    return orig_corr(keys, size)
E.pool_unsure, E.corroborate = pool, corr
def e(f, tr, size):
    return "  -  " if f is None else f"{fc.error((f.x, f.y), tr, size)*100:5.1f}%"
def why(d):
    """The ramps of a FoeFit that hold its confidence under 1, with their values."""
    vals = dict(consistency=d.consistency, rate=d.rate, spread=d.spread, moving=d.moving)
    return " ".join(f"{n}={FIT_RAMPS[n](v):.2f}" for n, v in vals.items() if FIT_RAMPS[n](v) < 0.999)
for it in items:
    seen.clear()
    est = E.estimate_focus(fc.make(it, CACHE / "focus-corpus"))
    tr = fc.truth(it)
    res = resolve(None, est.track)
    ts = np.arange(0, it.seconds, 0.1)
    ers = [fc.error(focus_at(res.follow, t) if res.follow else res.focus, tr.at(t), it.size) for t in ts]
    print(f"== {it.name} ({it.group}, {it.motion}, rate {fc.motion(it).rate:.3f}, crf {it.crf}, {it.size}) "
          f"source {res.source} conf {res.confidence:.2f} err {np.mean(ers)*100:.2f} %  centre err "
          f"{np.mean([fc.error((0.5, 0.5), tr.at(t), it.size) for t in ts])*100:.2f} %")
    meas = {k.t: k for k in seen.get("measured", [])}
    pin = {k.t: k for k in seen.get("pool_in", [])}
    for k in est.keys:
        t = tr.at(k.t)
        m = meas.get(k.t, k)
        d = m.dense or m.fit  # the dense fit as measured (after the crushed judgement / long-baseline swap)
        ld, sim, lg = m.longdense, m.similar, m.long
        print(f"  t {k.t:4.2f} truth ({t[0]:.3f},{t[1]:.3f}) gap {m.gap:.2f} cop {m.copied:.2f}")
        print(f"    dense   {e(d, t, it.size)} ({d.x:.3f},{d.y:.3f}) c{d.confidence:.2f} cons {d.consistency:.2f} "
              f"rate {d.rate:.3f} spr {d.spread:.2f} mov {d.moving:.2f} others {d.others:.2f} | {why(d)}")
        if ld is not None:
            print(f"    longd   {e(ld, t, it.size)} ({ld.x:.3f},{ld.y:.3f}) c{ld.confidence:.2f} cons {ld.consistency:.2f} "
                  f"rate {ld.rate:.3f} others {ld.others:.2f} | {why(ld)}")
        for n, s in (("similar", sim), ("tracks", lg)):
            if s is not None:
                print(f"    {n:7s} {e(s, t, it.size)} ({s.x:.3f},{s.y:.3f}) c{s.confidence:.2f} rate {s.rate:.3f} "
                      f"share {s.share:.2f} inl {s.inliers} spread {s.spread*100:.2f}% reach {s.reach:.1f}px")
            else:
                print(f"    {n:7s} none")
        p = pin.get(k.t)
        print(f"    measured-chosen {e(m.fit, t, it.size)} c{m.fit.confidence:.2f} | after corroborate+borrow "
              f"{e(p.fit, t, it.size) if p else '-'} c{(p.fit.confidence if p else 0):.2f} | final {e(k.fit, t, it.size)} "
              f"c{k.fit.confidence:.2f} borrowed {k.borrowed} pooled {k.pooled}")
    f = seen.get("fit")
    if f is not None:
        perr = float(np.mean([fc.error((f.x, f.y), tr.at(t), it.size) for t in ts]))
        pk = seen["pool_in"]
        med = statistics.median(k.fit.confidence for k in pk)
        cop = statistics.fmean(k.copied for k in pk)
        per = [P.consistency_at(s, f.x, f.y, est.size) / s.fit.consistency if s.fit.consistency > 0 else 0.0
               for s in seen["samples"]]
        gates = [("median conf < 0.5", med < MIN_AGREE_CONF, f"{med:.2f}"), ("copied >= 0.4", cop >= E.COPIED_SHARE, f"{cop:.2f}"),
                 (f"rate >= {P.POOL_RATE}", f.rate >= P.POOL_RATE, f"{f.rate:.3f}"),
                 ("others*AGREEMENT >= 0.5", f.others * P.AGREEMENT(seen['agree']) >= MIN_AGREE_CONF,
                  f"{f.others:.2f}*{P.AGREEMENT(seen['agree']):.2f}")]
        print(f"  pooled fit {perr*100:.2f} % off over the clip ({f.x:.3f},{f.y:.3f}) conf {f.confidence:.2f} cons "
              f"{f.consistency:.2f} rate {f.rate:.3f} spr {f.spread:.2f} others {f.others:.2f} | {why(f)} | agree "
              f"{seen['agree']:.2f} (per key {' / '.join(f'{a:.2f}' for a in per)})")
        print("  pool gates: " + "; ".join(f"{n} [{v}] {'pass' if ok else 'STOP'}" for n, ok, v in gates))
