"""Write rendered frames (and the show's audio) to an MP4 with PyAV."""

from __future__ import annotations

import queue
import threading
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import ColorRange, Colorspace, VideoReformatter


#: x264's quality for review renders (its own default). Measured on the demo show at 1920x1080, ultrafast
#: (vj rehearse --duration 12): crf 18 wrote 44 Mbit/s (20 GB an hour), crf 23 27 Mbit/s; re-encoding 300 real
#: frames at 640x360 gave PSNR 38.3 dB at 18 and 37.1 dB at 23, side by side indistinguishable to the eye.
#: superfast at crf 20 halves the size again but took 1.5x the render time: speed comes first for review.
REVIEW_CRF = 23

#: x264 presets by name of use; rehearsal renders are for review, so speed comes first
PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow")


class VideoWriter:
    """H.264 + AAC in MP4.  RGBA frames in; one reused reformatter does RGB -> BT.709 YUV.

    Colour conversion and encoding run on a writer thread (PyAV releases the GIL), so
    they overlap with rendering the next frame; ``write_rgba`` only queues.
    """

    def __init__(self, path: Path, size: tuple[int, int], fps: int, *, audio_rate: int | None = None,
                 audio_channels: int = 2, crf: int = REVIEW_CRF, preset: str = "ultrafast", queue_size: int = 3):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.size = size
        self.fps = fps
        self.container = av.open(str(self.path), "w", format="mp4")
        self.stream = self.container.add_stream("libx264", rate=Fraction(fps, 1))
        self.stream.width, self.stream.height = size
        self.stream.pix_fmt = "yuv420p"
        # fixed thread count: x264 output is deterministic for fixed settings
        self.stream.options = {"crf": str(crf), "preset": preset, "threads": "2"}
        self.stream.codec_context.colorspace = 1       # AVCOL_SPC_BT709
        self.stream.codec_context.color_range = 1      # AVCOL_RANGE_MPEG (limited)
        self.stream.codec_context.color_primaries = 1
        self.stream.codec_context.color_trc = 1
        self.reformatter = VideoReformatter()
        self.frames = 0
        self.audio = None
        self._audio_pts = 0
        if audio_rate:
            self.audio = self.container.add_stream("aac", rate=audio_rate)
            self.audio.layout = "stereo" if audio_channels >= 2 else "mono"
            self.audio.bit_rate = 192_000
        self._lock = threading.Lock()  # the container is shared by the audio and video writers
        self._queue: queue.Queue[tuple | None] = queue.Queue(maxsize=queue_size)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="vj-writer", daemon=True)
        self._thread.start()

    def write_rgba(self, data: bytes) -> None:
        """Queue one RGBA frame (top row first); blocks only when the writer is behind."""
        self._put(("rgba", data))

    def write_nv12(self, y: bytes, uv: bytes) -> None:
        """Queue one frame already converted to BT.709 limited NV12 on the GPU (no CPU colour conversion)."""
        self._put(("nv12", (y, uv)))

    def _put(self, item) -> None:
        if self._error is not None:
            raise RuntimeError(f"writing {self.path} failed: {self._error}") from self._error
        self._queue.put(item)

    def _run(self) -> None:
        while True:
            data = self._queue.get()
            if data is None:
                return
            if self._error is not None:
                continue
            try:
                kind, payload = data
                self._encode(payload) if kind == "rgba" else self._encode_nv12(*payload)
            except BaseException as exc:  # reported on the next write or at close
                self._error = exc

    def _encode_nv12(self, y: bytes, uv: bytes) -> None:
        w, h = self.size
        frame = av.VideoFrame(w, h, "nv12")
        for plane, data, rows, row_bytes in ((frame.planes[0], y, h, w), (frame.planes[1], uv, h // 2, w)):
            dst = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
            dst[:rows, :row_bytes] = np.frombuffer(data, np.uint8).reshape(rows, row_bytes)
        frame.colorspace = Colorspace.ITU709
        frame.color_range = ColorRange.MPEG
        self._encode_frame(frame)

    def _encode_frame(self, frame: av.VideoFrame) -> None:
        frame.pts = self.frames
        frame.time_base = Fraction(1, self.fps)
        packets = self.stream.encode(frame)
        with self._lock:
            self.container.mux(packets)
        self.frames += 1

    def _encode(self, data: bytes) -> None:
        w, h = self.size
        rgba = np.frombuffer(data, dtype=np.uint8).reshape(h, w, 4)
        frame = av.VideoFrame.from_ndarray(rgba, format="rgba")
        yuv = self.reformatter.reformat(frame, format="yuv420p", src_colorspace=Colorspace.ITU709,
                                        dst_colorspace=Colorspace.ITU709, dst_color_range=ColorRange.MPEG)
        self._encode_frame(yuv)

    def write_audio(self, samples: np.ndarray) -> None:
        """Planar float samples, shape (channels, n)."""
        if self.audio is None or samples.shape[1] == 0:
            return
        layout = self.audio.layout.name
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, dtype=np.float32), format="fltp",
                                           layout=layout)
        frame.sample_rate = self.audio.rate
        frame.pts = self._audio_pts
        self._audio_pts += samples.shape[1]
        packets = self.audio.encode(frame)
        with self._lock:
            self.container.mux(packets)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        try:
            if self._error is None:
                self.container.mux(self.stream.encode())
                if self.audio is not None:
                    self.container.mux(self.audio.encode())
        finally:
            self.container.close()
        if self._error is not None:
            raise RuntimeError(f"writing {self.path} failed: {self._error}") from self._error


def read_audio_planar(path: Path, rate: int = 48000, channels: int = 2) -> np.ndarray:
    """The whole track as planar float32 (channels, n) at ``rate``, for muxing into the show."""
    layout = "stereo" if channels >= 2 else "mono"
    out = []
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
        for frame in container.decode(stream):
            for rf in resampler.resample(frame):
                out.append(rf.to_ndarray())
        for rf in resampler.resample(None):
            out.append(rf.to_ndarray())
    if not out:
        return np.zeros((channels, 0), np.float32)
    return np.concatenate(out, axis=1).astype(np.float32)
