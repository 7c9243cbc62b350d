"""ISF coverage: how many files of a collection compile and render (target >= 97 %), and why the rest fail.

Usage: .venv/bin/python bench/isf_coverage.py DIR [DIR...] [--size 640x360] [--frames 4]

Runs exactly what `vj isf check` runs (vj.isf.check) on every *.fs of each DIR, e.g. the ISF/ folder of
github.com/Vidvox/ISF-Files, and prints the summary and a table of every failure with its reason.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from common import machine, table

from vj.gfx.context import gl_info, headless_context
from vj.isf.check import check_files, find_files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--size", default="640x360")
    ap.add_argument("--frames", type=int, default=4)
    args = ap.parse_args()
    size = tuple(int(x) for x in args.size.split("x"))
    ctx = headless_context()
    for d in args.dirs:
        files = find_files([d])
        t0 = time.perf_counter()
        rows = list(check_files(ctx, files, size, args.frames))
        wall = time.perf_counter() - t0
        ok = [r for r in rows if r.ok]
        kinds = Counter(r.kind for r in rows)
        kinds_ok = Counter(r.kind for r in ok)
        ms = sorted(r.ms_per_frame for r in ok)
        print(f"ISF coverage of {d} at {size[0]}x{size[1]}, {args.frames} frames per file "
              f"(machine: {machine()}; GL: {gl_info(ctx)}; {wall:.0f} s)\n")
        print(table(["kind", "files", "ok", "ok %"],
                    [[k, kinds[k], kinds_ok[k], 100.0 * kinds_ok[k] / kinds[k]] for k in sorted(kinds)]
                    + [["all", len(rows), len(ok), 100.0 * len(ok) / max(1, len(rows))]]))
        if ms:
            print(f"\nms per frame of the files that render: median {statistics.median(ms):.2f}, "
                  f"p90 {ms[int(0.9 * (len(ms) - 1))]:.2f}, max {ms[-1]:.2f}")
        failed = [r for r in rows if not r.ok]
        if failed:
            print("\nFailures:\n")
            print(table(["file", "kind", "why"], [[r.path.name, r.kind, r.why.replace(str(r.path.parent) + "/", "").replace("|", "/")]
                                                  for r in failed]))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
