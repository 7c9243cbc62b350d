"""`vj bank import|check|focus|demo`: build clip banks and find what is wrong with them before a show."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import add_banks_dir
from ..bank import DEMO_SECONDS, Bank, build_demo_bank, check_bank, import_bank, load_bank
from ..clip_check import FPS_RANGE, MAX_SIZE, Envelope
from ..focus.track import resolve
from ..progress import Progress


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bank", help="import, check and build clip banks",
                                   description="Clip banks live in banks/NAME/bank.toml (see docs/BANKS.md).")
    sub = parser.add_subparsers(dest="bank_command", metavar="ACTION")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])

    p = sub.add_parser("import", help="probe a folder of clips into a bank (merges into an existing bank.toml)")
    p.add_argument("src", type=Path, metavar="SRC_DIR", help="folder with video clips (searched recursively)")
    p.add_argument("--name", required=True, help="bank name: creates or extends banks/NAME")
    p.add_argument("--force", action="store_true", help="rewrite bank.toml from scratch (asks first)")
    p.add_argument("--no-focus", dest="focus", action="store_false",
                   help="do not measure focus tracks (quicker; the next import without it measures them)")
    p.add_argument("--strict", action="store_true",
                   help="exit with code 1 when a clip is flagged (cut short, too large, too slow, repeating)")
    p.add_argument("--max-size", type=_size, default=MAX_SIZE, metavar="WxH",
                   help=f"flag clips larger than this (default {MAX_SIZE[0]}x{MAX_SIZE[1]})")
    p.add_argument("--fps-range", type=_fps_range, default=FPS_RANGE, metavar="LO-HI",
                   help=f"flag clips whose frame rate is outside this (default {FPS_RANGE[0]:g}-{FPS_RANGE[1]:g})")
    p.add_argument("--no-check", dest="check", action="store_false",
                   help="do not decode each new clip's first and last second (quicker, trusts the headers)")
    add_banks_dir(p)
    p.set_defaults(func=_import)

    p = sub.add_parser("check", help="list every problem in a bank (exit code 1 if any)")
    p.add_argument("bank", metavar="NAME", help="bank name (banks/NAME) or path to a bank folder")
    p.add_argument("--quick", action="store_true", help="skip decoding each clip's first and last frames")
    add_banks_dir(p)
    p.set_defaults(func=_check)

    p = sub.add_parser("focus", help="show where each clip heads: its focus, where it comes from, the measured track")
    p.add_argument("bank", metavar="NAME", help="bank name (banks/NAME) or path to a bank folder")
    p.add_argument("--json", action="store_true", help="print JSON: {\"clips\": {ID: {focus, source, confidence, track}}}")
    add_banks_dir(p)
    p.set_defaults(func=_focus)

    p = sub.add_parser("demo", help="render the project's own demo clips into banks/demo")
    add_demo_bank_options(p)
    add_banks_dir(p)
    p.set_defaults(func=_demo)


def add_demo_bank_options(p: argparse.ArgumentParser) -> None:
    """How the demo clips are rendered (`vj bank demo`, `vj demo`): smaller or shorter on a slow machine."""
    p.add_argument("--size", type=_size, default=(640, 360), metavar="WxH", help="clip size (default 640x360)")
    p.add_argument("--seconds", type=float, default=DEMO_SECONDS, metavar="S",
                   help=f"clip length (default {DEMO_SECONDS:g}: the demo setlist's longest slot)")
    p.add_argument("--fps", type=int, default=30, metavar="N", help="frame rate (default 30)")
    p.add_argument("--force", action="store_true", help="render the demo clips again even if they are up to date")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not WxH, e.g. 640x360") from None
    if w < 16 or h < 16 or w % 2 or h % 2:
        raise argparse.ArgumentTypeError(f"'{text}': width and height must be even and at least 16")
    return w, h


def _fps_range(text: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in text.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not LO-HI, e.g. 12-60") from None
    if not 0 < lo < hi:
        raise argparse.ArgumentTypeError(f"'{text}': LO must be above 0 and below HI")
    return lo, hi


def _ask(question: str) -> bool:
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def _import(args: argparse.Namespace) -> int:
    ask = _ask if sys.stdin.isatty() else None
    bar = Progress(f"import {args.name}")
    try:
        envelope = Envelope(max_size=args.max_size, fps_range=args.fps_range) if args.check else None
        result = import_bank(args.src, args.name, banks_dir=args.banks_dir, progress=bar, ask=ask, force=args.force,
                             focus=args.focus, envelope=envelope)
    finally:
        bar.close()
    for problem in result.failed:
        print(f"vj: left out: {problem}", file=sys.stderr)
    for problem in result.vanished:
        print(f"vj: missing: {problem}", file=sys.stderr)
    for cid, finding in result.flagged:
        print(f"vj: flagged: clip '{cid}': {finding.problem}", file=sys.stderr)
    for cid, shown in result.cropped:
        print(f"vj: framing: clip '{cid}': on a 16:9 screen `fill` (the default) shows only {shown:.0%} of its "
              f"picture. Fix: add fit = \"blur\" (or \"fit\") to its [[clips]] table, or to [bank] for all clips "
              f"(docs/BANKS.md, Framing)", file=sys.stderr)
    print(result.summary(), file=sys.stderr)
    if result.flagged and not args.strict:
        print("vj: flagged clips were imported; `vj play` skips a clip that fails. --strict makes this an error.",
              file=sys.stderr)
    # the import only adds; lines already in the bank.toml it merged into may be wrong (a typo, a value out of
    # range), and the show would leave those clips out: say so now, not on stage
    said = {p.line for p in result.vanished}
    own = [p for p in check_bank(result.bank, deep=False) if p.line is None or p.line not in said]
    for problem in own:
        print(f"vj: problem: {problem}", file=sys.stderr)
    if own:
        print(f"vj: {result.toml}: {len(own)} problem{'s' if len(own) != 1 else ''} in the lines already there "
              f"(above); the show leaves out what it cannot read. Fix: correct them, then `vj bank check "
              f"{result.bank}` says when the bank is clean.", file=sys.stderr)
    if result.interrupted or result.unfinished:
        return 130   # Ctrl+C, as a shell reports it; what was done is saved
    return 1 if own or result.failed or (args.strict and result.flagged) else 0


def _check(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    bar = Progress(f"check {args.bank}")
    try:
        problems = check_bank(args.bank, banks_dir=args.banks_dir, deep=not args.quick, progress=bar)
    finally:
        bar.close()
    for problem in problems:
        print(f"vj: {problem}", file=sys.stderr)
    took = time.perf_counter() - start
    if problems:
        print(f"vj: bank '{args.bank}': {len(problems)} problem{'s' if len(problems) != 1 else ''} "
              f"({took:.1f} s).", file=sys.stderr)
        return 1
    print(f"vj: bank '{args.bank}' is OK ({took:.1f} s).", file=sys.stderr)
    return 0


def focus_report(bank: Bank) -> dict:
    """``{"clips": {id: {"focus", "source", "confidence", "track"}}}``: the focus each clip starts with."""
    return {"clips": {c.id: {"focus": [round(c.focus[0], 4), round(c.focus[1], 4)], "source": c.focus_source,
                             "confidence": round(c.focus_confidence, 3), "track": [list(k) for k in c.focus_track]}
                      for c in bank.clips}}


def _focus(args: argparse.Namespace) -> int:
    bank = load_bank(args.bank, banks_dir=args.banks_dir)
    if args.json:
        clips = focus_report(bank)["clips"]  # one clip per line: readable, and still one JSON document
        rows = [f" {json.dumps(cid)}: {json.dumps(entry)}" for cid, entry in clips.items()]
        print('{"clips": {\n' + ",\n".join(rows) + "\n}}")
        return 0
    width = max(len(c.id) for c in bank.clips)
    print(f"bank '{bank.name}': where each clip heads at its in-point (x, y: 0..1 of the source frame, y down)")
    for c in bank.clips:
        line = f"  {c.id:<{width}}  [{c.focus[0]:.3f}, {c.focus[1]:.3f}]  {c.focus_source:<7}  {c.focus_confidence:.2f}"
        measured = resolve(None, c.focus_track, c.in_point)
        if c.focus_source == "hand" and measured.source == "auto":
            line += (f"  (measured [{measured.focus[0]:.3f}, {measured.focus[1]:.3f}], confidence "
                     f"{measured.confidence:.2f}: delete focus from bank.toml to follow it)")
        elif c.focus_source == "default":
            line += "  (no track yet: `vj bank import` measures it)" if not c.focus_track else \
                    "  (no forward motion found: a static shot, a pan or a zoom-out)"
        print(line)
        if c.focus_track:
            print("  " + " " * width + "  track: " + ", ".join(f"{t:.2f} s [{x:.3f}, {y:.3f}] {k:.2f}"
                                                             for t, x, y, k in c.focus_track))
    return 0


def _demo(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    bar = Progress("demo bank")
    try:
        bank = build_demo_bank(args.banks_dir, size=args.size, seconds=args.seconds, fps=args.fps,
                               force=args.force, progress=bar)
    finally:
        bar.close()
    n = len(bank.clips)
    print(f"vj: demo bank ready: {bank.toml} ({n} clip{'s' if n != 1 else ''}, {time.perf_counter() - start:.1f} s).",
          file=sys.stderr)
    return 0

