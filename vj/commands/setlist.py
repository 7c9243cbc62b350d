"""`vj setlist check FILE`: find every problem in a setlist (and the banks it uses) before the show."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from . import add_banks_dir
from ..errors import Problem, shown
from ..setlist import Setlist, checked_setlist


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("setlist", help="check setlists", description="Setlists: see docs/SETLISTS.md.")
    sub = parser.add_subparsers(dest="setlist_command", metavar="ACTION")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])

    p = sub.add_parser("check", help="list every problem in a setlist and its banks (exit code 1 if any)")
    p.add_argument("file", type=Path, metavar="FILE", help="setlist TOML file, e.g. setlists/demo.toml")
    p.add_argument("--no-banks", action="store_true", help="do not check the banks the songs use")
    p.add_argument("--no-shaders", action="store_true",
                   help="do not compile the ISF shaders the songs use (their headers are still read)")
    add_banks_dir(p)
    p.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    setlist, problems = checked_setlist(args.file, banks_dir=args.banks_dir, banks=not args.no_banks)
    note = ""
    if not problems and setlist is not None and not args.no_shaders:
        found, note = _compile_shaders(setlist)
        problems += found
    for problem in problems:
        print(f"vj: {problem}", file=sys.stderr)
    if problems:
        print(f"vj: {args.file}: {len(problems)} problem{'s' if len(problems) != 1 else ''}.", file=sys.stderr)
        return 1
    print(f"vj: {args.file} is OK{note}.", file=sys.stderr)
    return 0


def shaders_used(setlist: Setlist) -> dict[Path, tuple[int | None, str]]:
    """Each ISF file the setlist's songs and sections draw with, once: where it is first named (line, song)."""
    used: dict[Path, tuple[int | None, str]] = {}
    for n, song in enumerate(setlist.songs, start=1):
        specs = [*song.effects, song.transition, *(sec.transition for sec in song.sections)]
        for spec in specs:
            shader = getattr(spec, "shader", None)   # "zoom" and None draw no shader
            if shader is not None:
                used.setdefault(Path(shader), (getattr(spec, "line", None), f"song {n} '{song.title}'"))
    return used


def _compile_shaders(setlist: Setlist) -> tuple[list[Problem], str]:
    """Compile and render each shader the setlist uses, as `vj isf check` does: a setlist whose headers are right
    but whose GLSL does not compile said "OK" and the effect was missing at the show. Without GL here, says so."""
    used = shaders_used(setlist)
    if not used:
        return [], ""
    from ..gfx.context import headless_context
    from ..isf.check import check_file
    try:
        ctx = headless_context()
    except Exception as exc:  # noqa: BLE001 - no GL on this machine: the headers were checked
        return [], f" (the shaders' headers only: no OpenGL here to compile them, {exc})"
    problems = []
    try:
        for shader, (line, where) in used.items():
            row = check_file(ctx, shader, (160, 90), 2, None)
            if not row.ok:
                why, _, own_fix = row.why.partition(" Fix: ")
                glsl = "GLSL" in why   # the code does not compile; else the file cannot be used (an image gone)
                fix = (f"fix the shader (`vj isf check \"{shown(shader)}\"` shows it alone) or point the setlist at "
                       f"another" if glsl else own_fix.rstrip(".") or "fix the shader or point the setlist at another")
                before = re.search(r"at the end of line (\d+)", own_fix) if glsl else None
                if before:   # a ';' missing at the end of line 12 is reported at line 13 (vj.isf.glsl)
                    fix = f"look at the end of line {before.group(1)} of {shader.name} too; {fix}"
                problems.append(Problem(setlist.path, f"the shader {shader.name!r} "
                                                      f"{'does not compile' if glsl else 'cannot be used'}: "
                                                      f"{why.rstrip('.')}", line=line, where=where,
                                        fix=f"{fix}; the show would leave the effect out"))
    finally:
        ctx.release()
    return problems, f" ({len(used)} shader{'s' if len(used) != 1 else ''} compiled)"
