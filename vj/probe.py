"""What a clip file is (duration, size, codec, colour) and a cache so we ask only once.

Opening 700 clips before a show costs seconds and wakes every disk, so probe results
are cached in ``banks/NAME/.vj/probe.json`` keyed by absolute path + size + mtime_ns:
a fresh entry is trusted without opening the file.  Failures are cached too, so a
known-broken clip is reported again without re-reading it until it changes.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import av

from .fileio import StampedCache

#: File extensions `vj bank import` looks at.
VIDEO_EXTENSIONS = (".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mxf", ".mpg", ".mpeg", ".ts", ".y4m")

CACHE_FORMAT = 1

# FFmpeg's AVColorSpace / AVColorRange values (libavutil/pixfmt.h).
_BT601_SPACES = {4, 5, 6}  # FCC, BT470BG, SMPTE170M
_BT709_SPACES = {1, 7, 9, 10}  # BT709, SMPTE240M (≈709); BT2020 is nearer 709 than 601 for our two-way choice
_RANGE_LIMITED, _RANGE_FULL = 1, 2


@dataclass(frozen=True, slots=True)
class ProbeInfo:
    """Facts about one clip file that the decoder and compositor need before opening it."""

    duration: float  #: seconds
    fps: float
    width: int
    height: int
    codec: str
    pix_fmt: str
    colorspace: str  #: 'bt601' | 'bt709' (YUV->RGB matrix)
    color_range: str  #: 'limited' | 'full'
    frames: int | None  #: from the container header; None when it does not say
    size_bytes: int
    mtime_ns: int

    @property
    def aspect(self) -> float:
        """width / height, as framing takes it (0.0: unknown, taken as the output's)."""
        return self.width / self.height if self.height > 0 else 0.0

    def describe(self) -> str:
        return (f"{self.duration:.2f} s, {self.width}x{self.height} {self.codec} {self.pix_fmt}, "
                f"{self.fps:g} fps, {self.colorspace}/{self.color_range}")


class ProbeError(Exception):
    """A clip that cannot be used; ``reason`` is a sentence, ``fix`` a clause callers may extend."""

    def __init__(self, reason: str, fix: str):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


FIX_DAMAGED = "re-export or re-download the clip (the file is damaged or not a video)"


def colour_of(space: int, crange: int, pix_fmt: str, height: int) -> tuple[str, str]:
    """Map FFmpeg colour tags to ('bt601'|'bt709', 'limited'|'full').

    Untagged video follows the usual convention: HD (height >= 720) is BT.709, SD is
    BT.601; JPEG-range pixel formats (yuvj*) and RGB formats are full range.
    """
    if space in _BT709_SPACES:
        matrix = "bt709"
    elif space in _BT601_SPACES:
        matrix = "bt601"
    else:
        matrix = "bt709" if height >= 720 else "bt601"
    if crange == _RANGE_FULL or pix_fmt.startswith(("yuvj", "rgb", "bgr", "gbr", "argb", "abgr")):
        rng = "full"
    else:
        rng = "limited"
    return matrix, rng


def open_video(path: Path) -> Any:
    try:
        return av.open(str(path), metadata_errors="ignore")
    except FileNotFoundError:
        raise ProbeError("file not found.", "check the path") from None
    except IsADirectoryError:
        raise ProbeError("is a folder, not a video file.", "point 'file' at a video file") from None
    except PermissionError:
        raise ProbeError("permission denied.", "make the file readable (chmod a+r)") from None
    except (av.FFmpegError, OSError) as exc:
        raise ProbeError(f"cannot open as video ({why(exc)}).", FIX_DAMAGED) from None


def why(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.rstrip(".")


def probe(path: Path) -> ProbeInfo:
    """Open ``path`` with PyAV, read its first video stream's facts and decode its first frame."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ProbeError("file not found.", "check the path") from None
    if st.st_size == 0:   # FFmpeg says only "Invalid data found when processing input"
        raise ProbeError("the file is empty (0 bytes): a copy or a download that did not finish.",
                         "copy or download the clip again")
    container = open_video(path)
    with container:
        if not container.streams.video:
            raise ProbeError("has no video stream.", "use a video file (mp4, mov, mkv, webm...)")
        stream = container.streams.video[0]
        cc = stream.codec_context
        try:
            frame = next(container.decode(stream), None)
        except (av.FFmpegError, OSError) as exc:
            raise ProbeError(f"cannot decode its first frame ({why(exc)}).", FIX_DAMAGED) from None
        if frame is None:
            raise ProbeError("contains no decodable frame.", FIX_DAMAGED)
        width, height = frame.width or cc.width, frame.height or cc.height
        pix_fmt = frame.format.name or cc.pix_fmt or "unknown"
        space = frame.colorspace if frame.colorspace not in (2,) else cc.colorspace
        crange = frame.color_range or cc.color_range
        matrix, rng = colour_of(int(space or 2), int(crange or 0), pix_fmt, height)
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        fps = float(rate) if rate else 0.0
        frames = int(stream.frames) if stream.frames else None
        duration = _duration(container, stream, fps, frames)
        if not fps and frames and duration:
            fps = frames / duration
    if not (duration and duration > 0 and math.isfinite(duration)):
        raise ProbeError("its duration cannot be determined.", "remux the clip (ffmpeg -i IN -c copy OUT.mp4)")
    if not fps or fps <= 0:
        raise ProbeError("its frame rate cannot be determined.", "remux the clip (ffmpeg -i IN -c copy OUT.mp4)")
    return ProbeInfo(duration=round(duration, 6), fps=round(fps, 6), width=int(width), height=int(height),
                     codec=cc.name, pix_fmt=pix_fmt, colorspace=matrix, color_range=rng, frames=frames,
                     size_bytes=st.st_size, mtime_ns=st.st_mtime_ns)


def _duration(container: Any, stream: Any, fps: float, frames: int | None) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / av.time_base
    if frames and fps:
        return frames / fps
    # last resort: demux (no decode) to the last packet
    last = None
    for packet in container.demux(stream):
        if packet.pts is not None and packet.time_base:
            end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
            last = end if last is None else max(last, end)
    return last


def decode_check(path: Path, end: float, fps: float) -> str | None:
    """Decode the first frame and frames up to ``end`` seconds; say what fails, or None.

    Catches what a header probe cannot: truncated downloads and damaged data whose
    index still claims the full length.  Seeks to about a second before ``end`` so
    only one GOP is decoded, not the whole clip.
    """
    try:
        container = open_video(path)
    except ProbeError as exc:
        return exc.reason
    tol = max(2.5 / fps if fps else 0.1, 0.1)
    with container:
        if not container.streams.video:
            return "has no video stream."
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        tb = stream.time_base
        start = float(stream.start_time * tb) if stream.start_time is not None and tb else 0.0
        try:
            first = next(container.decode(stream), None)
            if first is None:
                return "contains no decodable frame."
        except (av.FFmpegError, OSError) as exc:
            return f"cannot decode its first frame ({why(exc)})."
        last = first.time - start if first.time is not None else None
        if last is not None and last >= end - tol:
            return None   # a clip of one frame (or shorter than the tolerance): its first frame is its end
        try:
            target = max(0.0, end - 1.0)
            if target > 0 and tb:
                container.seek(int((start + target) / tb), stream=stream, backward=True)
            for frame in container.decode(stream):
                if frame.time is not None:
                    last = frame.time - start
                    if last >= end - tol:
                        return None
        except (av.FFmpegError, OSError) as exc:
            where = f" after {last:.2f} s" if last is not None else ""
            return f"decoding fails near the end{where} ({why(exc)}); the file is probably truncated."
    got = f"{last:.2f} s" if last is not None else "nothing"
    return f"decodes only up to {got} of {end:.2f} s; the file is probably truncated."


class ProbeCache(StampedCache):
    """``probe.json``: ProbeInfo (or the failure) per absolute path, valid while size and mtime match."""

    FORMAT = CACHE_FORMAT
    DUMP = {"indent": 1, "sort_keys": True}  # small, and read by people looking into a bank

    def lookup(self, file: Path, st: os.stat_result) -> ProbeInfo | None:
        """The cached ProbeInfo if fresh; raises the cached ProbeError if the file was known bad."""
        entry = self.fresh(str(file), st)
        if entry is None:
            return None
        if "error" in entry:
            raise ProbeError(entry["error"], entry.get("fix", FIX_DAMAGED))
        try:
            return ProbeInfo(**entry["probe"])
        except (TypeError, KeyError):
            return None

    def get(self, file: Path) -> ProbeInfo:
        """Fresh cache entry or a real probe (then remembered); raises ProbeError."""
        try:
            st = file.stat()
        except FileNotFoundError:
            raise ProbeError("file not found.", "check the path") from None
        except OSError as exc:
            raise ProbeError(f"cannot read it ({why(exc)}).", "check the path and permissions") from None
        cached = self.lookup(file, st)
        if cached is not None:
            return cached
        try:
            info = probe(file)
        except ProbeError as exc:
            self.store(str(file), st.st_size, st.st_mtime_ns, error=exc.reason, fix=exc.fix)
            raise
        self.store(str(file), info.size_bytes, info.mtime_ns, probe=asdict(info))
        return info

    def prune(self, keep: set[Path]) -> None:  # type: ignore[override]
        """Forget files the bank no longer lists, so the cache does not grow forever."""
        super().prune({str(p) for p in keep})
