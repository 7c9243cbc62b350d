"""A clip's look as data, and the pure arithmetic the show does with it (no numpy: the engine uses it).

A frame is described by a GRID x GRID grid of cells; each cell holds the means of ``CHANNELS`` over its
pixels: CIE L*a*b* colour and its squares (so a region's mean and spread pool exactly from its cells),
and the gradient energy in four orientations (the picture's structure: horizon lines, verticals,
diagonals, or none).  A region around any focus is pooled from the cells it overlaps, so a focus
set by hand after import needs no new measurement.

The continuity distance between two regions is a colour term (difference of the mean colours and
spreads, in units of a just-visible step of about ``COLOUR_UNIT``) plus a structure term (how the
gradient energy divides among the orientations, and how much of it there is).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GRID = 4
#: per cell: L, a, b, L^2, a^2, b^2 (L*a*b*, L in 0..100) and gradient energy at 0, 45, 90, 135 degrees
CHANNELS = 10
#: side of the region around a focus, in shares of the frame: what the emerging clip grows over in the
#: first half of a flight (twice its size at a quarter of the screen)
REGION = 0.4
#: CIE76 colour difference counted as one unit of distance (~ a clearly visible difference, not a subtle one)
COLOUR_UNIT = 20.0
#: the structure term's weight against the colour term
STRUCTURE_WEIGHT = 1.0

Descriptor = tuple[float, ...]   #: pooled cells: the CHANNELS means


@dataclass(frozen=True, slots=True)
class ClipLook:
    """What import measured of a clip's picture (see the module docstring)."""

    times: tuple[float, ...]                    #: seconds into the file of each grid
    grids: tuple[tuple[float, ...], ...]        #: per time, GRID*GRID*CHANNELS values, row-major cells
    motion: float = 0.0     #: median speed of the picture, in shares of its width per second
    frame_diff: float = 0.0  #: median mean-absolute luma difference between consecutive frames (0..255)
    loop_diff: float = 0.0   #: the same from its last frame back to its first (a plain loop's jump)

    def grid_at(self, t: float) -> tuple[float, ...]:
        """The grid measured nearest ``t`` (seconds into the file)."""
        i = min(range(len(self.times)), key=lambda k: abs(self.times[k] - t))
        return self.grids[i]

    def around(self, t: float, focus: tuple[float, float], size: float = REGION) -> Descriptor:
        """The pooled description of the square of side ``size`` about ``focus`` (source coordinates) at ``t``."""
        return pool(self.grid_at(t), focus, size)

    def opening(self, focus: tuple[float, float], in_point: float = 0.0, seconds: float = 0.5) -> Descriptor:
        """What the clip shows about its focus in its first ``seconds`` (what emerges first in a flight)."""
        picks = [i for i, t in enumerate(self.times) if in_point - 1e-6 <= t <= in_point + seconds + 1e-6]
        if not picks:
            return self.around(in_point, focus)
        parts = [pool(self.grids[i], focus, REGION) for i in picks]
        return tuple(sum(p[k] for p in parts) / len(parts) for k in range(CHANNELS))

    @property
    def seamless(self) -> bool:
        """Whether a plain loop already joins (its jump no larger than an ordinary frame step, give or take)."""
        return self.loop_diff <= SEAMLESS * max(self.frame_diff, 0.5)


#: a loop point at most this many median frame differences is no jump
SEAMLESS = 1.5


def pool(grid: tuple[float, ...], focus: tuple[float, float], size: float) -> Descriptor:
    """Cells overlapping the square of side ``size`` about ``focus`` (kept inside the frame), weighted by overlap."""
    half = size / 2.0
    cx = min(max(focus[0], half), 1.0 - half)
    cy = min(max(focus[1], half), 1.0 - half)
    x0, x1, y0, y1 = cx - half, cx + half, cy - half, cy + half
    acc = [0.0] * CHANNELS
    total = 0.0
    for r in range(GRID):
        oy = min(y1, (r + 1) / GRID) - max(y0, r / GRID)
        if oy <= 0:
            continue
        for c in range(GRID):
            ox = min(x1, (c + 1) / GRID) - max(x0, c / GRID)
            if ox <= 0:
                continue
            w = ox * oy
            base = (r * GRID + c) * CHANNELS
            for k in range(CHANNELS):
                acc[k] += w * grid[base + k]
            total += w
    return tuple(v / total for v in acc) if total > 0 else tuple(acc)


def _spread(mean: float, square: float) -> float:
    return math.sqrt(max(square - mean * mean, 0.0))


def distance(a: Descriptor, b: Descriptor) -> float:
    """How far picture ``b`` is from continuing picture ``a`` (0: the same; ~1: clearly different)."""
    colour = math.sqrt(sum((a[k] - b[k]) ** 2 for k in range(3)))
    spread = math.sqrt(sum((_spread(a[k], a[k + 3]) - _spread(b[k], b[k + 3])) ** 2 for k in range(3)))
    ea, eb = a[6:10], b[6:10]
    sa, sb = sum(ea), sum(eb)
    shape = 0.5 * sum(abs(x / max(sa, 1e-9) - y / max(sb, 1e-9)) for x, y in zip(ea, eb)) if sa > 0 and sb > 0 else 0.0
    amount = abs(math.log((sa + 1.0) / (sb + 1.0)))
    return (colour + 0.5 * spread) / COLOUR_UNIT + STRUCTURE_WEIGHT * (shape + 0.5 * min(amount, 2.0))


#: median picture speed (shares of the width per second) above which a clip has "strong motion": played
#: backwards it would visibly fly the wrong way, so ``loop = "auto"`` crossfades it instead of ping-ponging
MOTION_STRONG = 0.02


def auto_loop(look: ClipLook | None) -> str:
    """What ``loop = "auto"`` plays: a plain loop where the clip already joins, ping-pong where little moves,
    a crossfade of its tail into its head otherwise (and where it was never measured)."""
    if look is None:
        return "crossfade"
    if look.seamless:
        return "loop"
    return "pingpong" if look.motion < MOTION_STRONG else "crossfade"
