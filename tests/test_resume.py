"""Issue 14, fault 8: nothing of the live show survives a crash.  Autosave twice a second, resume after.

The real `vj play` under Xvfb is killed with SIGKILL mid-show, after the performer changed song, set
a tempo and moved faders over OSC; `vj play --resume` (and the question an unclean exit brings)
continues where it was.  The show loop's part (sections passed, an armed song, the blackout) is
checked on the loop itself, frame by frame.
"""

from __future__ import annotations

import json
import shutil
import time

import pytest

from playrig import PlayRun
from servers import xvfb
from showkit import PerfectTracker, silence_until
from vj.bank import load_bank
from vj.engine import ShowRules
from vj.live.autosave import state_path
from vj.show.loop import ShowLoop
from vj.show.plan import SongPlan, plan_show
from vj.show.resume import ResumePoint

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool missing: run make setup")


def setlist(root, banks, name: str) -> str:
    path = root / name
    path.write_text(f"""
[setlist]
title = "resume"
[[songs]]
title = "one"
bank = "{banks / 't'}"
switch_bars = 2
order = ["clip0", "clip1"]
[[songs]]
title = "two"
bank = "{banks / 't'}"
switch_bars = 2
order = ["clip2", "clip3"]
  [[songs.sections]]
  bar = 2
  pulse = 0.7
""")
    return str(path)


def _saved(path) -> dict:
    return json.loads(path.read_text())


def test_kill_9_then_resume_continues_song_bar_clip_tempo_and_faders(test_bank, tmp_path):
    root, banks, track = test_bank
    show = setlist(root, banks, "resume-kill.toml")
    state_file = state_path(show)
    with xvfb("1280x800x24") as display:
        run = PlayRun(display, [show, "--audio-file", str(track), "--mute", "--duration", "120"],
                      tmp_path / "first").start()
        try:
            run.wait_window()
            run.osc("/vj/song/select", 2)
            run.osc("/vj/tempo/bpm", 100.0)
            run.osc("/vj/zoom/speed", 0.33)
            run.osc("/vj/effect/feather", 0.21)
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:      # until song two has landed and played a few bars
                time.sleep(0.5)
                if state_file.exists():
                    s = _saved(state_file)["show"]
                    if s["song"] == 1 and s["song_bar"] >= 3 and s["clip"] in ("clip2", "clip3"):
                        break
            time.sleep(0.7)      # one more save
            before = _saved(state_file)
            run.kill9()          # a crash: no clean end, no last save
        finally:
            run.terminate()
        killed = _saved(state_file)
        assert killed["running"] is True, killed
        point = killed["show"]
        assert point["song"] == 1 and point["clip"] in ("clip2", "clip3"), point
        assert point["tempo_source"] == "set" and abs(point["bpm"] - 100.0) < 0.01, point
        assert abs(point["rules"]["drift_per_bar"] - 0.33) < 1e-6 and abs(point["rules"]["feather"] - 0.21) < 1e-6
        assert abs(point["rules"]["pulse"] - 0.7) < 1e-6           # the section at bar 2 had fired
        assert killed["saved_at"] >= before["saved_at"]

        again = PlayRun(display, [show, "--audio-file", str(track), "--mute", "--duration", "6", "--resume"],
                        tmp_path / "second").start()
        try:
            shown_after = again.wait_window()
            state = again.query()
            code = again.wait()
        finally:
            again.terminate()
    assert code == 0, again.stderr
    print(f"\nresumed: picture {shown_after:.2f} s after launch; state {state}")
    assert "resuming at song 2 'two'" in again.stderr, again.stderr
    assert state["song"] == 2 and state["tempo_source"].startswith("set") and abs(state["bpm"] - 100.0) < 0.5, state
    assert abs(state["zoom_speed"] - 0.33) < 1e-3 and abs(state["feather"] - 0.21) < 1e-3, state
    stats = again.stats()
    assert stats["clips"][0] == point["clip"], stats["clips"]        # the first picture is the clip on screen
    after = _saved(state_file)
    assert after["running"] is False                                 # a clean end this time
    assert after["show"]["song"] == 1 and after["show"]["song_bar"] >= point["song_bar"], after
    assert again.black() < 1.0


def test_an_unclean_exit_asks_and_continues_unless_told_no(test_bank, tmp_path):
    root, banks, track = test_bank
    show = setlist(root, banks, "resume-ask.toml")
    with xvfb("1280x800x24") as display:
        first = PlayRun(display, [show, "--audio-file", str(track), "--mute", "--duration", "60"],
                        tmp_path / "first").start()
        try:
            first.wait_window()
            first.osc("/vj/song/select", 2)
            first.osc("/vj/output/blackout", 1)
            time.sleep(6.0)
            first.kill9()
        finally:
            first.terminate()
        asked = PlayRun(display, [show, "--audio-file", str(track), "--mute", "--duration", "4"],
                        tmp_path / "asked").start()
        try:
            time.sleep(1.0)
            asked.answer("y")
            state = {}
            deadline = time.monotonic() + 30
            while not state and time.monotonic() < deadline:
                state = asked.query()
            asked.kill9()    # unclean again
        finally:
            asked.terminate()
        fresh = PlayRun(display, [show, "--audio-file", str(track), "--mute", "--duration", "4"],
                        tmp_path / "fresh").start()
        try:
            time.sleep(1.0)
            fresh.answer("n")
            fresh.wait_window()
            fresh_state = fresh.query()
            code = fresh.wait()
        finally:
            fresh.terminate()
    assert "continue from there?" in asked.stderr and "continuing the show" in asked.stderr, asked.stderr
    assert state["song"] == 2 and state["blackout"] in (True, 1), state     # blackout came back too
    assert "starting from the top" in fresh.stderr and code == 0, fresh.stderr
    assert fresh_state["song"] == 1 and fresh_state["blackout"] in (False, 0), fresh_state


def test_the_loop_resumes_inside_a_song_past_its_sections_with_an_armed_song_and_blackout(test_bank):
    root, banks, track = test_bank
    bank = load_bank("t", banks_dir=banks)
    from vj.setlist import Section
    sections = (Section(2, None, {"pulse": 0.7}), Section(6, None, {"motion_blur": 1.5}), Section(None, 30.0, {"feather": 0.3}))
    plans = [SongPlan("one", bank, None, ShowRules(switch_bars=2), clip_order=("clip0", "clip1")),
             SongPlan("two", bank, None, ShowRules(switch_bars=2), clip_order=("clip2", "clip3"), sections=sections)]
    rules = dict(ShowRules(switch_bars=2, drift_per_bar=0.4).__class__.__dataclass_fields__)
    rules = {k: getattr(ShowRules(switch_bars=2, drift_per_bar=0.4, pulse=0.7), k) for k in rules}
    point = ResumePoint(song=1, clip="clip3", song_bar=4, song_time=7.0, rules=rules, tempo_source="set",
                        bpm=120.0, nudge=0.02, blackout=True)
    loop = ShowLoop(plans, analyzer=PerfectTracker(120.0), resume=point)
    descs = []
    for n in range(0, 30 * 8):
        t = n / 30
        descs.append(loop.tick(t, silence_until(loop, t)))
        if n == 2:   # (the nudge puts the first frame 10 ms before the downbeat)
            assert descs[0].current_clip == "clip3" and descs[0].brightness == 0.0
            assert loop.song == 1 and loop.song_bar == 4
            rep = loop.report
            assert rep.rules.drift_per_bar == pytest.approx(0.4) and rep.manual_source == "set"
            assert rep.nudge == pytest.approx(0.02)
    # the section at bar 2 does not fire again; the one at bar 6 fires two bars in (4 s at 120 BPM)
    fired = [(round(f.time, 1), f.label) for f in loop.fired]
    assert [label for _, label in fired] == ["bar 6"], fired
    assert 3.5 < fired[0][0] < 4.5, fired
    assert loop.report.rules.motion_blur == pytest.approx(1.5)
    # a song that was armed is armed again, with the settings as they were, and lands
    armed = ShowLoop(plans, analyzer=PerfectTracker(120.0), resume=ResumePoint(song=1, clip="clip2", song_bar=4,
                                                                               armed=0, rules=rules))
    descs = [armed.tick(n / 30, silence_until(armed, n / 30)) for n in range(30 * 8)]
    assert descs[0].report.song_pending and descs[0].report.rules.drift_per_bar == pytest.approx(0.4)
    assert armed.song == 0 and {d.current_clip for d in descs[-30:]} <= {"clip0", "clip1"}


def test_plan_and_point_from_a_damaged_state_file_start_from_the_top(test_bank, tmp_path, capsys):
    from vj.live.autosave import read_state
    bad = tmp_path / "state.json"
    bad.write_text('{"format": 1, "show": {"song": "x"')
    assert read_state(bad) is None
    assert "cannot be read" in capsys.readouterr().err
    bad.write_text('{"format": 1, "show": {"format": 1, "song": "x"}}')
    assert read_state(bad) is None
    assert "damaged" in capsys.readouterr().err
    assert plan_show is not None


def test_a_resumed_song_has_its_own_effects_with_what_the_performer_set_on_them(test_bank, tmp_path):
    """Killed in song 2 after F2 switched its trails on and its RGB Shift amount was set over OSC: the
    resumed show draws song 2's chain (not song 1's: the rack used to start on the first song's and stay
    there until the next song change), with the trails on and the amount as the performer left it."""
    from vj.engine import SetEffect, ToggleEffect
    root, banks, track = test_bank
    f = tmp_path / "fx-resume.toml"
    f.write_text(f"""
[[songs]]
title = "plain"
bank = "{banks / 't'}"
switch_bars = 2
[[songs]]
title = "fx"
bank = "{banks / 't'}"
switch_bars = 2
  [[songs.effects]]
  shader = "RGB Shift"
  amount = 0.2
  [[songs.effects]]
  shader = "Beat Trails"
  name = "trails"
  on = false
""")
    plans = plan_show(f, require_audio=False)
    live = ShowLoop(plans, analyzer=PerfectTracker(120.0), resume=ResumePoint(song=1, clip="clip1", song_bar=2))
    for n in range(30 * 2):
        events = [ToggleEffect(2), SetEffect("rgb_shift", "amount", 0.9)] if n == 30 else []
        desc = live.tick(n / 30, silence_until(live, n / 30), events)
    assert [(fx.name, fx.value_map()["amount"]) for fx in desc.effects[:1]] == [("rgb_shift", pytest.approx(0.9))]
    assert [fx.name for fx in desc.effects] == ["rgb_shift", "trails"]
    # what the autosave writes, read back as `vj play --resume` reads it
    saved = ResumePoint(song=1, clip="clip1", song_bar=3, effects=live.rack.live_settings())
    point = ResumePoint.from_dict(json.loads(json.dumps(saved.to_dict())))
    resumed = ShowLoop(plans, analyzer=PerfectTracker(120.0), resume=point)
    first = resumed.tick(0.0, silence_until(resumed, 0.0))
    assert [fx.name for fx in first.effects] == ["rgb_shift", "trails"], first.effects
    assert first.effects[0].value_map()["amount"] == pytest.approx(0.9)
    # a state written before effects were saved still reads (and resumes on the song's own chain)
    old = {k: v for k, v in saved.to_dict().items() if k != "effects"}
    plain = ShowLoop(plans, analyzer=PerfectTracker(120.0), resume=ResumePoint.from_dict(old))
    assert [fx.name for fx in plain.tick(0.0, silence_until(plain, 0.0)).effects] == ["rgb_shift"]
