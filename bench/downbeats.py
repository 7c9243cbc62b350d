"""Downbeat bench: does the tracker's bar start (``BeatState.bar_beat == 0``) land on the 1?

Per item of the labelled corpus (bench/beat_corpus.py; 4/4 items only: the tracker counts
four beats to the bar) and per demo track (vj/demo/track.py, ``vj demo``'s three), vj's
Analyzer is fed 512-sample blocks as in bench/beats.py, and every fired beat is recorded with
the ``bar_beat`` it was reported with (what the show's clock reads).  Scored:

- **bar starts**: fired beats with ``bar_beat == 0`` after the tracker's lock (bench/beats.py's
  lock time) that lie within ``WINDOW`` of a labelled beat (beat errors are the beat bench's);
- **right**: the share of those within ``WINDOW`` of a labelled downbeat;
- **settled s**: seconds from the item's scored start to the first right bar start after which
  every bar start is right ("never" when the last one is wrong; counted as the item's length
  in the mean, the count in brackets).

    python bench/downbeats.py --split tuning --trackers vj,vj@main --items
    python bench/downbeats.py --only demo house-124 --trackers vj
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import beat_corpus as bc  # noqa: E402
from beat_metrics import lock_time  # noqa: E402
from beats import SPLITS, blocks, md_table, vj_at_revision  # noqa: E402

#: A bar start counts as on a labelled beat / downbeat within this (seconds).
WINDOW = 0.070
BPB = 4
#: ``vj demo``'s tracks (vj/demo_show.py's DEMO_TRACKS): (name, bpm, seconds).
DEMO_TRACKS = (("demo", 120.0, 48.0), ("demo-96", 96.0, 30.0), ("demo-140", 140.0, 30.0))


@dataclass
class Item:
    name: str
    split: str
    group: str
    family: str
    audio: np.ndarray
    sample_rate: int
    beats: np.ndarray
    downbeats: np.ndarray
    scored_from: float = 0.0


@dataclass
class DownbeatScore:
    name: str
    split: str
    group: str
    family: str
    duration: float
    lock: float | None          #: seconds from the scored start to the beat lock
    n: int = 0                  #: bar starts after the lock, on a labelled beat
    right: int = 0              #: ... of them on a labelled downbeat
    settled: float | None = None  #: seconds from the scored start to the first right bar start that stays right
    wrong_beat: dict = field(default_factory=dict)  #: labelled position (1-4) of the wrong bar starts: count

    @property
    def share(self) -> float:
        return self.right / self.n if self.n else math.nan


def demo_items() -> list[Item]:
    from vj.demo.track import synth_track
    out = []
    for name, bpm, seconds in DEMO_TRACKS:
        samples, tr = synth_track(bpm=bpm, seconds=seconds)
        out.append(Item(name, "demo", "demo", "demo", samples.mean(axis=1).astype(np.float32), tr.sample_rate,
                        np.asarray(tr.beats, float), np.asarray(tr.downbeats, float)))
    return out


def corpus_items(names, split) -> tuple[list[Item], list[str]]:
    items, skipped = [], []
    for it in bc.corpus(False, names, split=split):
        if it.time_signature != f"{BPB}/4":
            skipped.append(it.name)
            continue
        fam = ",".join(getattr(it.spec, "families", ()) or ())
        items.append(Item(it.name, it.split, it.group, fam, it.audio, it.sample_rate, np.asarray(it.beats, float),
                          np.asarray(it.downbeats, float), it.scored_from))
    return items, skipped


def analyzer(rev: str | None):
    if rev is None:
        from vj.audio.analysis import Analyzer
        return Analyzer
    return vj_at_revision(rev)[0]


def run(Analyzer, item: Item) -> list[tuple[float, int]]:
    """(beat time, bar_beat as reported) of every fired beat."""
    an = Analyzer(sample_rate=item.sample_rate, hop=512, beats_per_bar=BPB, bpm_hint=None)
    last, out = -1, []
    for _, blk in blocks(item.audio, 512):
        an.process(blk)
        b = an.snapshot().beat
        if b.beat_count > last:
            out.append((float(b.last_beat), int(b.bar_beat)))
        last = int(b.beat_count)
    return out


def score(item: Item, fired: list[tuple[float, int]]) -> DownbeatScore:
    start = item.scored_from
    ref = item.beats[item.beats >= start - 1e-6]
    est = np.array([t for t, _ in fired])
    duration = len(item.audio) / item.sample_rate
    lk = lock_time(ref, est[est >= start - WINDOW], start=start) if len(est) and len(ref) else None
    s = DownbeatScore(item.name, item.split, item.group, item.family, duration, lk)
    if lk is None:
        return s
    rights = []
    for t, bb in fired:
        if bb != 0 or t < start + lk - WINDOW:
            continue
        d = np.abs(ref - t)
        i = int(np.argmin(d))
        if d[i] > WINDOW:
            continue
        ok = bool(len(item.downbeats)) and float(np.min(np.abs(item.downbeats - t))) <= WINDOW
        if not ok:  # which beat of the labelled bar it is (1-based)
            before = item.downbeats[item.downbeats <= ref[i] + 1e-6]
            pos = 1 + (int(np.sum((ref > before[-1] + 1e-6) & (ref <= ref[i] + 1e-6))) if len(before) else -1)
            s.wrong_beat[pos] = s.wrong_beat.get(pos, 0) + 1
        rights.append((t, ok))
    s.n, s.right = len(rights), sum(ok for _, ok in rights)
    if rights and rights[-1][1]:
        k = len(rights) - 1
        while k > 0 and rights[k - 1][1]:
            k -= 1
        s.settled = rights[k][0] - start
    return s


def aggregate(sc: list[DownbeatScore]) -> dict:
    n, right = sum(s.n for s in sc), sum(s.right for s in sc)
    items = [s for s in sc if s.n]
    return {"items": len(sc), "bar_starts": n, "right": right / n if n else math.nan,
            "items_all_right": sum(s.right == s.n for s in items),
            "items_mostly_wrong": sum(s.share < 0.5 for s in items),
            "settled": float(np.mean([s.duration - 0 if s.settled is None else s.settled for s in items]))
            if items else math.nan,
            "never": sum(s.settled is None for s in items)}


COLS = ["group", "items", "bar starts", "right", "all right", "mostly wrong", "settled s (never)"]


def row(label: str, a: dict) -> list[str]:
    return [label, str(a["items"]), str(a["bar_starts"]), f"{a['right']:.3f}", str(a["items_all_right"]),
            str(a["items_mostly_wrong"]), f"{a['settled']:.2f} ({a['never']})"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=SPLITS, help="one split only (default: both)")
    ap.add_argument("--trackers", default="vj", help="comma-separated: vj, vj@REV")
    ap.add_argument("--only", nargs="*", help="item or recipe names or groups ('demo': the demo tracks)")
    ap.add_argument("--no-demo", action="store_true", help="leave out vj demo's tracks")
    ap.add_argument("--items", action="store_true", help="also print a row per item")
    ap.add_argument("--json", metavar="PATH", help="dump the per-item numbers")
    args = ap.parse_args(argv)

    only = [n for n in (args.only or []) if n != "demo"] or None
    items: list[Item] = []
    if not args.no_demo and (args.only is None or "demo" in args.only):
        items += demo_items()
    skipped: list[str] = []
    if args.only is None or only:
        corpus, skipped = corpus_items(only, args.split)
        items += corpus
    results = {}
    for name in [t.strip() for t in args.trackers.split(",") if t.strip()]:
        An = analyzer(name[3:] if name.startswith("vj@") else None)
        scores = []
        for it in items:
            s = score(it, run(An, it))
            scores.append(s)
            print(f"  {name:12s} {it.name:36s} bar starts {s.n:3d}  right {s.share:6.3f}  settled "
                  f"{'never' if s.settled is None else f'{s.settled:.2f}'}  wrong at {s.wrong_beat}",
                  file=sys.stderr, flush=True)
        results[name] = scores
    out = []
    if skipped:
        out.append(f"not 4/4 (left out): {len(skipped)} items\n")
    for name, scores in results.items():
        for split in ("demo",) + SPLITS:
            sc = [s for s in scores if s.split == split]
            if not sc:
                continue
            out.append(f"### {name}, {split}\n")
            rows = [row("**all**", aggregate(sc))]
            for attr in ("group", "family"):
                vals = sorted({getattr(s, attr) for s in sc})
                if len(vals) > 1:
                    rows += [row(f"{attr} {v}", aggregate([s for s in sc if getattr(s, attr) == v])) for v in vals]
            out.append(md_table(COLS, rows) + "\n")
            if args.items:
                out.append(md_table(["item", "bar starts", "right", "settled s", "wrong at beat: n"],
                                    [[s.name, str(s.n), f"{s.share:.3f}",
                                      "never" if s.settled is None else f"{s.settled:.2f}",
                                      " ".join(f"{k}:{v}" for k, v in sorted(s.wrong_beat.items())) or "-"]
                                     for s in sc]) + "\n")
    print("\n".join(out))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({k: [asdict(s) for s in v] for k, v in results.items()}, indent=1,
                                              default=lambda o: None))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
