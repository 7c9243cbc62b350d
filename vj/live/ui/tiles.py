"""The clip tiles of the control panel: the song's clips in song order, numbered as keys 1-9 and MIDI pads
cue them, and the whole bank in a browser (filter by words and tag), each tile a filmstrip frame.

Split out of :mod:`.panel` along its "clips" seam: this part owns the bank's clips, their thumbnails and
the browser's state; the panel hands it the frame's :class:`PanelInput` and a column or the room under
the picture to draw in.  A click on a tile is an :class:`Action` (``cue``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

from imgui_bundle import imgui

from ...bank import Clip
from ...preview import FRAMES, GAP
from .browser import NUMBER_KEYS, ClipBrowser
from ..messages import ERROR
from .host import FONT_PX, LEVEL_COLOUR, texture_ref
from .thumbs import ThumbCache

if TYPE_CHECKING:
    from .panel import PanelInput

TILE_W, TILE_H = 160, 90        #: clip tiles in the song grid and the browser (16:9 first frames)
NOW_COLOUR = (1.0, 0.78, 0.24, 1.0)    #: the clip on screen: its tile's border and its name
NEXT_COLOUR = (0.35, 0.65, 1.0, 1.0)   #: the next clip
#: a clip left out mid-show (its file failed): its tile is veiled in the messages' error red and says so
LEFT_OUT_COLOUR = (0.55, 0.08, 0.06, 0.72)


@dataclass(frozen=True, slots=True)
class Action:
    """Something the performer did on the panel: ``cue`` a clip (``switch``: now, else queue it), ``set`` a
    show setting by its control name, or ``focus`` at (x, y) of the preview (0..1, top-left origin)."""

    kind: str
    clip_id: str = ""
    switch: bool = True
    control: str = ""
    value: float = 0.0
    x: float = 0.0
    y: float = 0.0


class ClipTiles:
    """The song grid and the bank browser; ``tiles`` maps each number badge drawn in the last frame to its
    clip and its rectangle (window coordinates, top-left), for tests and screenshots."""

    def __init__(self, clips: Mapping[str, Clip], thumbs: ThumbCache):
        self.clips = dict(clips)
        self.thumbs = thumbs
        self.browser = ClipBrowser(self.clips)
        self.tiles: dict[str, tuple[str, tuple[float, float, float, float]]] = {}
        self._song_clips: tuple[str, ...] = ()
        self._query = ""
        self._cols = 3
        self._select_bank = False

    def show_bank(self) -> None:
        """Open the bank browser tab on the next frame."""
        self._select_bank = True

    def begin_frame(self, song_clips: Sequence[str]) -> None:
        """A new panel frame: follow the song's clips (the browser numbers them) and forget last frame's tiles."""
        if tuple(song_clips) != self._song_clips:
            self._song_clips = tuple(song_clips)
            self.browser.set_song(self._song_clips)
        self.tiles = {}

    def thumb(self, clip_id: str, w: float, h: float, frame: int = 0) -> bool:
        """Frame ``frame`` of the clip's filmstrip at w x h (a dark box while it loads); True when clicked."""
        clip = self.clips.get(clip_id)
        tex = self.thumbs.get(clip.preview if clip else None)
        if tex is None:
            pos = imgui.get_cursor_screen_pos()
            imgui.get_window_draw_list().add_rect_filled(pos, imgui.ImVec2(pos.x + w, pos.y + h),
                                                         imgui.get_color_u32(imgui.ImVec4(0.16, 0.16, 0.2, 1)))
            return imgui.invisible_button(f"##t{clip_id}{w}", imgui.ImVec2(w, h))
        fw = (tex.width - (FRAMES - 1) * GAP) / FRAMES
        u0 = frame * (fw + GAP) / tex.width
        imgui.image(texture_ref(tex.glo), imgui.ImVec2(w, h), imgui.ImVec2(u0, 0), imgui.ImVec2(u0 + fw / tex.width, 1))
        return imgui.is_item_clicked()

    def draw(self, inp: "PanelInput", actions: list[Action], width: float) -> None:
        """The tabs: the song's clips (numbered as keys 1-9 cue them) and the whole bank's browser."""
        imgui.separator()
        self._cols = max(1, int((width - 30) // (TILE_W + 8)))
        height = max(TILE_H + 50, imgui.get_content_region_avail().y - 8)
        if not imgui.begin_tab_bar("clips"):
            return
        if imgui.begin_tab_item(f"Song clips ({len(inp.song_clips)})")[0]:
            imgui.begin_child("song", imgui.ImVec2(0, height - FONT_PX - 16))
            self._clipped_grid([(n, cid) for n, cid in enumerate(inp.song_clips, start=1)], inp, actions, song=True)
            imgui.end_child()
            imgui.end_tab_item()
        flags = imgui.TabItemFlags_.set_selected if self._select_bank else 0
        self._select_bank = False
        if imgui.begin_tab_item(f"Bank ({len(self.clips)})", None, flags)[0]:
            self._browser(inp, actions, height)
            imgui.end_tab_item()
        imgui.end_tab_bar()

    def _clipped_grid(self, items: Sequence[tuple[int | None, str]], inp: "PanelInput", actions: list[Action],
                      song: bool) -> None:
        """Only the rows in view: a song of hundreds of clips drew every tile each frame, asking the thumbnail
        cache for more strips than it holds (160), so it evicted the tiles on screen and none ever showed, and the
        panel cost the show frames (261 clips: render scale 0.35x, usecheck3's walkthrough)."""
        clipper = imgui.ListClipper()
        rows = (len(items) + self._cols - 1) // self._cols
        clipper.begin(rows, TILE_H + imgui.get_text_line_height_with_spacing() + imgui.get_style().item_spacing.y)
        while clipper.step():
            self._grid(items, inp, actions, song, first_row=clipper.display_start,
                       rows=clipper.display_end - clipper.display_start)
        clipper.end()

    def _grid(self, items: Sequence[tuple[int | None, str]], inp: "PanelInput", actions: list[Action],
              song: bool, first_row: int = 0, rows: int | None = None) -> None:
        cols = self._cols
        total = (len(items) + cols - 1) // cols
        for row in range(first_row, total if rows is None else min(total, first_row + rows)):
            for col in range(cols):
                i = row * cols + col
                if i >= len(items):
                    break
                number, cid = items[i]
                if col:
                    imgui.same_line()
                self._tile(number, cid, inp, actions, song)

    def _tile(self, number: int | None, cid: str, inp: "PanelInput", actions: list[Action], song: bool) -> None:
        desc = inp.desc
        imgui.begin_group()
        pos = imgui.get_cursor_screen_pos()
        clicked = self.thumb(cid, TILE_W, TILE_H, frame=1 if imgui.is_mouse_hovering_rect(
            pos, imgui.ImVec2(pos.x + TILE_W, pos.y + TILE_H)) else 0)
        if clicked:
            actions.append(Action("cue", clip_id=cid, switch=not imgui.get_io().key_shift))
        dl = imgui.get_window_draw_list()
        border = NOW_COLOUR if cid == desc.current_clip else NEXT_COLOUR if cid == desc.next_clip else None
        if border is not None:
            dl.add_rect(pos, imgui.ImVec2(pos.x + TILE_W, pos.y + TILE_H), imgui.get_color_u32(imgui.ImVec4(*border)),
                        0.0, 4.0)
        why = inp.left_out.get(cid)
        if why is not None:   # the show plays on without it: its tile must not look like one it can fly into
            dl.add_rect_filled(pos, imgui.ImVec2(pos.x + TILE_W, pos.y + TILE_H),
                               imgui.get_color_u32(imgui.ImVec4(*LEFT_OUT_COLOUR)))
            dl.add_text(imgui.ImVec2(pos.x + 8, pos.y + TILE_H - FONT_PX - 6),
                        imgui.get_color_u32(imgui.ImVec4(1.0, 0.85, 0.8, 1.0)), "left out")
        if number is not None:  # the number key N (and clip/cue N) cues this clip
            badge = f"{number}"
            strong = number <= NUMBER_KEYS
            dl.add_rect_filled(pos, imgui.ImVec2(pos.x + 12 + 12 * len(badge), pos.y + FONT_PX + 6),
                               imgui.get_color_u32(imgui.ImVec4(0, 0, 0, 0.8)))
            dl.add_text(imgui.ImVec2(pos.x + 6, pos.y + 3), imgui.get_color_u32(
                imgui.ImVec4(1.0, 0.85, 0.45, 1.0) if strong else imgui.ImVec4(0.7, 0.7, 0.75, 1.0)), badge)
            if song:
                self.tiles[badge] = (cid, (pos.x, pos.y, TILE_W, TILE_H))
        imgui.text(cid[:15])
        imgui.end_group()
        if imgui.is_item_hovered():
            clip = self.clips.get(cid)
            imgui.begin_tooltip()
            if why is not None:
                imgui.text_colored(imgui.ImVec4(*LEVEL_COLOUR[ERROR]), f"left out: {why}")
            if clip is not None:
                self._strip(clip)
                imgui.text(f"{cid}  {' '.join('#' + t for t in clip.tags)}")
                if clip.prompt:
                    imgui.push_text_wrap_pos(600)
                    imgui.text(clip.prompt)
                    imgui.pop_text_wrap_pos()
            imgui.text("click: fly into it on the next beat   shift+click: make it the next clip")
            imgui.end_tooltip()

    def _strip(self, clip: Clip) -> None:
        tex = self.thumbs.get(clip.preview)
        if tex is not None:
            w = 600
            imgui.image(texture_ref(tex.glo), imgui.ImVec2(w, w * tex.height / tex.width))

    def _browser(self, inp: "PanelInput", actions: list[Action], height: float) -> None:
        b = self.browser
        imgui.push_item_width(max(160.0, imgui.get_content_region_avail().x * 0.45))
        changed, text = imgui.input_text_with_hint("##filter", "filter: words of the prompt, id or tag", self._query)
        imgui.pop_item_width()
        if changed:
            self._query = text
            b.set_filter(query=text)
        imgui.same_line()
        imgui.push_item_width(max(120.0, imgui.get_content_region_avail().x * 0.5))
        if imgui.begin_combo("##tag", f"#{b.tag}" if b.tag else "any tag"):
            if imgui.selectable("any tag", not b.tag)[0]:
                b.set_filter(tag="")
            for tag, count in b.tags[:200]:
                if imgui.selectable(f"#{tag} ({count})", b.tag == tag)[0]:
                    b.set_filter(tag=tag)
            imgui.end_combo()
        imgui.pop_item_width()
        shown = b.shown
        imgui.same_line()
        imgui.text_disabled(f"{len(shown)} of {len(b.entries)}")
        imgui.begin_child("bank", imgui.ImVec2(0, max(TILE_H + 30, imgui.get_content_region_avail().y - 4)))
        self._clipped_grid([(e.number, e.clip_id) for e in shown], inp, actions, song=False)
        imgui.end_child()
