"""GL contexts.  The renderer draws into its own framebuffers, whatever the context came from."""

from __future__ import annotations

import moderngl


def headless_context() -> moderngl.Context:
    """A standalone GL context through EGL: Mesa llvmpipe without a GPU, the driver's GPU with one."""
    try:
        return moderngl.create_standalone_context(backend="egl")
    except Exception as exc:  # glcontext raises plain Exceptions
        raise RuntimeError(
            f"cannot create a headless GL context through EGL ({exc}). "
            "Fix: install Mesa's EGL (`sudo apt-get install libegl1 libegl-mesa0 libgl1-mesa-dri`) or run `make setup`."
        ) from exc


def gl_info(ctx: moderngl.Context) -> str:
    return f"{ctx.info.get('GL_RENDERER', '?')} (GL {ctx.version_code})"
