"""Seam score of the zoom-throughs over the demo setlist: the old look against the new, in one run.

    python bench/seams.py            # the demo setlist at 640x360 (needs `make demo`)
    python bench/seams.py --size 1280x720

"before" is the look as it was before issue 16: B a rectangle with a narrow feather, its own colours
(``blend = 0``, ``colour_match = 0``, which draw exactly what the old shader drew).  "after" is the
default look: a wide mask about B's focus that hardens only as B fills the screen, B's colour and
contrast matched to A's picture around it early in the flight.  Both render the same show (same
tracks, tempo, clips and flights); the score is vj.render.seam's, on every flight frame that has a
border to judge.  Also: the two ingredients alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from common import ROOT, machine, table

from vj.render.rehearse import rehearse
from vj.show.plan import plan_show

LOOKS = {
    "before (rectangle, own colours)": {"blend": 0.0, "colour_match": 0.0},
    "mask only": {"blend": 1.0, "colour_match": 0.0},
    "colour match only": {"blend": 0.0, "colour_match": 1.0},
    "after (default)": {},
}


def flights(result) -> list[list[float]]:
    """Seam scores per flight (consecutive flight frames), in order."""
    out, cur, last = [], None, -1.0
    for f in result.log:
        if f.transition >= 0:
            if cur is None or f.transition < last:   # back-to-back flights (switch_bars = 1) are two
                cur = []
                out.append(cur)
            if f.seam is not None:
                cur.append(f.seam)
            last = f.transition
        else:
            cur, last = None, -1.0
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--setlist", type=Path, default=ROOT / "setlists" / "demo.toml")
    ap.add_argument("--size", default="640x360")
    args = ap.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    plans = plan_show(args.setlist)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, changes in LOOKS.items():
            ps = [replace(p, rules=p.rules.with_changes(changes)) for p in plans]
            result = rehearse(ps, Path(tmp) / "seams.mp4", size=size, fps=30)
            per = [f for f in flights(result) if f]
            frames = [s for f in per for s in f]
            medians = [statistics.median(f) for f in per]
            rows.append([name, len(per), len(frames), f"{statistics.median(frames):.2f}",
                         f"{statistics.quantiles(frames, n=10)[-1]:.2f}", f"{max(medians):.2f}",
                         f"{sum(m <= 1.3 for m in medians)}/{len(medians)}"])
    print(f"# Seam score, {args.setlist.name} at {args.size} ({machine()})\n")
    print(table(["look", "flights", "frames scored", "median", "90th percentile", "worst flight (median)",
                 "flights <= 1.3"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
