"""The control panel's cost and the clip browser on a 700-clip bank, in a real pyglet window (run under Xvfb).

    python bench/panel.py [CLIPS]      (default 700; without DISPLAY it starts its own Xvfb)

Prints one table: the time from opening the bank tab to every visible filmstrip on screen, the time a
filter takes over the whole bank, what one panel frame costs (CPU to build it, GL time to draw it, timer
queries) with the song grid and with the 700-clip browser open, and a panel frame drawn whole against one
drawn in parts (only what changed, as the player does where the window keeps its back buffer).  The strips
are real PNGs the size `vj bank import` writes (6 frames, 96 px high), each a different picture, read from
disk as the panel does.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vj.bank import Clip  # noqa: E402
from vj.fileio import write_png  # noqa: E402
from vj.preview import FRAMES, GAP, HEIGHT  # noqa: E402

WORDS = ("neon city rain night drone forest ocean fire smoke crystal tunnel desert glitch portrait dance "
         "abstract liquid chrome aurora storm").split()


def make_bank(n: int, root: Path) -> dict[str, Clip]:
    rng = np.random.default_rng(7)
    fw = HEIGHT * 16 // 9
    clips = {}
    for i in range(n):
        strip = np.zeros((HEIGHT, FRAMES * fw + (FRAMES - 1) * GAP, 3), np.uint8)
        base = rng.integers(0, 255, 3)
        yy, xx = np.mgrid[0:HEIGHT, 0:strip.shape[1]]
        for c in range(3):
            strip[..., c] = (base[c] + xx * (c + 1) // 7 + yy * (3 - c) // 3 + i) % 256
        path = write_png(root / f"clip{i:03d}.png", strip)
        words = rng.choice(WORDS, 6, replace=False)
        clips[f"clip{i:03d}"] = Clip(f"clip{i:03d}", root / f"clip{i:03d}.mp4", prompt=" ".join(words[:4]),
                                     tags=tuple(words[4:]), preview=path)
    return clips


def main(n: int = 700) -> None:
    import moderngl
    import pyglet

    from vj.engine import FrameDesc
    from vj.audio.snapshot import AudioSnapshot
    from vj.live.quality import GpuTimer
    from vj.live.ui.host import ImguiHost
    from vj.live.ui.panel import PANEL_WIDTH, ControlPanel, PanelInput
    from vj.live.ui.thumbs import ThumbCache

    pyglet.options["debug_gl"] = False
    with tempfile.TemporaryDirectory() as tmp:
        clips = make_bank(n, Path(tmp))
        config = pyglet.gl.Config(major_version=3, minor_version=3, forward_compatible=True, double_buffer=True)
        window = pyglet.window.Window(640 + PANEL_WIDTH, 900, config=config, vsync=False)
        ctx = moderngl.create_context()
        host = ImguiHost(window)
        ids = list(clips)
        desc = FrameDesc(0.0, (), bpm=120.0, current_clip=ids[0], next_clip=ids[1])
        rows = []

        def frames(panel: ControlPanel, count: int, until=None) -> tuple[list[float], list[float], float]:
            cpu, gpu_times = [], []
            timer = GpuTimer(ctx)
            start = time.perf_counter()
            for k in range(count):
                window.dispatch_events()
                ctx.screen.use()
                ctx.screen.clear(0.06, 0.06, 0.08, 1.0)
                t0 = time.perf_counter()
                with timer:
                    host.begin()
                    panel.draw(PanelInput(desc=desc, audio=AudioSnapshot(), song=0, songs=["bench"],
                                          song_clips=ids[:12], hud=["60.0 fps"]), 900, below=(0, 368, 640, 532))
                    host.end()
                cpu.append(time.perf_counter() - t0)
                ctx.finish()
                if timer.last is not None:
                    gpu_times.append(timer.last)
                window.flip()
                if until is not None and until(panel):
                    return cpu, gpu_times, time.perf_counter() - start
            return cpu, gpu_times, time.perf_counter() - start

        # opening the bank: from the tab's first frame to every tile on screen drawn with its strip
        panel = ControlPanel(clips, ThumbCache(ctx), 640)
        panel.show_bank()
        t0 = time.perf_counter()
        cpu, gpu, took = frames(panel, 2000, until=lambda p: p.thumbs.loaded > 0 and p.thumbs.pending == 0)
        rows.append((f"open the bank tab ({n} clips): every visible strip on screen", f"{took * 1000:.0f} ms",
                     f"{len(cpu)} frames, {panel.thumbs.loaded} strips loaded"))
        t0 = time.perf_counter()
        panel.browser.set_filter(query="neon rain")
        shown = len(panel.browser.shown)
        rows.append((f"filter '{panel.browser.query}' over {n} clips", f"{(time.perf_counter() - t0) * 1000:.2f} ms",
                     f"{shown} match"))
        panel.browser.set_filter(query="")
        cpu, gpu, _ = frames(panel, 120)
        rows.append(("panel frame, bank browser open: CPU (build + submit)", f"{np.median(cpu) * 1000:.2f} ms",
                     f"p95 {np.percentile(cpu, 95) * 1000:.2f} ms"))
        if gpu:
            rows.append(("panel frame, bank browser open: GL (timer query)", f"{np.median(gpu) * 1000:.2f} ms",
                         f"p95 {np.percentile(gpu, 95) * 1000:.2f} ms"))
        panel2 = ControlPanel(clips, ThumbCache(ctx), 640)
        frames(panel2, 60)
        cpu, gpu, _ = frames(panel2, 120)
        rows.append(("panel frame, song grid: CPU (build + submit)", f"{np.median(cpu) * 1000:.2f} ms",
                     f"p95 {np.percentile(cpu, 95) * 1000:.2f} ms"))
        if gpu:
            rows.append(("panel frame, song grid: GL (timer query)", f"{np.median(gpu) * 1000:.2f} ms",
                         f"p95 {np.percentile(gpu, 95) * 1000:.2f} ms"))
        panel.thumbs.release()
        panel2.thumbs.release()
        host.close()
        rows += parts(window, ctx, clips, ids)
        print(f"GL: {ctx.info['GL_RENDERER']}, window {window.width}x{window.height}\n")
        w = [max(len(r[i]) for r in rows + [("what", "time", "detail")]) for i in range(3)]
        print("| " + " | ".join(c.ljust(n) for c, n in zip(("what", "time", "detail"), w)) + " |")
        print("|" + "|".join("-" * (n + 2) for n in w) + "|")
        for r in rows:
            print("| " + " | ".join(c.ljust(n) for c, n in zip(r, w)) + " |")
        window.close()


def parts(window, ctx, clips, ids) -> list[tuple[str, str, str]]:
    """The panel as the player draws it where the window keeps its back buffer: only the parts that changed
    (vj.live.ui.damage), against the whole panel, alternating, a changing tempo, beat and level each frame."""
    import dataclasses

    from vj.audio.snapshot import AudioSnapshot
    from vj.engine import FrameDesc
    from vj.live.ui.host import BACKGROUND
    from vj.live.ui.panel import PanelInput
    from vj.live.ui.side import ControlSide

    side = ControlSide(window, ctx, clips, 640)
    desc = FrameDesc(0.0, (), bpm=120.0, current_clip=ids[0], next_clip=ids[1])
    times: dict[bool, tuple[list[float], list[float], list[int]]] = {True: ([], [], []), False: ([], [], [])}
    for rnd in range(6):
        partial = rnd % 2 == 1
        ctx.screen.use()
        ctx.screen.clear(*BACKGROUND, 1.0)
        side.damage.invalidate()
        for k in range(80):
            window.dispatch_events()
            d = dataclasses.replace(desc, bpm=120.0 + (k % 7) * 0.3,
                                    report=dataclasses.replace(desc.report, beat=k // 8 % 4))
            inp = PanelInput(desc=d, audio=AudioSnapshot(bass=(k % 5) / 5), song=0, songs=["bench"],
                             song_clips=ids[:12], input_level=0.05 * (1 + k % 4))
            ctx.finish()
            t0 = time.perf_counter()
            side.draw(inp, (0, 368, 640, 532), partial=partial)
            t1 = time.perf_counter()
            ctx.finish()
            t2 = time.perf_counter()
            if k >= 20:
                times[partial][0].append(t1 - t0)
                times[partial][1].append(t2 - t1)
                times[partial][2].append(side.host.drawn_lists[0])
            window.flip()
    side.close()
    rows = []
    for partial, name in ((False, "whole"), (True, "only what changed")):
        cpu, gl, lists = times[partial]
        rows.append((f"panel frame drawn {name}: CPU (build, compare, submit)", f"{np.median(cpu) * 1000:.2f} ms",
                     f"p95 {np.percentile(cpu, 95) * 1000:.2f} ms"))
        rows.append((f"panel frame drawn {name}: GL (finish after it)", f"{np.median(gl) * 1000:.2f} ms",
                     f"p95 {np.percentile(gl, 95) * 1000:.2f} ms, {np.median(lists):.0f} draw lists"))
    return rows


if __name__ == "__main__":
    import os
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 700
    if os.environ.get("DISPLAY"):
        main(n)
    else:  # no screen: a private Xvfb for the run (tests/servers.py)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from servers import xvfb
        with xvfb("1400x950x24"):
            main(n)
