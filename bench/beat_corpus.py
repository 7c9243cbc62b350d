"""A labelled beat-tracking corpus with exact beat grids, rendered from MIDI.

Every item is a MIDI arrangement (drums on the GM drum channel, bass, chords, pads,
leads) built with pretty_midi from real musical patterns, placed on a beat grid that
this module computes itself (tempo ramps and hard changes included), and rendered
with tinysoundfont through the General MIDI soundfont that pretty_midi ships
(TimGM6mb.sf2).  The ground truth is the grid, not an annotation: a note that
starts "on beat 3" starts at the sample of beat 3 (unless the item is deliberately
humanized, in which case the notes wander around the grid and the labels do not).

Some items are then degraded the way a microphone in a club hears them: convolution
reverb with a synthetic impulse response, crowd noise (babble, cheers, claps), and a
band-passed, clipping, auto-gain-controlled laptop microphone.  All degradations are
causal filters or additive noise, so the direct sound keeps its timing.

Items are cached in out/beat-corpus/ under a hash of everything that defines them.

    python bench/beat_corpus.py --list            # names, groups, tempi, lengths
    python bench/beat_corpus.py [--quick]         # render (or load) and summarise
    python bench/beat_corpus.py --wav DIR         # also write WAVs to listen to
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

SR = 44100
GENERATOR_VERSION = 4  # part of the cache key, with a hash of this file and the renderer's version
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "out" / "beat-corpus"
PEAK = 0.7  # clean items are peak-normalised to about -3 dBFS


# --------------------------------------------------------------------------- specs

@dataclass(frozen=True)
class Section:
    """A stretch of music on one grid (or digital silence).

    ``bpm`` .. ``bpm_end``: the tempo ramps linearly over the section's beat index
    (the interval between beats k and k+1 is 60 / bpm_k).  ``style == "silence"`` is
    ``seconds`` of digital zeros with no beats.  ``parts`` chooses which parts of
    the style play (``None``: the style's own set).  ``gaps`` are spans in beats
    from the section start that are hard-muted to digital zeros while the grid (and
    the labels) go on, like a producer's "stop".  ``offset_beats`` shifts the
    section's first beat away from where the previous grid would put it (a DJ's hard
    cut out of phase).
    """

    style: str
    bars: int = 8
    bpm: float = 120.0
    bpm_end: float | None = None
    meter: int = 4
    seconds: float = 0.0
    parts: tuple[str, ...] | None = None
    gaps: tuple[tuple[float, float], ...] = ()
    offset_beats: float = 0.0
    key: int = 57  # A3: root of the progression
    swing: float = 0.5  # 0.5 straight; 0.62 swung 8ths (applies to 8th off-beats)
    swing16: float = 0.5  # same for 16ths


@dataclass(frozen=True)
class Spec:
    name: str
    group: str
    sections: tuple[Section, ...]
    tags: tuple[str, ...] = ()
    seed: int = 0
    degrade: tuple[str, ...] = ()
    humanize_ms: float = 0.0  # std-dev of note timing jitter around the grid

    def key(self) -> str:
        blob = json.dumps({"v": GENERATOR_VERSION, "code": _code_hash(), "sr": SR, "sf": _soundfont_id(),
                           "tsf": _version("tinysoundfont"), "spec": asdict(self)}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass
class Item:
    """One labelled excerpt.  Times are seconds from the first sample."""

    name: str
    group: str
    tags: tuple[str, ...]
    audio: np.ndarray  # mono float32 at ``sample_rate``
    sample_rate: int
    beats: np.ndarray
    downbeats: np.ndarray
    changes: np.ndarray  # times where a re-lock clock starts (see change_kinds)
    change_kinds: list[str]  # per change: "tempo" jump, "phase" cut, "restart" after silence,
    #                          "return" of the drums after a breakdown or a dropout (grid unchanged)
    segments: list[dict]  # per section: start, end, bpm, bpm_end, meter, style, kind
    time_signature: str
    silences: list[tuple[float, float]] = field(default_factory=list)  # digital-zero spans
    spec: Spec | None = None

    @property
    def duration(self) -> float:
        return len(self.audio) / self.sample_rate

    @property
    def bpm(self) -> str:
        """Tempo summary: '124', '128/100/140' (jumps), '118>136' (ramp), '117~120' (drift)."""
        out, last, pts = "", None, []
        for s in self.segments:
            if s["kind"] == "silence":
                continue
            a = s["bpm"]
            b = a if s["bpm_end"] is None else s["bpm_end"]
            if last is None:
                out = f"{a:g}"
            elif abs(a - last) > 0.5:
                out += f"/{a:g}"
            if abs(b - a) > 0.01:
                out += f">{b:g}"
            pts += [a, b]
            last = b
        if out.count(">") > 3:
            return f"{min(pts):.0f}~{max(pts):.0f}"
        return out


# --------------------------------------------------------------------------- soundfont

def soundfont_path() -> Path:
    import pretty_midi
    return Path(pretty_midi.__file__).resolve().parent / "TimGM6mb.sf2"


def _code_hash() -> str:
    """Any edit to this generator invalidates the cache (patterns, mix and degradations live here)."""
    global _CODE_HASH
    if _CODE_HASH is None:
        _CODE_HASH = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return _CODE_HASH


_CODE_HASH: str | None = None


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def _soundfont_id() -> str:
    p = soundfont_path()
    return f"{p.name}:{p.stat().st_size}" if p.exists() else "missing"


# --------------------------------------------------------------------------- grid

def _section_grid(sec: Section, t0: float) -> np.ndarray:
    """Beat times of a section, plus one closing time (where its next beat would be)."""
    n = sec.bars * sec.meter
    end = sec.bpm if sec.bpm_end is None else sec.bpm_end
    bpms = sec.bpm + (end - sec.bpm) * np.arange(n) / max(n - 1, 1)
    return t0 + np.concatenate([[0.0], np.cumsum(60.0 / bpms)])


def _pos_to_time(grid: np.ndarray, p: float) -> float:
    """Beat position (float, from the section start) to seconds, linear inside each beat."""
    n = len(grid) - 1
    if p >= n:  # past the end (a note tail): keep the last period
        return grid[-1] + (p - n) * (grid[-1] - grid[-2])
    if p < 0:
        return grid[0] + p * (grid[1] - grid[0])
    i = int(math.floor(p))
    return grid[i] + (p - i) * (grid[i + 1] - grid[i])


def _swing(p: float, s8: float, s16: float) -> float:
    frac = p - math.floor(p)
    if s8 != 0.5 and abs(frac - 0.5) < 1e-6:
        return p + (s8 - 0.5)
    if s16 != 0.5 and (abs(frac - 0.25) < 1e-6 or abs(frac - 0.75) < 1e-6):
        return p + (s16 - 0.5) / 2
    return p


# --------------------------------------------------------------------------- patterns

# GM drum keys
KICK, RIM, SNARE, CLAP, ESNARE, CHH, PHH, OHH, CRASH, RIDE, BELL, TAMB, COWBELL, SHAKER = \
    36, 37, 38, 39, 40, 42, 44, 46, 49, 51, 53, 54, 56, 70
CONGA_HI, CONGA_LO = 62, 64

DRUM_PARTS = ("kick", "snare", "hats", "perc", "cymbal")
# melodic parts -> default GM program (0-based)
DEFAULT_PROGRAMS = {"bass": 38, "chords": 4, "pad": 89, "lead": 81, "keys": 0, "guitar": 30, "strings": 48}
# stem gains (dB) on top of the soundfont's own levels: kick-led mixes with audible hats
PART_GAIN_DB = {"kick": 0.0, "snare": -1.0, "hats": 6.0, "perc": 3.0, "cymbal": 5.0, "bass": -6.0, "chords": -6.0,
                "pad": -8.0, "lead": -6.0, "keys": -4.0, "guitar": -6.0, "strings": -8.0}

PROG_MINOR = [(0, "m"), (-4, "M"), (3, "M"), (-2, "M")]  # i VI III VII
PROG_MAJOR = [(0, "M"), (7, "M"), (9, "m"), (5, "M")]  # I V vi IV
PROG_BLUES = [(0, "7")] * 4 + [(5, "7")] * 2 + [(0, "7")] * 2 + [(7, "7"), (5, "7"), (0, "7"), (7, "7")]
PROG_JAZZ = [(2, "m7"), (7, "7"), (0, "M7"), (0, "M7")]  # ii V I
QUALITY = {"m": (0, 3, 7), "M": (0, 4, 7), "7": (0, 4, 7, 10), "m7": (0, 3, 7, 10), "M7": (0, 4, 7, 11)}


@dataclass
class Ev:
    part: str
    pos: float  # beats from the bar start
    pitch: int
    vel: int
    dur: float = 0.25  # beats


class Bar:
    """What a style function sees: where it is, the chord, and a seeded RNG."""

    def __init__(self, index: int, n_bars: int, meter: int, root: int, quality: str, rng: np.random.Generator):
        self.i, self.n, self.meter, self.root, self.quality, self.rng = index, n_bars, meter, root, quality, rng
        self.tones = [root + x for x in QUALITY[quality]]

    def chord(self, octave: int = 0, inversion: int = 0) -> list[int]:
        tones = [t + 12 * octave for t in self.tones]
        for _ in range(inversion):
            tones = tones[1:] + [tones[0] + 12]
        return tones

    def bass(self, octave: int = -2) -> int:
        return self.root + 12 * octave

    def v(self, base: int, spread: int = 8) -> int:
        return int(np.clip(base + self.rng.integers(-spread, spread + 1), 1, 127))


def _hits(part, key, positions, b: Bar, vel, dur=0.1, spread=6):
    return [Ev(part, p, key, b.v(vel, spread), dur) for p in positions]


def _chord_hits(part, b: Bar, positions, vel, dur, octave=0, inversion=0):
    return [Ev(part, p, n, b.v(vel), dur) for p in positions for n in b.chord(octave, inversion)]


def _sixteenths(meter):
    return [i / 4 for i in range(4 * meter)]


def _eighths(meter):
    return [i / 2 for i in range(2 * meter)]


def _offbeats(meter):
    return [i + 0.5 for i in range(meter)]


def st_house(b: Bar):
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 118, spread=3)
    ev += _hits("snare", CLAP, [1, 3], b, 100)
    ev += _hits("hats", OHH, _offbeats(m), b, 85, dur=0.2)
    ev += [Ev("hats", p, CHH, b.v(45), 0.1) for p in _sixteenths(m) if p % 0.5]
    ev += [Ev("bass", p, b.bass(), b.v(100), 0.4) for p in _offbeats(m)]
    ev += _chord_hits("chords", b, [0.5, 1.75, 2.5] if b.i % 2 == 0 else [0.5, 1.75, 3.25], 80, 0.45)
    return ev


def st_techno(b: Bar):
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 122, spread=2)
    ev += [Ev("hats", p, CHH, b.v(70 if p % 0.5 else 45), 0.1) for p in _sixteenths(m)]
    ev += _hits("cymbal", RIDE, _offbeats(m), b, 60)
    ev += _hits("perc", RIM, [1.75, 3.5] if b.i % 2 else [2.75], b, 70)
    ev += [Ev("bass", k + f, b.bass(-2), b.v(75), 0.2) for k in range(m) for f in (0.25, 0.5, 0.75)]
    if b.i % 4 == 3:
        ev += _chord_hits("lead", b, [3.5], 70, 0.4)
    return ev


def st_trance(b: Bar):
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 120, spread=2)
    ev += _hits("snare", CLAP, [1, 3], b, 90)
    ev += _hits("hats", OHH, _offbeats(m), b, 85, dur=0.2)
    ev += [Ev("bass", k + f, b.bass(-1), b.v(85), 0.2) for k in range(m) for f in (0.25, 0.5, 0.75)]
    arp = b.chord(1) + [b.chord(1)[0] + 12]
    ev += [Ev("lead", i / 4, arp[i % len(arp)], b.v(70), 0.22) for i in range(4 * m)]
    ev += _chord_hits("pad", b, [0], 55, m)
    return ev


def st_hardcore(b: Bar):
    m = b.meter
    ev = _hits("kick", 35, range(m), b, 125, spread=2)
    ev += _hits("kick", KICK, range(m), b, 110, spread=2)
    ev += _hits("hats", OHH, _offbeats(m), b, 80, dur=0.2)
    ev += _hits("snare", CLAP, [1, 3], b, 85)
    arp = b.chord(1)
    ev += [Ev("lead", i / 2, arp[i % 3], b.v(75), 0.4) for i in range(2 * m)]
    ev += [Ev("bass", p, b.bass(-1), b.v(90), 0.4) for p in _offbeats(m)]
    return ev


def st_hiphop(b: Bar):
    kick = [0, 0.75, 2.5] if b.i % 2 == 0 else [0, 1.75, 2.5, 3.25]
    ev = _hits("kick", KICK, kick, b, 115)
    ev += _hits("snare", SNARE, [1, 3], b, 105)
    ev += [Ev("hats", p, CHH, b.v(70 if p % 1 == 0 else 55), 0.1) for p in _eighths(b.meter)]
    ev += [Ev("bass", p, b.bass(-2), b.v(95), 0.6) for p in kick]
    ev += _chord_hits("chords", b, [0, 2.5], 70, 1.2, inversion=1)
    return ev


def st_shuffle(b: Bar):
    m = b.meter
    trip = [k + f for k in range(m) for f in (0, 2 / 3)]
    ev = _hits("kick", KICK, [0, 2], b, 110)
    ev += _hits("snare", SNARE, [1, 3], b, 100)
    ev += [Ev("cymbal", p, RIDE, b.v(75 if p % 1 == 0 else 55), 0.2) for p in trip]
    walk = [0, 0, 7, 7, 9, 9, 7, 7]
    ev += [Ev("bass", p, b.bass(-2) + walk[i % 8], b.v(95), 0.3) for i, p in enumerate(trip)]
    ev += [Ev("keys", p, n, b.v(60), 0.25) for p in trip[1::2] for n in b.chord(0)]
    return ev


def st_jazz(b: Bar):
    """Swing ride, walking bass, feathered kick, hi-hat on 2 and 4, sparse comping: no backbeat."""
    m = b.meter
    ride = [0, 1, 1 + 2 / 3, 2, 3, 3 + 2 / 3]
    ev = [Ev("cymbal", p, RIDE, b.v(80 if p % 1 == 0 else 60), 0.3) for p in ride]
    ev += _hits("hats", PHH, [1, 3], b, 70)
    ev += _hits("kick", KICK, range(m), b, 35, spread=4)
    scale = [0, 2, 4, 5, 7, 9, 10, 11]
    ev += [Ev("bass", k, b.bass(-2) + (0 if k == 0 else scale[int(b.rng.integers(1, 8))]), b.v(90), 0.9)
           for k in range(m)]
    comp = [1 + 2 / 3, 3 + 2 / 3] if b.i % 2 == 0 else [0 + 2 / 3, 2]
    ev += [Ev("keys", p, n, b.v(65), 0.3) for p in comp for n in b.chord(0, 1)]
    return ev


def st_lofi(b: Bar):
    ev = _hits("kick", KICK, [0, 1.5, 2.5] if b.i % 2 else [0, 2.75], b, 105)
    ev += _hits("snare", RIM, [1, 3], b, 95)
    ev += [Ev("hats", p, CHH, b.v(60 if p % 1 == 0 else 45), 0.1) for p in _eighths(b.meter)]
    ev += [Ev("bass", p, b.bass(-2), b.v(85), 1.0) for p in [0, 2.5]]
    ev += _chord_hits("chords", b, [0], 60, 3.5, inversion=1)
    ev += [Ev("keys", p, b.chord(1)[i % 3], b.v(55), 0.4) for i, p in enumerate([0.5, 1.5, 2, 3.5])]
    return ev


def st_funk(b: Bar):
    m = b.meter
    ev = _hits("kick", KICK, [0, 0.75, 2.25, 2.5] if b.i % 2 == 0 else [0, 0.75, 2.5, 3.75], b, 112)
    ev += _hits("snare", SNARE, [1, 3], b, 110)
    ev += _hits("snare", SNARE, [1.75, 2.75, 3.25], b, 38, spread=5)  # ghost notes
    ev += [Ev("hats", p, CHH, b.v(75 if p % 0.5 == 0 else 50), 0.1) for p in _sixteenths(m)]
    riff = [(0, 0), (0.75, 12), (1.5, 0), (2.25, 10), (2.5, 12), (3.5, 7)]
    ev += [Ev("bass", p, b.bass(-2) + d, b.v(100), 0.2) for p, d in riff]
    ev += [Ev("chords", p, n, b.v(70), 0.15) for p in [0.25, 0.75, 1.25, 2.25, 3.75] for n in b.chord(0)]
    return ev


def st_reggaeton(b: Bar):
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 115)
    ev += _hits("snare", ESNARE, [0.75, 1.5, 2.75, 3.5], b, 100)
    ev += _hits("hats", CHH, _eighths(m), b, 55)
    ev += [Ev("bass", p, b.bass(-2), b.v(95), 0.5) for p in [0, 0.75, 1.5, 2, 2.75, 3.5]]
    ev += _chord_hits("chords", b, [0.75, 1.5, 2.75], 65, 0.4)
    return ev


def st_garage(b: Bar):
    """UK garage 2-step: no kick on 2 and 4, shuffled 16ths."""
    ev = _hits("kick", KICK, [0, 2.75] if b.i % 2 == 0 else [0, 1.75, 2.5], b, 115)
    ev += _hits("snare", SNARE, [1, 3], b, 100)
    ev += [Ev("hats", p, CHH, b.v(55), 0.1) for p in _sixteenths(b.meter) if p % 1]
    ev += _hits("perc", SHAKER, _eighths(b.meter), b, 45)
    ev += [Ev("bass", p, b.bass(-2) + d, b.v(95), 0.4) for p, d in [(0, 0), (0.75, 0), (2.75, 7), (3.5, 5)]]
    ev += _chord_hits("chords", b, [0.5, 2.25], 70, 0.3)
    return ev


def st_dnb(b: Bar):
    ev = _hits("kick", KICK, [0, 2.5] if b.i % 2 == 0 else [0, 0.5, 2.5], b, 118)
    ev += _hits("snare", SNARE, [1, 3], b, 112)
    ev += _hits("snare", SNARE, [1.75, 3.25] if b.i % 2 else [2.75], b, 40, spread=4)
    ev += [Ev("hats", p, CHH, b.v(60 if p % 1 else 45), 0.1) for p in _eighths(b.meter)]
    ev += _hits("cymbal", RIDE, _offbeats(b.meter), b, 55)
    ev += [Ev("bass", 0, b.bass(-2), b.v(100), 3.8)]
    ev += _chord_hits("pad", b, [0], 50, 4)
    return ev


def st_jungle(b: Bar):
    """An Amen-style 2-bar break."""
    if b.i % 2 == 0:
        kick, snare, ghost = [0, 0.5, 2.5], [1, 3], [1.75, 3.75]
    else:
        kick, snare, ghost = [0.5, 2.25, 2.5], [1, 3], [0.25, 1.75, 3.25, 3.75]
    ev = _hits("kick", KICK, kick, b, 115)
    ev += _hits("snare", SNARE, snare, b, 112)
    ev += _hits("snare", SNARE, ghost, b, 60)
    ev += _hits("cymbal", RIDE, _eighths(b.meter), b, 60)
    ev += [Ev("bass", p, b.bass(-2), b.v(100), 1.8) for p in (0, 2.5)]
    return ev


def st_bigbeat(b: Bar):
    ev = _hits("kick", KICK, [0, 1.5, 2.5] if b.i % 2 == 0 else [0, 0.75, 2.25, 2.5], b, 118)
    ev += _hits("snare", SNARE, [1, 3], b, 115)
    ev += _hits("hats", OHH, [3.5], b, 80, dur=0.3)
    ev += [Ev("hats", p, CHH, b.v(60), 0.1) for p in _sixteenths(b.meter) if p % 0.5]
    ev += _hits("perc", TAMB, _eighths(b.meter), b, 50)
    ev += [Ev("bass", p, b.bass(-2), b.v(100), 0.4) for p in [0, 1.5, 2.5, 3]]
    ev += [Ev("guitar", 0, n, b.v(70), 1.8) for n in (b.bass(-1), b.bass(-1) + 7)]
    return ev


def st_trap(b: Bar):
    """Half-time trap: snare/clap on beat 3 only, 16th hats with triplet rolls, long 808s."""
    ev = _hits("kick", KICK, [0, 1.5, 3.25] if b.i % 2 == 0 else [0, 0.75, 2.5], b, 118)
    ev += _hits("snare", CLAP, [2], b, 110)
    ev += _hits("snare", SNARE, [2], b, 90)
    hats = _sixteenths(b.meter)
    if b.i % 2:
        hats = [p for p in hats if p < 3] + [3 + i / 6 for i in range(6)]
    ev += [Ev("hats", p, CHH, b.v(65 if p % 0.5 == 0 else 45), 0.08) for p in hats]
    ev += [Ev("bass", 0, b.bass(-2), b.v(105), 1.4), Ev("bass", 1.5, b.bass(-2), b.v(100), 1.8)]
    ev += [Ev("lead", p, b.chord(1)[i % 3], b.v(60), 0.4) for i, p in enumerate([0, 0.5, 1.5, 2.5, 3])]
    return ev


def st_dubstep(b: Bar):
    ev = _hits("kick", KICK, [0, 2.75] if b.i % 2 == 0 else [0, 0.5, 3.5], b, 118)
    ev += _hits("snare", SNARE, [2], b, 115)
    ev += _hits("snare", CLAP, [2], b, 90)
    ev += _hits("hats", CHH, _eighths(b.meter), b, 50)
    wob = [0, 0.5, 0.75, 1.5, 2.5, 2.75, 3, 3.25] if b.i % 2 else [0, 0.75, 1, 1.5, 3, 3.5]
    ev += [Ev("bass", p, b.bass(-2), b.v(100), 0.2) for p in wob]
    ev += [Ev("lead", p, b.bass(-1) + (7 if i % 2 else 0), b.v(70), 0.2) for i, p in enumerate(wob)]
    return ev


def st_rock(b: Bar):
    m = b.meter
    ev = _hits("kick", KICK, [0, 2, 2.5], b, 112)
    ev += _hits("snare", SNARE, [1, 3], b, 112)
    ev += [Ev("hats", p, CHH, b.v(75 if p % 1 == 0 else 55), 0.1) for p in _eighths(m)]
    if b.i % 4 == 0:
        ev += _hits("cymbal", CRASH, [0], b, 90, dur=1)
    ev += [Ev("bass", p, b.bass(-2), b.v(95), 0.45) for p in _eighths(m)]
    ev += [Ev("guitar", p, n, b.v(75), 0.45) for p in _eighths(m) for n in (b.bass(-1), b.bass(-1) + 7, b.bass(0))]
    return ev


def st_punk(b: Bar):
    m = b.meter
    ev = _hits("kick", KICK, [0, 2] if b.i % 2 == 0 else [0, 1.5, 2], b, 110)
    ev += _hits("snare", SNARE, [1, 3], b, 112)
    ev += _hits("hats", OHH, range(m), b, 60, dur=0.3)
    ev += [Ev("bass", p, b.bass(-2), b.v(95), 0.45) for p in _eighths(m)]
    ev += [Ev("guitar", p, n, b.v(78), 0.45) for p in _eighths(m) for n in (b.bass(-1), b.bass(-1) + 7)]
    return ev


def st_ballad(b: Bar):
    m = b.meter
    ev = _hits("kick", KICK, [0, 2.5], b, 95)
    ev += _hits("snare", RIM, [1, 3], b, 85)
    ev += _hits("hats", CHH, _eighths(m), b, 40, spread=4)
    arp = b.chord(0) + [b.chord(0)[0] + 12, b.chord(0)[1] + 12, b.chord(0)[2]]
    ev += [Ev("keys", p, arp[i % len(arp)], b.v(70 if p % 1 == 0 else 55), 0.9) for i, p in enumerate(_eighths(m))]
    ev += [Ev("bass", 0, b.bass(-2), b.v(90), m - 0.1)]
    ev += _chord_hits("strings", b, [0], 50, m - 0.05, octave=0, inversion=1)
    return ev


def st_waltz(b: Bar):
    """3/4 oom-pah-pah: bass on 1, piano chords on 2 and 3, light brushes."""
    ev = [Ev("bass", 0, b.bass(-2), b.v(100), 0.9)]
    ev += [Ev("keys", p, n, b.v(65), 0.6) for p in (1, 2) for n in b.chord(0)]
    ev += _hits("kick", KICK, [0], b, 80)
    ev += _hits("hats", PHH, [1, 2], b, 55)
    mel = b.chord(1)
    ev += [Ev("strings", 0, mel[b.i % 3], b.v(60), 2.8)]
    return ev


def st_jazzwaltz(b: Bar):
    ev = [Ev("cymbal", p, RIDE, b.v(80 if p % 1 == 0 else 60), 0.3) for p in (0, 1, 1 + 2 / 3, 2)]
    ev += _hits("hats", PHH, [1], b, 65)
    ev += _hits("kick", KICK, [0], b, 60)
    ev += [Ev("bass", k, b.bass(-2) + (0, 7, 5)[k], b.v(90), 0.9) for k in range(3)]
    ev += [Ev("keys", 1 + 2 / 3 if b.i % 2 else 2, n, b.v(65), 0.5) for n in b.chord(0, 1)]
    return ev


def st_folk3(b: Bar):
    ev = [Ev("bass", 0, b.bass(-2), b.v(100), 0.9)]
    ev += [Ev("keys", p, n, b.v(70), 0.5) for p in (1, 2) for n in b.chord(0)]
    ev += _hits("kick", KICK, [0], b, 100)
    ev += _hits("snare", SNARE, [1, 2], b, 70)
    ev += _hits("perc", TAMB, [0, 1, 1.5, 2], b, 55)
    ev += [Ev("lead", p, b.chord(1)[i % 3], b.v(70), 0.45) for i, p in enumerate((0, 0.5, 1, 2))]
    return ev


def st_gated(b: Bar):
    """Staccato, hard-gated electronics: kick on 1 and 3, stabs on off-beats, nothing on 2 and 4."""
    ev = _hits("kick", KICK, [0, 2], b, 118, dur=0.05)
    ev += _hits("hats", CHH, [0.5, 2.5], b, 70, dur=0.05)
    ev += _chord_hits("chords", b, [1.5, 3.5], 85, 0.12)
    ev += [Ev("bass", p, b.bass(-2), b.v(95), 0.15) for p in (0.5, 3.5)]
    return ev


STYLES = {
    "house": (st_house, {"chords": 4, "bass": 38}),
    "techno": (st_techno, {"bass": 39, "lead": 81}),
    "trance": (st_trance, {"bass": 38, "lead": 81, "pad": 90}),
    "hardcore": (st_hardcore, {"lead": 80, "bass": 38}),
    "hiphop": (st_hiphop, {"bass": 33, "chords": 4}),
    "shuffle": (st_shuffle, {"bass": 33, "keys": 0}),
    "jazz": (st_jazz, {"bass": 32, "keys": 0}),
    "lofi": (st_lofi, {"bass": 33, "chords": 4, "keys": 11}),
    "funk": (st_funk, {"bass": 36, "chords": 7}),
    "reggaeton": (st_reggaeton, {"bass": 38, "chords": 84}),
    "garage": (st_garage, {"bass": 38, "chords": 4}),
    "dnb": (st_dnb, {"bass": 38, "pad": 89}),
    "jungle": (st_jungle, {"bass": 38}),
    "bigbeat": (st_bigbeat, {"bass": 38, "guitar": 30}),
    "trap": (st_trap, {"bass": 38, "lead": 10}),
    "dubstep": (st_dubstep, {"bass": 38, "lead": 81}),
    "rock": (st_rock, {"bass": 33, "guitar": 30}),
    "punk": (st_punk, {"bass": 34, "guitar": 30}),
    "ballad": (st_ballad, {"bass": 32, "keys": 0, "strings": 48}),
    "waltz": (st_waltz, {"bass": 32, "keys": 0, "strings": 48}),
    "jazzwaltz": (st_jazzwaltz, {"bass": 32, "keys": 0}),
    "folk3": (st_folk3, {"bass": 32, "keys": 21, "lead": 73}),
    "gated": (st_gated, {"bass": 38, "chords": 81}),
}
PROGRESSIONS = {"shuffle": PROG_BLUES, "jazz": PROG_JAZZ, "jazzwaltz": PROG_JAZZ, "rock": PROG_MAJOR,
                "punk": PROG_MAJOR, "ballad": PROG_MAJOR, "waltz": PROG_MAJOR, "folk3": PROG_MAJOR}


def _breakdown_parts(b: Bar, parts: tuple[str, ...]):
    """Generic parts any style can switch on: sustained pad, 8th-note arpeggio, snare build."""
    ev = []
    if "pad" in parts:
        ev += _chord_hits("pad", b, [0], 55, b.meter - 0.02)
    if "arp" in parts:
        arp = b.chord(1)
        ev += [Ev("lead", i / 2, arp[i % len(arp)], b.v(70), 0.4) for i in range(2 * b.meter)]
    if "build" in parts and b.i >= b.n - 2:
        step = 0.5 if b.i == b.n - 2 else 0.25
        k = np.arange(0, b.meter, step)
        ev += [Ev("snare", float(p), SNARE, int(50 + 60 * (b.i - (b.n - 2) + p / b.meter) / 2), 0.1) for p in k]
    return ev


# --------------------------------------------------------------------------- arrangement

@dataclass
class Note:
    part: str
    program: int
    is_drum: bool
    pitch: int
    vel: int
    start: float
    end: float


def arrange(spec: Spec):
    """Notes, labels and structure of a spec (no audio yet)."""
    rng = np.random.default_rng(spec.seed)
    notes: list[Note] = []
    beats, downbeats, changes, segments, silences, mutes = [], [], [], [], [], []
    t = 0.0
    prev: Section | None = None
    prev_period = None
    prev_kind = None
    for sec in spec.sections:
        if sec.style == "silence":
            segments.append({"start": t, "end": t + sec.seconds, "bpm": 0.0, "bpm_end": None, "meter": 0,
                             "style": "silence", "kind": "silence"})
            silences.append((t, t + sec.seconds))
            t += sec.seconds
            prev = sec
            prev_kind = "silence"
            continue
        if sec.offset_beats and prev_period:
            t += sec.offset_beats * prev_period
        grid = _section_grid(sec, t)
        n_beats = len(grid) - 1
        kind = "ramp" if sec.bpm_end not in (None, sec.bpm) else "steady"
        parts = sec.parts
        if parts is not None and not any(p in parts for p in ("kick",)):
            kind = "breakdown"
        segments.append({"start": float(grid[0]), "end": float(grid[-1]), "bpm": sec.bpm, "bpm_end": sec.bpm_end,
                         "meter": sec.meter, "style": sec.style, "kind": kind})
        if beats and prev is not None:  # the very start is not a change (that is the lock-in)
            prev_end_bpm = prev.bpm if prev.bpm_end is None else prev.bpm_end
            if prev.style == "silence":
                changes.append((float(grid[0]), "restart"))
            elif abs(sec.bpm - prev_end_bpm) > 0.5:
                changes.append((float(grid[0]), "tempo"))
            elif sec.offset_beats:
                changes.append((float(grid[0]), "phase"))
            elif prev_kind == "breakdown" and kind != "breakdown":
                changes.append((float(grid[0]), "return"))
        beats += list(grid[:-1])
        downbeats += list(grid[:-1:sec.meter])
        fn, programs = STYLES[sec.style]
        programs = {**DEFAULT_PROGRAMS, **programs}
        prog = PROGRESSIONS.get(sec.style, PROG_MINOR)
        for bi in range(sec.bars):
            root_off, quality = prog[bi % len(prog)]
            bar = Bar(bi, sec.bars, sec.meter, sec.key + root_off, quality, rng)
            evs = fn(bar) if parts is None or any(p in parts for p in DRUM_PARTS + tuple(programs)) else []
            if parts is not None:
                evs = [e for e in evs if e.part in parts]
                evs += _breakdown_parts(bar, parts)
            for e in evs:
                p = bi * sec.meter + _swing(e.pos, sec.swing, sec.swing16)
                if any(g0 <= p < g1 for g0, g1 in sec.gaps):
                    continue
                start = _pos_to_time(grid, p)
                end = _pos_to_time(grid, p + e.dur)
                if spec.humanize_ms:
                    start += float(np.clip(rng.normal(0, spec.humanize_ms / 1000), -2.5 * spec.humanize_ms / 1000,
                                           2.5 * spec.humanize_ms / 1000))
                    start = max(start, 0.0)
                drum = e.part in DRUM_PARTS
                notes.append(Note(e.part, 0 if drum else programs.get(e.part, 0), drum, int(e.pitch),
                                  int(e.vel), start, max(end, start + 0.03)))
        for g0, g1 in sec.gaps:
            mutes.append((_pos_to_time(grid, g0), _pos_to_time(grid, g1)))
            if g1 < n_beats:
                changes.append((_pos_to_time(grid, g1), "return"))
        prev_kind = kind
        prev_period = float(grid[-1] - grid[-2])
        t = float(grid[-1])
        prev = sec
    duration = t
    # the first section's meter is the item's time signature (items keep one meter)
    meter = next(s.meter for s in spec.sections if s.style != "silence")
    changes.sort()
    return {
        "notes": notes, "beats": np.array(beats), "downbeats": np.array(downbeats),
        "changes": np.array([c[0] for c in changes]), "change_kinds": [c[1] for c in changes],
        "segments": segments, "silences": silences + mutes, "duration": duration, "meter": meter,
    }


def to_pretty_midi(notes: list[Note]):
    """The arrangement as a pretty_midi object (one instrument per part and program)."""
    import pretty_midi
    pm = pretty_midi.PrettyMIDI(resolution=960, initial_tempo=120.0)
    insts: dict[tuple, pretty_midi.Instrument] = {}
    for n in notes:
        k = (n.part, n.program, n.is_drum)
        if k not in insts:
            insts[k] = pretty_midi.Instrument(program=n.program, is_drum=n.is_drum, name=n.part)
            pm.instruments.append(insts[k])
        insts[k].notes.append(pretty_midi.Note(velocity=n.vel, pitch=n.pitch, start=n.start, end=n.end))
    return pm


def render(pm, duration: float, sr: int = SR) -> np.ndarray:
    """Render a PrettyMIDI object with tinysoundfont, sample-accurately, to mono float32.

    Each instrument (one per part) gets its own synth and is mixed with the part's
    gain from PART_GAIN_DB, like stems on a mixing desk: TimGM6mb's hats are about
    25 dB under its kick, far quieter than in a produced track.
    """
    import tinysoundfont
    total = int(round(duration * sr))
    mix = np.zeros(total, np.float64)
    sf_bytes = soundfont_path().read_bytes()
    for inst in pm.instruments:
        chan = 9 if inst.is_drum else 0
        synth = tinysoundfont.Synth(samplerate=sr, gain=-6.0)
        sfid = synth.sfload(sf_bytes, max_voices=128)
        synth.program_select(chan, sfid, 128 if inst.is_drum else 0, 0 if inst.is_drum else inst.program,
                             inst.is_drum)
        events = []  # (sample, order, pitch, vel): note-offs sort before note-ons at the same sample
        by_pitch: dict[int, list] = {}
        for n in inst.notes:
            by_pitch.setdefault(n.pitch, []).append(n)
        for pitch, ns in by_pitch.items():
            ns.sort(key=lambda n: n.start)
            for i, n in enumerate(ns):  # a note never outlives the next start of its pitch
                s0 = int(round(n.start * sr))
                s1 = int(round(n.end * sr))
                if i + 1 < len(ns):
                    s1 = min(s1, int(round(ns[i + 1].start * sr)))
                events.append((s0, 1, pitch, n.velocity))
                events.append((max(s1, s0 + 1), 0, pitch, 0))
        events.sort()
        out = np.zeros((total, 2), np.float32)
        pos = 0
        for smp, on, pitch, vel in events:
            smp = min(smp, total)
            if smp > pos:
                out[pos:smp] = np.frombuffer(synth.generate_simple(smp - pos), np.float32).reshape(-1, 2)
                pos = smp
            if on:
                if smp < total:
                    synth.noteon(chan, pitch, vel)
            else:
                synth.noteoff(chan, pitch)
        if pos < total:
            out[pos:] = np.frombuffer(synth.generate_simple(total - pos), np.float32).reshape(-1, 2)
        mix += out.mean(axis=1) * 10 ** (PART_GAIN_DB.get(inst.name, 0.0) / 20)
    return mix.astype(np.float32)


# --------------------------------------------------------------------------- degradations

def _butter(x, kind, freq, order=4, sr=SR):
    from scipy.signal import butter, sosfilt
    return sosfilt(butter(order, freq, kind, fs=sr, output="sos"), x)


def _rms(x):
    return float(np.sqrt(np.mean(np.square(x)))) if len(x) else 0.0


def reverb(x: np.ndarray, rng: np.random.Generator, rt60: float = 1.6, drr_db: float = -2.0, sr: int = SR):
    """Direct sound plus a synthetic room: early reflections and a decaying-noise tail.

    The tail decays faster in the highs (air absorption).  ``drr_db`` is the
    direct-to-reverberant energy ratio; negative means the room dominates, as far
    from the speakers.  The direct path keeps zero delay.
    """
    from scipy.signal import fftconvolve
    n = int(rt60 * 1.3 * sr)
    t = np.arange(n) / sr
    lo = _butter(rng.standard_normal(n), "lowpass", 2500, 2) * np.exp(-6.91 * t / rt60)
    hi = _butter(rng.standard_normal(n), "highpass", 2500, 2) * np.exp(-6.91 * t / (rt60 * 0.45))
    ir = lo + hi
    ir[: int(0.015 * sr)] = 0.0  # pre-delay before the diffuse tail
    for _ in range(8):  # early reflections 5..40 ms
        k = int(rng.uniform(0.005, 0.04) * sr)
        ir[k] += rng.uniform(-1, 1) * 6 * np.sqrt(np.mean(ir[int(0.015 * sr):int(0.1 * sr)] ** 2))
    ir /= np.sqrt(np.sum(ir ** 2))
    wet = fftconvolve(x, ir)[: len(x)]
    gain = 10 ** (-drr_db / 20)  # unit-energy IR: wet energy ~ dry energy * gain^2
    return x + gain * wet


def crowd(x: np.ndarray, rng: np.random.Generator, snr_db: float = 6.0, sr: int = SR):
    """Crowd noise: babble of talkers, cheers that swell and fade, and random hand claps."""
    n = len(x)
    t = np.arange(n) / sr
    babble = np.zeros(n)
    for _ in range(10):
        f0 = rng.uniform(400, 1600)
        v = _butter(rng.standard_normal(n), "bandpass", [f0 * 0.6, f0 * 1.8], 2)
        syll = 0.5 + 0.5 * np.sin(2 * np.pi * rng.uniform(2.5, 6) * t + rng.uniform(0, 6.3))
        slow = 0.6 + 0.4 * np.sin(2 * np.pi * rng.uniform(0.05, 0.3) * t + rng.uniform(0, 6.3))
        babble += v * syll ** 2 * slow
    cheer = np.zeros(n)
    k = 0.0
    while True:
        k += rng.exponential(9.0)
        if k >= t[-1]:
            break
        length = rng.uniform(1.0, 3.5)
        i0, i1 = int(k * sr), min(n, int((k + length) * sr))
        env = np.sin(np.linspace(0, np.pi, i1 - i0)) ** 1.5
        cheer[i0:i1] += env * rng.uniform(1.5, 3.0)
    cheer *= _butter(rng.standard_normal(n), "bandpass", [500, 4000], 2)
    claps = np.zeros(n)
    clap_len = int(0.03 * sr)
    clap_env = np.exp(-np.arange(clap_len) / (0.006 * sr))
    k = 0.0
    while True:
        k += rng.exponential(1 / 4.0)  # ~4 claps a second, not in time with the music
        i0 = int(k * sr)
        if i0 + clap_len >= n:
            break
        claps[i0:i0 + clap_len] += clap_env * rng.uniform(0.5, 1.5) * rng.standard_normal(clap_len)
    claps = _butter(claps, "bandpass", [800, 5000], 2)
    noise = babble / (_rms(babble) + 1e-12) + 0.7 * cheer / (_rms(cheer) + 1e-12) + 0.8 * claps / (_rms(claps) + 1e-12)
    noise *= _rms(x) / (_rms(noise) + 1e-12) * 10 ** (-snr_db / 20)
    return x + noise


def laptop_mic(x: np.ndarray, rng: np.random.Generator, sr: int = SR):
    """A laptop microphone: 300 Hz-6 kHz band-pass, a pumping AGC, clipping, a noise floor."""
    y = _butter(x, "bandpass", [300, 6000], 4)
    # AGC: causal peak follower (5 ms attack, 400 ms release) evaluated per 1 ms block,
    # driving the level toward a target with gain limits
    blk = sr // 1000
    nb = len(y) // blk
    peaks = np.abs(y[: nb * blk]).reshape(nb, blk).max(axis=1)
    env = np.empty(nb)
    e = 1e-3
    a_att, a_rel = 1 - np.exp(-1 / 5), 1 - np.exp(-1 / 400)
    for i, p in enumerate(peaks):
        e += (a_att if p > e else a_rel) * (p - e)
        env[i] = e
    gain = np.clip(0.5 / np.maximum(env, 1e-4), 0.25, 20.0)
    g = np.repeat(gain, blk)
    g = np.concatenate([g, np.full(len(y) - len(g), g[-1] if len(g) else 1.0)])
    y = y * g * 1.8  # hot input stage
    y = np.clip(y, -0.9, 0.9)  # the ADC clips
    y += rng.standard_normal(len(y)) * 10 ** (-62 / 20)
    return y


DEGRADATIONS = {"reverb": reverb, "crowd": crowd, "laptop": laptop_mic}


# --------------------------------------------------------------------------- build / cache

def build(spec: Spec) -> Item:
    """Render a spec (no cache).  Deterministic: same spec, same samples."""
    arr = arrange(spec)
    pm = to_pretty_midi(arr["notes"])
    audio = render(pm, arr["duration"]).astype(np.float64)
    for a, b in arr["silences"]:  # digital silence: exact zeros (tails cut, like a hard mute)
        audio[int(round(a * SR)):int(round(b * SR))] = 0.0
    peak = np.max(np.abs(audio)) or 1.0
    audio *= PEAK / peak
    rng = np.random.default_rng(spec.seed + 1000)
    for d in spec.degrade:
        audio = DEGRADATIONS[d](audio, rng)
    if spec.degrade and "laptop" not in spec.degrade:
        audio *= PEAK / (np.max(np.abs(audio)) or 1.0)
    audio = _quantize(audio)
    return Item(
        name=spec.name, group=spec.group, tags=spec.tags, audio=audio, sample_rate=SR,
        beats=arr["beats"], downbeats=arr["downbeats"], changes=arr["changes"], change_kinds=arr["change_kinds"],
        segments=arr["segments"],
        time_signature=f"{arr['meter']}/4", silences=arr["silences"], spec=spec,
    )


def _quantize(audio: np.ndarray) -> np.ndarray:
    """16-bit like a real capture; the cached copy is the same numbers exactly."""
    q = np.clip(np.round(audio * 32767), -32768, 32767).astype(np.int16)
    return (q.astype(np.float32) / 32767).astype(np.float32)


def load(spec: Spec, cache: Path | None = CACHE) -> Item:
    """The rendered item, from the cache when it is there (keyed by a hash of the spec)."""
    if cache is None:
        return build(spec)
    path = cache / f"{spec.name}-{spec.key()}.npz"
    if path.exists():
        try:
            z = np.load(path, allow_pickle=False)
            meta = json.loads(str(z["meta"]))
            return Item(
                name=spec.name, group=spec.group, tags=spec.tags,
                audio=(z["audio"].astype(np.float32) / 32767).astype(np.float32), sample_rate=int(meta["sr"]),
                beats=z["beats"], downbeats=z["downbeats"], changes=z["changes"],
                change_kinds=list(meta["change_kinds"]), segments=meta["segments"],
                time_signature=meta["time_signature"], silences=[tuple(s) for s in meta["silences"]], spec=spec,
            )
        except Exception:  # a torn or stale file: render again
            pass
    item = build(spec)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{os.urandom(4).hex()}.tmp.npz")  # concurrent renders are safe
    meta = {"sr": item.sample_rate, "segments": item.segments, "change_kinds": item.change_kinds,
            "time_signature": item.time_signature, "silences": item.silences, "spec": asdict(spec)}
    np.savez_compressed(tmp, audio=np.round(item.audio * 32767).astype(np.int16), beats=item.beats,
                        downbeats=item.downbeats, changes=item.changes, meta=json.dumps(meta))
    os.replace(tmp, path)
    for old in cache.glob(f"{spec.name}-*.npz"):  # drop renders of older generator versions
        if old != path and re.fullmatch(re.escape(spec.name) + r"-[0-9a-f]{16}\.npz", old.name):
            old.unlink(missing_ok=True)
    return item


# --------------------------------------------------------------------------- the corpus

def bars_for(seconds: float, bpm: float, meter: int = 4) -> int:
    return max(1, round(seconds * bpm / 60 / meter))


def steady(name, group, style, bpm, seconds=40.0, meter=4, seed=0, tags=(), degrade=(), humanize_ms=0.0, **kw):
    sec = Section(style, bars_for(seconds, bpm, meter), bpm, meter=meter, **kw)
    return Spec(name, group, (sec,), tags=tuple(tags), seed=seed, degrade=tuple(degrade), humanize_ms=humanize_ms)


def default_specs(scale: float = 1.0) -> list[Spec]:
    """The full corpus, about 40 items of 30-60 s.  ``scale`` shrinks every item (for --quick)."""
    S = 40.0 * scale

    def b(seconds, bpm, meter=4):
        return bars_for(seconds * scale, bpm, meter)

    specs = [
        # four-on-the-floor
        steady("house-124", "four-on-floor", "house", 124, S, seed=1),
        steady("techno-132", "four-on-floor", "techno", 132, S, seed=2),
        steady("trance-138", "four-on-floor", "trance", 138, S, seed=3),
        steady("disco-house-118", "four-on-floor", "house", 118, S, seed=4, key=52),
        steady("hardcore-175", "four-on-floor", "hardcore", 175, S, seed=5),
        # swing
        steady("hiphop-swing-90", "swing", "hiphop", 90, S, seed=6, swing=0.62, humanize_ms=4),
        steady("lofi-swing-75", "swing", "lofi", 75, S, seed=7, swing=0.6, humanize_ms=5),
        steady("shuffle-116", "swing", "shuffle", 116, S, seed=8, key=52, humanize_ms=5),
        steady("jazz-ride-170", "swing", "jazz", 170, S, seed=9, key=53, humanize_ms=6, tags=("no-backbeat",)),
        # syncopation
        steady("funk-104", "syncopation", "funk", 104, S, seed=10, key=52, humanize_ms=4, swing16=0.54),
        steady("reggaeton-96", "syncopation", "reggaeton", 96, S, seed=11),
        steady("garage-2step-132", "syncopation", "garage", 132, S, seed=12, swing16=0.58),
        # breakbeats
        steady("dnb-174", "breakbeat", "dnb", 174, S, seed=13),
        steady("jungle-165", "breakbeat", "jungle", 165, S, seed=14),
        steady("bigbeat-130", "breakbeat", "bigbeat", 130, S, seed=15, key=52),
        # half-time (labelled at the hat/grid tempo; the snare falls on beat 3)
        steady("trap-halftime-140", "half-time", "trap", 140, S, seed=16, tags=("ambiguous-level",)),
        steady("dubstep-halftime-140", "half-time", "dubstep", 140, S, seed=17, tags=("ambiguous-level",)),
        # rock / pop band tempi
        steady("rock-112", "band", "rock", 112, S, seed=18, key=52, humanize_ms=5),
        steady("punk-180", "band", "punk", 180, S, seed=19, key=52, humanize_ms=5),
        steady("ballad-70", "band", "ballad", 70, S * 1.2, seed=20, key=55, humanize_ms=6),
        # 3/4
        steady("waltz-90-3-4", "3/4", "waltz", 90, S, meter=3, seed=21, key=55, humanize_ms=4),
        steady("jazzwaltz-150-3-4", "3/4", "jazzwaltz", 150, S, meter=3, seed=22, key=53, humanize_ms=5),
        steady("folk-120-3-4", "3/4", "folk3", 120, S, meter=3, seed=23, key=50),
        # breakdowns without kick (the labels go on through them)
        Spec("house-breakdown-126", "breakdown", (
            Section("house", b(15, 126), 126),
            Section("house", b(15, 126), 126, parts=("pad", "arp", "hats")),
            Section("house", b(10, 126), 126, parts=("pad", "arp", "build")),
            Section("house", b(15, 126), 126)), seed=24),
        Spec("techno-breakdown-pads-130", "breakdown", (
            Section("techno", b(15, 130), 130),
            Section("techno", b(15, 130), 130, parts=("pad",)),
            Section("techno", b(15, 130), 130)), seed=25, tags=("beatless",)),
        # gradual tempo ramps
        Spec("ramp-house-118-136", "ramp", (
            Section("house", b(10, 118), 118),
            Section("house", b(25, 127), 118, 136),
            Section("house", b(10, 136), 136)), seed=26),
        Spec("ramp-funk-104-84", "ramp", (
            Section("funk", b(10, 104), 104, key=52),
            Section("funk", b(25, 94), 104, 84, key=52),
            Section("funk", b(10, 84), 84, key=52)), seed=27, humanize_ms=4),
        Spec("drift-rock-120", "ramp", tuple(
            Section("rock", 2, bpm0, bpm1, key=52) for bpm0, bpm1 in
            _wander(120, 3.0, max(4, b(40, 120) // 2), seed=28)), seed=28, humanize_ms=5, tags=("live-drift",)),
        # hard tempo changes (a DJ cutting between records)
        Spec("change-128-100-140", "tempo-change", (
            Section("house", b(15, 128), 128),
            Section("funk", b(15, 100), 100, key=52),
            Section("bigbeat", b(15, 140), 140, key=52)), seed=29),
        Spec("change-90-174", "tempo-change", (
            Section("hiphop", b(20, 90), 90, swing=0.6),
            Section("dnb", b(20, 174), 174)), seed=30),
        Spec("cut-124-phase", "tempo-change", (
            Section("house", b(20, 124), 124),
            Section("techno", b(20, 124), 124, offset_beats=0.4)), seed=31, tags=("phase-jump",)),
        # digital silence
        Spec("silence-intro-124", "silence", (
            Section("silence", seconds=4.0),
            Section("house", b(30, 124), 124)), seed=32),
        Spec("silence-gap-120-100", "silence", (
            Section("house", b(18, 120), 120),
            Section("silence", seconds=3.0),
            Section("funk", b(18, 100), 100, key=52)), seed=33),
        Spec("dropout-128", "silence", (
            Section("techno", b(40, 128), 128, gaps=tuple(
                (float(g), float(g) + (4 if i % 2 else 2)) for i, g in enumerate(range(28, b(40, 128) * 4 - 4, 32)))),
        ), seed=34, tags=("grid-continues",)),
        steady("gated-staccato-110", "silence", "gated", 110, S, seed=35, tags=("digital-zeros-between-hits",)),
        # in-the-room versions
        steady("house-124-reverb", "reverb", "house", 124, S, seed=1, degrade=("reverb",)),
        steady("funk-104-reverb", "reverb", "funk", 104, S, seed=10, key=52, humanize_ms=4, swing16=0.54,
               degrade=("reverb",)),
        steady("techno-132-crowd", "crowd", "techno", 132, S, seed=2, degrade=("crowd",)),
        steady("hiphop-90-crowd", "crowd", "hiphop", 90, S, seed=6, swing=0.62, humanize_ms=4, degrade=("crowd",)),
        steady("house-124-laptop", "laptop-mic", "house", 124, S, seed=1, degrade=("laptop",)),
        steady("dnb-174-laptop", "laptop-mic", "dnb", 174, S, seed=13, degrade=("laptop",)),
        steady("trance-138-room", "room", "trance", 138, S, seed=3, degrade=("reverb", "crowd", "laptop")),
        steady("rock-112-room", "room", "rock", 112, S, seed=18, key=52, humanize_ms=5,
               degrade=("reverb", "crowd", "laptop")),
    ]
    return specs


QUICK = ["house-124", "hiphop-swing-90", "dnb-174", "waltz-90-3-4", "house-breakdown-126", "change-128-100-140",
         "silence-gap-120-100", "house-124-laptop"]


#: Tempo factors of the held-out corpus, item by item in turn.
HELDOUT_FACTORS = (0.95, 1.05, 0.97, 1.03, 0.93, 1.07)


def heldout_specs() -> list[Spec]:
    """The same recipes with other seeds (other humanisation, fills and noise), other
    tempi (each item 3-7 % slower or faster, kept inside 70-180 BPM) and another key:
    a check that the tracker was made good rather than tuned to ``default_specs``."""
    out = []
    for i, spec in enumerate(default_specs()):
        f = HELDOUT_FACTORS[i % len(HELDOUT_FACTORS)]
        tempi = [t for sec in spec.sections if sec.style != "silence" for t in (sec.bpm, sec.bpm_end or sec.bpm)]
        if tempi and not all(70.0 <= t * f <= 180.0 for t in tempi):
            f = 1.0 / f
        secs = tuple(sec if sec.style == "silence" else replace(
            sec, bpm=round(sec.bpm * f, 2), bpm_end=None if sec.bpm_end is None else round(sec.bpm_end * f, 2),
            key=sec.key + 2) for sec in spec.sections)
        out.append(replace(spec, name=spec.name + "~h", sections=secs, seed=spec.seed + 500))
    return out


def quick_specs() -> list[Spec]:
    """Eight short items (about 16 s each) covering the main cases: for --quick runs."""
    by_name = {s.name: s for s in default_specs(scale=0.4)}
    return [by_name[n] for n in QUICK]


def _wander(bpm: float, depth: float, n: int, seed: int) -> list[tuple[float, float]]:
    """A live band's tempo drift: piecewise-linear random walk of n two-bar pieces around bpm."""
    rng = np.random.default_rng(seed)
    pts = [bpm]
    for _ in range(n):
        pts.append(float(np.clip(pts[-1] + rng.normal(0, depth / 2), bpm - depth, bpm + depth)))
    pts = [round(p, 2) for p in pts]
    return list(zip(pts[:-1], pts[1:]))


def corpus(quick: bool = False, names: list[str] | None = None, cache: Path | None = CACHE,
           progress=None, heldout: bool = False) -> list[Item]:
    specs = heldout_specs() if heldout else quick_specs() if quick else default_specs()
    if names:
        wanted = set(names)
        specs = [s for s in specs if s.name in wanted or s.name.removesuffix("~h") in wanted or s.group in wanted]
    items = []
    for s in specs:
        if progress:
            progress(s.name)
        items.append(load(s, cache))
    return items


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="the short subset")
    ap.add_argument("--heldout", action="store_true", help="the held-out variant (other seeds, tempi and key)")
    ap.add_argument("--list", action="store_true", help="list the specs without rendering")
    ap.add_argument("--only", nargs="*", help="item names or groups")
    ap.add_argument("--wav", type=Path, help="also write each item as a 16-bit WAV here")
    args = ap.parse_args(argv)
    if args.list:
        specs = heldout_specs() if args.heldout else quick_specs() if args.quick else default_specs()
        for s in specs:
            arr = arrange(s)
            print(f"{s.name:28s} {s.group:14s} {arr['duration']:5.1f} s  {len(arr['beats']):4d} beats  "
                  f"changes={','.join(arr['change_kinds']) or '-'} degrade={','.join(s.degrade) or '-'}")
        return 0
    items = corpus(args.quick, args.only, progress=lambda n: print(f"  {n}", file=sys.stderr, flush=True),
                   heldout=args.heldout)
    total = 0.0
    for it in items:
        total += it.duration
        print(f"{it.name:28s} {it.group:14s} {it.time_signature} {it.bpm:>14s} BPM {it.duration:5.1f} s "
              f"{len(it.beats):4d} beats peak {np.max(np.abs(it.audio)):.2f} rms {_rms(it.audio):.3f}")
        if args.wav:
            from scipy.io import wavfile
            args.wav.mkdir(parents=True, exist_ok=True)
            wavfile.write(args.wav / f"{it.name}.wav", it.sample_rate, np.round(it.audio * 32767).astype(np.int16))
    print(f"{len(items)} items, {total / 60:.1f} min, cache {CACHE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
