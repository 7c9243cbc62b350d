"""Audio input devices: listing them, finding one by name or index, choosing channels.

PortAudio (through sounddevice) is imported only inside these functions, and only in
short-lived processes: the ``vj audio`` commands and the capture process of
:class:`vj.audio.live.LiveInput`.  The show process itself must never import
sounddevice: PortAudio's JACK backend aborts the whole process (an ``assert`` in
``Pa_Terminate``, which also runs at interpreter exit) once the JACK server it was
connected to has gone away, and ``Pa_CloseStream`` on such a stream hangs for ten
minutes.  See docs/AUDIO.md.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from dataclasses import dataclass

from ..errors import Problem, VjError

_SETUP_FIX = "run `make setup` (it installs PortAudio: apt-get install libportaudio2)"


@dataclass(frozen=True, slots=True)
class InputDevice:
    """One PortAudio device with inputs."""

    index: int
    name: str
    hostapi: str
    channels: int            #: max input channels
    default_rate: float      #: Hz
    low_latency: float       #: PortAudio's default low input latency, seconds
    is_default: bool = False

    def describe(self) -> str:
        return f"[{self.index}] {self.name} ({self.hostapi}, {self.channels} in, {self.default_rate:g} Hz)"


def import_sounddevice():
    """sounddevice, or a VjError that says how to install PortAudio."""
    try:
        import sounddevice
    except OSError as exc:  # sounddevice raises OSError when libportaudio is missing
        raise VjError(Problem("audio", f"PortAudio is not available ({exc}).", fix=_SETUP_FIX)) from exc
    return sounddevice


def list_input_devices(sd=None) -> list[InputDevice]:
    """Every device with at least one input channel, in PortAudio's order."""
    sd = sd or import_sounddevice()
    hostapis = sd.query_hostapis()
    try:
        default_in = sd.default.device[0]
        if default_in is None or default_in < 0:
            default_in = sd.query_devices(kind="input")["index"]
    except Exception:  # no default input device at all
        default_in = -1
    out = []
    for d in sd.query_devices():
        if d["max_input_channels"] <= 0:
            continue
        out.append(InputDevice(index=int(d["index"]), name=str(d["name"]),
                               hostapi=str(hostapis[d["hostapi"]]["name"]),
                               channels=int(d["max_input_channels"]),
                               default_rate=float(d["default_samplerate"]),
                               low_latency=float(d["default_low_input_latency"]),
                               is_default=int(d["index"]) == int(default_in)))
    return out


_HW_SUFFIX = re.compile(r"\s*\(hw:\d+,\d+\)\s*$")


def base_name(name: str) -> str:
    """The device name without ALSA's ``(hw:1,0)`` suffix, which changes when a USB device is
    plugged into another port or the cards come up in another order.  Used to find the
    same device again after it comes back."""
    return _HW_SUFFIX.sub("", name)


def find_input_device(spec: str | int | None, devices: list[InputDevice],
                      prefer_hostapi: str | None = None) -> InputDevice:
    """The device ``spec`` names: an index, a case-insensitive substring of the name, or
    None for the default input.  Raises VjError naming the choices.

    Several matches are resolved, in order, by an exact (case-insensitive) name, by
    ``prefer_hostapi``, and by the ``(hw:N,M)``-less name being the same device listed once.
    """
    if not devices:
        raise VjError(Problem("audio", "there are no audio input devices.",
                              fix="plug in an audio interface (or start JACK), then `vj audio devices`"))
    if spec is None or (isinstance(spec, str) and spec.strip() == ""):
        for d in devices:
            if d.is_default:
                return d
        raise VjError(Problem("audio", "there is no default input device.",
                              fix="choose one with --audio-device (see `vj audio devices`)"))
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        index = int(spec)
        for d in devices:
            if d.index == index:
                return d
        raise VjError(Problem("audio", f"there is no input device with index {index}.",
                              fix="pick an index from `vj audio devices`:\n" + _listing(devices)))
    want = spec.strip().lower()
    matches = [d for d in devices if want in d.name.lower()]
    if not matches:
        raise VjError(Problem("audio", f"no input device matches {spec!r}.",
                              fix="use part of a name from `vj audio devices`:\n" + _listing(devices)))
    if len(matches) == 1:
        return matches[0]
    for narrow in (lambda d: d.name.lower() == want,
                   lambda d: prefer_hostapi is not None and d.hostapi == prefer_hostapi,
                   lambda d: base_name(d.name).lower() == want):
        picked = [d for d in matches if narrow(d)]
        if len(picked) == 1:
            return picked[0]
    raise VjError(Problem("audio", f"{spec!r} matches {len(matches)} input devices.",
                          fix="use a longer part of the name, or the index:\n" + _listing(matches)))


def _listing(devices: list[InputDevice]) -> str:
    return "\n".join("  " + d.describe() for d in devices)


def parse_channels(text: str | None) -> list[int] | None:
    """``"1,2"`` -> [1, 2]; ``"3"`` -> [3]; None/"" -> None (the default).  1-based."""
    if text is None or str(text).strip() == "":
        return None
    try:
        chans = [int(part) for part in str(text).replace(" ", "").split(",") if part != ""]
    except ValueError:
        chans = []
    if not chans or any(c < 1 for c in chans) or len(set(chans)) != len(chans):
        raise VjError(Problem("--channels", f"{text!r} is not a list of input channels.",
                              fix="give 1-based channel numbers, e.g. `--channels 1,2` or `--channels 3`"))
    return chans


def check_channels(channels: list[int] | None, device: InputDevice) -> list[int]:
    """The 1-based channels to mix: ``channels``, or 1 and 2 (1 on a mono device) by default."""
    if channels is None:
        return [1, 2] if device.channels >= 2 else [1]
    too_high = [c for c in channels if c > device.channels]
    if too_high:
        raise VjError(Problem("--channels", f"{device.name!r} has {device.channels} input channel(s); "
                                            f"channel {too_high[0]} is not there.",
                              fix=f"use channels 1..{device.channels}"))
    return list(channels)


_client_name_buf: ctypes.Array | None = None  # PortAudio keeps the pointer: keep it alive


def set_jack_client_name(name: str) -> bool:
    """Name PortAudio's JACK client (its ports show as ``NAME:in_1`` ...).  Must run before
    sounddevice is imported in this process.  False when PortAudio has no JACK support."""
    global _client_name_buf
    path = ctypes.util.find_library("portaudio") or "libportaudio.so.2"
    try:
        lib = ctypes.CDLL(path)
        fn = lib.PaJack_SetClientName
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_char_p]
    fn.restype = ctypes.c_int
    _client_name_buf = ctypes.create_string_buffer(name.encode("utf-8"))
    return fn(_client_name_buf) == 0
