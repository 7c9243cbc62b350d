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

:class:`FileInput` has the same reader API and plays a decoded file by a clock (the wall
clock, or one a test advances).
"""

from __future__ import annotations

import gc
import json
import math
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from ..errors import Problem, VjError
from . import ring as R
from .ring import RingReader, RingWriter, SharedRing

ANALYSIS_RATE = 44100
#: Most silence one read_new hands out for a gap (a reader that was away for minutes must
#: not get minutes of zeros to analyse in one frame).
MAX_GAP_S = 3.0


@dataclass(frozen=True, slots=True)
class InputStatus:
    """What the operator's screen shows about the audio input."""

    device: str                   #: device name (or file name)
    state: str                    #: "connecting", "connected", "disconnected", "closed" (file: "playing", "ended")
    connected: bool               #: real audio is arriving
    sample_rate: float            #: device rate, Hz (0 before the first connection)
    analysis_rate: int            #: rate of what read_new returns
    hostapi: str = ""
    channels: tuple[int, ...] = ()  #: 1-based channels mixed to mono
    blocksize: int = 0
    latency_s: float = 0.0        #: input latency PortAudio reports for the stream
    overruns: int = 0             #: times the reader fell behind the ring and lost audio
    lost_s: float = 0.0           #: audio lost to overruns, seconds
    input_overflows: int = 0      #: PortAudio input-overflow flags (the driver dropped audio)
    level: float = 0.0            #: RMS over about the last 300 ms (linear, 1.0 = full scale)
    peak: float = 0.0             #: peak |sample|, held and falling 20 dB/s
    since_audio_s: float = math.inf  #: seconds since the last audio callback
    reconnects: int = 0           #: streams opened after the first one
    error: str = ""               #: the latest problem, for the operator

    @property
    def level_db(self) -> float:
        return 20 * math.log10(self.level) if self.level > 0 else -math.inf

    @property
    def peak_db(self) -> float:
        return 20 * math.log10(self.peak) if self.peak > 0 else -math.inf

    def line(self) -> str:
        """One status line, e.g. for `vj audio monitor`."""
        lvl = f"{self.level_db:6.1f}" if self.level > 0 else "  -inf"
        pk = f"{self.peak_db:6.1f}" if self.peak > 0 else "  -inf"
        text = (f"{self.state:<12} {self.device[:32]:<32} {self.sample_rate:>6g} Hz  "
                f"rms {lvl} dBFS  peak {pk} dBFS  overruns {self.overruns}  "
                f"overflows {self.input_overflows}  reconnects {self.reconnects}")
        if not self.connected and self.error:
            text += f"  ({self.error.splitlines()[0][:120]})"
        return text


class AudioInput(Protocol):
    """What the render loop uses: LiveInput and FileInput both provide it."""

    analysis_rate: int

    def start(self) -> None: ...
    def read_new(self) -> np.ndarray: ...
    def status(self) -> InputStatus: ...
    def close(self) -> None: ...


class StreamResampler:
    """Streaming sample-rate conversion of mono float32 with FFmpeg's swresample (via PyAV).

    Feed blocks of any length; the output is the same whatever the blocking (swresample
    keeps its filter state between calls) and about 16 input samples are held back.
    Equal rates pass through.
    """

    def __init__(self, in_rate: float, out_rate: int = ANALYSIS_RATE):
        self.in_rate = int(round(in_rate))
        self.out_rate = int(out_rate)
        self._resampler = None

    @property
    def passthrough(self) -> bool:
        return self.in_rate == self.out_rate

    def process(self, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=np.float32)
        if self.passthrough or x.size == 0:
            return x if self.passthrough else np.zeros(0, np.float32)
        import av

        if self._resampler is None:
            self._resampler = av.AudioResampler(format="flt", layout="mono", rate=self.out_rate)
        frame = av.AudioFrame.from_ndarray(x.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self.in_rate
        outs = [np.frombuffer(f.planes[0], np.float32, count=f.samples) for f in self._resampler.resample(frame)]
        if not outs:
            return np.zeros(0, np.float32)
        return np.concatenate(outs) if len(outs) > 1 else outs[0].copy()  # copy: the frame's buffer is reused


# ---------------------------------------------------------------------------------------------
# LiveInput: the show process's side


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
    """

    def __init__(self, device: str | int | None = None, channels: list[int] | None = None,
                 samplerate: float | None = None, blocksize: int = 0, latency: str | float = "low",
                 analysis_rate: int = ANALYSIS_RATE, ring_seconds: float = 4.0,
                 stall_s: float = 0.5, retry_s: float = 1.0, restart_s: float = 1.0,
                 client_name: str = "vj"):
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
        self._started_at = self._last_read = time.monotonic()
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
        self._started_at = time.monotonic()
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
        self._started_at = time.monotonic()
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
        pkg_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = pkg_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        debug = bool(os.environ.get("VJ_AUDIO_DEBUG"))
        fd = self._ring.fd
        self._spawned_at = time.monotonic()
        self._spawns += 1
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-c", "import sys; from vj.audio.live import _child_main; _child_main(sys.argv[1])",
                 json.dumps(self._child_config())],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=None if debug else subprocess.DEVNULL,
                pass_fds=(fd,) if fd is not None else (), env=env, start_new_session=True)
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
        now = time.monotonic()
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
            return self._status(time.monotonic())
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


# ---------------------------------------------------------------------------------------------
# The capture process


def _child_main(config_json: str) -> None:
    """Entry point of the capture process (``python -c ... _child_main(CONFIG)``).

    Opens the device and runs the stream until it dies or the show process asks it to stop.
    While the device is missing it retries every ``retry_s``.  Exits with ``os._exit``:

    * asked to stop (or the show process is gone): stop and close the stream and close the
      JACK client (Pa_Terminate), so a JACK server in synchronous mode is not left waiting
      for a vanished client (it stalls the whole graph for the client timeout, 5 s here);
    * the stream died: at once, without closing anything (with the JACK server gone,
      Pa_CloseStream hangs and Pa_Terminate aborts).
    """
    cfg = json.loads(config_json)
    ring = SharedRing.attach(cfg["ring"])
    hdr, times = ring.header, ring.times
    hdr[R.CHILD_PID] = os.getpid()
    orphaned = threading.Event()

    def orphan_watch() -> None:  # the show process died or closed our stdin: stop, cleanly if we can
        try:
            sys.stdin.buffer.read()
        finally:
            orphaned.set()
            time.sleep(3.0)
            os._exit(0)

    threading.Thread(target=orphan_watch, daemon=True).start()

    def stopping() -> bool:
        return bool(hdr[R.STOP]) or orphaned.is_set()

    def pause(seconds: float) -> None:
        end = time.monotonic() + seconds
        while not stopping() and time.monotonic() < end:
            time.sleep(0.05)

    def fail(message: str, state: int = R.ST_SEARCHING) -> None:
        ring.set_text("error", message)
        hdr[R.STATE] = state

    from .devices import check_channels, find_input_device, list_input_devices, set_jack_client_name

    if cfg.get("client_name"):
        set_jack_client_name(cfg["client_name"])  # before PortAudio initialises
    try:
        import sounddevice as sd
    except OSError as exc:
        fail(f"audio: PortAudio is not available ({exc}). Fix: run `make setup` (apt-get install libportaudio2)")
        os._exit(2)

    def quit_cleanly(stream=None) -> None:
        try:
            if stream is not None:
                if not stream.active:  # died meanwhile: closing could hang
                    os._exit(0)
                stream.stop()
                stream.close()
            sd._terminate()
        finally:
            hdr[R.STATE] = R.ST_STOPPED
            os._exit(0)

    first = True
    while not stopping():
        hdr[R.ATTEMPTS] += 1
        if not first:  # PortAudio lists devices once per initialisation: look again
            sd._terminate()
            sd._initialize()
        first = False
        stream = None
        try:
            dev = find_input_device(cfg["device"], list_input_devices(sd), prefer_hostapi=cfg.get("hostapi"))
            chans = check_channels(cfg["channels"], dev)
            n_open = max(chans) if cfg["channels"] else len(chans)
            writer = RingWriter(ring, n_open)
            rate = float(cfg["samplerate"] or dev.default_rate)
            stream = sd.InputStream(device=dev.index, channels=n_open, samplerate=rate,
                                    blocksize=int(cfg["blocksize"]), dtype="float32",
                                    latency=cfg["latency"], callback=writer.callback)
            ring.set_text("name", json.dumps({"name": dev.name, "hostapi": dev.hostapi}))
            hdr[R.RATE] = int(round(stream.samplerate))
            hdr[R.CHANNELS_OPEN] = n_open
            hdr[R.BLOCKSIZE] = int(cfg["blocksize"])
            times[R.F_LATENCY] = float(stream.latency)
            hdr[R.SESSION_START] = writer.written
            times[R.F_OPENED_AT] = time.monotonic()
            hdr[R.SESSION] += 1                 # publish the session before any of its audio
            stream.start()
        except VjError as exc:
            fail(str(exc))
            pause(float(cfg["retry_s"]))
            continue
        except Exception as exc:  # PortAudioError, ValueError (bad rate) ...
            what = cfg["device"] if cfg["device"] is not None else "the default input"
            fail(f"audio: cannot open {what!r}: {exc}")
            if stream is not None:
                stream.close()
            pause(float(cfg["retry_s"]))
            continue
        hdr[R.STATE] = R.ST_RUNNING
        gc.collect()
        gc.freeze()  # what exists now is never scanned again: collections stay tiny
        while not stopping():
            time.sleep(0.05)
            if not stream.active:  # device unplugged, JACK server gone, host error
                fail(f"audio: {dev.name!r} stopped delivering audio (unplugged, or the audio server went away)",
                     R.ST_LOST)
                os._exit(3)        # never close or terminate a dead JACK stream: it hangs/aborts
        quit_cleanly(stream)
    quit_cleanly()


# ---------------------------------------------------------------------------------------------
# FileInput


class FileInput:
    """A decoded track played by a clock, with LiveInput's reader API.

    ``source``: a path (decoded with :func:`~vj.audio.file_source.load_audio`), an
    :class:`~vj.audio.file_source.AudioData`, or a mono array at ``analysis_rate``.
    ``clock``: seconds, monotonic; the wall clock by default.  A test passes its own and
    advances it as fast as it likes.  After the end it returns silence (time keeps
    flowing), or starts again with ``loop``.
    """

    def __init__(self, source, analysis_rate: int = ANALYSIS_RATE,
                 clock: Callable[[], float] = time.monotonic, loop: bool = False):
        from .file_source import AudioData, load_audio

        if isinstance(source, AudioData):
            if source.sample_rate != analysis_rate:
                source = load_audio(source.path, analysis_rate)
            self.samples, self.name = source.samples, str(source.path)
        elif isinstance(source, np.ndarray):
            self.samples, self.name = np.asarray(source, np.float32).reshape(-1), "samples"
        else:
            data = load_audio(source, analysis_rate)
            self.samples, self.name = data.samples, str(data.path)
        self.analysis_rate = int(analysis_rate)
        self.clock = clock
        self.loop = loop
        self._t0: float | None = None
        self._pos = 0
        self._level = self._peak = 0.0
        self.closed = False

    @property
    def duration(self) -> float:
        return len(self.samples) / self.analysis_rate

    @property
    def position(self) -> float:
        """Seconds handed out so far."""
        return self._pos / self.analysis_rate

    def start(self) -> FileInput:
        if self._t0 is None:
            self._t0 = self.clock()
        return self

    def read_new(self) -> np.ndarray:
        if self._t0 is None or self.closed:
            return np.zeros(0, np.float32)
        due = int((self.clock() - self._t0) * self.analysis_rate + 1e-6)  # 1e-6: float clocks land just short
        n = due - self._pos
        if n <= 0:
            return np.zeros(0, np.float32)
        out = self._slice(self._pos, due)
        self._pos = due
        if out.size:
            self._level = float(np.sqrt(np.mean(np.square(out, dtype=np.float64))))
            self._peak = float(np.max(np.abs(out)))
        return out

    def _slice(self, a: int, b: int) -> np.ndarray:
        total = len(self.samples)
        if not self.loop or total == 0:
            out = np.zeros(b - a, np.float32)
            if a < total:
                out[:min(b, total) - a] = self.samples[a:min(b, total)]
            return out
        idx = np.arange(a, b) % total
        return self.samples[idx].astype(np.float32, copy=False)

    def status(self) -> InputStatus:
        playing = self._t0 is not None and not self.closed and (self.loop or self._pos < len(self.samples))
        state = "closed" if self.closed else ("playing" if playing else ("ended" if self._t0 is not None else "connecting"))
        return InputStatus(device=self.name, state=state, connected=playing, sample_rate=float(self.analysis_rate),
                           analysis_rate=self.analysis_rate, channels=(1,), level=self._level if playing else 0.0,
                           peak=self._peak if playing else 0.0, since_audio_s=0.0 if playing else math.inf)

    def close(self) -> None:
        self.closed = True

    def __enter__(self) -> FileInput:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
