"""Compositor frame time: two clip layers mid-zoom-through, at 1280x720 and 1920x1080.

Wall time per frame with ``ctx.finish()`` (so GL work is really done), uncapped;
the "no new frame" rows isolate the compositing passes from uploading new frames.
Cases are interleaved in rounds and the median of each is reported, so the ratios
hold on a shared machine.  Clip textures are 1280x720 and a new frame is uploaded
to both every frame (the worst case: two 720p clips at the output rate).
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from common import machine, table

from vj.engine.frame import FrameDesc, LayerDesc
from vj.gfx.compositor import Compositor
from vj.gfx.context import gl_info, headless_context
from vj.video.frames import YuvFrame


def frames(w=1280, h=720, n=4):
    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        y = rng.integers(16, 235, (h, w), dtype=np.uint8)
        c = rng.integers(16, 240, (h // 2, w // 2), dtype=np.uint8)
        out.append((y, c, c.copy()))
    return out


CASES = {
    "1 layer (clip playing)": (FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.52, 0.5), 1.3),)), False),
    "1 layer, no new frame": (FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.52, 0.5), 1.3),)), None),
    "2 layers mid-transition, no new frames": (FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.7, 0.55), 4.0),
                                                             LayerDesc("b", 1, 0, 0, (0.42, 0.48), 0.25, feather=0.08)),
                                                         zoom_center=(0.4, 0.5)), None),
    "2 layers mid-transition": (FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.7, 0.55), 4.0),
                                              LayerDesc("b", 1, 0, 0, (0.42, 0.48), 0.25, feather=0.08)),
                                          zoom_center=(0.4, 0.5), zoom_rate=0.0), False),
    "2 layers + motion blur": (FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.7, 0.55), 4.0),
                                             LayerDesc("b", 1, 0, 0, (0.42, 0.48), 0.25, feather=0.08)),
                                         zoom_center=(0.4, 0.5), zoom_rate=1.4, blur=1.0), False),
    "2 layers mid-transition + readback": (FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.7, 0.55), 4.0),
                                                         LayerDesc("b", 1, 0, 0, (0.42, 0.48), 0.25, feather=0.08)),
                                                     zoom_center=(0.4, 0.5)), True),
}


def main(rounds: int = 5, per_round: int = 6) -> str:
    ctx = headless_context()
    src = frames()
    rows = []
    for size in ((1280, 720), (1920, 1080)):
        comp = Compositor(ctx, size, fps=60)
        texs = {0: comp.new_clip_texture(), 1: comp.new_clip_texture()}
        serial = 0
        samples = {name: [] for name in CASES}
        for inst in (0, 1):  # warm-up: allocate textures and mip chains, compile variants
            y, u, v = src[inst]
            texs[inst].upload(YuvFrame(0, 0, 1280, 720, (y, u, v), "bt709", "limited", 10_000 + inst))
            texs[inst].use_for(0.25, inst)
        for desc, _ in CASES.values():
            comp.render(desc, texs)
        ctx.finish()
        for _ in range(rounds):
            for name, (desc, readback) in CASES.items():
                for _ in range(per_round):
                    serial += 1
                    t0 = time.perf_counter()
                    for inst in [layer.instance for layer in desc.layers] if readback is not None else ():
                        y, u, v = src[(serial + inst) % len(src)]
                        texs[inst].upload(YuvFrame(0, 0, 1280, 720, (y, u, v), "bt709", "limited", serial * 2 + inst))
                    comp.render(desc, texs)
                    if readback:
                        comp.read()
                    ctx.finish()
                    samples[name].append((time.perf_counter() - t0) * 1000)
        for name in CASES:
            xs = sorted(samples[name])
            med = statistics.median(xs)
            p95 = xs[int(0.95 * (len(xs) - 1))]
            p99 = xs[int(0.99 * (len(xs) - 1))]   # with 30 frames a case (the default) this is the worst but one
            rows.append([f"{size[0]}x{size[1]}", name, med, p95, p99, 1000 / med])
        for t in texs.values():
            t.release()
        comp.release()
    return (f"Compositor frame time, ms; unless 'no new frame', each layer gets a new 720p frame (upload + YUV->RGB) (machine: {machine()}; GL: {gl_info(ctx)})\n\n"
            + table(["output", "case", "median ms", "p95 ms", "p99 ms", "fps uncapped"], rows))


if __name__ == "__main__":
    print(main(*(int(a) for a in sys.argv[1:])))   # [ROUNDS] [FRAMES_PER_ROUND]: bench/gpu.sh asks for 600 a case
