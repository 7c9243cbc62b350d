"""A MIDI clock for tests, in a process of its own: a virtual JACK MIDI output port that sends what it is told.

Run as ``python clock_sender.py PORT_NAME`` with JACK_DEFAULT_SERVER set; it answers ``ready`` once
its port exists, then reads commands from stdin, one per line, and answers ``done`` after each:

    clock BPM BEATS JITTER SEED START   ticks at BPM, each at its ideal time + N(0, JITTER) s
                                        (absolute deadlines); START 1 sends Start (0xFA) first
    send BYTE [BYTE ...]                one raw message (decimal bytes)

Why a process: in the test process the sender thread would wait for the GIL behind the show
loop (up to the 5 ms switch interval, much longer on a loaded machine), and a clock sent late in
bursts is not the clock the test means to send.  Here nothing else runs.
"""

from __future__ import annotations

import random
import sys
import time

import rtmidi


def send_clock(out, bpm: float, beats: float, jitter: float, seed: int, start: bool) -> None:
    rng = random.Random(seed)
    period = 60.0 / (24 * bpm)
    if start:
        out.send_message([0xFA])
    t0 = time.monotonic() + 0.01
    for i in range(int(beats * 24)):
        due = t0 + i * period + rng.gauss(0.0, jitter)
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        out.send_message([0xF8])


def main(name: str) -> None:
    out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name="clk")
    out.open_virtual_port(name)
    print("ready", flush=True)
    try:
        for line in sys.stdin:
            cmd, *args = line.split()
            if cmd == "clock":
                bpm, beats, jitter = (float(a) for a in args[:3])
                send_clock(out, bpm, beats, jitter, int(args[3]), bool(int(args[4])))
            elif cmd == "send":
                out.send_message([int(a) for a in args])
            print("done", flush=True)
    finally:
        out.close_port()
        out.delete()


if __name__ == "__main__":
    main(sys.argv[1])


class ClockSender:
    """The test's side: starts this file in a child process and tells it what to send."""

    def __init__(self, name: str, timeout: float = 10.0):
        import select
        import subprocess

        self._select = select.select
        self.proc = subprocess.Popen([sys.executable, __file__, name], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)
        if not self._line(timeout) == "ready":
            self.close()
            raise RuntimeError("the clock sender did not start (is a JACK server running?)")

    def _line(self, timeout: float) -> str:
        ready, _, _ = self._select([self.proc.stdout], [], [], timeout)
        return self.proc.stdout.readline().strip() if ready else ""

    def tell(self, command: str) -> None:
        """Start ``command``; :meth:`finished` says when it is done."""
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def finished(self, timeout: float = 0.0) -> bool:
        return self._line(timeout) == "done"

    def do(self, command: str, timeout: float = 30.0) -> None:
        self.tell(command)
        if not self.finished(timeout):
            raise RuntimeError(f"the clock sender did not finish {command!r}")

    def close(self) -> None:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(5)
        except Exception:
            self.proc.kill()
            self.proc.wait()
