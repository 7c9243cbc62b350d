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


def release_framebuffer(fbo: moderngl.Framebuffer) -> None:
    """Release ``fbo``, first binding the default framebuffer if ``fbo`` is the bound one.

    moderngl remembers the bound framebuffer and binds it back after it creates another; a released one
    there made every later ``ctx.framebuffer()`` raise GL_INVALID_OPERATION and leave the new framebuffer
    bound (after a quality change released the compositor's targets, or a clip texture its own), and a
    mipmap build in that state drew a clip black."""
    ctx = fbo.ctx
    bound = ctx.fbo
    if bound is not None and bound.glo == fbo.glo:
        default = ctx.screen
        if default is None:   # a headless context: bind framebuffer 0 (it has no attachments to query)
            default = ctx.detect_framebuffer(0)
            _ = ctx.error     # that query's GL_INVALID_OPERATION, read and cleared
        default.use()
    fbo.release()
