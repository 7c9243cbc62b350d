"""A MIDI controller on JACK across a JACK server restart mid-show: jackd killed (SIGKILL, as a crash)
and started again, the controller's port made again by its own process (as a2jmidid or a USB
bridge does).  Real jackd (dummy driver), real JACK MIDI ports, vj's watcher and dispatcher threads,
a real ShowEngine; the controller is another process, as a real one is.

python-rtmidi's JACK clients never learn that their server died: the watcher listed the dead
server's ports forever and the controller never came back, while a fresh client saw it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from jack import jack_server
from test_midi import Show, opened, surface
from vj.control.midi_map import load_maps

pytest.importorskip("rtmidi")

#: the controller: a JACK MIDI output port named like the hardware, sending the bytes it reads on stdin
CONTROLLER = r"""
import sys, rtmidi
out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name="ctl")
out.open_virtual_port("nanoKONTROL2")
print("up", flush=True)
for line in sys.stdin:
    out.send_message([int(b) for b in line.split()])
"""


class Controller:
    """The controller's process: started, sent bytes, killed by pid (its server's death ends it)."""

    def __init__(self, env: dict):
        self.proc = subprocess.Popen([sys.executable, "-c", CONTROLLER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        assert self.proc.stdout.readline().strip() == "up"

    def send(self, *data: int) -> None:
        self.proc.stdin.write(" ".join(map(str, data)) + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(5)


def blackout_toggles(show: Show, nano: Controller) -> bool:
    """STOP on the nanoKONTROL2 toggles the blackout: the controller's controls reach the show."""
    before = show.desc.report.blackout
    nano.send(0xB0, 42, 127)
    nano.send(0xB0, 42, 0)
    return show.until(lambda: show.desc.report.blackout != before, 3.0)


def test_a_jack_controller_comes_back_after_the_jack_server_is_restarted(tmp_path):
    with jack_server() as server:
        show = Show()
        show.run(0.2)
        s = surface(show, load_maps([]), tmp_path)
        nano = Controller(server.env)
        try:
            assert opened(show, s, "nanoKONTROL2"), s.logs
            assert blackout_toggles(show, nano)

            server.kill()          # jackd crashes: the controller's process goes with it
            nano.kill()
            assert show.until(lambda: any("JACK server stopped" in line for line in s.logs), 3.0), s.logs
            assert not s.devices
            gone = [line for line in s.logs if "JACK server stopped" in line]
            assert gone and "Korg nanoKONTROL2 (ctl:nanoKONTROL2)" in gone[0], s.logs
            assert "the show plays on" in gone[0].lower() and "start jackd again" in gone[0], gone
            assert any("JACK server stopped" in p for p in show.control.problems), "not on the panel"
            assert show.control.surfaces["midi"] == "JACK server gone"
            show.run(1.0)          # no server for a while: vj keeps asking, quietly, and the show runs

            server.start()         # jackd again, and the controller makes its port again
            nano = Controller(server.env)
            # about 1-2 s on an idle machine (the watcher polls every 0.2 s here, 1 s in vj play); the bound
            # holds on a loaded 2-core machine
            assert opened(show, s, "nanoKONTROL2", timeout=30.0), s.logs
            assert any("JACK server is back" in line for line in s.logs), s.logs
            assert any("nanoKONTROL2 is back (ctl:nanoKONTROL2)" in line for line in s.logs), s.logs
            assert blackout_toggles(show, nano), s.logs
            assert s.counts["errors"] == 0, s.logs
        finally:
            s.close()
            nano.kill()
