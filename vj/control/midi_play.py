"""The play command's side of MIDI: the ``--midi`` options and :func:`start_midi`, which reads the maps and
starts a :class:`~vj.control.midi.MidiSurface` (split from :mod:`vj.control.midi` at 518 lines)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from ..errors import Problem, VjError
from .controller import ShowControl
from .midi import MidiSurface, stderr_log
from .midi_learn import DEFAULT_LEARN_FILE
from .midi_map import load_maps
from .midi_ports import MidiBackend


class NoMidi:
    """What start_midi returns when MIDI is off."""

    devices: dict = {}

    def close(self) -> None:
        pass


def add_midi_arguments(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("MIDI (docs/MIDI.md)")
    g.add_argument("--midi", nargs="?", const="", default=None, metavar="PORT|all",
                   help="use MIDI controllers: alone, those a map matches (APC mini, Launchpad Mini MK3, "
                        "nanoKONTROL2, your maps), plugged in now or later; with a port name substring, that port "
                        "too; 'all' opens every input")
    g.add_argument("--midi-map", action="append", type=Path, default=[], metavar="FILE",
                   help="a MIDI map file (repeatable; later ones win); MIDI learn writes to the last one "
                        f"(default {DEFAULT_LEARN_FILE})")
    g.add_argument("--midi-backend", default="auto", metavar="API",
                   help="auto (default: ALSA, else JACK), alsa, jack, or mido's name "
                        "(mido.backends.rtmidi/UNIX_JACK)")
    g.add_argument("--midi-clock", metavar="PORT",
                   help="follow the MIDI clock of this port (a name substring) as the tempo source; "
                        "by default the first opened port that sends clock")


def start_midi(args: argparse.Namespace, controls: ShowControl, *, log: Callable[[str], None] = stderr_log,
               poll: float = 1.0):
    """MIDI for ``vj play``: an object with ``close()`` (a no-op when no --midi option was given).

    Raises VjError (with file, line and fix) for a bad map, or when no MIDI backend can start."""
    midi = getattr(args, "midi", None)
    user_maps = list(getattr(args, "midi_map", None) or [])
    clock_port = getattr(args, "midi_clock", None)
    if midi is None and not user_maps and not clock_port:
        return NoMidi()
    learn_file = Path(user_maps[-1]).expanduser() if user_maps else DEFAULT_LEARN_FILE.expanduser()
    paths = [Path(p).expanduser() for p in user_maps]
    if not user_maps and learn_file.is_file():
        paths.append(learn_file)
    missing = [p for p in paths[:-1] if not p.is_file()] if user_maps else []
    if missing:
        raise VjError([Problem(p, "MIDI map file not found", fix="check the path (the last --midi-map may be new: "
                                                                 "learn creates it)") for p in missing])
    maps = load_maps([p for p in paths if p.is_file()])
    backend = MidiBackend(getattr(args, "midi_backend", "auto"))
    surface = MidiSurface(controls, maps, backend=backend, select=midi, clock_port=clock_port,
                          learn_file=learn_file, poll=poll, log=log)
    log(f"{backend.api_name}: {len(maps)} map(s); learn saves to {learn_file}")
    return surface.start()
