"""A learned *bar* template for the phase decision (round 52, docs/BEATS.md): trained on the
tuning split only, scored leave-one-source-out next to the tracker's cues and beat template.

The beat template (``bench/phase_model.py``) sees the 14 channels folded onto one beat, so a
kick on the "and" of beats 2 and 4 and a bass note on every "and" look alike to it.  The bar
template sees the same hops folded over four beats (``phase_cues.bar_fold``: 4 x 16 phase bins
per channel, each relative to its mean): kick, snare, kick, snare over the bar, the chord
change on one beat of four.  It is one linear weight per channel and bar bin (14 x 64) scored
on the bar fold rolled by every quarter beat (16 rolls: where the beat is, 4 ways, times
which of the four beats is the 1, 4 ways); the tracker does not know the 1, so the four
rolls of each phase are summed (softmax over 16, marginalised over the downbeat) and the
loss is the labelled beat's share (the downbeat is a latent variable: no downbeat label is
used).  Windows of ``WINDOWS_S`` ending on every other labelled beat, spanning at least
``--min-beats`` beats (8; the tracker reads it over ``phase_cues.BAR_MIN_BEATS``, 12).

Reads ``bench/cue_probe.py``'s cached features (out/probe/feat/).

    python bench/bar_model.py                 # the table, leave one source out
    python bench/bar_model.py --write         # and write vj/audio/bar_template.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import beat_corpus as bc  # noqa: E402
import cue_probe  # noqa: E402
from vj.audio import phase_cues as pc  # noqa: E402

WINDOWS_S = (4.0, 6.0)
STEP_BEATS = 2
MODE = "dev"
#: Windows spanning fewer beats are not used (the shipped template: 8, two bars; the tracker
#: reads it over ``phase_cues.BAR_MIN_BEATS``).
MIN_BEATS = 8
TARGET = HERE.parent / "vj" / "audio" / "bar_template.py"
WATCH = ("offbass-124-club@timgm", "jungle-165@opl3", "dnb-174-laptop@opl3", "rock-112-room@opl3",
         "reggaeton-96@timgm", "garage-2step-132@numpy")


def windows(d: dict) -> list[tuple[np.ndarray, np.ndarray]]:
    """(the 15-row beat fold, the 14 x 64 bar fold) of windows ending on every ``STEP_BEATS``-th
    labelled beat, at the labelled beat positions."""
    t, beats, x = d["t"], d["beats"], d["chan"].astype(float)
    ph = np.interp(t, beats, np.arange(len(beats)), left=np.nan, right=np.nan)
    ok = np.isfinite(ph) & (t >= float(d["scored_from"]))
    if not ok.any():
        return []
    out = []
    for e in beats[(beats >= float(d["scored_from"]) + min(WINDOWS_S)) & (beats <= t[ok].max())][::STEP_BEATS]:
        for w in WINDOWS_S:
            sel = ok & (t > e - w) & (t <= e)
            if sel.sum() < 20:
                continue
            p = ph[sel]
            if np.floor(p).max() - np.floor(p).min() + 1 < MIN_BEATS:
                continue
            out.append((pc.fold_channels(x[sel], p), pc.bar_fold(x[sel], p, 0)))
    return out


def rolls(bars: np.ndarray) -> np.ndarray:
    """(n, 16, 14 * 64): each window's bar input as the grid moved by r quarter beats sees it."""
    if MODE.startswith("dev"):  # the tracker's: how the bar's beats differ
        xin = np.array([pc.bar_input(b) for b in bars])
    else:  # each beat's whole fold, the common part too
        xin = np.array([pc.bar_relative(b) for b in bars])
    if MODE.endswith("4"):
        xin[:, 4:] = 0.0
    return np.stack([np.roll(xin, -r * (pc.BINS // 4), axis=2) for r in range(16)], 1).reshape(len(bars), 16, -1)


def train(bars: np.ndarray, l2: float) -> np.ndarray:
    from scipy.optimize import minimize
    X = rolls(bars)
    n, _, p = X.shape
    on = np.zeros(16, bool)
    on[::4] = True  # the labelled beat, whichever beat is the 1

    def loss(w):
        z = X @ w
        z = z - z.max(1, keepdims=True)
        e = np.exp(z)
        tot = e.sum(1)
        p0 = e[:, on].sum(1)
        pr = e / tot[:, None]
        # d(-log p0 + log tot)/dz = pr - on * e / p0
        dz = pr - on[None] * e / p0[:, None]
        g = np.einsum("nr,nrp->p", dz, X) / n + 2 * l2 * w
        return float((np.log(tot) - np.log(p0)).mean() + l2 * w @ w), g

    w0 = np.random.default_rng(0).normal(0.0, 0.05, p)  # (w = 0 is a stationary point of the deviation input)
    r = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return r.x.reshape(bars.shape[1], -1)


def probs(b: np.ndarray, w: np.ndarray) -> np.ndarray:
    z = rolls(b[None])[0] @ w.ravel()
    z = np.exp(z - z.max())
    return z.reshape(pc.BAR_BEATS, 4).sum(0) / z.sum()


def main(argv=None) -> int:
    global MODE, MIN_BEATS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--l2", type=float, nargs="+", default=[1e-3])
    ap.add_argument("--lams", type=float, nargs="+", default=[0.3, 0.6, 1.0, 1.5])
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--items", action="store_true")
    ap.add_argument("--mode", default="dev", choices=["full", "dev", "dev4", "full4"],
                    help="full: each beat's whole fold; dev: how the bar's beats differ (the tracker's); 4: the 4 cues only")
    ap.add_argument("--min-beats", type=int, default=MIN_BEATS)
    a = ap.parse_args(argv)
    MODE, MIN_BEATS = a.mode, a.min_beats
    t0 = time.time()
    data = []
    for s in bc.all_specs():
        if s.split != "tuning":
            continue
        data.append({"name": s.name, "source": s.source, "w": windows(cue_probe.extract(s))})
    print(f"{len(data)} items, {sum(len(d['w']) for d in data)} windows, {time.time() - t0:.0f} s", file=sys.stderr)
    total = sum(pc.WEIGHTS.values()) + pc.LEARNED_WEIGHT
    for l2 in a.l2:
        res: dict[str, dict[str, list[bool]]] = {}
        for src in sorted({d["source"] for d in data}):
            w = train(np.array([b for d in data if d["source"] != src for _, b in d["w"]]), l2)
            for d in data:
                if d["source"] != src or not d["w"]:
                    continue
                for f, b in d["w"]:
                    base = pc.combined(f) * total
                    bar = probs(b, w)
                    res.setdefault("main (cues + template)", {}).setdefault(d["name"], []).append(np.argmax(base) == 0)
                    res.setdefault("bar template alone", {}).setdefault(d["name"], []).append(np.argmax(bar) == 0)
                    for lam in a.lams:
                        res.setdefault(f"main + {lam:g} x bar", {}).setdefault(d["name"], []).append(
                            np.argmax(base + lam * bar) == 0)
                        m = (base + lam * bar) / (total + lam)
                        res.setdefault(f"main + {lam:g} x bar, margin", {}).setdefault(d["name"], []).append(
                            float(m[0] - m[1:].max()))
            print(f"  l2 {l2:g} source {src} done {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
        print(f"\nl2 {l2:g}, leave one source out")
        print("| phase from | items on the beat | windows on the beat | " + " | ".join(WATCH) + " |")
        print("|---|---|---|" + "---|" * len(WATCH))
        for how, r in res.items():
            if how.endswith("margin"):
                continue
            items = [np.mean(v) > 0.5 for v in r.values()]
            wins = [x for v in r.values() for x in v]
            print(f"| {how} | {sum(items)}/{len(items)} | {100 * np.mean(wins):.2f} % | "
                  + " | ".join(f"{np.mean(r[n]):.2f}" if n in r else "-" for n in WATCH) + " |")
        if a.items:
            base = res["main (cues + template)"]
            for how, r in res.items():
                if how.startswith("main +") and not how.endswith("margin"):
                    mv = [f"{n} {np.mean(base[n]):.2f}->{np.mean(r[n]):.2f}" for n in r
                          if abs(np.mean(r[n]) - np.mean(base[n])) > 0.05]
                    print(f"  {how}: " + "; ".join(mv))
    if a.write:
        w = train(np.array([b for d in data for _, b in d["w"]]), a.l2[0])
        rows = ",\n".join("    [" + ", ".join(f"{v:.4f}" for v in row) + "]" for row in w)
        TARGET.write_text(
            '"""The learned bar template (``phase_cues.bar_probabilities``): one weight per channel (the\n'
            "four cues, then ``phase_cues.FLUX_GROUPS``) and bar bin (4 beats x 16 phase bins).  Generated\n"
            f"by ``bench/bar_model.py --write`` (L2 {a.l2[0]:g}) from the corpus's tuning split only (TimGM6mb,\n"
            f'OPL-3 FM, the numpy kit; {len(data)} items, {sum(len(d["w"]) for d in data)} windows); do not edit by hand."""\n\n'
            "import numpy as np\n\n"
            f"WEIGHTS = np.array([\n{rows},\n])\n")
        print(f"wrote {TARGET}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
