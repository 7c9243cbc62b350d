"""Filmstrip previews: a clip's first seconds as one small PNG, for browsing a bank.

A VJ picks clips by look, not by file name.  A clip of another shape than the screen is shown as its
``fit`` frames it on a 16:9 screen: ``fill`` marks the part the screen shows (the rest dimmed, a line on
the edge), ``fit`` draws each frame screen-shaped with the whole picture between black bars (a line on
the picture's edge), ``blur`` draws the whole picture over its blurred, darkened fill as the compositor does.
(Before, every strip marked the fill crop, and a blur clip's strip was mostly dimmed.)  The framing is in
the file's name (:func:`preview_name`), so a clip whose fit changed never shows the old strip.
One row of frames from the first ~2 s shows both the image and the motion, and at ~96 px high 700 of
them stay small.  PNG is written with PyAV's own png encoder (vj.fileio).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import av
import numpy as np

from .engine.framing import DEFAULT_ASPECT, IDENTITY, cover, framing
from .fileio import write_png
from .probe import FIX_DAMAGED, ProbeError, open_video, why

FRAMES = 6
SPAN = 2.0  # seconds of the clip's start that the strip covers
HEIGHT = 96
GAP = 2  # dark pixels between frames


def filmstrip_frames(path: Path, *, frames: int = FRAMES, span: float = SPAN, height: int = HEIGHT,
                     start: float = 0.0) -> list[np.ndarray]:
    """Decode the clip from ``start`` and return ``frames`` RGB arrays ``height`` px high, evenly over ``span`` s.

    Decodes sequentially (no seeking: AI clips often have one keyframe per clip, so a
    seek would decode the same frames anyway) and stops once the span is covered.
    """
    container = open_video(path)
    picked: list[np.ndarray] = []
    with container:
        if not container.streams.video:
            raise ProbeError("has no video stream.", "use a video file (mp4, mov, mkv, webm...)")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        t0 = float(stream.start_time * stream.time_base) if stream.start_time is not None and stream.time_base else 0.0
        targets = [start + span * i / frames for i in range(frames)]
        sar = stream.sample_aspect_ratio or stream.codec_context.sample_aspect_ratio
        width = None
        try:
            if start > 0 and stream.time_base:
                container.seek(int((t0 + start) / stream.time_base), stream=stream, backward=True)
            for frame in container.decode(stream):
                t = (frame.time or 0.0) - t0
                if t + 1e-6 < start:
                    continue
                hits = 0
                while targets and t + 1e-6 >= targets[0]:
                    targets.pop(0)
                    hits += 1
                if hits:
                    if width is None:
                        display = frame.width * (float(sar) if sar else 1.0)
                        width = max(2, round(display * height / frame.height))
                    rgb = frame.reformat(width=width, height=height, format="rgb24").to_ndarray()
                    picked.extend([rgb] * hits)
                if not targets:
                    break
        except (av.FFmpegError, OSError) as exc:
            if not picked:
                raise ProbeError(f"cannot decode frames for its preview ({why(exc)}).", FIX_DAMAGED) from None
    if not picked:
        raise ProbeError("contains no decodable frame.", FIX_DAMAGED)
    while len(picked) < frames:  # clip shorter than the span: repeat its last frame
        picked.append(picked[-1])
    return picked


#: outside the part of the frame a 16:9 screen shows with ``fit = "fill"``, the strip is dimmed to this
DIM = 0.45
MARK = (255, 200, 40)  #: the line at the crop's edge


def mark_crop(rgb: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """``rgb`` with what lies outside ``box`` (x0, y0, x1, y1 in 0..1 of the frame) dimmed and a line on its
    edge: the part the screen shows, so a focus picked from a strip is picked in the frame that plays."""
    h, w = rgb.shape[:2]
    x0, x1 = int(round(box[0] * w)), int(round(box[2] * w))
    y0, y1 = int(round(box[1] * h)), int(round(box[3] * h))
    if (x0, y0, x1, y1) == (0, 0, w, h):
        return rgb
    out = (rgb.astype(np.float32) * DIM).astype(np.uint8)
    out[y0:y1, x0:x1] = rgb[y0:y1, x0:x1]
    for x in {max(x0 - 1, 0), min(x1, w - 1)} if (x0, x1) != (0, w) else ():
        out[y0:y1, x] = MARK
    for y in {max(y0 - 1, 0), min(y1, h - 1)} if (y0, y1) != (0, h) else ():
        out[y, x0:x1] = MARK
    return out


#: the ``blur`` bars: the fill crop shrunk to this many pixels across and enlarged again, darkened by BLUR_DARK
#: (the compositor reads a mip level about 24 texels wide, four taps, times 0.6: shaders/zoom.frag ``blurred``)
BLUR_PX = 24
BLUR_DARK = 0.6
#: the ``fit`` bars: black with a faint diagonal line every HATCH_EVERY px (grey HATCH; the gap between frames is 16)
HATCH_EVERY = 6
HATCH = 40


def preview_name(cid: str, fit: str, aspect: float, screen: float = DEFAULT_ASPECT) -> str:
    """The strip's file name in ``.vj/previews``: ``ID.png`` where the clip fills the screen (its fit is
    ``fill``, or it has the screen's shape), else ``ID@FIT.png``.  The framing is part of the cache key: a
    clip whose fit changes in bank.toml asks for another file, never the strip of its old framing."""
    if fit == "fill" or framing(aspect, screen, fit) == IDENTITY:
        return f"{cid}.png"
    return f"{cid}@{fit}.png"     # '@' is never in an id (ID_RE), so no clip's strip can be taken for another's


def _resize(rgb: np.ndarray, w: int, h: int) -> np.ndarray:
    import cv2   # OpenCV loads only for a framed strip (it is a dependency already: focus, looks, thumbnails)
    if rgb.shape[1] == w and rgb.shape[0] == h:
        return rgb
    shrink = w < rgb.shape[1] or h < rgb.shape[0]
    return cv2.resize(rgb, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def frame_on_screen(rgb: np.ndarray, fit: str, screen: float = DEFAULT_ASPECT, aspect: float = 0.0) -> np.ndarray:
    """One strip frame as a ``fit`` or ``blur`` clip meets a ``screen``-shaped output: screen-shaped, as high as
    ``rgb``, the whole picture where :func:`~vj.engine.framing.framing` puts it, black bars with a line on the
    picture's edge (``fit``) or its blurred, darkened fill (``blur``) around it.  ``fill``: :func:`mark_crop`.
    ``aspect``: the clip's as the engine frames it (the probe's width / height; 0: the frame's own)."""
    h, w = rgb.shape[:2]
    aspect = aspect or w / h
    if fit == "fill":
        return mark_crop(rgb, framing(aspect, screen, "fill").visible())
    f = framing(aspect, screen, fit)
    if f == IDENTITY:
        return rgb
    sw = max(2, int(round(h * screen)))
    x0, y0 = int(round(f.ox * sw)), int(round(f.oy * h))
    x1, y1 = int(round((f.ox + f.sx) * sw)), int(round((f.oy + f.sy) * h))
    if fit == "blur":
        cx0, cy0, cx1, cy1 = cover(aspect, screen).visible()   # what the compositor enlarges into the bars
        crop = rgb[int(round(cy0 * h)):max(int(round(cy1 * h)), 1), int(round(cx0 * w)):max(int(round(cx1 * w)), 1)]
        small = _resize(crop, BLUR_PX, max(1, int(round(BLUR_PX / screen))))
        out = (_resize(small, sw, h).astype(np.float32) * BLUR_DARK).astype(np.uint8)
    else:   # black, as the audience sees it, hatched so the bars read as bars (not a dark picture, not the gap)
        out = np.zeros((h, sw, 3), np.uint8)
        yy, xx = np.mgrid[0:h, 0:sw]
        out[(xx + yy) % HATCH_EVERY == 0] = HATCH
    out[y0:y1, x0:x1] = _resize(rgb, x1 - x0, y1 - y0)
    if fit == "fit":   # the line just outside the picture, in the bar: the picture's pixels stay whole
        for x in {x0 - 1, x1} & set(range(sw)):
            out[y0:y1, x] = MARK
        for y in {y0 - 1, y1} & set(range(h)):
            out[y, x0:x1] = MARK
    return out


def strip_copy(strip: Path, folder: Path) -> Path:
    """``strip`` copied into ``folder`` (a rehearsal report's thumbnails of one bank) under its own name: the
    framing is in it, so a clip whose fit changed gets its new strip there, not the copy of its old one (the
    copy was named by clip id, and made only once)."""
    dest = folder / strip.name
    if not dest.exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(strip, dest)
    return dest


def tile(images: list[np.ndarray], gap: int = GAP) -> np.ndarray:
    """Lay equal-height RGB images out in one row with a dark gap between them."""
    h = images[0].shape[0]
    total = sum(im.shape[1] for im in images) + gap * (len(images) - 1)
    out = np.full((h, total, 3), 16, np.uint8)
    x = 0
    for im in images:
        out[:, x:x + im.shape[1]] = im
        x += im.shape[1] + gap
    return out


def write_filmstrip(clip: Path, dest: Path, *, start: float = 0.0, fit: str | None = None,
                    screen: float = DEFAULT_ASPECT, aspect: float = 0.0, **kw: object) -> Path:
    """Render ``clip``'s filmstrip to ``dest`` (written atomically), each frame as ``fit`` meets a ``screen``-shaped
    output (:func:`frame_on_screen`; None: the frames as decoded); raises ProbeError."""
    frames = filmstrip_frames(clip, start=start, **kw)  # type: ignore[arg-type]
    if fit is not None:
        frames = [frame_on_screen(f, fit, screen, aspect) for f in frames]
    return write_png(dest, tile(frames))
