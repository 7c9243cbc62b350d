"""Play a track out loud in step with a FileInput, from a child process.

When `vj play` listens to a file (rehearsing at home, or the demo with no input
device), the performer must hear it.  PortAudio never loads in the show process (its
JACK backend can hang or abort when a server goes away; see docs/AUDIO.md), so a
child process plays the file: it starts at the same monotonic instant as the
FileInput's clock (CLOCK_MONOTONIC is shared by processes on Linux), skips what it
is late for, and compensates the output latency PortAudio reports.  No output
device means no sound, never a stopped show.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

RATE = 48000
#: what the show does when it cannot sound: it still listens to the file (named in the message)
FALLBACK = "the show still follows the track, silently"


class Playback:
    """A child process playing ``path`` so that its sample at ``t`` sounds at ``start_at + t`` (monotonic)."""

    def __init__(self, path: Path, start_at: float, device: str | None = None):
        """``device``: an output device (index or part of its name); None: the default output."""
        self.path = Path(path)
        self.proc = subprocess.Popen([sys.executable, "-m", "vj.audio.playback", str(self.path), repr(start_at),
                                      *([device] if device is not None else [])],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []   #: what the child said so far ("playing ...", "no sound: ...")
        self._reader = threading.Thread(target=self._read, name="playback-said", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            if line.strip():
                self.lines.append(line.strip())

    def said(self) -> str:
        """The child's first word so far (non-blocking): where it plays, or why there is no sound."""
        return self.lines[0] if self.lines else ""

    def status(self) -> str:
        return "playing" if self.proc.poll() is None else f"stopped ({self.proc.returncode})"

    def close(self) -> str:
        """Stop playback; returns what the child said (e.g. why there was no sound)."""
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()  # the child stops when its stdin closes
            except OSError:
                pass
            try:
                self.proc.wait(2.0)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(2.0)
        return "\n".join(self.lines)


def _main(path: str, start_at: float, device: str | None = None) -> int:
    import threading

    import signal

    from .child import leave_realtime
    leave_realtime()   # inherited from a real-time show: it decodes the whole track first, at normal priority
    if hasattr(signal, "SIGHUP"):   # the terminal closing: the show plays on (vj.live.signals), and so does its sound
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    from .devices import import_sounddevice
    from .file_source import load_audio

    stop = threading.Event()

    def watch_stdin() -> None:  # the show closed us (or died): stop
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        audio = load_audio(path, RATE).samples
        sd = import_sounddevice()
        pos = [0]

        def callback(out, frames, _time, _status):
            chunk = audio[pos[0]:pos[0] + frames]
            out[:len(chunk), 0] = chunk
            out[len(chunk):, 0] = 0.0
            pos[0] += frames

        out = int(device) if device is not None and device.isdigit() else device
        stream = sd.OutputStream(samplerate=RATE, channels=1, dtype="float32", callback=callback, latency="low",
                                 device=out)
    except Exception as exc:
        print(f"no sound: {no_sound_reason(sd if 'sd' in locals() else None, device, exc)}; {FALLBACK}", flush=True)
        return 0
    with stream:
        # start where the show's clock is, plus the output latency, so what is heard matches the visuals
        pos[0] = max(0, int((time.monotonic() - start_at + stream.latency) * RATE))
        print(f"playing {Path(path).name} on {stream.device} (latency {stream.latency * 1000:.0f} ms)", flush=True)
        while not stop.is_set() and pos[0] < len(audio):
            stop.wait(0.1)
    return 0


def no_sound_reason(sd, device: str | None, exc: Exception) -> str:
    """Why a track cannot be heard, in a performer's words (PortAudio says "Error querying device -1")."""
    if sd is None:
        return f"PortAudio is not available ({exc})"
    try:
        outputs = [d["name"] for d in sd.query_devices() if d["max_output_channels"] > 0]
    except Exception:
        outputs = []
    if not outputs:
        asked = f" ({device!r} was asked for)" if device is not None else ""
        return f"this machine has no sound output device{asked}: plug one in, or start JACK, then restart vj play"
    if device is not None:
        return (f"the sound output {device!r} could not be opened ({exc}); outputs here: "
                + ", ".join(outputs[:6]))
    return f"the default sound output could not be opened ({exc}); choose one of: " + ", ".join(outputs[:6])


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1], float(sys.argv[2]), *sys.argv[3:4]))
