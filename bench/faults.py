"""The standing fault suite (issue 14): each fault of the campaign against the real `vj play`, beside a
fault-free baseline run in the same invocation, in one table.

Every run is `vj play` in its own process under one Xvfb, its output grabbed from outside by X grabs
(tests/playrig.py, tests/xgrab.py), faults injected as the stage would: files moved away and cut short,
a real JACK server killed, OSC packets over UDP, idle and reset OSCQuery connections, `kill -9`, the
setlist deleted and saved broken.  The fault tests' setups are imported, not copied.

Columns: the longest black and frozen stretch of the output (s, from its first picture to the end of the
show), whether vj said something in a performer's words (and its first words), whether the show came back
to what it did before the fault, and whether anything the user wrote was lost (the setlist, bank.toml and
clip files hashed before and after; for the crash, the resumed state against the one set before it).
The issue's target: no row over 1 s black or frozen, no data lost.

    python bench/faults.py              # every fault once, a baseline first and last (~4 min here)
    python bench/faults.py --rounds 2   # twice each, the worst of each column (~8 min here)
    python bench/faults.py --only osc   # one fault (names: see --list)
    python bench/faults.py --fast       # the fast subset `make test` runs (tests/test_fault_suite.py)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from common import machine, table  # noqa: E402
from fault_cases import FAULTS, baseline  # noqa: E402
from fault_rig import Row, Show, merge, secs, user_files, words  # noqa: E402
from media import write_clip, write_track  # noqa: E402
from servers import xvfb  # noqa: E402
from vj.bank import import_bank  # noqa: E402

#: the issue's target for every fault: no black or frozen stretch of the output longer than this (s)
TARGET_S = 1.0
#: the subset the test suite runs (~1 min here): the network faults, whose inputs anyone on the network can
#: send, and the import check, which needs no show
FAST = ("osc", "feedback", "import")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=sorted(FAULTS), help="run only these faults (repeatable)")
    ap.add_argument("--fast", action="store_true", help=f"only the fast subset ({', '.join(FAST)})")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--rounds", type=int, default=1, help="run every fault this many times (the table keeps "
                    "the worst of each column)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (runs' stderr and stats)")
    args = ap.parse_args()
    if args.list:
        print("\n".join(f"{k}: {(v.__doc__ or '').strip().splitlines()[0]}" for k, v in FAULTS.items()))
        return 0
    names = args.only or (list(FAST) if args.fast else list(FAULTS))
    work = Path(tempfile.mkdtemp(prefix="vj-faults-"))
    os.environ["VJ_STATE_DIR"] = str(work / "states")    # never the user's saved shows
    rows: list[tuple[str, Row]] = []
    load = [os.getloadavg()[0]]
    t0 = time.monotonic()
    try:
        root = work / "show"
        for i in range(4):
            write_clip(root / "src" / f"clip{i}.mp4", size=(96, 54), seconds=2.0, seed=i * 3)
        import_bank(root / "src", "t", banks_dir=root / "banks")
        track = write_track(root / "track.flac")
        with xvfb("1280x800x24") as display:
            show = Show(root, root / "banks", track, display)
            plan = [(r, name) for r in range(args.rounds) for name in ["baseline", *names]]
            plan.append((args.rounds, "baseline"))
            for rnd, name in plan:
                show.tag = f"-{rnd}" if rnd else ""
                fn = baseline if name == "baseline" else FAULTS[name]
                before = user_files(root)
                print(f"[{time.monotonic() - t0:5.0f} s] {name} ...", file=sys.stderr, flush=True)
                try:
                    row = fn(show)
                except Exception as e:     # a fault that broke the rig is a row too, never a lost table
                    row = Row(f"{name}: the run failed: {type(e).__name__}: {str(e)[:120]}", float("nan"),
                              float("nan"), None, False, [], (0.0, 0))
                if row is None:
                    continue
                after = user_files(root)
                row.lost += [f"{k} changed" for k, v in before.items() if after.get(k, v) != v]
                row.lost += [f"{k} gone" for k in before if k not in after]
                rows.append((name, row))
    finally:
        if args.keep:
            print(f"work folder: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    load.append(os.getloadavg()[0])
    rows = merge(rows)
    base = [r.fps[0] for r in rows if r.fault.startswith("baseline") and r.fps[0]]
    base_fps = sum(base) / len(base) if base else 0.0
    print(f"\nvj play under Xvfb at 320x180, --fps 30; {machine()}; {time.monotonic() - t0:.0f} s in all; "
          f"each fault run {args.rounds} time(s), the baseline {args.rounds + 1}; load average {load[0]:.1f} at the "
          f"start, {load[1]:.1f} at the end")
    print(table(["fault", "longest black s", "longest frozen s", "fps (vs baseline), dropped", "message said",
                 "recovered", "data lost"],
          [[r.fault, secs(r.black), secs(r.frozen),
            "-" if r.fps[0] != r.fps[0] else (f"{r.fps[0]:.1f} ({r.fps[0] / base_fps:.2f}), {r.fps[1]}" if base_fps
                                              else f"{r.fps[0]:.1f}, {r.fps[1]}"),
            words(r.said, r.said_words) if r.expect_said or r.said else "- (nothing to say)",
            "-" if r.recovered is None else ("yes" if r.recovered else "NO"),
            "no" if not r.lost else "YES: " + ", ".join(r.lost)] for r in rows]))
    bad = [r.fault for r in rows if r.black > TARGET_S or r.frozen > TARGET_S or r.lost
           or r.recovered is False or (r.expect_said and not r.said)]
    print(f"\ntarget (no black or frozen stretch over {TARGET_S:g} s, nothing lost, every fault said and recovered): "
          + ("met" if not bad else "MISSED by " + "; ".join(bad)))
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
