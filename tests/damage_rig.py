"""Child process of tests/test_panel_damage.py (run under Xvfb): the real panel in a pyglet window, drawn
frame by frame with only what changed (vj.live.ui.damage), each frame compared with a whole redraw of the
same ImGui draw data.  Prints one JSON line: the frames whose pixels differ, how many lists each drew, and
whether the key help was open (it covers the column: a change under it draws it and all it covers again)."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import numpy as np


def main(tmp: Path) -> dict:
    import moderngl
    import pyglet
    from imgui_bundle import imgui
    from imgui_bundle.imgui import backends

    from vj.audio.snapshot import AudioSnapshot
    from vj.bank import Clip
    from vj.engine import FrameDesc
    from vj.fileio import write_png
    from vj.live.messages import ERROR, INFO, Message
    from vj.live.ui.host import BACKGROUND
    from vj.live.ui.panel import PANEL_WIDTH, PanelInput
    from vj.live.ui.side import ControlSide

    pyglet.options["debug_gl"] = False
    clips = {}
    for i in range(8):   # filmstrips: 6 frames of 170x96, each clip its own colours
        strip = np.zeros((96, 6 * 170 + 5 * 4, 3), np.uint8)
        strip[..., 0], strip[..., 1], strip[..., 2] = 30 * i, np.arange(strip.shape[1]) % 256 // 2, 200 - 20 * i
        clips[f"c{i}"] = Clip(f"c{i}", tmp / f"c{i}.mp4", prompt=f"clip {i}", tags=("t",),
                              preview=write_png(tmp / f"c{i}.png", strip))
    config = pyglet.gl.Config(major_version=3, minor_version=3, forward_compatible=True, double_buffer=True)
    window = pyglet.window.Window(1280 + PANEL_WIDTH, 900, config=config, vsync=False)
    ctx = moderngl.create_context()
    side = ControlSide(window, ctx, clips, 1280)
    fw, fh = window.get_framebuffer_size()

    def screen() -> np.ndarray:
        tex = ctx.texture((fw, fh), 4)
        fbo = ctx.framebuffer(color_attachments=[tex])
        ctx.copy_framebuffer(fbo, ctx.screen)
        img = np.frombuffer(fbo.read(components=3), np.uint8).copy()
        fbo.release()
        tex.release()
        return img

    ids = list(clips)
    desc = FrameDesc(0.0, (), bpm=120.0, current_clip=ids[0], next_clip=ids[1])
    differ, drawn, helped = [], [], []
    ctx.screen.use()
    ctx.screen.clear(*BACKGROUND, 1.0)
    side.damage.invalidate()
    for i in range(48):
        window.dispatch_events()
        step = i // 6                                        # what changes, a few frames at a time
        d = dataclasses.replace(desc, bpm=120.0 + (i % 5) * 0.7, current_clip=ids[step % 3],
                                next_clip=ids[3 + step % 2], transition=(i % 12) / 12 if step % 2 else -1.0,
                                report=dataclasses.replace(desc.report, beat=i % 4, bar=i // 4))
        messages = [Message(INFO, "next song armed", 0.0)] if step % 3 == 1 else []
        if step % 4 == 3:
            messages.append(Message(ERROR, f"a clip is missing ({step})", 0.0))
        side.panel.help_open = step in (5, 6)                # the key help over the panel, then gone
        inp = PanelInput(desc=d, audio=AudioSnapshot(bass=(i % 7) / 7), song=0, songs=["test"],
                         song_clips=ids[: 6 if step < 4 else 4], input_level=0.1 * (1 + i % 3), messages=messages,
                         hud=[f"{60 - i % 3}.0 fps", "dropped 0"] if step % 2 else [])
        side.draw(inp, (0, 728, 1280, 172), partial=True)
        drawn.append(list(side.host.drawn_lists))
        helped.append(side.panel.help_open)
        partial = screen()
        ctx.screen.clear(*BACKGROUND, 1.0)                   # the same frame drawn whole
        backends.opengl3_render_draw_data(imgui.get_draw_data())
        whole = screen()
        if not np.array_equal(partial, whole):
            differ.append([i, int((partial != whole).sum())])
        window.flip()
    # a steady show: the tempo, the beat and the HUD's (held) lines stay, only the input moves; the tempo plots
    # take a point every 1/PLOT_HZ s, not at every panel frame, so between points their part stays as drawn
    steady, names = [], []
    d = dataclasses.replace(desc, report=dataclasses.replace(desc.report, beat=1, bar=3))
    side.panel.help_open = False
    side.panel.plot_clock = lambda: 0.0   # held still: no new point, however slowly this machine draws
    # ... then a message comes (a part of its own below the others): that part, the column (its scrollbar
    # moved) and what their cleared cells touch are drawn, not every part after it
    for i in range(16):
        window.dispatch_events()
        inp = PanelInput(desc=d, audio=AudioSnapshot(bass=(i % 4) / 4), song=0, songs=["test"], song_clips=ids[:6],
                         input_level=0.1 * (1 + i % 3), hud=["60.0 fps", "dropped 0"],
                         messages=[Message(INFO, "next song armed", 0.0)] if i >= 12 else [])
        side.draw(inp, (0, 728, 1280, 172), partial=True)
        steady.append(list(side.host.drawn_lists))
        partial = screen()
        ctx.screen.clear(*BACKGROUND, 1.0)                   # the same frame drawn whole
        backends.opengl3_render_draw_data(imgui.get_draw_data())
        if not np.array_equal(partial, screen()):
            differ.append([100 + i, int((partial != screen()).sum())])
        data = imgui.get_draw_data()
        names.append(sorted(data.cmd_lists[k]._owner_name.split("/")[-1].split("_")[0]
                            for k in range(data.cmd_lists.size())))
        window.flip()
    side.close()
    window.close()
    return {"differ": differ, "drawn": drawn, "help": helped, "steady": steady, "parts": names[-1]}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
