"""Cost of the demo setlist's effects as the show draws them, at 1280x720, next to the zoom alone.

The show's own path (vj.render.effects.EffectChain on the compositor), not the bare shaders
(bench/isf_chain.py measures those): each song's chain as demo.toml declares it, its inputs bound as
the setlist binds them (evaluated on a steady 120 BPM clock and a moving bass), plus the two flipping
copies that take the picture into ISF's orientation and back, and the Slow one's ISF flight (Slice Wipe:
the two clips drawn apart, then blended) next to a zoom-through flight.  Wall time per frame with
``ctx.finish()``, median of interleaved rounds, so the ratios hold on a shared machine.
"""

from __future__ import annotations

import math
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from common import ROOT, machine, noise_compositor, table

from vj.audio.snapshot import AudioSnapshot
from vj.engine import EffectDesc, FrameDesc, LayerDesc
from vj.engine.bindings import Signals
from vj.gfx.context import gl_info
from vj.render.effects import EffectChain
from vj.setlist import load_setlist
from vj.setlist_fx import EffectSpec

DEMO = ROOT / "setlists" / "demo.toml"
#: two clips mid zoom-through (as bench/isf_chain.py)
ZOOM = FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.7, 0.55), 4.0), LayerDesc("b", 1, 0, 0, (0.42, 0.48), 0.25, feather=0.08)),
                 zoom_center=(0.4, 0.5), transition=0.5)
#: the same two clips in an ISF flight: A pushed in, B full screen
BLEND = FrameDesc(0, (LayerDesc("a", 0, 0, 0, (0.45, 0.5), 1.3), LayerDesc("b", 1, 0, 0, (0.5, 0.5), 1.0, alpha=0.5)),
                  zoom_center=(0.45, 0.5), transition=0.5, flight="slice_wipe")
PASS_THROUGH = '/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\nvoid main() { gl_FragColor = IMG_THIS_PIXEL(inputImage); }\n'


def values(spec: EffectSpec, sig: Signals, extra: dict | None = None) -> EffectDesc:
    bound = dict(spec.bindings)
    vals = []
    for inp in spec.inputs:
        v = bound[inp.name](sig) if inp.name in bound else inp.default
        vals.append((inp.name, inp.coerce(extra.get(inp.name, v) if extra else v)))
    return EffectDesc(spec.name, str(spec.shader), tuple(vals), 1)


def main(rounds: int = 5, per_round: int = 6, size=(1280, 720)) -> str:
    ctx, comp, texs = noise_compositor(size)
    chain = EffectChain(comp, live=False)
    songs = {s.title: s for s in load_setlist(DEMO, check_files=False).songs}
    opener, slow, closer = songs["Opener"], songs["Slow one"], songs["Closer"]
    by = {fx.name: fx for s in songs.values() for fx in s.effects}
    tmp = Path(tempfile.mkdtemp()) / "Pass Through.fs"
    tmp.write_text(PASS_THROUGH)
    frame = [0]
    spectrum = np.clip(np.exp(-np.arange(32) / 6.0), 0, 1).astype(np.float32)

    def desc(base: FrameDesc, specs, flight: EffectSpec | None = None) -> FrameDesc:
        t = frame[0] / 60
        beats = t * 2.0
        bass = 0.5 + 0.5 * math.sin(t * 8)
        sig = Signals(time=t, bpm=120.0, beats=beats, bars=beats / 4, bass=bass, bass_att=bass)
        snap = AudioSnapshot(time=t, bass=bass, bass_att=bass, spectrum=spectrum * bass)
        return replace(base, time=t, audio=snap, effects=tuple(values(s, sig) for s in specs),
                       flight_fx=values(flight, sig) if flight is not None else None)

    def show(base: FrameDesc, specs, flight: EffectSpec | None = None):
        def run():
            d = desc(base, specs, flight)
            picture = chain.flight(d, texs)
            if picture is None:
                comp.render(d, texs)
            chain.apply(d, picture)
        return run

    passthrough = EffectSpec("pass", tmp, "filter", ())
    cases = {
        "zoom alone (2 layers mid-flight)": show(ZOOM, ()),
        "zoom + a pass-through effect (the two flips + one trivial pass)": show(ZOOM, (passthrough,)),
        "Opener, from the drop: zoom + RGB Shift > Beat Trails": show(ZOOM, opener.effects),
        "Slow one: zoom + RGB Shift": show(ZOOM, slow.effects),
        "Slow one's flights: Slice Wipe + RGB Shift": show(BLEND, slow.effects, slow.transition),
        "Closer, kaleidoscope section: zoom + Kaleidoscope Turn": show(ZOOM, (by["kaleido"],)),
        "all three shipped effects: zoom + RGB Shift > Beat Trails > Kaleidoscope Turn":
            show(ZOOM, (by["rgb_shift"], by["trails"], by["kaleido"])),
    }
    for fn in cases.values():  # warm-up: compile, allocate buffers
        fn()
        fn()
    ctx.finish()
    samples = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            for _ in range(per_round):
                frame[0] += 1
                t0 = time.perf_counter()
                fn()
                ctx.finish()
                samples[name].append((time.perf_counter() - t0) * 1000)
    assert not chain.take_messages()
    base = statistics.median(samples["zoom alone (2 layers mid-flight)"])
    rows = []
    for name in cases:
        xs = sorted(samples[name])
        med = statistics.median(xs)
        rows.append([name, med, xs[int(0.95 * (len(xs) - 1))], med / base, 1000 / med])
    chain.release()
    return (f"The demo setlist's effects as the show draws them, {size[0]}x{size[1]}, ms per frame "
            f"(machine: {machine()}; GL: {gl_info(ctx)})\n\n"
            + table(["case", "median ms", "p95 ms", "x zoom alone", "fps uncapped"], rows))


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(main(*args))
