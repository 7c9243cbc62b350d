"""A decode thread per active clip, always a few frames ahead of the player.

PyAV releases the GIL while decoding, so each clip's thread runs beside the render
loop.  Frames come out as YUV planes (no swscale for 4:2:0 sources).  The thread
plays the clip's loop mode itself (loop, ping-pong, hold) and stamps each frame with
its unwrapped playback time; the player only asks "what is on screen at play time t".
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import ColorRange, Colorspace, VideoReformatter

from .failure import failure_words
from .frames import YuvFrame

DIRECT_FORMATS = {"yuv420p": "limited", "yuvj420p": "full"}
#: ping-pong keeps one pass of decoded frames in memory; past this many bytes it falls back to loop
PINGPONG_MAX_BYTES = 256 * 1024 * 1024
#: a crossfade keeps its head's frames (0.5 s: 15 frames, 47 MB at 1080p); past this it blends a shorter window
CROSSFADE_MAX_BYTES = 64 * 1024 * 1024


def blend(a: YuvFrame, b: YuvFrame, w: float, play_time: float, serial: int) -> YuvFrame:
    """``a`` faded into ``b`` by ``w`` (0: a, 1: b), plane by plane: YUV is an affine image of RGB, so
    blending the planes is blending the pictures."""
    planes = tuple(np.clip(pa.astype(np.float32) * (1.0 - w) + pb.astype(np.float32) * w + 0.5, 0, 255).astype(np.uint8)
                   for pa, pb in zip(a.planes, b.planes))
    return YuvFrame(play_time, a.media_time, a.width, a.height, planes, a.colorspace, a.color_range, serial)


@dataclass(frozen=True, slots=True)
class DecodeSpec:
    """What to decode: a file, its in/out points (seconds) and loop mode, its colour tags."""

    path: Path
    in_point: float = 0.0
    out_point: float | None = None
    loop: str = "loop"                #: as played: loop, crossfade, pingpong or hold
    crossfade: float = 0.0            #: seconds of tail blended into the head (loop "crossfade")
    end: float | None = None          #: where a pass ends (the out point, else the file's duration): the
                                      #: crossfade must know where the tail begins before it gets there
    colorspace: str | None = None     #: 'bt601' | 'bt709'; None: from the file, else by height
    color_range: str | None = None    #: 'limited' | 'full'; None: from the pixel format
    threads: int = 2
    #: media time the clip should reach (its out point, else the probed duration): a pass that ends well
    #: before it is a file cut short, said once in :attr:`ClipDecoder.note` (None: not checked)
    expect_end: float | None = None


def _frame_planes(frame: av.VideoFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    planes = []
    for i, plane in enumerate(frame.planes[:3]):
        rows = frame.height if i == 0 else (frame.height + 1) // 2
        arr = np.frombuffer(plane, dtype=np.uint8)
        planes.append(arr[: rows * plane.line_size].reshape(rows, plane.line_size))
    return planes[0], planes[1], planes[2]


class ClipDecoder:
    """Decodes one clip into a bounded queue from its own thread.

    ``frame_at(play_time, wait)`` returns the frame on screen at that time.  With
    ``wait`` (offline rendering) it blocks until that frame is decoded, which makes
    rendering deterministic; without it (live) it never blocks and returns the best
    frame available.
    """

    def __init__(self, spec: DecodeSpec, *, queue_size: int = 6, name: str = ""):
        self.spec = spec
        self.name = name or spec.path.name
        self.error: str | None = None
        self.note: str | None = None   #: a non-fatal remark for the performer (e.g. ping-pong fell back to loop)
        self.finished = False          # no more frames will come (hold reached its end, or error)
        self.frames_decoded = 0
        self._decoded_s = 0.0          #: media seconds decoded past the in-point (for the failure message)
        self._queue: deque[YuvFrame] = deque()
        self._cap = max(2, queue_size)
        self._cond = threading.Condition()
        self._stop = False
        self._current: YuvFrame | None = None
        self._reformatter = VideoReformatter()
        self._thread = threading.Thread(target=self._run, name=f"decode:{self.name}", daemon=True)
        self._thread.start()

    # -- consumer side ------------------------------------------------------------
    @property
    def failed(self) -> str | None:
        """The decode error, once every frame decoded before it has been shown (a deterministic moment)."""
        with self._cond:
            return self.error if not self._queue else None

    def frame_at(self, play_time: float, wait: bool = False, timeout: float = 10.0) -> YuvFrame | None:
        eps = 1e-6
        with self._cond:
            while True:
                while self._queue and self._queue[0].play_time <= play_time + eps:
                    self._current = self._queue.popleft()
                    self._cond.notify_all()
                if self._current is None and self._queue:
                    # playback starts slightly before the first frame's timestamp
                    self._current = self._queue.popleft()
                    self._cond.notify_all()
                have_next = bool(self._queue)
                if not wait or have_next or self.finished or self.error:
                    return self._current
                if not self._cond.wait(timeout):
                    self.error = self.error or (f"decoding {self.spec.path} stalled for {timeout:.0f} s (a slow or "
                                                "failing drive). Fix: copy the clip to a local drive")
                    return self._current

    def first_frame(self, wait: bool = False, timeout: float = 10.0) -> YuvFrame | None:
        """The first frame, for pre-roll: the texture can be filled before the clip is shown."""
        with self._cond:
            if wait:
                self._cond.wait_for(lambda: self._queue or self._current or self.finished or self.error, timeout)
            if self._current is not None:
                return self._current
            return self._queue[0] if self._queue else None

    def set_queue_size(self, n: int) -> None:
        """Pre-roll decodes only a frame or two; a clip on screen decodes further ahead."""
        with self._cond:
            self._cap = max(2, n)
            self._cond.notify_all()

    def close(self, wait: bool = False) -> None:
        """Stop the thread; it closes its file itself, so the render loop never waits for it."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if wait:
            self._thread.join(timeout=2.0)

    # -- decoder thread -----------------------------------------------------------
    def _put(self, frame: YuvFrame) -> bool:
        with self._cond:
            while len(self._queue) >= self._cap and not self._stop:
                self._cond.wait()
            if self._stop:
                return False
            self._queue.append(frame)
            self.frames_decoded += 1
            self._cond.notify_all()
            return True

    def _run(self) -> None:
        try:
            self._decode_loop()
        except Exception as exc:  # a broken clip must never take the show down
            with self._cond:
                self.error = failure_words(self.spec.path, exc, self._decoded_s)
        finally:
            with self._cond:
                self.finished = True
                self._cond.notify_all()

    def _open(self):
        container = av.open(str(self.spec.path))
        if not container.streams.video:
            container.close()
            raise ValueError("no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        stream.thread_count = self.spec.threads
        return container, stream

    def _one_pass(self, container, stream):
        """Yield (media_time, frame) from the in-point to the out-point once."""
        spec = self.spec
        tb = float(stream.time_base) if stream.time_base else 1.0
        start = (stream.start_time or 0) * tb
        if spec.in_point > 0:
            container.seek(int((spec.in_point + start) / tb), stream=stream, backward=True)
        else:
            container.seek(stream.start_time or 0, stream=stream, backward=True)
        fps = float(stream.average_rate or stream.guessed_rate or 30)
        half = 0.5 / fps
        for frame in container.decode(stream):
            if frame.pts is None:
                continue
            t = frame.pts * tb - start
            if t < spec.in_point - half:
                continue
            if spec.out_point is not None and t >= spec.out_point - half:
                break
            yield t, frame

    def _convert(self, frame: av.VideoFrame, media_time: float, play_time: float, serial: int) -> YuvFrame:
        spec = self.spec
        fmt = frame.format.name
        rng = DIRECT_FORMATS.get(fmt)
        if rng is None:
            # rare formats (RGB codecs, 4:2:2, 4:4:4, 10-bit): one conversion in this thread, never on the
            # render thread, to BT.709 limited 4:2:0 with the source's own matrix and range as input
            src_cs = Colorspace.ITU601 if (spec.colorspace or "") == "bt601" else Colorspace.ITU709
            src_range = ColorRange.JPEG if (spec.color_range == "full" or fmt.startswith(("rgb", "bgr", "gbr", "argb", "abgr", "rgba", "bgra", "yuvj"))) else ColorRange.MPEG
            frame = self._reformatter.reformat(frame, format="yuv420p", src_colorspace=src_cs,
                                               dst_colorspace=Colorspace.ITU709, src_color_range=src_range,
                                               dst_color_range=ColorRange.MPEG)
            return YuvFrame(play_time, media_time, frame.width, frame.height, _frame_planes(frame),
                            "bt709", "limited", serial)
        colorspace = spec.colorspace or ("bt709" if frame.height >= 720 else "bt601")
        return YuvFrame(play_time, media_time, frame.width, frame.height, _frame_planes(frame),
                        colorspace, spec.color_range or rng, serial)

    def _cut_short(self, reached: float, step: float, mode: str) -> str | None:
        """What to tell the performer when a pass ended at ``reached`` well before the expected end."""
        end = self.spec.expect_end
        if end is None or reached >= end - max(2.5 * step, 0.1):
            return None
        how = {"hold": "holds its last frame", "pingpong": "plays back and forth over"}.get(mode, "loops")
        return (f"{self.spec.path}: decodes only {reached - self.spec.in_point:.2f} s of its "
                f"{end - self.spec.in_point:.2f} s (the file is cut short); it {how} what decodes. "
                "Fix: copy or export the clip again, or set its out point before the damage")

    def _decode_loop(self) -> None:
        if self.spec.loop == "crossfade" and self.spec.crossfade > 0 and self.spec.end is not None:
            return self._crossfade_loop()
        container, stream = self._open()
        try:
            serial = 0
            offset = 0.0  # play time at the start of the current pass
            mode = self.spec.loop if self.spec.loop != "crossfade" else "loop"
            checked = False
            while not self._stop:
                first = last = None
                cache: list[tuple[float, av.VideoFrame]] = []
                for t, frame in self._one_pass(container, stream):
                    if first is None:
                        first = t
                    last = t
                    self._decoded_s = max(self._decoded_s, t - self.spec.in_point)
                    if not self._put(self._convert(frame, t, offset + t - self.spec.in_point, serial)):
                        return
                    serial += 1
                    if mode == "pingpong":
                        if (len(cache) + 1) * frame.width * frame.height * 3 // 2 <= PINGPONG_MAX_BYTES:
                            cache.append((t, frame))
                        else:
                            mode = "loop"
                            cache.clear()
                            self.note = (f"{self.spec.path.name}: too long to ping-pong in memory "
                                         f"({PINGPONG_MAX_BYTES >> 20} MB cap); it loops instead. "
                                         "Fix: set an out point, or use loop mode")
                if first is None:
                    raise ValueError(f"no decodable frames after in-point {self.spec.in_point:.3f} s")
                step = 1.0 / float(stream.average_rate or stream.guessed_rate or 30)
                span = last - self.spec.in_point + step
                if not checked:   # the first pass: did it reach the end the header claims?
                    checked = True
                    self.note = self._cut_short(last + step, step, mode) or self.note
                if mode == "hold":
                    return
                if mode == "pingpong" and len(cache) > 1:
                    # the way back: frames in reverse, play time keeps running forward
                    back_start = offset + span
                    for k, (t, frame) in enumerate(reversed(cache[1:-1])):
                        if not self._put(self._convert(frame, t, back_start + k * step, serial)):
                            return
                        serial += 1
                    offset = back_start + max(len(cache) - 2, 0) * step
                else:
                    offset += span
        finally:
            container.close()

    def _crossfade_loop(self) -> None:
        """Loop with the last ``crossfade`` seconds blended into the first: the first pass plays whole, the head
        fading in over its tail; each later pass starts where that blend ended (vj.engine.ClipRef.media_time)."""
        spec = self.spec
        container, stream = self._open()
        try:
            fps = float(stream.average_rate or stream.guessed_rate or 30)
            step = 1.0 / fps
            length = max(spec.end - spec.in_point, step)
            window = min(spec.crossfade, length - step)
            frame_bytes = (stream.codec_context.width or 1) * (stream.codec_context.height or 1) * 3 // 2
            window = min(window, CROSSFADE_MAX_BYTES // max(frame_bytes, 1) * step)
            tail = spec.in_point + length - window  # media time the blend starts
            head: list[YuvFrame] = []
            serial, offset, first_pass = 0, 0.0, True
            while not self._stop:
                start = spec.in_point if first_pass else spec.in_point + window
                shown, last = 0, spec.in_point
                for t, frame in self._one_pass(container, stream):
                    last = t
                    if first_pass and t < spec.in_point + window - 0.5 * step:
                        head.append(self._convert(frame, t, 0.0, -1))
                    if t < start - 0.5 * step:
                        continue
                    play = offset + t - start
                    out = self._convert(frame, t, play, serial)
                    if t >= tail - 0.5 * step and head and window > 0:
                        k = min(int(round((t - tail) / step)), len(head) - 1)
                        out = blend(out, head[k], (t - tail + step) / (window + step), play, serial)
                    if not self._put(out):
                        return
                    serial += 1
                    shown += 1
                if shown == 0:
                    raise ValueError(f"no decodable frames after in-point {spec.in_point:.3f} s")
                if first_pass and (note := self._cut_short(last + step, step, "loop")):
                    # the tail to blend never decoded: the next pass would start at the header's length, and
                    # the clip froze on its last frame until then; loop what decodes instead, and say so
                    self.note = note
                    length, window = last - spec.in_point + step, 0.0
                    head.clear()
                offset += length if first_pass else length - window
                first_pass = False
        finally:
            container.close()
