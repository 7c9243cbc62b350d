"""Live audio input for the render loop: a sound card (or JACK) in, mono float32 at the
analysis rate out, and it never stops.

:class:`LiveInput` captures in a child process.  The PortAudio callback there only
copies each block into a shared-memory ring (:mod:`vj.audio.ring`); the render thread
calls :meth:`LiveInput.read_new`, which takes everything new from the ring, mixes the
chosen channels to mono and resamples it to the analysis rate (44100 Hz) with
FFmpeg's resampler, the same one :func:`vj.audio.file_source.load_audio` uses.

Why a child process: PortAudio's JACK backend cannot survive its server going away in
the same process (``Pa_CloseStream`` then waits ten minutes; ``Pa_Terminate``, which
also runs at interpreter exit, fails an ``assert`` and aborts), and a Python callback
in the show process would also compete for the GIL with rendering.  In a child, a
device or driver that hangs or crashes costs a respawn, not the show.

When the audio stops (stream error, device unplugged, JACK server gone, or no callback
for ``stall_s`` = 0.5 s), ``read_new`` returns silence at the analysis rate by the wall
clock, so time keeps flowing and the beat tracker's flywheel keeps the tempo; the status
says "disconnected"; the capture process is replaced and retries the same device (by
name) every ``retry_s`` = 1 s.  When it is back, audio flows again.  Nothing raises into
the render loop.

The parts live in their own modules: the capture process in :mod:`vj.audio.capture`, the
resampler in :mod:`vj.audio.resample`, the feed protocol and status in :mod:`vj.audio.feed`;
:class:`~vj.audio.file_input.FileInput` provides the same protocol for a file played by a clock.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import numpy as np

from ..errors import Problem, VjError
from . import ANALYSIS_RATE
from . import ring as R
from .feed import MAX_GAP_S, InputStatus
from .resample import StreamResampler
from .ring import RingReader, SharedRing


class LiveInput:
    """A sound-card input, read by the render thread with :meth:`read_new`.

    ``device``: index, case-insensitive part of the name, or None for the default input.
    ``channels``: 1-based input channels to mix to mono (None: 1 and 2, or 1 on a mono
    device).  ``samplerate``: device rate (None: the device's default).  ``blocksize``:
    frames per callback (0: the host's choice, lowest latency).  ``latency``: PortAudio's
    "low", "high" or seconds.

    Use from one render thread: ``read_new`` is single-consumer.  ``status`` may be called
    from anywhere.  ``start`` raises VjError when the device cannot be opened at all (so a
    typo is caught before the show); after that nothing raises.

    ``clock`` is the reader's clock (``read_new``'s silence by the wall clock, the status's
    stall test).  It must be the capture process's clock, ``time.monotonic``, whose stamps it
    compares; the tests pass their own to run the reader against a ring they write.
    """

    def __init__(self, device: str | int | None = None, channels: list[int] | None = None,
                 samplerate: float | None = None, blocksize: int = 0, latency: str | float = "low",
                 analysis_rate: int = ANALYSIS_RATE, ring_seconds: float = 4.0,
                 stall_s: float = 0.5, retry_s: float = 1.0, restart_s: float = 1.0,
                 client_name: str = "vj", clock: Callable[[], float] = time.monotonic):
        if channels is not None and (not channels or min(channels) < 1):
            raise VjError(Problem("--channels", f"{channels!r} is not a list of 1-based channels.",
                                  fix="e.g. --channels 1,2"))
        self.device_spec = device
        self.channels = list(channels) if channels is not None else None
        self.samplerate = samplerate
        self.blocksize = int(blocksize)
        self.latency = latency
        self.analysis_rate = int(analysis_rate)
        self.stall_s = float(stall_s)
        self.retry_s = float(retry_s)
        self.restart_s = max(float(restart_s), self.stall_s)
        self.client_name = client_name
        self.clock = clock
        ring_channels = max(self.channels) if self.channels else 2
        # ring_seconds at 96 kHz (8 s at 48 kHz; 3 MB for 2 channels); the reader keeps 3/4 of it
        self._ring = SharedRing.create(int(ring_seconds * 96000), ring_channels)
        self._reader = RingReader(self._ring)
        self._proc: subprocess.Popen | None = None
        self._dying: list[subprocess.Popen] = []
        self._spawned_at = -math.inf
        self._spawns = 0
        self._lock = threading.Lock()          # supervisor vs close(); never taken by read_new
        self._closing = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._resolved: dict | None = None     # {"name":..., "hostapi":...} once found
        # reader state (render thread only)
        self._session = 0
        self._in_rate = 0.0
        self._columns: list[int] = [0]
        self._resampler: StreamResampler | None = None
        self._lost_carry = 0.0
        self._zero_origin: float | None = None
        self._zeros_out = 0
        self._started_at = self._last_read = clock()
        self._max_gap = int(MAX_GAP_S * self.analysis_rate)
        self._level = 0.0
        self._ms = 0.0
        self._peak = 0.0
        self._reader_error = ""
        self._reader_errors = 0
        self._note = ""                        # the supervisor's latest action, shown while disconnected
        self._note_errors = 0
        self.closed = False

    # -- lifecycle ------------------------------------------------------------------------
    def start(self, wait_s: float = 5.0, strict: bool = True) -> LiveInput:
        """Start capturing; wait until audio flows (at most ``wait_s``).  With ``strict``,
        raise VjError when the device is missing or will not open (nothing is left running)."""
        if self._supervisor is not None:
            return self
        self._started_at = self.clock()
        with self._lock:
            self._spawn()
        deadline = time.monotonic() + wait_s
        problem = ""
        while time.monotonic() < deadline:
            hdr = self._ring.header
            if int(hdr[R.STATE]) == R.ST_RUNNING:
                try:
                    self._resolved = json.loads(self._ring.get_text("name"))
                except ValueError:
                    pass
                break
            if int(hdr[R.ERRORS]) > 0:
                problem = self._ring.get_text("error")
                break
            proc = self._proc
            if proc is not None and proc.poll() is not None:
                problem = self._ring.get_text("error") or f"the audio capture process exited (code {proc.returncode})"
                break
            time.sleep(0.01)
        else:
            problem = f"audio input did not start within {wait_s:g} s"
        if problem and strict:
            self.close()
            raise VjError(problem)
        self._started_at = self.clock()
        self._supervisor = threading.Thread(target=self._supervise, name="vj-audio-supervisor", daemon=True)
        self._supervisor.start()
        return self

    def close(self) -> None:
        """Stop capturing and release everything (idempotent)."""
        if self.closed:
            return
        self._closing.set()
        if self._supervisor is not None and self._supervisor is not threading.current_thread():
            self._supervisor.join(2.0)
        with self._lock:
            self._stop_child(graceful=True)
        self.closed = True
        self._ring.close()

    @property
    def ring(self) -> SharedRing:
        """The shared-memory ring the capture process writes (its header names the process)."""
        return self._ring

    @property
    def frames_taken(self) -> int:
        """Device frames taken from the ring so far (lost ones included)."""
        return self._reader.position

    def __enter__(self) -> LiveInput:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            if not self.closed and self._proc is not None:
                self._proc.kill()
        except Exception:
            pass

    # -- the capture process ------------------------------------------------------------------
    def _child_config(self) -> dict:
        device: str | int | None = self.device_spec
        hostapi = None
        if self._resolved:  # reconnect by the name found the first time, not by index
            from .devices import base_name
            device, hostapi = base_name(self._resolved["name"]), self._resolved["hostapi"]
        return {"ring": self._ring.handle, "device": device, "hostapi": hostapi, "channels": self.channels,
                "samplerate": self.samplerate, "blocksize": self.blocksize, "latency": self.latency,
                "retry_s": self.retry_s, "client_name": self.client_name}

    def _spawn(self) -> None:
        hdr = self._ring.header
        hdr[R.STOP] = 0
        hdr[R.STATE] = R.ST_STARTING
        hdr[R.ATTEMPTS] = 0
        debug = bool(os.environ.get("VJ_AUDIO_DEBUG"))
        fd = self._ring.fd
        self._spawned_at = time.monotonic()
        self._spawns += 1
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "vj.audio.capture", json.dumps(self._child_config())],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=None if debug else subprocess.DEVNULL,
                pass_fds=(fd,) if fd is not None else (), start_new_session=True)
        except OSError as exc:
            self._proc = None
            self._set_note(f"cannot start the audio capture process: {exc}")

    def _stop_child(self, graceful: bool) -> None:
        """Stop the capture process (asking first when ``graceful``, then killing).  One that
        will not die is kept in ``_dying``: no new one starts while it might still write."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if graceful and proc.poll() is None:
            self._ring.header[R.STOP] = 1
            try:
                proc.wait(1.0)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None:
            proc.kill()
            try:
                proc.wait(2.0)
            except subprocess.TimeoutExpired:
                self._dying.append(proc)
        if proc.stdin is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass

    def _set_note(self, text: str) -> None:
        self._note_errors = int(self._ring.header[R.ERRORS])
        self._note = text

    def _supervise(self) -> None:
        while not self._closing.wait(0.05):
            try:
                with self._lock:
                    if not self._closing.is_set():
                        self._supervise_once()
            except Exception as exc:  # the supervisor must outlive anything
                self._set_note(f"supervisor: {exc!r}")

    def _supervise_once(self) -> None:
        now = time.monotonic()
        hdr, times = self._ring.header, self._ring.times
        state = int(hdr[R.STATE])
        if state == R.ST_RUNNING and now - float(times[R.F_LAST_CALLBACK]) < self.stall_s:
            self._note = ""
        if self._resolved is None and state == R.ST_RUNNING:
            try:
                self._resolved = json.loads(self._ring.get_text("name"))
            except ValueError:
                pass
        proc = self._proc
        if proc is None or proc.poll() is not None:
            # the stream died (device or server gone) or the process crashed: replace it
            self._stop_child(graceful=False)
            self._dying = [p for p in self._dying if p.poll() is None]
            if self._dying:  # two writers must never share the ring
                return
            if now - self._spawned_at >= self.retry_s or state == R.ST_LOST:
                self._spawn()
            return
        if state == R.ST_RUNNING:
            last = max(float(times[R.F_LAST_CALLBACK]), float(times[R.F_OPENED_AT]))
            if now - last > self.restart_s:  # open but no callbacks: a stuck stream; reopen it
                self._set_note(f"no audio for {now - last:.1f} s; reopening the device")
                self._stop_child(graceful=False)
                if not self._dying:
                    self._spawn()

    # -- the render thread's side -----------------------------------------------------------
    def read_new(self) -> np.ndarray:
        """Every sample since the previous call: mono float32 at ``analysis_rate``.

        While the input is disconnected it returns silence at the analysis rate by the wall
        clock.  Never raises.
        """
        now = self.clock()
        try:
            out = self._read_new(now)
            self._last_read = now
            return out
        except Exception as exc:  # noqa: BLE001 - nothing may reach the render loop; time keeps flowing
            self._reader_errors += 1
            self._reader_error = f"read_new: {exc!r}"
            n = min(max(int((now - self._last_read) * self.analysis_rate), 0), self._max_gap)
            self._last_read = now
            return np.zeros(n, np.float32)

    def _read_new(self, now: float) -> np.ndarray:
        if self.closed:
            return np.zeros(0, np.float32)
        hdr, times = self._ring.header, self._ring.times
        parts: list[np.ndarray] = []
        session = int(hdr[R.SESSION])
        if session != self._session:
            start = int(hdr[R.SESSION_START])
            if self._session and self._reader.position < start:  # the old stream's tail first
                parts += self._take(self._reader.read(self._columns, limit=start - self._reader.position))
            rate = float(hdr[R.RATE])
            self._session = session
            self._columns = ([c - 1 for c in self.channels] if self.channels
                             else list(range(int(hdr[R.CHANNELS_OPEN]) or 1)))
            if self._resampler is None or self._resampler.in_rate != int(round(rate)):
                self._resampler = StreamResampler(rate, self.analysis_rate)
            self._in_rate = rate
            if self._reader.position < start:
                self._reader.skip_to(start)
        got = False
        if self._session and self._reader.available() > 0:
            parts += self._take(self._reader.read(self._columns))
            got = True
        last_audio = float(times[R.F_LAST_CALLBACK]) if self._session else 0.0
        stale = (not self._session or now - max(last_audio, float(times[R.F_OPENED_AT])) > self.stall_s
                 or int(hdr[R.STATE]) != R.ST_RUNNING)
        if got or not stale:
            self._zero_origin = None
        else:
            if self._zero_origin is None:  # silence from when the last audio arrived
                self._zero_origin = max(last_audio, self._started_at)
                self._zeros_out = 0
                self._level = self._peak = self._ms = 0.0
            due = int((now - self._zero_origin) * self.analysis_rate) - self._zeros_out
            if due > self._max_gap:  # the reader was away for long: hand out the latest MAX_GAP_S only
                self._zeros_out += due - self._max_gap
                due = self._max_gap
            if due > 0:
                parts.append(np.zeros(due, np.float32))
                self._zeros_out += due
        if not parts:
            return np.zeros(0, np.float32)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _take(self, read: tuple[np.ndarray, int]) -> list[np.ndarray]:
        x, lost = read
        out = []
        if lost:  # keep the timeline: lost audio becomes silence of the same length (up to MAX_GAP_S)
            self._lost_carry += lost * self.analysis_rate / max(self._in_rate, 1.0)
            n = int(self._lost_carry)
            self._lost_carry -= n
            out.append(np.zeros(min(n, self._max_gap), np.float32))
        if x.size:  # meters: RMS smoothed over ~300 ms, peak-hold falling 20 dB/s
            dt = x.size / max(self._in_rate, 1.0)
            ms = float(np.mean(np.square(x, dtype=np.float64)))
            self._ms += (ms - self._ms) * (1.0 - math.exp(-dt / 0.3))
            self._level = math.sqrt(self._ms)
            self._peak = max(float(np.max(np.abs(x))), self._peak * 10.0 ** (-dt))
            assert self._resampler is not None
            out.append(self._resampler.process(x))
        return out

    def status(self) -> InputStatus:
        """A snapshot of the input's health; safe from any thread, never raises."""
        try:
            return self._status(self.clock())
        except Exception as exc:  # noqa: BLE001
            return InputStatus(device=str(self.device_spec), state="disconnected", connected=False,
                               sample_rate=0.0, analysis_rate=self.analysis_rate, error=f"status: {exc!r}")

    def _status(self, now: float) -> InputStatus:
        if self.closed:
            return InputStatus(device=self._device_name(), state="closed", connected=False, sample_rate=0.0,
                               analysis_rate=self.analysis_rate, overruns=self._reader.overruns)
        hdr, times = self._ring.header, self._ring.times
        session = int(hdr[R.SESSION])
        last = float(times[R.F_LAST_CALLBACK])
        since = now - last if last > 0 else math.inf
        running = int(hdr[R.STATE]) == R.ST_RUNNING
        connected = session > 0 and running and now - max(last, float(times[R.F_OPENED_AT])) <= self.stall_s
        state = "connected" if connected else ("connecting" if session == 0 else "disconnected")
        error = self._reader_error  # a bug on the reader's side: always shown
        if not connected and not error:  # the newer of the capture process's error and the supervisor's note
            errors = int(hdr[R.ERRORS])
            error = (self._ring.get_text("error") if errors > self._note_errors or not self._note
                     else self._note) if errors or self._note else ""
        rate = float(hdr[R.RATE])
        chans = tuple(self.channels) if self.channels else tuple(range(1, (int(hdr[R.CHANNELS_OPEN]) or 0) + 1))
        return InputStatus(
            device=self._device_name(), state=state, connected=connected, sample_rate=rate,
            analysis_rate=self.analysis_rate, hostapi=(self._resolved or {}).get("hostapi", ""),
            channels=chans, blocksize=int(hdr[R.BLOCKSIZE]), latency_s=float(times[R.F_LATENCY]),
            overruns=self._reader.overruns, lost_s=self._reader.lost_frames / rate if rate else 0.0,
            input_overflows=int(hdr[R.OVERFLOWS]), level=self._level if connected else 0.0,
            peak=self._peak if connected else 0.0, since_audio_s=since,
            reconnects=max(session - 1, 0), error=error)

    def _device_name(self) -> str:
        if self._resolved:
            return self._resolved["name"]
        return "default input" if self.device_spec is None else str(self.device_spec)
