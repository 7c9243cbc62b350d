"""`vj demo`: set up the demo show (bank, setlist, tracks) where `vj play` finds it, and play it.

`make demo` runs it in a checkout; an installed vj (pip, pipx) has no checkout, and this is how its
performer sees the show vj makes before pointing it at their own clips.
"""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    from .bank import add_demo_bank_options

    p = sub.add_parser("demo", help="set up the demo show (bank, setlist, tracks) and play it",
                       description="Set up the demo show where `vj play` alone finds it: the demo bank, the demo "
                                   "setlist and its three synthesized tracks (about a minute the first time; what is "
                                   "there is kept, a setlist you edited too). Then play it in a window with its "
                                   "tracks heard and followed (vj play SETLIST --tracks), when there is a display.")
    p.add_argument("--no-play", action="store_true", help="only set it up (make demo does this)")
    add_demo_bank_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..demo_show import setup_demo
    from ..progress import Progress

    bar = Progress("demo bank")
    try:
        setlist = setup_demo(say=lambda line: print(line, file=sys.stderr), size=args.size, seconds=args.seconds,
                             fps=args.fps, force=args.force, progress=bar)
    finally:
        bar.close()
    if args.no_play:
        print(f"vj: the demo show is set up; play it: vj play (or vj play {setlist} --tracks)", file=sys.stderr)
        return 0
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print(f"vj: no display here (DISPLAY is not set), so nothing opens; render the show to a video instead:\n"
              f"  vj rehearse {setlist} --out demo-show.mp4", file=sys.stderr)
        return 0
    from ..cli import main

    return main(["play", str(setlist), "--tracks"])
