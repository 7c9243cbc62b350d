"""Giving freed memory back to the system during a long show.

A two-hour set allocates and frees frame-sized buffers (decoded frames, textures' staging arrays, audio
blocks) from the decoder, audio and frame threads.  glibc keeps what is freed inside its heaps for reuse,
and a heap shared by threads fragments: in `vj play` of the demo at 640x360 (bench/soak.py, mallinfo2
every 30 s) the heaps grew from 202 to 208 MB in 2.5 minutes while the memory in use stayed at
76-86 MB; the rest was free space held by the process, and RSS crept up with it (+0.46 MB a minute over
the 60-minute soak, against the issue's 0.2).  ``malloc_trim(0)`` hands whole free pages back (inside the
heaps too, by madvise), so the resident size follows what is in use.

It runs on its own thread once a minute, never on the frame thread.  Where the C library is not glibc
(macOS, musl) there is nothing to call and the trimmer does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time

#: seconds between trims: the creep is well under a megabyte a minute, and each trim walks every heap
#: (6.5 ms here for a 147 MB heap fragmented by three threads, on a thread of its own)
TRIM_EVERY_S = 60.0


def _malloc_trim():
    """glibc's malloc_trim, or None where the C library has none."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        fn = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    fn.argtypes, fn.restype = [ctypes.c_size_t], ctypes.c_int
    return fn


class Trimmer:
    """Calls ``malloc_trim(0)`` every ``every`` seconds until closed; counts the trims and their time."""

    def __init__(self, every: float = TRIM_EVERY_S):
        self.every = every
        self.trims = 0
        self.seconds = 0.0               #: total time spent trimming (off the frame thread)
        self._fn = _malloc_trim()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return self._fn is not None

    def trim(self) -> bool:
        """One trim now; True when the C library gave memory back."""
        if self._fn is None:
            return False
        t0 = time.perf_counter()
        gave = bool(self._fn(0))
        self.seconds += time.perf_counter() - t0
        self.trims += 1
        return gave

    def start(self) -> "Trimmer":
        if self._fn is not None and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="malloc-trim", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.trim()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None
