"""ISF effects in `vj play` for real (a pyglet window under Xvfb, Mesa GL, the setlist watched on disk, OSC on
loopback): a saved setlist that adds a broken shader is reported with the shader's file and ISF line, and the
output never stops."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from pythonosc.osc_message_builder import OscMessageBuilder

from servers import xvfb
from media import png_pixels

SET = """\
[[songs]]
title = "Live fx"
bank = "banks/t"
audio = "track.flac"
tempo = 120.0
switch_bars = 2

[[songs.effects]]
shader = "RGB Shift"
amount = "bass_att * 0.8"
{more}
"""
BAD_GLSL = """/*{
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "amount", "TYPE": "float", "DEFAULT": 0.5}]
}*/

void main() {
    vec4 c = IMG_THIS_PIXEL(inputImage);
    gl_FragColor = c * amount * undeclared_gain;
}
"""
BAD_HEADER = """/*{
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"}
        {"NAME": "amount", "TYPE": "float"}
    ]
}*/
void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage); }
"""


def save(path: Path, text: str) -> None:
    """Save as an editor does, all at once (a half-written file would be a reload of its own)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def osc(port: int, address: str, *args) -> None:
    b = OscMessageBuilder(address)
    for a in args:
        b.add_arg(a)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b.build().dgram, ("127.0.0.1", port))


def test_a_saved_setlist_adding_a_broken_shader_is_reported_and_the_output_never_stops(test_bank):
    root = test_bank[0]
    (root / "isf").mkdir(exist_ok=True)
    (root / "isf" / "Bad Gain.fs").write_text(BAD_GLSL)
    (root / "isf" / "Bad Header.fs").write_text(BAD_HEADER)
    f = root / "live-fx.toml"
    f.write_text(SET.format(more=""))
    stats, shots = root / "live-fx.json", root / "live-fx-shots"
    port = free_udp_port()

    def during(proc):
        deadline = time.monotonic() + 60
        while not (shots / "frame-000.png").exists():    # the show is on: the watcher has the file
            assert proc.poll() is None and time.monotonic() < deadline, "vj play did not start"
            time.sleep(0.1)
        time.sleep(1.0)
        save(f, SET.format(more='[[songs.effects]]\nshader = "Bad Gain"\nname = "gain"\namount = 0.9\n'))
        time.sleep(3.0)
        osc(port, "/vj/fx/rgb_shift/amount", 5.0)            # out of range: refused, says the range
        osc(port, "/vj/fx/rgb_shift/spread", 0.2)             # the end of its range (a float32 a hair above)
        time.sleep(1.0)
        save(f, SET.format(more='[[songs.effects]]\nshader = "Bad Header"\n'))
        time.sleep(2.5)
        save(f, SET.format(more='[[songs.effects]]\nshader = "Kaleidoscope Turn"\nsegments = 8\n'))

    with xvfb("1280x800x24"):
        proc = subprocess.Popen([sys.executable, "-m", "vj", "play", str(f), "--audio-file", str(root / "track.flac"),
                                 "--no-vsync", "--fps", "30", "--size", "320x180", "--duration", "14", "--mute",
                                 "--osc-port", str(port), "--stats", str(stats), "--screenshots", str(shots)],
                                stderr=subprocess.PIPE, text=True)
        during(proc)
        _, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    # the compile error: the shader's file and its ISF line (7), once, and the effect left out
    bad = root / "isf" / "Bad Gain.fs"
    said = [line for line in err.splitlines() if "effect 'gain' left out" in line]
    assert len(said) == 1 and f"{bad}:7:" in said[0] and "undeclared_gain" in said[0], err
    # the broken header: the reload is refused, with the shader's file and the line of its JSON mistake
    assert "setlist not reloaded" in err and f"{root / 'isf' / 'Bad Header.fs'}:4:" in err, err
    assert err.count("setlist reloaded at bar") >= 2, err
    assert "fx/rgb_shift/amount: value: 5 is out of range 0..1" in err and "spread" not in err, err
    data = json.loads(stats.read_text())
    assert data["frames"] > 200, data
    # the output never stopped: every second's picture differs from the one before, after each reload too
    pictures = [png_pixels(p)[:180, :320, :3].astype(int) for p in sorted(shots.glob("frame-*.png"))]
    assert len(pictures) >= 12
    moving = [np.abs(a - b).mean() > 0.5 for a, b in zip(pictures, pictures[1:])]
    assert all(moving[2:]), moving
    assert min(p.std() for p in pictures) > 5                 # pictures, not black
