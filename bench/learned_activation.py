"""Would a small learned beat activation beat the hand-made phase cues?  Measured side by side.

Both are scored the same way on the corpus's *tuning* split (the held-out split is not
touched): each item's audio after its scored start is cut into windows of 16 labelled
beats, every 4 beats; an activation is folded at the labelled beat positions and read
at the four quarter-beat positions (peak within a 16th); a window is right when the beat
scores highest.  An item counts as right when most of its windows are.

- **hand-made cues**: ``vj.audio.phase_cues`` (kick, backbeat, off-beat hats, chord change),
  combined exactly as the tracker combines them (``PhaseCues.scores``).
- **learned**: a causal MLP (180 inputs -> 24 tanh -> 1 sigmoid) on the log band levels
  (32 bands pooled to 20) of the 2 hops before and the 6 after a candidate hop, relative
  to the hop before, plus the spectral shape at the candidate; trained (Adam, numpy) to
  fire within 12.5 ms of a labelled beat.  Scored leave-one-source-out: trained on two of
  the tuning split's three synthesis sources, tested on the third, so it is judged on
  sounds it has not heard, as the tracker is.

    python bench/learned_activation.py        # ~5 min on one core
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import beat_corpus as bc  # noqa: E402
from vj.audio.features import FeatureExtractor  # noqa: E402
from vj.audio.phase_cues import BINS, PhaseCues  # noqa: E402
from vj.audio.tempo_comb import OnsetStrength  # noqa: E402

HOP, SR = 512, 44100
WINDOW_BEATS, STEP_BEATS = 16, 4
AFTER, BEFORE = 6, 2  # hops after / before the candidate hop the network sees
POOL = [[i] for i in range(12)] + [[12, 13], [14, 15], [16, 17], [18, 19], [20, 21], [22, 23], [24, 25, 26],
                                   [27, 28, 29, 30, 31]]
HIDDEN, EPOCHS, BATCH, LR, L2 = 24, 8, 512, 3e-3, 1e-4
TARGET_S = 0.0125


def extract(item) -> dict:
    fe, onset = FeatureExtractor(SR, HOP), OnsetStrength()
    n = item.audio.size // HOP
    cues = PhaseCues(SR, HOP, window_s=item.duration + 5)
    bands = np.zeros((n, 32), np.float32)
    for i in range(n):
        fe.process(item.audio[i * HOP:(i + 1) * HOP])
        onset(fe.bands_raw)
        cues(onset.flux, fe.bands_raw, fe.power, (i + 1) * HOP / SR)
        bands[i] = fe.bands_raw
    return {"bands": bands, "t": cues.t[:n].copy(), "cues": cues, "n": n}


def features(bands: np.ndarray) -> np.ndarray:
    L = np.log(np.maximum(bands.astype(np.float64), 1e-4))
    E = np.stack([np.log(np.mean(np.exp(2 * L[:, g]), axis=1)) / 2 for g in POOL], 1)
    prev = np.vstack([E[:1], E[:-1]])
    cols = []
    for k in range(-BEFORE, AFTER + 1):
        if k == -1:
            continue
        sh = np.roll(E, -k, axis=0)
        if k > 0:
            sh[-k:] = E[-1]
        if k < 0:
            sh[:-k] = E[0]
        cols.append(sh - prev)
    return np.clip(np.concatenate(cols + [E - E.mean(1, keepdims=True)], 1), -8, 8).astype(np.float32)


def train(X: np.ndarray, y: np.ndarray, seed: int = 0) -> dict:
    mu, sd = X.mean(0), X.std(0) + 1e-6
    Xn = (X - mu) / sd
    rng = np.random.default_rng(seed)
    p = [rng.standard_normal((X.shape[1], HIDDEN)).astype(np.float32) / np.sqrt(X.shape[1]),
         np.zeros(HIDDEN, np.float32), rng.standard_normal(HIDDEN).astype(np.float32) / np.sqrt(HIDDEN),
         np.array([-3.0], np.float32)]
    m = [np.zeros_like(a) for a in p]
    v = [np.zeros_like(a) for a in p]
    pos_w = (1 - y.mean()) / y.mean() * 0.25
    step = 0
    for _ in range(EPOCHS):
        order = rng.permutation(len(y))
        for s in range(0, len(y), BATCH):
            b = order[s:s + BATCH]
            h = np.tanh(Xn[b] @ p[0] + p[1])
            out = 1 / (1 + np.exp(-(h @ p[2] + p[3][0])))
            w = np.where(y[b] > 0, pos_w, 1.0)
            g = (out - y[b]) * w / w.sum()
            gh = np.outer(g, p[2]) * (1 - h * h)
            grads = [Xn[b].T @ gh + L2 * p[0], gh.sum(0), h.T @ g, np.array([g.sum()])]
            step += 1
            for i, gr in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * gr
                v[i] = 0.999 * v[i] + 0.001 * gr * gr
                p[i] -= LR * (m[i] / (1 - 0.9 ** step)) / (np.sqrt(v[i] / (1 - 0.999 ** step)) + 1e-8)
    return {"mu": mu, "sd": sd, "p": p}


def activation(model: dict, X: np.ndarray) -> np.ndarray:
    p = model["p"]
    h = np.tanh(((X - model["mu"]) / model["sd"]) @ p[0] + p[1])
    return 1 / (1 + np.exp(-(h @ p[2] + p[3][0])))


def windows(item, t: np.ndarray):
    """(hop mask, beat position per hop) for each window of labelled beats."""
    beats = item.beats
    ph = np.interp(t, beats, np.arange(len(beats)), left=np.nan, right=np.nan)
    ok = np.isfinite(ph) & (t >= item.scored_from)
    if not ok.any():
        return
    for w0 in np.arange(np.ceil(np.nanmin(ph[ok])), np.nanmax(ph[ok]) - WINDOW_BEATS, STEP_BEATS):
        yield ok & (ph >= w0) & (ph < w0 + WINDOW_BEATS), ph


def quarter_values(x: np.ndarray, ph: np.ndarray) -> np.ndarray:
    b = np.floor((ph % 1.0) * BINS).astype(int) % BINS
    f = np.bincount(b, weights=x, minlength=BINS) / np.maximum(np.bincount(b, minlength=BINS), 1)
    near = np.maximum(np.maximum(f, np.roll(f, 1)), np.roll(f, -1))
    return near[np.arange(4) * (BINS // 4)]


def hand_scores(cues: PhaseCues, sel: np.ndarray, ph: np.ndarray) -> np.ndarray:
    """``PhaseCues.scores`` with the labelled beat positions in place of a grid's."""
    from vj.audio.phase_cues import WEIGHTS
    out = np.zeros(4)
    for c in cues.CUES:
        x = cues.act[c][:len(ph)][sel]
        b = np.floor((ph[sel] % 1.0) * BINS).astype(int) % BINS
        f = np.bincount(b, weights=x, minlength=BINS) / np.maximum(np.bincount(b, minlength=BINS), 1)
        v = quarter_values(x, ph[sel])
        if c == "hats":
            v = np.roll(v, -2)
        span = float(f.max() - f.min())
        if v.sum() > 0 and span > 0:
            out += WEIGHTS[c] * float(v.max() - v.min()) / span * v / v.sum()
    return out


def main() -> int:
    specs = [s for s in bc.all_specs() if s.split == "tuning"]
    data = {}
    t0 = time.time()
    for s in specs:
        item = bc.load(s)
        d = extract(item)
        d["X"] = features(d["bands"])
        d["y"] = (np.min(np.abs(d["t"][:, None] - item.beats[None, :]), axis=1) < TARGET_S).astype(np.float32)
        d["item"] = item
        data[s.name] = d
        print(f"  {s.name}", file=sys.stderr, flush=True)
    print(f"features of {len(data)} tuning items in {time.time() - t0:.0f} s", file=sys.stderr)
    sources = sorted({n.split("@")[1] for n in data})
    right = {"hand-made cues": {}, "learned (leave-one-source-out)": {}}
    cpu_hop = None
    for held in sources:
        train_names = [n for n in data if not n.endswith("@" + held)]
        X = np.concatenate([data[n]["X"] for n in train_names])
        y = np.concatenate([data[n]["y"] for n in train_names])
        model = train(X, y)
        for n in [n for n in data if n.endswith("@" + held)]:
            d = data[n]
            act = activation(model, d["X"])
            c0 = time.process_time()  # streaming, one hop at a time, as the tracker would run it
            for i in range(min(1000, d["n"])):
                activation(model, d["X"][i:i + 1])
            cpu_hop = (time.process_time() - c0) / min(1000, d["n"])
            hw, lw = [], []
            for sel, ph in windows(d["item"], d["t"]):
                hw.append(int(np.argmax(hand_scores(d["cues"], sel, ph))) == 0)
                lw.append(int(np.argmax(quarter_values(act[sel], ph[sel]))) == 0)
            right["hand-made cues"][n] = hw
            right["learned (leave-one-source-out)"][n] = lw
        print(f"  held out {held}: done", file=sys.stderr, flush=True)
    print("| activation | items on the beat (most windows) | windows on the beat | CPU per hop |")
    print("|---|---|---|---|")
    for k, r in right.items():
        items = [np.mean(w) > 0.5 for w in r.values() if w]
        wins = [x for w in r.values() for x in w]
        cpu = "~0.05 ms (bench: all cues)" if k.startswith("hand") else f"{1000 * cpu_hop:.3f} ms + features"
        print(f"| {k} | {np.mean(items):.3f} ({sum(items)}/{len(items)}) | {np.mean(wins):.3f} | {cpu} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
