"""Train the downbeat template (vj/audio/downbeat_template.py) from the recorded tuning split.

bench/downbeat_probe.py --record keeps what the downbeat hears per item (out/downbeat-events).
Replayed through ``vj.audio.downbeat.Downbeat``, each final beat gives the leaky per-position
means of ``downbeat.FEATURES``; labelled by which position the corpus's downbeats fall on, a
conditional logistic model (softmax over the bar's positions, one weight per feature, L2
``RIDGE``) is fitted.  Scored by replaying with the fitted weights (bench/downbeats.py's
score): leave one source out (timgm / opl3 / numpy), leave each big family out, per family,
against main's bass-only rule (replayed from /work/main's or HEAD's module given as --main).

    python bench/downbeat_model.py                 # cross-validated tables
    python bench/downbeat_model.py --write         # fit on all tuning items, write the template
"""

from __future__ import annotations

import argparse
import importlib.util
import pickle
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import downbeats as db  # noqa: E402
from downbeat_probe import CACHE  # noqa: E402

from vj.audio import downbeat as dbm  # noqa: E402

RIDGE = 0.01
#: The template sees each candidate 1 and the two beats after it (round 42, tuning, leave one
#: source out, with the chord floor, the template alone: the 1's own shares (round 41's) 0.560 right;
#: two beats 0.570; three 0.624).
CONTEXT = 3
BIG = ("house", "techno", "trance", "disco", "afro")
OUT = HERE.parent / "vj" / "audio" / "downbeat_template.py"


def replay(ev, weights, mod=dbm, hook=None):
    d = mod.Downbeat(db.BPB, weights) if weights is not None else mod.Downbeat(db.BPB)
    if hook is not None:
        d.on_features = hook
    out = []
    for e in ev:
        if e[0] == "b":
            d.beat(e[1], e[2])
        elif e[0] == "h":
            d.hop(*e[1:]) if mod is dbm else d.hop(e[1], e[2])
        else:
            out.append((e[2], d.bar_beat(e[1])))
    return out


def samples(item, ev, k=1):
    """(shares 4 x F, true position) per final beat matched to a labelled beat."""
    X, y = [], []
    ref, downs = item.beats, item.downbeats
    if not len(downs):
        return X, y

    def hook(index, t, x, s, acc):
        d = np.abs(ref - t)
        i = int(np.argmin(d))
        if d[i] > db.WINDOW or t < item.scored_from:
            return
        before = downs[downs <= ref[i] + 1e-6]
        if not len(before):
            return
        p = int(np.sum((ref > before[-1] + 1e-6) & (ref <= ref[i] + 1e-6)))
        X.append(dbm.context(dbm.shares(acc), k))
        y.append((index - p) % db.BPB)

    replay(ev, np.zeros(len(dbm.FEATURES)), hook=hook)
    return X, y


def fit(X, y, ridge=RIDGE, iters=400):
    X, y = np.asarray(X), np.asarray(y)
    w = np.zeros(X.shape[2])
    for _ in range(iters):  # Newton steps on the conditional logit
        s = X @ w
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        xbar = np.einsum("nk,nkf->nf", p, X)
        g = X[np.arange(len(y)), y] - xbar
        grad = g.mean(axis=0) - ridge * w
        cov = np.einsum("nk,nkf,nkg->fg", p, X, X) / len(y) - xbar.T @ xbar / len(y)
        h = cov + ridge * np.eye(len(w))
        step = np.linalg.solve(h, grad)
        w += step
        if np.abs(step).max() < 1e-6:
            break
    return w


def load(split):
    items = db.demo_items() + db.corpus_items(None, split)[0]
    evs = {}
    for it in items:
        path = CACHE / f"{it.name}.pkl"
        if not path.exists():
            raise SystemExit(f"no recording for {it.name}: bench/downbeat_probe.py --split {split} --record")
        evs[it.name] = pickle.loads(path.read_bytes())
    return items, evs


def source(it):
    return it.name.split("@")[1] if "@" in it.name else "demo"


def table(label, scores, items):
    rows = []
    for split in ("demo", "tuning", "held-out"):
        sc = [s for s in scores if s.split == split]
        if sc:
            rows.append(db.row(f"{label} {split}", db.aggregate(sc)))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--main", default="/work/main/vj/audio/downbeat.py", help="the bass-only rule's module")
    ap.add_argument("--ridge", type=float, default=RIDGE)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--drop", nargs="*", default=[], help="features left out (weight 0)")
    ap.add_argument("--context", type=int, default=CONTEXT, help="positions the template sees from each candidate 1")
    args = ap.parse_args(argv)
    items, evs = load("tuning")
    train = [it for it in items if it.split == "tuning"]  # demo tracks: never trained on
    data = {it.name: samples(it, evs[it.name], args.context) for it in train}
    nf = len(dbm.FEATURES) * args.context

    def fit_on(keep):
        X, y = [], []
        for it in train:
            if keep(it):
                X += data[it.name][0]
                y += data[it.name][1]
        keep_f = np.array([f not in args.drop for f in dbm.FEATURES] * args.context)
        w = np.zeros(nf)
        w[keep_f] = fit(np.asarray(X)[:, :, keep_f], y, args.ridge)
        return w

    w_all = fit_on(lambda it: True)
    names = [f"{n}+{j}" if j else n for j in range(args.context) for n in dbm.FEATURES]
    print("weights (all tuning):", " ".join(f"{n}={v:.2f}" for n, v in zip(names, w_all)))
    spec = importlib.util.spec_from_file_location("main_downbeat", args.main)
    main_mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main_mod)
    base = {it.name: db.score(it, replay(evs[it.name], None, main_mod)) for it in items}
    full = {it.name: db.score(it, replay(evs[it.name], w_all)) for it in items}
    loso = {}
    for src in sorted({source(it) for it in train}):
        w = fit_on(lambda it: source(it) != src)
        print(f"  without {src}:", " ".join(f"{v:.2f}" for v in w))
        for it in items:
            if source(it) == src:
                loso[it.name] = db.score(it, replay(evs[it.name], w))
    w_demo = w_all
    for it in items:
        if it.split == "demo":
            loso[it.name] = db.score(it, replay(evs[it.name], w_demo))
    fams = sorted({f for it in train for f in it.family.split(",") if f})
    rows = []
    for label, sc in (("main", base), ("fit on all", full), ("leave source out", loso)):
        rows += table(label, list(sc.values()), items)
    print(db.md_table(db.COLS, rows))
    print("\nper family (tuning; right: main / fit on all / leave source out / leave family out; mostly wrong)")
    frows = []
    for fam in fams:
        names = [it.name for it in train if fam in it.family.split(",")]
        a = [db.aggregate([d[n] for n in names]) for d in (base, full, loso)]
        lfo = db.aggregate([score_lofo(fam, n, items, evs, fit_on) for n in names])
        frows.append([fam, str(len(names))] + [f"{x['right']:.3f}" for x in a + [lfo]]
                     + ["/".join(str(x["items_mostly_wrong"]) for x in a + [lfo])])
    print(db.md_table(["family", "items", "main", "all", "LOSO", "LOFO", "mostly wrong"], frows))
    if args.write:
        OUT.write_text(TEMPLATE.format(n=len(train), w=", ".join(f"{v:.4f}" for v in w_all)))
        print("wrote", OUT)
    return 0


_lofo_w: dict = {}


def score_lofo(fam, name, items, evs, fit_on):
    if fam not in _lofo_w:
        _lofo_w[fam] = fit_on(lambda it: fam not in it.family.split(","))
    it = next(i for i in items if i.name == name)
    return db.score(it, replay(evs[name], _lofo_w[fam]))


TEMPLATE = '''"""The learned downbeat template (``downbeat.Downbeat.scores``): one weight per
``downbeat.FEATURES`` at a candidate 1, then per feature at each of the beats after it that
``downbeat.context`` adds (a conditional logistic model over the bar's positions, on each
feature's share of the bar).  Generated by ``bench/downbeat_model.py --write`` from the corpus's tuning
split only ({n} items); do not edit by hand."""

import numpy as np

WEIGHTS = np.array([{w}])
'''


if __name__ == "__main__":
    raise SystemExit(main())
