"""Focus estimation: error against a known heading, and import time per clip.

    python bench/focus.py                 # everything: corpus, demo bank, timing
    python bench/focus.py --group tune    # only what may be tuned on (while developing)
    python bench/focus.py --no-timing     # errors only

Error of a clip: the focus the show would use (the followed track, or the centre when the clip is not
confident), against the true heading, sampled every 0.1 s over the clip; distance in shares of the
image width.  A clip's error is the mean over time (its worst moment is listed too).  Forward clips
should have a small error; still clips (static shot, pan, zoom-out) should fall back to the centre.

Sets, scored in the same run:
  corpus     real photos and video frames moved by a virtual camera (bench/focus_corpus.py),
             split by source into tune / held-out, and held-out-2 (new items on the held-out sources,
             added once a held-out clip had been looked at; held-out-3 to held-out-21 likewise)
  demo       the demo bank (`vj bank demo`, 640x360, 6 s), whose scenes are rendered toward known
             points: tunnel, warp, synthwave, clouds are tuned on; the other five are held out

Timing: one clip's focus estimate and whole import (probe, filmstrip, focus) at 720p and 1080p, best of 3,
interleaved, as CPU time (all threads; steady on a shared machine) and wall time; then a folder of clips
imported on 1 and on 2 threads, side by side.  With ``--before REV``, the focus estimate of vj/focus at git
revision REV is timed in the same rounds, on a push-in, a slow push-in and a still shot at each size.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common import CACHE, machine, table

import focus_corpus as fc

from vj.bank import build_demo_bank, import_bank
from vj.demo.scenes import SPECS
from vj.focus.estimate import estimate_focus
from vj.focus.track import focus_at, resolve

DEMO_TUNE = ("tunnel", "warp", "synthwave", "clouds")
TARGET_MEDIAN, TARGET_MAX = 0.03, 0.08
STEP = 0.1


@dataclass
class Row:
    name: str
    group: str
    kind: str               #: 'forward' | 'still'
    motion: str
    source: str
    confidence: float
    mean: float | None      #: error, share of width (forward clips)
    worst: float | None
    ok: bool
    seconds: float


def score(name: str, group: str, motion: str, path: Path, size: tuple[int, int], duration: float,
          truth, estimate=estimate_focus) -> Row:
    est = estimate(path)
    res = resolve(None, est.track)
    forward = motion in fc.FORWARD
    if not forward:
        return Row(name, group, "still", motion, res.source, res.confidence, None, None, res.source == "default",
                   est.seconds)
    errs = []
    for t in np.arange(0.0, duration, STEP):
        used = focus_at(res.follow, float(t)) if res.follow else res.focus
        errs.append(fc.error(used, truth(float(t)), size))
    mean, worst = float(np.mean(errs)), float(np.max(errs))
    return Row(name, group, "forward", motion, res.source, res.confidence, mean, worst,
               res.source == "auto" and mean <= TARGET_MAX, est.seconds)


def corpus_rows(groups: set[str], estimate=estimate_focus) -> list[Row]:
    cache = CACHE / "focus-corpus"
    rows = []
    for item in fc.ITEMS:
        if item.group not in groups:
            continue
        path = fc.make(item, cache)
        tr = fc.truth(item)
        rows.append(score(item.name, item.group, item.motion, path, item.size, item.seconds,
                          lambda t, tr=tr: tr.at(t), estimate))
    return rows


def demo_rows(groups: set[str], estimate=estimate_focus) -> list[Row]:
    bank = build_demo_bank(CACHE / "focus-banks")
    rows = []
    for clip in bank.clips:
        group = "tune" if clip.id in DEMO_TUNE else "held-out"
        if group not in groups:
            continue
        f = SPECS[clip.id].focus
        assert clip.probe is not None
        rows.append(score(f"demo/{clip.id}", group, "zoom", clip.file, (clip.probe.width, clip.probe.height),
                          clip.probe.duration, lambda t, f=f: f, estimate))
    return rows


def summary(rows: list[Row]) -> list[list]:
    out = []
    for group in fc.GROUPS:
        for label, sel in (("corpus", lambda r: not r.name.startswith("demo/")), ("demo", lambda r: r.name.startswith("demo/")),
                           ("all", lambda r: True)):
            fwd = [r for r in rows if r.group == group and r.kind == "forward" and sel(r)]
            still = [r for r in rows if r.group == group and r.kind == "still" and sel(r)]
            if not fwd and not still:
                continue
            errs = [r.mean for r in fwd if r.mean is not None]
            med = statistics.median(errs) if errs else float("nan")
            worst = max(errs) if errs else float("nan")
            out.append([group, label, len(fwd), f"{med * 100:.2f} %", f"{worst * 100:.2f} %",
                        sum(e > TARGET_MAX for e in errs), sum(r.source == "auto" for r in fwd),
                        f"{sum(r.ok for r in still)}/{len(still)}",
                        "yes" if errs and med <= TARGET_MEDIAN and worst <= TARGET_MAX and all(r.ok for r in still)
                        else "no"])
    return out


def _timed(fn) -> tuple[float, float]:
    """(wall, CPU of every thread of the process) seconds."""
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def estimator_at(rev: str):
    """``estimate_focus`` of vj/focus as it was at git revision ``rev`` (its files copied into a temporary
    package, so both versions run in this process, in the same rounds)."""
    root = Path(__file__).resolve().parent.parent
    pkg = Path(tempfile.mkdtemp(prefix="focus-before-")) / "focus_before"
    pkg.mkdir()
    names = subprocess.run(["git", "ls-tree", "--name-only", rev, "vj/focus/"], cwd=root, check=True,
                           capture_output=True, text=True).stdout.split()
    for name in (Path(n).name for n in names if n.endswith(".py")):  # every module it had (similar.py from 340eb25)
        text = subprocess.run(["git", "show", f"{rev}:vj/focus/{name}"], cwd=root, check=True, capture_output=True,
                              text=True).stdout
        (pkg / name).write_text(text)
    sys.path.insert(0, str(pkg.parent))
    return importlib.import_module("focus_before.estimate").estimate_focus


def timing_before(rev: str, rounds: int = 3) -> list[list]:
    """Focus estimate before (``rev``) and now, per clip, interleaved in the same rounds."""
    before = estimator_at(rev)
    clips = {}
    for size, label in (((1280, 720), "720p"), ((1920, 1080), "1080p")):
        for kind, item in (("push-in", fc.Item(f"time-{label}", "timing", "coffee.jpg", "drift", seed=300, size=size,
                                               seconds=4.0)),
                           ("slow push-in 0.06/s", fc.Item(f"time-slow-{label}", "timing", "coffee.jpg", "zoom",
                                                           seed=301, size=size, seconds=4.0, rate=0.06)),
                           ("still", fc.Item(f"time-still-{label}", "timing", "coffee.jpg", "static", seed=302,
                                             size=size, seconds=4.0))):
            clips[(label, kind)] = fc.make(item, CACHE / "focus-corpus")
    runs: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for _ in range(rounds):
        for key, path in clips.items():
            for version, fn in (("before", before), ("after", estimate_focus)):
                runs.setdefault((*key, version), []).append(_timed(lambda: fn(path)))
    rows = []
    for (label, kind) in clips:
        b, a = runs[(label, kind, "before")], runs[(label, kind, "after")]
        cb, ca = min(c for _, c in b), min(c for _, c in a)
        rows.append([label, kind, f"{cb:.2f} s", f"{ca:.2f} s", f"{ca / cb:.2f}x", f"{min(w for w, _ in b):.2f} s",
                     f"{min(w for w, _ in a):.2f} s"])
    return rows


def timing(rounds: int = 3) -> tuple[list[list], list[list]]:
    folder = CACHE / "focus-timing"
    clips = {}
    for size, label in (((1280, 720), "720p"), ((1920, 1080), "1080p")):
        item = fc.Item(f"time-{label}", "timing", "coffee.jpg", "drift", seed=300, size=size, seconds=4.0)
        clips[label] = fc.make(item, CACHE / "focus-corpus")
    runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(rounds):  # interleaved, so both sizes see the same machine load
        for label, path in clips.items():
            runs.setdefault((label, "focus"), []).append(_timed(lambda: estimate_focus(path)))
            src = folder / label
            shutil.rmtree(src, ignore_errors=True)
            src.mkdir(parents=True)
            (src / "clip.mp4").symlink_to(path)
            runs.setdefault((label, "import"), []).append(
                _timed(lambda: import_bank(src, "t", banks_dir=src / "banks", workers=1)))
    rows = []
    for label in clips:
        f, i = runs[(label, "focus")], runs[(label, "import")]
        rows.append([label, "4.0 s, 30 fps", f"{min(c for _, c in f):.2f} s", f"{min(w for w, _ in f):.2f} s",
                     f"{min(c for _, c in i):.2f} s", f"{min(w for w, _ in i):.2f} s"])
    # a folder of 6 720p clips, on 1 and 2 threads
    items = [fc.Item(f"time-par-{i}", "timing", src, "zoom", seed=310 + i, size=(1280, 720), seconds=3.0)
             for i, src in enumerate(("astronaut.jpg", "coffee.jpg", "brick.jpg", "grass.jpg", "chelsea.jpg", "rocket.jpg"))]
    src = folder / "many"
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    for item in items:
        (src / f"{item.name}.mp4").symlink_to(fc.make(item, CACHE / "focus-corpus"))
    par: dict[int, list[tuple[float, float]]] = {1: [], 2: []}
    for _ in range(2):
        for workers in (1, 2):
            shutil.rmtree(src / "banks", ignore_errors=True)
            par[workers].append(_timed(lambda: import_bank(src, "t", banks_dir=src / "banks", workers=workers)))
    best = {w: min(t for t, _ in par[w]) for w in par}
    prow = [[f"{w} thread{'s' if w > 1 else ''}", len(items), f"{best[w]:.2f} s", f"{best[w] / len(items):.2f} s",
             f"{min(c for _, c in par[w]):.2f} s", f"{best[1] / best[w]:.2f}x"] for w in (1, 2)]
    return rows, prow


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--group", choices=(*fc.GROUPS, "all"), default="all")
    ap.add_argument("--skip", action="append", default=[], choices=fc.GROUPS,
                    help="leave this set out (repeatable): e.g. a held-out set not to be looked at yet")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--no-demo", action="store_true")
    ap.add_argument("--before", metavar="REV", help="also time vj/focus at git revision REV, in the same rounds")
    args = ap.parse_args()
    groups = (set(fc.GROUPS) if args.group == "all" else {args.group}) - set(args.skip)
    print(f"# Focus estimation ({machine()})\n")
    rows = corpus_rows(groups) + ([] if args.no_demo else demo_rows(groups))
    old = None
    if args.before:  # the estimator at REV on the same clips, in the same run
        before = estimator_at(args.before)
        old = {r.name: r for r in corpus_rows(groups, before) + ([] if args.no_demo else demo_rows(groups, before))}

    def err(r: Row | None, attr: str) -> str:
        v = None if r is None else getattr(r, attr)
        return "-" if v is None else f"{v * 100:.2f} %"

    body = [[r.name, r.group, r.motion, r.source, r.confidence, err(r, "mean"), err(r, "worst"),
             "ok" if r.ok else "FAIL", f"{r.seconds:.2f} s"]
            + ([f"{old[r.name].confidence:.2f}", err(old[r.name], "mean")] if old else []) for r in rows]
    print(table(["clip", "set", "motion", "source", "conf", "error", "worst moment", "", "measure"]
                + ([f"conf at {args.before}", f"error at {args.before}"] if old else []), body))
    print()
    head = ["set", "clips", "forward", "median error", "max error", "> 8 %", "auto", "still -> centre", "target met"]
    print(table(head, summary(rows)))
    if old:
        print(f"\nat {args.before}:\n")
        print(table(head, summary(list(old.values()))))
    if not args.no_timing:
        one, par = timing()
        print()
        print(table(["clip", "length", "focus: CPU", "focus: wall", "import (probe, filmstrip, focus): CPU",
                     "import: wall"], one))
        print()
        print(table(["import of 720p clips", "clips", "wall", "wall per clip", "CPU", "speed-up"], par))
        if args.before:
            print()
            print(table(["clip (4.0 s, 30 fps)", "motion", f"focus CPU: {args.before}", "focus CPU: now", "ratio",
                         f"wall: {args.before}", "wall: now"], timing_before(args.before)))
    failed = [r.name for r in rows if not r.ok]
    if failed:
        print(f"\nnot ok: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
