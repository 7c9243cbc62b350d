"""Why vj's tracker sits on the phase it sits on: its phase decisions on one item, traced.

Runs the tracker on a tuning item, from its first beat or from ``bench/midstart.py``'s cut
(the same cut: ``--start mid``), and prints every phase decision with the labels' view of it:

- ``SEED``: a seeded grid (first lock, re-seeds, the change detector's challenger): its
  tempo, the lattice's onset strength at its four quarters, the margin and rival the cues
  give, and each cue's four phase scores (the grid, 1/4, 1/2, 3/4 of a beat later; the
  labelled beat's position starred);
- ``chk``: each phase-challenger check (after a fired beat): the window read, "kick present",
  the margin and rival, the vote count, and per cue the grid's score less the labelled
  beat's (positive: that cue holds the grid where it is);
- ``TAKE``: a grid the tracker takes (a re-seed or a flip);
- ``beats``: the phase of the reported beats after the labelled beat (0: on it; 0.5: the
  "and"; a swung 8th lies at 0.58-0.67, where no quarter-beat offset reaches it).

``true q`` is the quarter-beat offset of the grid nearest the labelled beats (``?`` when they
lie over 1/16 beat from every quarter).  Scores are those of ``phase_cues`` (each cue's
weight x spread, over the sum of the weights; the learned template's probabilities x its
weight), so a check's margin is the sum of the cues' columns.  Round 16, docs/BEATS.md.

    python bench/phase_trace.py hiphop-swing-90@opl3 --start mid --until 10
    python bench/phase_trace.py jungle-165@opl3 --start first --checks-only
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import beats as bb  # noqa: E402
import midstart as ms  # noqa: E402
from vj.audio import phase_challenger as pch  # noqa: E402
from vj.audio import phase_cues as pc  # noqa: E402
from vj.audio.analysis import Analyzer  # noqa: E402


def cue_scores(folds: np.ndarray) -> dict[str, np.ndarray]:
    """Each cue's share of ``phase_cues.combined`` (four scores: the grid and its offsets)."""
    total = sum(pc.WEIGHTS.values()) + pc.LEARNED_WEIGHT
    out = {}
    for i, c in enumerate(pc.PhaseCues.CUES):
        one = np.zeros_like(folds)  # this cue's rows only (the hats': the steady fold too, round 26)
        one[i] = folds[i]
        if c == "hats" and len(folds) > pc.STEADY_HATS_ROW:
            one[pc.STEADY_HATS_ROW] = folds[pc.STEADY_HATS_ROW]
        out[c] = pc.hand_scores(one) / total
    out["template"] = pc.LEARNED_WEIGHT * pc.template_probabilities(folds) / total
    return out


def label_phase(fit, ref: np.ndarray, now: float) -> float | None:
    """Where the labelled beats of the last 4 s lie on ``fit``'s beats (0..1 beat after them)."""
    r = ref[(ref <= now) & (ref > now - 4.0)]
    if not len(r):
        return None
    ph = np.asarray(fit.position(r)) % 1.0
    return float(np.angle(np.mean(np.exp(2j * np.pi * ph))) / (2 * np.pi) % 1.0)


def true_q(ph: float | None) -> int | None:
    if ph is None:
        return None
    q = int(round(4 * ph)) % 4
    return q if abs((ph - q / 4 + 0.5) % 1.0 - 0.5) <= 1 / 16 else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("item", help="a steady tuning item (bench/midstart.py's)")
    ap.add_argument("--start", choices=("mid", "first"), default="mid", help="midstart's cut, or the first beat")
    ap.add_argument("--until", type=float, default=12.0, help="trace this many seconds (default 12)")
    ap.add_argument("--checks-only", action="store_true", help="no per-cue rows under the checks")
    args = ap.parse_args()
    items, cuts = ms.steady_items([args.item])
    if not items:
        ap.error(f"{args.item}: not a steady tuning item")
    it, cut = items[0], (cuts[0] if args.start == "mid" else 0.0)
    ref = np.asarray(it.beats, float)
    ref = ref[ref >= cut] - cut
    x = np.asarray(it.audio, np.float32)[int(round(cut * it.sample_rate)):]
    an = Analyzer(sample_rate=it.sample_rate, hop=512, beats_per_bar=4, bpm_hint=None)
    tr, ph, cues = an.tracker, an.tracker.phase, an.tracker.cues
    print(f"{it.name}: from {cut:.2f} s ({args.start}), labelled period {np.median(np.diff(ref)):.3f} s")
    seed0, check0 = ph.seed, ph.check

    def seed(fit, now, since=-math.inf):
        out = seed0(fit, now, since)
        if now <= args.until:
            window = max(pch.SEED_WINDOW_MIN_S, min(pch.PHASE_WINDOW_S, now - since))
            m, q = cues.margin(fit, now, window)
            lp = label_phase(fit, ref, now)
            tq = true_q(lp)
            moved = round(4 * ((out.offset - fit.offset) % 1.0)) % 4
            print(f"  SEED {now:6.2f} s {60 / fit.period:6.1f} BPM window {window:.1f} s  lattice strength "
                  f"{[round(s) for s in fit.strength]}  labels at {lp if lp is None else round(lp, 2)} (true q "
                  f"{'?' if tq is None else tq})  margin {m:+.3f} vs q {q} -> moved {moved}")
            folds = cues.folds(fit, now, window)
            if folds is not None:
                for c, v in cue_scores(folds).items():
                    print(f"      {c:9s}" + " ".join(("*" if i == tq else " ") + f"{s:.3f}" for i, s in enumerate(v)))
        return out

    def check(fit, now, grid_since, kick, entered=-math.inf):
        votes = ph.votes
        out = check0(fit, now, grid_since, kick, entered)
        if now <= args.until:
            window = min(pch.PHASE_WINDOW_S, max(pch.SEED_WINDOW_MIN_S, now - grid_since + pch.SEED_WINDOW_MIN_S))
            m, q = cues.margin(fit, now, window)
            tq = true_q(label_phase(fit, ref, now))
            print(f"  chk  {now:6.2f} s {60 / fit.period:6.1f} BPM window {window:.1f} s kick {int(kick)}  "
                  f"margin {m:+.3f} vs q {q}  true q {'?' if tq is None else tq}  votes {votes}->{ph.votes}"
                  + ("  FLIP" if out is not None else ""))
            folds = cues.folds(fit, now, window)
            if not args.checks_only and tq and folds is not None:
                print("       grid - labelled:" + "".join(f"  {c} {v[0] - v[tq]:+.3f}"
                                                       for c, v in cue_scores(folds).items()))
        return out

    ph.seed, ph.check = seed, check
    printed: list = []  # the tracker's grid moves already shown (BeatTracker.moves keeps the last ones)
    est, last = [], -1
    for end, blk in bb.blocks(x, 512):
        an.process(blk)
        for m in tr.moves:
            if m.t <= args.until and not any(m is p for p in printed[-len(tr.moves):]):
                printed.append(m)
                tq = true_q(label_phase(m.after, ref, m.t))
                print(f"  TAKE {m.t:6.2f} s {60 / m.after.period:6.1f} BPM ({m.rule})  true q {'?' if tq is None else tq}")
        b = an.snapshot().beat
        if b.beat_count > last:
            est.append(float(b.last_beat))
            last = int(b.beat_count)
    per = float(np.median(np.diff(ref)))
    for lo in range(0, int(it.duration - cut), 10):
        e = [t for t in est if lo <= t < lo + 10 and np.searchsorted(ref, t) > 0]
        phs = [((t - ref[np.searchsorted(ref, t) - 1]) / per) % 1.0 for t in e]
        print(f"  beats {lo:3d}-{lo + 10:3d} s: phase after the labelled beat " + " ".join(f"{p:.2f}" for p in phs[:12]))


if __name__ == "__main__":
    main()
