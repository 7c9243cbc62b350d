"""`vj play` of this checkout against an earlier revision, alternating in one run (issue 15's changes).

    python bench/play_ab.py --before REV [--seconds 30] [--rounds 2] [--size 1280x720] [--fps 60]

REV is checked out into a temporary git worktree (the demo bank linked in); both versions run with this
checkout's virtual environment (`python -m vj` from each tree imports that tree's `vj`), under one Xvfb,
the same setlist as bench/play.py (the demo bank, a flight every 2 bars, `--quality auto`, the panel
beside the output), in the order A B, B A, A B, ... so a load that drifts during the run falls on both.
Prints one row per run and the mean dropped share of each version: on shared machines read the spread
within a version before the difference between them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from common import machine, table  # noqa: E402
from play import SETLIST  # noqa: E402


def run(tree: Path, setlist: Path, stats: Path, seconds: float, size: str, fps: float, extra: tuple = ()) -> dict:
    """`vj play` of ``tree`` on the demo track (``extra``: more arguments); its --stats."""
    audio = ROOT / "setlists" / "audio" / "demo.flac"
    r = subprocess.run([sys.executable, "-m", "vj", "play", str(setlist), "--audio-file", str(audio), "--mute",
                        "--no-vsync", "--size", size, "--fps", str(fps), "--duration", str(seconds), "--stats",
                        str(stats), "--quality", "auto", "--osc-port", "0", *extra],
                       cwd=tree, capture_output=True, text=True, timeout=seconds + 120)
    if r.returncode != 0:
        raise SystemExit(f"vj play ({tree}) failed:\n{r.stderr[-2000:]}")
    return json.loads(stats.read_text())


def main() -> int:
    from servers import xvfb

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="the revision to compare against (e.g. HEAD~3)")
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--fps", type=float, default=60.0)
    args = ap.parse_args()
    if not (ROOT / "banks" / "demo" / "bank.toml").is_file():
        raise SystemExit("bench/play_ab.py needs the demo bank and track: run `make demo` first")
    got = subprocess.run(["git", "rev-parse", "--short", args.before], cwd=ROOT, capture_output=True, text=True)
    if got.returncode != 0:
        raise SystemExit(f"--before {args.before}: not a revision of this repository (try `git log --oneline`)")
    rev = got.stdout.strip()
    rows, dropped = [], {"before": [], "now": []}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(old), rev], cwd=ROOT, check=True)
        try:
            (old / "banks").symlink_to(ROOT / "banks")
            setlist = Path(tmp) / "bench.toml"
            setlist.write_text(SETLIST.format(audio=ROOT / "setlists" / "audio" / "demo.flac"))
            trees = [("before", old), ("now", ROOT)]
            with xvfb("1920x1080x24"):
                for i in range(args.rounds):
                    for name, tree in (trees if i % 2 == 0 else trees[::-1]):
                        s = run(tree, setlist, Path(tmp) / f"{name}{i}.json", args.seconds, args.size, args.fps)
                        share = 100 * s["dropped_frames"] / max(1, s["frames"] + s["dropped_frames"])
                        dropped[name].append(share)
                        ft, st = s["frame_time_ms"], s["step_ms_p50"]
                        rows.append([f"{name} ({rev if name == 'before' else 'this checkout'})", f"{share:.1f}",
                                     f"{ft['p50']:.1f} / {ft['p95']:.1f} / {ft['p99']:.1f}",
                                     " / ".join(f"{v:.1f}" for v in st.values()), f"{s['render_scale_settled']:g}",
                                     f"{os.getloadavg()[0]:.1f}"])
                        print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT)
    load.append(os.getloadavg()[0])
    print(f"vj play {args.size} @ {args.fps:g} Hz, {args.seconds:g} s a run, --quality auto, panel beside, under "
          f"Xvfb; {machine()}; load average {load[0]:.1f} before, {load[1]:.1f} after\n")
    print(table(["run", "dropped %", "frame p50 / p95 / p99 ms",
                 "steps p50 ms: input+hear / tick+draw / present+panel+flip", "scale", "load"], rows))
    for name, v in dropped.items():
        print(f"{name}: dropped {sum(v) / len(v):.1f} % mean, {min(v):.1f}-{max(v):.1f} % spread")
    return 0


if __name__ == "__main__":
    sys.exit(main())
