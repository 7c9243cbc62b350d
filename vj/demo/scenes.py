"""Procedural demo clips: forward flights rendered by our own shaders and written as real H.264 MP4s.

No AI clips ship with vj, so `vj bank demo` makes a bank from these scenes.  Each one is a camera
flying forward toward a vanishing point away from the frame's centre (vj zooms toward a clip's
focus, so the bank needs varied focus points), and each loops: the camera flies a whole number of
the scene's repeat lengths per clip, so the frame after the last equals the first.

Files are deterministic (one x264 thread, fixed timestamps, bitexact muxing): the same arguments
give the same bytes on the same machine (another GL driver may round pixels differently).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import moderngl
import numpy as np
from av.video.reformatter import ColorRange, Colorspace, Interpolation, VideoReformatter

from .. import SHADERS
from ..gfx.context import release_framebuffer

SCENE_SHADERS = SHADERS / "scenes"


@dataclass(frozen=True, slots=True)
class DemoClip:
    """What the bank records about a rendered clip (the fields of a bank entry)."""

    file: str                    #: file name written in dest, e.g. "tunnel.mp4"
    prompt: str                  #: a text-to-video style prompt describing it
    tags: tuple[str, ...]
    focus: tuple[float, float]   #: vanishing point, image coordinates (0..1, y down)
    energy: float                #: 0..1, how busy/intense it is


@dataclass(frozen=True, slots=True)
class SceneSpec:
    """A scene's shader and motion.  ``speed`` is nominal: it is rounded so a clip flies a whole
    number of ``period`` lengths, which makes every clip length loop seamlessly."""

    prompt: str
    tags: tuple[str, ...]
    focus: tuple[float, float]
    energy: float
    speed: float    #: world units per second
    period: float   #: the scene repeats along z every `period` units

    def travel(self, seconds: float) -> float:
        """World units flown in a clip of ``seconds``: the nearest whole number of periods (at least 1)."""
        return max(1, round(self.speed * seconds / self.period)) * self.period


SPECS: dict[str, SceneSpec] = {
    "tunnel": SceneSpec(
        "flying fast through an endless neon tunnel of dark sci-fi panels with glowing seams and lit windows, "
        "warm light rings rushing past, blinding white core ahead, cinematic, synthwave colours",
        ("tunnel", "neon", "sci-fi", "geometric"), (0.45, 0.52), 0.7, speed=7.0, period=8.0),
    "warp": SceneSpec(
        "hyperspace jump, streaking stars rushing past the camera toward a glowing warp point, violet and teal "
        "nebula, motion blur, epic space travel",
        ("space", "stars", "warp", "fast"), (0.58, 0.45), 0.9, speed=9.0, period=4.0),
    "synthwave": SceneSpec(
        "retro synthwave drive down a neon grid road at night toward a huge striped sunset sun, wireframe "
        "mountains, city skyline on the horizon, light posts flashing by, 80s outrun aesthetic",
        ("synthwave", "retro", "grid", "road", "city", "sunset"), (0.5, 0.42), 0.6, speed=6.0, period=4.0),
    "clouds": SceneSpec(
        "smooth flight between layers of golden sunset clouds, a sea of cumulus below and thin cirrus above, "
        "gliding toward the low sun on the horizon, dreamy, volumetric light",
        ("clouds", "sky", "sunset", "calm"), (0.38, 0.48), 0.2, speed=1.6, period=4.0),
    "corridor": SceneSpec(
        "walking camera gliding down a long clean sci-fi spaceship corridor, ceiling light strips, panelled "
        "walls with indicator lights, glowing teal and orange door frames passing by, glossy floor",
        ("corridor", "sci-fi", "interior", "architecture"), (0.56, 0.55), 0.5, speed=3.5, period=8.0),
    "ocean": SceneSpec(
        "drone skimming low over a rolling ocean at sunset toward the sun on the horizon, golden glitter "
        "path on the waves, streaks of pink cloud, serene, cinematic",
        ("ocean", "water", "sunset", "nature", "calm"), (0.62, 0.44), 0.3, speed=1.4, period=1.0),
    "kaleido": SceneSpec(
        "diving through an infinite kaleidoscope tunnel of mirrored psychedelic fractal patterns, colours "
        "cycling through the rainbow, hypnotic, glowing centre",
        ("kaleidoscope", "fractal", "psychedelic", "tunnel"), (0.5, 0.5), 0.85, speed=2.0, period=4.0),
    "portals": SceneSpec(
        "flying through a winding procession of glowing neon portal rings, triangles hexagons and circles "
        "slowly turning, dark void with a faint lattice of light, futuristic",
        ("portals", "rings", "neon", "geometric", "abstract"), (0.4, 0.58), 0.75, speed=4.0, period=2.0),
    "pillars": SceneSpec(
        "gliding low through a dark forest of tall glowing pillars ringed with light bands, mist on a glossy "
        "floor, green and violet aurora in the night sky, mysterious, atmospheric",
        ("pillars", "forest", "night", "mysterious", "architecture"), (0.54, 0.44), 0.45, speed=2.5, period=1.6),
}

SCENES: tuple[str, ...] = tuple(SPECS)

#: FFmpeg colour tags per matrix name: (colorspace, primaries, transfer).  bt601 is SMPTE 170M (NTSC).
_TAGS = {"bt709": (1, 1, 1), "bt601": (6, 6, 6)}
_SWS = {"bt709": Colorspace.ITU709, "bt601": Colorspace.ITU601}
_RANGE_LIMITED = 1  # AVCOL_RANGE_MPEG


class SceneRenderer:
    """One headless GL context and one framebuffer of ``size``; compiles each scene once."""

    def __init__(self, size: tuple[int, int], ctx: moderngl.Context | None = None):
        self.size = (int(size[0]), int(size[1]))
        self._own_ctx = ctx is None
        if ctx is None:
            from ..gfx.context import headless_context
            ctx = headless_context()
        self.ctx = ctx
        self.fbo = ctx.framebuffer(color_attachments=[ctx.renderbuffer(self.size, 4)])
        self._programs: dict[str, tuple[moderngl.Program, moderngl.VertexArray]] = {}

    def _program(self, name: str) -> tuple[moderngl.Program, moderngl.VertexArray]:
        if name not in self._programs:
            if name not in SPECS:
                raise ValueError(f"unknown demo scene {name!r}; expected one of {', '.join(SCENES)}")
            vert = (SCENE_SHADERS / "scene.vert").read_text()
            frag = (SCENE_SHADERS / "common.glsl").read_text() + "\n#line 1 1\n" + (SCENE_SHADERS / f"{name}.glsl").read_text()
            try:
                prog = self.ctx.program(vertex_shader=vert, fragment_shader=frag)
            except moderngl.Error as exc:
                raise RuntimeError(f"compiling shaders/scenes/{name}.glsl (after common.glsl) failed: {exc}") from exc
            self._programs[name] = (prog, self.ctx.vertex_array(prog, []))
        return self._programs[name]

    def frames(self, name: str, seconds: float, fps: int) -> Iterator[np.ndarray]:
        """RGBA uint8 frames (rows top-down) of one loop of ``name``: frame n would equal frame 0."""
        prog, vao = self._program(name)
        spec = SPECS[name]
        n = frame_count(seconds, fps)
        w, h = self.size
        uniforms = {"u_res": (float(w), float(h)), "u_focus": spec.focus, "u_travel": spec.travel(n / fps),
                    "u_duration": n / fps}
        for key, value in uniforms.items():
            if key in prog:  # the compiler drops uniforms a scene does not use
                prog[key].value = value
        self.fbo.use()
        for i in range(n):
            prog["u_phase"].value = i / n
            vao.render(moderngl.TRIANGLES, vertices=3)
            yield np.frombuffer(self.fbo.read(components=4), np.uint8).reshape(h, w, 4)

    def release(self) -> None:
        for prog, vao in self._programs.values():
            vao.release()
            prog.release()
        self._programs.clear()
        release_framebuffer(self.fbo)
        if self._own_ctx:
            self.ctx.release()

    def __enter__(self) -> SceneRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def frame_count(seconds: float, fps: int) -> int:
    """Frames in a clip of ``seconds`` (at least one)."""
    return max(1, round(seconds * fps))


class ClipEncoder:
    """RGBA frames in, a tagged limited-range H.264 MP4 out (deterministic bytes)."""

    def __init__(self, path: Path, size: tuple[int, int], fps: int, colorspace: str = "bt709", crf: int = 20):
        if colorspace not in _TAGS:
            raise ValueError(f"unknown colorspace {colorspace!r}; expected 'bt601' or 'bt709'")
        self.size, self.fps, self.colorspace = size, fps, colorspace
        path.parent.mkdir(parents=True, exist_ok=True)
        # bitexact: no muxer version string or dates in the file, so bytes depend only on the pixels
        # (and on the x264 build, which signs the stream)
        self.container = av.open(str(path), "w", format="mp4", options={"fflags": "+bitexact"})
        stream = self.container.add_stream("libx264", rate=Fraction(fps, 1))
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        # one thread: x264's output then depends on nothing but the input; keyframe every second
        # so a player can start a clip anywhere cheaply
        stream.options = {"crf": str(crf), "preset": "superfast", "threads": "1", "g": str(fps),
                          "flags": "+bitexact"}
        cs, prim, trc = _TAGS[colorspace]
        cc = stream.codec_context
        cc.colorspace, cc.color_primaries, cc.color_trc, cc.color_range = cs, prim, trc, _RANGE_LIMITED
        self.stream = stream
        self.reformatter = VideoReformatter()
        self.frames = 0

    def write(self, rgba: np.ndarray) -> None:
        frame = av.VideoFrame.from_ndarray(rgba, format="rgba")
        yuv = self.reformatter.reformat(
            frame, format="yuv420p", src_colorspace=_SWS[self.colorspace], dst_colorspace=_SWS[self.colorspace],
            src_color_range=ColorRange.JPEG, dst_color_range=ColorRange.MPEG,
            interpolation=Interpolation.BILINEAR | Interpolation.ACCURATE_RND | Interpolation.BITEXACT, threads=1)
        cs, prim, trc = _TAGS[self.colorspace]
        yuv.colorspace, yuv.color_range = cs, _RANGE_LIMITED
        yuv.pts, yuv.time_base = self.frames, Fraction(1, self.fps)
        for packet in self.stream.encode(yuv):
            self.container.mux(packet)
        self.frames += 1

    def close(self) -> None:
        for packet in self.stream.encode():
            self.container.mux(packet)
        self.container.close()

    def __enter__(self) -> ClipEncoder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _demo_clip(name: str, file: str) -> DemoClip:
    s = SPECS[name]
    return DemoClip(file=file, prompt=s.prompt, tags=s.tags, focus=s.focus, energy=s.energy)


def render_scene(name: str, out_path: Path, *, size: tuple[int, int] = (640, 360), seconds: float = 6.0,
                 fps: int = 30, colorspace: str = "bt709", renderer: SceneRenderer | None = None) -> DemoClip:
    """Render one looping scene to ``out_path`` (H.264 MP4, yuv420p, tagged ``colorspace``, limited range)."""
    if name not in SPECS:
        raise ValueError(f"unknown demo scene {name!r}; expected one of {', '.join(SCENES)}")
    if size[0] % 2 or size[1] % 2:
        raise ValueError(f"size {size[0]}x{size[1]} must be even in both dimensions (yuv420p)")
    if renderer is not None and renderer.size != (int(size[0]), int(size[1])):
        raise ValueError(f"the renderer draws {renderer.size[0]}x{renderer.size[1]}, not {size[0]}x{size[1]}")
    out_path = Path(out_path)
    own = renderer is None
    r = SceneRenderer(size) if renderer is None else renderer
    try:
        # x264 and swscale run without the GIL: encoding frame k on a worker thread while the GL
        # driver renders frame k+1 keeps a second core busy.  One worker keeps the frame order.
        with ClipEncoder(out_path, r.size, fps, colorspace) as enc, \
                ThreadPoolExecutor(1, thread_name_prefix="vj-demo-encode") as pool:
            pending: deque[Future[None]] = deque()
            for rgba in r.frames(name, seconds, fps):
                pending.append(pool.submit(enc.write, rgba))
                if len(pending) > 2:
                    pending.popleft().result()
            for job in pending:
                job.result()
    finally:
        if own:
            r.release()
    return _demo_clip(name, out_path.name)


def render_demo_clips(dest: Path, *, size: tuple[int, int] = (640, 360), seconds: float = 6.0, fps: int = 30,
                      progress: Callable[[int, int], None] | None = None) -> list[DemoClip]:
    """Render every scene into ``dest`` as ``<scene>.mp4`` (one GL context for all); returns their metadata."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    clips: list[DemoClip] = []
    with SceneRenderer(size) as renderer:
        for i, name in enumerate(SCENES):
            if progress is not None:
                progress(i, len(SCENES))
            clips.append(render_scene(name, dest / f"{name}.mp4", size=size, seconds=seconds, fps=fps,
                                      renderer=renderer))
    if progress is not None:
        progress(len(SCENES), len(SCENES))
    return clips
