"""Bar-level phase cues, measured as one more vote next to the tracker's (round 36, docs/BEATS.md).

``bench/cue_probe.py``'s harness (its cached per-hop features, its windows of labelled beats):
every window is folded as ``phase_cues.fold_channels`` folds it, and, for a candidate bar-level
cue, one more 16-bin row is read from the same hops folded per *bar position* (the labelled beat
number mod ``--bar``, times ``BINS`` phase bins).  Which bar position is the "1" is not known to
the tracker, so every candidate is invariant to it: it reduces the four bar positions' folds per
phase bin (their maximum, their spread, ...).  The row votes like a hand-made cue (read at the
four quarter-beat positions, normalised, weighted by how much of its range lies there) with
weight ``--weight`` in ``phase_cues.combined``'s sum.  A window is right when the labelled beat
scores highest of the four quarter-beat offsets.

    python bench/bar_cue_probe.py --secs 6 --cands turns --weights 0.05 0.1 0.15 0.2 --items

Round 36 wired "turns" (x 0.1, over 8 beats or more) into the tracker: tuning F 0.936 -> 0.929,
no syncopated item moved; not kept (docs/BEATS.md, round 36).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import beat_corpus as bc  # noqa: E402
import cue_probe  # noqa: E402
from vj.audio import phase_cues as pc  # noqa: E402

#: Families whose grooves are syncopated with a quiet kick (docs/BEATS.md, "Still open").
SYNCOPATED = re.compile(r"^(reggaeton|garage|lofi|funk|ramp-funk|jungle)")
CH = {c: i for i, c in enumerate(pc.PhaseCues.CUES)}


def bar_folds(x: np.ndarray, ph: np.ndarray, bar: int) -> np.ndarray:
    """(bar, channels, BINS): every channel's mean per bar position and phase bin."""
    b = np.floor((ph % 1.0) * pc.BINS).astype(int) % pc.BINS
    pos = np.floor(ph).astype(int) % bar
    idx = pos * pc.BINS + b
    cnt = np.maximum(np.bincount(idx, minlength=bar * pc.BINS), 1)
    out = np.stack([np.bincount(idx, weights=x[:, c], minlength=bar * pc.BINS) / cnt
                    for c in range(x.shape[1])])
    return out.reshape(x.shape[1], bar, pc.BINS).transpose(1, 0, 2)


def rel(bf: np.ndarray) -> np.ndarray:
    """Each bar position's channels relative to the channel's mean over the bar (a level does
    not count), as ``phase_cues.template_input``."""
    m = bf.mean(axis=(0, 2), keepdims=True)
    return np.clip((bf - m) / (m + 1e-6), -1.0, 6.0)


def _max(ch):
    def row(bf):
        return bf[:, CH[ch]].max(0)
    return row


def _spread(chs):
    """Per phase bin, how much the bar positions differ (std over them, summed over ``chs``):
    at the beat a groove's bar is kick, snare, kick, snare; an "and" that is the same in every
    beat of the bar (a hat) carries no bar structure."""
    def row(bf):
        r = rel(bf)
        return sum(r[:, CH[c] if isinstance(c, str) else c].std(0) for c in chs)
    return row


def _all_spread(bf):
    r = rel(bf[:, :14])
    return r.std(0).sum(0)


def _salient(bf):
    """The loudest place in the bar over kick, backbeat and harmony together (each relative to
    its own mean): the 1 is where they meet."""
    r = rel(bf[:, :4])
    s = r[:, CH["kick"]] + r[:, CH["backbeat"]] + r[:, CH["harmony"]]
    return s.max(0)


def _kick_minus_mean(bf):
    """The kick's bar position of most weight against its mean over the bar positions: a kick
    on the 1 of every bar, whatever the others do."""
    k = bf[:, CH["kick"]]
    return np.maximum(k.max(0) - k.mean(0), 0.0)


def _turns(bf):
    """Per phase bin, how much the kick and the backbeat take turns over the bar positions (their
    negative covariance, each relative to its mean): kick, snare, kick, snare is a beat's bar."""
    r = rel(bf[:, :4])
    k = r[:, CH["kick"]] - r[:, CH["kick"]].mean(0)
    s = r[:, CH["backbeat"]] - r[:, CH["backbeat"]].mean(0)
    return np.maximum(-(k * s).mean(0), 0.0)


def _kick_min(bf):
    """The kick on every bar position (a four-on-the-floor kick, dembow's)."""
    return bf[:, CH["kick"]].min(0)


def _turns_plus_min(bf):
    t = _turns(bf)
    m = _kick_min(bf)
    return t / (t.max() + 1e-12) + m / (m.max() + 1e-12)


CANDIDATES = {
    "turns": _turns,
    "kick-bar-min": _kick_min,
    "turns+kick-min": _turns_plus_min,
    "kick-bar-max": _max("kick"),
    "harmony-bar-max": _max("harmony"),
    "backbeat-bar-max": _max("backbeat"),
    "kick+backbeat-spread": _spread(["kick", "backbeat"]),
    "cues-spread": _spread(["kick", "backbeat", "harmony"]),
    "all-14-spread": _all_spread,
    "salient-1": _salient,
    "kick-max-less-mean": _kick_minus_mean,
}


def row_vote(f: np.ndarray) -> np.ndarray:
    """A 16-bin row's vote, as ``hand_scores`` reads a cue (weight 1)."""
    f = f.tolist()
    v = [max(f[b - 1], f[b], f[(b + 1) % pc.BINS]) for b in pc.QUARTER_BINS.tolist()]
    total, span = sum(v), max(f) - min(f)
    if total <= 0.0 or span <= 0.0:
        return np.zeros(4)
    return (max(v) - min(v)) / span * np.array(v) / total


def evaluate(d: dict, row, weight: float, win: int, step: int, bar: int, secs: float = 0.0,
             min_beats: int = 0):
    t, beats = d["t"], d["beats"]
    if secs > 0:  # windows of about ``secs`` seconds (the tracker's read), in whole labelled beats
        win = max(4, int(secs / float(np.median(np.diff(beats)))))
    ph = np.interp(t, beats, np.arange(len(beats)), left=np.nan, right=np.nan)
    ok = np.isfinite(ph) & (t >= float(d["scored_from"]))
    if not ok.any():
        return None
    right = []
    for w0 in np.arange(np.ceil(np.nanmin(ph[ok])), np.nanmax(ph[ok]) - win, step):
        sel = ok & (ph >= w0) & (ph < w0 + win)
        x, p = d["chan"][sel], ph[sel]
        s = pc.combined(pc.fold_channels(x, p)) * (sum(pc.WEIGHTS.values()) + pc.LEARNED_WEIGHT)
        if row is not None and weight > 0 and win >= min_beats:
            s = s + weight * row_vote(row(bar_folds(x, p, bar)))
        right.append(float(np.argmax(s) == 0))
    return float(np.mean(right)) if right else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--win", type=int, default=8)
    ap.add_argument("--step", type=int, default=2)
    ap.add_argument("--bar", type=int, default=4, help="beats per bar position cycle")
    ap.add_argument("--weights", type=float, nargs="+", default=[0.2, 0.4])
    ap.add_argument("--cands", nargs="*", default=sorted(CANDIDATES))
    ap.add_argument("--secs", type=float, default=0.0, help="windows of this many seconds instead of --win")
    ap.add_argument("--min-beats", type=int, default=0, help="the vote only over windows of this many beats")
    ap.add_argument("--items", action="store_true", help="print items whose share moves")
    a = ap.parse_args()
    data = {s.name: cue_probe.extract(s) for s in bc.all_specs() if s.split == "tuning"}
    fam = sorted({SYNCOPATED.match(n).group(1) for n in data if SYNCOPATED.match(n)})
    base = {n: r for n, d in data.items() if (r := evaluate(d, None, 0, a.win, a.step, a.bar, a.secs)) is not None}

    def line(name, res):
        syn = [res[n] for n in res if SYNCOPATED.match(n)]
        per = [np.mean([res[n] for n in res if n.startswith(f)]) for f in fam]
        return (f"| {name} | {sum(r > 0.5 for r in res.values())} | {100 * np.mean(list(res.values())):.2f} % "
                f"| {100 * np.mean(syn):.1f} % | " + " | ".join(f"{100 * p:.1f}" for p in per) + " |")

    size = f"{a.secs:g}-s" if a.secs else f"{a.win}-beat"
    print(f"| vote ({size} windows every {a.step}, bar {a.bar}) | items (of {len(base)}) | windows "
          f"| syncopated windows | " + " | ".join(fam) + " |")
    print("|---|---|---|---|" + "---|" * len(fam))
    print(line("the tracker's cues and template (no bar-level vote)", base))
    for c in a.cands:
        for w in a.weights:
            res = {n: evaluate(data[n], CANDIDATES[c], w, a.win, a.step, a.bar, a.secs,
                                  a.min_beats) for n in base}
            print(line(f"+ {c} x {w:g}", res))
            if a.items:
                mv = [f"{n} {base[n]:.2f}->{res[n]:.2f}" for n in base if abs(res[n] - base[n]) > 0.05]
                print("    " + "; ".join(mv))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
