"""Shared bench helpers: machine description, test media, table printing."""

from __future__ import annotations

import os
import platform
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "out" / "bench"


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def test_clip(size: tuple[int, int], seconds: float = 4.0, fps: int = 30, name: str | None = None, seed: int = 1) -> Path:
    """A textured moving H.264 clip (cached under out/bench); x264 'medium', like typical delivered clips."""
    CACHE.mkdir(parents=True, exist_ok=True)
    w, h = size
    path = CACHE / (name or f"clip2-{w}x{h}-{seconds:g}s-{fps}.mp4")
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp.mp4")
    with av.open(str(tmp), "w") as c:
        s = c.add_stream("libx264", rate=Fraction(fps, 1))
        s.width, s.height, s.pix_fmt = w, h, "yuv420p"
        s.options = {"crf": "20", "preset": "veryfast"}
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        rng = np.random.default_rng(seed)
        noise = rng.integers(0, 48, (h + 64, w + 64), dtype=np.uint8)
        for i in range(int(seconds * fps)):
            ph = i / fps + seed * 1.7
            # moving fine detail, so the encoder and decoder work as hard as on real footage
            n = noise[(i * 3) % 64:(i * 3) % 64 + h, (i * 5) % 64:(i * 5) % 64 + w]
            r = (127 + 100 * np.sin(xx / 37 + ph * 3)).astype(np.uint8)
            g = (127 + 100 * np.sin(yy / 23 - ph * 2)).astype(np.uint8)
            b = (127 + 100 * np.sin((xx + yy) / 51 + ph)).astype(np.uint8)
            img = np.stack([r + n // 2, g + n // 3, b + n // 2], axis=-1)
            for p in s.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    tmp.replace(path)
    return path


def noise_compositor(size: tuple[int, int] = (1280, 720)):
    """(context, compositor, {0: texture, 1: texture}): a headless compositor at ``size`` with two clip
    textures holding different 720p noise frames (limited-range BT.709), for the GL benches that time
    the output's passes rather than the clips."""
    from vj.gfx.compositor import Compositor
    from vj.gfx.context import headless_context
    from vj.video.frames import YuvFrame
    ctx = headless_context()
    comp = Compositor(ctx, size, fps=60)
    texs = {0: comp.new_clip_texture(), 1: comp.new_clip_texture()}
    rng = np.random.default_rng(0)
    for inst in (0, 1):
        y = rng.integers(16, 235, (720, 1280), dtype=np.uint8)
        c = rng.integers(16, 240, (360, 640), dtype=np.uint8)
        texs[inst].upload(YuvFrame(0, 0, 1280, 720, (y, c, c.copy()), "bt709", "limited", 10 + inst))
    return ctx, comp, texs


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(h) for h in headers]] + [[f"{v:.2f}" if isinstance(v, float) else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in cells[1:]]
    return "\n".join(lines)
