"""The three things a show does with ISF files: filter its picture, transition between two, generate one.

:func:`load_isf` gives the right one for a file's kind; :func:`load_isf_dir` loads a
folder and hands back what failed as located problems instead of raising, because
one bad file from the internet must not take the others (or the show) down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import moderngl

from ..errors import Problem
from .host import IsfShader
from .images import IsfAudio
from .spec import IsfError, parse_isf


class IsfFilter(IsfShader):
    """An effect on a picture (an ISF file with an ``inputImage``)."""

    def apply(self, image: moderngl.Texture, time: float, values: Mapping[str, Any] | None = None,
              audio: IsfAudio | None = None, images: Mapping[str, moderngl.Texture] | None = None,
              date=None) -> moderngl.Texture:
        """``image`` through the effect at show time ``time``; other image inputs in ``images``."""
        return self.render(time, values, {**(images or {}), "inputImage": image}, audio, date)


class IsfTransition(IsfShader):
    """A transition from ``startImage`` to ``endImage`` as ``progress`` goes 0 -> 1."""

    def blend(self, start: moderngl.Texture, end: moderngl.Texture, progress: float, time: float,
              values: Mapping[str, Any] | None = None, audio: IsfAudio | None = None, date=None,
              images: Mapping[str, moderngl.Texture] | None = None) -> moderngl.Texture:
        """``start`` into ``end`` at ``progress``; other image inputs in ``images``."""
        vals = dict(values or {})
        vals["progress"] = progress
        return self.render(time, vals, {**(images or {}), "startImage": start, "endImage": end}, audio, date)


class IsfGenerator(IsfShader):
    """A picture made from nothing but time, values and audio."""

    def generate(self, time: float, values: Mapping[str, Any] | None = None, audio: IsfAudio | None = None,
                 images: Mapping[str, moderngl.Texture] | None = None, date=None) -> moderngl.Texture:
        return self.render(time, values, images, audio, date)


_BY_KIND = {"filter": IsfFilter, "transition": IsfTransition, "generator": IsfGenerator}


def load_isf(ctx: moderngl.Context, path: Path | str, size: tuple[int, int] = (1280, 720)) -> IsfShader:
    """Parse and compile ``path`` as an :class:`IsfFilter`, :class:`IsfTransition` or :class:`IsfGenerator`.

    Raises :class:`~vj.isf.spec.IsfError` whose problems name the file, the ISF line and the fix.
    """
    spec = parse_isf(path)
    return _BY_KIND[spec.kind](ctx, spec, size)


def load_isf_dir(ctx: moderngl.Context, directory: Path | str, size: tuple[int, int] = (1280, 720)
                 ) -> tuple[dict[str, IsfShader], list[Problem]]:
    """Every ``*.fs`` in ``directory`` (by file stem), and the problems of those left out."""
    shaders: dict[str, IsfShader] = {}
    problems: list[Problem] = []
    for path in sorted(Path(directory).glob("*.fs")):
        try:
            shaders[path.stem] = load_isf(ctx, path, size)
        except IsfError as exc:
            problems.extend(p for p in exc.problems if isinstance(p, Problem))
    return shaders, problems
