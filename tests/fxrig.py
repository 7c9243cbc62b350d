"""A show with an ISF effect on its output, stepped on its own thread as the player's frame loop steps it:
the engine, then the effect rack (vj.show.effects: which effects are on, every input's value), then publish."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from vj.audio.snapshot import AudioSnapshot
from vj.control import ShowControl, SongEntry
from vj.control.targets import effect_targets, set_effect_targets
from vj.engine import ClipRef, SetEffect, ShowEngine, ShowRules, ToggleEffect
from vj.engine.bindings import compile_binding, constant
from vj.isf import parse_isf
from vj.setlist import Section
from vj.setlist_fx import EffectChange, EffectSpec
from vj.show.effects import EffectRack
from vj.show.plan import SongPlan

#: a filter with one input of each kind a control takes: a fader, a switch, a menu, a colour
GLOW = """/*{
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"},
               {"NAME": "amount", "TYPE": "float", "MIN": 0.0, "MAX": 1.0, "DEFAULT": 0.5},
               {"NAME": "invert", "TYPE": "bool", "DEFAULT": false},
               {"NAME": "mode", "TYPE": "long", "VALUES": [0, 2, 5], "LABELS": ["Soft", "Hard", "Wild"], "DEFAULT": 0},
               {"NAME": "tint", "TYPE": "color", "DEFAULT": [1.0, 1.0, 1.0, 1.0]}]
}*/
void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) * amount * tint; }
"""
CLIPS = [ClipRef(f"c{i}", (0.5, 0.5), 0.0, 10.0, "loop", 30.0) for i in range(3)]


class FxShow:
    """One song with the effect ``glow`` (GLOW) on, its controls installed as the player installs them."""

    def __init__(self, tmp_path: Path, period: float = 0.01, draw: float = 0.0):
        f = tmp_path / "Glow.fs"
        f.write_text(GLOW)
        inputs = parse_isf(f).controls
        self.spec = EffectSpec("glow", f, "filter", tuple(inputs))
        set_effect_targets(effect_targets("glow", "Glow", inputs))
        self.rack = EffectRack([SongPlan("one", None, None, ShowRules(), effects=(self.spec,))])
        self.engine = ShowEngine(CLIPS, ShowRules(), rotation=("c0", "c1", "c2"))
        self.control = ShowControl([SongEntry("one", ("c0", "c1", "c2"))])
        self.period = period
        self.draw = draw         #: s between a frame's step and its publish (vj play draws the frame there)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.desc = None
        self.t0 = time.monotonic()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def section(self, **inputs) -> None:
        """A setlist section binds the effect's inputs anew (``on=``: switches it; a string is an expression)."""
        on = inputs.pop("on", None)
        types = {i.name: i.type for i in self.spec.inputs}
        change = EffectChange("glow", on, tuple((k, compile_binding(v, types[k]) if isinstance(v, str) else
                                                 constant(v, types[k])) for k, v in inputs.items()))
        with self.lock:
            self.rack.section(Section(bar=2, time=None, effects=(change,)))

    def _run(self) -> None:
        while not self.stop.is_set():
            t = time.monotonic() - self.t0
            with self.lock:
                evs = self.control.drain(t, self.engine.report)
                for ev in evs:
                    if isinstance(ev, (SetEffect, ToggleEffect)):
                        self.rack.control(ev)
                snap = AudioSnapshot(time=t)
                self.desc = desc = self.rack.describe(self.engine.step(t, snap, evs), snap)
            time.sleep(self.draw)
            with self.lock:
                self.control.publish(desc)
            time.sleep(self.period)

    def value(self, name: str):
        with self.lock:
            fx = {e.name: e for e in self.desc.effects} if self.desc is not None else {}
            return dict(fx["glow"].values).get(name) if "glow" in fx else None

    def until(self, cond, timeout: float = 5.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        set_effect_targets(())
