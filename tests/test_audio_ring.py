"""The audio input's parts without a device: the shared ring, the resampler, device lookup,
and LiveInput's reader on a ring written in-process.

The callback is checked for allocations with tracemalloc (a copying callback is caught), the
resampler for giving the same samples however the stream is cut into blocks, and the reader
for channel choice, resampling, silence by the clock while stalled, new sessions and the cap
on one gap. LiveInput on a real JACK server is in test_audio_live.py.

Measured numbers are printed (run with ``-s`` to see them).
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest

from vj.audio import ring as R
from vj.audio.devices import InputDevice, check_channels, find_input_device, parse_channels
from vj.audio.live import LiveInput
from vj.audio.resample import StreamResampler
from vj.audio.ring import RingReader, RingWriter, SharedRing
from vj.errors import VjError

SR = 44100
JACK_RATE = 48000


def resample_offline(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    return StreamResampler(src, dst).process(x)


class Flags:
    """Stands in for sounddevice.CallbackFlags (the test process must not import sounddevice)."""

    def __init__(self, overflow: bool = False):
        self.input_overflow = overflow

    def __bool__(self) -> bool:
        return self.input_overflow


# -- the ring ---------------------------------------------------------------------------------

def test_ring_delivers_every_frame_in_order_across_wraps():
    ring = SharedRing.create(1000, 2)
    try:
        writer, reader = RingWriter(ring, 2), RingReader(ring)
        rng = np.random.default_rng(1)
        counter = 0
        got = []
        for step in range(300):
            frames = int(rng.integers(1, 257))
            block = np.stack([np.arange(counter, counter + frames), -np.arange(counter, counter + frames)], 1)
            writer.callback(block.astype(np.float32), frames, None, Flags(step % 100 == 7))
            counter += frames
            if step % 3 == 0:
                x, lost = reader.read([0])
                assert lost == 0
                got.append(x)
        got.append(reader.read([0])[0])
        x = np.concatenate(got)
        np.testing.assert_array_equal(x, np.arange(counter, dtype=np.float32))
        assert int(ring.header[R.WRITE]) == counter and int(ring.header[R.OVERFLOWS]) == 3
        # the mix of both columns is their mean: here exactly zero
        writer.callback(np.ones((10, 2), np.float32) * [1, -1], 10, None, Flags())
        assert np.all(reader.read([0, 1])[0] == 0)
    finally:
        ring.close()


def test_ring_overrun_is_counted_and_the_reader_keeps_the_newest():
    ring = SharedRing.create(1000, 1)
    try:
        writer, reader = RingWriter(ring, 1), RingReader(ring, guard=100)
        for i in range(30):  # 3000 frames without reading: 2000 are overwritten
            writer.callback(np.full((100, 1), i, np.float32), 100, None, Flags())
        x, lost = reader.read([0])
        assert reader.overruns == 1 and lost == 3000 - 900 and reader.lost_frames == lost
        assert len(x) + lost == 3000  # the timeline is kept: lost frames are reported, not skipped over
        np.testing.assert_array_equal(x, np.repeat(np.arange(21, 30), 100).astype(np.float32))
    finally:
        ring.close()


def test_callback_allocates_nothing():
    """tracemalloc over 20000 callbacks: no memory kept, and the transient peak is a few
    small Python objects, far below one block (a copy of the block would be 2 KiB)."""
    ring = SharedRing.create(48000, 2)
    block = np.random.default_rng(0).standard_normal((256, 2)).astype(np.float32)
    flags = Flags()

    def peak_growth(callback) -> tuple[int, int]:
        """(bytes kept, transient peak) over 20000 calls, after 1000 traced warm-up calls (so
        state that is merely replaced each call, like the write counter's int, counts as kept 0)."""
        tracemalloc.start()
        for _ in range(1000):
            callback(block, 256, None, flags)
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        for _ in range(20000):
            callback(block, 256, None, flags)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return current - base, peak - base

    try:
        writer = RingWriter(ring, 2)
        kept, peak = peak_growth(writer.callback)
        assert kept <= 0, f"the callback kept {kept} bytes"
        assert peak < 512, f"the callback's transient allocations peaked at {peak} bytes"
        # the check can fail: a callback that copies the block is caught
        sink = []
        kept_bad, peak_bad = peak_growth(lambda b, f, t, s: sink.append(b.copy()) or sink.pop())
        assert peak_bad >= block.nbytes
        # cost per call, without tracemalloc
        n = 20000
        t0 = time.perf_counter()
        for _ in range(n):
            writer.callback(block, 256, None, flags)
        us = (time.perf_counter() - t0) / n * 1e6
        print(f"\ncallback: {us:.2f} us per 256-frame stereo block; tracemalloc kept {kept} B, "
              f"transient peak {peak} B (a copying callback: {peak_bad} B)")
        assert us < 100
    finally:
        ring.close()


# -- resampler --------------------------------------------------------------------------------

def test_resampler_is_independent_of_blocking_and_cheap():
    rng = np.random.default_rng(3)
    x = (0.1 * rng.standard_normal(JACK_RATE * 5)).astype(np.float32)
    whole = resample_offline(x, JACK_RATE, SR)
    rs = StreamResampler(JACK_RATE, SR)
    parts, pos, i = [], 0, 0
    sizes = [800, 1, 256, 4096, 17]
    while pos < len(x):
        n = sizes[i % len(sizes)]
        parts.append(rs.process(x[pos:pos + n]))
        pos, i = pos + n, i + 1
    streamed = np.concatenate(parts)
    assert abs(len(streamed) - len(x) * SR / JACK_RATE) < 32
    np.testing.assert_array_equal(streamed, whole[:len(streamed)])
    # a 1 kHz sine keeps its amplitude and frequency
    t = np.arange(JACK_RATE) / JACK_RATE
    y = resample_offline(np.sin(2 * np.pi * 1000 * t).astype(np.float32), JACK_RATE, SR)
    ref = np.sin(2 * np.pi * 1000 * np.arange(len(y)) / SR)
    assert np.max(np.abs(y[500:-500] - ref[500:-500])) < 1e-3
    # cost: 10 s of audio in 1/60 s blocks, as the render loop reads it
    x = (0.1 * rng.standard_normal(JACK_RATE * 10)).astype(np.float32)
    rs = StreamResampler(JACK_RATE, SR)
    rs.process(x[:800])
    t0 = time.process_time()  # CPU time: the machine may be shared
    for pos in range(800, len(x), 800):
        rs.process(x[pos:pos + 800])
    ms = (time.process_time() - t0) / 10 * 1000
    print(f"\nresampler 48000 -> 44100: {ms:.2f} ms of CPU per second of audio (800-frame reads)")
    assert ms < 20
    assert StreamResampler(SR, SR).passthrough


# -- devices and channels -----------------------------------------------------------------------

def test_device_lookup_by_name_index_and_default():
    devs = [InputDevice(0, "HDA Intel PCH: ALC892 Analog (hw:0,0)", "ALSA", 2, 44100, 0.01),
            InputDevice(3, "Scarlett 2i2 USB: Audio (hw:1,0)", "ALSA", 2, 48000, 0.005, is_default=True),
            InputDevice(7, "system", "JACK Audio Connection Kit", 2, 48000, 0.005)]
    assert find_input_device("scarlett", devs).index == 3
    assert find_input_device(7, devs).index == 7 and find_input_device("7", devs).index == 7
    assert find_input_device(None, devs).index == 3
    # after replugging, the card number changes: found again by the name without (hw:N,M)
    replugged = [InputDevice(4, "Scarlett 2i2 USB: Audio (hw:2,0)", "ALSA", 2, 48000, 0.005)]
    assert find_input_device("Scarlett 2i2 USB: Audio", replugged).index == 4
    with pytest.raises(VjError, match="(?s)no input device matches 'motu'.*Scarlett"):
        find_input_device("motu", devs)
    with pytest.raises(VjError, match="matches 2 input devices"):
        find_input_device("a", devs[:2])
    assert parse_channels("1,2") == [1, 2] and parse_channels("3") == [3] and parse_channels(None) is None
    with pytest.raises(VjError, match="--channels"):
        parse_channels("0,x")
    assert check_channels(None, devs[0]) == [1, 2]
    with pytest.raises(VjError, match="has 2 input channel"):
        check_channels([3], devs[0])




# -- the reader side, without a device ------------------------------------------------------------

def test_reader_side_sessions_stalls_and_gaps_without_a_device(monkeypatch):
    """LiveInput's reader logic on a ring written in-process the way the capture process
    writes it (no subprocess), on a clock the test sets: channel choice, resampling, silence
    by the clock while stalled, a new session at another rate, and the cap on one gap."""
    clock = [1000.0]
    live = LiveInput(channels=[2], clock=lambda: clock[0])  # never started: no capture process

    def read_at(now: float) -> np.ndarray:
        clock[0] = now
        return live.read_new()

    def status_at(now: float):
        clock[0] = now
        return live.status()

    try:
        ring, hdr, times = live.ring, live.ring.header, live.ring.times

        def open_session(rate: int, now: float) -> RingWriter:
            writer = RingWriter(ring, 2)
            hdr[R.RATE], hdr[R.CHANNELS_OPEN], hdr[R.SESSION_START] = rate, 2, writer.written
            times[R.F_OPENED_AT] = now
            hdr[R.SESSION] += 1
            hdr[R.STATE] = R.ST_RUNNING
            return writer

        def feed(writer: RingWriter, seconds: float, rate: int, now: float) -> None:
            n = int(seconds * rate)
            block = np.stack([np.full(n, 0.9, np.float32), np.full(n, 0.25, np.float32)], 1)
            writer.callback(block, n, None, Flags())
            times[R.F_LAST_CALLBACK] = now

        # before any audio, silence flows by the clock from the start
        head = np.concatenate([read_at(1000.2), read_at(1001.0)])
        np.testing.assert_array_equal(head, np.zeros(SR))
        w = open_session(48000, 1001.0)
        feed(w, 1.0, 48000, 1002.0)
        x = read_at(1002.0)
        assert abs(x.size - SR) <= 16 and np.allclose(x[100:-100], 0.25, atol=1e-3)  # channel 2, resampled
        assert status_at(1002.0).connected
        assert read_at(1002.3).size == 0                             # quiet, but within 0.5 s
        silence = read_at(1003.0)                                    # stalled: silence from the last audio
        assert not status_at(1003.0).connected
        assert abs(silence.size - SR) <= 16 and not np.any(silence)
        w = open_session(44100, 1003.0)                              # back, at the analysis rate: no resampling
        feed(w, 0.5, 44100, 1003.5)
        x = read_at(1003.5)
        assert x.size == SR // 2 and np.all(x == 0.25) and status_at(1003.5).reconnects == 1
        hdr[R.STATE] = R.ST_LOST                                     # gone; the reader comes back 100 s later
        assert read_at(1103.5).size == int(3.0 * SR)                 # at most 3 s of silence at once
        assert live.status().error == ""                             # every read above ran the reader, not its fallback

        def broken(self, x):
            raise RuntimeError("reader bug")
        monkeypatch.setattr(StreamResampler, "process", broken)      # a bug never reaches the render loop
        w = open_session(48000, 1104.0)
        feed(w, 0.2, 48000, 1104.2)
        read_at(1104.2)
        feed(w, 0.2, 48000, 1104.4)
        x = read_at(1104.4)                                          # the reader raised: silence for the 0.2 s
        assert 0.1 * SR < x.size < 0.3 * SR and not np.any(x)       # and time keeps flowing
        assert "reader bug" in live.status().error
    finally:
        live.close()
