"""Decode-to-texture cost per frame vs plain PyAV decoding of the same clip.

Columns are CPU time per frame (all threads of the process; on llvmpipe the GL work
is CPU work too), measured side by side in one run so the ratios hold on a noisy
shared machine.
  plain PyAV     decode every frame, touch nothing (the floor)
  vj decode      vj's decode thread + frame pick, planes as numpy views
  + upload       + the three plane textures written (what a GPU machine pays on the CPU)
  + convert      + YUV->RGB pass and mipmaps (GPU work; on llvmpipe it is CPU)
"""

from __future__ import annotations

import time

import av

from common import machine, table, test_clip

from vj.gfx.compositor import Compositor
from vj.gfx.context import gl_info, headless_context
from vj.video.decoder import ClipDecoder, DecodeSpec


def cpu() -> float:
    return time.process_time()


def plain(path) -> tuple[float, int]:
    t0 = cpu()
    n = 0
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        s.thread_type = "AUTO"
        s.thread_count = 2
        for _ in c.decode(s):
            n += 1
    return (cpu() - t0) / n * 1000, n


def vj_path(path, comp: Compositor | None, convert: bool) -> float:
    dec = ClipDecoder(DecodeSpec(path, loop="hold", threads=2))
    tex = comp.new_clip_texture() if comp else None
    t0 = cpu()
    n = 0
    t = 0.0
    last = None
    while True:
        f = dec.frame_at(t, wait=True)
        if f is None or (last is not None and f.serial == last):
            break
        last = f.serial
        if tex is not None:
            if convert:
                tex.upload(f)
            else:
                for gl_tex, plane in zip(tex.planes or [], f.planes):
                    gl_tex.write(plane)
                if not tex.planes:
                    tex.upload(f)
        n += 1
        t += 1 / 30
    if comp:
        comp.ctx.finish()
    elapsed = (cpu() - t0) / n * 1000
    dec.close()
    if tex:
        tex.release()
    return elapsed


def main(repeats: int = 3) -> str:
    ctx = headless_context()
    comp = Compositor(ctx, (1280, 720), fps=30)
    rows = []
    for size in ((1280, 720), (1920, 1080)):
        path = test_clip(size, seconds=4.0)
        best = {k: float("inf") for k in ("plain", "dec", "up", "conv")}
        for _ in range(repeats):  # interleaved, best of N: the fairest comparison on a shared machine
            best["plain"] = min(best["plain"], plain(path)[0])
            best["dec"] = min(best["dec"], vj_path(path, None, False))
            best["up"] = min(best["up"], vj_path(path, comp, False))
            best["conv"] = min(best["conv"], vj_path(path, comp, True))
        rows.append([f"{size[0]}x{size[1]}", best["plain"], best["dec"], best["up"], best["conv"],
                     f"{best['up'] / best['plain']:.3f}", f"{best['conv'] / best['plain']:.3f}"])
    out = (f"Decode-to-texture, CPU ms per frame, best of {repeats} (machine: {machine()}; GL: {gl_info(ctx)})\n\n"
           + table(["clip", "plain PyAV", "vj decode", "+ upload", "+ convert (llvmpipe)", "upload/plain", "convert/plain"], rows))
    comp.release()
    return out


if __name__ == "__main__":
    print(main())
