"""A labelled beat-tracking corpus with exact beat grids, rendered from note patterns through
several synthesis sources, with a random mix per item.

Every item is an arrangement (drums, bass, chords, pads, leads; ``corpus_styles``) placed
on a beat grid this module computes itself (tempo ramps and hard changes included).
Each note is a one-shot of a synthesis source (``corpus_synth``: four General MIDI
soundfonts through FluidSynth, and a kit synthesised in numpy) placed at its exact
sample, so the ground truth is the grid, not an annotation: a note that starts "on beat
3" starts at the sample of beat 3 (unless the item is humanized: then the notes wander
around the grid and the labels do not).  The stems are mixed with a random mix per item
(``corpus_mix``), and some items are heard in a room (reverb, crowd, laptop mic, club).

The recipes and the tuning / held-out split are in ``corpus_specs``.  Items are cached
in out/beat-corpus/ under a hash of everything that defines them.

    python bench/beat_corpus.py --list            # names, splits, groups, tempi, lengths
    python bench/beat_corpus.py [--quick]         # render (or load) and summarise
    python bench/beat_corpus.py --split tuning    # one split
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
from dataclasses import asdict, dataclass, field, replace  # noqa: F401  (replace: for callers)
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from corpus_mix import DEGRADATIONS, draw_mix, mixdown, neutral_mix, render_stems  # noqa: E402
from corpus_specs import (HELDOUT_FAMILIES, HELDOUT_SOURCES, QUICK, Section, Spec, all_specs,  # noqa: E402,F401
                          quick_specs, recipes)
from corpus_styles import (DEFAULT_PROGRAMS, DRUM_PARTS, PROG_MINOR, PROGRESSIONS, STYLES, Bar,  # noqa: E402
                           _breakdown_parts)
from corpus_synth import SOURCES, SR, fresh_fonts, source_id  # noqa: E402

GENERATOR_VERSION = 5  # part of the cache key, with a hash of the generator's modules and the source's sounds
ROOT = HERE.parent
CACHE = ROOT / "out" / "beat-corpus"
#: The modules whose source is part of the cache key.
CODE_FILES = ("beat_corpus.py", "corpus_specs.py", "corpus_styles.py", "corpus_mix.py", "corpus_synth.py",
              "numpy_kit.py")


def spec_key(spec: Spec) -> str:
    blob = json.dumps({"v": GENERATOR_VERSION, "code": _code_hash(), "sr": SR, "source": source_id(spec.source),
                       "spec": asdict(spec)}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _code_hash() -> str:
    """Any edit to the generator invalidates the cache (patterns, mix and degradations)."""
    global _CODE_HASH
    if _CODE_HASH is None:
        h = hashlib.sha256()
        for f in CODE_FILES:
            h.update((HERE / f).read_bytes())
        _CODE_HASH = h.hexdigest()[:16]
    return _CODE_HASH


_CODE_HASH: str | None = None


# --------------------------------------------------------------------------- items

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
    #                          "enter" of the kick after an intro, "return" of the drums after a breakdown or a dropout (grid unchanged)
    segments: list[dict]  # per section: start, end, bpm, bpm_end, meter, style, kind
    time_signature: str
    silences: list[tuple[float, float]] = field(default_factory=list)  # digital-zero spans
    spec: Spec | None = None
    mix: dict = field(default_factory=dict)  # the drawn mix (corpus_mix.Mix.as_dict)

    @property
    def split(self) -> str:
        return self.spec.split if self.spec is not None else "tuning"

    @property
    def source(self) -> str:
        return self.spec.source if self.spec is not None else "?"

    @property
    def scored_from(self) -> float:
        """Where scoring starts: the kick's entry after an intro on the off-beat hats
        (whose phase nothing tells), else 0."""
        if len(self.changes) and self.change_kinds and self.change_kinds[0] == "enter":
            return float(self.changes[0])
        return 0.0

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


def arrange(spec: Spec) -> dict:
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
                # the kick's entry after a kick-less intro, else the drums' return
                changes.append((float(grid[0]), "enter" if len(segments) == 2 else "return"))
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


# --------------------------------------------------------------------------- build / cache

def mix_rng(spec: Spec) -> np.random.Generator:
    """The item's mix (and numpy kit) come from its seed and source."""
    return np.random.default_rng([spec.seed, SOURCES.index(spec.source), 77])


def build(spec: Spec) -> Item:
    """Render a spec (no cache).  Deterministic: same spec, same samples, whatever the
    process rendered before (``corpus_synth.fresh_fonts``)."""
    fresh_fonts()
    arr = arrange(spec)
    total = int(round(arr["duration"] * SR))
    rng = mix_rng(spec)
    kit = None
    if spec.source == "numpy":
        from numpy_kit import NumpyKit
        kit = NumpyKit(rng)
    parts = {n.part for n in arr["notes"]}
    if spec.random_mix:
        mix = draw_mix(rng, parts, spec.kick_db, spec.bass_db, spec.bass_over_kick_db)
    else:
        mix = neutral_mix(parts, spec.kick_db, spec.bass_db)
    stems = render_stems(arr["notes"], total, spec.source, kit, mix.attacks_s)
    kicks = np.array([n.start for n in arr["notes"] if n.part == "kick"])
    audio = mixdown(stems, mix, kicks, total)
    for a, b in arr["silences"]:  # digital silence: exact zeros (tails cut, like a hard mute)
        audio[int(round(a * SR)):int(round(b * SR))] = 0.0
    drng = np.random.default_rng(spec.seed + 1000)
    for d in spec.degrade:
        audio = DEGRADATIONS[d](audio, drng)
    if spec.degrade and "laptop" not in spec.degrade:
        audio *= 10 ** (mix.level_db / 20) / (np.max(np.abs(audio)) or 1.0)
    audio = _quantize(audio)
    return Item(
        name=spec.name, group=spec.group, tags=spec.tags, audio=audio, sample_rate=SR,
        beats=arr["beats"], downbeats=arr["downbeats"], changes=arr["changes"], change_kinds=arr["change_kinds"],
        segments=arr["segments"], time_signature=f"{arr['meter']}/4", silences=arr["silences"], spec=spec,
        mix=mix.as_dict(),
    )


def _quantize(audio: np.ndarray) -> np.ndarray:
    """16-bit like a real capture; the cached copy is the same numbers exactly."""
    q = np.clip(np.round(audio * 32767), -32768, 32767).astype(np.int16)
    return (q.astype(np.float32) / 32767).astype(np.float32)


def load(spec: Spec, cache: Path | None = CACHE) -> Item:
    """The rendered item, from the cache when it is there (keyed by a hash of the spec)."""
    if cache is None:
        return build(spec)
    safe = spec.name.replace("@", "_at_").replace("~", "_")
    path = cache / f"{safe}-{spec_key(spec)}.npz"
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
                mix=meta.get("mix", {}),
            )
        except Exception:  # a torn or stale file: render again
            pass
    item = build(spec)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{os.urandom(4).hex()}.tmp.npz")  # concurrent renders are safe
    meta = {"sr": item.sample_rate, "segments": item.segments, "change_kinds": item.change_kinds,
            "time_signature": item.time_signature, "silences": item.silences, "spec": asdict(spec), "mix": item.mix}
    np.savez_compressed(tmp, audio=np.round(item.audio * 32767).astype(np.int16), beats=item.beats,
                        downbeats=item.downbeats, changes=item.changes, meta=json.dumps(meta))
    os.replace(tmp, path)
    for old in cache.glob(f"{safe}-*.npz"):  # drop renders of older generator versions
        if old != path and re.fullmatch(re.escape(safe) + r"-[0-9a-f]{16}\.npz", old.name):
            old.unlink(missing_ok=True)
    return item


# --------------------------------------------------------------------------- the corpus

def select(specs: list[Spec], names: list[str] | None = None, split: str | None = None,
           sources: list[str] | None = None) -> list[Spec]:
    """Specs by item or recipe name or group, by split ("tuning", "heldout") and by source."""
    if split:
        specs = [s for s in specs if s.split == split]
    if sources:
        specs = [s for s in specs if s.source in sources]
    if names:
        wanted = set(names)
        specs = [s for s in specs if s.name in wanted or s.recipe in wanted or s.recipe.removesuffix("~h") in wanted
                 or s.group in wanted]
    return specs


def corpus(quick: bool = False, names: list[str] | None = None, cache: Path | None = CACHE,
           progress=None, split: str | None = None, sources: list[str] | None = None) -> list[Item]:
    specs = select(quick_specs() if quick else all_specs(), names, split, sources)
    items = []
    for s in specs:
        if progress:
            progress(s.name)
        items.append(load(s, cache))
    return items


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="the short subset")
    ap.add_argument("--split", choices=("tuning", "heldout"), help="one split only")
    ap.add_argument("--sources", nargs="*", choices=SOURCES, help="only these synthesis sources")
    ap.add_argument("--list", action="store_true", help="list the specs without rendering")
    ap.add_argument("--only", nargs="*", help="item or recipe names or groups")
    ap.add_argument("--wav", type=Path, help="also write each item as a 16-bit WAV here")
    args = ap.parse_args(argv)
    if args.list:
        specs = select(quick_specs() if args.quick else all_specs(), args.only, args.split, args.sources)
        for s in specs:
            arr = arrange(s)
            print(f"{s.name:36s} {s.split:8s} {s.group:14s} {arr['duration']:5.1f} s  {len(arr['beats']):4d} beats  "
                  f"changes={','.join(arr['change_kinds']) or '-'} degrade={','.join(s.degrade) or '-'}")
        print(f"{len(specs)} items; held out: sources {', '.join(HELDOUT_SOURCES)}, families "
              f"{', '.join(HELDOUT_FAMILIES)}")
        return 0
    items = corpus(args.quick, args.only, progress=lambda n: print(f"  {n}", file=sys.stderr, flush=True),
                   split=args.split, sources=args.sources)
    total = 0.0
    for it in items:
        total += it.duration
        print(f"{it.name:36s} {it.split:8s} {it.group:14s} {it.time_signature} {it.bpm:>14s} BPM "
              f"{it.duration:5.1f} s {len(it.beats):4d} beats peak {np.max(np.abs(it.audio)):.2f} "
              f"kick {it.mix.get('gains_db', {}).get('kick', 0):+5.1f} bass {it.mix.get('gains_db', {}).get('bass', 0):+5.1f} dB")
        if args.wav:
            from scipy.io import wavfile
            args.wav.mkdir(parents=True, exist_ok=True)
            wavfile.write(args.wav / f"{it.name}.wav", it.sample_rate, np.round(it.audio * 32767).astype(np.int16))
    print(f"{len(items)} items, {total / 60:.1f} min, cache {CACHE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
