"""Audio files as one mono float32 array, for offline analysis and rehearsal.

Anything PyAV (FFmpeg) can demux and decode is accepted; the track is resampled to
the analysis rate with PyAV's own resampler and the channels are averaged, so the
analyser sees exactly what a mono live input at that rate would deliver.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from ..errors import Problem, VjError

_CONVERT_FIX = "convert it to FLAC or WAV, e.g. `ffmpeg -i TRACK out.flac`, and point vj at that"


@dataclass(frozen=True, slots=True, eq=False)
class AudioData:
    """A decoded track: ``samples`` is mono float32 (the mean of the channels), read-only."""

    samples: np.ndarray
    sample_rate: int
    channels: int  #: channel count of the file, before the mix to mono
    duration: float  #: seconds, ``len(samples) / sample_rate``
    path: Path


def load_audio(path: str | Path, sample_rate: int = 44100) -> AudioData:
    """Decode the first audio stream of ``path`` to mono float32 at ``sample_rate``.

    Raises VjError naming the file and the fix when it is missing, not audio, or corrupt.
    """
    p = Path(path)
    if not p.exists():
        raise VjError(Problem(p, "audio file not found.", fix="check the path (it is relative to where you run vj)"))
    if p.is_dir():
        raise VjError(Problem(p, "is a folder, not an audio file.", fix="name an audio file inside it"))
    try:
        container = av.open(str(p))
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise VjError(Problem(p, f"is not an audio file FFmpeg can read ({_reason(exc)}).", fix=_CONVERT_FIX)) from exc
    with container:
        if not container.streams.audio:
            raise VjError(Problem(p, "has no audio stream.", fix="use the track itself, or extract its audio: "
                                                              "`ffmpeg -i FILE -vn out.flac`"))
        stream = container.streams.audio[0]
        channels = int(stream.codec_context.channels or 0)
        try:
            samples = _decode_mono(container, stream, sample_rate)
        except (av.error.FFmpegError, ValueError) as exc:
            raise VjError(Problem(p, f"audio is corrupt or cut short ({_reason(exc)}).",
                                  fix="re-export or re-download the track")) from exc
    if samples.size == 0:
        raise VjError(Problem(p, "contains no audio samples.", fix="re-export the track; it decodes to nothing"))
    samples.setflags(write=False)
    return AudioData(samples, int(sample_rate), channels or 1, samples.size / sample_rate, p)


def _decode_mono(container: av.container.InputContainer, stream: av.audio.stream.AudioStream,
                 sample_rate: int) -> np.ndarray:
    """Decode, resample (keeping the channel layout) and average the channels ourselves,
    so the mix is a plain mean rather than FFmpeg's downmix matrix."""
    resampler: av.AudioResampler | None = None
    parts: list[np.ndarray] = []

    def take(frames: list[av.AudioFrame]) -> None:
        for f in frames:
            planes = f.to_ndarray()  # fltp: (channels, n)
            parts.append(planes.mean(axis=0, dtype=np.float64).astype(np.float32) if planes.shape[0] > 1
                         else planes[0].astype(np.float32, copy=True))

    for frame in container.decode(stream):
        if resampler is None:
            resampler = av.AudioResampler(format="fltp", layout=frame.layout, rate=sample_rate)
        take(resampler.resample(frame))
    if resampler is not None:
        take(resampler.resample(None))
    return np.concatenate(parts) if parts else np.zeros(0, np.float32)


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.strip().rstrip(".") or type(exc).__name__


def iter_blocks(samples: np.ndarray, block: int) -> Iterator[np.ndarray]:
    """Yield consecutive views of ``block`` samples (the last one may be shorter), the way
    a live audio callback delivers them."""
    if block <= 0:
        raise ValueError(f"block must be positive, got {block}")
    for start in range(0, len(samples), block):
        yield samples[start:start + block]
