"""What the beat corpus contains: sections, specs, the recipes, and how they are split.

A *recipe* is an arrangement (sections of styles on a grid, a room, a humanisation).
Every recipe is rendered through ``SOURCES_PER_RECIPE`` synthesis sources, each item
with its own random mix (``corpus_mix.draw_mix``).  The corpus is split two ways at once:

- **held-out sources** (``HELDOUT_SOURCES``): every recipe through FluidR3_GM or
  MuseScore_General_Lite (in turn), with its tempo 3-7 % off, its key two semitones up
  and other seeds (other humanisation, fills, mix and noise).  The two are one family:
  MuseScore General is derived from FluidR3 (their drum one-shots measure identical), so
  neither can be tuned on while the other is held out;
- **held-out families** (``HELDOUT_FAMILIES``): recipes with a style of the amapiano or
  the drum-machine shuffle family, through every source they get.

The *tuning* split is everything else.  Nothing in the held-out split is listened to or
scored while the tracker is tuned: it is scored in the same bench run, for the record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from corpus_mix import BASS_DB, KICK_DB
from corpus_styles import family

#: Sources a tuning recipe is rendered through (rotating per recipe), plus one held-out font.
TUNING_SOURCES = ("timgm", "opl3", "numpy")
HELDOUT_SOURCES = ("fluidr3", "musescore")
HELDOUT_FAMILIES = ("amapiano", "machine-shuffle")
SOURCES_PER_RECIPE = 2  # tuning sources per recipe (held-out-family recipes get as many)
#: Tempo factors of the held-out-source variant, recipe by recipe in turn.
HELDOUT_FACTORS = (0.95, 1.05, 0.97, 1.03, 0.93, 1.07)
#: Seconds of a steady item.
STEADY_S = 30.0


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
    """One item: a recipe, the source it is rendered through, and its mix's limits."""

    name: str
    group: str
    sections: tuple[Section, ...]
    tags: tuple[str, ...] = ()
    seed: int = 0
    degrade: tuple[str, ...] = ()
    humanize_ms: float = 0.0  # std-dev of note timing jitter around the grid
    source: str = "timgm"
    kick_db: tuple[float, float] = KICK_DB
    bass_db: tuple[float, float] = BASS_DB
    bass_over_kick_db: float | None = None
    #: False: no random mix (kick and bass at the middle of their ranges, every other part,
    #: the EQ, pump and attacks neutral), for tests of one mechanism
    random_mix: bool = True

    @property
    def recipe(self) -> str:
        return self.name.split("@")[0]

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(sorted({family(s.style) for s in self.sections if s.style != "silence"}))

    @property
    def split(self) -> str:
        held = self.source in HELDOUT_SOURCES or any(f in HELDOUT_FAMILIES for f in self.families)
        return "heldout" if held else "tuning"


def bars_for(seconds: float, bpm: float, meter: int = 4) -> int:
    return max(1, round(seconds * bpm / 60 / meter))


def steady(name, group, style, bpm, seconds=STEADY_S, meter=4, seed=0, tags=(), degrade=(), humanize_ms=0.0,
           mix=None, **kw):
    sec = Section(style, bars_for(seconds, bpm, meter), bpm, meter=meter, **kw)
    return Spec(name, group, (sec,), tags=tuple(tags), seed=seed, degrade=tuple(degrade), humanize_ms=humanize_ms,
                **(mix or {}))


QUIET_KICK = {"kick_db": (-9.0, -3.0), "bass_db": (2.0, 9.0)}
BASS_OVER_KICK = {"bass_over_kick_db": 6.0}


def recipes(scale: float = 1.0) -> list[Spec]:
    """Every recipe once (source not set yet).  ``scale`` shrinks every item (for --quick)."""
    S = STEADY_S * scale

    def b(seconds, bpm, meter=4):
        return bars_for(seconds * scale, bpm, meter)

    return [
        # four-on-the-floor
        steady("house-124", "four-on-floor", "house", 124, S, seed=1),
        steady("techno-132", "four-on-floor", "techno", 132, S, seed=2),
        steady("trance-138", "four-on-floor", "trance", 138, S, seed=3),
        steady("disco-house-118", "four-on-floor", "house", 118, S, seed=4, key=52),
        steady("hardcore-175", "four-on-floor", "hardcore", 175, S, seed=5),
        steady("disco-116", "four-on-floor", "disco", 116, S, seed=40, key=52, humanize_ms=3),
        # the off-beat bass, a quiet kick, a bass over the kick
        steady("offbass-122", "offbeat-bass", "offbass", 122, S, seed=41, mix=QUIET_KICK),
        steady("offbass-126", "offbeat-bass", "offbass", 126, S, seed=42, key=53, mix=QUIET_KICK),
        steady("house-124-loudbass", "offbeat-bass", "house", 124, S, seed=43, key=55, mix=BASS_OVER_KICK),
        steady("rolling-128", "offbeat-bass", "rolling", 128, S, seed=44, mix=BASS_OVER_KICK),
        steady("rolling-psy-142", "offbeat-bass", "rolling", 142, S, seed=45, key=52, mix=BASS_OVER_KICK),
        # kick-less intros that start on the off-beat hat (scored from the kick's entry)
        Spec("intro-house-124", "intro", (Section("house", 4, 124, parts=("hats",)),
                                          Section("house", b(24, 124), 124)), seed=46),
        Spec("intro-offbass-120", "intro", (Section("offbass", 4, 120, parts=("hats", "bass", "perc")),
                                            Section("offbass", b(24, 120), 120)), seed=47, **QUIET_KICK),
        Spec("intro-techno-130", "intro", (Section("techno", 4, 130, parts=("cymbal", "bass")),
                                           Section("techno", b(24, 130), 130)), seed=48),
        # "and"-heavy Afro and amapiano
        steady("afro-122", "afro", "afro", 122, S, seed=49),
        steady("afro-118-loudbass", "afro", "afro", 118, S, seed=50, key=55, mix=BASS_OVER_KICK),
        steady("amapiano-112", "afro", "amapiano", 112, S, seed=51),
        steady("amapiano-108-quietkick", "afro", "amapiano", 108, S, seed=52, key=53, mix=QUIET_KICK),
        # drum-machine shuffles
        steady("shufflehouse-124", "machine-shuffle", "shufflehouse", 124, S, seed=53, swing16=0.63),
        steady("newjack-104", "machine-shuffle", "newjack", 104, S, seed=54, swing16=0.62),
        steady("electro-128", "syncopation", "electro", 128, S, seed=55),
        # swing
        steady("hiphop-swing-90", "swing", "hiphop", 90, S, seed=6, swing=0.62, humanize_ms=4),
        steady("hiphop-swing-92", "swing", "hiphop", 92, S, seed=56, swing=0.66, humanize_ms=3, key=53),
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
        steady("ballad-70", "band", "ballad", 70, S * 1.3, seed=20, key=55, humanize_ms=6),
        # 3/4
        steady("waltz-90-3-4", "3/4", "waltz", 90, S, meter=3, seed=21, key=55, humanize_ms=4),
        steady("jazzwaltz-150-3-4", "3/4", "jazzwaltz", 150, S, meter=3, seed=22, key=53, humanize_ms=5),
        steady("folk-120-3-4", "3/4", "folk3", 120, S, meter=3, seed=23, key=50),
        # breakdowns without kick (the labels go on through them)
        Spec("house-breakdown-126", "breakdown", (
            Section("house", b(12, 126), 126),
            Section("house", b(12, 126), 126, parts=("pad", "arp", "hats")),
            Section("house", b(8, 126), 126, parts=("pad", "arp", "build")),
            Section("house", b(12, 126), 126)), seed=24),
        Spec("techno-breakdown-pads-130", "breakdown", (
            Section("techno", b(12, 130), 130),
            Section("techno", b(12, 130), 130, parts=("pad",)),
            Section("techno", b(12, 130), 130)), seed=25, tags=("beatless",)),
        # gradual tempo ramps
        Spec("ramp-house-118-136", "ramp", (
            Section("house", b(8, 118), 118),
            Section("house", b(22, 127), 118, 136),
            Section("house", b(8, 136), 136)), seed=26),
        Spec("ramp-funk-104-84", "ramp", (
            Section("funk", b(8, 104), 104, key=52),
            Section("funk", b(22, 94), 104, 84, key=52),
            Section("funk", b(8, 84), 84, key=52)), seed=27, humanize_ms=4),
        Spec("drift-rock-120", "ramp", tuple(
            Section("rock", 2, bpm0, bpm1, key=52) for bpm0, bpm1 in
            _wander(120, 3.0, max(4, b(32, 120) // 2), seed=28)), seed=28, humanize_ms=5, tags=("live-drift",)),
        # hard tempo changes (a DJ cutting between records)
        Spec("change-128-100-140", "tempo-change", (
            Section("house", b(14, 128), 128),
            Section("funk", b(14, 100), 100, key=52),
            Section("bigbeat", b(14, 140), 140, key=52)), seed=29),
        Spec("change-90-174", "tempo-change", (
            Section("hiphop", b(16, 90), 90, swing=0.6),
            Section("dnb", b(16, 174), 174)), seed=30),
        Spec("cut-124-phase", "tempo-change", (
            Section("house", b(16, 124), 124),
            Section("techno", b(16, 124), 124, offset_beats=0.4)), seed=31, tags=("phase-jump",)),
        # digital silence
        Spec("silence-intro-124", "silence", (
            Section("silence", seconds=4.0),
            Section("house", b(26, 124), 124)), seed=32),
        Spec("silence-gap-120-100", "silence", (
            Section("house", b(16, 120), 120),
            Section("silence", seconds=3.0),
            Section("funk", b(16, 100), 100, key=52)), seed=33),
        Spec("dropout-128", "silence", (
            Section("techno", b(32, 128), 128, gaps=tuple(
                (float(g), float(g) + (4 if i % 2 else 2)) for i, g in enumerate(range(28, b(32, 128) * 4 - 4, 32)))),
        ), seed=34, tags=("grid-continues",)),
        Spec("dropout-offbass-124", "silence", (
            Section("offbass", b(32, 124), 124, gaps=((30.0, 34.0),)),), seed=57, tags=("grid-continues",)),
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
        steady("house-124-club", "club", "house", 124, S, seed=1, degrade=("club",)),
        steady("offbass-124-club", "club", "offbass", 124, S, seed=58, mix=QUIET_KICK, degrade=("club",)),
        steady("reggaeton-98-club", "club", "reggaeton", 98, S, seed=59, degrade=("club",)),
        steady("amapiano-113-club", "club", "amapiano", 113, S, seed=60, degrade=("club",)),
        steady("shufflehouse-122-club", "club", "shufflehouse", 122, S, seed=61, swing16=0.6, degrade=("club",)),
        Spec("change-128-100-club", "club", (
            Section("house", b(16, 128), 128),
            Section("funk", b(16, 100), 100, key=52)), seed=62, degrade=("club",)),
    ]


QUICK = ["house-124", "offbass-122", "hiphop-swing-90", "dnb-174", "waltz-90-3-4", "house-breakdown-126",
         "change-128-100-140", "silence-gap-120-100", "house-124-laptop", "intro-house-124"]


def heldout_variant(spec: Spec, i: int) -> Spec:
    """Tempo 3-7 % off (kept in 70-180 BPM), key two semitones up, other seeds."""
    f = HELDOUT_FACTORS[i % len(HELDOUT_FACTORS)]
    tempi = [t for sec in spec.sections if sec.style != "silence" for t in (sec.bpm, sec.bpm_end or sec.bpm)]
    if tempi and not all(70.0 <= t * f <= 180.0 for t in tempi):
        f = 1.0 / f
    secs = tuple(sec if sec.style == "silence" else replace(
        sec, bpm=round(sec.bpm * f, 2), bpm_end=None if sec.bpm_end is None else round(sec.bpm_end * f, 2),
        key=sec.key + 2) for sec in spec.sections)
    return replace(spec, name=spec.name + "~h", sections=secs, seed=spec.seed + 500)


def expand(recs: list[Spec]) -> list[Spec]:
    """Every recipe through its sources: ``SOURCES_PER_RECIPE`` tuning sources in rotation,
    and the held-out variant through one held-out source (in turn)."""
    out = []
    for i, r in enumerate(recs):
        for j in range(SOURCES_PER_RECIPE):
            src = TUNING_SOURCES[(i + j) % len(TUNING_SOURCES)]
            out.append(replace(r, name=f"{r.name}@{src}", source=src))
        src = HELDOUT_SOURCES[i % len(HELDOUT_SOURCES)]
        h = heldout_variant(r, i)
        out.append(replace(h, name=f"{h.name}@{src}", source=src))
    return out


def all_specs(scale: float = 1.0) -> list[Spec]:
    return expand(recipes(scale))


def quick_specs() -> list[Spec]:
    """Ten short items (about 12 s each), one source each, both splits: for --quick runs."""
    by = {r.name: r for r in recipes(scale=0.4)}
    out = []
    for i, n in enumerate(QUICK):
        r = by[n]
        src = (TUNING_SOURCES + HELDOUT_SOURCES)[i % (len(TUNING_SOURCES) + len(HELDOUT_SOURCES))]
        out.append(replace(r, name=f"{n}@{src}", source=src))
    return out


def _wander(bpm: float, depth: float, n: int, seed: int) -> list[tuple[float, float]]:
    """A live band's tempo drift: piecewise-linear random walk of n two-bar pieces around bpm."""
    rng = np.random.default_rng(seed)
    pts = [bpm]
    for _ in range(n):
        pts.append(float(np.clip(pts[-1] + rng.normal(0, depth / 2), bpm - depth, bpm + depth)))
    pts = [round(p, 2) for p in pts]
    return list(zip(pts[:-1], pts[1:]))
