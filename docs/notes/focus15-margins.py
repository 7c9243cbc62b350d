"""Round focus15: from the pickles of docs/notes/focus14-gates.py (out/focus14-forward.pkl, every seen forward item;
held-out-21 refused since round focus21) and focus13-gates.py still (renamed out/focus14-still.pkl, every seen still shot), (1) the
margins that keep still shots out of pooling once POOL_RATE is the rate ramp's foot: of the still shots that reach
pooling (median keyframe confidence < 0.5, copied share >= 0.4), the highest others x AGREEMENT, the highest
agreement where the other ramps are above 0, and those reading 0.02/s or more; the forward clips that reach pooling
with their agreement; (2) the "tight but wrong corner tracks" family (walk-slow-crushed-15): every keyframe where
the long-baseline corner tracks (confident) overrule a confident dense fit at the same rate from over LONG_AGREE
apart, with both errors, the tracks' spread, inliers, share and reach, and the similarity estimate.
Run from the repo root: PYTHONPATH=bench .venv/bin/python docs/notes/focus15-margins.py"""
import pickle, statistics
import focus_corpus as fc
import vj.focus.pooled as P
from vj.focus.estimate import LONG_AGREE
from vj.focus.neighbours import apart, same_rate

st = pickle.load(open("out/focus14-still.pkl", "rb")); fw = pickle.load(open("out/focus14-forward.pkl", "rb"))
assert not any(r["item"].group == "held-out-21" for r in list(st.values()) + list(fw.values()))
def reaching(d):
    for n, r in d.items():
        f = r["fit"]
        if f is None or r["pre"] is None or len(r["pre"]) < 2:
            continue
        med = statistics.median(k.fit.confidence for k in r["pre"]); cop = statistics.fmean(k.copied for k in r["pre"])
        if med < 0.5 and cop >= 0.4:
            yield n, r, f, cop
print(len(st), "still shots,", len(fw), "forward items")
rows = sorted(((f.others * P.AGREEMENT(r["agree"]), n, f.rate, f.others, r["agree"], cop) for n, r, f, cop in reaching(st)), reverse=True)
print("still shots reaching pooling:", len(rows), "; highest others x AGREEMENT %.2f (%s)" % rows[0][:2])
print("highest agreement with others > 0: %.2f (%s)" % max((r[4], r[1]) for r in rows if r[3] > 0))
for x in sorted((r for r in rows if r[2] >= 0.02 and r[3] > 0), key=lambda r: -r[2]):
    print("  still %-26s rate %.3f others %.2f agree %.2f copied %.2f" % (x[1], x[2], x[3], x[4], x[5]))
for n, r, f, cop in sorted(reaching(fw), key=lambda t: t[1]["agree"]):
    print("  forward %-26s agree %.2f rate %.3f others %.2f now %.2f %% pooled %.2f %%" % (n, r["agree"], f.rate, f.others, r["err"] * 100, r["perr"] * 100))
print("\nname t | dense err conf | tracks err conf spread inliers share reach | similar err conf | copied | final")
for n, r in fw.items():
    it = r["item"]
    for k, tr in zip(r["keys"], r["truth"]):
        L = k.long
        d = k.dense if k.dense is not None else k.fit
        if L is None or L.confidence < 0.5 or d.confidence < 0.5:
            continue
        if apart(d, L, r["size"]) <= LONG_AGREE or not same_rate(d.rate, L.rate):
            continue
        e = lambda p: fc.error(p, tr, it.size) * 100
        s = k.similar
        print(f"{n:26s} {k.t:.2f} | {e((d.x, d.y)):5.1f} {d.confidence:.2f} | {e((L.x, L.y)):5.1f} {L.confidence:.2f} "
              f"{L.spread * 100:.2f} {L.inliers:3d} {L.share:.2f} {L.reach:5.1f} | "
              + (f"{e((s.x, s.y)):5.1f} {s.confidence:.2f}" if s else "  -  ")
              + f" | {k.copied:.2f} | {e((k.fit.x, k.fit.y)):5.1f} c{k.fit.confidence:.2f} clip {r['err'] * 100:.2f}")
