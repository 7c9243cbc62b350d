"""Where vj's beats leave the labels on one item, and which rule moved the grid (round 21).

Runs the tracker on any corpus item from its first beat (changes, breakdowns and intros
included: ``bench/phase_trace.py`` takes steady items only) and prints:

- ``sections``: the item's sections (style, tempo) and its labelled changes;
- ``moves``: every grid move the tracker reports (``BeatTracker.moves``: the first lock, the
  provisional re-seed, the phase challenger's flip, the change detector's challenger, the
  comb's checks, a lattice move ...), with the tempo before and after, where the labelled beats
  of the last 4 s lie on the grid before and after (0: on its beats, 0.5: on the "and"), and
  the phase shift the move made (in beats, at the move);
- ``beats``: per window of ``--step`` seconds, the reported beats' error against the nearest
  labelled beat (median, ms and beats of the labelled period), the share within the F-measure's
  70 ms, and the reported tempo; a window whose beats leave the labels without a move in it
  is a refit's drift (or a tempo the grid holds while the music changed).

Public names only: ``Analyzer.tracker.moves`` (``GridMove``: t, rule, before, after) and
``GridFit.position``.

    python bench/grid_trace.py house-124-laptop@opl3
    python bench/grid_trace.py electro-128@timgm --step 1 --until 20
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import beat_corpus as bc  # noqa: E402
import beats as bb  # noqa: E402
from vj.audio.analysis import Analyzer  # noqa: E402

#: The F-measure's tolerance (s), as ``beat_metrics``.
F_TOL_S = 0.07
#: Labels read for a grid's phase: those of the last this many seconds.
LABEL_S = 4.0


def label_phase(fit, ref: np.ndarray, now: float) -> float | None:
    """Where the labelled beats of the last ``LABEL_S`` lie on ``fit``'s beats (0..1 beat after them)."""
    if fit is None:
        return None
    r = ref[(ref <= now) & (ref > now - LABEL_S)]
    if not len(r):
        return None
    ph = np.asarray(fit.position(r)) % 1.0
    return float(np.angle(np.mean(np.exp(2j * np.pi * ph))) / (2 * np.pi) % 1.0)


def trace(name: str, step: float, until: float | None) -> None:
    specs = bc.select(bc.all_specs(), [name], None, None)
    if not specs:
        raise SystemExit(f"grid_trace: no item named {name}")
    spec = specs[0]
    it = bc.load(spec, bc.CACHE)
    ref = np.asarray(it.beats, float)
    x = np.asarray(it.audio, np.float32)
    if until is not None:
        x = x[:int(until * it.sample_rate)]
    an = Analyzer(sample_rate=it.sample_rate, hop=512, beats_per_bar=4, bpm_hint=None)
    est, bpm_at, last, moves, seen = [], [], -1, [], set()
    for end, blk in bb.blocks(x, 512):
        an.process(blk)
        b = an.snapshot().beat
        if b.beat_count > last:
            est.append(float(b.last_beat))
            bpm_at.append(float(b.bpm))
            last = int(b.beat_count)
        for m in an.tracker.moves:
            key = (m.t, m.rule, id(m.after))
            if key not in seen:
                seen.add(key)
                moves.append(m)
    print(f"{it.name}: {it.duration:.1f} s, {len(ref)} labelled beats, {len(est)} reported")
    for sg in it.segments:
        print(f"  section {sg['start']:6.2f}-{sg['end']:6.2f} s  {sg['style']:14s} {sg['bpm']:6.1f} BPM"
              + (f" -> {sg['bpm_end']:.1f}" if sg.get("bpm_end") else "") + f"  ({sg.get('kind', '')})")
    for t, kind in zip(it.changes, it.change_kinds or ()):
        print(f"  change  {t:6.2f} s  {kind}")
    print("  moves:")
    for m in moves:
        before = label_phase(m.before, ref, m.t)
        after = label_phase(m.after, ref, m.t)
        shift = None if m.before is None else float((m.before.position(m.t) - m.after.position(m.t) + 0.5) % 1.0 - 0.5)
        bpm0 = "   -  " if m.before is None else f"{60 / m.before.period:6.1f}"
        print(f"    {m.t:6.2f} s  {m.rule:11s} {bpm0} -> {60 / m.after.period:6.1f} BPM  labels at "
              f"{'-' if before is None else f'{before:.2f}'} -> {'-' if after is None else f'{after:.2f}'}"
              + ("" if shift is None else f"  shift {shift:+.2f} beat"))
    est_a = np.asarray(est)
    if not len(est_a):
        return
    i = np.clip(np.searchsorted(ref, est_a), 1, len(ref) - 1)
    near = np.where(np.abs(est_a - ref[i - 1]) <= np.abs(est_a - ref[i]), i - 1, i)
    err = est_a - ref[near]
    per = np.gradient(ref)[near]
    print("  beats (window: n, median error ms / beats, within 70 ms, BPM):")
    for lo in np.arange(0.0, float(est_a[-1]) + step, step):
        w = (est_a >= lo) & (est_a < lo + step)
        if not w.any():
            continue
        e, p = err[w], per[w]
        print(f"    {lo:5.1f}-{lo + step:5.1f} s  {int(w.sum()):2d}  {1000 * np.median(e):+6.0f} ms "
              f"{np.median(e / p):+.2f}  {np.mean(np.abs(e) <= F_TOL_S):.2f}  "
              f"{np.median(np.asarray(bpm_at)[w]):6.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("items", nargs="+", help="corpus item names (bench/beat_corpus.py --list)")
    ap.add_argument("--step", type=float, default=2.0, help="seconds per row of the beats table (default 2)")
    ap.add_argument("--until", type=float, help="run this many seconds only")
    args = ap.parse_args()
    for name in args.items:
        trace(name, args.step, args.until)


if __name__ == "__main__":
    main()
