"""Filmstrip thumbnails as GL textures, loaded a few at a time so a 700-clip bank never costs a frame.

The panel asks for the strips it is about to draw; the ones not yet on the GPU are queued and
loaded within a small time budget per frame (newest request first: what is on screen now), and the
least recently drawn are released past a cap.  A strip that cannot be read is remembered as missing.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from pathlib import Path

import moderngl
import numpy as np

#: strips (about 1030x96 RGBA, 0.4 MB each) kept on the GPU: a screenful of the browser several times over
CAP = 160
#: seconds of each frame spent loading strips (PNG decode + upload is ~2-4 ms per strip here, so one or two
#: per frame; a page of 24 fills in well under a second)
BUDGET_S = 0.003


def read_png(path: Path) -> np.ndarray:
    """An RGB(A) PNG as an RGBA uint8 array, top row first (PyAV's PNG decoder: no new dependency)."""
    import av
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return frame.to_ndarray(format="rgba")


class ThumbCache:
    def __init__(self, ctx: moderngl.Context, cap: int = CAP, budget_s: float = BUDGET_S):
        self.ctx = ctx
        self.cap = cap
        self.budget_s = budget_s
        self._tex: OrderedDict[Path, moderngl.Texture] = OrderedDict()
        self._wanted: OrderedDict[Path, None] = OrderedDict()
        self.missing: set[Path] = set()
        self.loaded = 0

    def get(self, path: Path | None) -> moderngl.Texture | None:
        """The strip's texture if it is on the GPU (else it is queued and None for now)."""
        if path is None or path in self.missing:
            return None
        tex = self._tex.get(path)
        if tex is not None:
            self._tex.move_to_end(path)
            return tex
        self._wanted[path] = None
        self._wanted.move_to_end(path)
        return None

    @property
    def pending(self) -> int:
        return len(self._wanted)

    def pump(self) -> None:
        """Load queued strips until this frame's budget is spent (at least one, so a page always fills)."""
        start = time.perf_counter()
        while self._wanted and (self.loaded == 0 or time.perf_counter() - start < self.budget_s):
            path, _ = self._wanted.popitem(last=True)
            try:
                rgba = read_png(path)
            except Exception:  # a damaged preview is a missing thumbnail, never a stopped show
                self.missing.add(path)
                continue
            h, w = rgba.shape[:2]
            tex = self.ctx.texture((w, h), 4, np.ascontiguousarray(rgba).tobytes())
            tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
            self._tex[path] = tex
            self.loaded += 1
            while len(self._tex) > self.cap:
                _, old = self._tex.popitem(last=False)
                old.release()
            if time.perf_counter() - start >= self.budget_s:
                break
        if len(self._wanted) > self.cap:  # scrolled past: forget the oldest requests
            for _ in range(len(self._wanted) - self.cap):
                self._wanted.popitem(last=False)

    def release(self) -> None:
        for tex in self._tex.values():
            tex.release()
        self._tex.clear()
        self._wanted.clear()
