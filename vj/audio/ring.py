"""A lock-free single-producer/single-consumer sample ring in shared memory.

The producer is the PortAudio callback in the capture process (see ``live.py``); the
consumer is the render thread in the show process.  Neither ever waits for the other:

* The writer copies each block into the ring at ``write % capacity`` and only then
  publishes the new total ``write`` (a monotonically increasing frame count, one
  aligned int64 store).  It never looks at the reader, so it can never block.
* The reader remembers how far it has read (``r``, also monotonic).  Frames
  ``[r, write)`` are new.  If ``write - r`` exceeds the capacity minus a guard, the
  reader was too slow: the oldest frames are gone (an *overrun*, counted by the
  reader), and it skips ahead.  After copying it re-reads ``write`` to check that the
  writer did not lap it during the copy.

The shared block also carries a small header (state of the capture process, device
rate, counters) and two short text fields (device name, last error).  Memory ordering:
x86-64 keeps stores in order, so a reader that sees the new ``write`` also sees the
data.  On weakly ordered CPUs (ARM) this relies on the many instructions the
interpreter runs between the data copy and the counter store; the reader's lap check
does not cover that case.

The shared memory is an unlinked temporary file (``memfd`` on Linux) passed to the
child as an inherited file descriptor, so nothing is left behind when either process
dies, however it dies.  On Windows a named mapping is used instead (untested).
"""

from __future__ import annotations

import mmap
import os
import sys
import tempfile
import time

import numpy as np

# -- header layout: int64 slots --------------------------------------------------------------
MAGIC = 0            #: format marker, checked on attach
WRITE = 1            #: frames written since the ring was created (monotonic, writer-owned)
STATE = 2            #: capture process state, one of the ST_* values
SESSION = 3          #: incremented each time the capture process opens a stream
SESSION_START = 4    #: value of WRITE when the current session's first block arrives
RATE = 5             #: device sample rate of the current session, Hz
CHANNELS_OPEN = 6    #: channels the current stream delivers (columns 0..n-1 of the ring)
OVERFLOWS = 7        #: PortAudio input-overflow flags seen by the callback
CALLBACKS = 8        #: callbacks so far (all sessions)
STOP = 9             #: set to 1 by the reader's side to ask the capture process to quit
CHILD_PID = 10       #: pid of the capture process that owns the stream
ATTEMPTS = 11        #: open attempts by the current capture process
NAME_LEN = 12        #: bytes used in the device-name field
ERROR_LEN = 13       #: bytes used in the error field
ERRORS = 14          #: errors written so far (lets a reader notice a new error text)
BLOCKSIZE = 15       #: blocksize the stream was opened with (0 = host's choice)
_INT_SLOTS = 32
# float64 slots (a second view, after the int slots)
F_LAST_CALLBACK = 0  #: time.monotonic() of the latest callback
F_OPENED_AT = 1      #: time.monotonic() when the current stream started
F_LATENCY = 2        #: the stream's input latency as PortAudio reports it, seconds
_FLOAT_SLOTS = 16

ST_STARTING = 0      #: capture process started, nothing tried yet
ST_SEARCHING = 1     #: device not there (or failed to open); retrying every ~1 s
ST_RUNNING = 2       #: stream open and started
ST_LOST = 3          #: stream died (device gone, server gone); process is exiting
ST_STOPPED = 4       #: asked to stop, stopped
STATE_NAMES = {ST_STARTING: "starting", ST_SEARCHING: "searching", ST_RUNNING: "running",
               ST_LOST: "lost", ST_STOPPED: "stopped"}

_MAGIC_VALUE = 0x766A52494E4701  # "vjRING" + version 1
_NAME_AT, _NAME_MAX = 512, 512
_ERROR_AT, _ERROR_MAX = 1024, 1024
_DATA_AT = 4096


class SharedRing:
    """``capacity`` frames x ``channels`` float32 samples plus the header, in shared memory.

    Create it in the show process with :meth:`create`, pass :attr:`handle` to the capture
    process, which calls :meth:`attach`.  ``header`` (int64) and ``times`` (float64) are
    numpy views on the shared header; ``data`` is the (capacity, channels) sample array.
    """

    def __init__(self, mm: mmap.mmap, capacity: int, channels: int, handle: dict, fd: int | None):
        self._mm = mm
        self.capacity = int(capacity)
        self.channels = int(channels)
        self.handle = handle
        self._fd = fd
        self.header = np.ndarray((_INT_SLOTS,), np.int64, buffer=mm, offset=0)
        self.times = np.ndarray((_FLOAT_SLOTS,), np.float64, buffer=mm, offset=8 * _INT_SLOTS)
        self.data = np.ndarray((self.capacity, self.channels), np.float32, buffer=mm, offset=_DATA_AT)

    @staticmethod
    def nbytes(capacity: int, channels: int) -> int:
        return _DATA_AT + 4 * int(capacity) * int(channels)

    @classmethod
    def create(cls, capacity: int, channels: int) -> SharedRing:
        if capacity <= 0 or channels <= 0:
            raise ValueError(f"ring needs a positive size, got {capacity} frames x {channels} channels")
        size = cls.nbytes(capacity, channels)
        if sys.platform == "win32":  # pragma: no cover - not tested here
            tag = f"vj-ring-{os.getpid()}-{time.monotonic_ns()}"
            mm = mmap.mmap(-1, size, tagname=tag)
            handle = {"tag": tag, "size": size, "capacity": capacity, "channels": channels}
            ring = cls(mm, capacity, channels, handle, None)
        else:
            if hasattr(os, "memfd_create"):
                fd = os.memfd_create("vj-audio-ring", 0)
            else:  # macOS and other POSIX: an unlinked temp file
                fd, path = tempfile.mkstemp(prefix="vj-audio-ring-")
                os.unlink(path)
            os.ftruncate(fd, size)
            mm = mmap.mmap(fd, size)
            handle = {"fd": fd, "size": size, "capacity": capacity, "channels": channels}
            ring = cls(mm, capacity, channels, handle, fd)
        ring.header[:] = 0
        ring.times[:] = 0.0
        ring.header[MAGIC] = _MAGIC_VALUE
        return ring

    @classmethod
    def attach(cls, handle: dict) -> SharedRing:
        """The capture process's side: map the ring the show process created."""
        size, capacity, channels = int(handle["size"]), int(handle["capacity"]), int(handle["channels"])
        if "tag" in handle:  # pragma: no cover - Windows
            mm = mmap.mmap(-1, size, tagname=handle["tag"])
            fd = None
        else:
            fd = int(handle["fd"])
            mm = mmap.mmap(fd, size)
        ring = cls(mm, capacity, channels, handle, fd)
        if int(ring.header[MAGIC]) != _MAGIC_VALUE:
            raise RuntimeError("shared audio ring has the wrong format (vj versions differ?)")
        return ring

    @property
    def fd(self) -> int | None:
        return self._fd

    # -- text fields (written by the capture process before it publishes a state) --------------
    def set_text(self, which: str, text: str) -> None:
        at, cap, slot = (_NAME_AT, _NAME_MAX, NAME_LEN) if which == "name" else (_ERROR_AT, _ERROR_MAX, ERROR_LEN)
        raw = text.encode("utf-8", "replace")[:cap]
        self._mm[at:at + len(raw)] = raw
        self.header[slot] = len(raw)
        if which == "error":
            self.header[ERRORS] += 1

    def get_text(self, which: str) -> str:
        at, cap, slot = (_NAME_AT, _NAME_MAX, NAME_LEN) if which == "name" else (_ERROR_AT, _ERROR_MAX, ERROR_LEN)
        n = min(max(int(self.header[slot]), 0), cap)
        return bytes(self._mm[at:at + n]).decode("utf-8", "replace")

    def close(self) -> None:
        """Unmap (the caller must not use the numpy views afterwards) and close the descriptor."""
        self.header = self.times = self.data = None  # type: ignore[assignment]
        try:
            self._mm.close()
        except BufferError:  # a view is still alive somewhere; the mapping goes with the process
            pass
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
            self._fd = None


class RingWriter:
    """The producer.  :meth:`callback` is the PortAudio callback and does only this:
    one or two slice copies into the preallocated ring, then the counter stores.

    No buffers are allocated, no locks are taken; the only Python objects created are the
    interpreter's transient ints, floats and slice views (freed before it returns, measured in
    tests/test_audio_live.py).  ``columns`` is how many channels the stream delivers; they
    land in ring columns ``0..columns-1``.
    """

    __slots__ = ("_dst", "_cap", "_w", "_header", "_times", "_clock")

    def __init__(self, ring: SharedRing, columns: int, clock=time.monotonic):
        if not 1 <= columns <= ring.channels:
            raise ValueError(f"stream has {columns} channels, ring holds {ring.channels}")
        self._dst = ring.data if columns == ring.channels else ring.data[:, :columns]
        self._cap = ring.capacity
        self._w = int(ring.header[WRITE])  # continue the monotonic count of earlier sessions
        self._header = ring.header
        self._times = ring.times
        self._clock = clock

    @property
    def written(self) -> int:
        return self._w

    def callback(self, indata, frames, time_info, status) -> None:
        """sounddevice ``InputStream`` callback: ``indata`` is (frames, columns) float32."""
        w = self._w
        i = w % self._cap
        j = i + frames
        if j <= self._cap:
            self._dst[i:j] = indata
        else:  # the block wraps around the end of the ring
            k = self._cap - i
            self._dst[i:] = indata[:k]
            self._dst[:j - self._cap] = indata[k:]
        w += frames
        self._w = w
        self._header[WRITE] = w          # publish: the reader may now read up to w
        self._header[CALLBACKS] += 1
        self._times[F_LAST_CALLBACK] = self._clock()
        if status and status.input_overflow:
            self._header[OVERFLOWS] += 1


class RingReader:
    """The consumer's bookkeeping: where it has read to, and the overruns it has suffered.

    :meth:`read` returns the new frames of the chosen ring ``columns`` mixed to mono
    (float32, device rate) and how many frames were lost before them (zero unless the
    reader fell more than ``capacity - guard`` behind).
    """

    def __init__(self, ring: SharedRing, guard: int | None = None):
        self.ring = ring
        self.guard = int(guard if guard is not None else ring.capacity // 4)
        self.position = int(ring.header[WRITE])
        self.overruns = 0        #: times the reader fell behind and lost frames
        self.lost_frames = 0     #: frames lost to overruns

    def available(self) -> int:
        return int(self.ring.header[WRITE]) - self.position

    def read(self, columns: list[int], limit: int | None = None) -> tuple[np.ndarray, int]:
        """New frames ``[position, write)`` (at most ``limit``), mono mean of ``columns`` (0-based)."""
        ring = self.ring
        w = int(ring.header[WRITE])
        start = self.position
        lost = 0
        keep = ring.capacity - self.guard
        if w - start > keep:  # the writer lapped us: the oldest frames are overwritten
            lost = w - start - keep
            start = w - keep
            self.overruns += 1
        stop = w if limit is None else min(w, start + limit)
        n = stop - start
        if n <= 0:
            self.position = start
            self.lost_frames += lost
            return np.zeros(0, np.float32), lost
        out = np.empty(n, np.float32)
        i = start % ring.capacity
        first = min(n, ring.capacity - i)
        _mix_into(out[:first], ring.data[i:i + first], columns)
        if first < n:
            _mix_into(out[first:], ring.data[:n - first], columns)
        w2 = int(ring.header[WRITE])
        if w2 - start > ring.capacity:  # lapped during the copy: the head of `out` is garbage
            bad = min(n, w2 - start - ring.capacity)
            out[:bad] = 0.0
            self.overruns += 1
            lost += bad  # counted as lost, replaced by silence of the same length
        self.position = stop
        self.lost_frames += lost
        return out, lost

    def skip_to(self, position: int) -> None:
        self.position = int(position)


def _mix_into(out: np.ndarray, block: np.ndarray, columns: list[int]) -> None:
    if len(columns) == 1:
        out[:] = block[:, columns[0]]
    else:
        np.mean(block[:, columns], axis=1, out=out)
