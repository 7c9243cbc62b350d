"""The soak (issue 14): `vj play` for N minutes with OSC traffic and song changes, watched from outside.

The real `vj play` under Xvfb (tests/playrig.py: its own process, output grabbed by X grabs, OSC over UDP)
plays the demo setlist (when `make demo` has built it; else the test bank's two songs) at 640x360 with a
clip switch every bar, a 120 BPM track as long as the soak as its audio input, and a controller's traffic:
fader moves and pulses several times a second, a state query every 10 s, a song change every 20 s.
Every 10 s it samples the process from /proc (RSS, open files, threads, children included); at the end it
reads `--stats` (`frame_time_windows`: frame times per 10 s).  It prints the samples a minute apart, the
RSS slope after the warm-up (MB/min, least squares; the issue's target: under 0.2), and the drift of the
frame times (median and p95 of the last windows against the first ones after the warm-up).

    python bench/soak.py --minutes 12 --warmup 3
    python bench/soak.py --minutes 60 --warmup 5 --csv out/soak.csv     # the issue's length
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from common import ROOT, machine, table  # noqa: E402
from media import write_clip, write_track  # noqa: E402
from playrig import PlayRun  # noqa: E402
from servers import xvfb  # noqa: E402
from test_faults_songs import two_songs  # noqa: E402
from vj.bank import import_bank  # noqa: E402

#: how often the process is sampled (s): the issue's figure
SAMPLE_S = 10.0
#: the issue's target for the RSS slope after the warm-up (MB/min)
RSS_TARGET = 0.2
SIZE = (640, 360)


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def sample(pid: int) -> tuple[float, int, int]:
    """(RSS MB, open files, threads) of a process and its children."""
    rss = fds = threads = 0
    for p in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{p}/status").read_text()
            rss += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            threads += int(re.search(r"Threads:\s+(\d+)", status).group(1))
            fds += len(os.listdir(f"/proc/{p}/fd"))
        except (OSError, AttributeError):
            continue
    return rss / 1024.0, fds, threads


def demo_setlist(root: Path, work: Path) -> Path | None:
    """The demo setlist with its bank and tracks as absolute paths and a switch every bar; None when
    `make demo` has not built the demo bank under ``root``."""
    src, bank = root / "setlists" / "demo.toml", root / "banks" / "demo"
    if not (src.exists() and (bank / "bank.toml").exists()):
        return None
    text = src.read_text().replace('bank = "demo"', f'bank = "{bank}"')
    text = text.replace('audio = "audio/', f'audio = "{src.parent / "audio"}/')
    text = re.sub(r"switch_bars = \d+", "switch_bars = 1", text)
    out = work / "demo-soak.toml"
    out.write_text(text)
    return out


def controller(run: PlayRun, stop: threading.Event, songs: int, counts: dict) -> None:
    """A performer's controller: faders and pulses at ~8 a second, a query every 10 s, a song every 20 s."""
    t0 = time.monotonic()
    k = 0
    while not stop.wait(0.125):
        k += 1
        t = time.monotonic() - t0
        run.osc("/vj/zoom/speed", 0.1 + 0.1 * (1 + np.sin(t / 7)))
        if k % 4 == 0:
            run.osc("/vj/zoom/pulse", 0.6)
        if k % 80 == 0:
            try:
                counts["answered"] += bool(run.query(timeout=0.5))
            except OSError:
                pass
            counts["queries"] += 1
        if k % 160 == 0:
            run.osc("/vj/song/select", 1 + (k // 160) % songs)
            counts["songs"] += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=12.0)
    ap.add_argument("--warmup", type=float, default=3.0, help="minutes left out of the RSS slope (issue: 5)")
    ap.add_argument("--demo-root", type=Path, default=ROOT, help="the checkout whose banks/demo and setlists/ to play")
    ap.add_argument("--csv", type=Path, help="write the samples here")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vj-soak-"))
    os.environ["VJ_STATE_DIR"] = str(work / "states")
    seconds = args.minutes * 60
    samples: list[tuple[float, float, int, int]] = []
    counts = {"queries": 0, "answered": 0, "songs": 0}
    try:
        track = write_track(work / "track.flac", seconds=seconds + 30)
        setlist = demo_setlist(args.demo_root, work)
        what = "the demo setlist (3 songs, effects on)"
        songs = 3
        if setlist is None:
            for i in range(4):
                write_clip(work / "src" / f"clip{i}.mp4", size=(96, 54), seconds=2.0, seed=i * 3)
            import_bank(work / "src", "t", banks_dir=work / "banks")
            setlist = Path(two_songs(work, work / "banks"))
            what, songs = "the test bank's two songs (no demo bank: run `make demo`)", 2
        with xvfb("1280x800x24") as display:
            run = PlayRun(display, [str(setlist), "--audio-file", str(track), "--mute", "--duration", f"{seconds:g}"],
                          work / "run", size=SIZE)
            run.start()
            stop = threading.Event()
            try:
                run.wait_window(120)
                ctl = threading.Thread(target=controller, args=(run, stop, songs, counts), daemon=True)
                ctl.start()
                t0 = run.started_at
                while run.proc.poll() is None:
                    samples.append((time.monotonic() - t0, *sample(run.proc.pid)))
                    print(f"[{samples[-1][0]:6.0f} s] RSS {samples[-1][1]:7.1f} MB, {samples[-1][2]} fds, "
                          f"{samples[-1][3]} threads", file=sys.stderr, flush=True)
                    end = time.monotonic() + SAMPLE_S
                    while time.monotonic() < end and run.proc.poll() is None:
                        time.sleep(0.2)
                stop.set()
                code = run.wait(60)
            finally:
                stop.set()
                run.terminate()
        stats = run.stats()
        black, frozen = run.black(), run.frozen()
        err = run.stderr
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(f"{t:.1f},{r:.2f},{f},{n}\n" for t, r, f, n in samples)
        args.csv.write_text("t_s,rss_mb,fds,threads\n" + lines)
    s = np.array(samples, float)
    late = s[s[:, 0] >= args.warmup * 60]
    slope = float(np.polyfit(late[:, 0] / 60, late[:, 1], 1)[0]) if len(late) >= 3 else float("nan")
    print(f"\nsoak: vj play of {what} at {SIZE[0]}x{SIZE[1]}, --fps 30, a switch every bar, OSC traffic "
          f"({counts['songs']} song changes, {counts['answered']}/{counts['queries']} state queries answered); "
          f"{args.minutes:g} min; exit {code}; {machine()}")
    shown = samples[::6] + ([samples[-1]] if (len(samples) - 1) % 6 else [])
    rows = [[f"{t / 60:.1f}", f"{r:.1f}", f, n] for t, r, f, n in shown]
    print(table(["min", "RSS MB", "open files", "threads"], rows))
    win = np.array(stats["frame_time_windows"]["rows"], float)     # t_s, frames, p50_ms, p95_ms, max_ms, render_p50
    after = win[win[:, 0] >= args.warmup * 60] if len(win) else win
    n = max(1, min(6, len(after) // 3))
    first, last = after[:n], after[-n:]
    print(f"\nRSS after {args.warmup:g} min: {late[0, 1] if len(late) else float('nan'):.1f} -> {s[-1, 1]:.1f} MB, "
          f"slope {slope:+.3f} MB/min (target under {RSS_TARGET}: {'met' if abs(slope) < RSS_TARGET else 'MISSED'}); "
          f"open files {int(s[:, 2].min())}-{int(s[:, 2].max())}, threads {int(s[:, 3].min())}-{int(s[:, 3].max())}")
    if len(after):
        print(f"frame times, first {n} windows after the warm-up -> last {n}: median "
              f"{np.median(first[:, 2]):.1f} -> {np.median(last[:, 2]):.1f} ms, p95 {np.median(first[:, 3]):.1f} -> "
              f"{np.median(last[:, 3]):.1f} ms, render {np.median(first[:, 5]):.1f} -> {np.median(last[:, 5]):.1f} ms; "
              f"frames per 10 s {np.median(first[:, 1]):.0f} -> {np.median(last[:, 1]):.0f}")
    print(f"output (X grabs): longest black {black:.2f} s, longest frozen {frozen:.2f} s; "
          f"frames {stats['frames']}, dropped {stats['dropped_frames']}; vj said {len(err.splitlines())} lines")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
