"""vj's tracker heard from the middle of the music, as a live input hears it.

Every corpus item starts on its first beat, so the tracker's first hop, whose onset strength
is the rise from nothing (every band from the -80 dBFS floor: 13-16 against 1-7 for the
loudest onset after it), is always a beat.  A live input started during a set, or a file cut
anywhere, starts off the beat.  This bench scores the tuning split's steady items (no tempo
change, no kick-less intro) each cut at a point off its beats: after its third labelled beat
plus 1/4, 3/8, 1/2 or 3/4 of a beat (in turn, by item order), the labels shifted with it; and
the same items from their start, for comparison, in one run (round 14, docs/BEATS.md).

    python bench/midstart.py --trackers vj,vj@main
    python bench/midstart.py --trackers vj --items --json out/midstart.json

Scores as ``bench/beats.py`` (F, AMLt, CMLt, wrong phase, lock; a lock that never comes
counts as the rest of the item).  The held-out split is not offered: it is scored once per
round, by ``bench/beats.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import beat_corpus as bc  # noqa: E402
import beat_metrics as bm  # noqa: E402
import beats as bb  # noqa: E402

#: Where each item is cut, in beats after its third labelled beat (cycled by item order).
CUT_FRACTIONS = (0.25, 0.5, 0.75, 0.375)
#: The labelled beat the cut follows (two beats heard before would not be a start).
CUT_AFTER_BEAT = 2


def cut_at(item, i: int) -> float:
    """The item's cut time (s): off its beats, by ``CUT_FRACTIONS[i % 4]`` of a beat."""
    ref = np.asarray(item.beats, float)
    period = float(np.median(np.diff(ref)))
    return float(ref[CUT_AFTER_BEAT] + CUT_FRACTIONS[i % len(CUT_FRACTIONS)] * period)


def score(item, run, cut: float) -> dict:
    """The tracker ``run`` on ``item``'s audio from ``cut`` on, against the labels after it."""
    ref = np.asarray(item.beats, float)
    x = np.asarray(item.audio, np.float32)[int(round(cut * item.sample_rate)):]
    est = np.asarray(run(x, item.sample_rate).beats, float)
    r = ref[ref >= cut] - cut
    f = bm.f_measure(r, est)
    cmlt, amlt = bm.continuity(r, est)
    lock = bm.lock_time(r, est)
    return {"name": item.name, "cut": cut, "f": f, "amlt": amlt, "cmlt": cmlt,
            "wrong_phase": bool(amlt >= 0.9 and cmlt < 0.5),
            "lock": lock if lock is not None else float(item.duration - cut - r[0]), "locked": lock is not None}


def steady_items(only: list[str] | None = None) -> tuple[list, list[float]]:
    """The tuning split's steady items (``only``: those named) and each one's cut (s)."""
    specs = bc.select(bc.all_specs(), None, "tuning", None)
    items, cuts = [], []
    i = 0
    for s in specs:
        arr = bc.arrange(s)
        if len(arr["changes"]):
            continue  # (a tempo change, a cut, a silence, a kick-less intro: not steady)
        if not only or s.name in only:
            it = bc.load(s, bc.CACHE)
            items.append(it)
            cuts.append(cut_at(it, i))
        i += 1
    unknown = sorted(set(only or ()) - {it.name for it in items})
    if unknown:
        raise SystemExit(f"midstart: no steady tuning item named {', '.join(unknown)} (names as in `--items`)")
    return items, cuts


def summary(rows: list[dict]) -> str:
    f = np.mean([r["f"] for r in rows])
    amlt = np.mean([r["amlt"] for r in rows])
    cmlt = np.mean([r["cmlt"] for r in rows])
    lock = np.mean([r["lock"] for r in rows])
    never = sum(not r["locked"] for r in rows)
    wrong = sum(r["wrong_phase"] for r in rows)
    return f"| {f:.4f} | {amlt:.3f} | {cmlt:.3f} | {wrong} | {lock:.2f} ({never}) |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trackers", default="vj", help="comma-separated: vj, vj@REV")
    ap.add_argument("--items", action="store_true", help="also print a row per item")
    ap.add_argument("--json", help="dump the per-item numbers")
    ap.add_argument("--only", nargs="*", help="only these item names (each keeps its cut: the cut is drawn "
                    "by the item's place among all the steady items)")
    args = ap.parse_args()
    items, cuts = steady_items(args.only)
    out: dict = {"n_items": len(items), "machine": bb.machine(), "trackers": {}}
    print(f"{len(items)} steady tuning items\n")
    print("| tracker | start | F | AMLt | CMLt | wrong phase | lock s (never) |")
    print("|---|---|---|---|---|---|---|")
    for name in [t.strip() for t in args.trackers.split(",") if t.strip()]:
        run = bb.vj_tracker(rev=name[3:]) if name.startswith("vj@") else bb.vj_tracker()
        res = out["trackers"][name] = {}
        for start in ("first beat", "mid-music"):
            rows = [score(it, run, 0.0 if start == "first beat" else cut) for it, cut in zip(items, cuts)]
            res[start] = rows
            print(f"| {name} | {start} {summary(rows)}", flush=True)
            if args.items:
                for r in rows:
                    print(f"    {r['name']:34s} cut {r['cut']:5.2f}  F {r['f']:.3f}  AMLt {r['amlt']:.3f}  "
                          f"CMLt {r['cmlt']:.3f}  lock {r['lock']:5.2f}{'' if r['locked'] else ' (never)'}",
                          flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
