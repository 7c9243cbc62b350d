"""Redraw only the parts of the panel that changed, where the window keeps its back buffer.

Why: on software GL (Mesa llvmpipe, 2 cores) ImGui's blended quads are what a panel frame costs: the
1820x900 window's panel took 4.6 ms of rasterising per panel frame, median, and 1.8 ms of CPU, in the
issue's own `vj play` (2026-12-06).  Most of it does not change from one panel frame to the next (the
faders, the clip tiles, the clips on screen, the messages); the tempo, the beat lights, the plots and
the meters do.  Each part of the panel is its own ImGui (child) window, so its own draw list: a list
whose vertices, indices and commands are the bytes they were when it was last drawn is left as it is
on screen; the others are cleared to the background and drawn again.

The plan is a pure function of (name, content key, cells) per list, so it is tested without GL.  A list
that is drawn again is cleared first over all its cells (ImGui blends: text drawn over itself thickens),
and whatever has a pixel in a cleared cell is drawn again too (a tooltip, the key help), to a fixed point.
Measured (bench/panel.py, a 1820x900 window under Xvfb, llvmpipe): a panel frame's GL 3.4 -> 0.7 ms, its
CPU 1.3 -> 2.0 ms (building every part, comparing the lists' bytes).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

#: bytes of one ImDrawVert (pos 2 x f32, uv 2 x f32, col u32) and one ImDrawIdx: imgui-bundle builds ImGui with
#: 32-bit indices (ImGui's default is 16; read as 16 bits, every other index is 0: checked on 1.93.0)
VERT_BYTES, IDX_BYTES = 20, 4
#: where a list draws is a mask of CELL x CELL pixel cells.  8 px: the panel's parts start 9 px inside the
#: column's border and end 8 px before its scrollbar, so at 8 px their cells and the column's never meet
CELL = 8
#: a changed list whose box covers more than this share of the window is cleared by its triangles' cells
#: (numpy over its vertices: 0.1-0.3 ms for the column's ~100; the parts' boxes are 1-10 % of the window)
PRECISE_SHARE = 0.25


@dataclass(slots=True, eq=False)
class DrawnList:
    """One ImGui draw list as this frame has it: who it belongs to, what it draws (``key``: its
    bytes), and where, as cells: ``coarse`` (its vertices' box: cheap, what a changed list clears unless
    the box is most of the window, see ``_clearing``) and ``precise`` (its triangles' boxes: worked out once
    for a list that stays, to see what a clear touches; the column's own list has its border, scrollbar and
    tab bar all around its parts)."""

    name: str
    key: tuple   #: (vertex bytes, index bytes, commands)
    geometry: Callable[[bool], np.ndarray | None] | None = None   #: precise? -> cells
    known: dict = field(default_factory=dict)                     #: precise? -> cells, once worked out

    def cells(self, precise: bool = False) -> np.ndarray | None:
        """bool (rows, cols) of CELL-pixel cells, top-left origin; None: it draws nothing."""
        if precise not in self.known:
            self.known[precise] = self.geometry(precise) if self.geometry is not None else None
        return self.known[precise]

    def same_as(self, old: DrawnList) -> None:
        """This frame's list is byte for byte ``old``: its cells are old's."""
        self.known = old.known


class Damage:
    """What was drawn last (name -> list), and the plan for the next panel frame."""

    def __init__(self) -> None:
        self.shown: dict[str, DrawnList] = {}
        self.full = True      #: the next frame draws everything (first frame, a resize, a full clear)

    def invalidate(self) -> None:
        """The window was cleared (or is new): everything is drawn again next time."""
        self.full = True

    def plan(self, lists: Sequence[DrawnList]) -> tuple[list[int], np.ndarray]:
        """The lists to draw (indices into ``lists``, in their order) and the boxes to clear before them
        ((n, 4) x0, y0, x1, y1, pixels, top-left origin)."""
        shown, self.shown = self.shown, {d.name: d for d in lists}
        none = np.zeros((0, 4), np.int64)
        if self.full:
            self.full = False
            return list(range(len(lists))), none
        dirty: np.ndarray | None = None

        def add(cells: np.ndarray | None) -> None:
            nonlocal dirty
            if cells is not None:
                dirty = cells.copy() if dirty is None or dirty.shape != cells.shape else dirty | cells

        names = {d.name for d in lists}
        for name, gone in shown.items():
            if name not in names:
                add(gone.cells())
        redraw: set[int] = set()
        # lists are matched by name: two that swapped places (a window brought to the front) are drawn again,
        # as their stacking changed though their bytes did not
        before = [n for n in shown if n in names]
        now = [d.name for d in lists if d.name in shown]
        moved = {a for a, b in zip(now, before) if a != b}
        for i, d in enumerate(lists):
            old = shown.get(d.name)
            if old is not None and old.key == d.key and d.name not in moved:
                d.same_as(old)
                continue
            redraw.add(i)
            add(_clearing(d))
            add(_clearing(old) if old is not None else None)
        # a list with a pixel in a cleared cell is drawn again, and all its cells cleared: to a fixed point
        grown = dirty is not None
        while grown:
            grown = False
            for i, d in enumerate(lists):   # the box first (cheap), then the triangles (once per list)
                if i not in redraw and _touches(d.cells(), dirty) and _touches(d.cells(precise=True), dirty):
                    redraw.add(i)
                    dirty |= d.cells(precise=True)
                    grown = True
        return sorted(redraw), (none if dirty is None else boxes(dirty))


def _clearing(d: DrawnList) -> np.ndarray | None:
    """The cells a changed list is cleared over: its box, or where its box is most of the window (the
    column's own list: its border, scrollbar and tab bar around all the parts), its triangles' cells.
    Cleared by its box, a scrollbar that moved cleared and redrew every part (8 of 8 lists, 9-12 ms of a
    panel frame on llvmpipe, each time a message or a HUD line came or went: the issue's show, 2026-12-06)."""
    box = d.cells()
    if box is None or box.mean() < PRECISE_SHARE:
        return box
    return d.cells(precise=True)


def _touches(cells: np.ndarray | None, dirty: np.ndarray) -> bool:
    return cells is not None and cells.shape == dirty.shape and bool((cells & dirty).any())


def boxes(cells: np.ndarray) -> np.ndarray:
    """The cells as rectangles, (n, 4) x0, y0, x1, y1 in pixels: one per run of cells in a row (they are
    filled in one draw, so their number hardly matters)."""
    rows = np.flatnonzero(cells.any(axis=1))   # only the rows with cells (np.nonzero is slow on the whole)
    edge = np.zeros((len(rows), 1), np.int8)
    edges = np.diff(np.hstack((edge, cells[rows].view(np.int8), edge)), axis=1)
    r0, c0 = np.nonzero(edges == 1)
    _, c1 = np.nonzero(edges == -1)   # row-major: the ends pair with the starts in order
    r0 = rows[r0]
    return np.stack([c0, r0, c1, r0 + 1], axis=1) * CELL


def describe(draw_list, name: str, size: tuple[int, int], fb_scale: tuple[float, float] = (1.0, 1.0)) -> DrawnList:
    """An ImGui ``ImDrawList`` as a :class:`DrawnList` in a ``size`` (w, h) framebuffer: its bytes as its key; its
    cells (inside its clip rectangles, a pixel of margin for anti-aliased fringes) when they are asked for."""
    vb, ib, cb = draw_list.vtx_buffer, draw_list.idx_buffer, draw_list.cmd_buffer
    nv, ni, nc = vb.size(), ib.size(), cb.size()
    verts = ctypes.string_at(vb.data_address(), nv * VERT_BYTES) if nv else b""
    idx = ctypes.string_at(ib.data_address(), ni * IDX_BYTES) if ni else b""
    cmds = []
    for k in range(nc):
        c = cb[k]
        r = c.clip_rect
        try:
            tex = c.get_tex_id()
        except RuntimeError:   # ImGui's font atlas before the renderer first uploads it: a list never seen before
            tex = object()
        cmds.append((r.x, r.y, r.z, r.w, c.elem_count, c.idx_offset, c.vtx_offset, tex))
    key = (verts, idx, tuple(cmds))   # compared as they are (memcmp), faster than hashing them: 0.3 ms a frame
    if not (nv and ni and any(c[4] for c in cmds)):
        return DrawnList(name, key)
    return DrawnList(name, key,
                     lambda precise: (_cells if precise else _box)(verts, idx, cmds, size, fb_scale))


def _positions(verts: bytes, size: tuple[int, int]) -> tuple[np.ndarray, int, int]:
    """The vertices' (x, y) as (n, 2) float32, and the cell grid's rows and columns for a ``size`` (w, h) window."""
    pos = np.frombuffer(verts, np.float32).reshape(len(verts) // VERT_BYTES, 5)[:, :2]
    return pos, -(-size[1] // CELL), -(-size[0] // CELL)


def _box(verts: bytes, idx: bytes, cmds: list[tuple], size: tuple[int, int],
         fb_scale: tuple[float, float]) -> np.ndarray | None:
    """The cells of the list's vertices' box, inside the union of its clip rectangles."""
    pos, rows, cols = _positions(verts, size)
    used = [c for c in cmds if c[4]]
    lo = np.maximum(pos.min(axis=0) - 1.0, (min(c[0] for c in used), min(c[1] for c in used))) * fb_scale
    hi = np.minimum(pos.max(axis=0) + 1.0, (max(c[2] for c in used), max(c[3] for c in used))) * fb_scale
    cells = np.zeros((rows, cols), bool)
    if (hi > lo).all():
        x0, y0 = (max(0, int(v // CELL)) for v in lo)
        x1, y1 = (int(-(-v // CELL)) for v in hi)
        cells[y0:y1, x0:x1] = True
    return cells if cells.any() else None


def _cells(verts: bytes, idx: bytes, cmds: list[tuple], size: tuple[int, int],
           fb_scale: tuple[float, float]) -> np.ndarray | None:
    """The cells of the list's triangles' boxes, each inside its command's clip rectangle."""
    pos, rows, cols = _positions(verts, size)
    nv = len(pos)
    index = np.frombuffer(idx, np.uint32).astype(np.int64)
    c = np.array([cmd[:7] for cmd in cmds], np.float64).reshape(-1, 7)   # x0 y0 x1 y1 count first base
    count, first, base = c[:, 4].astype(np.int64), c[:, 5].astype(np.int64), c[:, 6].astype(np.int64)
    if (count % 3).any() or (first + count).max(initial=0) > len(index) or \
            (index.max(initial=0) + base.max(initial=0)) >= nv:   # not what ImGui makes: all of it, to be safe
        return np.ones((rows, cols), bool)
    # each command's triangles with its clip rectangle and vertex offset, in one gather
    take = np.concatenate([np.arange(f, f + n) for f, n in zip(first, count) if n]) if count.any() else None
    if take is None:
        return None
    per_tri = np.repeat(np.arange(len(c)), count // 3)
    tri = pos[index[take] + np.repeat(base, count)].reshape(-1, 3, 2)
    clip = c[per_tri, :4]
    lo = np.maximum(tri.min(axis=1) - 1.0, clip[:, :2]) * fb_scale
    hi = np.minimum(tri.max(axis=1) + 1.0, clip[:, 2:]) * fb_scale
    ok = (hi > lo).all(axis=1)
    c0 = np.clip(np.floor(lo[ok] / CELL).astype(np.int64), 0, (cols - 1, rows - 1))
    c1 = np.clip(np.ceil(hi[ok] / CELL).astype(np.int64), 1, (cols, rows))   # exclusive
    cells = np.zeros((rows, cols), bool)
    small = ((c1 - c0) <= 2).all(axis=1)
    # a triangle at most 2 x 2 cells covers the cells of its box's corners; the few larger ones are filled
    a, b = c0[small], c1[small] - 1
    cells[a[:, 1], a[:, 0]] = True
    cells[a[:, 1], b[:, 0]] = True
    cells[b[:, 1], a[:, 0]] = True
    cells[b[:, 1], b[:, 0]] = True
    for (x0, y0), (x1, y1) in zip(c0[~small].tolist(), c1[~small].tolist()):
        cells[y0:y1, x0:x1] = True
    return cells if cells.any() else None
