"""The learned phase template of vj's beat tracker: trained here, on the tuning split only,
and measured side by side with the hand-made phase cues.

The tracker decides which quarter-beat position of its grid is the beat from 14 per-hop
channels folded at the grid's beat positions (``vj.audio.phase_cues``): the four hand-made
cues (kick, backbeat, off-beat hats, chord change) and the positive flux of ten band
groups.  The template is one linear weight per channel and phase bin (14 x 16), scored
on the fold as the grid sees it and moved by 1/4, 1/2 and 3/4 of a beat; a softmax over
the four gives their probabilities (multinomial logistic regression, L2, L-BFGS).  It is
small on purpose: it sees beat-synchronous folds (what happens where in the beat), not
sounds, and each channel's fold is taken relative to its mean, so a font's balance or
a mix's level do not count.

Training material: every *tuning* item (TimGM6mb, OPL-3 FM, the numpy kit; never a
held-out font or family), plus one more draw of every tuning recipe through each tuning
source (other seeds: humanisation, fills, mix, numpy kit; tempo 0.93-1.07x; key -3..+3),
cached in out/phase-train/.  Windows of 2, 4 and 6 s (the tracker decides from 1-6 s)
end on every other labelled beat.

Scored leave-one-source-out (trained on two tuning sources, tested on the third) and
leave-recipes-out (five folds by recipe): windows whose labelled beat scores highest,
and items where most windows do.

    python bench/phase_model.py            # the table (~6 min here the first time: renders)
    python bench/phase_model.py --write    # and write vj/audio/phase_template.py
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import beat_corpus as bc  # noqa: E402
from corpus_specs import HELDOUT_FAMILIES, TUNING_SOURCES, recipes  # noqa: E402
from vj.audio import phase_cues as pc  # noqa: E402
from vj.audio.features import FeatureExtractor  # noqa: E402
from vj.audio.tempo_comb import OnsetStrength  # noqa: E402

HOP, SR = 512, 44100
EXTRA_CACHE = HERE.parent / "out" / "phase-train"
WINDOWS_S = (2.0, 4.0, 6.0)
STEP_BEATS = 2
L2 = 1e-3
#: Extra draws of each tuning recipe per tuning source (two changed nothing: see BEATS.md).
EXTRA_DRAWS = 1
TARGET = HERE.parent / "vj" / "audio" / "phase_template.py"


def extra_specs(draws: int = EXTRA_DRAWS) -> list[bc.Spec]:
    """``draws`` more draws of every tuning recipe through every tuning source (the first
    one is what the shipped template was trained on)."""
    first = np.random.default_rng(7)
    out = []
    for r in recipes():
        if any(f in HELDOUT_FAMILIES for f in r.families):
            continue
        for src in TUNING_SOURCES:
            for k in range(draws):
                rng = first if k == 0 else np.random.default_rng(zlib.crc32(f"{r.name}+x{k}@{src}".encode()))
                f = float(rng.uniform(0.93, 1.07))
                secs = tuple(s if s.style == "silence" else replace(
                    s, bpm=round(min(180.0, max(70.0, s.bpm * f)), 2),
                    bpm_end=None if s.bpm_end is None else round(min(180.0, max(70.0, s.bpm_end * f)), 2),
                    key=s.key + int(rng.integers(-3, 4))) for s in r.sections)
                spec = replace(r, name=f"{r.name}+x{k}@{src}", source=src, sections=secs,
                               seed=r.seed + 1000 + 37 * k)
                assert spec.split == "tuning"
                out.append(spec)
    return out


def channels(item) -> tuple[np.ndarray, np.ndarray]:
    """(hop times, (hops, 14) channels) of an item, as the tracker computes them."""
    fe, onset = FeatureExtractor(SR, HOP), OnsetStrength()
    n = item.audio.size // HOP
    cues = pc.PhaseCues(SR, HOP, window_s=item.duration + 5)
    for i in range(n):
        fe.process(item.audio[i * HOP:(i + 1) * HOP])
        onset(fe.bands_raw)
        cues(onset.flux, fe.bands_raw, fe.power, (i + 1) * HOP / SR)
    x = np.concatenate([np.stack([cues.act[c][:n] for c in cues.CUES], 1), cues.groups[:n]], 1)
    return cues.t[:n].copy(), x


def fold(x: np.ndarray, ph: np.ndarray) -> np.ndarray:
    b = np.floor((ph % 1.0) * pc.BINS).astype(int) % pc.BINS
    cnt = np.maximum(np.bincount(b, minlength=pc.BINS), 1)
    return np.stack([np.bincount(b, weights=x[:, c], minlength=pc.BINS) / cnt for c in range(x.shape[1])])


def windows(item, t: np.ndarray, x: np.ndarray) -> list[np.ndarray]:
    """Folds at the labelled beat positions of windows ending on every ``STEP_BEATS``-th beat."""
    beats = item.beats
    ph = np.interp(t, beats, np.arange(len(beats)), left=np.nan, right=np.nan)
    ok = np.isfinite(ph) & (t >= item.scored_from)
    if not ok.any():
        return []
    out = []
    for e in beats[(beats >= item.scored_from + min(WINDOWS_S)) & (beats <= t[ok].max())][::STEP_BEATS]:
        for w in WINDOWS_S:
            sel = ok & (t > e - w) & (t <= e)
            if sel.sum() >= 20:
                out.append(fold(x[sel], ph[sel]))
    return out


def rotations(folds: np.ndarray) -> np.ndarray:
    """(n, 4, channels * BINS): each window's template input as the grid moved by q/4 sees it."""
    xin = np.array([pc.template_input(f) for f in folds])
    return np.stack([np.roll(xin, -q * (pc.BINS // 4), axis=2) for q in range(4)], 1).reshape(len(folds), 4, -1)


def train(folds: np.ndarray) -> np.ndarray:
    """The template (channels x BINS) whose softmax over the four rotations puts the labelled beat first."""
    from scipy.optimize import minimize
    X = rotations(folds)
    n, _, p = X.shape

    def loss(w):
        z = X @ w
        z = z - z.max(1, keepdims=True)
        lse = np.log(np.exp(z).sum(1))
        pr = np.exp(z - lse[:, None])
        g = (np.einsum("nq,nqp->p", pr, X) - X[:, 0].sum(0)) / n + 2 * L2 * w
        return float((lse - z[:, 0]).mean() + L2 * w @ w), g

    r = minimize(loss, np.zeros(p), jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return r.x.reshape(folds.shape[1], pc.BINS)


def train_mlp(folds: np.ndarray, hidden: int, l2: float = L2, seed: int = 0, check: bool = False) -> dict:
    """A small network on the same input, shared by the four rotations: the linear template
    plus ``hidden`` tanh units (``z_q = x_q.w + tanh(x_q W1 + b1).v``), softmax over q."""
    from scipy.optimize import minimize
    X = rotations(folds)
    n, _, p = X.shape
    h = hidden
    rng = np.random.default_rng(seed)
    shapes = [("w", (p,)), ("W1", (p, h)), ("b1", (h,)), ("v", (h,))]
    sizes = [int(np.prod(sh)) for _, sh in shapes]

    def unpack(theta):
        out, k = {}, 0
        for (name, sh), m in zip(shapes, sizes):
            out[name] = theta[k:k + m].reshape(sh)
            k += m
        return out

    def loss(theta):
        P = unpack(theta)
        a = np.tanh(X @ P["W1"] + P["b1"])          # n, 4, h
        z = X @ P["w"] + a @ P["v"]                  # n, 4
        z = z - z.max(1, keepdims=True)
        lse = np.log(np.exp(z).sum(1))
        pr = np.exp(z - lse[:, None])
        dz = pr.copy()
        dz[:, 0] -= 1.0
        dz /= n                                      # n, 4
        g = {"w": np.einsum("nq,nqp->p", dz, X) + 2 * l2 * P["w"],
             "v": np.einsum("nq,nqh->h", dz, a) + 2 * l2 * P["v"]}
        da = dz[:, :, None] * P["v"] * (1 - a * a)   # n, 4, h
        g["W1"] = np.einsum("nqp,nqh->ph", X, da) + 2 * l2 * P["W1"]
        g["b1"] = da.sum((0, 1))
        reg = l2 * (P["w"] @ P["w"] + (P["W1"] ** 2).sum() + P["v"] @ P["v"])
        return float((lse - z[:, 0]).mean() + reg), np.concatenate([g[k].ravel() for k, _ in shapes])

    theta0 = np.concatenate([np.zeros(p), rng.normal(0, 0.05, p * h), np.zeros(h), rng.normal(0, 0.1, h)])
    if check:
        from scipy.optimize import approx_fprime
        t = theta0 + rng.normal(0, 0.1, theta0.size)
        return float(np.abs(approx_fprime(t, lambda th: loss(th)[0], 1e-6) - loss(t)[1]).max())
    r = minimize(loss, theta0, jac=True, method="L-BFGS-B", options={"maxiter": 400})
    return unpack(r.x)


def mlp_probabilities(folds: np.ndarray, P: dict) -> np.ndarray:
    x = pc.template_input(folds)
    X = np.stack([np.roll(x, -q * (pc.BINS // 4), axis=1).ravel() for q in range(4)])
    z = X @ P["w"] + np.tanh(X @ P["W1"] + P["b1"]) @ P["v"]
    z = np.exp(z - z.max())
    return z / z.sum()


def right(folds: list[np.ndarray], how: str, w: np.ndarray | None, lam: float = pc.LEARNED_WEIGHT) -> list[bool]:
    out = []
    for f in folds:
        if how == "cues":
            s = pc.hand_scores(f)
        elif how == "template":
            s = pc.template_probabilities(f, w)
        elif how == "mlp":
            s = mlp_probabilities(f, w)
        elif how == "cues+mlp":
            s = pc.hand_scores(f) + lam * mlp_probabilities(f, w)
        else:
            s = pc.hand_scores(f) + lam * pc.template_probabilities(f, w)
        out.append(int(np.argmax(s)) == 0)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help=f"train on everything and write {TARGET.name}")
    ap.add_argument("--draws", type=int, default=EXTRA_DRAWS, help="extra draws per tuning recipe and source")
    ap.add_argument("--mlp", type=int, default=0, metavar="H",
                    help="also train and score the template plus H tanh units, side by side")
    ap.add_argument("--folds-cache", type=Path, help="keep the training folds in this file (pickle)")
    args = ap.parse_args(argv)
    t0 = time.time()
    data = []
    if args.folds_cache and args.folds_cache.exists():
        import pickle
        data = pickle.loads(args.folds_cache.read_bytes())
    specs = [(s, bc.CACHE) for s in bc.all_specs() if s.split == "tuning"] + [(s, EXTRA_CACHE) for s in extra_specs(args.draws)]
    for spec, cache in specs if not data else []:
        item = bc.load(spec, cache)
        assert item.split == "tuning"
        t, x = channels(item)
        data.append({"name": spec.name, "source": spec.source, "recipe": spec.recipe.split("+")[0],
                     "extra": cache is EXTRA_CACHE, "folds": windows(item, t, x)})
        print(f"  {spec.name}", file=sys.stderr, flush=True)
    if args.folds_cache and not args.folds_cache.exists():
        import pickle
        args.folds_cache.write_bytes(pickle.dumps(data))
    print(f"{len(data)} items, {sum(len(d['folds']) for d in data)} windows in {time.time() - t0:.0f} s",
          file=sys.stderr)
    lams = (0.1, 0.2, pc.LEARNED_WEIGHT, 0.4, 0.8)
    rows = []
    for split_name, key in (("leave one source out", lambda d: d["source"]),
                            ("leave recipes out (5 folds)", lambda d: zlib.crc32(d["recipe"].encode()) % 5)):
        res: dict[str, dict[str, list[bool]]] = {}
        for k in sorted({key(d) for d in data}):
            w = train(np.concatenate([d["folds"] for d in data if key(d) != k and d["folds"]]))
            for d in data:
                if key(d) != k or d["extra"] or not d["folds"]:
                    continue
                res.setdefault("hand-made cues", {})[d["name"]] = right(d["folds"], "cues", w)
                res.setdefault("template", {})[d["name"]] = right(d["folds"], "template", w)
                for lam in lams:
                    res.setdefault(f"cues + {lam:g} x template", {})[d["name"]] = right(d["folds"], "both", w, lam)
            if args.mlp:
                m = train_mlp(np.concatenate([d["folds"] for d in data if key(d) != k and d["folds"]]), args.mlp)
                for d in data:
                    if key(d) != k or d["extra"] or not d["folds"]:
                        continue
                    res.setdefault(f"mlp {args.mlp}", {})[d["name"]] = right(d["folds"], "mlp", m)
                    for lam in lams:
                        res.setdefault(f"cues + {lam:g} x mlp {args.mlp}", {})[d["name"]] = right(d["folds"], "cues+mlp", m, lam)
            print(f"  fold {k} done {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
        for how, r in res.items():
            items = [np.mean(v) > 0.5 for v in r.values()]
            wins = [x for v in r.values() for x in v]
            rows.append(f"| {split_name} | {how} | {np.mean(items):.3f} ({sum(items)}/{len(items)}) | {np.mean(wins):.3f} |")
    print("| scored | phase from | items on the beat (most windows) | windows on the beat |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    if args.write:
        w = train(np.concatenate([d["folds"] for d in data if d["folds"]]))
        rows_txt = ",\n".join("    [" + ", ".join(f"{v:.4f}" for v in row) + "]" for row in w)
        TARGET.write_text(
            '"""The learned phase template (``phase_cues.template_probabilities``): one weight per channel\n'
            "(the four cues, then ``phase_cues.FLUX_GROUPS``) and phase bin.  Generated by\n"
            "``bench/phase_model.py --write`` from the corpus's tuning split only (TimGM6mb, OPL-3 FM, the\n"
            f'numpy kit; {len(data)} items, {sum(len(d["folds"]) for d in data)} windows); do not edit by hand."""\n\n'
            "import numpy as np\n\n"
            f"WEIGHTS = np.array([\n{rows_txt},\n])\n")
        print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
