"""MIDI controllers and MIDI clock: ports, hot-plugging, mapped controls, LED feedback, learn.

Threads, and what each may touch:

- rtmidi's input callbacks (one per opened port) only stamp each message with its arrival
  time (the driver's, on ``time.monotonic()``: ArrivalClock) and put it on one queue: a controller
  flooding vj costs a queue.
- the **dispatcher** thread owns every device's state: it turns messages into
  :class:`~vj.control.targets.Command` s (``ShowControl.submit``, through its MessageMapper), feeds
  the MIDI clock follower (``submit_clock``), runs MIDI learn, and sends LED feedback (its
  LedFeedback).  Show-state changes reach it from the frame thread through the same queue (the
  status listener only enqueues).
- the **watcher** thread polls port names every ``poll`` s: it opens controllers that appear
  (those a map matches, or every input with ``--midi all``) and closes those that vanish.

Nothing a controller sends, and no port that comes or goes, can raise into the show: every
problem becomes a log line (and ``ShowControl.reject`` for the panel).

Here: :class:`MidiSurface` (its life, the threads, clock and learn) and ``python -m vj.control.midi``;
the play command's side (``--midi`` options, ``start_midi``) is :mod:`vj.control.midi_play`.  Its parts, each in its
own module so that none outgrows a read: the ports and opened devices (:mod:`vj.control.midi_ports`),
messages to commands and the values soft takeover compares to (:mod:`vj.control.midi_messages`,
dispatcher only), what the LEDs show (:mod:`vj.control.midi_leds`, dispatcher only); maps, learn and
the clock follower are :mod:`~vj.control.midi_map`, :mod:`~vj.control.midi_learn` and
:mod:`~vj.control.midi_clock`.
"""
from __future__ import annotations

import queue
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from ..engine.rules import DEFAULT_RULES, FADERS
from ..errors import VjError
from .controller import ShowControl, ShowStatus, tagged
from .midi_clock import ArrivalClock, MidiClockFollower
from .midi_learn import DEFAULT_LEARN_FILE, Learned, Learner, parse_control, port_key, save_mapping
from .midi_leds import LedFeedback
from .midi_map import MidiMap, device_for, port_table, read_map
from .midi_messages import MessageMapper
from .midi_ports import Device, MidiBackend, list_ports

CLOCK_TYPES = frozenset({"clock", "start", "stop", "continue", "songpos"})
CLOCK_OWNER_SILENCE = 2.0                #: another port may take over the clock after this much silence
#: s the watcher waits for the dispatcher to let go of the controllers a stopped JACK server took with it
#: (it takes well under a millisecond unless the machine stalls); one let go later is never closed
SERVER_GONE_WAIT = 1.0



def stderr_log(line: str) -> None:
    """The surface's default log: a line on stderr, tagged."""
    print(f"vj: midi: {line}", file=sys.stderr, flush=True)


# ---- the surface ------------------------------------------------------------------------------

class MidiSurface:
    """Controllers and a MIDI clock, driving one :class:`ShowControl`."""

    def __init__(self, controls: ShowControl, maps: list[MidiMap], *, backend: MidiBackend,
                 select: str | None = None, clock_port: str | None = None,
                 learn_file: Path | None = None, poll: float = 1.0, learn_timeout: float = 30.0,
                 log: Callable[[str], None] = stderr_log):
        self.controls, self.maps, self.backend = controls, list(maps), backend
        self.select, self.clock_port = select or None, clock_port or None
        self.learn_file = Path(learn_file).expanduser() if learn_file else DEFAULT_LEARN_FILE.expanduser()
        self.poll, self.log = poll, log
        self.devices: dict[str, Device] = {}          # dispatcher's view
        self.learner = Learner(timeout=learn_timeout)
        self.learn_status = ""                        #: for the panel: what learn is doing / did
        self.clock = MidiClockFollower()
        self._clock_owner: str | None = None
        self._clock_seen = 0.0
        self.values: dict[str, float] = {}            #: the show's value of each ranged control, as far as known
        self._seed_values()
        self.leds = LedFeedback(controls, self.devices, self.values)   #: the dispatcher's LED side
        self.counts = {"messages": 0, "commands": 0, "ignored": 0, "errors": 0}
        self.mapper = MessageMapper(controls, self.values, self.counts, state_changed=self.leds.state_changed,
                                    problem=self._problem)   #: the dispatcher's messages to commands
        self._q: queue.SimpleQueue = queue.SimpleQueue()
        self._stop = threading.Event()
        self._opened: dict[str, Device] = {}          # watcher's view
        self._watch_errors: set[str] = set()
        self._names_seen: set[str] = set()
        self._applied_last: object = None
        self._threads: list[threading.Thread] = []
        self._lost: dict[str, str] = {}              #: port -> label: controllers the JACK server took with it

    def _seed_values(self) -> None:
        """What vj shows before anyone moved a control: the rules' defaults (soft takeover compares to these)."""
        for r in FADERS:
            self.values[r.control] = float(r.public(r.default))
        self.values["tempo/bpm"] = DEFAULT_RULES.fallback_bpm
        self.values["output/blackout"] = 0.0

    # -- life ------------------------------------------------------------------------------------
    def start(self) -> "MidiSurface":
        self.controls.handlers["midi/learn"] = self._on_learn_command
        self.controls.handlers["midi/learn_cancel"] = lambda cmd: self._q.put(("cancel",))
        self.controls.add_status_listener(self._on_status)
        self.scan()                                     # controllers already plugged in open now
        for fn, name in ((self._dispatch_loop, "midi-dispatch"), (self._watch_loop, "midi-watch")):
            th = threading.Thread(target=fn, name=name, daemon=True)
            th.start()
            self._threads.append(th)
        return self

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        done = threading.Event()
        self._q.put(("stop", done))
        if self._threads and self._threads[0].is_alive():
            done.wait(2.0)
        for th in self._threads:
            th.join(2.0)
        for dev in list(self._opened.values()):   # whatever the dispatcher did not get to
            self._shutdown_device(dev, farewell=False)
        self.controls.handlers.pop("midi/learn", None)
        self.controls.handlers.pop("midi/learn_cancel", None)
        self.backend.close()

    def stats(self) -> dict:
        """What MIDI took and ignored, and the devices open now (for ``vj play --stats``)."""
        return {"counts": dict(self.counts), "devices": sorted(self._opened)}

    # -- the watcher thread ------------------------------------------------------------------------
    def wanted(self, port: str) -> bool:
        low = port.lower()
        if self.select == "all":
            return True
        if self.select and self.select.lower() in low:
            return True
        if self.clock_port and self.clock_port.lower() in low:
            return True
        for m in self.maps:
            if m.is_device:
                if m.matches(port):
                    return True
            elif any(p.lower() in low for p in m.ports()):
                return True
        return False

    def _watch_loop(self) -> None:
        while not self._stop.wait(self.poll):
            self.scan()

    def _show_ports(self) -> None:
        """What the HUD and panel say about MIDI."""
        labels = [d.device_map.name if d.device_map else n for n, d in self._opened.items()]
        self.controls.surfaces["midi"] = ("JACK server gone" if self.backend.down else
                                          ", ".join(labels) if labels else "no controller")

    def scan(self) -> None:
        """Open ports that appeared, close those that vanished (the watcher thread, and start)."""
        if self.backend.server_gone():
            self._server_gone()
        if self.backend.down and not self._server_back():
            return
        self.backend.reap()
        try:
            names = self.backend.input_names()
        except Exception as exc:
            self._watch_problem(f"cannot list MIDI ports: {exc}")
            return
        self._watch_errors.discard("list")
        if set(names) != self._names_seen:         # someone changed the graph: let it settle first
            self._names_seen = set(names)
            self.backend.gate.seen()
        for name in [n for n in self._opened if n not in names]:
            dev = self._opened.pop(name)
            self.log(f"{dev.label} ({name}) disconnected")
            self._q.put(("close", dev))
            self._show_ports()
        outputs: list[str] | None = None
        for name in names:
            if name in self._opened or not self.wanted(name):
                continue
            dev = Device(name, device_map=device_for(self.maps, name), epoch=self.backend.epoch)
            try:
                dev.rt_in = self.backend.open_input(name, self._callback(dev))
            except Exception as exc:
                self._watch_problem(f"cannot open {name}: {exc}")
                continue
            if outputs is None:
                outputs = self._outputs()
            self._attach_output(dev, outputs)
            self._opened[name] = dev
            via = f" (map {dev.device_map.name})" if dev.device_map else ""
            fb = f", LEDs on {dev.out_name}" if dev.rt_out is not None else ""
            self.log(f"opened {name}{via}{fb}")
            if self._lost.pop(name, None) is not None:
                self.log(f"{dev.label} is back ({name}): its controls work again")
            self._q.put(("open", dev))
            self._show_ports()
        for dev in self._opened.values():   # an output that shows up after its input
            if dev.rt_out is None and (dev.device_map is None or dev.device_map.feedback):
                if outputs is None:
                    outputs = self._outputs()
                if self._attach_output(dev, outputs):
                    self._q.put(("refresh", dev))

    def _server_gone(self) -> None:
        """The JACK server ended (killed, crashed, restarted): its controllers went with it.  Their ports are
        closed (the dispatcher retires them, the backend closes them) before any client of a new server opens."""
        lost = dict(self._opened)
        self._opened.clear()
        for dev in lost.values():
            self._q.put(("close", dev))
        done = threading.Event()
        self._q.put(("sync", done))
        if self._threads and self._threads[0].is_alive():
            done.wait(SERVER_GONE_WAIT)   # a port the dispatcher retires later is never closed (see retire)
        self.backend.forget_server()
        self._names_seen = set()
        self._lost.update({n: d.label for n, d in lost.items()})
        said = ", ".join(f"{d.label} ({n})" for n, d in lost.items()) or "no controller was open"
        self._problem(f"the JACK server stopped: MIDI is gone with it ({said}). The show plays on; "
                      "vj opens the controllers again by itself when JACK is back (start jackd again)")
        self._show_ports()

    def _server_back(self) -> bool:
        """While the JACK server is gone: whether one answers again (each poll, at once when none runs)."""
        try:
            if not self.backend.server_back():
                return False
        except Exception as exc:   # a server half up: tried again at the next poll
            self._watch_problem(f"JACK is back but MIDI cannot open on it yet: {exc}")
            return False
        waiting = ", ".join(sorted(set(self._lost.values())))
        self.log("the JACK server is back: MIDI ports are watched again"
                 + (f"; waiting for {waiting} to reappear" if waiting else ""))
        self._show_ports()
        return True

    def _outputs(self) -> list[str]:
        try:
            return self.backend.output_names()
        except Exception:
            return []

    def _attach_output(self, dev: Device, outputs: list[str]) -> bool:
        if dev.device_map is not None:
            cands = [o for o in outputs if dev.device_map.output_matches(o)]
        else:
            stem = port_key(dev.name).split(":", 1)[-1]
            cands = [o for o in outputs if port_key(o).split(":", 1)[-1] == stem]
        for name in cands:
            try:
                dev.rt_out, dev.out_name = self.backend.open_output(name), name
                return True
            except Exception as exc:
                self._watch_problem(f"cannot open {name} for LEDs: {exc}")
        return False

    def _watch_problem(self, text: str) -> None:
        if text not in self._watch_errors:
            self._watch_errors.add(text)
            self.log(text)

    def _callback(self, dev: Device) -> Callable:
        put = self._q.put
        arrival = ArrivalClock()  # the driver's timing, not when Python got round to it (see ArrivalClock)

        def on_midi(event, data=None) -> None:       # rtmidi's thread: stamp and queue, nothing else
            put(("midi", dev, event[0], arrival.stamp(event[1], time.monotonic())))
        return on_midi

    # -- the frame thread --------------------------------------------------------------------------
    def _on_learn_command(self, cmd) -> None:
        target, args = parse_control(cmd.args[0])   # a ControlError here is shown by ShowControl
        self._q.put(("learn", target, args))

    def _on_status(self, status: ShowStatus, changed: frozenset) -> None:
        """Frame thread: pass the new state (and values other surfaces set) to the dispatcher."""
        applied = self.controls.applied
        seen: list[tuple] = []
        for entry in reversed(applied):
            if entry is self._applied_last:
                break
            seen.append(entry)
        if applied:
            self._applied_last = applied[-1]
        others = [(t, a) for (o, t, a) in reversed(seen) if not o.startswith("midi") and
                  (t in self.values or t == "zoom/speed_step")]
        self._q.put(("status", status, changed, others, self.controls.fx_values))

    # -- the dispatcher thread ----------------------------------------------------------------------
    def _dispatch_loop(self) -> None:
        while True:
            timeout = self.leds.wait(0.05)
            try:
                item = self._q.get(timeout=timeout)
            except queue.Empty:
                item = None
            try:
                if item is not None and item[0] == "stop":
                    self._shutdown_all()
                    item[1].set()
                    return
                if item is not None:
                    self._handle(item)
                now = time.monotonic()
                self.leds.end_flashes(now)
                self._learn_result(self.learner.poll(now))
            except Exception as exc:  # nothing from a controller may stop MIDI, let alone the show
                self.counts["errors"] += 1
                self._problem(f"{type(exc).__name__}: {exc}")

    def _handle(self, item: tuple) -> None:
        kind = item[0]
        if kind == "midi":
            _, dev, data, stamp = item
            if not dev.closed:
                self._on_midi(dev, data, stamp)
        elif kind == "sync":
            item[1].set()
        elif kind == "open":
            dev = item[1]
            self.devices[dev.name] = dev
            self._rebuild(dev)
            if dev.device_map is not None:
                for sysex in dev.device_map.init:
                    dev.send(sysex)
            self.leds.refresh(dev)
        elif kind == "refresh":
            self.leds.refresh(item[1])
        elif kind == "close":
            dev = item[1]
            self.devices.pop(dev.name, None)
            if self._clock_owner == dev.name:
                self._clock_lost(dev)
            self._shutdown_device(dev, farewell=False)
        elif kind == "status":
            _, status, changed, others, fx_values = item
            first, self.leds.status = self.leds.status is None, status
            if first:
                for dev in self.devices.values():
                    self.leds.refresh(dev)
            with_values = self.mapper.note_values(status, others, fx_values)
            self.leds.status_changed(status, changed, with_values)
        elif kind == "learn":
            _, target, args = item
            self.learner.arm(target, args, time.monotonic())
            self.learn_status = f"learning {target}{' ' + ' '.join(map(str, args)) if args else ''}: move a control"
            self.log(self.learn_status)
        elif kind == "cancel":
            if self.learner.armed:
                self.learner.cancel()
                self.learn_status = "learn cancelled"
                self.log(self.learn_status)

    def _problem(self, text: str) -> None:
        self.log(text)
        self.controls.reject(tagged("midi", text))

    # -- messages (the mapped controls: MessageMapper) -----------------------------------------------
    def _on_midi(self, dev: Device, data: list[int], stamp: float) -> None:
        import mido
        self.counts["messages"] += 1
        try:
            msg = mido.Message.from_bytes(data)
        except (ValueError, TypeError, IndexError):
            self.counts["ignored"] += 1
            return
        if msg.type in CLOCK_TYPES:
            self._on_clock(dev, msg, stamp)
            return
        if self.learner.armed:
            self._learn_result(self.learner.offer(dev.name, msg, stamp))
            return
        self.mapper.handle(dev, msg, stamp)

    # -- clock ---------------------------------------------------------------------------------------
    def _on_clock(self, dev: Device, msg, stamp: float) -> None:
        if self.clock_port:
            if self.clock_port.lower() not in dev.name.lower():
                return
        elif self._clock_owner != dev.name:
            if self._clock_owner is not None and stamp - self._clock_seen < CLOCK_OWNER_SILENCE:
                return   # one clock at a time: another port drives the tempo
            if self._clock_owner is not None:
                self.log(f"MIDI clock now from {dev.name}")
            self._clock_owner = dev.name
            self.clock = MidiClockFollower()
        self._clock_owner = dev.name
        self._clock_seen = stamp
        reading = self.clock.feed(stamp, msg)
        if reading is not None:
            self.controls.submit_clock(reading)

    def _clock_lost(self, dev: Device) -> None:
        if self.clock.running is not False:
            reading = self.clock.feed(time.monotonic(), "stop")
            if reading is not None:
                self.controls.submit_clock(reading)
        self._clock_owner = None
        self.clock = MidiClockFollower()

    # -- learn ---------------------------------------------------------------------------------------
    def _learn_result(self, result) -> None:
        if result is None:
            return
        if isinstance(result, str):
            self.learn_status = f"learn: {result}"
            self.log(self.learn_status)
            return
        assert isinstance(result, Learned)
        try:
            what = save_mapping(self.learn_file, result)
        except (VjError, OSError) as exc:
            self.learn_status = f"learn failed: {exc}"
            self._problem(self.learn_status)
            return
        new, problems = read_map(self.learn_file)
        if new is not None and not problems:
            self.maps = [m for m in self.maps if m.path != new.path] + [new]
            for dev in self.devices.values():
                self._rebuild(dev)
                self.leds.refresh(dev)
        self.learn_status = f"learned {result.describe()}: {what} in {self.learn_file}"
        self.log(self.learn_status)

    # -- maps and LEDs (what each LED shows: LedFeedback) ---------------------------------------
    def _rebuild(self, dev: Device) -> None:
        dev.table = port_table(self.maps, dev.name)
        dev.lsb = {(m.channel, m.lsb): m for m in dev.table.values() if m.kind == "cc14"}

    def _shutdown_device(self, dev: Device, *, farewell: bool) -> None:
        if dev.closed:
            return
        if farewell and dev.rt_out is not None:
            try:
                for m in dev.table.values():
                    if m.led != "none":
                        dev.led(m, 0)
                if dev.device_map is not None:
                    for sysex in dev.device_map.exit:
                        dev.send(sysex)
            except Exception:
                pass
        dev.closed = True
        self.backend.retire(dev.rt_in, dev.epoch)    # closed by the watcher, one JACK graph change at a time
        self.backend.retire(dev.rt_out, dev.epoch)
        dev.rt_in = dev.rt_out = None

    def _shutdown_all(self) -> None:
        for dev in list(self.devices.values()) + list(self._opened.values()):
            self._shutdown_device(dev, farewell=True)
        self.devices.clear()


def main(argv: list[str] | None = None) -> int:
    """``python -m vj.control.midi [--midi-backend API]``: list the MIDI ports and the map each matches."""
    return list_ports(argv, prog="python -m vj.control.midi")


if __name__ == "__main__":
    raise SystemExit(main())
