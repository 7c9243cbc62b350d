"""A controller plugged in and pulled out in a loop against a live MIDI surface, with and without the JACK gate.

    python bench/midi_hotplug.py [--cycles 100] [--settle 0.25 0] [--gdb]

Each setting runs in its own process against its own JACK server (dummy driver), because what it
measures is a SIGSEGV: libjack removes a port from its client's list while that client's
notification thread may be walking the list for a latency callback (see
``vj.control.midi_ports.JACK_SETTLE_S``).  The controller is tests/test_midi.py's (virtual JACK ports
named like the hardware, made and removed through ``JACK_GATE``); vj's side is a real
``MidiSurface`` on a real engine.  Prints one row per setting: cycles done, how the process ended
(``ok`` or the signal), and seconds per cycle.

The race is rare on its own (a few in a thousand cycles); ``--gdb`` runs each setting under gdb,
whose stops at every thread start (each JACK client starts three) shift the threads' timing so
that the race shows within tens of cycles.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(cycles: int, settle: float) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import test_midi as T
    from jack import jack_server
    from vj.control.midi_map import load_maps
    from vj.control.midi_ports import JACK_GATE

    JACK_GATE.settle = settle
    with jack_server() as server:
        try:
            cycles_against(server, cycles, T, load_maps)
        except BaseException:
            print(f"jackd running: {server.running}\n{server.log_tail()}", file=sys.stderr)
            raise


def cycles_against(server, cycles: int, T, load_maps) -> None:
    show = T.Show()
    show.run(0.2)
    s = T.surface(show, load_maps([]), Path(tempfile.mkdtemp()))
    for i in range(cycles):
        nano = T.Controller("nanoKONTROL2")
        if not T.opened(show, s, "nanoKONTROL2"):
            raise SystemExit(f"cycle {i}: vj never opened the controller: {s.logs[-3:]}")
        nano.send(0xB0, 42, 127)
        nano.send(0xB0, 42, 0)
        show.run(0.05)
        nano.close()
        if not show.until(lambda: not s.devices, 5.0):
            raise SystemExit(f"cycle {i}: vj never saw it go: {s.logs[-3:]}")
        print(i + 1, flush=True)
    s.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cycles", type=int, default=100)
    ap.add_argument("--settle", type=float, nargs="+", default=[0.25, 0.0], help="gate settle times to compare (s)")
    ap.add_argument("--gdb", action="store_true", help="run each setting under gdb (widens the race)")
    ap.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        child(args.cycles, args.child)
        return
    print(f"{'settle s':>8} {'cycles':>7} {'ended':>8} {'s/cycle':>8}")
    for settle in args.settle:
        t0 = time.monotonic()
        cmd = [sys.executable, __file__, "--child", str(settle), "--cycles", str(args.cycles)]
        if args.gdb:
            cmd = ["gdb", "-q", "-batch", "-ex", "run", "--args", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        lines = [ln for ln in proc.stdout.splitlines() if ln.strip().isdigit()]
        done = int(lines[-1]) if lines else 0
        crash = next((w for w in ("SIGSEGV", "SIGABRT", "SIGBUS") if f"received signal {w}" in proc.stdout), None)
        ended = ("ok" if proc.returncode == 0 and crash is None and done == args.cycles else crash
                 or (signal.Signals(-proc.returncode).name if proc.returncode < 0 else f"rc {proc.returncode}"))
        per = (time.monotonic() - t0) / max(done, 1)
        print(f"{settle:8.2f} {done:7d} {ended:>8} {per:8.2f}", flush=True)
        if ended != "ok":
            print(proc.stderr[-2500:], file=sys.stderr)


if __name__ == "__main__":
    main()
