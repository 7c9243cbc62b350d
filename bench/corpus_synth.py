"""Synthesis sources for the beat corpus: General MIDI soundfonts through FluidSynth, and
a drum kit plus simple instruments synthesised in numpy.

Every source renders *one-shots*: one note (part, program, pitch, velocity bucket,
duration bucket) at a time, starting at sample 0.  The corpus places them at their exact
sample and sums them per part (a stem), so note-ons are sample-accurate whatever the
synth's block size (FluidSynth starts a voice only at its next 64-sample block, which
would put a MIDI file's notes up to 1.5 ms late), and every stem can get its own gain,
sidechain and attack in the mix.  Reverb and chorus are off: the room is added later.

Sources (``SOURCES``; a missing soundfont makes its items fail with the package to install):

- ``fluidr3``: FluidR3_GM.sf2 (Debian fluid-soundfont-gm)
- ``musescore``: MuseScore_General_Lite.sf3 (musescore-general-soundfont-small)
- ``timgm``: TimGM6mb.sf2 (timgm6mb-soundfont)
- ``opl3``: OPL-3_FM_128M.sf2 (opl3-soundfont), FM synthesis
- ``numpy``: ``numpy_kit.NumpyKit``, a kit and instruments drawn per item from its seed
  (kicks from 35 to 600 ms long and 40 to 70 Hz, with or without a click)

FluidSynth is driven through its C library (ctypes on libfluidsynth.so.3, which the
Debian ``fluidsynth`` package installs), a fresh synth per item and font (``fresh_fonts``):
its voices keep some state from one note to the next through a system reset (the same
note rendered twice in one synth differs from sample 1 on, by up to ~2e-4 of full scale),
so with one synth per process an item's one-shots depended on every note the process had
rendered before: a corpus rendered whole, one rendered with ``--split tuning``, a test's
item and the cache written by whichever process came first all differed.  Room and crowd
items turn that into audible differences (their laptop AGC and clipping): rock-112-room
@timgm rendered in a ``--split tuning`` run scored F 0.800 with main's tracker, the copy in
the cache 0.702.  An item's audio is now a function of its spec alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SR = 44100
#: FluidSynth renders in blocks of this many samples; a note-on takes effect at the next one.
FS_BLOCK = 64
#: Velocities are rendered at these values; a note takes the nearest and is scaled by the ratio.
VEL_BUCKETS = (20, 36, 52, 68, 84, 100, 116, 127)
#: Durations are rendered at DUR_MIN * DUR_RATIO ** k seconds (the note-off of a placed note
#: comes up to 12 % early or late, so a release is never cut).
DUR_MIN = 0.03
DUR_RATIO = 1.25
#: A one-shot ends at most this long after its note-off, or where it has decayed to
#: TAIL_FLOOR of its peak.
TAIL_S = 2.0
TAIL_FLOOR = 1e-4
#: FluidSynth's master gain (its default 0.2 is quiet; 0.5 keeps a chord under clipping).
FS_GAIN = 0.5

FONTS = {
    "fluidr3": ("/usr/share/sounds/sf2/FluidR3_GM.sf2", "fluid-soundfont-gm"),
    "musescore": ("/usr/share/sounds/sf3/MuseScore_General_Lite.sf3", "musescore-general-soundfont-small"),
    "timgm": ("/usr/share/sounds/sf2/TimGM6mb.sf2", "timgm6mb-soundfont"),
    "opl3": ("/usr/share/sounds/sf2/OPL-3_FM_128M.sf2", "opl3-soundfont"),
}
SOURCES = tuple(FONTS) + ("numpy",)


class SourceMissing(RuntimeError):
    """A synthesis source cannot run here (a soundfont or libfluidsynth is not installed)."""


@dataclass(frozen=True)
class NoteKey:
    """What a one-shot depends on (time and exact velocity are applied when placing it)."""

    drum: bool
    program: int
    pitch: int
    vel: int  # a VEL_BUCKETS value
    dur_k: int  # duration bucket (ignored for drums: they are one-shots)

    @property
    def dur(self) -> float:
        return DUR_MIN * DUR_RATIO ** self.dur_k


def note_key(drum: bool, program: int, pitch: int, vel: int, dur: float) -> tuple[NoteKey, float]:
    """The one-shot for a note, and the gain that brings its bucket velocity to ``vel``."""
    vb = min(VEL_BUCKETS, key=lambda b: abs(b - vel))
    k = 0 if drum else max(0, int(round(math.log(max(dur, DUR_MIN) / DUR_MIN) / math.log(DUR_RATIO))))
    return NoteKey(drum, 0 if drum else program, pitch, vb, k), vel / vb


def source_id(source: str) -> str:
    """Identifies a source's sounds for the cache key (the font file's name and size)."""
    if source == "numpy":
        from numpy_kit import KIT_VERSION
        return f"numpy-kit:{KIT_VERSION}"
    path = Path(FONTS[source][0])
    return f"{path.name}:{path.stat().st_size}" if path.exists() else f"{path.name}:missing"


def _trim(x: np.ndarray) -> np.ndarray:
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak <= 0.0:
        return x[:1]
    last = int(np.flatnonzero(np.abs(x) > TAIL_FLOOR * peak)[-1]) + 1
    return x[:last]


class FluidFont:
    """One soundfont in a FluidSynth instance, rendering one-shots (mono float32)."""

    _lib = None

    def __init__(self, source: str):
        path, package = FONTS[source]
        if not Path(path).exists():
            raise SourceMissing(f"{path} is missing: install the Debian package {package} "
                                "(scripts/system-deps.sh)")
        lib = self._load_lib()
        self.lib = lib
        self.settings = lib.new_fluid_settings()
        lib.fluid_settings_setnum(self.settings, b"synth.sample-rate", float(SR))
        lib.fluid_settings_setint(self.settings, b"synth.reverb.active", 0)
        lib.fluid_settings_setint(self.settings, b"synth.chorus.active", 0)
        lib.fluid_settings_setnum(self.settings, b"synth.gain", FS_GAIN)
        lib.fluid_settings_setint(self.settings, b"synth.polyphony", 256)
        self.synth = lib.new_fluid_synth(self.settings)
        self.sfid = lib.fluid_synth_sfload(self.synth, path.encode(), 1)
        if self.sfid < 0:
            raise SourceMissing(f"FluidSynth cannot load {path}")
        self.cache: dict[NoteKey, np.ndarray] = {}

    @classmethod
    def _load_lib(cls):
        if cls._lib is None:
            name = ctypes.util.find_library("fluidsynth")
            if name is None:
                raise SourceMissing("libfluidsynth is missing: install the Debian package fluidsynth "
                                    "(scripts/system-deps.sh)")
            lib = ctypes.CDLL(name)
            p, i, d, s = ctypes.c_void_p, ctypes.c_int, ctypes.c_double, ctypes.c_char_p
            lib.new_fluid_settings.restype = p
            lib.new_fluid_synth.restype = p
            lib.new_fluid_synth.argtypes = [p]
            lib.fluid_settings_setnum.argtypes = [p, s, d]
            lib.fluid_settings_setint.argtypes = [p, s, i]
            lib.fluid_synth_sfload.argtypes = [p, s, i]
            lib.fluid_synth_program_select.argtypes = [p, i, i, i, i]
            lib.fluid_synth_noteon.argtypes = [p, i, i, i]
            lib.fluid_synth_noteoff.argtypes = [p, i, i]
            lib.fluid_synth_write_float.argtypes = [p, i, p, i, i, p, i, i]
            lib.fluid_synth_system_reset.argtypes = [p]
            lib.delete_fluid_synth.argtypes = [p]
            lib.delete_fluid_settings.argtypes = [p]
            cls._lib = lib
        return cls._lib

    def close(self) -> None:
        """Free the synth (its font's samples stay in FluidSynth's cache while another synth
        holds the same file: ``_ANCHORS``)."""
        if self.synth:
            self.lib.delete_fluid_synth(self.synth)
            self.lib.delete_fluid_settings(self.settings)
            self.synth = self.settings = None

    def _write(self, n: int) -> np.ndarray:
        left = np.zeros(n, np.float32)
        right = np.zeros(n, np.float32)
        self.lib.fluid_synth_write_float(self.synth, n, left.ctypes.data, 0, 1, right.ctypes.data, 0, 1)
        return 0.5 * (left + right)

    def note(self, key: NoteKey) -> np.ndarray:
        """The one-shot, from sample 0 (the synth is reset between notes, and every write is
        whole blocks, so the note-on lands exactly on sample 0)."""
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        lib, chan = self.lib, 9 if key.drum else 0
        lib.fluid_synth_program_select(self.synth, chan, self.sfid, 128 if key.drum else 0, key.program)
        held = 0.25 if key.drum else key.dur
        n_on = int(math.ceil(held * SR / FS_BLOCK)) * FS_BLOCK
        n_tail = int(TAIL_S * SR / FS_BLOCK) * FS_BLOCK
        lib.fluid_synth_noteon(self.synth, chan, key.pitch, key.vel)
        a = self._write(n_on)
        lib.fluid_synth_noteoff(self.synth, chan, key.pitch)
        b = self._write(n_tail)
        lib.fluid_synth_system_reset(self.synth)
        self._write(FS_BLOCK * 64)  # let the reset voices die out
        out = _trim(np.concatenate([a, b]))
        self.cache[key] = out
        return out


#: The current item's synths, one per source (``fresh_fonts`` starts them afresh).
_FONTS: dict[str, FluidFont] = {}
#: One synth per source that renders nothing and lives as long as the process: it keeps the
#: font's samples in FluidSynth's sample cache, so a fresh synth loads in 15-80 ms (a first
#: load of MuseScore_General_Lite.sf3 takes 3 s).
_ANCHORS: dict[str, FluidFont] = {}


def fresh_fonts() -> None:
    """The next notes render in fresh synths (``build`` calls this once per item)."""
    for font in _FONTS.values():
        font.close()
    _FONTS.clear()


def one_shot(source: str, key: NoteKey, kit=None) -> np.ndarray:
    """A note of ``source`` (``kit``: the item's ``NumpyKit`` for the numpy source)."""
    if source == "numpy":
        return kit.note(key)
    font = _FONTS.get(source)
    if font is None:
        if source not in _ANCHORS:
            _ANCHORS[source] = FluidFont(source)
        font = _FONTS[source] = FluidFont(source)
    return font.note(key)
