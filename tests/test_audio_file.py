"""load_audio on real files written with PyAV, and its errors."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from signals import listen
from vj.audio.file_source import iter_blocks, load_audio
from vj.errors import VjError


def write_audio(path: Path, channels: np.ndarray, rate: int, codec: str) -> Path:
    """Encode ``channels`` (n_channels, n) float32 in -1..1 with PyAV."""
    layout = {1: "mono", 2: "stereo"}[channels.shape[0]]
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate, layout=layout)
        if codec == "aac":
            stream.bit_rate = 256000  # FFmpeg's AAC at its default rate distorts a pure tone by ~30%
        for start in range(0, channels.shape[1], 4096):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(channels[:, start:start + 4096]),
                                               format="fltp", layout=layout)
            frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def click_track(bpm: float, seconds: float, rate: int, first: float = 0.25) -> np.ndarray:
    """Decaying 60 Hz thumps on every beat (mono)."""
    x = np.zeros(int(seconds * rate), np.float32)
    t = np.arange(int(0.15 * rate)) / rate
    thump = (0.7 * np.sin(2 * np.pi * 60 * t) * np.exp(-t / 0.04)).astype(np.float32)
    for b in np.arange(first, seconds, 60 / bpm):
        i = int(b * rate)
        m = min(thump.size, x.size - i)
        x[i:i + m] += thump[:m]
    return x


@pytest.mark.parametrize("suffix, codec, tol", [("flac", "flac", 0.005), ("wav", "pcm_s16le", 0.005),
                                                ("m4a", "aac", 0.03)])
def test_stereo_file_is_decoded_resampled_and_mixed(tmp_path: Path, suffix: str, codec: str, tol: float):
    rate = 48000
    t = np.arange(rate) / rate
    left = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    right = 0.5 * left  # mean of the two = 0.75 * left
    path = write_audio(tmp_path / f"tone.{suffix}", np.stack([left, right]), rate, codec)
    audio = load_audio(path, 44100)
    assert audio.sample_rate == 44100 and audio.channels == 2 and audio.path == path
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1 and not audio.samples.flags.writeable
    assert audio.duration == pytest.approx(1.0, abs=0.05)  # AAC adds a little priming/padding
    mid = audio.samples[11025:33075]
    assert np.abs(mid).max() == pytest.approx(0.375, abs=tol)
    spectrum = np.abs(np.fft.rfft(mid * np.hanning(mid.size)))
    assert np.fft.rfftfreq(mid.size, 1 / 44100)[spectrum.argmax()] == pytest.approx(440, abs=3)


def test_flac_round_trip_through_the_analyzer(tmp_path: Path):
    x = click_track(120, 8.0, 48000)
    path = write_audio(tmp_path / "beat.flac", x[None, :], 48000, "flac")
    audio = load_audio(path)
    assert audio.channels == 1 and audio.duration == pytest.approx(8.0, abs=1e-3)
    last = listen(audio.samples, audio.sample_rate, [audio.duration])[-1]
    assert last.beat.bpm == pytest.approx(120, rel=0.01)


def test_missing_file_names_it(tmp_path: Path):
    missing = tmp_path / "nope.flac"
    with pytest.raises(VjError) as err:
        load_audio(missing)
    assert str(missing) in str(err.value) and "not found" in str(err.value) and "Fix:" in str(err.value)


def test_random_bytes_name_the_file(tmp_path: Path):
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(os.urandom(20000))
    with pytest.raises(VjError) as err:
        load_audio(junk)
    assert str(junk) in str(err.value) and "Fix:" in str(err.value)


def test_corrupt_audio_names_the_file(tmp_path: Path):
    t = np.arange(48000 * 2) / 48000
    path = write_audio(tmp_path / "tone.flac", (0.3 * np.sin(2 * np.pi * 220 * t))[None, :].astype(np.float32),
                       48000, "flac")
    data = path.read_bytes()
    cut = tmp_path / "cut.flac"
    cut.write_bytes(data[:len(data) // 3])  # header intact, frames cut mid-way
    with pytest.raises(VjError) as err:
        load_audio(cut)
    assert str(cut) in str(err.value) and "corrupt" in str(err.value)


def test_video_without_audio_and_folder_are_refused(tmp_path: Path, make_clip):
    clip = make_clip(tmp_path / "clip.mp4")
    with pytest.raises(VjError, match="no audio stream") as err:
        load_audio(clip)
    assert str(clip) in str(err.value)
    with pytest.raises(VjError, match="folder"):
        load_audio(tmp_path)


def test_iter_blocks_covers_everything_in_order():
    x = np.arange(1000, dtype=np.float32)
    blocks = list(iter_blocks(x, 256))
    assert [b.size for b in blocks] == [256, 256, 256, 232]
    assert np.array_equal(np.concatenate(blocks), x)
    with pytest.raises(ValueError):
        list(iter_blocks(x, 0))
