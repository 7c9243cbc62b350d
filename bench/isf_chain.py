"""Cost of ISF effects on the show's output: a 3-effect chain at 1280x720 next to the zoom compositor alone.

Wall time per frame with ``ctx.finish()``, uncapped, median of interleaved rounds (as bench/compositor.py),
so the ratios hold on a shared machine.  The zoom is the compositor drawing two layers mid-transition
(no new clip frames: the compositing passes only); the chains then run on its output texture, as the
show will run them.  "vj chain" is this project's three effects (shaders/isf), "Vidvox chain" three
popular files of the Vidvox collection (vendored in tests/data/isf/vidvox).
"""

from __future__ import annotations

import math
import statistics
import sys
import time

import numpy as np

from common import ROOT, machine, noise_compositor, table

from vj.engine.frame import FrameDesc, LayerDesc
from vj.gfx.context import gl_info
from vj.isf import IsfAudio, load_isf

SHIPPED = ROOT / "shaders" / "isf"
VIDVOX = ROOT / "tests" / "data" / "isf" / "vidvox"
CHAINS = {
    "vj chain (RGB Shift, Kaleidoscope Turn, Beat Trails)": [SHIPPED / "RGB Shift.fs", SHIPPED / "Kaleidoscope Turn.fs",
                                                             SHIPPED / "Beat Trails.fs"],
    "Vidvox chain (Sine Warp Tile, Zoom, Bloom)": [VIDVOX / "Sine Warp Tile.fs", VIDVOX / "Zoom.fs", VIDVOX / "Bloom.fs"],
}
ZOOM = FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.7, 0.55), 4.0), LayerDesc("b", 1, 0, 0, (0.42, 0.48), 0.25, feather=0.08)),
                 zoom_center=(0.4, 0.5))


def main(rounds: int = 5, per_round: int = 6, size=(1280, 720)) -> str:
    ctx, comp, texs = noise_compositor(size)
    for inst in (0, 1):
        texs[inst].use_for(0.25, inst)
    effects = {path: load_isf(ctx, path, size) for chain in CHAINS.values() for path in chain}
    spectrum = np.clip(np.exp(-np.arange(64) / 8.0), 0, 1).astype(np.float32)
    values = {SHIPPED / "Bloom.fs": {}, VIDVOX / "Bloom.fs": {"intensity": 0.6}}
    frame = [0]

    def zoom():
        return comp.render(ZOOM, texs)

    def chain(paths):
        def run():
            t = frame[0] / 60
            audio = IsfAudio(spectrum=spectrum * (0.5 + 0.5 * math.sin(t * 8)))
            tex = comp.render(ZOOM, texs)
            for p in paths:
                vals = {"beat": math.exp(-(t % 0.5) / 0.1)} if p.name == "Beat Trails.fs" else values.get(p, {})
                tex = effects[p].apply(tex, t, vals, audio)
            return tex
        return run

    def alone(path):
        src = comp.render(ZOOM, texs)
        return lambda: effects[path].apply(src, frame[0] / 60, values.get(path, {}))

    cases = {"zoom alone (2 layers mid-transition)": zoom}
    cases.update({f"zoom + {name}": chain(paths) for name, paths in CHAINS.items()})
    cases.update({f"one effect alone: {p.stem}": alone(p) for p in effects})
    samples = {name: [] for name in cases}
    for fn in cases.values():  # warm-up: compile, allocate buffers
        fn()
        fn()
    ctx.finish()
    for _ in range(rounds):
        for name, fn in cases.items():
            for _ in range(per_round):
                frame[0] += 1
                t0 = time.perf_counter()
                fn()
                ctx.finish()
                samples[name].append((time.perf_counter() - t0) * 1000)
    base = statistics.median(samples["zoom alone (2 layers mid-transition)"])
    rows = []
    for name in cases:
        xs = sorted(samples[name])
        med = statistics.median(xs)
        rows.append([name, med, xs[int(0.95 * (len(xs) - 1))], med / base, 1000 / med])
    return (f"ISF effect chain cost at {size[0]}x{size[1]}, ms per frame (machine: {machine()}; GL: {gl_info(ctx)})\n\n"
            + table(["case", "median ms", "p95 ms", "x zoom alone", "fps uncapped"], rows))


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(main(*args))
