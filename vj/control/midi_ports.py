"""MIDI ports and the devices vj opens on them: python-rtmidi on one API, and each opened controller's state.

Split from :mod:`vj.control.midi` (which drives them) so that the part that talks to the driver
stands alone: :class:`MidiBackend` lists, opens and re-opens ports (the **watcher** thread and
``python -m vj.control.midi`` use it), :func:`close_rt` closes an rtmidi port without raising, and
:class:`Device` is one opened controller, owned by the **dispatcher** thread once opened.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from ..errors import Problem, VjError
from .jack_server import ServerWatch
from .midi_learn import port_key
from .midi_map import MidiMap, Mapping

CLIENT = "vj-midi"                       #: JACK/ALSA client name of every port vj opens

#: s: how long the JACK graph is left quiet after a port or client change before the next one.
#: libjack (jack2, 1.9.21 in Debian and 1.9.22 bundled in python-rtmidi's wheel, and still at
#: jack2's head) erases a port from its client's list in ``jack_port_unregister`` while that
#: client's notification thread may be walking the same list for a latency callback
#: (``JackClient::PortUnRegister`` against ``HandleLatencyCallback``): a SIGSEGV that takes the
#: whole process down.  The server sends those callbacks to every client on the cycle after any
#: graph change (a client activated or closed, a port registered, connected or removed), one
#: client after another.  So a port is only removed once the graph has been left alone for this
#: long.  Measured on this 2-core machine (jackd dummy, 256 frames at 48 kHz): a controller plugged
#: and unplugged in a loop against a live surface crashed within 20-30 cycles ungated, and ran 200
#: cycles clean with the gate (``bench/midi_hotplug.py``).  0.25 s is many cycles at any period a
#: performer uses (1024 frames at 44.1 kHz is 23 ms) and leaves room for a loaded machine.
JACK_SETTLE_S = 0.25


class GraphGate:
    """One JACK graph change at a time, each after the graph has been quiet ``settle`` s.

    vj's watcher and dispatcher, and anything else in the process that opens or closes JACK
    ports, go through the one :data:`JACK_GATE` (see :data:`JACK_SETTLE_S` for the libjack race it
    keeps vj out of).  ALSA, CoreMIDI and WinMM have no such race: :data:`NO_GATE`."""

    def __init__(self, settle: float):
        self.settle = settle
        self._lock = threading.Lock()
        self._last = -math.inf

    @contextmanager
    def change(self) -> Iterator[None]:
        with self._lock:
            wait = self._last + self.settle - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._last = time.monotonic()

    def seen(self) -> None:
        """Someone else changed the graph (a port appeared or vanished): the next change waits."""
        with self._lock:
            self._last = max(self._last, time.monotonic())


JACK_GATE = GraphGate(JACK_SETTLE_S)
NO_GATE = GraphGate(0.0)

#: rtmidi objects of a JACK server that died, retired after vj had already opened clients on the next one:
#: libjack freed them then, and deleting one would crash the process (vj.control.jack_server), so Python
#: must never collect them
_DEAD_CLIENTS: list = []


# ---- ports ------------------------------------------------------------------------------------

API_NAMES = {"alsa": "LINUX_ALSA", "linux_alsa": "LINUX_ALSA", "jack": "UNIX_JACK", "unix_jack": "UNIX_JACK",
             "coremidi": "MACOSX_CORE", "macosx_core": "MACOSX_CORE", "winmm": "WINDOWS_MM",
             "windows_mm": "WINDOWS_MM"}


class MidiBackend:
    """python-rtmidi on one API (ALSA, JACK, CoreMIDI, WinMM): list, open and watch ports.

    ``name``: "auto" (ALSA, else JACK, else the platform's), "alsa", "jack", or mido's
    spelling ("mido.backends.rtmidi/UNIX_JACK")."""

    def __init__(self, name: str | None = "auto"):
        import rtmidi

        self.rtmidi = rtmidi
        wanted = (name or "auto").split("/")[-1].strip()
        consts = {"LINUX_ALSA": "API_LINUX_ALSA", "UNIX_JACK": "API_UNIX_JACK", "MACOSX_CORE": "API_MACOSX_CORE",
                  "WINDOWS_MM": "API_WINDOWS_MM"}
        have = set(rtmidi.get_compiled_api())
        compiled = {n: getattr(rtmidi, c) for n, c in consts.items() if getattr(rtmidi, c, None) in have}
        if wanted.lower() in ("auto", "", "mido.backends.rtmidi"):
            order = [a for n in ("LINUX_ALSA", "UNIX_JACK", "MACOSX_CORE", "WINDOWS_MM") if (a := compiled.get(n)) is not None]
        else:
            key = API_NAMES.get(wanted.lower(), wanted.upper())
            if key not in compiled:
                raise VjError(Problem("--midi-backend", f"unknown or unavailable MIDI backend '{name}'",
                                      fix="use auto, " + ", ".join(n.split("_")[-1].lower() for n in compiled)))
            order = [compiled[key]]
        errors = []
        for api in order:
            gate = JACK_GATE if api == getattr(rtmidi, "API_UNIX_JACK", None) else NO_GATE
            try:
                with gate.change():
                    self._in = rtmidi.MidiIn(api, name=CLIENT + "-watch")
                    self._out = rtmidi.MidiOut(api, name=CLIENT + "-watch")
                self.api, self.gate = api, gate
                break
            except Exception as exc:  # rtmidi.SystemError: no ALSA sequencer, no JACK server
                errors.append(f"{rtmidi.get_api_display_name(api)}: {exc}")
        else:
            raise VjError(Problem("MIDI", "no MIDI backend could start (" + "; ".join(errors) + ")",
                                  fix="on Linux load the ALSA sequencer (modprobe snd-seq) or start a JACK server and "
                                      "pass --midi-backend jack"))
        self.api_name = next(n for n, a in compiled.items() if a == self.api)
        self._lock = threading.Lock()
        self._retired: list = []          #: rtmidi objects whose device is gone, closed by :meth:`reap`
        #: JACK: told when the server ends (None on other APIs, or where libjack cannot be reached)
        self.server: ServerWatch | None = None
        if self.api_name == "UNIX_JACK":
            with self.gate.change():
                self.server = ServerWatch.create()
        self.down = False                 #: the JACK server ended and no new one answered yet
        self.epoch = 0                    #: JACK servers seen end: a port opened before the last end is dead

    @staticmethod
    def own(name: str) -> bool:
        return name.startswith(CLIENT)

    def _names(self, which: str) -> list[str]:
        with self._lock:
            if self._in is None:          # the JACK server is gone: no ports until one answers again
                return []
            try:
                ports = (self._in if which == "in" else self._out).get_ports()
            except Exception:
                self._reopen()
                ports = (self._in if which == "in" else self._out).get_ports()
        return [p for p in ports if not self.own(p)]

    def _reopen(self) -> None:
        """The enumerating clients died (the JACK server restarted): make new ones."""
        with self.gate.change():
            for rt in (self._in, self._out):
                try:
                    rt.delete()
                except Exception:
                    pass
            self._in = self.rtmidi.MidiIn(self.api, name=CLIENT + "-watch")
            self._out = self.rtmidi.MidiOut(self.api, name=CLIENT + "-watch")

    # -- the JACK server ending and coming back (the watcher thread) -------------------------
    def server_gone(self) -> bool:
        """The JACK server ended since the last look (libjack's shutdown callback, vj.control.jack_server)."""
        return self.server is not None and not self.down and self.server.gone.is_set()

    def forget_server(self) -> None:
        """The JACK server ended: close the ports retired so far and the watching clients now, while no
        client of a new server exists in this process (after one does, closing them crashes it)."""
        assert self.server is not None
        with self.server.quiet():
            self.reap()
            with self._lock, self.gate.change():
                self.down, self.epoch = True, self.epoch + 1
                for rt in (self._in, self._out):
                    try:
                        rt.delete()
                    except Exception:
                        pass
                self._in = self._out = None
                self.server.drop()

    def server_back(self) -> bool:
        """While :attr:`down`: whether a JACK server answers again (then the watching clients are new)."""
        with self._lock, self.gate.change():
            if not self.server.connect():
                return False
            self._in = self.rtmidi.MidiIn(self.api, name=CLIENT + "-watch")
            self._out = self.rtmidi.MidiOut(self.api, name=CLIENT + "-watch")
            self.down = False
        return True

    def input_names(self) -> list[str]:
        return self._names("in")

    def output_names(self) -> list[str]:
        return self._names("out")

    def open_input(self, name: str, callback: Callable) -> object:
        with self.gate.change():
            rt = self.rtmidi.MidiIn(self.api, name=CLIENT)
            try:
                ports = rt.get_ports()
                rt.open_port(ports.index(name), "in")
                rt.ignore_types(sysex=True, timing=False, active_sense=True)   # clock bytes are wanted
                rt.set_callback(callback)
            except Exception:
                close_rt(rt)
                raise
        return rt

    def open_output(self, name: str) -> object:
        with self.gate.change():
            rt = self.rtmidi.MidiOut(self.api, name=CLIENT)
            try:
                rt.open_port(rt.get_ports().index(name), "out")
            except Exception:
                close_rt(rt)
                raise
        return rt

    def retire(self, rt, epoch: int | None = None) -> None:
        """A device is gone: close its port later, from the watcher (:meth:`reap`), never from the
        dispatcher, which must not wait on :attr:`gate` while other controllers play.  ``epoch``: the
        :attr:`epoch` it was opened in; a port of a JACK server already forgotten is never closed."""
        if rt is not None:
            with self._lock:
                (self._retired if epoch in (None, self.epoch) else _DEAD_CLIENTS).append(rt)

    def reap(self) -> None:
        """Close retired ports, one graph change at a time (the watcher thread, and :meth:`close`)."""
        while True:
            with self._lock:
                if not self._retired:
                    return
                rt = self._retired.pop(0)
            with self.gate.change():
                close_rt(rt)

    def close(self) -> None:
        self.reap()
        with self._lock, self.gate.change():
            for rt in (self._in, self._out):
                try:
                    if rt is not None:
                        rt.delete()
                except Exception:
                    pass
            self._in = self._out = None
            if self.server is not None:
                self.server.drop()


def close_rt(rt) -> None:
    """Close an rtmidi port and its client without raising (on JACK, only inside ``gate.change()``)."""
    if rt is None:
        return
    try:
        if hasattr(rt, "cancel_callback"):
            rt.cancel_callback()
        rt.close_port()
        rt.delete()
    except Exception:
        pass


def list_ports(argv: list[str] | None = None, prog: str = "python -m vj.control.midi") -> int:
    """List the MIDI ports and the map each matches (``python -m vj.control.midi [--midi-backend API]``)."""
    import argparse
    import sys

    from .midi_map import device_for, load_maps

    p = argparse.ArgumentParser(prog=prog, description=list_ports.__doc__)
    p.add_argument("--midi-backend", default="auto")
    args = p.parse_args(argv)
    try:
        backend = MidiBackend(args.midi_backend)
        maps = load_maps([])
    except VjError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"backend {backend.api_name}")
    for name in backend.input_names():
        m = device_for(maps, name)
        print(f"in   {name}" + (f"   (map: {m.name})" if m else ""))
    for name in backend.output_names():
        print(f"out  {name}")
    backend.close()
    return 0


# ---- devices ----------------------------------------------------------------------------------

@dataclass
class Device:
    """One opened input port (and its LED output, if found); owned by the dispatcher thread."""

    name: str
    rt_in: object = None
    rt_out: object = None
    out_name: str = ""
    device_map: MidiMap | None = None
    table: dict = field(default_factory=dict)       #: (kind, channel, number) -> Mapping
    lsb: dict = field(default_factory=dict)         #: (channel, lsb cc) -> cc14 Mapping
    msb_value: dict = field(default_factory=dict)   #: cc14 key -> last MSB
    position: dict = field(default_factory=dict)    #: soft takeover: mapping key -> last control value
    buttons: dict = field(default_factory=dict)     #: CC buttons: key -> pressed?
    leds: dict = field(default_factory=dict)        #: (status byte, number) -> value sent
    closed: bool = False
    epoch: int = 0                                  #: the backend's epoch (JACK server) it was opened in

    @property
    def label(self) -> str:
        return self.device_map.name if self.device_map is not None else port_key(self.name)

    def lookup(self, kind: str, channel: int, number: int) -> Mapping | None:
        return self.table.get((kind, channel, number)) or self.table.get((kind, None, number))

    def send(self, data: bytes | list[int]) -> None:
        if self.rt_out is not None and not self.closed:
            self.rt_out.send_message(list(data))

    def led(self, m: Mapping, value: int) -> None:
        if self.rt_out is None or (self.device_map is not None and not self.device_map.feedback):
            return
        status = (0x90 if m.kind == "notes" else 0xB0) | (m.channel or 0)
        key = (status, m.number)
        if self.leds.get(key) != value:
            self.leds[key] = value
            self.send([status, m.number, value])
