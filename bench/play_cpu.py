"""Where the machine's CPU goes during `vj play` (issue 15): per thread of vj and of Xvfb, and the rest.

    python bench/play_cpu.py [--seconds 40] [--skip 8] [--size 1280x720] [--fps 60] [-- more vj play args]

Runs the same show as bench/play.py (`--quality auto`, the panel beside, under Xvfb) and samples
/proc/<pid>/task/*/stat of vj and of Xvfb from ``--skip`` seconds in to the end, plus /proc/stat for the
whole machine: prints CPU % (100 = one core) per thread name (llvmpipe's workers, the decoders, the
frame thread), the sum per process, the whole machine's busy share and what the rest of it took, and
the run's dropped frames.  Tells whether the drops come from CPU demand (the machine near 200 %) or
from waiting.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from play import SETLIST  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def threads(pid: int) -> dict[int, tuple[str, int]]:
    """tid -> (name, utime + stime in ticks) for every thread of ``pid`` (gone threads are left out)."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            raw = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1: raw.rindex(")")]
        f = raw[raw.rindex(")") + 2:].split()
        out[int(tid)] = (name, int(f[11]) + int(f[12]))
    return out


def process_ticks(pid: int) -> int:
    """utime + stime of the whole process, threads that have ended included (the decoders come and go)."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    f = raw[raw.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])


def machine_busy() -> tuple[int, int]:
    """(busy, total) ticks of the whole machine, from /proc/stat."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = f[3] + f[4]
    return sum(f) - idle, sum(f)


def main() -> int:
    from servers import xvfb

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=40.0)
    ap.add_argument("--skip", type=float, default=8.0, help="seconds before sampling starts (the warm-up)")
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--fps", type=float, default=60.0)
    ap.add_argument("--tree", default=str(ROOT), help="the checkout whose vj runs (e.g. a worktree of main)")
    ap.add_argument("more", nargs="*", help="more arguments for vj play (after --)")
    args = ap.parse_args()
    audio = ROOT / "setlists" / "audio" / "demo.flac"
    with tempfile.TemporaryDirectory() as tmp, xvfb("1920x1080x24"):
        setlist = Path(tmp) / "bench.toml"
        setlist.write_text(SETLIST.format(audio=audio))
        stats = Path(tmp) / "stats.json"
        xpid = int(subprocess.run(["pgrep", "-P", str(os.getpid()), "-x", "Xvfb"], capture_output=True,
                                  text=True).stdout.split()[0])   # our own Xvfb, not another engineer's
        p = subprocess.Popen([sys.executable, "-m", "vj", "play", str(setlist), "--audio-file", str(audio), "--mute",
                              "--no-vsync", "--size", args.size, "--fps", str(args.fps), "--duration",
                              str(args.seconds), "--stats", str(stats), "--quality", "auto", "--osc-port", "0",
                              *args.more], cwd=args.tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(args.skip)
        load0 = os.getloadavg()[0]
        a = {"vj": threads(p.pid), "Xvfb": threads(xpid)}
        whole0 = process_ticks(p.pid)
        m0, w0 = machine_busy(), time.monotonic()
        time.sleep(max(1.0, args.seconds - args.skip - 2.0))
        b = {"vj": threads(p.pid), "Xvfb": threads(xpid)}
        whole1 = process_ticks(p.pid)
        m1, w1 = machine_busy(), time.monotonic()
        load1 = os.getloadavg()[0]
        err = p.communicate(timeout=args.seconds + 120)[1]
        if p.returncode != 0:
            raise SystemExit(f"vj play failed:\n{err[-2000:]}")
        s = json.loads(stats.read_text())
    wall = w1 - w0
    per_name: dict[tuple[str, str], float] = defaultdict(float)
    count: dict[tuple[str, str], int] = defaultdict(int)
    totals = {}
    for proc in ("vj", "Xvfb"):
        tot = 0.0
        for tid, (name, ticks) in b[proc].items():
            used = (ticks - a[proc].get(tid, (name, 0))[1]) / TICK / wall * 100.0
            per_name[(proc, name)] += used
            count[(proc, name)] += 1
            tot += used
        totals[proc] = tot
    ended = (whole1 - whole0) / TICK / wall * 100.0 - totals["vj"]
    totals["vj"] += ended
    ncpu = os.cpu_count() or 1
    busy = (m1[0] - m0[0]) / max(1, m1[1] - m0[1]) * 100.0 * ncpu
    share = 100 * s["dropped_frames"] / max(1, s["frames"] + s["dropped_frames"])
    print(f"{wall:.0f} s sampled; load average {load0:.1f} -> {load1:.1f}; {ncpu} cores (100 % = one core)")
    for (proc, name), v in sorted(per_name.items(), key=lambda kv: -kv[1]):
        if v >= 0.5:
            print(f"  {proc:5s} {name:18s} x{count[(proc, name)]:<2d} {v:6.1f} %")
    one = sorted(((b["vj"][t][1] - a["vj"].get(t, ("", 0))[1]) / TICK / wall * 100.0, t == p.pid, t, b["vj"][t][0])
                 for t in b["vj"])[::-1]
    print("  vj's busiest threads (main = the frame thread): " + ", ".join(
        f"{'main' if main else name + ':' + str(tid)} {v:.1f} %" for v, main, tid, name in one[:8]))
    print(f"  vj's threads that ended while sampled (decoders of clips gone by): {ended:.1f} %")
    print(f"  vj total {totals['vj']:.1f} %, Xvfb total {totals['Xvfb']:.1f} %, machine busy {busy:.1f} % "
          f"(others {busy - totals['vj'] - totals['Xvfb']:.1f} %)")
    print(f"  dropped {share:.1f} %, frame p50/p95 {s['frame_time_ms']['p50']:.1f}/{s['frame_time_ms']['p95']:.1f} ms, "
          f"steps p50 {s['step_ms_p50']}, scale {s['render_scale_settled']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
