"""Effects in the show, the GL half: the chain on the compositor's output, ISF flights, broken shaders
(a real GL context through EGL; Mesa llvmpipe here)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from vj.engine import EffectDesc, FrameDesc, LayerDesc
from vj.gfx.compositor import Compositor
from vj.gfx.context import headless_context
from vj.isf import load_isf, read_picture, texture_from_picture
from vj.render.effects import EffectChain
from vj.setlist_fx import SHIPPED
from vj.video.frames import YuvFrame

SIZE = (160, 90)
RGB = str(SHIPPED / "RGB Shift.fs")
TRAILS = str(SHIPPED / "Beat Trails.fs")
KALEIDO = str(SHIPPED / "Kaleidoscope Turn.fs")
WIPE = str(SHIPPED / "Slice Wipe.fs")


@pytest.fixture(scope="module")
def ctx():
    c = headless_context()
    yield c
    c.release()


def picture(seed: int, w: int = 96, h: int = 54) -> YuvFrame:
    """A clip frame with detail (gradients and bars), so shifts and mirrors show."""
    x = np.arange(w)[None, :]
    yy = np.arange(h)[:, None]
    y = (40 + (x * 150 // w + yy * 40 // h + ((x // 8 + seed) % 2) * 25)).astype(np.uint8)
    u = np.full((h // 2, w // 2), 90 + seed * 40, np.uint8)
    v = (np.arange(w // 2)[None, :] * 4 + 60 + np.zeros((h // 2, 1), int)).clip(16, 240).astype(np.uint8)
    return YuvFrame(0.0, 0.0, w, h, (y, u, v), "bt601", "limited", seed + 1)


@pytest.fixture()
def show(ctx):
    comp = Compositor(ctx, SIZE, fps=30)
    texs = {}
    for inst in (0, 1):
        texs[inst] = comp.new_clip_texture()
        texs[inst].upload(picture(inst))
    chain = EffectChain(comp, live=False)
    yield comp, texs, chain
    chain.release()
    for t in texs.values():
        t.release()
    comp.release()


def frame(t: float = 1.0, effects=(), **kw) -> FrameDesc:
    return FrameDesc(t, (LayerDesc("a", 0, t, t, (0.5, 0.5), 1.0),), effects=tuple(effects), **kw)


def out(comp: Compositor) -> np.ndarray:
    w, h = comp.size
    return np.frombuffer(comp.read(), np.uint8).reshape(h, w, 4)[..., :3].astype(int)


def fx(name: str, shader: str, epoch: int = 1, **values) -> EffectDesc:
    return EffectDesc(name, shader, tuple(values.items()), epoch)


def as_texture(ctx, rgb: np.ndarray):
    """A picture read from the compositor (top row first) as an ISF input texture."""
    return texture_from_picture(ctx, rgb.astype(np.uint8))


def test_effects_see_the_picture_the_way_up_isf_says(ctx, show, tmp_path):
    # ISF's y goes up: a filter that paints where isf_FragNormCoord.y < 0.25 paints the bottom of the picture,
    # and a filter that passes the picture through leaves it exactly as it was (not upside down)
    f = tmp_path / "Bottom.fs"
    f.write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "paint", "TYPE": "bool", '
                 '"DEFAULT": true}]}*/\nvoid main() {\n  vec4 c = IMG_THIS_NORM_PIXEL(inputImage);\n'
                 '  gl_FragColor = (paint && isf_FragNormCoord.y < 0.25) ? vec4(1.0, 0.0, 0.0, 1.0) : c;\n}\n')
    comp, texs, chain = show
    comp.render(frame(), texs)
    plain = out(comp)
    desc = frame(effects=[fx("b", str(f))])
    comp.render(desc, texs)
    chain.apply(desc)
    got = out(comp)
    h = SIZE[1]
    assert (got[-h // 5:] == [255, 0, 0]).all() and np.array_equal(got[:h // 2], plain[:h // 2])
    desc = frame(effects=[fx("b", str(f), paint=False)])
    comp.render(desc, texs)
    chain.apply(desc)
    assert np.array_equal(out(comp), plain)


def test_the_chain_runs_on_the_compositors_output_in_order(ctx, show):
    comp, texs, chain = show
    desc = frame()
    comp.render(desc, texs)
    plain = out(comp)
    chain.apply(desc)                                   # no effects: the output is untouched
    assert np.array_equal(out(comp), plain)
    effects = (fx("rgb", RGB, amount=1.0, spread=0.2), fx("k", KALEIDO, segments=5.0, speed=0.0))
    desc = frame(effects=effects)
    comp.render(desc, texs)
    chain.apply(desc)
    got = out(comp)
    assert np.abs(got - plain).mean() > 10             # the effects show
    # the same as the shaders applied by hand, in that order, to the compositor's picture
    rgb, kal = load_isf(ctx, Path(RGB), SIZE), load_isf(ctx, Path(KALEIDO), SIZE)
    src = as_texture(ctx, plain)
    tex = kal.apply(rgb.apply(src, 1.0, dict(effects[0].values)), 1.0, dict(effects[1].values))
    want = read_picture(tex)[..., :3].astype(int)
    assert np.array_equal(got, want)
    src.release()
    swapped = frame(effects=effects[::-1])
    comp.render(swapped, texs)
    chain.apply(swapped)
    assert np.abs(out(comp) - got).mean() > 1           # order matters
    rgb.release()
    kal.release()
    assert chain.take_messages() == []


def test_a_rehearsal_renders_the_same_feedback_twice_and_a_new_epoch_starts_it_afresh(ctx, show):
    comp, texs, chain = show

    def run(chain, epochs):
        pics = []
        for n, epoch in enumerate(epochs):
            t = n / 30
            desc = frame(t, [fx("trails", TRAILS, epoch, beat=1.0 if n % 15 == 0 else 0.0, persistence=0.9,
                                amount=1.0)])
            comp.render(desc, texs)
            chain.apply(desc)
            pics.append(out(comp))
        return pics

    a = run(chain, [1] * 20)
    other = EffectChain(comp, live=False)
    b = run(other, [1] * 20)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))        # deterministic: feedback and all
    c = run(other, [2] + [2] * 19)                                 # a new epoch: the trails start again
    assert all(np.array_equal(x, y) for x, y in zip(a, c))
    d = run(other, [2] * 20)                                       # the same epoch: the trails go on
    assert not np.array_equal(d[0], a[0])
    other.release()


def test_a_broken_shader_is_left_out_with_its_file_and_line_and_the_rest_runs(ctx, show, tmp_path):
    comp, texs, chain = show
    bad = tmp_path / "Bad.fs"
    bad.write_text('/*{\n "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]\n}*/\n\nvoid main() {\n'
                   '    gl_FragColor = IMG_THIS_PIXEL(inputImage) * nope;\n}\n')
    effects = (fx("bad", str(bad)), fx("rgb", RGB, amount=1.0, spread=0.2))
    desc = frame(effects=effects)
    comp.render(desc, texs)
    chain.apply(desc)
    got = out(comp)
    said = chain.take_messages()
    assert len(said) == 1 and f"{bad}:6:" in said[0] and "nope" in said[0] and "effect 'bad' left out" in said[0]
    only = frame(effects=effects[1:])
    comp.render(only, texs)
    EffectChain(comp, live=False).apply(only)
    assert np.array_equal(got, out(comp))              # the rest of the chain ran as if it were not there
    comp.render(desc, texs)
    chain.apply(desc)
    assert chain.take_messages() == []                 # said once
    assert str(bad) in chain.failed()


def test_blackout_is_black_even_with_trails(ctx, show):
    comp, texs, chain = show
    effects = [fx("trails", TRAILS, beat=1.0, persistence=0.95, amount=1.0)]
    for n in range(5):
        desc = frame(n / 30, effects)
        comp.render(desc, texs)
        chain.apply(desc)
    desc = frame(0.2, effects, brightness=0.0)
    comp.render(desc, texs)
    chain.apply(desc)
    assert out(comp).max() == 0


def flight(progress: float, transition: EffectDesc | None, **values) -> FrameDesc:
    a = LayerDesc("a", 0, 1.0, 1.0, (0.45, 0.5), 1.2)
    b = LayerDesc("b", 1, 0.2, 0.2, (0.5, 0.5), 1.0, alpha=progress)
    return FrameDesc(1.0, (a, b), transition=progress, flight="wipe" if transition else "", flight_fx=transition)


def test_an_isf_flight_blends_the_two_clips_drawn_apart(ctx, show):
    comp, texs, chain = show
    wipe = fx("wipe", WIPE, slices=4, stagger=0.3)
    pics = {}
    tex = {}
    for name, layers in (("a", 0), ("b", 1)):
        desc = flight(0.5, wipe)
        one = replace(desc, layers=(replace(desc.layers[layers], alpha=1.0),))
        comp.render(one, texs)
        pics[name] = out(comp)
        tex[name] = as_texture(ctx, pics[name])
    by_hand = load_isf(ctx, Path(WIPE), SIZE)
    for p in (0.0, 0.5, 1.0):
        desc = flight(p, wipe)
        picture = chain.flight(desc, texs)
        assert picture is not None
        chain.apply(desc, picture)
        got = out(comp)
        if p == 0.0:
            assert np.abs(got - pics["a"]).max() <= 1       # the flight starts on A ...
        if p == 1.0:
            assert np.abs(got - pics["b"]).max() <= 1       # ... and lands on B, full screen
        if p == 0.5:   # the transition on the two clips drawn apart, as by hand; neither clip alone
            want = read_picture(by_hand.blend(tex["a"], tex["b"], 0.5, 1.0, dict(wipe.values)))[..., :3].astype(int)
            assert np.array_equal(got, want)
            assert np.abs(got - pics["a"]).mean() > 10 and np.abs(got - pics["b"]).mean() > 10
    by_hand.release()
    # without a transition (or with one that cannot be drawn) the compositor crossfades
    assert chain.flight(flight(0.5, None), texs) is None
    broken = fx("wipe", str(SHIPPED / "RGB Shift.fs"))            # a filter is no transition
    assert chain.flight(flight(0.5, broken), texs) is None
    comp.render(flight(0.5, None), texs)
    mixed = out(comp)
    assert np.abs(mixed - (pics["a"] + pics["b"]) / 2).mean() < 3


SHOW = """\
[[songs]]
title = "Fx"
bank = "BANK"
audio = "TRACK"
tempo = 120.0
switch_bars = 2
transition = {shader = "Slice Wipe", slices = 6}

[[songs.effects]]
shader = "RGB Shift"
amount = "bass_att * 0.8"

[[songs.effects]]
shader = "Beat Trails"
beat = {source = "beat", shape = "decay", beats = 0.5}
persistence = 0.5
EXTRA
"""


def rehearse_with(root: Path, name: str, text: str, **kw):
    from vj.render.rehearse import rehearse
    from vj.show.plan import plan_show
    f = root / f"{name}.toml"
    f.write_text(text)
    return rehearse(plan_show(f), root / f"{name}.mp4", size=(160, 90), fps=30, hash_frames=True, **kw)


def test_a_rehearsal_with_effects_and_an_isf_transition_renders_the_same_twice(test_bank):
    root, banks, track = test_bank
    text = SHOW.replace("BANK", str(banks / "t")).replace("TRACK", str(track))
    a = rehearse_with(root, "fx-a", text.replace("EXTRA", ""))
    b = rehearse_with(root, "fx-b", text.replace("EXTRA", ""))
    assert a.frame_hashes == b.frame_hashes and len(a.switches) >= 2
    plain = rehearse_with(root, "fx-plain", text.split("transition =")[0])
    assert sum(x != y for x, y in zip(a.frame_hashes, plain.frame_hashes)) > 0.9 * len(a.frame_hashes)
    assert not any("left out" in m for m in a.messages)
    # the report names the transition where a zoom-through's seam would be scored (it has no seam)
    from vj.render.report import write_report
    from vj.show.plan import plan_show
    page = write_report(a, plan_show(root / "fx-a.toml"), root / "fx-a.mp4").read_text()
    assert "flights drawn by the ISF transition slice_wipe" in page and "<td>-</td>" not in page
    # a section that goes back to the zoom-through: its flights are scored, the wipes before it named
    from vj.render.report import transitions
    mixed = rehearse_with(root, "fx-mixed", text.replace("EXTRA", '[[songs.sections]]\nbar = 5\ntransition = "zoom"\n'))
    rows = transitions(mixed, mixed.songs[0])
    assert {r.wipe for r in rows} == {"slice_wipe", ""}, rows
    assert all((r.seam is None) == bool(r.wipe) for r in rows), rows
    # an effect that does not compile: said with its file and ISF line, left out, and the show renders on
    bad = root / "Broken Fx.fs"
    bad.write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n\nvoid main() {\n'
                   '    gl_FragColor = vec4(nope);\n}\n')
    c = rehearse_with(root, "fx-bad", text.replace("EXTRA", f'[[songs.effects]]\nshader = "{bad}"\n'))
    assert c.frame_hashes == a.frame_hashes
    said = [m for m in c.messages if "left out" in m]
    assert len(said) == 1 and f"{bad}:4:" in said[0] and "nope" in said[0]


def test_picture_and_audio_inputs_are_fed_from_the_setlists_file_and_the_frames_audio(ctx, show, tmp_path):
    from vj.audio.snapshot import AudioSnapshot
    from vj.fileio import write_png
    f = tmp_path / "Feed.fs"
    f.write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "logo", "TYPE": "image"},'
                 ' {"NAME": "fft", "TYPE": "audioFFT"}, {"NAME": "wave", "TYPE": "audio"}]}*/\nvoid main() {\n'
                 '  vec2 p = isf_FragNormCoord;\n'
                 '  if (p.x < 0.5) gl_FragColor = IMG_NORM_PIXEL(logo, vec2(p.x * 2.0, p.y));\n'
                 '  else gl_FragColor = vec4(IMG_NORM_PIXEL(fft, vec2(0.1, 0.5)).r, IMG_NORM_PIXEL(wave, vec2(0.5, 0.5)).r,'
                 ' 0.0, 1.0);\n}\n')
    logo = np.zeros((40, 80, 3), np.uint8)
    logo[:20] = (255, 0, 0)                     # red on top, blue below: the picture the right way up
    logo[20:] = (0, 0, 255)
    write_png(tmp_path / "logo.png", logo)
    comp, texs, chain = show
    loud = AudioSnapshot(spectrum=np.full(32, 0.8, np.float32), waveform=np.full(512, 0.5, np.float32))
    feed = EffectDesc("feed", str(f), (), 1, (("logo", str(tmp_path / "logo.png")),))
    desc = frame(effects=[feed], audio=loud)
    comp.render(desc, texs)
    chain.apply(desc)
    got = out(comp)
    w, h = SIZE
    assert (np.abs(got[: h // 3, : w // 2] - [255, 0, 0]).max(axis=-1) <= 1).all()
    assert (np.abs(got[-h // 3:, : w // 2] - [0, 0, 255]).max(axis=-1) <= 1).all()
    right = got[:, w // 2 + 2:]
    assert np.abs(right[..., 0] - 204).max() <= 2            # the band level (0.8)
    assert np.abs(right[..., 1] - 191).max() <= 2            # the waveform as VDMX shows it: 0.5 + 0.5 * 0.5
    quiet = frame(effects=[feed], audio=AudioSnapshot())
    comp.render(quiet, texs)
    chain.apply(quiet)
    assert out(comp)[:, w // 2 + 2:, 0].max() <= 1
    assert chain.take_messages() == []
    # a picture that cannot be read is said once; the input is transparent black and the effect goes on
    gone = replace(feed, images=(("logo", str(tmp_path / "gone.png")),))
    for _ in range(2):
        d = frame(effects=[gone], audio=loud)
        comp.render(d, texs)
        chain.apply(d)
    said = chain.take_messages()
    assert len(said) == 1 and "cannot read logo's picture" in said[0] and "gone.png" in said[0]
    got = out(comp)
    assert got[:, : w // 2 - 2].max() <= 1 and np.abs(got[:, w // 2 + 2:, 0] - 204).max() <= 2


def test_live_a_shader_saved_during_the_show_is_compiled_again_and_a_broken_save_keeps_the_last_good(ctx, show,
                                                                                                   tmp_path):
    import os
    comp, texs, _ = show
    chain = EffectChain(comp, live=True)
    f = tmp_path / "Paint.fs"
    head = '/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
    saves = [0]

    def save(body: str) -> None:
        f.write_text(head + body)
        saves[0] += 1
        os.utime(f, ns=(saves[0] * 10**9, saves[0] * 10**9))   # a new stamp even within the clock's resolution

    import time
    base = time.monotonic() + 1000.0   # ahead of the clock the chain's own looks (in apply) read

    def draw(now: float) -> np.ndarray:
        chain.watch(base + now)
        desc = frame(effects=[fx("paint", str(f))])
        comp.render(desc, texs)
        chain.apply(desc)
        return out(comp)[SIZE[1] // 2, SIZE[0] // 2]

    save("void main() { gl_FragColor = vec4(1.0, 0.0, 0.0, 1.0); }\n")
    assert list(draw(0.0)) == [255, 0, 0]
    save("void main() { gl_FragColor = vec4(0.0, 1.0, 0.0, 1.0); }\n")
    assert list(draw(0.1)) == [255, 0, 0]                      # looked at most twice a second
    assert list(draw(1.0)) == [0, 255, 0]                      # the saved version
    assert chain.take_messages() == ["effect 'paint': Paint.fs saved, compiled again"]
    # a new input in the header: said, with what gives it its control (the setlist's reading of the header)
    head = '/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "glow", "TYPE": "float"}]}*/\n'
    save("void main() { gl_FragColor = vec4(0.0, 1.0, 0.0, 1.0); }\n")
    assert list(draw(1.5)) == [0, 255, 0]
    assert chain.take_messages() == ["effect 'paint': Paint.fs saved, compiled again; new input glow at its "
                                     "default until the setlist is saved (then fx/paint/glow is its control)"]
    # its inputImage deleted by mistake: a generator now, which the chain would skip: refused, the last good goes on
    keep = head
    head = '/*{"INPUTS": [{"NAME": "glow", "TYPE": "float"}]}*/\n'
    save("void main() { gl_FragColor = vec4(0.0, 0.0, 1.0, 1.0); }\n")
    assert list(draw(2.0)) == [0, 255, 0]
    said = chain.take_messages()
    assert len(said) == 1 and "the saved Paint.fs is a generator now, not a filter (it lost its inputImage)" in said[0]
    head = keep
    save("void main() {\n  gl_FragColor = vec4(0.0, 0.0, 1.0, 1.0)\n}\n")   # a missing ;
    assert list(draw(2.5)) == [0, 255, 0]                      # the last good version goes on
    said = chain.take_messages()
    assert len(said) == 1 and "the saved Paint.fs does not compile" in said[0]
    assert f"{f}:4: " in said[0] and said[0].endswith("the show keeps the version it had"), said
    assert list(draw(3.0)) == [0, 255, 0] and chain.take_messages() == []     # said once
    # a file that never compiled is tried again when saved
    g = tmp_path / "Late.fs"
    g.write_text(head + "void main() { gl_FragColor = nope; }\n")
    late = frame(effects=[fx("late", str(g))])
    comp.render(late, texs)
    chain.apply(late)
    assert "left out" in chain.take_messages()[0]
    g.write_text(head + "void main() { gl_FragColor = vec4(0.0, 0.0, 1.0, 1.0); }\n")
    os.utime(g, ns=(99 * 10**9, 99 * 10**9))
    chain.watch(base + 10.0)
    comp.render(late, texs)
    chain.apply(late)
    assert list(out(comp)[SIZE[1] // 2, SIZE[0] // 2]) == [0, 0, 255]
    assert chain.take_messages() == ["effect 'late': Late.fs saved, now compiled and on"]
    chain.release()
