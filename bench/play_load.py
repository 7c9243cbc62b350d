"""`vj play` beside other busy programs, `--priority realtime` (the default), `raised` and `normal`, in one run.

    python bench/play_load.py [--seconds 30] [--rounds 2] [--size 1280x720] [--fps 60] [--load N ...]

A performer's laptop runs more than vj. Each load is a set of busy programs (a pure-Python spin, one
core each) started at a given nice value: none; two at nice 19 (background batch work, e.g. this
project's niced benchmarks); one at nice 0 (an ordinary program: a browser tab, a sync client); two at
nice 0 (both cores taken); two that stream memory at nice 19 (batch image or audio work: they take
memory bandwidth and caches, which no priority shares out); eight at nice 19 (a parallel build or
batch job). `--load N` picks loads by their index in that list (0-based). Under each load the three
priorities take turns in a rotating order, so a drift in the machine's own load falls on each. The
setlist is bench/play.py's (the demo bank, a flight every 2 bars, `--quality auto`, the panel beside
the output), under one Xvfb. Prints one row per run and the mean dropped share per load and priority.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine, table  # noqa: E402
from play import SETLIST  # noqa: E402
from play_ab import run  # noqa: E402

#: a busy program that uses a core and little memory, and one that streams memory (two 128 MB arrays
#: copied over and over: far more than the caches hold, as image and audio batch work does)
SPIN = "while True: pass"
STREAM = "import numpy as np\na = np.ones(16_000_000); b = np.empty_like(a)\nwhile True: np.copyto(b, a)"
#: (name, (nice value, program) of each busy program)
LOADS = (("none", ()), ("2 busy at nice 19", ((19, SPIN), (19, SPIN))), ("1 busy at nice 0", ((0, SPIN),)),
         ("2 busy at nice 0", ((0, SPIN), (0, SPIN))),
         ("2 memory-streaming at nice 19", ((19, STREAM), (19, STREAM))), ("8 busy at nice 19", ((19, SPIN),) * 8))
#: the priorities compared, in a rotating order each round
PRIORITIES = ("realtime", "raised", "normal")


def main() -> int:
    from servers import xvfb

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--fps", type=float, default=60.0)
    ap.add_argument("--load", type=int, action="append", choices=range(len(LOADS)),
                    help="only this load (repeatable; 0-based index into: " + "; ".join(n for n, _ in LOADS) + ")")
    args = ap.parse_args()
    if not (ROOT / "banks" / "demo" / "bank.toml").is_file():
        raise SystemExit("bench/play_load.py needs the demo bank and track: run `make demo` first")
    rows, dropped = [], {}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp, xvfb("1920x1080x24"):
        setlist = Path(tmp) / "bench.toml"
        setlist.write_text(SETLIST.format(audio=ROOT / "setlists" / "audio" / "demo.flac"))
        for name, nices in [LOADS[i] for i in (args.load or range(len(LOADS)))]:
            spins = [subprocess.Popen(["nice", "-n", str(n), sys.executable, "-c", code]) for n, code in nices]
            try:
                time.sleep(1.0)
                for i in range(args.rounds):
                    for prio in PRIORITIES[i % len(PRIORITIES):] + PRIORITIES[:i % len(PRIORITIES)]:
                        s = run(ROOT, setlist, Path(tmp) / f"s{i}{prio}.json", args.seconds, args.size, args.fps,
                                ("--priority", prio, "--fresh", "--no-autosave"))
                        share = 100 * s["dropped_frames"] / max(1, s["frames"] + s["dropped_frames"])
                        dropped.setdefault((name, prio), []).append(share)
                        ft = s["frame_time_ms"]
                        pr = s["priority"]
                        got = ("real-time" if pr["realtime"] and pr["threads_realtime"] else "") + f" nice {pr['nice']}"
                        rows.append([name, f"{prio} ({got.strip()})", f"{share:.2f}",
                                     f"{ft['p50']:.1f} / {ft['p95']:.1f} / {ft['p99']:.1f} / {ft['max']:.0f}",
                                     f"{s['render_scale_settled']:g}", f"{os.getloadavg()[0]:.1f}"])
                        print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
            finally:
                for p in spins:
                    p.kill()
                    p.wait()
    load.append(os.getloadavg()[0])
    print(f"vj play {args.size} @ {args.fps:g} Hz, {args.seconds:g} s a run, --quality auto, panel beside, under "
          f"Xvfb; {machine()}; load average {load[0]:.1f} before, {load[1]:.1f} after\n")
    print(table(["load", "priority", "dropped %", "frame p50 / p95 / p99 / max ms", "scale", "load avg"], rows))
    print()
    print(table(["load", "priority", "dropped % mean (runs)"],
                [[n, p, f"{sum(v) / len(v):.2f} ({', '.join(f'{x:.2f}' for x in v)})"]
                 for (n, p), v in dropped.items()]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
