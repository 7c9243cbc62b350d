"""The control address space and the controller, on the real (pure) show engine."""

from __future__ import annotations

import math
import threading

import pytest

from vj.audio.snapshot import AudioSnapshot
from vj.control import TARGETS, ClockReading, ControlError, ShowControl, SongEntry, command
from vj.engine import (AutoTempo, Blackout, ClipRef, Cue, NextClip, Nudge, PrevClip, Resync, SetFocus, SetLatency,
                       SetRules, SetTempo, ShowEngine, ShowRules, StartSong, SwitchNow, TapTempo, TempoScale,
                       ToggleEffect)
from vj.engine.rules import BY_CONTROL

CLIPS = [ClipRef(f"c{i}", (0.5, 0.5), 0.0, 10.0, "loop", 30.0) for i in range(6)]
SONGS = [SongEntry("one", ("c0", "c1", "c2")), SongEntry("two", ("c3", "c4", "c5"), {"switch_bars": 2})]


class FakeClock:
    """A monotonic clock the test moves by hand (the controller maps arrival stamps to show time with it)."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run(engine: ShowEngine, control: ShowControl, clock: FakeClock, t0: float, t1: float, fps: float = 60.0):
    """Step the show from t0 to t1, draining the controller each frame as the player does."""
    desc = None
    n = int(round((t1 - t0) * fps))
    for i in range(n):
        t = t0 + i / fps
        clock.now = 100.0 + t
        desc = engine.step(t, AudioSnapshot(time=t), control.drain(t, engine.report))
        control.publish(desc)
    return desc


@pytest.fixture()
def show():
    clock = FakeClock()
    engine = ShowEngine(CLIPS, ShowRules(switch_bars=8), rotation=SONGS[0].clip_ids)
    control = ShowControl(SONGS, clock=clock)
    return engine, control, clock


def test_commands_are_checked_with_a_fix():
    assert command("tempo/bpm", 128).args == (128.0,)
    assert command("output/blackout", True).args == (1,)
    for bad, words in [(("tempo/bpm", "fast"), "expected a number"), (("tempo/bpm", 900), "out of range"),
                       (("clip/cue", 2.5), "whole number"), (("clip/cue",), "expected 1 argument"),
                       (("tempo/bmp", 1), "did you mean"), (("tempo/bpm", float("nan")), "finite"),
                       (("clip/cue_id", "x" * 1000), "too long")]:
        with pytest.raises(ControlError, match=words):
            command(*bad)


def _expected(name: str, a: tuple, rules: ShowRules):
    """What each control must do, given its arguments: the engine events, or the host or handler call."""
    rule = BY_CONTROL.get(name)
    if rule is not None:   # a show setting: the one field the rules table names, in the field's own units
        return [SetRules({rule.field: a[0] / rule.scale})]
    at = 0.5
    ids = SONGS[0].clip_ids
    table = {
        "clip/next": lambda: [NextClip()], "clip/prev": lambda: [PrevClip()], "clip/switch": lambda: [SwitchNow()],
        "clip/cue": lambda: [Cue(ids[a[0] - 1], switch=True)], "clip/queue": lambda: [Cue(ids[a[0] - 1])],
        "clip/cue_id": lambda: [Cue(a[0], switch=True)],
        "song/next": lambda: ("host", ("song", 1)), "song/prev": lambda: ("host", ("song", 0)),
        "song/select": lambda: ("host", ("song", 0)), "bank/select": lambda: [StartSong(ids, {})],
        "tempo/tap": lambda: [TapTempo(at)], "tempo/auto": lambda: [AutoTempo()], "tempo/resync": lambda: [Resync(at)],
        "tempo/bpm": lambda: [SetTempo(a[0], at, "set")], "tempo/double": lambda: [TempoScale(2.0)],
        "tempo/half": lambda: [TempoScale(0.5)], "tempo/normal": lambda: [TempoScale(1.0)],
        "tempo/nudge": lambda: [Nudge(a[0] / 1000.0)],
        "tempo/latency_step": lambda: [SetLatency(round(rules.latency + a[0] / 1000.0, 4))],
        "zoom/speed_step": lambda: [SetRules({"drift_per_bar": rules.drift_per_bar * a[0],
                                              "max_drift": rules.max_drift * a[0]})],
        "zoom/focus": lambda: [SetFocus(a[0], a[1])], "output/blackout": lambda: [Blackout(bool(a[0]))],
        "output/blackout_toggle": lambda: [Blackout(True)],
        "output/fullscreen": lambda: ("host", ("ui", "fullscreen")), "output/hud": lambda: ("host", ("ui", "hud")),
        "fx/toggle": lambda: [ToggleEffect(a[0])],
        "query/state": lambda: [], "midi/learn": lambda: ("handler",), "midi/learn_cancel": lambda: ("handler",),
    }
    return table[name]()


def test_every_target_does_what_it_says(show):
    engine, control, clock = show
    run(engine, control, clock, 0.0, 0.5)
    args = {"f": lambda p: round((p.lo + 3 * p.hi) / 4, 3) if p.lo is not None else 1.0, "i": lambda p: 1,
            "s": lambda p: "c1"}

    class Host:
        def __init__(self):
            self.calls = []

        def select_song(self, i):
            self.calls.append(("song", i))

        def ui(self, a):
            self.calls.append(("ui", a))

    handled = []
    control.handlers["midi/learn"] = handled.append
    control.handlers["midi/learn_cancel"] = handled.append
    for t in TARGETS:
        cmd = command(t.name, *(args[p.kind](p) for p in t.params))
        host = Host()
        control.host = host
        control.song = 1 if t.name in ("song/prev", "song/select") else 0
        events = control.apply(cmd, 0.5, engine.report)
        want = _expected(t.name, cmd.args, engine.rules)
        if isinstance(want, list):
            assert events == want and not host.calls, (t.name, events, want)
        elif want[0] == "host":
            assert events == [] and host.calls == [want[1]], (t.name, events, host.calls)
        else:
            assert events == [] and handled[-1] is cmd, t.name


def test_tempo_bpm_keeps_phase_and_auto_hands_back(show):
    engine, control, clock = show
    run(engine, control, clock, 0.0, 1.0)
    control.submit(command("tempo/bpm", 90))
    desc = run(engine, control, clock, 1.0, 4.0)
    assert desc.report.tempo_source == "set" and desc.bpm == pytest.approx(90.0)
    control.submit(command("tempo/auto"))
    desc = run(engine, control, clock, 4.0, 4.5)
    assert desc.report.tempo_source != "set"


def test_taps_keep_their_arrival_time_not_the_frame_time(show):
    engine, control, clock = show
    run(engine, control, clock, 0.0, 0.5)
    # four taps at 100 BPM, each arriving between frames; drained together a frame later
    for k in range(4):
        clock.now = 100.0 + 0.5 + k * 0.6
        control.submit(command("tempo/tap"))
    clock.now = 100.0 + 0.5 + 3 * 0.6 + 0.013
    events = control.drain(0.5 + 3 * 0.6 + 0.013, engine.report)
    taps = [e.at for e in events]
    assert taps == pytest.approx([0.5, 1.1, 1.7, 2.3])


def test_external_clock_drives_while_fresh_and_hands_back(show):
    engine, control, clock = show
    period = 60 / 140
    t = 0.0
    for k in range(14):  # a MIDI clock at 140 BPM, one reading per beat
        desc = run(engine, control, clock, t, k * period)
        t = k * period
        control.submit_clock(ClockReading("midi clock", 140.0, float(k), clock.now))
    assert desc.report.tempo_source == "midi clock" and desc.bpm == pytest.approx(140.0, abs=0.5)
    # its beat numbers give the bar: beat 12 (the last one heard) is a downbeat
    assert desc.report.beat == math.floor(desc.time / period) % 4
    desc = run(engine, control, clock, t, t + 1.5)  # the clock went silent (cable pulled): the tracker takes over
    assert desc.report.tempo_source != "midi clock"
    control.submit_clock(ClockReading("midi clock", 140.0, 20.0, clock.now))
    desc = run(engine, control, clock, t + 1.5, t + 1.6)
    assert desc.report.tempo_source == "midi clock"
    control.submit_clock(ClockReading("midi clock", 140.0, 0.0, clock.now, running=False))
    desc = run(engine, control, clock, t + 1.6, t + 1.7)
    assert desc.report.tempo_source != "midi clock"


def test_song_select_without_host_sends_start_song_and_bank_select(show):
    engine, control, clock = show
    run(engine, control, clock, 0.0, 0.5)
    control.submit(command("song/next"))
    desc = run(engine, control, clock, 0.5, 12.0)
    assert control.song == 1
    assert engine.rules.switch_bars == 2
    assert desc.current_clip in ("c3", "c4", "c5")
    with pytest.raises(ValueError, match="no song 3"):
        control.apply(command("song/select", 3), 12.0, engine.report)
    # N on the last song (P on the first) said "no song 3" ("no song 0"): which song it is, and that the show runs on
    with pytest.raises(ValueError, match=r"is the last song of the setlist: there is no next song \(the show runs on\)"):
        control.apply(command("song/next"), 12.0, engine.report)


def test_feedback_sends_only_changes_and_a_bad_listener_cannot_stop_the_show(show):
    engine, control, clock = show
    seen = []
    control.add_status_listener(lambda st, changed: seen.append(changed))
    control.add_status_listener(lambda st, changed: 1 / 0)
    run(engine, control, clock, 0.0, 3.0)
    assert seen[0] >= {"clip", "bpm", "beat", "song"}
    assert all(ch for ch in seen[1:])
    assert len(seen) < 3.0 * 60  # not every frame: only when something shown changed
    assert any("beat" in ch for ch in seen[1:])
    # said in a performer's words: what failed and that the show goes on, never a Python exception name
    assert control.problem_count > 0 and "feedback to a controller failed (division by zero)" in control.problems[-1]
    assert "ZeroDivisionError" not in control.problems[-1]


def test_every_notice_and_problem_between_two_frames_reaches_the_panel(show):
    """Several messages can come between two frames (at start: a refused CPU priority, then OSC's address);
    the reader gets each once, oldest first, also from several threads at once."""
    _engine, control, _clock = show
    control.notify("first")
    control.notify("second")
    control.reject("bad message")
    notices, problems, n_seen, p_seen = control.news_since(0, 0)
    assert (notices, problems) == (["first", "second"], ["bad message"])
    assert control.news_since(n_seen, p_seen)[:2] == ([], [])
    threads = [threading.Thread(target=lambda k=k: [control.notify(f"{k}:{i}") for i in range(10)]) for k in range(4)]
    for t in threads:
        t.start()
    got = []
    while any(t.is_alive() for t in threads):
        new, _, n_seen, p_seen = control.news_since(n_seen, p_seen)
        got += new
    got += control.news_since(n_seen, p_seen)[0]
    assert sorted(got) == sorted(f"{k}:{i}" for k in range(4) for i in range(10))
    for i in range(100):   # more than the 64 kept: the newest 64, none twice
        control.notify(f"n{i}")
    assert control.news_since(n_seen, p_seen)[0] == [f"n{i}" for i in range(36, 100)]


def test_submit_from_many_threads_loses_nothing(show):
    engine, control, clock = show
    run(engine, control, clock, 0.0, 0.2)

    def flood():
        for _ in range(2000):
            control.submit(command("tempo/nudge", 0.04))

    threads = [threading.Thread(target=flood) for _ in range(5)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    desc = run(engine, control, clock, 0.2, 0.4)
    assert desc.report.nudge == pytest.approx(0.4)  # 10,000 x 0.04 ms (within the nudge's ±500 ms limit)


def test_focus_applies_to_the_next_clip(show):
    engine, control, clock = show
    desc = run(engine, control, clock, 0.0, 0.5)
    nxt = desc.next_clip
    assert desc.zoom_center == pytest.approx((0.5, 0.5))   # the clips' own focus
    control.submit(command("zoom/focus", 0.3, 0.7))
    t = 0.5
    while not (desc.current_clip == nxt and desc.transition < 0) and t < 30.0:
        desc = run(engine, control, clock, t, t + 0.25)
        t += 0.25
    assert desc.current_clip == nxt and desc.zoom_center == pytest.approx((0.3, 0.7))  # the camera heads there


def test_control_doc_is_generated_from_the_table():
    from vj import ROOT, docs
    doc = (ROOT / "docs" / "CONTROL.md").read_text()
    assert doc == docs.expected("CONTROL.md"), "run `python -m vj.docs --write`"
    for t in TARGETS:
        assert f"`{t.address}`" in doc


def test_status_carries_the_values_faders_set_whoever_set_them(show):
    engine, control, clock = show
    seen = []
    control.add_status_listener(lambda st, changed: seen.append((st, changed)))
    run(engine, control, clock, 0.0, 0.2)
    control.submit(command("zoom/pulse", 0.8, origin="osc"))
    control.submit(command("zoom/speed_step", 2.0, origin="key"))
    run(engine, control, clock, 0.2, 0.3)
    st = control.status
    assert st.pulse == pytest.approx(0.8) and st.zoom_speed == pytest.approx(ShowRules().drift_per_bar * 2)
    assert any({"pulse", "zoom_speed"} <= ch for _, ch in seen[1:])
