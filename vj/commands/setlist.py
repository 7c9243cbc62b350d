"""`vj setlist check FILE`: find every problem in a setlist (and the banks it uses) before the show."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import add_banks_dir
from ..setlist import check_setlist


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("setlist", help="check setlists", description="Setlists: see docs/SETLISTS.md.")
    sub = parser.add_subparsers(dest="setlist_command", metavar="ACTION")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])

    p = sub.add_parser("check", help="list every problem in a setlist and its banks (exit code 1 if any)")
    p.add_argument("file", type=Path, metavar="FILE", help="setlist TOML file, e.g. setlists/demo.toml")
    p.add_argument("--no-banks", action="store_true", help="do not check the banks the songs use")
    add_banks_dir(p)
    p.set_defaults(func=_check)


def _check(args: argparse.Namespace) -> int:
    problems = check_setlist(args.file, banks_dir=args.banks_dir, banks=not args.no_banks)
    for problem in problems:
        print(f"vj: {problem}", file=sys.stderr)
    if problems:
        print(f"vj: {args.file}: {len(problems)} problem{'s' if len(problems) != 1 else ''}.", file=sys.stderr)
        return 1
    print(f"vj: {args.file} is OK.", file=sys.stderr)
    return 0
