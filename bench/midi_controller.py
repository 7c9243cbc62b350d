"""A MIDI controller on JACK MIDI, in its own process (libjack cannot join a second server once one died, so
the soak and the fault suite, which kill and restart servers, never open JACK themselves).

    python bench/midi_controller.py NAME      # a virtual output port named NAME; commands on stdin:

    sweep               the blur fader (CC 51) 8 times a second and a pad every 4 s, until killed
    garbage SECONDS     malformed MIDI at ~2,000 messages a second (seeded): data bytes without a status,
                        undefined status bytes, cut-off messages, SysEx without its end and 8 kB long,
                        out-of-range data
    cc NUMBER VALUE     one control change on channel 1
    unplug / plug       the port removed and made again (what a USB controller pulled out and back does to
                        its port through a2jmidid); killing the process instead stalls a --sync JACK server
                        for its client timeout (5 s) first

It prints "ready" once its port exists and "done" after each command.  Numbers are the APC mini's
(vj/control/maps/akai_apc_mini.toml): CC 51 is effect/blur, notes 56-58 cue clips 1-3.
"""

from __future__ import annotations

import math
import random
import select
import subprocess
import sys
import time

#: the blur fader and the pads the sweep presses
SWEEP_CC, SWEEP_PADS = 51, (56, 57, 58)
#: real-time bytes (clock, start, continue, stop) are valid MIDI, not garbage: a controller that sends them
#: is a clock source (vj follows it), so the garbage leaves them out
REALTIME = range(0xF8, 0xFD)


class MidiController:
    """This script in a subprocess, seen from the bench: ``start()`` waits for its port, ``send()`` gives a
    command (and waits for "done" unless told not to), ``kill()`` unplugs it."""

    def __init__(self, name: str, env: dict | None = None):
        self.name, self.env = name, env
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> "MidiController":
        self.proc = subprocess.Popen([sys.executable, __file__, self.name], env=self.env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if self._line(timeout) != "ready":
            self.kill()
            raise RuntimeError(f"the MIDI controller {self.name!r} did not start")
        return self

    def send(self, command: str, timeout: float | None = 30.0) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        if timeout is not None and (got := self._line(timeout)) != "done":
            raise RuntimeError(f"the MIDI controller did not finish {command!r}: {got or 'no answer'}")

    def _line(self, timeout: float) -> str:
        if not select.select([self.proc.stdout], [], [], timeout)[0]:
            return ""
        return self.proc.stdout.readline().strip()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None


def garbage(rng: random.Random) -> list[int]:
    kind = rng.randrange(7)
    if kind == 0:
        return [rng.randrange(0x80)] * rng.randrange(1, 4)              # data bytes, no status
    if kind == 1:
        return [rng.choice((0xF4, 0xF5, 0xF9, 0xFD))] + [rng.randrange(0x80)] * rng.randrange(3)   # undefined status
    if kind == 2:
        return [0x80 | rng.randrange(0x70)]                              # a status cut off before its data
    if kind == 3:
        return [0xF0] + [rng.randrange(0x80) for _ in range(rng.randrange(1, 40))]   # SysEx without its end
    if kind == 4:
        return [0xF0] + [rng.randrange(0x80) for _ in range(8192)] + [0xF7]          # long SysEx
    if kind == 5:
        return [rng.choice((0x90, 0xB0, 0xE0)), rng.randrange(256), rng.randrange(256)]  # data out of range
    b = [rng.randrange(256) for _ in range(3)]
    return [x for x in b if x not in REALTIME] or [0x00]


def plugged(name: str):
    """A fresh rtmidi client with its virtual port (a closed one cannot be opened again)."""
    import rtmidi
    out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name="ctl")
    out.open_virtual_port(name)
    return out


def main(name: str) -> None:
    import rtmidi
    out = plugged(name)
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        try:
            if cmd[0] == "sweep":
                k = 0
                while True:
                    k += 1
                    out.send_message([0xB0, SWEEP_CC, int(63.5 + 63.5 * math.sin(k / 13.0))])
                    if k % 32 == 0:
                        pad = SWEEP_PADS[(k // 32) % len(SWEEP_PADS)]
                        out.send_message([0x90, pad, 127])
                        out.send_message([0x80, pad, 0])
                    time.sleep(0.125)
            elif cmd[0] == "garbage":
                rng, end = random.Random(14), time.monotonic() + float(cmd[1])
                while time.monotonic() < end:
                    try:
                        out.send_message(garbage(rng))
                    except (ValueError, TypeError, rtmidi.RtMidiError):
                        pass            # what rtmidi itself refuses never reaches vj
                    time.sleep(0.0005)
            elif cmd[0] == "cc":
                out.send_message([0xB0, int(cmd[1]), int(cmd[2])])
            elif cmd[0] == "unplug":
                out.close_port()
                del out
                out = None
            elif cmd[0] == "plug":
                out = plugged(name)
        except Exception as exc:  # noqa: BLE001 - the bench reads the reason instead of a silent hang
            print(f"error {cmd[0]}: {exc}", flush=True)
            continue
        print("done", flush=True)

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
