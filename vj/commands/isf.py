"""`vj isf check DIR`: will these ISF files work in the show?  One row per file, a summary on stderr.

A bad shader is a ``failed`` row with its file, ISF line and message, never a
non-zero exit: the exit code is for a crash (no GL, a folder that is not there).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from ..errors import Problem, VjError


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(x) for x in text.lower().split("x"))
        if w < 1 or h < 1 or w > 8192 or h > 8192:
            raise ValueError
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 640x360") from None
    return w, h


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("isf", help="check ISF shader effects, transitions and generators",
                                   description="ISF (Interactive Shader Format) files: the VJ world's shader effects.")
    sub = parser.add_subparsers(dest="isf_command", metavar="ACTION")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])
    p = sub.add_parser("check", help="compile and render every ISF file in a folder, one row per file",
                       description="Compile each *.fs (with its .vs) and render a few frames with default inputs. "
                                   "Prints file, kind, ok/failed and why, and ms per frame; a summary on stderr. "
                                   "Exits non-zero only on a crash, never because of a bad shader.")
    p.add_argument("paths", nargs="+", type=Path, metavar="DIR", help="folders of .fs files (or single .fs files)")
    p.add_argument("--size", type=_size, default=(640, 360), help="render size (default 640x360)")
    p.add_argument("--frames", type=int, default=4, help="frames per file (default 4; ms/frame skips the first)")
    p.add_argument("--save", type=Path, metavar="DIR", help="write each file's last frame as DIR/NAME.png, to look at")
    p.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    from ..gfx.context import gl_info, headless_context
    from ..isf.check import check_files, find_files

    missing = [p for p in args.paths if not p.exists()]
    if missing:
        raise VjError([Problem(p, "no such file or folder", fix="give a folder of .fs files") for p in missing])
    files = find_files(args.paths)
    if not files:
        raise VjError(Problem(args.paths[0], "no .fs files here", fix="give a folder that holds ISF .fs files"))
    # the folder a .fs is listed in, and where a linked .fs really is (a collection linked into ~/ISF)
    folders = {d for f in files for d in (f.parent.resolve(), f.resolve().parent)}
    if args.save is not None and args.save.resolve() in folders:
        # NAME.png beside NAME.fs: an image a shader imports under that name would be written over, unasked
        raise VjError(Problem(args.save, "--save writes NAME.png for each NAME.fs, and this is the shaders' own "
                                         "folder: an image a shader there imports could be written over",
                              fix="give --save a folder of its own, e.g. --save isf-shots"))
    ctx = headless_context()
    width = max(len(f.name) for f in files)
    print(f"{'file':<{width}}  {'kind':<10}  {'result':<6}  {'ms/frame':>8}  why")
    ok = 0
    times = []
    kinds: dict[str, int] = {}
    for row in check_files(ctx, files, args.size, max(1, args.frames), args.save):
        ms = f"{row.ms_per_frame:8.2f}" if row.ms_per_frame is not None else f"{'-':>8}"
        print(f"{row.path.name:<{width}}  {row.kind:<10}  {'ok' if row.ok else 'failed':<6}  {ms}  {row.why}", flush=True)
        if row.ok:
            ok += 1
            times.append(row.ms_per_frame)
            kinds[row.kind] = kinds.get(row.kind, 0) + 1
    n = len(files)
    by_kind = ", ".join(f"{v} {k}{'' if v == 1 else 's'}" for k, v in sorted(kinds.items()))
    med = f"; median {statistics.median(times):.2f} ms/frame" if times else ""
    print(f"vj isf check: {ok} of {n} files ok ({100.0 * ok / n:.1f}%), {n - ok} failed"
          f"{' (' + by_kind + ')' if by_kind else ''}{med} at {args.size[0]}x{args.size[1]} on {gl_info(ctx)}",
          file=sys.stderr)
    return 0
