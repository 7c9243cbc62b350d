"""Round focus14 (trace only, no code changed): from the pooled fits recorded by docs/notes/focus14-gates.py
(out/focus14-forward.pkl) and focus13-gates.py run on the still shots (out/focus14-still.pkl), which clips
vj.focus.pooled.pool_unsure would pool at lower POOL_RATE lines (its other gates as they are), and at what error.
Run from the repo root: PYTHONPATH=bench .venv/bin/python docs/notes/focus14-poolrate.py"""
import pickle, statistics, math
import vj.focus.pooled as P
fw = pickle.load(open("out/focus14-forward.pkl", "rb")); st = pickle.load(open("out/focus14-still.pkl", "rb"))
def pools(r, x):
    f = r["fit"]
    if f is None or r["pre"] is None or len(r["pre"]) < 2: return False
    med = statistics.median(k.fit.confidence for k in r["pre"]); cop = statistics.fmean(k.copied for k in r["pre"])
    return med < 0.5 and cop >= 0.4 and math.isfinite(f.rate) and f.rate >= x and f.others * P.AGREEMENT(r["agree"]) >= 0.5
for x in (0.05, 0.04, 0.03, 0.02, 0.0):
    new = [(n, r) for n, r in fw.items() if pools(r, x) and not pools(r, 0.05)]
    s_new = [n for n, r in st.items() if pools(r, x)]
    print(f"POOL_RATE {x}: forward newly pooled {len(new)}: " + ", ".join(f"{n} {r['err']*100:.2f}->{r['perr']*100:.2f} % (rate {r['fit'].rate:.3f}, agree {r['agree']:.2f})" for n, r in new)
          + f" | still shots pooled: {s_new}")
print("forward over 8 % now:", [(n, round(r['err']*100, 2)) for n, r in fw.items() if r['err'] > 0.08])
