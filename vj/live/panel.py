"""The performer's control panel: clip grid (click to cue), tempo, beat and bar lights, meters, HUD.

Drawn with pyglet (shapes, sprites, labels) on top of what moderngl drew; it only
reads the frame description (and its show report), the audio snapshot and statuses, like the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyglet

from ..audio.snapshot import AudioSnapshot
from ..bank import Bank
from ..engine.frame import FrameDesc
from ..engine.rules import FADERS
from .keys import help_lines

#: the settings the panel shows (what faders and setlist sections change), from the rules table;
#: latency is in the HUD
PANEL_SETTINGS = tuple(r for r in FADERS if r.field != "latency")
PANEL_WIDTH = 380
CELL_W, CELL_H = 112, 63
COLS = 3
FONT = 11


@dataclass(slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h


def _thumb(path: Path | None) -> pyglet.image.AbstractImage | None:
    """The first frame of a clip's filmstrip preview (6 frames side by side)."""
    if path is None or not Path(path).is_file():
        return None
    try:
        strip = pyglet.image.load(str(path))
    except Exception:  # a damaged preview must not stop the show
        return None
    w = max(1, strip.width // 6)
    return strip.get_region(0, 0, w, strip.height)


class ControlPanel:
    """Lays itself out in a column ``x0..x0+PANEL_WIDTH`` of a window of height ``height``."""

    def __init__(self, bank: Bank, x0: int, height: int, song_label: str = "", id_prefix: str = ""):
        """``id_prefix``: how the show names this bank's clips (``"bank/"`` when a setlist mixes banks)."""
        self.batch = pyglet.graphics.Batch()
        self.bank = bank
        self.x0 = x0
        self.height = height
        self.song_label = song_label
        self.cells: list[tuple[Rect, str]] = []
        self._sprites = []
        self._shapes = []
        self.frames: dict[str, pyglet.shapes.Rectangle] = {}
        pad = 8
        top = height - pad
        self.bg = pyglet.shapes.Rectangle(x0, 0, PANEL_WIDTH, height, color=(18, 18, 24), batch=self.batch)
        self.title = pyglet.text.Label("", x=x0 + pad, y=top, anchor_y="top", font_size=FONT + 2, batch=self.batch,
                                       color=(235, 235, 245, 255))
        self.tempo = pyglet.text.Label("", x=x0 + pad, y=top - 22, anchor_y="top", font_size=FONT + 6,
                                       batch=self.batch, color=(255, 220, 120, 255))
        self.detail = pyglet.text.Label("", x=x0 + pad, y=top - 50, anchor_y="top", font_size=FONT - 1, batch=self.batch,
                                        color=(200, 200, 210, 255), multiline=True, width=PANEL_WIDTH - 2 * pad)
        # beat lights (one per beat of the bar) and a bar counter
        self.lights = [pyglet.shapes.Rectangle(x0 + pad + i * 30, top - 104, 24, 14, color=(50, 50, 60), batch=self.batch)
                       for i in range(8)]
        # level meters: bass, mid, treble (+ smoothed marker)
        self.meters = []
        for i, name in enumerate(("bass", "mid", "treble")):
            y = top - 128 - i * 18
            label = pyglet.text.Label(name, x=x0 + pad, y=y + 2, font_size=FONT - 2, batch=self.batch,
                                      color=(170, 170, 180, 255))
            back = pyglet.shapes.Rectangle(x0 + pad + 52, y, 200, 12, color=(40, 40, 48), batch=self.batch)
            bar = pyglet.shapes.Rectangle(x0 + pad + 52, y, 0, 12, color=(90, 200, 120), batch=self.batch)
            att = pyglet.shapes.Rectangle(x0 + pad + 52, y, 2, 12, color=(240, 240, 240), batch=self.batch)
            self.meters.append((bar, att))
            self._shapes += [label, back]
        # the show settings in force (faders, keys, the setlist's sections change them), under the meters
        self.settings = pyglet.text.Label("", x=x0 + pad, y=top - 168, anchor_y="top", font_size=FONT - 3,
                                          batch=self.batch, color=(170, 200, 170, 255), multiline=True,
                                          width=PANEL_WIDTH - 2 * pad)
        # the key help at the bottom, messages above it, the clip grid above them
        self.help = pyglet.text.Label("\n".join(help_lines()), x=x0 + pad, y=8, anchor_y="bottom", multiline=True,
                                      width=PANEL_WIDTH - 2 * pad, font_size=FONT - 4, batch=self.batch,
                                      color=(140, 140, 150, 255))
        message_y = 8 + self.help.content_height + 6
        self.message = pyglet.text.Label("", x=x0 + pad, y=message_y, anchor_y="bottom", font_size=FONT - 2, batch=self.batch,
                                         color=(255, 120, 100, 255), width=PANEL_WIDTH - 2 * pad, multiline=True)
        grid_floor = message_y + 36  # two lines of message
        grid_top = top - 204  # under the settings and the effects line
        for i, clip in enumerate(bank.clips):
            col, row = i % COLS, i // COLS
            x = x0 + pad + col * (CELL_W + 6)
            y = grid_top - (row + 1) * (CELL_H + 18)
            if y < grid_floor:  # leave room for messages and the key help
                break
            rect = Rect(x, y, CELL_W, CELL_H)
            frame = pyglet.shapes.Rectangle(x - 2, y - 2, CELL_W + 4, CELL_H + 4, color=(30, 30, 38), batch=self.batch)
            img = _thumb(clip.preview)
            if img is not None:
                sprite = pyglet.sprite.Sprite(img, x=x, y=y, batch=self.batch)
                sprite.scale_x = CELL_W / img.width
                sprite.scale_y = CELL_H / img.height
                self._sprites.append(sprite)
            name = f"{i + 1}: {clip.id}" if i < 9 else clip.id
            lab = pyglet.text.Label(name[:18], x=x, y=y + CELL_H + 3, font_size=FONT - 3, batch=self.batch,
                                    color=(190, 190, 200, 255))
            self._shapes.append(lab)
            self.frames[id_prefix + clip.id] = frame
            self.cells.append((rect, id_prefix + clip.id))

    def clip_at(self, x: float, y: float) -> str | None:
        for rect, clip_id in self.cells:
            if rect.contains(x, y):
                return clip_id
        return None

    def update(self, desc: FrameDesc, snap: AudioSnapshot, status: str, message: str) -> None:
        rep = desc.report
        self.title.text = f"{self.song_label}  {self.bank.name}"
        self.tempo.text = f"{desc.bpm:6.1f} BPM  [{rep.tempo_source}]  conf {rep.confidence:.2f}"
        self.detail.text = f"clip {desc.current_clip} -> {desc.next_clip}   {status}"
        self.settings.text = "  ".join(f"{r.name} {getattr(rep.rules, r.field) * r.scale:g}" for r in PANEL_SETTINGS) \
            + "\nfx " + (" > ".join(fx.name for fx in desc.effects) or "none") \
            + (f"   flights: {desc.flight}" if desc.flight else "")
        for i, light in enumerate(self.lights):
            if i >= rep.beats_per_bar:
                light.visible = False
                continue
            light.visible = True
            on = i == rep.beat
            light.color = ((255, 90, 60) if i == 0 else (255, 210, 80)) if on else (50, 50, 60)
        for (bar, att), level, smooth in zip(self.meters, (snap.bass, snap.mid, snap.treble),
                                             (snap.bass_att, snap.mid_att, snap.treble_att)):
            bar.width = 200 * max(0.0, min(1.0, level))
            att.x = bar.x + 198 * max(0.0, min(1.0, smooth))
        for cid, frame in self.frames.items():
            frame.color = (255, 200, 60) if cid == desc.current_clip else (80, 160, 255) if cid == desc.next_clip \
                else (30, 30, 38)
        self.message.text = message

    def draw(self) -> None:
        self.batch.draw()


class Hud:
    """The overlay on the output (toggle with H): fps, drops, tempo, phase, clips, latency."""

    def __init__(self, y0: int = 0, batch: pyglet.graphics.Batch | None = None):
        self.batch = batch or pyglet.graphics.Batch()
        self.bg = pyglet.shapes.Rectangle(6, y0 + 6, 420, 118, color=(0, 0, 0), batch=self.batch)
        self.bg.opacity = 150
        self.label = pyglet.text.Label("", x=12, y=y0 + 118, anchor_y="top", multiline=True, width=410, font_size=10,
                                       batch=self.batch, color=(255, 255, 255, 255))
        self.visible = True

    def update(self, lines: list[str]) -> None:
        self.label.text = "\n".join(lines)

    def draw(self) -> None:
        if self.visible:
            self.batch.draw()
