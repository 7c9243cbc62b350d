"""OSC addresses to control commands: ``/vj/...`` (values in the arguments or in the address) and
Resolume's addresses, so layouts made for Resolume work unchanged."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .targets import BY_NAME, ControlError


@dataclass(frozen=True, slots=True)
class Alias:
    """A foreign address (Resolume's) that does one of our controls."""

    pattern: str           #: regex over the address; groups feed ``args``
    target: str
    args: Callable[[re.Match, tuple], tuple]
    help: str
    example: str
    shown: str = ""        #: the address as the docs show it (default: the pattern)


def _press(m: re.Match, params: tuple) -> tuple:
    return ()


def _resolume_tempo(m: re.Match, params: tuple) -> tuple:
    """Resolume's tempo fader is normalised: 0..1 over 20..500 BPM.  A value above 1 is taken as BPM."""
    v = float(params[0]) if params else 0.0
    return (20.0 + v * 480.0 if 0.0 <= v <= 1.0 else v,)


ALIASES: tuple[Alias, ...] = (
    Alias(r"/composition/tempocontroller/tempotap", "tempo/tap", _press, "tap tempo",
          "/composition/tempocontroller/tempotap 1"),
    Alias(r"/composition/tempocontroller/resync", "tempo/resync", _press, "resync the bar",
          "/composition/tempocontroller/resync 1"),
    Alias(r"/composition/tempocontroller/tempo", "tempo/bpm", _resolume_tempo,
          "set the tempo: Resolume's normalised 0..1 = 20..500 BPM (a value above 1 is BPM)",
          "/composition/tempocontroller/tempo 0.2083"),
    Alias(r"/composition/layers/\d+/clips/(\d+)/connect", "clip/cue", lambda m, p: (int(m.group(1)),),
          "fly into clip M of the song (any layer)", "/composition/layers/1/clips/3/connect 1",
          "/composition/layers/L/clips/M/connect"),
    Alias(r"/composition/columns/(\d+)/connect", "clip/cue", lambda m, p: (int(m.group(1)),),
          "fly into clip M of the song", "/composition/columns/3/connect 1",
          "/composition/columns/M/connect"),
    Alias(r"/composition/layers/\d+/clear", "output/blackout", lambda m, p: (1,), "blackout on",
          "/composition/layers/1/clear 1",
          "/composition/layers/L/clear"),
    Alias(r"/composition/tempocontroller/tempo/(?:multiply|double)", "tempo/double", _press, "double the tempo",
          "/composition/tempocontroller/tempo/multiply 1",
          "/composition/tempocontroller/tempo/multiply (or /double)"),
    Alias(r"/composition/tempocontroller/tempo/(?:divide|half)", "tempo/half", _press, "halve the tempo",
          "/composition/tempocontroller/tempo/divide 1",
          "/composition/tempocontroller/tempo/divide (or /half)"),
)
_ALIAS_RE = [(re.compile(a.pattern + r"\Z"), a) for a in ALIASES]


def _is_release(params: tuple) -> bool:
    """A button's release (0, 0.0 or False): buttons send 1 on press and 0 on release; fire once."""
    return len(params) == 1 and isinstance(params[0], (int, float, bool)) and not params[0]


def to_command_args(address: str, params: tuple) -> tuple[str, tuple] | None:
    """(target, args) for an OSC message, None for a button release; ControlError when it means nothing.

    ``/vj/clip/cue 3`` and ``/vj/clip/cue/3 1`` (the value in the path, a button's press value
    after it) are the same; a no-argument control fires on any non-zero value or none.
    """
    for rx, alias in _ALIAS_RE:
        m = rx.match(address)
        if m:
            if alias.target != "tempo/bpm" and _is_release(params):
                return None
            return alias.target, alias.args(m, params)
    if not address.startswith("/vj/"):
        raise ControlError(f"unknown address {address}: vj's addresses start with /vj/ (docs/OSC.md)")
    path = address[4:].split("/")
    for cut in range(len(path), 0, -1):
        name = "/".join(path[:cut])
        t = BY_NAME.get(name)
        if t is None:
            continue
        in_path = path[cut:]
        if in_path:  # values in the address, e.g. /vj/clip/cue/3; what follows is a button's press value
            if len(in_path) != len(t.params):
                raise ControlError(f"{address}: {name} takes {len(t.params)} value(s), the address gives {len(in_path)}")
            if _is_release(params):
                return None
            return name, tuple(_number(v) if p.kind != "s" else v for v, p in zip(in_path, t.params))
        if not t.params:
            if _is_release(params):
                return None
            if len(params) > 1:
                raise ControlError(f"{address} takes no argument (or one press value), got {len(params)}")
            return name, ()
        if not params and t.press:   # /vj/fx/NAME/EVENT alone fires the event
            return name, t.press
        lo = t.params[0].lo
        if t.momentary and len(t.params) == 1 and _is_release(params) and lo is not None and lo > 0:
            return None  # e.g. /vj/clip/cue 0: a release, not clip 0
        if len(params) == 3 and [p.name for p in t.params] == ["r", "g", "b", "a"]:
            return name, (*params, 1.0)   # a colour as r, g, b (as the setlist takes it): opaque
        return name, tuple(params)
    raise ControlError(f"unknown address {address}; see docs/OSC.md for the list")


def _number(text: str) -> int | float | str:
    for conv in (int, float):
        try:
            return conv(text)
        except ValueError:
            pass
    return text
