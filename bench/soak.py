"""The soak (issue 14): `vj play` for N minutes with OSC traffic and song changes, watched from outside.

The real `vj play` under Xvfb (tests/playrig.py: its own process, output grabbed by X grabs, OSC over UDP)
plays the demo setlist (when `make demo` has built it; else the test bank's two songs) at 640x360 with a
clip switch every bar and a controller's traffic: fader moves and pulses several times a second, a state
query every 10 s, a song change every 20 s.  With jackd installed (the default; `--no-jack` otherwise) the
input is live, as on stage: a real JACK server (dummy driver) with a 120 BPM track looping into vj's inputs,
an "APC MINI" on JACK MIDI moving the blur fader 8 times a second and cueing a pad every 4 s, and the
server killed and started again every `--jack-every` minutes (the issue: 10); after each restart the
player and the controller come back, as a performer would replug them.  Without JACK the input is a track
file as long as the soak.
Every 10 s it samples the process from /proc (RSS, open files, threads, children included); at the end it
reads `--stats` (`frame_time_windows`: frame times per 10 s).  It prints the samples a minute apart, the
RSS slope after the warm-up (MB/min, least squares; the issue's target: under 0.2), and the drift of the
frame times (median and p95 of the last windows against the first ones after the warm-up).

    python bench/soak.py --minutes 12 --warmup 3
    python bench/soak.py --minutes 60 --warmup 5 --csv out/soak.csv     # the issue's length
"""

from __future__ import annotations

import argparse
import contextlib
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
from midi_controller import MidiController  # noqa: E402
from playrig import PlayRun  # noqa: E402
from servers import xvfb  # noqa: E402
from test_faults_songs import two_songs  # noqa: E402
from vj.bank import import_bank  # noqa: E402

#: how often the process is sampled (s): the issue's figure
SAMPLE_S = 10.0
#: the issue's target for the RSS slope after the warm-up (MB/min)
RSS_TARGET = 0.2
SIZE = (640, 360)
#: JACK's rate and the looping track's length: a whole number of beats at 120 BPM and of JACK periods
JACK_RATE = 48000
LOOP_S = 16.0
#: seconds the server stays dead at each restart (fault 5 of the campaign: 4 s)
JACK_DOWN_S = 4.0
class JackRig:
    """The stage's live input: jackd, a looping player patched into vj's inputs, a MIDI controller."""

    def __init__(self, server, work: Path):
        from jack import Player
        from test_audio_live import kick_track
        self.server, self.work = server, work
        track, _ = kick_track(JACK_RATE, LOOP_S)
        self.player = Player(np.stack([track, 0.5 * track], 1), work, loop=True)
        self.midi = MidiController("APC MINI", env=server.env)
        self.restarts: list[float] = []      #: when each restart began (time.monotonic())
        self.failures: list[str] = []

    def up(self, timeout: float = 30.0) -> None:
        """Start the player and the controller and patch the player into vj (vj's ports may take a few
        seconds to come back after a restart)."""
        self.player.start()
        vj_in = self.server.wait_ports("vj:", 2, timeout=timeout)
        out = self.server.wait_ports(f"{self.player.name}:", 2)
        if len(vj_in) < 2 or len(out) < 2:
            self.failures.append(f"{time.monotonic():.0f}: ports did not appear: {self.server.ports()}")
        else:
            self.server.connect(out[0], vj_in[0])
            self.server.connect(out[1], vj_in[1])
            self.player.play()
        self.midi.start().send("sweep", timeout=None)

    def down(self) -> None:
        self.midi.kill()
        self.player.kill()

    def restart(self) -> None:
        """The server killed (SIGKILL, like a crash) for JACK_DOWN_S, started again, everything replugged."""
        self.restarts.append(time.monotonic())
        self.server.kill()
        self.down()
        time.sleep(JACK_DOWN_S)
        self.server.start()
        try:
            self.up()
        except RuntimeError as exc:
            self.failures.append(f"{time.monotonic():.0f}: {exc}")


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
                state = run.query(timeout=0.5)
            except OSError:
                state = {}
            counts["answered"] += bool(state)
            counts["queries"] += 1
            if "blur" in state:
                counts["blur"].append((time.monotonic(), float(state["blur"])))
        if k % 160 == 0:
            run.osc("/vj/song/select", 1 + (k // 160) % songs)
            counts["songs"] += 1


def jack_summary(rig: JackRig, blur: list[tuple[float, float]], err: str, stats: dict, t0: float) -> str:
    """What the live input went through: each restart, whether vj said so, whether MIDI moved the show after."""
    edges = [t0, *rig.restarts, float("inf")]
    alive = []
    for a, b in zip(edges, edges[1:]):
        values = {round(v, 3) for t, v in blur if a + 15 < t < b}     # 15 s for vj to find the port again
        alive.append(len(values) >= 2)
    lost, back = err.count("audio input lost"), err.count("audio input back")
    audio = stats.get("audio_input", {})
    return (f"JACK: {len(rig.restarts)} restarts (at " + ", ".join(f"{(t - t0) / 60:.1f}" for t in rig.restarts)
            + f" min); vj said 'audio input lost' {lost}x, 'audio input back' {back}x; input connected at the end: "
            f"{audio.get('connected_at_end')}; MIDI fader followed in {sum(alive)}/{len(alive)} stretches between "
            f"restarts; rig failures: {rig.failures or 'none'}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=12.0)
    ap.add_argument("--warmup", type=float, default=3.0, help="minutes left out of the RSS slope (issue: 5)")
    ap.add_argument("--demo-root", type=Path, default=ROOT, help="the checkout whose banks/demo and setlists/ to play")
    ap.add_argument("--csv", type=Path, help="write the samples here")
    ap.add_argument("--no-jack", action="store_true", help="a track file as the input, no JACK, no MIDI")
    ap.add_argument("--jack-every", type=float, default=10.0, help="minutes between JACK restarts (issue: 10)")
    args = ap.parse_args()
    jack = not args.no_jack and shutil.which("jackd") is not None
    work = Path(tempfile.mkdtemp(prefix="vj-soak-"))
    os.environ["VJ_STATE_DIR"] = str(work / "states")
    seconds = args.minutes * 60
    samples: list[tuple[float, float, int, int]] = []
    counts = {"queries": 0, "answered": 0, "songs": 0, "blur": []}
    rig: JackRig | None = None
    try:
        setlist = demo_setlist(args.demo_root, work)
        what = "the demo setlist (3 songs, effects on)"
        songs = 3
        if setlist is None:
            for i in range(4):
                write_clip(work / "src" / f"clip{i}.mp4", size=(96, 54), seconds=2.0, seed=i * 3)
            import_bank(work / "src", "t", banks_dir=work / "banks")
            setlist = Path(two_songs(work, work / "banks"))
            what, songs = "the test bank's two songs (no demo bank: run `make demo`)", 2
        with contextlib.ExitStack() as stack:
            display = stack.enter_context(xvfb("1280x800x24"))
            if jack:
                from jack import jack_server
                rig = JackRig(stack.enter_context(jack_server()), work)
                source = ["--audio-device", "system", "--midi", "--midi-backend", "mido.backends.rtmidi/UNIX_JACK"]
            else:
                track = write_track(work / "track.flac", seconds=seconds + 30)
                source = ["--audio-file", str(track), "--mute"]
            run = PlayRun(display, [str(setlist), *source, "--duration", f"{seconds:g}"], work / "run", size=SIZE)
            run.start()
            stop = threading.Event()
            try:
                run.wait_window(120)
                if rig is not None:
                    rig.up()
                ctl = threading.Thread(target=controller, args=(run, stop, songs, counts), daemon=True)
                ctl.start()
                t0 = run.started_at
                next_restart = t0 + args.jack_every * 60
                while run.proc.poll() is None:
                    samples.append((time.monotonic() - t0, *sample(run.proc.pid)))
                    print(f"[{samples[-1][0]:6.0f} s] RSS {samples[-1][1]:7.1f} MB, {samples[-1][2]} fds, "
                          f"{samples[-1][3]} threads", file=sys.stderr, flush=True)
                    if rig is not None and time.monotonic() >= next_restart and time.monotonic() < t0 + seconds - 60:
                        next_restart += args.jack_every * 60
                        print(f"[{time.monotonic() - t0:6.0f} s] JACK killed for {JACK_DOWN_S:g} s", file=sys.stderr, flush=True)
                        rig.restart()
                    end = time.monotonic() + SAMPLE_S
                    while time.monotonic() < end and run.proc.poll() is None:
                        time.sleep(0.2)
                stop.set()
                code = run.wait(60)
            finally:
                stop.set()
                run.terminate()
                if rig is not None:
                    rig.down()
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
    if rig is not None:
        print(jack_summary(rig, counts["blur"], err, stats, t0))
    print(f"output (X grabs): longest black {black:.2f} s, longest frozen {frozen:.2f} s; "
          f"frames {stats['frames']}, dropped {stats['dropped_frames']}; vj said {len(err.splitlines())} lines")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
