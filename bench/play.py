"""`vj play` live under Xvfb, adaptive quality next to `--quality fixed`, in one run (issue 15's measure).

    python bench/play.py [SECONDS] [WxH] [FPS]     (defaults: 60 1280x720 60; needs Xvfb, `make demo`)

The demo bank with the demo track (120 BPM), a flight into the next clip every 2 bars, the control panel
beside the output (the default window), frames paced by the clock (Xvfb has no vsync); a third run with
adaptive quality and no panel (`--no-panel`) shows what the panel's share is.  Prints one table:
dropped and late frames, frame times, the render scale it settled at, switches and how many frames a new
clip waited for its first picture after its flight began, the panel's cost, where a frame's time goes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

SETLIST = """
[setlist]
title = "bench: the demo bank, a flight every 2 bars"

[[songs]]
title = "Demo, 2 bars"
bank = "demo"
audio = "{audio}"
tempo = 120.0
switch_bars = 2
order = "bank"
"""


#: the runs, side by side: (column, --quality, more arguments)
RUNS = (("--quality auto", "auto", ()), ("--quality fixed", "fixed", ()), ("auto, --no-panel", "auto", ("--no-panel",)))


def run(seconds: float, size: str, fps: float, quality: str, tmp: Path, more: tuple[str, ...] = ()) -> dict:
    setlist = tmp / "bench.toml"
    setlist.write_text(SETLIST.format(audio=ROOT / "setlists" / "audio" / "demo.flac"))
    stats = tmp / f"{quality}{len(more)}.json"
    r = subprocess.run([sys.executable, "-m", "vj", "play", str(setlist), "--audio-file",
                        str(ROOT / "setlists" / "audio" / "demo.flac"), "--mute", "--no-vsync", "--size", size,
                        "--fps", str(fps), "--duration", str(seconds), "--stats", str(stats), "--quality", quality,
                        "--osc-port", "0", *more],
                       capture_output=True, text=True, cwd=ROOT, timeout=seconds + 120)
    if r.returncode != 0:
        raise SystemExit(f"vj play failed:\n{r.stderr[-2000:]}")
    return json.loads(stats.read_text())


def main(seconds: float = 60.0, size: str = "1280x720", fps: float = 60.0) -> None:
    from common import machine
    from servers import xvfb

    if not (ROOT / "banks" / "demo" / "bank.toml").is_file() or not (ROOT / "setlists" / "audio" / "demo.flac").is_file():
        raise SystemExit("bench/play.py needs the demo bank and track: run `make demo` first")
    out = {}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp, xvfb("1920x1080x24"):
        for column, quality, more in RUNS:
            out[column] = run(seconds, size, fps, quality, Path(tmp), more)
    load.append(os.getloadavg()[0])
    rows = [
        ("frames", lambda s: f"{s['frames']}"),
        ("dropped frames", lambda s: f"{s['dropped_frames']} ({100 * s['dropped_frames'] / max(1, s['frames'] + s['dropped_frames']):.1f} %)"),
        ("late frames (> 1.5 periods)", lambda s: f"{s['late_frames']}"),
        ("frame time p50 / p95 / p99 ms", lambda s: "{p50:.1f} / {p95:.1f} / {p99:.1f}".format(**s["frame_time_ms"])),
        ("render scale settled (end)", lambda s: f"{s['render_scale_settled']:g} ({s['render_scale']:g})"),
        ("quality changes", lambda s: f"{s['quality_changes']}"),
        ("switches", lambda s: f"{s['switches']}"),
        ("pre-rolled / cold starts", lambda s: f"{s['preroll_hits']} / {s['cold_starts']}"),
        ("worst frames a new clip waited", lambda s: f"{s['worst_switch_stall_frames']}"),
        ("panel CPU p50 / p95 ms (20 Hz, 10 in flights)",
         lambda s: "{p50:.2f} / {p95:.2f}".format(**s["panel_ms"]) if s.get("panel_ms") else "-"),
        ("GL time of the show's draw p50 / p95 ms",
         lambda s: "{p50:.2f} / {p95:.2f}".format(**s["gpu_time_ms"]) if s.get("gpu_time_ms") else "-"),
        ("steps p50 ms: input+hear / tick+draw / present+panel+flip",
         lambda s: " / ".join(f"{v:.1f}" for v in s["step_ms_p50"].values())),
    ]
    print(f"vj play {size} @ {fps:g} Hz for {seconds:g} s under Xvfb, a flight every 2 bars (120 BPM); "
          f"machine: {machine()}; load average {load[0]:.1f} before, {load[1]:.1f} after\n")
    w0 = max(len(r[0]) for r in rows)
    cells = [[fn(out[c]) for c, _, _ in RUNS] for _, fn in rows]
    w = [max(len(c), *(len(r[i]) for r in cells)) for i, (c, _, _) in enumerate(RUNS)]
    print(f"| {'':<{w0}} | " + " | ".join(c.ljust(n) for (c, _, _), n in zip(RUNS, w)) + " |")
    print(f"|{'-' * (w0 + 2)}|" + "|".join("-" * (n + 2) for n in w) + "|")
    for (name, _), row in zip(rows, cells):
        print(f"| {name:<{w0}} | " + " | ".join(c.ljust(n) for c, n in zip(row, w)) + " |")
    print("\nrender scale steps (s, scale):", out[RUNS[0][0]].get("render_scale_steps"))

if __name__ == "__main__":
    a = sys.argv[1:]
    main(float(a[0]) if a else 60.0, a[1] if len(a) > 1 else "1280x720", float(a[2]) if len(a) > 2 else 60.0)
