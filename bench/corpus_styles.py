"""Arrangement patterns for the beat corpus: one function per style, from a bar (its index,
meter, chord and a seeded RNG) to note events in beats.

Drums use General MIDI drum keys; melodic parts follow a chord progression.  Each style
lists its parts' GM programs in ``STYLES``.  ``FAMILIES`` groups styles into the
arrangement families the corpus is split by (``beat_corpus.HELDOUT_FAMILIES``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# GM drum keys
KICK, RIM, SNARE, CLAP, ESNARE, CHH, PHH, OHH, CRASH, RIDE, BELL, TAMB, COWBELL, SHAKER = \
    36, 37, 38, 39, 40, 42, 44, 46, 49, 51, 53, 54, 56, 70
CONGA_HI, CONGA_LO = 62, 64

DRUM_PARTS = ("kick", "snare", "hats", "perc", "cymbal")
# melodic parts -> default GM program (0-based)
DEFAULT_PROGRAMS = {"bass": 38, "chords": 4, "pad": 89, "lead": 81, "keys": 0, "guitar": 30, "strings": 48}

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


# -- families the first corpus lacked -------------------------------------------------------

def st_offbass(b: Bar):
    """Deep house with the bass on every "and": the kick is the only thing on the beat, and
    the recipe draws it quiet (see ``beat_corpus``)."""
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 105, spread=4)
    if b.i % 4 != 3:
        ev += _hits("snare", CLAP, [1, 3], b, 90)
    ev += _hits("hats", OHH, _offbeats(m), b, 90, dur=0.2)
    ev += _hits("perc", SHAKER, _sixteenths(m), b, 40, spread=8)
    ev += [Ev("bass", p, b.bass(-2) + (12 if b.i % 2 and p == 3.5 else 0), b.v(105), 0.35) for p in _offbeats(m)]
    ev += _chord_hits("chords", b, [1.5, 3.75] if b.i % 2 else [0.5, 2.5], 70, 0.4)
    ev += _chord_hits("pad", b, [0], 45, m)
    return ev


def st_rolling(b: Bar):
    """Tech-house and psytrance: a rolling bass on the three 16ths after each kick, louder
    than the kick in the recipe's mix, rim shots and 16th hats."""
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 112, spread=3)
    ev += [Ev("bass", k + f, b.bass(-2) + (7 if b.i % 4 == 3 and k == 3 else 0), b.v(100 if f == 0.5 else 85), 0.2)
           for k in range(m) for f in (0.25, 0.5, 0.75)]
    ev += [Ev("hats", p, CHH, b.v(72 if p % 0.5 else 50), 0.08) for p in _sixteenths(m)]
    ev += _hits("perc", RIM, [1.75, 3.25] if b.i % 2 else [2.75], b, 80)
    ev += _hits("hats", OHH, [3.5], b, 70, dur=0.2) if b.i % 2 else []
    return ev


def st_afro(b: Bar):
    """Afro house: four-on-the-floor under congas, shaker and bass that sit on the "and"s."""
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 108, spread=4)
    ev += [Ev("perc", p, CONGA_HI if i % 2 == 0 else CONGA_LO, b.v(88), 0.1)
           for i, p in enumerate([0.75, 1.5, 2.25, 2.75, 3.5] if b.i % 2 == 0 else [0.5, 1.25, 1.75, 2.75, 3.25])]
    ev += _hits("perc", SHAKER, [p for p in _sixteenths(m) if p % 0.5], b, 55, spread=8)
    ev += _hits("snare", RIM, [1.5, 3.5], b, 75)
    ev += [Ev("bass", p, b.bass(-2) + d, b.v(100), 0.3) for p, d in [(0.5, 0), (1.75, 0), (2.5, 7), (3.75, 5)]]
    ev += _chord_hits("chords", b, [0.75, 2.75], 68, 0.3)
    ev += _chord_hits("pad", b, [0], 40, m)
    return ev


def st_amapiano(b: Bar):
    """Amapiano: a soft kick on the beats, a log drum (a pitched drum gliding onto its note,
    GM melodic tom) on the "and"s and 16ths, shaker 16ths, off-beat piano."""
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 92, spread=5)
    log = [0.75, 1.5, 2.25, 2.5, 3.5] if b.i % 2 == 0 else [0.5, 1.25, 2.5, 3.25, 3.75]
    ev += [Ev("bass", p, b.bass(-1) + (0, 0, 3, 5, 7)[i], b.v(110), 0.45) for i, p in enumerate(log)]
    ev += [Ev("perc", p, SHAKER, b.v(70 if p % 0.5 else 45, 6), 0.05) for p in _sixteenths(m)]
    ev += _hits("snare", CLAP, [1, 3] if b.i % 2 else [3], b, 72)
    ev += _chord_hits("keys", b, [0.5, 1.75, 2.5, 3.75], 70, 0.35)
    ev += _chord_hits("pad", b, [0], 40, m)
    return ev


def st_shufflehouse(b: Bar):
    """A drum machine's shuffle (909 swing on 16ths): kick on the beats, clap on 2 and 4,
    every 16th hat swung, a bass line on swung 16ths."""
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 115, spread=3)
    ev += _hits("snare", CLAP, [1, 3], b, 95)
    ev += [Ev("hats", p, CHH if p % 0.5 else PHH, b.v(68 if p % 0.5 else 50), 0.08) for p in _sixteenths(m)]
    ev += _hits("hats", OHH, [1.5, 3.5], b, 78, dur=0.2)
    ev += [Ev("bass", p, b.bass(-2) + d, b.v(95), 0.2) for p, d in [(0.75, 0), (1.25, 12), (2.5, 0), (3.25, 10)]]
    ev += _chord_hits("chords", b, [0.75, 2.25], 65, 0.3)
    return ev


def st_newjack(b: Bar):
    """New jack swing: a drum machine's swung 16ths under a syncopated kick."""
    ev = _hits("kick", KICK, [0, 0.75, 2.5] if b.i % 2 == 0 else [0, 1.75, 2.25, 2.5], b, 115)
    ev += _hits("snare", SNARE, [1, 3], b, 110)
    ev += _hits("snare", CLAP, [1, 3], b, 80)
    ev += [Ev("hats", p, CHH, b.v(70 if p % 1 == 0 else 50), 0.08) for p in _sixteenths(b.meter)]
    ev += [Ev("bass", p, b.bass(-2) + d, b.v(95), 0.25) for p, d in [(0, 0), (0.75, 0), (2.5, 7), (3.25, 5)]]
    ev += _chord_hits("keys", b, [0.5, 1.75, 3.5], 68, 0.2)
    return ev


def st_electro(b: Bar):
    """808 electro: syncopated kick, clap on 2 and 4, a 16th bass sequence."""
    ev = _hits("kick", KICK, [0, 1.75, 2.5] if b.i % 2 == 0 else [0, 0.75, 2.5, 3.25], b, 118)
    ev += _hits("snare", CLAP, [1, 3], b, 105)
    ev += [Ev("hats", p, CHH, b.v(65 if p % 0.5 == 0 else 48), 0.08) for p in _sixteenths(b.meter)]
    seq = [0, 0.5, 0.75, 1.5, 2.25, 2.5, 3, 3.75]
    ev += [Ev("bass", p, b.bass(-2) + (12 if i % 3 == 2 else 0), b.v(92), 0.2) for i, p in enumerate(seq)]
    ev += _hits("perc", COWBELL, [1.5] if b.i % 2 else [3.5], b, 60)
    return ev


def st_disco(b: Bar):
    """Disco: four-on-the-floor, an octave bass on the 8ths, the open hat on the "and"s,
    16th guitar chucks and strings."""
    m = b.meter
    ev = _hits("kick", KICK, range(m), b, 110, spread=3)
    ev += _hits("snare", SNARE, [1, 3], b, 100)
    ev += _hits("hats", OHH, _offbeats(m), b, 80, dur=0.25)
    ev += [Ev("bass", p, b.bass(-2) + (12 if p % 1 else 0), b.v(98), 0.4) for p in _eighths(m)]
    ev += [Ev("guitar", p, b.chord(0)[0] + 12, b.v(62 if p % 0.5 else 48), 0.1) for p in _sixteenths(m)]
    ev += _chord_hits("strings", b, [0], 45, m - 0.1)
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
    "offbass": (st_offbass, {"bass": 38, "chords": 4, "pad": 89}),
    "rolling": (st_rolling, {"bass": 39}),
    "afro": (st_afro, {"bass": 33, "chords": 4, "pad": 89}),
    "amapiano": (st_amapiano, {"bass": 117, "keys": 0, "pad": 89}),
    "shufflehouse": (st_shufflehouse, {"bass": 38, "chords": 4}),
    "newjack": (st_newjack, {"bass": 38, "keys": 4}),
    "electro": (st_electro, {"bass": 38}),
    "disco": (st_disco, {"bass": 33, "guitar": 28, "strings": 48}),
}
#: The arrangement family of each style (the unit the corpus is split by); a style is its
#: own family unless listed.
FAMILY = {"shufflehouse": "machine-shuffle", "newjack": "machine-shuffle", "offbass": "offbeat-bass",
          "rolling": "bass-over-kick"}


def family(style: str) -> str:
    return FAMILY.get(style, style)
PROGRESSIONS = {"shuffle": PROG_BLUES, "jazz": PROG_JAZZ, "jazzwaltz": PROG_JAZZ, "rock": PROG_MAJOR,
                "punk": PROG_MAJOR, "ballad": PROG_MAJOR, "waltz": PROG_MAJOR, "folk3": PROG_MAJOR,
                "disco": PROG_MAJOR, "amapiano": PROG_JAZZ}


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


