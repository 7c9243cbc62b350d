"""How a clip's picture sits in its layer: cropped to fill it, letterboxed, or over a blurred copy.

A layer is screen-shaped (``LayerDesc``: its square ``center +- size/2`` in screen coordinates is the
screen's aspect).  A clip of another aspect either fills it and loses its edges (``fill``, the
default), or shows whole with bars (``fit``: black bars; ``blur``: bars filled with a blurred,
enlarged copy of itself).  Focus points are always in the source frame's coordinates (what a
filmstrip shows, what the estimator measures); :class:`Framing` maps them into the layer, and the
compositor maps layer coordinates back into the source with the same numbers.  Pure: no GL.
"""

from __future__ import annotations

from dataclasses import dataclass

#: ``fit`` values of bank.toml, the default first
FITS = ("fill", "fit", "blur")
#: the projector's shape when the output's is not known (a 1920x1080 or 1280x720 output)
DEFAULT_ASPECT = 16.0 / 9.0


@dataclass(frozen=True, slots=True)
class Framing:
    """``layer = offset + scale * source`` per axis (0..1 coordinates, y down)."""

    sx: float = 1.0
    sy: float = 1.0
    ox: float = 0.0
    oy: float = 0.0

    def to_layer(self, p: tuple[float, float]) -> tuple[float, float]:
        """A source point (a focus) in layer coordinates (it may lie outside 0..1 when cropped away)."""
        return (self.ox + self.sx * p[0], self.oy + self.sy * p[1])

    def to_source(self, p: tuple[float, float]) -> tuple[float, float]:
        """A layer point in source coordinates (outside 0..1: in a bar)."""
        return ((p[0] - self.ox) / self.sx, (p[1] - self.oy) / self.sy)

    def visible(self) -> tuple[float, float, float, float]:
        """The part of the source the layer shows: (x0, y0, x1, y1) in source coordinates, clipped to 0..1."""
        x0, y0 = self.to_source((0.0, 0.0))
        x1, y1 = self.to_source((1.0, 1.0))
        return (max(x0, 0.0), max(y0, 0.0), min(x1, 1.0), min(y1, 1.0))

    def uniform(self) -> tuple[float, float, float, float]:
        """(sx, sy, ox, oy), as the compositor's shader takes it."""
        return (self.sx, self.sy, self.ox, self.oy)


IDENTITY = Framing()


def framing(source_aspect: float, output_aspect: float, fit: str = "fill") -> Framing:
    """Where a source of ``source_aspect`` (width / height; 0: unknown, taken as the output's) goes in a layer
    of ``output_aspect``.  ``fill`` crops the source's longer side; ``fit`` and ``blur`` shrink it inside."""
    if source_aspect <= 0 or output_aspect <= 0 or abs(source_aspect - output_aspect) < 1e-6:
        return IDENTITY
    r = source_aspect / output_aspect   # > 1: the source is wider than the layer
    if fit == "fill":   # the long axis magnified until the short one fills: its ends are cropped away
        return Framing(r, 1.0, (1.0 - r) / 2.0, 0.0) if r > 1 else Framing(1.0, 1.0 / r, 0.0, (1.0 - 1.0 / r) / 2.0)
    # fit, blur: the short axis shrunk until the long one fits: bars on its sides
    return Framing(1.0, 1.0 / r, 0.0, (1.0 - 1.0 / r) / 2.0) if r > 1 else Framing(r, 1.0, (1.0 - r) / 2.0, 0.0)


def fill_shown(source_aspect: float, output_aspect: float = DEFAULT_ASPECT) -> float:
    """The share of a source's picture that ``fill`` shows (1.0: all of it; a 4:3 clip on 16:9: 0.75,
    a portrait 9:16 phone clip: 0.32): the area of the part :func:`cover` keeps."""
    x0, y0, x1, y1 = cover(source_aspect, output_aspect).visible()
    return (x1 - x0) * (y1 - y0)


def cover(source_aspect: float, output_aspect: float) -> Framing:
    """The ``fill`` framing: what ``blur`` draws (blurred) in its bars."""
    return framing(source_aspect, output_aspect, "fill")
