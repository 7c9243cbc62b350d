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
#: seconds of each frame spent loading strips (OpenCV reads a 1030x96 strip in about 1 ms here, the upload
#: is less: a few strips per frame, a page of tiles in a handful of frames)
BUDGET_S = 0.003


def read_png(path: Path) -> np.ndarray:
    """A PNG as an RGBA uint8 array, top row first (OpenCV, already a dependency: PyAV's demuxer costs
    ~10 ms per file to open, pyglet's PNG reader is pure Python)."""
    import cv2
    img = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if img is None:
        raise OSError(f"cannot read {path}")
    if img.ndim == 2:
        return cv2.cvtColor(img, cv2.COLOR_GRAY2RGBA)
    return cv2.cvtColor(img, cv2.COLOR_BGRA2RGBA if img.shape[2] == 4 else cv2.COLOR_BGR2RGBA)


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
