"""LED feedback for MIDI controllers: what each mapped LED shows, and the beat flashes.

Split from :class:`vj.control.midi.MidiSurface` so that the surface reads as its threads: the
surface's **dispatcher** thread alone calls :class:`LedFeedback`, when a device opens, a control
moves, MIDI learn changes the maps, or the frame thread passes on a new ShowStatus.  It reads the
surface's ``devices`` and ``values`` (the same dicts, the dispatcher's) and keeps the last status and
the beat flashes still to end.
"""

from __future__ import annotations

import heapq
import time

from .controller import ShowControl, ShowStatus
from .midi_map import Mapping
from .midi_ports import Device

FLASH = 0.1                              #: beat flash length (s)


class LedFeedback:
    """The LEDs of every opened device, driven from the dispatcher thread."""

    def __init__(self, controls: ShowControl, devices: dict[str, Device], values: dict[str, float]):
        self.controls, self.devices, self.values = controls, devices, values
        self.status: ShowStatus | None = None      #: the last ShowStatus the frame thread passed on
        self._timers: list[tuple[float, int, str, Mapping, int]] = []
        self._timer_n = 0

    def wait(self, longest: float) -> float:
        """How long the dispatcher may wait for a message: ``longest``, or less when a beat flash ends sooner."""
        timeout = longest
        if self._timers:
            timeout = max(0.0, min(timeout, self._timers[0][0] - time.monotonic()))
        return timeout

    def end_flashes(self, now: float) -> None:
        """Turn off the beat flashes that are over."""
        while self._timers and self._timers[0][0] <= now:
            _, _, name, m, value = heapq.heappop(self._timers)
            dev = self.devices.get(name)
            if dev is not None:
                dev.led(m, value)

    def led_value(self, m: Mapping, status: ShowStatus | None) -> int | None:
        """What ``m``'s LED shows now (None: leave it as it is)."""
        if m.led in ("press", "beat"):
            return m.led_off
        if m.led == "state":
            return m.led_on if self.values.get(m.target) == m.hi else m.led_off
        if status is None:
            return m.led_off if m.led != "clip" else None
        if m.led == "blackout":
            return m.led_on if status.blackout else m.led_off
        if m.led == "song":
            return m.led_on if status.song == m.index else m.led_off
        if m.led == "clip":
            songs = self.controls.songs
            ids = songs[self.controls.song].clip_ids if songs and 0 <= self.controls.song < len(songs) else ()
            if m.index is None or m.index > len(ids):
                return 0
            cid = ids[m.index - 1]
            return m.led_on if cid == status.clip else m.led_next if cid == status.next_clip else m.led_off
        return None

    def refresh(self, dev: Device) -> None:
        """Every LED of ``dev`` sent again (a device opened, an output found, maps learned)."""
        dev.leds.clear()
        for m in dev.table.values():
            if m.led != "none":
                v = self.led_value(m, self.status)
                if v is not None:
                    dev.led(m, v)

    def state_changed(self, target: str) -> None:
        """A control moved from MIDI: the LEDs that show its state."""
        for dev in self.devices.values():
            for m in dev.table.values():
                if m.target == target and m.led == "state":
                    dev.led(m, self.led_value(m, self.status))

    def status_changed(self, status: ShowStatus, changed: frozenset, values_changed: set[str]) -> None:
        """The show's state changed (``changed``: ShowStatus fields; ``values_changed``: control targets)."""
        wants = {"clip": bool(changed & {"clip", "next_clip", "song"}), "song": "song" in changed,
                 "blackout": "blackout" in changed}
        beat = "beat" in changed
        now = time.monotonic()
        for dev in self.devices.values():
            for m in dev.table.values():
                if wants.get(m.led):
                    v = self.led_value(m, status)
                    if v is not None:
                        dev.led(m, v)
                elif m.led == "state" and m.target in values_changed:
                    dev.led(m, self.led_value(m, status))
                elif m.led == "beat" and beat:
                    dev.led(m, m.led_on if status.beat == 1 else m.led_next)
                    self._timer_n += 1
                    heapq.heappush(self._timers, (now + FLASH, self._timer_n, dev.name, m, m.led_off))
