"""Effects in the show, the pure half: ISF flights in the engine, and the effect rack in the show loop
(which effects are on, every input's value per frame, from bindings, sections and live controls)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from showkit import FPS, PerfectTracker, clips, landings, silence_until
from showkit import run_show as run
from vj.audio.snapshot import AudioSnapshot
from vj.engine import SetEffect, SetFlight, ShowEngine, ShowRules, StartSong, ToggleEffect
from vj.show.loop import ShowLoop
from vj.show.plan import SongPlan


def test_an_isf_flight_has_the_zoom_throughs_timing_and_lands_on_the_downbeat():
    rules = ShowRules(switch_bars=2, transition_beats=4, pulse=0.5)
    zoom = run(ShowEngine(clips(), rules), 14)
    isf = run(ShowEngine(clips(), rules, flight="wipe"), 14)
    times = [[t for t, _ in landings(frames)] for frames in (zoom, isf)]
    assert times[0] == times[1] and len(times[1]) >= 2
    assert [f.transition for f in zoom] == [f.transition for f in isf]      # the same progress, frame by frame
    flights = [f for f in isf if f.transition >= 0]
    assert flights and all(f.flight == "wipe" for f in flights)
    assert all(f.flight == "" for f in isf if f.transition < 0)
    for f in flights:
        a, b = f.layers
        assert a.clip_id == f.current_clip and b.clip_id == f.next_clip
        assert (b.center, b.size, b.feather) == ((0.5, 0.5), 1.0, 0.0)       # B waits full screen ...
        assert b.alpha == pytest.approx(f.transition)                        # ... its alpha a crossfade's
        assert a.size >= 1.0                                                 # A keeps its push-in
    # A's push-in goes on through the flight without a jump, and B starts its own from size 1 where it lands
    for prev, f in zip(isf, isf[1:]):
        if f.current_clip == prev.current_clip:
            assert f.layers[0].size >= prev.layers[0].size - 1e-12
    landed = [isf[i + 1] for i, (p, f) in enumerate(zip(isf, isf[1:])) if f.current_clip != p.current_clip]
    assert all(f.layers[0].size == pytest.approx(1.0, abs=0.01) for f in landed)


def test_the_flight_style_changes_by_event_and_a_flight_in_the_air_keeps_its_own():
    rules = ShowRules(switch_bars=2, transition_beats=4)
    eng = ShowEngine(clips(), rules)
    frames = run(eng, 14, events={30: [SetFlight("wipe")]})
    styles = [f.flight for f in frames if f.transition >= 0]
    assert set(styles) == {"wipe"}
    first_flight = next(i for i, f in enumerate(frames) if f.transition >= 0)
    mid = first_flight + 5
    frames = run(ShowEngine(clips(), rules), 14, events={mid: [SetFlight("wipe")]})
    flights = [f for f in frames if f.transition >= 0]
    assert flights[0].flight == "" and flights[-1].flight == "wipe"           # it applies from the next flight
    frames = run(ShowEngine(clips(), rules, flight="wipe"), 14,
                 events={10: [StartSong(("c2", "c0"), {}, flight="")]})
    assert {f.flight for f in frames if f.transition >= 0} == {""}            # a song brings its own style


def silence(loop, t):
    return silence_until(loop, t)


def demo_like(tmp_path: Path, bank) -> list[SongPlan]:
    """A one-song plan with effects, as plan_show makes it (the bank: any test bank)."""
    text = """\
[[songs]]
title = "Fx"
bank = "BANK"
transition = {shader = "Slice Wipe", slices = 4}
switch_bars = 2

[[songs.effects]]
shader = "RGB Shift"
amount = "bass_att * 0.5"

[[songs.effects]]
shader = "Beat Trails"
name = "trails"
on = false
beat = {source = "beat", shape = "decay", beats = 0.5}
tint = [1, "beat", 0.5]

  [[songs.sections]]
  bar = 3
  effects.trails = {on = true, persistence = 0.6}

  [[songs.sections]]
  bar = 5
  transition = "zoom"
"""
    f = tmp_path / "fx.toml"
    f.write_text(text.replace("BANK", str(bank)))
    from vj.show.plan import plan_show
    return plan_show(f, require_audio=False)


def loop_frames(plans, seconds: float, events: dict[int, list] | None = None, snap=None):
    loop = ShowLoop(plans, analyzer=PerfectTracker(120.0))
    out = []
    for n in range(int(seconds * FPS)):
        t = n / FPS
        out.append(loop.tick(t, silence(loop, t), (events or {}).get(n, ())))
    return loop, out


@pytest.fixture(scope="module")
def plans(tmp_path_factory, test_bank):
    return demo_like(tmp_path_factory.mktemp("fx"), test_bank[1] / "t")


def test_the_rack_describes_the_songs_chain_with_every_value_evaluated(plans):
    loop, frames = loop_frames(plans, 14)
    first = frames[10]
    assert [fx.name for fx in first.effects] == ["rgb_shift"]                 # trails is off until bar 3
    rgb = first.effects[0].value_map()
    assert set(rgb) == {"amount", "bass", "spread", "angle", "mode", "center"}
    assert rgb["amount"] == 0.0 and rgb["bass"] == pytest.approx(0.6)        # silence; the default
    assert first.effects[0].shader.endswith("RGB Shift.fs")
    bar3 = next(i for i, f in enumerate(frames) if f.report.bar >= 2)       # sections fire on the frame after
    assert [fx.name for fx in frames[bar3].effects] == ["rgb_shift"]         # the downbeat the audience saw
    assert [fx.name for fx in frames[bar3 + 1].effects] == ["rgb_shift", "trails"]   # in the song's order
    trails = [f.effects[1].value_map() for f in frames if len(f.effects) == 2]
    assert all(v["persistence"] == pytest.approx(0.6) for v in trails)
    # the beat envelope: 1 on the beat, 1 % half a beat later; the tint's green follows the beat phase
    for f in frames:
        if len(f.effects) == 2:
            v = f.effects[1].value_map()
            phase = f.beat_position % 1.0
            assert v["beat"] == pytest.approx(math.exp(-phase / 0.5 * math.log(100)) if phase < 1 else 0, abs=1e-9)
            assert v["tint"][1] == pytest.approx(phase)
    # an ISF flight before bar 5 names its transition with its values; after bar 5 the flights zoom
    isf = [f for f in frames if f.flight]
    assert isf and all(f.flight_fx is not None and f.flight_fx.name == "slice_wipe" for f in isf)
    assert dict(isf[0].flight_fx.values)["slices"] == 4
    late = [f for f in frames if f.transition >= 0 and f.report.bar >= 5]
    assert late and all(f.flight == "" and f.flight_fx is None for f in late)


def test_the_rack_is_deterministic_and_follows_the_audio(plans):
    _, a = loop_frames(plans, 6)
    _, b = loop_frames(plans, 6)
    assert [f.effects for f in a] == [f.effects for f in b]
    from vj.show.effects import EffectRack
    rack = EffectRack(plans)
    loud = AudioSnapshot(bass_att=0.8)
    desc = rack.describe(a[5], loud)
    assert desc.effects[0].value_map()["amount"] == pytest.approx(0.4)       # "bass_att * 0.5"


def test_live_controls_replace_bindings_until_the_song_changes(plans):
    ev = {30: [SetEffect("rgb_shift", "amount", 0.9), SetEffect("trails", "on", 1),
               SetEffect("trails", "tint", (0.1, 0.2, 0.3, 1.0)), SetEffect("nope", "amount", 1.0),
               SetEffect("rgb_shift", "nope", 1.0), SetEffect("rgb_shift", "amount", "loud")]}
    loop, frames = loop_frames(plans, 3, events=ev)
    after = frames[31]
    assert [fx.name for fx in after.effects] == ["rgb_shift", "trails"]
    assert after.effects[0].value_map()["amount"] == pytest.approx(0.9)
    assert after.effects[1].value_map()["tint"] == pytest.approx((0.1, 0.2, 0.3, 1.0))
    said = " ".join(frames[30].report.messages)
    assert "fx/nope: the song playing has no effect 'nope'" in said
    assert "fx/rgb_shift/nope: RGB Shift.fs has no input 'nope'" in said
    assert "'loud' is not a value for a float" in said
    assert after.effects[1].epoch > 0
    # a value out of range is clamped into the shader's (never an error on stage)
    _, frames = loop_frames(plans, 2, events={10: [SetEffect("rgb_shift", "amount", 7.0)]})
    assert frames[11].effects[0].value_map()["amount"] == 1.0
    # a new song starts from its own chain
    loop.rack.start_song(0)
    assert [n for n, on in loop.rack.chain] == ["rgb_shift", "trails"] and loop.rack.chain[1][1] is False


def test_switching_an_effect_on_again_starts_its_trails_afresh(plans):
    ev = {10: [SetEffect("trails", "on", 1)], 20: [SetEffect("trails", "on", 0)], 30: [SetEffect("trails", "on", 1)]}
    _, frames = loop_frames(plans, 2, events=ev)
    first, second = frames[15].effects[1].epoch, frames[35].effects[1].epoch
    assert first != second
    assert [fx.name for fx in frames[25].effects] == ["rgb_shift"]


def test_a_key_toggles_the_songs_nth_effect_without_its_name(plans):
    ev = {10: [ToggleEffect(2)], 20: [ToggleEffect(1)], 30: [ToggleEffect(2), ToggleEffect(1)], 40: [ToggleEffect(3)]}
    _, frames = loop_frames(plans, 2, events=ev)
    on = lambda n: [fx.name for fx in frames[n].effects]  # noqa: E731
    assert on(5) == ["rgb_shift"]                       # trails off in the intro
    assert on(15) == ["rgb_shift", "trails"]            # F2: the second effect on ...
    assert on(25) == ["trails"]                         # F1: the first off
    assert on(35) == ["rgb_shift"]                      # both back
    assert frames[15].effects[1].epoch != 0             # switched on: its trails start afresh
    assert "fx/toggle 3: the song playing has 2 effects (1 rgb_shift, 2 trails)" in " ".join(frames[40].report.messages)
    assert on(45) == ["rgb_shift"]


def test_a_pictures_file_goes_into_the_frame_with_the_effect(plans, tmp_path):
    logo = tmp_path / "logo.png"
    rgb = replace(plans[0].effects[0], images=(("logo", logo),))
    _, frames = loop_frames([replace(plans[0], effects=(rgb, *plans[0].effects[1:]))], 1)
    assert frames[5].effects[0].images == (("logo", str(logo)),)


def test_a_reload_rebuilds_the_chain_with_the_sections_passed(plans, tmp_path, test_bank):
    loop, frames = loop_frames(plans, 8)     # past bar 3: trails on
    assert len(frames[-1].effects) == 2
    new = demo_like(tmp_path, test_bank[1] / "t")
    new = [replace(new[0], effects=new[0].effects[:1])]
    events = loop.reload(new, 8.0)
    assert any(isinstance(e, SetFlight) for e in events)
    desc = loop.tick(8.0 + 1 / FPS, silence(loop, 8.0 + 1 / FPS), events)
    assert [fx.name for fx in desc.effects] == ["rgb_shift"]


def test_a_reload_keeps_what_the_performer_set_live(plans, tmp_path, test_bank):
    """A saved setlist is not a song change: an effect the performer switched off stays off, a fader they
    moved keeps its value (effects keeping their name and shader).  Before, every save put the file's chain
    back on stage: the effect switched off came back on, the fader jumped to its binding."""
    ev = {30: [SetEffect("rgb_shift", "amount", 0.9)], 31: [SetEffect("rgb_shift", "on", 0)],
          32: [ToggleEffect(2)]}       # trails, off until the section at bar 3: on by hand
    loop, frames = loop_frames(plans, 2, events=ev)
    assert [fx.name for fx in frames[-1].effects] == ["trails"]
    epoch = frames[-1].effects[0].epoch
    new = demo_like(tmp_path, test_bank[1] / "t")
    events = loop.reload(new, 2.0)
    desc = loop.tick(2.0 + 1 / FPS, silence(loop, 2.0 + 1 / FPS), events)
    assert [fx.name for fx in desc.effects] == ["trails"] and desc.effects[0].epoch == epoch   # its trails go on
    desc = loop.tick(2.0 + 2 / FPS, silence(loop, 2.0 + 2 / FPS), [SetEffect("rgb_shift", "on", 1)])
    assert desc.effects[0].name == "rgb_shift" and desc.effects[0].value_map()["amount"] == pytest.approx(0.9)
    # a new song starts from its own chain, live values gone
    loop.rack.start_song(0)
    assert [n for n, on in loop.rack.chain] == ["rgb_shift", "trails"] and loop.rack.chain[1][1] is False


def test_a_reload_while_a_song_is_armed_keeps_the_armed_songs_clips_and_flight(tmp_path, test_bank):
    """The performer saves the setlist between N and the flight's landing: the reload gave the engine the old
    song's clips and transition back, and the new song then flew through the old song's pictures all song long."""
    base = replace(demo_like(tmp_path, test_bank[1] / "t")[0], effects=(), sections=())
    ids = [c.id for c in base.bank.clips]
    plans = [replace(base, title="A", clip_order=tuple(ids[:2]), transition=None),
             replace(base, title="B", clip_order=tuple(ids[2:]))]
    loop = ShowLoop(plans, analyzer=PerfectTracker(120.0))
    shown, flights, arm = set(), set(), int(5 * FPS)
    for n in range(int(30 * FPS)):
        t = n / FPS
        events = [loop.arm_song(1)] if n == arm else loop.reload(plans, t) if n == arm + 2 else []
        d = loop.tick(t, silence(loop, t), events)
        if loop.song == 1:
            shown.add(d.current_clip)
            flights.add(d.flight)
    assert shown and shown <= set(ids[2:]), (ids, shown)
    assert flights - {""} == {plans[1].flight}, flights


def test_an_isf_flight_frames_its_clips_as_they_are_framed_alone(tmp_path, test_bank):
    """Letterboxed clips (fit = "fit") in a song with an ISF transition: the flight's two layers were drawn "fill"
    (cropped), so A's bars popped away as the flight began and B's popped in as it landed."""
    base = replace(demo_like(tmp_path, test_bank[1] / "t")[0], effects=(), sections=())
    bank = replace(base.bank, clips=[replace(c, fit="fit") for c in base.bank.clips])
    loop = ShowLoop([replace(base, bank=bank)], analyzer=PerfectTracker(120.0))
    fits = set()
    for n in range(int(12 * FPS)):
        t = n / FPS
        d = loop.tick(t, silence(loop, t), [])
        fits |= {(bool(d.flight_fx), layer.fit) for layer in d.layers}
    assert fits == {(False, "fit"), (True, "fit")}, fits      # flights drawn, and framed as alone
