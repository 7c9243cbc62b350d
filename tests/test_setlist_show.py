"""Whole setlists: sections, cues and clip orders parsed, checked, and landing on their bars in a
rehearsal of two songs (real clips, real tracks, real GL, a real MP4 and its report)."""

from __future__ import annotations

import dataclasses
import math

import av
import numpy as np
import pytest

from media import BPM, LEAD_IN, SECONDS
from showkit import PerfectTracker, silence_until
from vj.cli import main as vj_main
from vj.errors import VjError
from vj.render.rehearse import rehearse
from vj.render.report import transitions
from vj.setlist import load_setlist
from vj.show.plan import plan_show

SETLIST = """\
[setlist]
title = "Two songs"

[[songs]]
title = "First"
bank = "banks/t"
audio = "one.flac"
tempo = 120.0
bpm_range = [110, 130]
switch_bars = 8
order = ["clip2", "clip0", "clip1"]
zoom_speed = 0.2

  [[songs.sections]]
  bar = 3
  switch_bars = 2
  pulse = 0.9

  [[songs.sections]]
  bar = 5
  cue = "clip1"

[[songs]]
title = "Second"
bank = "banks/t"
audio = "two.flac"
tempo = 120.0
switch_bars = 2
order = "shuffle"

  [[songs.sections]]
  time = 4.0
  blackout = true
"""


@pytest.fixture(scope="module")
def show(test_bank):
    root, banks, _ = test_bank
    (root / "set.toml").write_text(SETLIST)   # names banks/t, one.flac and two.flac relative to root
    return root, banks


def test_sections_orders_and_rules_are_read(show):
    root, banks = show
    s = load_setlist(root / "set.toml", banks_dir=banks)
    first, second = s.songs
    assert first.order == ("clip2", "clip0", "clip1") and first.bpm_range == (110.0, 130.0)
    assert first.rules == {"switch_bars": 8, "drift_per_bar": 0.2}   # the settings the song wrote
    assert [(x.bar, x.rules, x.cue) for x in first.sections] == [(3, {"switch_bars": 2, "pulse": 0.9}, None),
                                                                  (5, {}, "clip1")]
    assert second.sections[0].time == 4.0 and second.sections[0].blackout is True
    shuffled = second.clip_order(["clip0", "clip1", "clip2"])
    assert sorted(shuffled) == ["clip0", "clip1", "clip2"] and shuffled == second.clip_order(["clip0", "clip1", "clip2"])


BAD = """\
[[songs]]
title = "Bad"
bank = "banks/t"
order = ["clip0", "nope"]
bpm_range = [130, 110]

  [[songs.sections]]
  bar = 2
  time = 3.0
  pulse = 0.5

  [[songs.sections]]
  bar = 4

  [[songs.sections]]
  bar = 6
  cue = "missing"

  [[songs.sections]]
  bar = 7
  zoom = 0.3
"""


def test_bad_sections_point_at_their_lines(show):
    root, banks = show
    f = root / "bad.toml"
    f.write_text(BAD)
    with pytest.raises(VjError) as err:
        load_setlist(f, banks_dir=banks)
    text = str(err.value)
    lines = BAD.splitlines()

    def at(needle: str, nth: int = 0) -> int:
        return [i for i, ln in enumerate(lines, 1) if needle in ln][nth]

    assert f"bad.toml:{at('bpm_range')}:" in text and "not a range" in text
    assert f"bad.toml:{at('[[songs.sections]]', 0)}:" in text and "exactly one of bar or time" in text
    assert f"bad.toml:{at('[[songs.sections]]', 1)}:" in text and "changes nothing" in text
    assert f"bad.toml:{at('zoom = 0.3')}:" in text and "did you mean 'zoom_speed'" in text
    # in the same pass (issue 14, fault 10): the clip ids, the cue's error on its own line
    assert f"bad.toml:{at('order = ')}:" in text and "order names clip 'nope'" in text
    assert f"bad.toml:{at('cue = ')}:" in text and "cue names clip 'missing'" in text
    # and they stay when the song's own keys are right
    f.write_text(BAD.replace("bpm_range = [130, 110]\n", "").replace("  time = 3.0\n", "")
                 .replace("  bar = 4\n", "  bar = 4\n  pulse = 0.1\n").replace("  zoom = 0.3", "  zoom_speed = 0.3"))
    with pytest.raises(VjError) as err:
        load_setlist(f, banks_dir=banks)
    text = str(err.value)
    assert "order names clip 'nope'" in text and "cue names clip 'missing'" in text and "clip0, clip1, clip2" in text


def test_two_song_rehearsal_lands_sections_on_their_bars_and_writes_a_report(show, capsys):
    root, banks = show
    out = root / "show.mp4"
    assert vj_main(["rehearse", str(root / "set.toml"), "--out", str(out), "--size", "160x90", "--fps", "30"]) == 0
    page, folder = out.with_suffix(".html"), root / "show.report"
    with av.open(str(out)) as c:
        n_frames = sum(1 for _ in c.decode(video=0))
    assert n_frames == 2 * int(round(SECONDS * 30))
    assert b"crf=23.0" in out.read_bytes()   # x264's own options note: review quality (crf 18 is 1.6x the size)
    html = page.read_text()
    assert html.count("<h2>1. First</h2>") == 1 and html.count("<h2>2. Second</h2>") == 1
    assert sorted(p.name for p in folder.glob("song*.png")) == ["song1-flights.png", "song1-tempo.png",
                                                                "song1-waveform.png", "song2-flights.png",
                                                                "song2-tempo.png", "song2-waveform.png"]
    assert "<title>Two songs</title>" in html and "<h1>Two songs</h1>" in html   # the setlist's title
    assert "seam (median)" in html and "continuity" in html
    with av.open(str(folder / "song1-waveform.png")) as c:
        assert next(c.decode(video=0)).to_ndarray(format="rgb24").std() > 5
    # the same plans rendered in-process give the details to check
    plans = plan_show(root / "set.toml", banks_dir=banks)
    result = rehearse(plans, root / "again.mp4", size=(160, 90), fps=30, hash_frames=True)
    twice = rehearse(plans, root / "twice.mp4", size=(160, 90), fps=30, hash_frames=True)
    assert result.frame_hashes == twice.frame_hashes  # sections, cues, shuffles: bit-identical frames
    # --duration: a quick look at the show's start is the full render's frames, cut short; what the cut kept
    # from coming (song 2's section at 4 s) is not reported as "never came"
    cut_at = SECONDS + 1.0
    assert vj_main(["rehearse", str(root / "set.toml"), "--out", str(root / "cut.mp4"), "--size", "160x90",
                    "--duration", str(cut_at), "--crf", "30"]) == 0
    assert b"crf=30.0" in (root / "cut.mp4").read_bytes()
    with av.open(str(root / "cut.mp4")) as c:
        assert sum(1 for _ in c.decode(video=0)) == int(round(cut_at * 30))
    cut_html = (root / "cut.html").read_text()
    assert cut_html.count("cut short by --duration") == 1 and "never came" not in cut_html, cut_html
    cut = rehearse(plans, root / "cut2.mp4", size=(160, 90), fps=30, hash_frames=True, duration=cut_at)
    assert cut.frame_hashes == result.frame_hashes[:int(round(cut_at * 30))]
    assert [s_.cut for s_ in cut.songs] == [False, True]
    # cut exactly where the second song begins: the report says which songs are not in the render
    from vj.render.report import write_report
    edge = rehearse(plans, root / "edge.mp4", size=(160, 90), fps=30, duration=SECONDS)
    assert [s_.cut for s_ in edge.songs] == [False]
    assert "song 2 (Second) is not in it" in write_report(edge, plans, root / "edge.mp4").read_text()
    assert vj_main(["rehearse", str(root / "set.toml"), "--out", str(root / "inf.mp4"), "--duration", "inf"]) != 0
    assert "--duration" in capsys.readouterr().err and not (root / "inf.mp4").exists()
    # --from-song: the show started at a later song (by title, any case), as a show started there
    assert vj_main(["rehearse", str(root / "set.toml"), "--out", str(root / "second.mp4"), "--size", "160x90",
                    "--from-song", "second"]) == 0
    with av.open(str(root / "second.mp4")) as c:
        assert sum(1 for _ in c.decode(video=0)) == int(round(SECONDS * 30))
    second_html = (root / "second.html").read_text()
    # numbered as the setlist numbers its songs (it said "1. Second")
    assert "<h2>2. Second</h2>" in second_html and "First</h2>" not in second_html
    assert "starts at song 2 of the setlist" in second_html
    assert vj_main(["rehearse", str(root / "set.toml"), "--out", str(root / "third.mp4"), "--from-song", "3"]) != 0
    assert "no song '3'" in (err := capsys.readouterr().err) and "1 'First', 2 'Second'" in err, err
    assert [f.time for s_ in result.songs for f in s_.fired] == [f.time for s_ in twice.songs for f in s_.fired]
    first, second = result.songs
    assert second.start == pytest.approx(SECONDS, abs=1 / 30)
    # bars count on the show clock from the song's start; a section fires on the frame after a downbeat
    # the audience saw, so on a beat of the music (never mid-bar), and bar 5 comes two bars after bar 3
    bar = 4 * 60.0 / BPM
    fired = {f.label: f.time for f in first.fired}
    assert set(fired) == {"bar 3", "bar 5"}
    beats = LEAD_IN + 60.0 / BPM * np.arange(0, 40)
    for label in ("bar 3", "bar 5"):
        assert np.min(np.abs(beats - (fired[label] - 1 / 30))) <= 1 / 30 + 0.02, (label, fired[label])
    # (each fires on a 30 fps frame: a beat a few ms later moves it by a frame; bar 3's beat at
    # 6.496 s fired at 6.533 and bar 5's 4 beats later at 8.533, exactly one bar; at 6.500 s, 6.567)
    assert bar - 1 / 30 - 1e-6 <= fired["bar 5"] - fired["bar 3"] <= 2 * bar + 1 / 30 + 1e-6, fired
    assert bar * 1.5 <= fired["bar 3"] <= bar * 3.5
    # the clip order: clip2 first; the cue at bar 5 flies into clip1 on the next beat
    switches_first = [(t, b) for t, a, b in result.switches if t < SECONDS]
    first_frame = result.log[0]
    assert first_frame.clip == "clip2"
    # (a flight already in the air when the cue fires lands first: the cue is the one after it)
    after_cue = [(t, b) for t, b in switches_first if t > fired["bar 5"]]
    in_air = [b for t, b in after_cue if t <= fired["bar 5"] + 4 * 60.0 / BPM]
    assert after_cue and after_cue[len(in_air[:1])][1] == "clip1", (fired, after_cue)
    # after bar 3 the switch interval is 2 bars: flights land every 4 s
    late = [t for t, _ in switches_first if t > fired["bar 3"] + 0.1]
    assert len(late) >= 2
    # the second song flies in as live play's N brings it: armed as its track starts, landing on a downbeat
    # with a whole flight (2 bars of 120 BPM here) before it; its sections count from that landing
    landed = next(t for t, a, b in result.switches if t >= SECONDS) - SECONDS
    assert 1.0 <= landed <= 1.0 + 2 * bar + 1 / 30, landed
    assert np.min(np.abs(beats - (landed + SECONDS - 1 / 30))) <= 1 / 30 + 0.05
    frames_before = [f for f in result.log if SECONDS - 0.2 <= f.time < SECONDS + landed]
    assert any(f.transition >= 0 for f in frames_before)   # a flight, not a cut, at the song boundary
    # the song's bar 1 is the downbeat its first clip landed on: the report's bar axis and flights table count
    # from it, as its sections do (the flight that brings it in starts before bar 1)
    on_landing = next(f for f in result.log if f.time >= SECONDS + landed - 1e-9)
    assert math.floor(on_landing.bar + 1e-6) == second.bar_one
    assert transitions(result, second)[0].bar < 1.0 - 1e-6 < transitions(result, first)[0].bar
    # the second song's section by time: blackout 4 s into it
    assert [f.label for f in second.fired] == ["4 s"]
    assert second.fired[0].time == pytest.approx(landed + 4.0, abs=1 / 30 + 1e-6)
    # the report counts the transitions of each song as the render saw them
    assert f"{len([1 for t, _ in switches_first])} transitions" in html
    # and it refuses to overwrite the report without --force
    (root / "other.html").write_text("mine")
    capsys.readouterr()
    assert vj_main(["rehearse", str(root / "set.toml"), "--out", str(root / "other.mp4"), "--size", "160x90"]) == 1
    assert "other.html: already exists" in capsys.readouterr().err
    assert (root / "other.html").read_text() == "mine" and not (root / "other.mp4").exists()


def test_demo_setlist_is_valid_and_uses_sections():
    from vj import ROOT
    s = load_setlist(ROOT / "setlists" / "demo.toml", check_files=False)
    assert len(s.songs) == 3 and all(song.sections for song in s.songs)
    assert {type(song.order) for song in s.songs} == {str, tuple}


def test_a_later_songs_bars_count_from_the_downbeat_it_lands_on(show):
    # live play arms song 2 (same bank, so its clips are already on stage): its bar 2 is one bar after
    # its own flight lands, not after the arming, nor after a flight that was already in the air
    from vj.bank import load_bank
    from vj.engine import ShowRules
    from vj.gfx.compositor import Compositor
    from vj.gfx.context import headless_context
    from vj.render.renderer import ShowRenderer
    from vj.setlist import Section
    from vj.show.loop import ShowLoop
    from vj.show.plan import SongPlan

    root, banks = show
    bank = load_bank("t", banks_dir=banks)
    ctx = headless_context()
    comp = Compositor(ctx, (64, 36), fps=30)
    plans = [SongPlan("one", bank, None, ShowRules(switch_bars=1, transition_beats=2), clip_order=("clip0", "clip1")),
             SongPlan("two", bank, None, ShowRules(switch_bars=4, transition_beats=2), clip_order=("clip1", "clip2"),
                      sections=(Section(2, None, {"pulse": 0.9}),))]
    loop = ShowLoop(plans, analyzer=PerfectTracker(120.0))   # beats every 0.5 s from 0, beat 0 a downbeat
    renderer = ShowRenderer(comp, loop.clips, live=False)
    landed = None
    try:
        for n in range(30 * 16):
            t = n / 30
            # armed at 2.2 s, with clip1 (also song 2's first clip) on screen and nothing in the air
            events = [loop.arm_song(1)] if n == 66 else []
            desc = loop.tick(t, silence_until(loop, t), events)
            loop.feedback(renderer.draw(desc))
            if landed is None and loop.song == 1:
                landed = t
                assert desc.current_clip == "clip1" and desc.transition < 0 and desc.report.song_landed
    finally:
        renderer.close()
        comp.release()
        ctx.release()
    assert landed is not None and landed > 3.2
    assert abs(landed / 2.0 - round(landed / 2.0)) * 2.0 <= 1 / 30 + 1e-6  # on a downbeat (a bar is 2 s)
    fired = [f for f in loop.fired if f.song == 1]
    assert len(fired) == 1 and fired[0].time == pytest.approx(landed + 2.0, abs=1 / 30 + 1e-6)


def test_rehearsal_holds_one_track_in_memory_and_checks_every_track_first(show, monkeypatch):
    """An hour of tracks decoded up front would hold 635 MB: each song's track is decoded for
    its song and dropped after it; all of them are decoded once before the first frame, so a
    bad file still fails before anything renders."""
    import weakref

    import vj.render.rehearse as rh

    root, banks = show
    plans = plan_show(root / "set.toml", banks_dir=banks)
    real, alive_at_load, arrays = rh.load_audio, [], []

    def load_audio(path, rate):
        alive_at_load.append(sum(r() is not None for r in arrays))
        data = real(path, rate)
        arrays.append(weakref.ref(data.samples))
        return data

    monkeypatch.setattr(rh, "load_audio", load_audio)
    rh.rehearse(plans, root / "one-at-a-time.mp4", size=(160, 90), fps=30)
    assert len(alive_at_load) == 4  # two checks, then each song's own decode
    assert max(alive_at_load) == 0

    broken = root / "broken.flac"
    broken.write_bytes(b"not audio at all")
    plans[1] = dataclasses.replace(plans[1], audio=broken)
    out = root / "never.mp4"
    with pytest.raises(VjError, match="broken.flac"):
        rh.rehearse(plans, out, size=(160, 90), fps=30)
    assert not out.exists() and alive_at_load[4:] == [0, 0]  # failed in the check, before the first song


@pytest.mark.parametrize("lenient", [False, True])
def test_a_missing_setlist_file_is_called_a_setlist_not_a_bank(tmp_path, lenient):
    """`vj play nope.toml` used to answer "bank 'nope.toml': no bank folder"."""
    missing = tmp_path / "nope.toml"
    with pytest.raises(VjError) as err:
        plan_show(missing, require_audio=False, lenient=lenient)
    text = str(err.value)
    assert "setlist file not found" in text and str(missing) in text
    assert "bank" not in text.replace("docs/SETLISTS.md", "")
