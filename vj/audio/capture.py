"""The audio capture process: opens the sound card and copies its blocks into the shared ring.

Started by :class:`vj.audio.live.LiveInput` as ``python -m vj.audio.capture CONFIG_JSON`` (the
installed package, whatever the working folder), with the ring's file descriptor inherited and
its stdin a pipe from the show process (closed: the show is gone, stop).  Why a process of its
own: see :mod:`vj.audio.live`.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time

from ..errors import VjError
from . import ring as R
from .ring import RingWriter, SharedRing


def main(config_json: str) -> None:
    """Entry point of the capture process (``python -m vj.audio.capture CONFIG``).

    Opens the device and runs the stream until it dies or the show process asks it to stop.
    While the device is missing it retries every ``retry_s``.  Exits with ``os._exit``:

    * asked to stop (or the show process is gone): stop and close the stream and close the
      JACK client (Pa_Terminate), so a JACK server in synchronous mode is not left waiting
      for a vanished client (it stalls the whole graph for the client timeout, 5 s here);
    * the stream died: at once, without closing anything (with the JACK server gone,
      Pa_CloseStream hangs and Pa_Terminate aborts).
    """
    from .child import leave_realtime
    leave_realtime()   # inherited from a real-time show: PortAudio's callback thread sets its own priority
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


if __name__ == "__main__":
    main(sys.argv[1])
