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


def with_defines(source: str, defines: dict[str, int | float | str] | None) -> str:
    """Insert ``#define`` lines right after the ``#version`` line (shader variants)."""
    if not defines:
        return source
    head, sep, rest = source.partition("\n")
    if not head.startswith("#version"):
        head, sep, rest = "", "", source
    lines = "".join(f"#define {k} {v}\n" for k, v in sorted(defines.items()))
    return f"{head}{sep}{lines}{rest}"


def load_program(ctx: moderngl.Context, vertex: str, fragment: str, directory: Path = SHADERS,
                 defines: dict[str, int | float | str] | None = None) -> moderngl.Program:
    """Compile ``vertex`` + ``fragment`` (file names in ``shaders/``) with optional #defines; errors name the file."""
    try:
        return ctx.program(vertex_shader=with_defines(shader_source(vertex, directory), defines),
                           fragment_shader=with_defines(shader_source(fragment, directory), defines))
    except moderngl.Error as exc:
        raise RuntimeError(f"compiling shaders/{vertex} + shaders/{fragment} failed: {exc}") from exc
