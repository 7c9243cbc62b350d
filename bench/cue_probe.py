"""Each phase cue's vote on the labelled beats, per item, from cached per-hop features.

``bench/learned_activation.py``'s harness, made fast to re-run: the tuning split's per-hop
band levels, band flux and the 14 cue channels of ``vj.audio.phase_cues`` are extracted once
(``out/probe/feat/NAME.npz``, ~1 min for 122 items; delete the folder after a change to the
features or the cues), then every window of ``--win`` labelled beats (every ``--step``) is
folded at the labelled beat positions and scored by each cue alone and by
``phase_cues.combined``; a window is right when the labelled beat scores highest of the four
quarter-beat offsets, an item when most of its windows are.  A variant of a cue is a function
of the cached arrays (``--variant``), so trying one costs seconds, not a bench run.

The learned template was trained on this split (``bench/phase_model.py``): its column here is
in-sample, not a measure of how it generalises (leave-one-source-out: 85.3 %, docs/BEATS.md).
Round 18, docs/BEATS.md.

    python bench/cue_probe.py --win 8 --step 2 --show reggaeton-96@timgm jungle-165@opl3
    python bench/cue_probe.py --variant backbeat-mean     # round 16's folds
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import beat_corpus as bc  # noqa: E402
from vj.audio import phase_cues as pc  # noqa: E402
from vj.audio.features import FeatureExtractor  # noqa: E402
from vj.audio.tempo_comb import OnsetStrength  # noqa: E402

HOP, SR = 512, 44100
FEAT = HERE.parent / "out" / "probe" / "feat"


def extract(spec) -> dict:
    path = FEAT / f"{spec.name}.npz"
    if not path.exists():
        FEAT.mkdir(parents=True, exist_ok=True)
        item = bc.load(spec)
        fe, onset = FeatureExtractor(SR, HOP), OnsetStrength()
        n = item.audio.size // HOP
        cues = pc.PhaseCues(SR, HOP, window_s=item.duration + 5)
        bands = np.zeros((n, 32), np.float32)
        flux = np.zeros((n, 32), np.float32)
        for i in range(n):
            fe.process(item.audio[i * HOP:(i + 1) * HOP])
            onset(fe.bands_raw)
            cues(onset.flux, fe.bands_raw, fe.power, (i + 1) * HOP / SR)
            bands[i], flux[i] = fe.bands_raw, onset.flux
        np.savez(path, bands=bands, flux=flux, t=cues.t[:n], chan=cues.channels[:n], beats=item.beats,
                 scored_from=item.scored_from)
    return dict(np.load(path))


def mean_fold(chan: np.ndarray, ph: np.ndarray) -> np.ndarray:
    """Every channel's mean per phase bin (round 16's folds)."""
    b = np.floor((ph % 1.0) * pc.BINS).astype(int) % pc.BINS
    oh = np.zeros((b.size, pc.BINS))
    oh[np.arange(b.size), b] = 1.0
    return (chan.T @ oh) / np.maximum(oh.sum(0), 1.0)


#: The tracker's folds (``PhaseCues.folds``): the backbeat over its loudest beats (round 18).
fold = pc.fold_channels


def kick_median(chan: np.ndarray, ph: np.ndarray) -> np.ndarray:
    """Variant (tried in round 18, not kept; on round 16's folds): the kick row is the median over
    the window's beats of each beat's peak per bin ("a kick on every beat"), half and half with
    the mean fold."""
    f = mean_fold(chan, ph)
    b = np.floor((ph % 1.0) * pc.BINS).astype(int) % pc.BINS
    beat = np.floor(ph).astype(int)
    beat -= beat.min()
    m = np.zeros((beat.max() + 1, pc.BINS))
    np.maximum.at(m, (beat, b), chan[:, 0])
    med = np.median(m[1:-1] if len(m) > 4 else m, axis=0)
    f[0] = 0.5 * f[0] + 0.5 * med * f[0].sum() / (med.sum() + 1e-12)
    return f


VARIANTS = {"none": fold, "backbeat-mean": mean_fold, "kick-median": kick_median}


def scorers() -> dict:
    def only(cue):
        def score(f):
            old = dict(pc.WEIGHTS)
            pc.WEIGHTS.update({k: float(k == cue) for k in old})
            try:
                return pc.hand_scores(f)
            finally:
                pc.WEIGHTS.update(old)
        return score
    out = {c: only(c) for c in pc.PhaseCues.CUES}
    out["template (in-sample)"] = pc.template_probabilities
    out["combined"] = pc.combined
    return out


def evaluate(d: dict, foldfn, score, win: int, step: int) -> tuple[float, float] | None:
    """(share of windows on the labelled beat, median margin of the labelled beat)."""
    t, beats = d["t"], d["beats"]
    ph = np.interp(t, beats, np.arange(len(beats)), left=np.nan, right=np.nan)
    ok = np.isfinite(ph) & (t >= float(d["scored_from"]))
    if not ok.any():
        return None
    right, margin = [], []
    for w0 in np.arange(np.ceil(np.nanmin(ph[ok])), np.nanmax(ph[ok]) - win, step):
        sel = ok & (ph >= w0) & (ph < w0 + win)
        s = score(foldfn(d["chan"][sel], ph[sel]))
        right.append(float(np.argmax(s) == 0))
        margin.append(float(s[0] - max(s[1:])))
    return (float(np.mean(right)), float(np.median(margin))) if right else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--win", type=int, default=8, help="labelled beats per window (the tracker reads ~6 s)")
    ap.add_argument("--step", type=int, default=2)
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="none")
    ap.add_argument("--show", nargs="*", default=[], help="items whose per-cue votes to print")
    a = ap.parse_args()
    data = {s.name: extract(s) for s in bc.all_specs() if s.split == "tuning"}
    print(f"| cue ({a.variant}, {a.win}-beat windows every {a.step}) | items on the beat (of {len(data)}) "
          f"| windows on the beat | " + " | ".join(a.show) + " |")
    print("|---|---|---|" + "---|" * len(a.show))
    for name, score in scorers().items():
        res = {n: r for n, d in data.items() if (r := evaluate(d, VARIANTS[a.variant], score, a.win, a.step))}
        items = sum(r[0] > 0.5 for r in res.values())
        shown = " | ".join(f"{res[n][0]:.2f} ({res[n][1]:+.3f})" for n in a.show if n in res)
        print(f"| {name} | {items} | {np.mean([r[0] for r in res.values()]):.3f} | {shown} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
