"""MIDI ports and the devices vj opens on them: python-rtmidi on one API, and each opened controller's state.

Split from :mod:`vj.control.midi` (which drives them) so that the part that talks to the driver
stands alone: :class:`MidiBackend` lists, opens and re-opens ports (the **watcher** thread and
``python -m vj.control.midi`` use it), :func:`close_rt` closes an rtmidi port without raising, and
:class:`Device` is one opened controller, owned by the **dispatcher** thread once opened.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from ..errors import Problem, VjError
from .midi_learn import port_key
from .midi_map import MidiMap, Mapping

CLIENT = "vj-midi"                       #: JACK/ALSA client name of every port vj opens


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
            try:
                self._in = rtmidi.MidiIn(api, name=CLIENT + "-watch")
                self._out = rtmidi.MidiOut(api, name=CLIENT + "-watch")
                self.api = api
                break
            except Exception as exc:  # rtmidi.SystemError: no ALSA sequencer, no JACK server
                errors.append(f"{rtmidi.get_api_display_name(api)}: {exc}")
        else:
            raise VjError(Problem("MIDI", "no MIDI backend could start (" + "; ".join(errors) + ")",
                                  fix="on Linux load the ALSA sequencer (modprobe snd-seq) or start a JACK server and "
                                      "pass --midi-backend jack"))
        self.api_name = next(n for n, a in compiled.items() if a == self.api)
        self._lock = threading.Lock()

    @staticmethod
    def own(name: str) -> bool:
        return name.startswith(CLIENT)

    def _names(self, which: str) -> list[str]:
        with self._lock:
            try:
                ports = (self._in if which == "in" else self._out).get_ports()
            except Exception:
                self._reopen()
                ports = (self._in if which == "in" else self._out).get_ports()
        return [p for p in ports if not self.own(p)]

    def _reopen(self) -> None:
        """The enumerating clients died (the JACK server restarted): make new ones."""
        for rt in (self._in, self._out):
            try:
                rt.delete()
            except Exception:
                pass
        self._in = self.rtmidi.MidiIn(self.api, name=CLIENT + "-watch")
        self._out = self.rtmidi.MidiOut(self.api, name=CLIENT + "-watch")

    def input_names(self) -> list[str]:
        return self._names("in")

    def output_names(self) -> list[str]:
        return self._names("out")

    def open_input(self, name: str, callback: Callable) -> object:
        rt = self.rtmidi.MidiIn(self.api, name=CLIENT)
        try:
            ports = rt.get_ports()
            rt.open_port(ports.index(name), "in")
            rt.ignore_types(sysex=True, timing=False, active_sense=True)   # clock bytes are wanted
            rt.set_callback(callback)
        except Exception:
            rt.delete()
            raise
        return rt

    def open_output(self, name: str) -> object:
        rt = self.rtmidi.MidiOut(self.api, name=CLIENT)
        try:
            rt.open_port(rt.get_ports().index(name), "out")
        except Exception:
            rt.delete()
            raise
        return rt

    def close(self) -> None:
        with self._lock:
            for rt in (self._in, self._out):
                try:
                    rt.delete()
                except Exception:
                    pass


def close_rt(rt) -> None:
    if rt is None:
        return
    try:
        if hasattr(rt, "cancel_callback"):
            rt.cancel_callback()
        rt.close_port()
        rt.delete()
    except Exception:
        pass


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
