"""Where vj's beat tracker spends its CPU, and whether a faster tracker still gives the
same beats.

    python bench/beat_cpu.py --profile [--only NAMES] [--top 40]   # cProfile over the bench's vj adapter
    python bench/beat_cpu.py --parts [--only NAMES]                # process time per part, no profiler
    python bench/beat_cpu.py --same main [--split tuning]          # beat times against vj@main, item by item

``--profile`` runs ``beats.vj_tracker()`` (the bench's adapter: ``Analyzer.process`` and one
``snapshot()`` per 512-sample block) under cProfile on a few tuning items and prints the
functions by their own time and by cumulative time.  ``--parts`` times the tracker's public parts (process time around each call, about
0.5 us a call of its own: the shares are those of an unprofiled run; rows overlap, a seed
holds grid fits).  ``--same REV`` runs this tree's tracker
and the tracker at git revision ``REV`` on the same items, one after the other, and
compares the reported beat times: identical, or the largest difference in seconds (float
noise is well under a microsecond; a changed decision moves beats by milliseconds).
Its CPU column is process time per audio second of each, in the same process and
under the same load (alternating item by item).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import beat_corpus as bc  # noqa: E402
import beats  # noqa: E402

#: Items profiled by default: one of each kind of load (a steady groove, a tempo change
#: in a club, a room, silence, a busy break), from the tuning split.
PROFILE_ITEMS = ("house-124@timgm", "change-128-100-club@timgm", "rock-112-room@opl3",
                 "silence-gap-120-100@numpy", "jungle-165@timgm")


def _items(only, split):
    return bc.corpus(names=only, split=split)


def profile(only, split, top):
    items = _items(only or list(PROFILE_ITEMS), split)
    run = beats.vj_tracker()
    prof = cProfile.Profile()
    audio_s = 0.0
    t0 = time.process_time()
    for it in items:
        prof.enable()
        run(it.audio, it.sample_rate)
        prof.disable()
        audio_s += it.duration
    cpu = time.process_time() - t0
    print(f"{len(items)} items, {audio_s:.1f} s of audio, {cpu:.2f} s CPU under the profiler "
          f"({100 * cpu / audio_s:.2f} % with its overhead)")
    st = pstats.Stats(prof)
    st.sort_stats("tottime").print_stats(top)
    st.sort_stats("cumulative").print_stats(top)


def parts(only, split):
    import functools

    import vj.audio.analysis as an
    import vj.audio.beat_tracker as bt
    import vj.audio.change_detector as cd
    import vj.audio.features as fe
    import vj.audio.onset_evidence as oe
    import vj.audio.phase_cues as pc
    import vj.audio.tempo_comb as tc
    import vj.audio.tempo_proposer as tp
    acc: dict[str, list[int]] = {}

    def wrap(owner, name, label):
        f = getattr(owner, name)

        @functools.wraps(f)
        def timed(*a, **k):
            t0 = time.process_time_ns()
            try:
                return f(*a, **k)
            finally:
                c = acc.setdefault(label, [0, 0])
                c[0] += time.process_time_ns() - t0
                c[1] += 1
        setattr(owner, name, timed)

    for owner, name, label in (
            (fe.FeatureExtractor, "process", "features"), (an.Analyzer, "snapshot", "snapshot (with state)"),
            (bt.BeatTracker, "process_hop", "tracker, per hop (all of it)"), (bt, "fit_grid", "grid fit"),
            (pc.PhaseCues, "__call__", "phase cues, per hop"), (tc.OnsetStrength, "__call__", "onset strength"),
            (tp.TempoProposer, "estimate", "the comb's estimates"), (pc.PhaseCues, "margin", "phase margins"),
            (cd.ChangeDetector, "challenge", "change detector's challenger"), (oe.OnsetEvidence, "rate", "evidence"),
            (bt.BeatTracker, "seed_lattice", "seeds (lattice)"), (bt.BeatTracker, "seed_phase", "seeds (phase)"),
            (bt.BeatTracker, "state", "state")):
        wrap(owner, name, label)
    items = _items(only or list(PROFILE_ITEMS), split)
    run = beats.vj_tracker()
    audio_s = 0.0
    t0 = time.process_time()
    for it in items:
        run(it.audio, it.sample_rate)
        audio_s += it.duration
    cpu = time.process_time() - t0
    print(f"{len(items)} items, {audio_s:.1f} s of audio: {100 * cpu / audio_s:.2f} % of one core in all")
    for label, (ns, n) in sorted(acc.items(), key=lambda kv: -kv[1][0]):
        print(f"  {label:32s} {100 * ns / 1e9 / audio_s:6.2f} %  {n:7d} calls  {ns / 1e3 / max(n, 1):8.1f} us a call")


def same(rev, only, split):
    items = _items(only, split)
    mine, theirs = beats.vj_tracker(), beats.vj_tracker(rev=rev)
    cpu = {"this": 0.0, rev: 0.0}
    audio_s = 0.0
    differ = 0
    worst = 0.0
    for it in items:
        t0 = time.process_time()
        a = mine(it.audio, it.sample_rate)
        t1 = time.process_time()
        b = theirs(it.audio, it.sample_rate)
        t2 = time.process_time()
        cpu["this"] += t1 - t0
        cpu[rev] += t2 - t1
        audio_s += it.duration
        if a.beats.shape == b.beats.shape and np.array_equal(a.beats, b.beats) \
                and np.array_equal(a.reported, b.reported):
            note = "identical"
        elif a.beats.shape == b.beats.shape and np.array_equal(a.reported, b.reported):
            d = float(np.max(np.abs(a.beats - b.beats)))
            worst = max(worst, d)
            note = f"same beats, times differ by up to {d:.3g} s"
            differ += d > 1e-6
        else:
            note = f"DIFFERENT: {a.beats.size} beats against {b.beats.size}"
            differ += 1
        print(f"{it.name:36s} {100 * (t1 - t0) / it.duration:5.2f} % {100 * (t2 - t1) / it.duration:5.2f} %  {note}",
              flush=True)
    print(f"\n{len(items)} items, {audio_s / 60:.1f} min of audio; items that differ by more than 1 us: {differ}; "
          f"largest time difference otherwise {worst:.3g} s")
    print(f"CPU % of one core (process time / audio time, alternating item by item): "
          f"this tree {100 * cpu['this'] / audio_s:.2f} %, {rev} {100 * cpu[rev] / audio_s:.2f} %")
    return 1 if differ else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", action="store_true", help="cProfile the vj adapter on a few items")
    ap.add_argument("--parts", action="store_true", help="process time per part of the tracker")
    ap.add_argument("--same", metavar="REV", help="compare beat times with vj at git revision REV")
    ap.add_argument("--only", nargs="*", help="item or recipe names or groups")
    ap.add_argument("--split", choices=beats.SPLITS, default="tuning")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args(argv)
    if args.profile:
        profile(args.only, args.split, args.top)
        return 0
    if args.parts:
        parts(args.only, args.split)
        return 0
    if args.same:
        return same(args.same, args.only, args.split)
    ap.error("say --profile, --parts or --same REV")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
