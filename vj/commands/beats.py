"""`vj beats AUDIO_FILE`: run the live beat tracker over a file exactly as live, and print each beat as it fired."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from ..audio import TEMPO_HINT_RANGE
from ..audio.bpm_range import TRACKER_BPM_RANGE
from ..engine.rules import BY_FIELD
from ..errors import Problem, VjError

BLOCK = 512  # the live analysis hop: same block size, no look-ahead


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("beats", help="track the beats of an audio file, block by block as live",
                       description="Feed the file to the live tracker in 512-sample blocks (no look-ahead) and "
                                   "print each beat at the time it fired, with BPM and confidence.")
    p.add_argument("audio", type=Path, help="any audio file PyAV reads")
    p.add_argument("--json", action="store_true", help='print {"beats": [...], "tempo": [...]} instead')
    p.add_argument("--bpm-hint", type=float, help="expected tempo (folds octave errors around it)")
    p.add_argument("--bpm-range", type=float, nargs=2, metavar=("LO", "HI"),
                   help="narrow the tracker's range (%g-%g BPM, the same as play and rehearse)" % TRACKER_BPM_RANGE)
    bpb = BY_FIELD["beats_per_bar"]
    p.add_argument("--beats-per-bar", type=int, default=4, choices=range(int(bpb.lo), int(bpb.hi) + 1),
                   metavar="N", help=f"beats in a bar, {bpb.lo:g}..{bpb.hi:g} (default 4)")
    p.set_defaults(func=run)


def track_file(path: Path, *, bpm_hint: float | None = None, beats_per_bar: int = 4,
               bpm_range: tuple[float, float] | None = None) -> list[dict]:
    """Beats as they fired: time (s), bpm, confidence, position in the bar, and when it was reported."""
    from ..audio.file_source import iter_blocks, load_audio
    from ..show.loop import ShowLoop

    audio = load_audio(path)
    loop = ShowLoop(sample_rate=audio.sample_rate, beats_per_bar=beats_per_bar, bpm_hint=bpm_hint, bpm_range=bpm_range)
    beats: list[dict] = []
    for block in iter_blocks(audio.samples, BLOCK):
        loop.tick(loop.audio_time(len(block)), block)
        b = loop.heard
        if b is not None:
            beats.append({"time": round(b.time, 4), "bpm": round(b.bpm, 2), "confidence": round(b.confidence, 3),
                          "bar_beat": b.bar_beat + 1, "reported_at": round(b.reported_at, 4)})
    return beats


def range_note(rng: tuple[float, float]) -> str:
    """What a --bpm-range reaching outside the tracker's range does (it narrows, never widens), or ""."""
    lo, hi = TRACKER_BPM_RANGE
    a, b = rng
    if lo <= a and b <= hi:
        return ""
    if max(lo, a) >= min(hi, b):
        return (f"--bpm-range {a:g} {b:g} lies outside the tracker's {lo:g}-{hi:g} BPM, so it is ignored (a tempo "
                f"out there is reported at its half or double inside); --bpm-hint {math.sqrt(a * b):.0f} tracks "
                f"around a tempo outside it")
    return (f"--bpm-range narrows the tracker's {lo:g}-{hi:g} BPM and never widens it: tracking in "
            f"{max(lo, a):g}-{min(hi, b):g} BPM; --bpm-hint tracks around a tempo outside it")


def run(args: argparse.Namespace) -> int:
    lo, hi = TEMPO_HINT_RANGE
    if args.bpm_hint is not None and not lo <= args.bpm_hint <= hi:
        raise VjError(Problem("--bpm-hint", f"{args.bpm_hint:g} is out of range", fix=f"use {lo:g}..{hi:g}"))
    rng = None
    if args.bpm_range is not None:
        a, b = args.bpm_range
        if not 0 < a < b:
            raise VjError(Problem("--bpm-range", f"{a:g} {b:g} is not a range", fix="give LOW HIGH, e.g. 110 130"))
        rng = (a, b)
        say = range_note(rng)
        if say:
            print(f"vj: note: {say}", file=sys.stderr)
    beats = track_file(args.audio, bpm_hint=args.bpm_hint, beats_per_bar=args.beats_per_bar, bpm_range=rng)
    if args.json:
        print(json.dumps({"beats": [b["time"] for b in beats],
                          "tempo": [{"time": b["time"], "bpm": b["bpm"], "confidence": b["confidence"]} for b in beats]}))
        return 0
    print(f"{'time s':>9}  {'beat':>4}  {'BPM':>7}  {'conf':>5}  {'fired at':>9}")
    for b in beats:
        print(f"{b['time']:9.3f}  {b['bar_beat']:>4}  {b['bpm']:7.2f}  {b['confidence']:5.2f}  {b['reported_at']:9.3f}")
    if not beats:
        print("vj: no beat found (no steady pulse, or too short)")
    return 0
