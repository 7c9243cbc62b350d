"""GL contexts.  The renderer draws into its own framebuffers, whatever the context came from."""

from __future__ import annotations

import os

import moderngl

#: the fewest rasteriser threads Mesa's llvmpipe (software GL) is given; its default is one per core.  On a
#: 2-core machine the frame thread, the decoders and Xvfb preempt one of its two workers, and the frame waits
#: for that worker's tiles; with more workers than cores the tiles go to whichever runs.  `vj play` at
#: 1280x720/60 with the panel, under Xvfb (2 shared cores, 2026-12-05, 30 s runs): dropped 14.7 / 11.1 %
#: with 2 workers, 7.7-9.5 % with 3, 7.3-8.5 % with 4, 5.9-8.5 % with 6, 8.3 % with 8; 1 worker 34-37 %.
SOFTWARE_GL_MIN_THREADS = 4


def software_gl_threads() -> None:
    """Give llvmpipe at least ``SOFTWARE_GL_MIN_THREADS`` workers (unless the user set ``LP_NUM_THREADS``).
    Called before any GL context exists: Mesa reads it when it creates its screen.  A GPU driver ignores it."""
    if "LP_NUM_THREADS" not in os.environ:
        os.environ["LP_NUM_THREADS"] = str(max(SOFTWARE_GL_MIN_THREADS, os.cpu_count() or 1))


def headless_context() -> moderngl.Context:
    """A standalone GL context through EGL: Mesa llvmpipe without a GPU, the driver's GPU with one."""
    software_gl_threads()
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
