"""The performer's control panel, drawn with Dear ImGui every frame from the show's state.

Top to bottom: the song and the key-help button; the tempo (big), its source and confidence, beat and
bar lights; the clip on screen and the next one (big, as filmstrip frames); the input meters; the
show's faders (generated from the rules table, so they move whoever changes a setting: a key, MIDI,
OSC, a setlist section); the song's clips with the numbers keys 1-9 cue, and the whole bank in a
browser (filter by words and tag); the messages, each level in its colour; the HUD when it is on.

It only reads (a :class:`PanelInput` per frame) and returns what the performer did (:class:`Action`);
the player turns those into show controls.  Nothing here draws on the projector's window.
The clip tiles (song grid, bank browser) are :mod:`.tiles`.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np
from imgui_bundle import imgui

from ...audio.snapshot import AudioSnapshot
from ...bank import Clip
from ...engine.frame import FrameDesc
from ...engine.rules import FADERS
from ..keys import BINDINGS
from ..messages import ERROR, INFO, WARNING, Message
from .host import FONT_PX, LEVEL_COLOUR, texture_ref
from .thumbs import ThumbCache
from .tiles import NEXT_COLOUR, NOW_COLOUR, TILE_H, TILE_W, Action, ClipTiles

#: the show settings the panel has faders for (latency is set with [ and ] and shown in the HUD)
PANEL_SETTINGS = tuple(r for r in FADERS if r.field != "latency")
PANEL_WIDTH = 540
BIG_PX = 2.0 * FONT_PX          #: the tempo and the clip names on screen
NOW_W = (PANEL_WIDTH - 40) // 2  #: the clip on screen and the next one, side by side
#: the tempo and confidence plots take a point this often and show the last 30 s.  A point per panel frame
#: redrew the plots (their 1200 vertices and a 520x36 area each) at every panel frame: on llvmpipe the
#: tempo part was 0.87 of the panel's ~4 ms of GL a frame (each list timed alone, Xvfb, 2026-12-06); a tempo
#: history is read over seconds, so 4 points a second lose nothing
PLOT_HZ = 4.0
HISTORY = int(30 * PLOT_HZ)
#: the room under the picture the clips need: the tabs, the bank browser's filter line and a row of tiles with
#: their names (at TILE_H + 110 the names of the bank's tiles were cut off by the window's edge, screenshot at
#: 1280x720); less, and they go in the column
MIN_BELOW = TILE_H + 124
#: pixels between the picture and the clips under it
BELOW_GAP = 8
#: the messages and the HUD under the picture: this high under the clips, or this wide beside them (or this high
#: at the column's foot, where the picture leaves them no room).  In the column they came last, and at 1280x720
#: the column's 900 px cut them off (the HUD was never seen there);
#: 190 px hold three messages and a four-line HUD at FONT_PX; 380 px leave five tiles beside them at 1280 wide
STATUS_H = 190
STATUS_W = 380
#: the least room under the clips the status area takes: the HUD's three lines (79 px at FONT_PX, measured at
#: 640x360; 103 with a fourth, the OSC and MIDI line, which `vj play` always has: OSC is on by default) and the
#: newest message.  A 640x360 output leaves 137 px under a row of tiles; the status went in the column there,
#: whose parts already ran 140 px past the window's foot, and neither messages nor HUD showed.  130 px cut the
#: fourth HUD line and the message's first under the window's foot (`vj play` at 1280x720 on a 1280x800 screen,
#: looked at); 160 shows the four lines and a two-line message
STATUS_MIN_H = 160
#: the least width under the picture that puts the status beside the clips: its own width and four tiles
BESIDE_MIN_W = STATUS_W + 4 * (TILE_W + 8) + 30
#: message words (beside their colours, host.LEVEL_COLOUR, for who cannot tell them apart)
LEVEL_WORD = {INFO: "info", WARNING: "warning", ERROR: "error"}
#: the header's word while the output is blacked out, and its colour (the error red: seen from a step away)
BLACKOUT_WORD = "BLACKOUT"
BLACKOUT_COLOUR = LEVEL_COLOUR[ERROR]
#: how fast the meters fall, dB per second (a peak meter's usual 20-30 dB/s; the bands fall a full scale in 2 s)
METER_FALL_DB = 30.0


@dataclass(slots=True)
class PanelInput:
    desc: FrameDesc
    audio: AudioSnapshot
    song: int                              #: 0-based
    songs: Sequence[str]                   #: titles
    song_clips: Sequence[str]              #: the song's clips, in its order (what keys 1-9 cue)
    input_label: str = ""                  #: where the audio comes from
    input_level: float = 0.0               #: RMS, 1.0 = full scale
    messages: Sequence[Message] = ()
    hud: Sequence[str] = ()                #: HUD lines, when the HUD is on
    preview_glo: int | None = None         #: the output texture, when the panel draws the preview itself
    preview_size: tuple[int, int] = (16, 9)
    hud_over_preview: bool = False
    focus_pending: int = 0                 #: focus points set by clicking, not yet saved (Ctrl+S)
    left_out: Mapping[str, str] = field(default_factory=dict)   #: clips failed mid-show: clip id -> why
    extra: dict = field(default_factory=dict)


def fit_text(text: str, width: float, measure: Callable[[str], float]) -> str:
    """``text``, cut with "..." to fit ``width`` as ``measure`` measures it."""
    if measure(text) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:   # the longest head that fits with its "..."
        mid = (lo + hi + 1) // 2
        if measure(text[:mid].rstrip() + "...") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "..."


def status_place(below: tuple[float, float, float, float] | None) -> str:
    """Where the messages and the HUD go: ``"under"`` or ``"beside"`` the clips in the room under the picture
    (``below``: x, y, w, h), or at the ``"column"``'s foot when that room has no space for them."""
    if below is None or below[3] < MIN_BELOW:
        return "column"
    if below[3] >= MIN_BELOW + STATUS_H:
        return "under"
    if below[2] >= BESIDE_MIN_W:   # and four tiles beside them
        return "beside"
    if below[3] >= MIN_BELOW + STATUS_MIN_H:
        return "under"
    return "column"


def status_height(below: tuple[float, float, float, float]) -> float:
    """How high the status area is under the clips: :data:`STATUS_H`, or what a row of tiles leaves."""
    return min(STATUS_H, below[3] - MIN_BELOW)


class ControlPanel:
    """Draws in the column ``x0 .. x0 + width`` of its window (ImGui coordinates: top-left origin)."""

    def __init__(self, clips: Mapping[str, Clip], thumbs: ThumbCache, x0: int, width: int = PANEL_WIDTH,
                 preview_w: int = 0):
        self.grid = ClipTiles(clips, thumbs)   #: the song grid and the bank browser
        self.thumbs = thumbs
        self.x0 = x0
        self.width = width
        self.preview_w = preview_w
        self.browser = self.grid.browser
        self.help_open = False
        self._bpm: deque[float] = deque(maxlen=HISTORY)
        self._conf: deque[float] = deque(maxlen=HISTORY)
        self._plot_next = 0.0   #: when the plots take their next point (plot_clock())
        self.plot_clock: Callable[[], float] = time.monotonic   #: the plots' clock (a test holds it still)
        self.preview_rect: tuple[float, float, float, float] | None = None
        self._meters_db = [-60.0, 0.0, 0.0, 0.0]   #: the input level (dB) and the bands (0..1) as last shown
        #: where each part (the column's, the messages, the HUD) was drawn last frame: name -> (x, y, w, h) in
        #: window coordinates; the messages' room under the picture is what the HUD's last height leaves
        #: ("newest": the newest message in the messages part)
        self.parts: dict[str, tuple[float, float, float, float]] = {}

    @property
    def tiles(self) -> dict[str, tuple[str, tuple[float, float, float, float]]]:
        """The song tiles of the last frame drawn: "N" -> (clip id, (x, y, w, h) in window coordinates)."""
        return self.grid.tiles

    def show_bank(self) -> None:
        """Open the bank browser tab on the next frame."""
        self.grid.show_bank()

    # -- the frame --------------------------------------------------------------------------------
    def draw(self, inp: PanelInput, height: float,
             below: tuple[float, float, float, float] | None = None) -> list[Action]:
        """One frame of the panel in a window ``height`` high; ``below`` (x, y, w, h): the room under the
        picture, where the clips go when there is enough of it (else they go in the column)."""
        actions: list[Action] = []
        self.grid.begin_frame(inp.song_clips)
        if inp.preview_glo is not None:
            self._preview(inp, actions)
        flags = (imgui.WindowFlags_.no_title_bar | imgui.WindowFlags_.no_resize | imgui.WindowFlags_.no_move
                 | imgui.WindowFlags_.no_collapse | imgui.WindowFlags_.no_bring_to_front_on_focus)
        place = status_place(below)
        # where the status has no room under the picture it stays at the column's foot, the parts scrolling above
        foot = min(STATUS_H, height / 2) if place == "column" else 0.0
        imgui.set_next_window_pos(imgui.ImVec2(self.x0, 0))
        imgui.set_next_window_size(imgui.ImVec2(self.width, height - foot))
        imgui.begin("vj panel", None, flags)
        # each part its own child window, so its own draw list: a part that did not change is not drawn again
        # where the window keeps its back buffer (vj.live.ui.damage); the tempo and the meters change at every
        # panel frame, the faders, the clips on screen and the messages seldom
        self._part("head", self._header, inp)
        self._part("tempo", self._tempo, inp)
        self._part("history", self._history, inp)
        self._part("now", self._now_next, inp)
        self._part("flight", self._flight, inp)
        self._part("meters", self._meters, inp)
        self._part("faders", self._faders, inp, actions)
        if below is None or below[3] < MIN_BELOW:
            self.grid.draw(inp, actions, self.width)
        imgui.end()
        if foot:
            imgui.set_next_window_pos(imgui.ImVec2(self.x0, height - foot))
            imgui.set_next_window_size(imgui.ImVec2(self.width, foot))
            imgui.begin("vj status", None, flags)
            self._status_area(inp)
            imgui.end()
        if below is not None and below[3] >= MIN_BELOW:
            x, y, w, h = below
            imgui.set_next_window_pos(imgui.ImVec2(x, y))
            imgui.set_next_window_size(imgui.ImVec2(w, h))
            imgui.begin("vj clips", None, flags)
            if place == "column":
                self.grid.draw(inp, actions, w)
            else:
                pad = imgui.get_style().window_padding
                clips_w = w - 2 * pad.x - (STATUS_W if place == "beside" else 0)
                imgui.begin_child("clips", imgui.ImVec2(clips_w, -status_height(below) if place == "under" else 0))
                self.grid.draw(inp, actions, clips_w)
                imgui.end_child()
                if place == "beside":
                    imgui.same_line()
                self._status_area(inp)
            imgui.end()
        if self.help_open:
            self._help(height)
        self.thumbs.pump()
        return actions

    def _status_area(self, inp: PanelInput) -> None:
        """The status area: the rest of the room it is drawn in (beside or under the clips, or the column's foot)."""
        imgui.begin_child("status", imgui.ImVec2(0, 0))
        self._status(inp)
        imgui.end_child()
        lo, size = imgui.get_item_rect_min(), imgui.get_item_rect_size()
        self.parts["status"] = (lo.x, lo.y, size.x, size.y)

    def _status(self, inp: PanelInput) -> None:
        """The messages and the HUD (when it is on and not over a preview), each its own part.

        The HUD keeps its lines and the messages take the room it leaves, their newest line shown: in a small
        window two or three long messages had pushed the HUD out of the area (at 640x360 none of it showed), and
        without the HUD there the newest was cut off."""
        hud = inp.hud and not inp.hud_over_preview
        if inp.messages or inp.focus_pending:
            spare = self.parts.get("hud", (0, 0, 0, 0))[3] + imgui.get_style().item_spacing.y if hud else 0.0
            room = max(imgui.get_text_line_height_with_spacing(), imgui.get_content_region_avail().y - spare)
            self._part("messages", self._messages, inp, height=room, newest=True)
        if hud:
            self._part("hud", self._hud, inp)

    # -- parts ------------------------------------------------------------------------------------
    def _part(self, name: str, draw, *args, height: float | None = None, newest: bool = False) -> None:
        """A part of the column in a child window as high as its content, or ``height`` high (then scrolled to
        its end when ``newest``); where it went is kept in :attr:`parts`."""
        imgui.begin_child(name, imgui.ImVec2(0, height or 0),
                          imgui.ChildFlags_.none if height else imgui.ChildFlags_.auto_resize_y,
                          imgui.WindowFlags_.no_scrollbar | imgui.WindowFlags_.no_scroll_with_mouse)
        draw(*args)
        if newest and imgui.get_scroll_max_y() > 0:
            imgui.set_scroll_y(imgui.get_scroll_max_y())
        imgui.end_child()
        lo, size = imgui.get_item_rect_min(), imgui.get_item_rect_size()
        self.parts[name] = (lo.x, lo.y, size.x, size.y)

    def _header(self, inp: PanelInput) -> None:
        """The song, and BLACKOUT while the output is black by a control (the picture alone does not say why)."""
        title = inp.songs[inp.song] if inp.songs else ""
        right = imgui.get_content_region_avail().x - imgui.calc_text_size(" ? ").x - 2 * imgui.get_style().frame_padding.x
        x = 0.0
        if inp.desc.report.blackout:
            imgui.text_colored(imgui.ImVec4(*BLACKOUT_COLOUR), BLACKOUT_WORD)
            imgui.same_line()
            x = imgui.get_cursor_pos_x() - imgui.get_style().window_padding.x
        # a long title ends before the key help's button (it ran on under it)
        imgui.text(fit_text(f"Song {inp.song + 1}/{len(inp.songs)}: {title}", right - x - imgui.get_style().item_spacing.x,
                            lambda t: imgui.calc_text_size(t).x))
        imgui.same_line(right)
        if imgui.button(" ? "):
            self.help_open = not self.help_open
        if imgui.is_item_hovered():
            imgui.set_tooltip("key help (? key)")

    def _tempo(self, inp: PanelInput) -> None:
        desc, rep = inp.desc, inp.desc.report
        imgui.push_font(None, BIG_PX)
        imgui.text_colored(imgui.ImVec4(1.0, 0.85, 0.45, 1.0), f"{desc.bpm:5.1f} BPM")
        imgui.pop_font()
        imgui.same_line()
        imgui.begin_group()
        imgui.text(f"source: {rep.tempo_source}")
        imgui.progress_bar(max(0.0, min(1.0, rep.confidence)), imgui.ImVec2(200, 0), f"confidence {rep.confidence:.2f}")
        imgui.end_group()
        # beat lights (the downbeat red) and the bar number
        dl = imgui.get_window_draw_list()
        pos = imgui.get_cursor_screen_pos()
        r = 14.0
        for i in range(rep.beats_per_bar):
            on = i == rep.beat
            colour = ((1.0, 0.32, 0.22, 1.0) if i == 0 else (1.0, 0.82, 0.30, 1.0)) if on else (0.22, 0.22, 0.28, 1.0)
            dl.add_circle_filled(imgui.ImVec2(pos.x + r + i * (2 * r + 12), pos.y + r), r,
                                 imgui.get_color_u32(imgui.ImVec4(*colour)))
        imgui.dummy(imgui.ImVec2(rep.beats_per_bar * (2 * r + 12), 2 * r))
        imgui.same_line()
        imgui.text(f"bar {rep.bar + 1}   beat {rep.beat + 1}/{rep.beats_per_bar}")

    def _history(self, inp: PanelInput) -> None:
        """The last 30 s of tempo and confidence: a tracker that wanders or loses the beat shows here first.
        Its own part, a point every 1/PLOT_HZ s: between points its draw list stays as it was drawn."""
        now = self.plot_clock()
        if now >= self._plot_next or not self._bpm:
            step = self._plot_next + 1.0 / PLOT_HZ
            self._plot_next = step if step > now else now + 1.0 / PLOT_HZ   # after a gap: one point, not two
            self._bpm.append(inp.desc.bpm)
            self._conf.append(inp.desc.report.confidence)
        half = (imgui.get_content_region_avail().x - imgui.get_style().item_spacing.x) / 2
        bpm = np.fromiter(self._bpm, np.float32)
        lo, hi = float(bpm.min()) - 2.0, float(bpm.max()) + 2.0
        imgui.plot_lines("##bpm", bpm, overlay_text=f"tempo {lo + 2:.0f}-{hi - 2:.0f}", scale_min=lo, scale_max=hi,
                         graph_size=imgui.ImVec2(half, 36))
        imgui.same_line()
        imgui.plot_lines("##conf", np.fromiter(self._conf, np.float32), overlay_text="confidence", scale_min=0.0,
                         scale_max=1.0, graph_size=imgui.ImVec2(half, 36))

    def _now_next(self, inp: PanelInput) -> None:
        desc = inp.desc
        imgui.separator()
        h = NOW_W * 9 / 16
        for n, (label, cid, colour) in enumerate((("NOW", desc.current_clip, NOW_COLOUR),
                                                  ("NEXT", desc.next_clip, NEXT_COLOUR))):
            if n:
                imgui.same_line()
            imgui.begin_group()
            self.grid.thumb(cid, NOW_W, h)
            imgui.push_font(None, 1.4 * FONT_PX)
            imgui.text_colored(imgui.ImVec4(*colour), f"{label} {cid}"[:26])
            imgui.pop_font()
            imgui.end_group()

    @staticmethod
    def _flight(inp: PanelInput) -> None:
        """The flight's progress; its row is kept when there is none, so the faders below never jump."""
        if inp.desc.transition >= 0:
            imgui.progress_bar(inp.desc.transition, imgui.ImVec2(-1, 0), "flying in")
        else:
            imgui.dummy(imgui.ImVec2(1, imgui.get_frame_height()))

    @staticmethod
    def _hud(inp: PanelInput) -> None:
        imgui.separator()
        for line in inp.hud:
            imgui.text_wrapped(line)

    def _meters(self, inp: PanelInput) -> None:
        """Meters that rise at once and fall at ``METER_FALL_DB`` per second, as a mixer's do: read between
        two kicks, a raw level is often near silence, and a meter that flickers cannot be read at a glance."""
        snap = inp.audio
        imgui.separator()
        level = inp.input_level
        db = -60.0 if level <= 0 else max(-60.0, 20 * math.log10(level))
        fall = METER_FALL_DB * min(0.5, imgui.get_io().delta_time)
        shown = [max(db, self._meters_db[0] - fall)]
        bands = (("bass", snap.bass), ("mid", snap.mid), ("treble", snap.treble))
        shown += [max(max(0.0, min(1.0, v)), old - fall / 60.0) for (_, v), old in zip(bands, self._meters_db[1:])]
        self._meters_db = shown
        imgui.progress_bar((shown[0] + 60) / 60, imgui.ImVec2(-1, 0), f"input {shown[0]:5.1f} dB")
        w = (imgui.get_content_region_avail().x - 2 * imgui.get_style().item_spacing.x) / 3
        for n, ((name, _), value) in enumerate(zip(bands, shown[1:])):
            if n:
                imgui.same_line()
            imgui.progress_bar(value, imgui.ImVec2(w, 0), name)

    def _faders(self, inp: PanelInput, actions: list[Action]) -> None:
        rules = inp.desc.report.rules
        imgui.separator()
        imgui.push_item_width(self.width - 210)
        for r in PANEL_SETTINGS:
            value = getattr(rules, r.field) * r.scale
            # the value goes beside the name, not inside the bar: there the bright grab covers it half the time
            shown = f"{int(value)}" if r.kind is int else f"{value:.2f}"
            label = f"{r.name.replace('_', ' ')}  {shown}###{r.control}"
            if r.kind is int:
                changed, new = imgui.slider_int(label, int(value), int(r.lo * r.scale), int(r.hi * r.scale), "")
            else:
                changed, new = imgui.slider_float(label, float(value), r.lo * r.scale, r.hi * r.scale, "")
            if imgui.is_item_hovered():
                imgui.set_tooltip(f"{r.help} ({r.control})")
            if changed:
                actions.append(Action("set", control=r.control, value=float(new)))
        imgui.pop_item_width()
        desc = inp.desc   # the song's ISF effects on the output, in order (F1-F8 toggle them), and the flights' style
        fx = " > ".join(e.name for e in desc.effects) or "none"
        imgui.text(f"effects: {fx}" + (f"   flights: {desc.flight}" if desc.flight else ""))

    def _messages(self, inp: PanelInput) -> None:
        """The last three messages, the newest last.  A long one is read from its beginning, which names the file,
        the field and what is wrong (its fix follows): on a 1024x600 screen the part holds three or four lines,
        and scrolled to its end it showed a long warning's tail.  One taller than the part is cut with "..." to fit
        it; the whole of it is in the terminal, and in a tooltip over it."""
        if not inp.messages and not inp.focus_pending:
            return
        room = imgui.get_content_region_avail()
        imgui.separator()
        imgui.push_text_wrap_pos(0.0)   # at the right edge of the part, in the column or under the picture
        if inp.focus_pending:
            imgui.text_colored(imgui.ImVec4(*LEVEL_COLOUR[INFO]),
                               f"info: {inp.focus_pending} focus point(s) set by clicking: Ctrl+S writes them to bank.toml")
        shown = list(inp.messages)[-3:]
        for m in shown:
            text = f"{LEVEL_WORD[m.level]}: {m.text}"
            newest = m is shown[-1]
            if newest:   # no taller than the part: scrolled to its end, the part shows it from its beginning
                text = fit_text(text, room.y, lambda t: imgui.calc_text_size(t, False, room.x).y)
            imgui.text_colored(imgui.ImVec4(*LEVEL_COLOUR[m.level]), text)
            if newest:
                lo, size = imgui.get_item_rect_min(), imgui.get_item_rect_size()
                self.parts["newest"] = (lo.x, lo.y, size.x, size.y)
                if text != f"{LEVEL_WORD[m.level]}: {m.text}" and imgui.is_item_hovered():
                    imgui.begin_tooltip()
                    imgui.push_text_wrap_pos(imgui.get_font_size() * 40)
                    imgui.text(m.text)
                    imgui.pop_text_wrap_pos()
                    imgui.end_tooltip()
        imgui.pop_text_wrap_pos()

    def _preview(self, inp: PanelInput, actions: list[Action]) -> None:
        """The output as the projector shows it (control window), the HUD over it when on; a click sets the focus."""
        w = self.preview_w
        ow, oh = inp.preview_size
        h = w * oh / ow
        flags = (imgui.WindowFlags_.no_title_bar | imgui.WindowFlags_.no_resize | imgui.WindowFlags_.no_move
                 | imgui.WindowFlags_.no_scrollbar | imgui.WindowFlags_.no_background)
        imgui.set_next_window_pos(imgui.ImVec2(0, 0))
        imgui.set_next_window_size(imgui.ImVec2(w, h + 16))
        imgui.push_style_var(imgui.StyleVar_.window_padding, imgui.ImVec2(0, 0))
        imgui.begin("vj preview", None, flags)
        pos = imgui.get_cursor_screen_pos()
        imgui.image(texture_ref(inp.preview_glo), imgui.ImVec2(w, h))
        self.preview_rect = (pos.x, pos.y, w, h)
        if imgui.is_item_clicked():
            m = imgui.get_mouse_pos()
            actions.append(Action("focus", x=(m.x - pos.x) / w, y=(m.y - pos.y) / h))
        if inp.hud and inp.hud_over_preview:
            dl = imgui.get_window_draw_list()
            lh = imgui.get_text_line_height_with_spacing()
            dl.add_rect_filled(imgui.ImVec2(pos.x + 6, pos.y + 6), imgui.ImVec2(pos.x + w - 6, pos.y + 12 + lh * len(inp.hud)),
                               imgui.get_color_u32(imgui.ImVec4(0, 0, 0, 0.6)))
            for n, line in enumerate(inp.hud):
                dl.add_text(imgui.ImVec2(pos.x + 12, pos.y + 9 + n * lh), imgui.get_color_u32(imgui.ImVec4(1, 1, 1, 1)), line)
        imgui.end()
        imgui.pop_style_var()

    def _help(self, height: float) -> None:
        """The keys.  Beside the picture (one window) it covers the panel's column, never the picture: the
        player draws the picture over that area after the panel; over the preview in a control window."""
        if self.preview_w:
            imgui.set_next_window_pos(imgui.ImVec2(20, 20), imgui.Cond_.appearing)
            flags = imgui.WindowFlags_.always_auto_resize
        else:
            imgui.set_next_window_pos(imgui.ImVec2(self.x0, 0))
            imgui.set_next_window_size(imgui.ImVec2(self.width, height))
            flags = imgui.WindowFlags_.no_move | imgui.WindowFlags_.no_resize
        imgui.set_next_window_bg_alpha(0.96 if self.preview_w else 1.0)
        opened, keep = imgui.begin("Keys (? closes)", True, flags)
        if opened:
            if imgui.begin_table("keys", 2, imgui.TableFlags_.row_bg):
                imgui.table_setup_column("key", imgui.TableColumnFlags_.width_fixed)
                imgui.table_setup_column("what", imgui.TableColumnFlags_.width_stretch)
                for b in BINDINGS:
                    imgui.table_next_row()
                    imgui.table_next_column()
                    imgui.text_colored(imgui.ImVec4(1.0, 0.85, 0.45, 1.0), b.keys)
                    imgui.table_next_column()
                    imgui.text_wrapped(b.help)
                imgui.end_table()
            imgui.text_disabled("click a clip: fly into it   shift+click: next clip   click the picture: focus")
        imgui.end()
        if keep is False:
            self.help_open = False
