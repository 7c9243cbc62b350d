"""MIDI messages to show commands: a device's notes, control changes and pitch bend through its map.

Split from :class:`vj.control.midi.MidiSurface`, whose **dispatcher** thread alone calls
:meth:`MessageMapper.handle` with each message that is neither MIDI clock nor taken by MIDI learn.
Here are the button modes (press, toggle, hold), absolute, 14-bit and relative controls, and soft
takeover against the surface's ``values`` (the show's value of each ranged control, as far as known:
the same dict, the dispatcher's, kept here from MIDI and from the status the show reports, see
:meth:`MessageMapper.note_values`); commands go to ``ShowControl.submit``.
"""

from __future__ import annotations

from collections import deque
from typing import Callable

from ..engine.rules import BY_CONTROL
from .controller import TARGET_FIELDS, ShowControl, ShowStatus
from .midi_map import BUTTON_MODES, Mapping
from .midi_ports import Device
from .targets import ControlError, command

#: values remembered per control while the show has not reported them: a fader swept in 0.1 s sends
#: 128 messages, and a frame that takes 0.1 s to draw reports none of them until it is done
IN_FLIGHT = 512


class MessageMapper:
    """One surface's mapped controls: messages in, commands out, ``values`` and ``counts`` kept."""

    def __init__(self, controls: ShowControl, values: dict[str, float], counts: dict[str, int], *,
                 state_changed: Callable[[str], None], problem: Callable[[str], None]):
        self.controls, self.values, self.counts = controls, values, counts
        self.state_changed = state_changed     #: a ranged control was set from MIDI: its state LEDs
        self._problem = problem                #: log it and show it on the panel
        #: per target, the values MIDI sent that the show has not reported yet, oldest first
        self._in_flight: dict[str, deque[float]] = {}

    def note_values(self, status: ShowStatus, others: list, fx_values: dict | None = None) -> set[str]:
        """The values the show reports in ``status`` and ``fx_values`` (its effects' switches and inputs,
        ``fx/NAME/...``: a point's or colour's several numbers are no fader's) and those other surfaces set
        (``others``: (target, args)); returns the targets whose value changed."""
        changed: set[str] = set()
        reported = {"tempo/bpm": status.bpm, "tempo/latency": status.latency_ms,
                    "output/blackout": 1.0 if status.blackout else 0.0,
                    **{t: v for t, v in (fx_values or {}).items() if isinstance(v, float)}}
        reported |= {t: float(getattr(status, f)) for t, f in TARGET_FIELDS.items() if t in self.values}
        updates = {t: v for t, v in reported.items() if t not in self.values}
        for target, args in others:
            if target == "zoom/speed_step":
                speed = BY_CONTROL["zoom/speed"]
                updates["zoom/speed"] = speed.clamp(self.values.get("zoom/speed", speed.default) * args[0])
            elif args and isinstance(args[0], (int, float)):
                updates[target] = float(args[0])
            self._in_flight.pop("zoom/speed" if target == "zoom/speed_step" else target, None)
        # what the show reports wins: a song's rules, keys and OSC move these values too.  But the show
        # reports each frame after drawing it, so during a fader move its status still holds a value the
        # fader sent a few messages ago: that echo is not a change, and taking it for one re-armed soft
        # takeover behind the moving fader, which then ignored the rest of the move
        for target, v in reported.items():
            if target in self.values and not self._echo(target, float(v)):
                updates[target] = float(v)
        for target, v in updates.items():
            if self.values.get(target) != v:
                self.values[target] = float(v)
                changed.add(target)
        return changed

    def _echo(self, target: str, v: float) -> bool:
        """Whether ``v`` is a value MIDI sent for ``target`` that the show applied since (its status lags);
        values sent before it are then applied too, and forgotten."""
        sent = self._in_flight.get(target)
        if not sent:
            return False
        for i, x in enumerate(sent):
            if abs(x - v) <= 1e-6 * max(1.0, abs(x)):   # the status's unit may be scaled and back
                for _ in range(i + 1):
                    sent.popleft()
                return True
        self._in_flight.pop(target)   # another value: a song's rules or a clamp set it
        return False

    def handle(self, dev: Device, msg, stamp: float) -> None:
        """One note, control change or pitch bend from ``dev`` (a parsed mido message), stamped on arrival."""
        kind = msg.type
        if kind in ("note_on", "note_off"):
            m = dev.lookup("notes", msg.channel, msg.note)
            if m is None:
                self.counts["ignored"] += 1
            elif kind == "note_on" and msg.velocity > 0:
                self._press(dev, m, stamp)
            else:
                self._release(dev, m, stamp)
        elif kind == "control_change":
            self._on_cc(dev, msg.channel, msg.control, msg.value, stamp)
        elif kind == "pitchwheel":
            m = dev.lookup("pitchbend", msg.channel, 0)
            if m is None:
                self.counts["ignored"] += 1
            else:
                self._absolute(dev, m, (msg.pitch + 8192) / 16383.0, stamp)
        else:
            self.counts["ignored"] += 1

    def _on_cc(self, dev: Device, channel: int, cc: int, value: int, stamp: float) -> None:
        m = dev.lookup("cc14", channel, cc)
        if m is not None:                                   # MSB: coarse now, the LSB refines it
            dev.msb_value[m.key] = value
            self._absolute(dev, m, (value << 7) / 16383.0, stamp)
            return
        m = dev.lsb.get((channel, cc)) or dev.lsb.get((None, cc))
        if m is not None:
            self._absolute(dev, m, ((dev.msb_value.get(m.key, 0) << 7) | value) / 16383.0, stamp)
            return
        m = dev.lookup("cc", channel, cc)
        if m is None:
            self.counts["ignored"] += 1
            return
        if m.mode in BUTTON_MODES:
            down = value >= 64
            if dev.buttons.get(m.key) == down:
                return
            dev.buttons[m.key] = down
            (self._press if down else self._release)(dev, m, stamp)
        elif m.mode == "absolute":
            self._absolute(dev, m, value / 127.0, stamp)
        else:
            if m.mode == "relative_twos":
                delta = value - 128 if value >= 64 else value
            elif m.mode == "relative_offset":
                delta = value - 64
            else:   # relative_signed: bit 6 is the sign
                delta = -(value & 0x3F) if value & 0x40 else value
            menu = m.choices
            if delta and menu:                              # a menu: one value on per step
                cur = self.values.get(m.target)
                at = menu.index(int(cur)) if cur is not None and int(cur) in menu else (len(menu) - 1) // 2
                steps = int(round(delta * m.step)) or (1 if delta > 0 else -1)
                self._send_value(dev, m, menu[min(len(menu) - 1, max(0, at + steps))], stamp)
            elif delta:
                cur = self._value(m.target, (m.lo + m.hi) / 2)
                lo, hi = min(m.lo, m.hi), max(m.lo, m.hi)
                self._send_value(dev, m, min(hi, max(lo, cur + delta * m.step)), stamp)

    def _press(self, dev: Device, m: Mapping, stamp: float) -> None:
        if m.mode == "press":
            self._submit(dev, m.target, m.args, stamp)
        elif m.mode == "toggle":
            on = self._value(m.target, m.lo) == m.hi
            self._send_value(dev, m, m.lo if on else m.hi, stamp)
        else:  # hold
            self._send_value(dev, m, m.hi, stamp)
        if m.led == "press":
            dev.led(m, m.led_on)

    def _release(self, dev: Device, m: Mapping, stamp: float) -> None:
        if m.mode == "hold":
            self._send_value(dev, m, m.lo, stamp)
        if m.led == "press":
            dev.led(m, m.led_off)

    def _absolute(self, dev: Device, m: Mapping, x: float, stamp: float) -> None:
        menu = m.choices
        if menu:   # a menu: the fader's travel in N equal parts, one per value in order (not the nearest number)
            at = min(len(menu) - 1, int(x * len(menu)))
            v, pos, tol = menu[at], float(at), 0.0
            shown = self.values.get(m.target)
            cur = float(menu.index(int(shown))) if shown is not None and int(shown) in menu else None
        else:
            v = pos = m.lo + (m.hi - m.lo) * x
            cur, tol = self.values.get(m.target), abs(m.hi - m.lo) * 0.02
        if m.takeover:
            prev = dev.position.get(m.key)
            dev.position[m.key] = pos
            if cur is not None:
                crossed = prev is not None and min(prev, pos) - 1e-9 <= cur <= max(prev, pos) + 1e-9
                if not (abs(pos - cur) <= tol or crossed):
                    self.counts["ignored"] += 1      # soft takeover: not picked up yet
                    return
        self._send_value(dev, m, v, stamp)

    def _value(self, target: str, default: float) -> float:
        return self.values.get(target, default)

    def _send_value(self, dev: Device, m: Mapping, v: float, stamp: float) -> None:
        if m.integer:
            v = int(round(v))
        if self._submit(dev, m.target, (v,), stamp):
            self._in_flight.setdefault(m.target, deque(maxlen=IN_FLIGHT)).append(float(v))
            old = self.values.get(m.target)
            self.values[m.target] = float(v)
            if m.led == "state" or old != float(v):
                self.state_changed(m.target)

    def _submit(self, dev: Device, target: str, args: tuple, stamp: float) -> bool:
        try:
            cmd = command(target, *args, stamp=stamp, origin=f"midi {dev.label}")
        except ControlError as exc:
            self._problem(f"{dev.label}: {exc}")
            return False
        self.controls.submit(cmd)
        self.counts["commands"] += 1
        return True
