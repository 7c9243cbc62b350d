"""Load GLSL programs from the repository's ``shaders/`` folder (never strings in Python)."""

from __future__ import annotations

from pathlib import Path

import moderngl

from .. import SHADERS


def shader_source(name: str, directory: Path = SHADERS) -> str:
    path = directory / name
    try:
        return path.read_text()
    except OSError as exc:
        raise FileNotFoundError(f"shader {path} is missing: reinstall vj or restore shaders/{name}") from exc


def load_program(ctx: moderngl.Context, vertex: str, fragment: str, directory: Path = SHADERS) -> moderngl.Program:
    """Compile ``vertex`` + ``fragment`` (file names in ``shaders/``); errors name the file."""
    try:
        return ctx.program(vertex_shader=shader_source(vertex, directory),
                           fragment_shader=shader_source(fragment, directory))
    except moderngl.Error as exc:
        raise RuntimeError(f"compiling shaders/{vertex} + shaders/{fragment} failed: {exc}") from exc
