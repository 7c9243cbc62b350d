"""Replay the downbeat's evidence with other constants, without running the tracker again.

The downbeat only labels beats (it never moves them), so one run of the tracker per item
records everything it hears: each fired beat, each hop's bass and cue values, and each
beat the bench saw reported.  Replaying that stream through ``vj.audio.downbeat.Downbeat``
with its module constants changed gives the bar starts those constants would have
reported, scored as bench/downbeats.py scores them.

    python bench/downbeat_probe.py --split tuning --record     # once (cached in out/downbeat-events)
    python bench/downbeat_probe.py --split tuning --set WEIGHTS.harmony=1.0 KEEP=0.8
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import downbeats as db  # noqa: E402
from beats import blocks  # noqa: E402

CACHE = HERE.parent / "out" / "downbeat-events"


def record(item: db.Item) -> list[tuple]:
    """The tracker's downbeat inputs and the bench's reported beats, in order."""
    from vj.audio.analysis import Analyzer
    an = Analyzer(sample_rate=item.sample_rate, hop=512, beats_per_bar=db.BPB, bpm_hint=None)
    tr = an.tracker
    ev: list[tuple] = []
    beat, hop = tr.downbeat.beat, tr.downbeat.hop
    tr.clock._on_beat = lambda i, t: (ev.append(("b", i, t)), beat(i, t))
    tr.downbeat.hop = lambda *a: (ev.append(("h",) + tuple(a)), hop(*a))
    last = -1
    for _, blk in blocks(item.audio, 512):
        an.process(blk)
        b = an.snapshot().beat
        if b.beat_count > last:
            ev.append(("s", int(b.beat_count), float(b.last_beat)))
        last = int(b.beat_count)
    return ev


def replay(ev: list[tuple]) -> list[tuple[float, int]]:
    from vj.audio.downbeat import Downbeat
    d = Downbeat(db.BPB)
    out = []
    for e in ev:
        if e[0] == "b":
            d.beat(e[1], e[2])
        elif e[0] == "h":
            d.hop(*e[1:])
        else:
            out.append((e[2], d.bar_beat(e[1])))
    return out


def setting(mod, spec: str) -> None:
    name, val = spec.split("=")
    if "." in name:
        d, k = name.split(".")
        getattr(mod, d)[k] = float(val)
    else:
        setattr(mod, name, type(getattr(mod, name))(float(val)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=db.SPLITS)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--record", action="store_true", help="run the tracker and record (else: the cache)")
    ap.add_argument("--set", nargs="*", default=[], help="downbeat constants: NAME=V or WEIGHTS.kind=V")
    ap.add_argument("--items", action="store_true")
    args = ap.parse_args(argv)
    import vj.audio.downbeat as mod
    for s in args.set:
        setting(mod, s)
    only = [n for n in (args.only or []) if n != "demo"] or None
    items = db.demo_items() if args.only is None or "demo" in args.only else []
    if args.only is None or only:
        items += db.corpus_items(only, args.split)[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    scores = []
    for it in items:
        path = CACHE / f"{it.name}.pkl"
        if args.record or not path.exists():
            path.write_bytes(pickle.dumps(record(it)))
        s = db.score(it, replay(pickle.loads(path.read_bytes())))
        scores.append(s)
        if args.items:
            print(f"  {it.name:36s} {s.n:3d} right {s.share:6.3f} settled {s.settled} wrong {s.wrong_beat}")
    rows = []
    for split in ("demo",) + db.SPLITS:
        sc = [s for s in scores if s.split == split]
        if sc:
            rows.append(db.row(split, db.aggregate(sc)))
    print(" ".join(args.set) or "(as is)")
    print(db.md_table(db.COLS, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
