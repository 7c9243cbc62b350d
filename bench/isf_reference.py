"""vj's ISF host against the reference renderer (npm interactive-shader-format on WebGL, in Chromium).

Usage: .venv/bin/python bench/isf_reference.py ISF_DIR [ISF_DIR...] [--size 480x270]

Every file of ISF_DIR (e.g. a checkout of github.com/Vidvox/ISF-Files, its ISF/ folder) that the
comparison is fair on (tests/isf_reference.py: filters and generators without randomness, and not
using what the reference lacks) is rendered by both, with its default values and with every value
moved across its range, same pictures, TIME = 1.25 s, 6 frames; the last frames are compared.
Prints one row per file (the worse of its two settings) and the summary against the targets:
mean absolute difference <= 2/255 over the files, no file above 8/255.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from common import machine, table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import isf_reference as ref  # noqa: E402

from vj.gfx.context import gl_info, headless_context  # noqa: E402
from vj.isf import IsfError, parse_isf  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("directories", type=Path, nargs="+")
    ap.add_argument("--size", default="480x270")
    ap.add_argument("--batch", type=int, default=40, help="cases per Chromium run")
    args = ap.parse_args()
    size = tuple(int(x) for x in args.size.split("x"))
    pictures = ref.reference_pictures(size)
    eligible, skipped = [], []
    paths = [p for d in args.directories for p in sorted(d.glob("*.fs"), key=lambda p: p.name.lower())]
    for path in paths:
        try:
            spec = parse_isf(path)
        except IsfError as exc:
            skipped.append((path.name, f"header: {exc.problems[0].message}"))
            continue
        why = ref.ineligible(spec)
        (skipped.append((path.name, why)) if why else eligible.append(spec))
    cases = [c for spec in eligible for c in ref.cases_for(spec, size)]
    t0 = time.perf_counter()
    results: dict = {}
    for i in range(0, len(cases), args.batch):
        results.update(ref.render_reference(cases[i:i + args.batch], pictures, size))
    ref_s = time.perf_counter() - t0
    ctx = headless_context()
    rows, means, ref_failed, undefined = [], [], [], []
    for spec in eligible:
        worst = None
        error = None
        for case in ref.cases_for(spec, size):
            r = results.get(case.name, "no result")
            if isinstance(r, str):
                error = r
                break
            d = ref.compare(ref.render_vj(ctx, case, pictures, size), r)
            if worst is None or d.mean > worst[1].mean:
                worst = (case.name.split("|")[1], d)
        if error is not None:
            ref_failed.append((spec.path.name, " ".join(error.split())[:160].replace("|", "/")))
            continue
        label, d = worst
        moves = ref.undefined_pow(ctx, spec, pictures, size)
        if moves is not None:   # no right answer: shown, not counted
            undefined.append([spec.path.name, spec.kind, moves.mean, label, d.mean])
            continue
        means.append(d.mean)
        rows.append([spec.path.name, spec.kind, label, d.mean, d.p999, d.max, 100 * d.share_over_8,
                     "yes" if d.mean <= 8 else "NO"])
    print(f"ISF against the reference renderer: {', '.join(map(str, args.directories))} at {size[0]}x{size[1]} "
          f"(machine: {machine()}; vj GL: {gl_info(ctx)}; reference: Chromium WebGL, {ref_s:.0f} s)\n")
    print(table(["file", "kind", "worse setting", "mean abs diff /255", "p99.9 px /255", "max /255",
                 "% px > 8/255", "within 8/255"], rows))
    if ref_failed:
        print("\nThe reference itself failed (left out of the numbers):\n")
        print(table(["file", "reference error"], [list(r) for r in ref_failed]))
    if undefined:
        print("\nDrawn with pow of a negative base, undefined in GLSL (compared, not counted):\n")
        print(table(["file", "kind", "vj moves when bases are made positive /255", "worse setting",
                     "mean abs diff to the reference /255"], undefined))
    print("\nLeft out of the comparison:\n")
    print(table(["file", "why"], [list(s) for s in skipped]))
    if means:
        over = sum(m > 8 for m in means)
        print(f"\nfiles compared: {len(means)}; mean of per-file mean |diff|: {statistics.mean(means):.3f}/255 "
              f"(target <= 2); worst file: {max(means):.3f}/255; files above 8/255: {over} (target 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
