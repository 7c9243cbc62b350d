"""`vj demo-track OUT`: write the synthesized demo track (exact beat grid) for the demo show."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import Problem, VjError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo-track", help="write the demo music track (synthesized, exact beat grid)",
                       description="Synthesize the demo track. An existing file is kept unless --force.")
    p.add_argument("out", type=Path, help="output audio file (.flac or .wav)")
    p.add_argument("--bpm", type=float, default=120.0, help="tempo (default 120)")
    p.add_argument("--seconds", type=float, default=48.0, help="length (default 48)")
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..demo.track import write_demo_track

    out: Path = args.out
    if not 40.0 <= args.bpm <= 240.0:
        raise VjError(Problem("--bpm", f"{args.bpm} is out of range", fix="use 40..240"))
    if not 1.0 <= args.seconds <= 1200.0:
        raise VjError(Problem("--seconds", f"{args.seconds} is out of range", fix="use 1..1200"))
    if out.exists() and not args.force:
        print(f"vj: {out} exists, kept (use --force to re-render)")
        return 0
    track = write_demo_track(out, bpm=args.bpm, seconds=args.seconds)
    print(f"vj: wrote {out} ({track.duration:.1f} s at {track.bpm:g} BPM)")
    return 0
