"""`vj play`'s own Player in its own process under Xvfb, with real X input (xdotool): the harness of the stage
tests (tests/test_stage*.py).  ``play`` runs it on a bank while ``act`` presses keys, clicks and resizes its
window; the player's panel publishes where its tiles and parts were drawn (tiles.json, parts.json)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import av
import numpy as np

from media import write_track
from vj.bank import import_bank


def write_still_clip(path: Path, size=(320, 180), seconds: float = 2.0, seed: int = 0) -> Path:
    """A clip whose every frame is the same picture (lossless), so a live frame and an offline one agree
    whatever frame each decoder is at: only the show's geometry decides the pixels."""
    w, h = size
    yy, xx = np.mgrid[0:h, 0:w]
    rgb = np.zeros((h, w, 3), np.uint8)
    rgb[..., 0] = (xx * 255 // w + seed * 60) % 256
    rgb[..., 1] = (yy * 255 // h + seed * 90) % 256
    rgb[..., 2] = ((xx // 20 + yy // 20) % 2) * 160 + 40
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv444p"
        stream.options = {"preset": "ultrafast", "qp": "0"}
        for _ in range(int(seconds * 30)):
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def make_stage(root: Path) -> tuple[Path, Path, Path]:
    """Bank ``s`` of six still clips (still0..still5) in ``root/banks`` and the test track: (root, banks, track)."""
    for i in range(6):
        write_still_clip(root / "src" / f"still{i}.mp4", seed=i)
    banks = root / "banks"
    import_bank(root / "src", "s", banks_dir=banks)
    return root, banks, write_track(root / "track.flac")


SCRIPT = """
import json, sys, threading, time
from pathlib import Path
from vj.audio.file_input import FileInput
from vj.engine import ShowRules
from vj.live.app import PlayOptions, Player
from vj.show.plan import plan_show

args = json.loads(sys.argv[1])
rules = ShowRules(**args.get("rules", {}))
plans = plan_show(args["bank"], rules=rules, banks_dir=Path(args["banks"]), require_audio=False)
if args.get("order"):
    import dataclasses
    plans = [dataclasses.replace(p, clip_order=tuple(args["order"])) for p in plans]
if args.get("title"):
    import dataclasses
    plans = [dataclasses.replace(p, title=args["title"]) for p in plans]
o = args["options"]
o["size"] = tuple(o.get("size", (640, 360)))
if o.get("screenshots"):
    o["screenshots"] = Path(o["screenshots"])
if o.get("autosave"):   # the show's place written as vj play writes it; "resume": a saved point to start from
    o["autosave"] = Path(o["autosave"])
if o.get("resume"):
    from vj.show.resume import ResumePoint
    o["resume"] = ResumePoint.from_dict(o["resume"])
opts = PlayOptions(**o)
player = Player(plans, FileInput(args["track"]).start(), opts, feed_label="test file")
player.controls.surfaces.update(args.get("surfaces", {}))   # as vj play's OSC and MIDI publish themselves
for text in args.get("problems", []):   # a surface's problem, as OSC or MIDI hands one to the panel
    player.controls.reject(text)
if args.get("fail"):   # a clip whose file failed, as the renderer reports one (its decoder hit a damaged file)
    player.loop.feedback([(args["fail"], "its file is damaged (the test says so)")])
out = Path(args["out"])

def publish():  # where the song's tiles are, for the test's clicks (the panel's own record of its last frame)
    while not player.quit:
        side = player.side
        # copies (one step under the GIL): the frame thread adds to them meanwhile, and a dict that changed size
        # while json read it stopped this thread for the run (no parts.json: seen at load 11)
        if side is not None and side.panel.tiles:
            (out.parent / "tiles.json").write_text(json.dumps(dict(side.panel.tiles)))
        if side is not None and side.panel.parts:
            (out.parent / "parts.json").write_text(json.dumps(dict(side.panel.parts)))
        time.sleep(0.2)

threading.Thread(target=publish, daemon=True).start()
try:
    summary = player.run()
    state = dict(summary=summary, hud=player.hud_visible, song_clips=list(player.loop.song_clip_ids[0]),
                 focus_left=dict(player.focus_points), messages=[(m.level, m.text) for m in player.board.history],
                 window=player.window.get_framebuffer_size(), view=player.view)
finally:
    player.close()
out.write_text(json.dumps(state))
"""


def play(tmp_path: Path, stage, options: dict, display: str, actions=(), **extra) -> dict:
    """Run the player (its own process, as `vj play` is) while ``actions`` (at, kind, what) happen to its window."""
    root, banks, track = stage
    out = tmp_path / "state.json"
    args = dict(bank=extra.pop("bank", "s"), banks=str(banks), track=str(track), out=str(out),
                options={"vsync": False, "fps": 30, **options}, **extra)
    done: list = []
    th = threading.Thread(target=act, args=(display, list(actions), tmp_path, done), daemon=True)
    th.start()
    r = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(args)], capture_output=True, text=True, timeout=180)
    th.join(10)
    assert r.returncode == 0, r.stderr
    state = json.loads(out.read_text())
    state["stderr"] = r.stderr
    state["done"] = done
    return state


def act(display: str, actions: list, tmp_path: Path, done: list) -> None:
    """Real X input through XTEST (xdotool): keys, clicks at window coordinates (top-left origin), and a resize
    of the window to (width, height) as a window manager's would (a ConfigureNotify)."""
    env = {"DISPLAY": display, "PATH": "/usr/bin:/bin"}
    start = time.monotonic()
    wid = ""
    while not wid and time.monotonic() - start < 30:
        r = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^vj$"], capture_output=True, text=True, env=env)
        wid = r.stdout.split()[0] if r.stdout.split() else ""
        time.sleep(0.1)
    base = time.monotonic()
    for at, kind, what in actions:
        time.sleep(max(0.0, at - (time.monotonic() - base)))
        if kind == "tile":  # the centre of the song tile numbered ``what``, as the panel drew it
            tiles = json.loads((tmp_path / "tiles.json").read_text())
            x, y, w, h = tiles[what][1]
            what = (x + w / 2, y + h / 2)
            kind = "click"
        if kind == "close":   # the window manager's close button (Alt+F4)
            from xgrab import ask_to_close
            ask_to_close(display, int(wid))
            done.append((kind, what))
            continue
        if kind == "size":
            subprocess.run(["xdotool", "windowsize", "--sync", wid, str(what[0]), str(what[1])], env=env, timeout=5)
            done.append((kind, what))
            continue
        if kind == "click":
            subprocess.run(["xdotool", "mousemove", "--window", wid, str(int(what[0])), str(int(what[1]))],
                           env=env, timeout=5)
            time.sleep(0.15)
            subprocess.run(["xdotool", "click", "1"], env=env, timeout=5)  # XTEST, at the pointer: a real click
        else:
            subprocess.run(["xdotool", "windowfocus", "--sync", wid], env=env, timeout=5)
            subprocess.run(["xdotool", "key", "--window", wid, what], env=env, timeout=5)
        done.append((kind, what))


TRACKS_SCRIPT = """
import json, sys
from pathlib import Path
from vj.live.app import PlayOptions, Player
from vj.live.tracks import SetlistTracks
from vj.show.plan import plan_show

setlist, banks, out = (Path(a) for a in sys.argv[1:4])
opts = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
plans = plan_show(setlist, banks_dir=banks, require_audio=False)
feed = SetlistTracks([p.audio for p in plans], mute=opts.get("mute", True)).start()
player = Player(plans, feed, PlayOptions(size=(320, 180), fps=30, vsync=False, duration=opts.get("duration", 15.0)),
                feed_label=feed.label)
try:
    summary = player.run()
    state = dict(track=feed.index, changes=feed.changes, song=player.song, loop_song=player.loop.song,
                 messages=[(m.level, m.text) for m in player.board.log])
finally:
    player.close()
out.write_text(json.dumps(state))
"""


