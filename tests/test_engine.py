"""The show engine is pure: these tests drive it with exact beat states, no devices."""

from __future__ import annotations

import math

import pytest

from showkit import FPS, clips, grid_beat
from showkit import run_show as run
from vj.audio.snapshot import AudioSnapshot, BeatState
from vj.engine import Blackout, ClipRef, Cue, NextClip, Resync, SetFocus, SetRules, ShowEngine, ShowRules
from vj.engine.clock import wrap
from vj.engine.curves import surge


def test_same_inputs_give_identical_frames():
    a = run(ShowEngine(clips(), ShowRules(switch_bars=2)), 12)
    b = run(ShowEngine(clips(), ShowRules(switch_bars=2)), 12)
    assert a == b


def test_switches_land_on_downbeats_every_n_bars():
    rules = ShowRules(switch_bars=2, transition_beats=4)
    frames = run(ShowEngine(clips(), rules), 20)
    switch_times = [f.time for prev, f in zip(frames, frames[1:]) if f.current_clip != prev.current_clip]
    assert len(switch_times) >= 3
    downbeats = [0.25 + 4 * k * 0.5 for k in range(20)]
    for t in switch_times:
        nearest = min(downbeats, key=lambda d: abs(d - t))
        assert 0 <= t - nearest < 1.0 / FPS, (t, nearest)
    gaps = [b - a for a, b in zip(switch_times, switch_times[1:])]
    assert all(abs(g - 2 * 4 * 0.5) < 1.0 / FPS for g in gaps), gaps
    # the clips come in bank order
    order = [f.current_clip for f in frames]
    assert list(dict.fromkeys(order)) == ["c0", "c1", "c2"]


def test_flythrough_geometry():
    rules = ShowRules(switch_bars=2, transition_beats=4, zoom_through=16.0, pulse=0.0)
    frames = run(ShowEngine(clips(), rules), 10)
    flights = [f for f in frames if f.transition >= 0]
    assert flights
    first = flights[0]
    a, b = first.layers
    z = rules.zoom_through
    # B emerges at A's focus point, at 1/Z of the screen
    assert b.size == pytest.approx(z ** first.transition / z, rel=1e-9)
    assert flights[0].transition < 0.05 and b.size == pytest.approx(1 / z, rel=0.2)
    focus_a = ShowEngine(clips(), rules).entry_focus(0)
    assert b.center[0] == pytest.approx(focus_a[0], abs=0.01) and b.center[1] == pytest.approx(focus_a[1], abs=0.01)
    # B's share grows monotonically; A always covers the whole screen
    sizes = [f.layers[1].size for f in flights if f.current_clip == "c0"]
    assert all(s2 > s1 for s1, s2 in zip(sizes, sizes[1:]))
    for f in frames:
        base = f.layers[0]
        lo = (base.center[0] - base.size / 2, base.center[1] - base.size / 2)
        hi = (base.center[0] + base.size / 2, base.center[1] + base.size / 2)
        assert lo[0] <= 1e-9 and lo[1] <= 1e-9 and hi[0] >= 1 - 1e-9 and hi[1] >= 1 - 1e-9
        if len(f.layers) == 2:  # B stays inside A
            inner = f.layers[1]
            assert base.center[0] - base.size / 2 <= inner.center[0] - inner.size / 2 + 1e-9
            assert inner.center[0] + inner.size / 2 <= base.center[0] + base.size / 2 + 1e-9
    # at the handover B fills the screen: the frame after shows it at ~size 1 around the centre
    idx = next(i for i, f in enumerate(frames) if f.current_clip == "c1")
    after = frames[idx].layers[0]
    assert after.clip_id == "c1" and after.size == pytest.approx(1.0, abs=0.02)
    assert after.center == pytest.approx((0.5, 0.5), abs=0.02)
    before = frames[idx - 1].layers[1]
    assert before.size == pytest.approx(1.0, rel=0.15)


def test_zoom_is_exponential_in_beat_time_and_never_shrinks():
    rules = ShowRules(switch_bars=8, pulse=0.0)
    frames = run(ShowEngine(clips(1), rules), 8)
    sizes = [f.layers[0].size for f in frames if f.transition < 0 and f.layers[0].instance == 0][40:]
    logs = [math.log(s) for s in sizes]
    steps = [b - a for a, b in zip(logs, logs[1:])]
    assert min(steps) > 0
    assert max(steps) - min(steps) < 1e-9  # constant speed in log scale at constant tempo


def test_pulse_surge_is_monotonic_and_keeps_whole_beats():
    for amount in (0.0, 0.3, 0.8, 1.0):
        xs = [i / 97 for i in range(500)]
        ys = [surge(x, amount, 0.3) for x in xs]
        assert all(b >= a for a, b in zip(ys, ys[1:]))
        for k in range(4):
            assert surge(float(k), amount, 0.3) == pytest.approx(k)
    assert surge(0.25, 0.8, 0.3) > 0.5  # front-loaded: most of the beat's zoom happens early


def test_beat_position_is_monotonic_through_tracker_jumps():
    def jumpy(t):
        # phase jumps by 0.3 beats at 3 s, tempo changes at 6 s, lost lock 8-9 s
        if 8.0 <= t < 9.0:
            return BeatState()
        first = 0.25 if t < 3.0 else 0.4
        bpm = 120.0 if t < 6.0 else 132.0
        return grid_beat(t, bpm=bpm, first=first)
    frames = run(ShowEngine(clips(), ShowRules(switch_bars=2)), 12, beat=jumpy)
    ps = [f.beat_position for f in frames]
    assert all(b > a for a, b in zip(ps, ps[1:]))
    # and it re-converges to the new grid: near 11 s the clock's phase matches the tracker's
    t = frames[-1].time
    target = grid_beat(t, bpm=132.0, first=0.4).beat_position(t)
    assert abs(wrap(frames[-1].beat_position - target)) < 0.05


def test_runs_before_lock_on_the_tempo_hint():
    engine = ShowEngine(clips(), ShowRules(switch_bars=1), tempo_hint=90.0)
    frames = run(engine, 6, beat=lambda t: BeatState())
    assert frames[-1].bpm == 90.0
    assert len({f.current_clip for f in frames}) >= 2  # it still switches, at 90 BPM


def test_events_cue_next_blackout_and_bad_input():
    engine = ShowEngine(clips(4), ShowRules(switch_bars=8))
    ev = {30: [Cue("c3", switch=True)], 150: [NextClip()], 200: [Blackout(True)], 210: [Cue("nope"), SetRules({"bogus": 1})]}
    frames = run(engine, 8, events=ev)
    seen = [f.current_clip for i, f in enumerate(frames) if i == 0 or f.current_clip != frames[i - 1].current_clip]
    assert seen[:3] == ["c0", "c3", "c0"]  # cued c3, then "next" wraps around to c0
    assert frames[205].brightness == 0.0 and frames[150].brightness == 1.0
    # a bad cue and an unknown rule leave messages and change nothing else
    engine2 = ShowEngine(clips(4), ShowRules(switch_bars=8))
    run(engine2, 1)
    engine2.step(1.0, AudioSnapshot(time=1.0, beat=grid_beat(1.0)), [Cue("nope"), SetRules({"bogus": 1})])
    assert any("nope" in m for m in engine2.report.messages) and any("bogus" in m for m in engine2.report.messages)
    assert engine2.rules == ShowRules(switch_bars=8)


def test_switch_starts_on_next_beat_after_request():
    engine = ShowEngine(clips(3), ShowRules(switch_bars=16, transition_beats=2))
    frames = run(engine, 6, events={60: [NextClip()]})  # at 2.0 s
    start = next(f for f in frames if f.transition >= 0)
    # the first beat after 2.0 s is at 2.25 s
    assert 2.25 <= start.time < 2.25 + 1.0 / FPS + 1e-9


@pytest.mark.parametrize("mode,expected", [("loop", [0.0, 1.0, 0.0]), ("hold", [0.0, 1.0, 1.9833]),
                                           ("pingpong", [0.0, 1.0, 1.9667])])
def test_loop_modes_map_play_time_to_media_time(mode, expected):
    clip = ClipRef("x", in_point=1.0, end=3.0, loop=mode, fps=30.0)
    got = [clip.media_time(e) - 1.0 for e in (0.0, 1.0, 2.0)]
    assert got == pytest.approx(expected, abs=2e-3)


def test_rules_validate():
    with pytest.raises(ValueError):
        ShowRules(switch_bars=0)
    with pytest.raises(ValueError):
        ShowRules().with_changes({"nonsense": 3})


def test_failed_clips_are_left_out_and_a_flight_into_one_is_retargeted():
    from vj.engine import ClipFailed, ClipRestored
    engine = ShowEngine(clips(4), ShowRules(switch_bars=2, transition_beats=4))
    n = 0
    while True:  # step until c1 is flying in
        prev = engine.step(n / FPS, AudioSnapshot(time=n / FPS, beat=grid_beat(n / FPS)))
        n += 1
        if prev.transition > 0.2:
            break
    assert prev.next_clip == "c1" and prev.current_clip == "c0"
    t = n / FPS
    f = engine.step(t, AudioSnapshot(time=t, beat=grid_beat(t)), [ClipFailed("c1", "corrupt")])
    assert f.next_clip == "c2" and f.layers[1].clip_id == "c2"
    assert f.layers[1].instance != prev.layers[1].instance  # a fresh playback, not c1's
    assert any("c1" in m for m in engine.report.messages)
    assert engine.left_out == {"c1": "corrupt"}   # what the panel marks (through ShowLoop.left_out)
    rest = [engine.step(k / FPS, AudioSnapshot(time=k / FPS, beat=grid_beat(k / FPS))) for k in range(n + 1, n + 600)]
    shown = {layer.clip_id for fr in rest for layer in fr.layers}
    assert "c1" not in shown and {"c2", "c3", "c0"} <= shown
    t = (n + 600) / FPS
    engine.step(t, AudioSnapshot(time=t, beat=grid_beat(t)), [Cue("c1", switch=True)])
    assert any("cannot be played" in m for m in engine.report.messages)
    engine.step(t, AudioSnapshot(time=t, beat=grid_beat(t)), [ClipRestored("c1")])
    assert engine.left_out == {}


def test_beat_state_bar_position_and_snapshot_equality():
    import numpy as np
    b = BeatState(bpm=120, beat_count=5, bar_beat=0, last_beat=2.5, next_beat=3.0)
    assert b.bar_position(2.5) == pytest.approx(round(b.bar_position(2.5)))  # a downbeat is a whole bar
    assert b.bar_position(3.0) - b.bar_position(2.5) == pytest.approx(0.25)
    b2 = BeatState(bpm=120, beat_count=6, bar_beat=1, last_beat=3.0, next_beat=3.5)
    assert b2.bar_position(3.0) == pytest.approx(b.bar_position(3.0))
    s1 = AudioSnapshot(time=1.0, spectrum=AudioSnapshot.frozen_spectrum(np.ones(4)))
    s2 = AudioSnapshot(time=1.0, spectrum=AudioSnapshot.frozen_spectrum(np.ones(4)))
    s3 = AudioSnapshot(time=1.0, spectrum=AudioSnapshot.frozen_spectrum(np.zeros(4)))
    assert s1 == s2 and s1 != s3


def _step(engine, n, events=()):
    t = n / FPS
    return engine.step(t, AudioSnapshot(time=t, beat=grid_beat(t)), events)


def _flight_continuity(frames):
    """Progress never jumps backwards within a flight and a flight always ends at 1 (no pops or cuts)."""
    for a, b in zip(frames, frames[1:]):
        if a.transition >= 0 and b.transition >= 0 and a.layers[1].instance == b.layers[1].instance:
            assert b.transition >= a.transition - 1e-9
        if a.transition >= 0 and b.transition >= 0 and a.layers[1].instance != b.layers[1].instance:
            assert a.transition > 0.9, a.transition  # one flight ended and the next began: no skipped ending
        if a.transition >= 0 and b.transition < 0:  # a flight ended: B must have filled the screen
            assert b.layers[0].size == pytest.approx(1.0, abs=0.05), (a.transition, b.layers[0].size)
        if a.transition < 0 and b.transition < 0:
            assert b.current_clip == a.current_clip  # no hard cut without a flight


def test_next_during_a_flight_goes_to_the_clip_after_the_one_flying_in():
    engine = ShowEngine(clips(4), ShowRules(switch_bars=1, transition_beats=4))
    frames = [_step(engine, n) for n in range(60)]
    n = 60
    while frames[-1].transition < 0.3:
        frames.append(_step(engine, n)); n += 1
    flying = frames[-1].layers[1].clip_id
    frames.append(_step(engine, n, [NextClip()])); n += 1
    frames += [_step(engine, k) for k in range(n, n + 240)]
    _flight_continuity(frames)
    order = [f.current_clip for i, f in enumerate(frames) if i == 0 or f.current_clip != frames[i - 1].current_clip]
    i = order.index(flying)
    assert order[i + 1] != flying  # never a second flight into the same clip


def test_cue_during_a_flight_is_kept_and_prerolled():
    engine = ShowEngine(clips(4), ShowRules(switch_bars=1, transition_beats=4))
    n = 0
    f = _step(engine, n)
    while f.transition < 0.3:
        n += 1
        f = _step(engine, n)
    f = _step(engine, n + 1, [Cue("c3")])
    flying = f.layers[1].clip_id
    assert "c3" in f.preroll and f.layers[1].clip_id not in f.preroll and f.current_clip not in f.preroll
    later = [_step(engine, k) for k in range(n + 2, n + 200)]
    order = [fr.current_clip for i, fr in enumerate(later) if i == 0 or fr.current_clip != later[i - 1].current_clip]
    assert order[1] == flying and order[2] == "c3"  # the cue survives the handover


def test_zoom_speed_change_never_jumps_or_shrinks():
    engine = ShowEngine(clips(2), ShowRules(switch_bars=8, pulse=0.0))
    sizes = []
    for n in range(240):
        ev = [SetRules({"drift_per_bar": 0.5})] if n == 100 else [SetRules({"drift_per_bar": 0.02})] if n == 160 else []
        f = _step(engine, n, ev)
        if f.transition < 0 and f.layers[0].instance == 0:
            sizes.append(f.layers[0].size)
    steps = [b / a for a, b in zip(sizes, sizes[1:])]
    assert min(steps) >= 1.0 and max(steps) < 1.02


def test_fractional_flight_lands_exactly_and_resync_never_cuts():
    engine = ShowEngine(clips(3), ShowRules(switch_bars=1, transition_beats=1.5))
    frames = [_step(engine, n, [Resync(n / FPS)] if n in (70, 131) else []) for n in range(400)]
    _flight_continuity(frames)
    engine2 = ShowEngine(clips(3), ShowRules(switch_bars=4))
    frames2 = [_step(engine2, n, [SetRules({"switch_bars": 1})] if n == 150 else []) for n in range(400)]
    _flight_continuity(frames2)


def test_first_lock_during_a_flight_never_jumps_it():
    # no lock for 4.4 s (a long intro): the show runs on the fallback tempo and is mid-flight when it locks
    engine = ShowEngine(clips(3), ShowRules(switch_bars=1, transition_beats=4), tempo_hint=100.0)
    frames = [_step(engine, n) if n / FPS >= 4.4 else
              engine.step(n / FPS, AudioSnapshot(time=n / FPS, beat=BeatState())) for n in range(300)]
    _flight_continuity(frames)
    steps = [b.transition - a.transition for a, b in zip(frames, frames[1:])
             if a.transition >= 0 and b.transition >= 0 and a.layers[1].instance == b.layers[1].instance]
    assert max(steps) < 0.1  # ~1/30 s of a 2 s flight per frame, at most double speed while slewing


def test_song_change_flies_into_the_new_songs_clips_on_a_downbeat():
    from vj.engine import StartSong
    all_clips = clips(3) + [ClipRef(f"s2-{i}", end=6.0) for i in range(2)]
    engine = ShowEngine(all_clips, ShowRules(switch_bars=2), rotation=["c0", "c1", "c2"])
    frames = [_step(engine, n) for n in range(150)]
    assert {f.current_clip for f in frames} <= {"c0", "c1", "c2"}  # song 1 never shows song 2's clips
    frames.append(_step(engine, 150, [StartSong(("s2-0", "s2-1"), {"switch_bars": 1})]))
    frames += [_step(engine, n) for n in range(151, 600)]
    _flight_continuity(frames)
    entered = next(i for i, f in enumerate(frames) if f.current_clip == "s2-0")
    assert entered > 150
    downbeats = [0.25 + 2.0 * k for k in range(40)]
    assert min(abs(frames[entered].time - d) for d in downbeats) < 1.0 / FPS + 1e-9
    later = {f.current_clip for f in frames[entered:]}
    assert later <= {"s2-0", "s2-1"} and len(later) == 2  # the new song rotates through its own clips
    assert engine.rules.switch_bars == 1


def test_a_stretched_tracker_interval_slows_the_show_to_half_speed_at_most():
    """A tracker moving its phase later stretches one beat interval (its beat position
    runs slower until the beat): the show clock keeps the tempo and slews, so the zoom
    never drops below half speed."""
    def stretched(t):
        b = grid_beat(t, bpm=120.0)
        if 4.0 <= b.last_beat and b.last_beat + 0.5 > t >= 4.45:
            # from 4.45 s the pending beat moves 0.25 s later; beat_position stays where it
            # is: the last beat's time moves back (virtual), the interval becomes 2.75 s
            frac = (t - b.last_beat) / 0.5
            target = b.next_beat + 0.25
            last = (t - frac * target) / (1.0 - frac)
            return BeatState(bpm=120.0, confidence=1.0, beat_count=b.beat_count, last_beat=last,
                             next_beat=target, beats_per_bar=4, bar_beat=b.bar_beat, source="comb")
        return b
    frames = run(ShowEngine(clips(), ShowRules(switch_bars=2)), 6, beat=stretched)
    rates = [(b.beat_position - a.beat_position) / (b.time - a.time) for a, b in zip(frames, frames[1:])]
    assert min(rates) >= 0.5 * 2.0 - 1e-9  # half of 120 BPM, in beats per second


# ---- focus tracks -------------------------------------------------------------------------------

def heading(layer) -> tuple[float, float]:
    """The screen point a layer zooms about: centre = f + (0.5 - f) * size, solved for f."""
    return tuple((c - 0.5 * layer.size) / (1.0 - layer.size) for c in layer.center)


TRACKED = (0.0, 0.30, 0.40, 0.9), (3.0, 0.65, 0.55, 0.9), (6.0, 0.40, 0.60, 0.9)


def test_a_clip_follows_its_focus_track_smoothly_while_it_plays():
    clip = ClipRef("t", focus=(0.30, 0.40), end=6.0, focus_track=TRACKED)
    frames = run(ShowEngine([clip, ClipRef("u", end=6.0)], ShowRules(switch_bars=8, pulse=0.0)), 4.0)
    on_own = [f for f in frames if f.transition < 0 and f.layers[0].size > 1.02]
    assert len(on_own) > 60
    got = [heading(f.layers[0]) for f in on_own]
    for f, h in zip(on_own, got):  # the camera heads where the track says, at the frame on screen
        assert h == pytest.approx(clip.focus_at(f.layers[0].media_time), abs=1e-6)
        assert f.zoom_center == pytest.approx(h, abs=1e-9)
    assert got[0][0] < 0.4 and got[-1][0] > 0.55  # it moved...
    steps = [math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(got, got[1:])]
    assert max(steps) < 0.01  # ...smoothly, frame by frame
    moves = [math.hypot(b.layers[0].center[0] - a.layers[0].center[0], b.layers[0].center[1] - a.layers[0].center[1])
             for a, b in zip(on_own, on_own[1:])]
    assert max(moves) < 0.01  # and the picture never jumps


def test_the_zoom_through_starts_at_the_heading_at_the_moment_of_the_switch():
    rules = ShowRules(switch_bars=2, transition_beats=4, pulse=0.0)
    clip = ClipRef("t", focus=(0.30, 0.40), end=6.0, focus_track=TRACKED)
    frames = run(ShowEngine([clip, ClipRef("u", end=6.0)], rules), 6.0)
    first = next(f for f in frames if f.transition >= 0)
    a, b = first.layers
    # B emerges where A was heading when the flight started (at most a frame ago), not at A's in-point focus
    assert b.center == pytest.approx(clip.focus_at(a.media_time), abs=0.01)
    assert math.hypot(b.center[0] - 0.30, b.center[1] - 0.40) > 0.1
    # and A's heading then stays put through the flight: the zoom's fixed point does not wander
    flight = [f for f in frames if f.transition >= 0 and f.current_clip == "t"]
    assert len({f.zoom_center for f in flight}) == 1


def test_a_hand_override_holds_the_focus_and_no_track_keeps_the_old_behaviour():
    clip = ClipRef("t", focus=(0.30, 0.40), end=6.0, focus_track=TRACKED)
    engine = ShowEngine([ClipRef("u", end=6.0), clip], ShowRules(switch_bars=1, transition_beats=1, pulse=0.0))
    # the performer sets the focus before the tracked clip enters: it holds there, the track is not followed
    frames = [f for f in run(engine, 4.0, events={0: [SetFocus(0.7, 0.3, "t")]})
              if f.current_clip == "t" and f.transition < 0 and f.layers[0].size > 1.02]
    assert len(frames) > 20
    assert all(heading(f.layers[0]) == pytest.approx((0.7, 0.3), abs=1e-6) for f in frames)
    still = ClipRef("s", focus=(0.3, 0.4), end=6.0)
    frames = [f for f in run(ShowEngine([still], ShowRules(pulse=0.0)), 3.0) if f.layers[0].size > 1.02]
    assert all(heading(f.layers[0]) == pytest.approx((0.3, 0.4), abs=1e-6) for f in frames)


def test_after_a_cue_to_a_clip_outside_the_songs_order_the_order_goes_on_where_it_was():
    """A setlist's order = [c0, c1, c2, c3] with a section's cue to c4 (in the bank, not in the order) went back
    to c0 after c4: c2 and c3 came late or never (a performer's rehearsal: "clips never shown: big")."""
    engine = ShowEngine(clips(5), ShowRules(switch_bars=1, transition_beats=2), rotation=["c0", "c1", "c2", "c3"])
    frames, cued = [], False
    for n in range(int(13 * FPS)):
        seen = [f.current_clip for f in frames[-1:]]
        ev = [Cue("c4", switch=True)] if seen == ["c1"] and not cued else []
        cued = cued or bool(ev)
        frames.append(_step(engine, n, ev))
    order = [f.current_clip for i, f in enumerate(frames) if i == 0 or f.current_clip != frames[i - 1].current_clip]
    assert order[:6] == ["c0", "c1", "c4", "c2", "c3", "c0"], order


def test_after_a_cue_the_order_goes_on_from_the_clip_that_landed_when_a_flight_was_turned():
    """The flight into c1 was turned to c2 (c1 failed to open); a cue to c4 then went back to c2 (the order's
    place was the failed c1), and c2 played twice."""
    from vj.engine import ClipFailed
    engine = ShowEngine(clips(5), ShowRules(switch_bars=1, transition_beats=2), rotation=["c0", "c1", "c2", "c3"])
    frames, failed, cued = [], False, False
    for n in range(int(13 * FPS)):
        ev = []
        last = frames[-1] if frames else None
        if last is not None and not failed and len(last.layers) > 1 and last.layers[1].clip_id == "c1":
            ev, failed = [ClipFailed("c1", "cut short")], True
        elif last is not None and failed and not cued and last.current_clip == "c2" and last.transition < 0:
            ev, cued = [Cue("c4", switch=True)], True
        frames.append(_step(engine, n, ev))
    order = [f.current_clip for i, f in enumerate(frames) if i == 0 or f.current_clip != frames[i - 1].current_clip]
    assert order[:5] == ["c0", "c2", "c4", "c3", "c0"], order


def test_a_songs_flight_lands_on_the_1_when_the_bar_line_moves_under_it():
    """The flight into a new song is planned on the bar line it finds (the previous song's carried on); the tracker
    then finds the new song's 1 a beat later, mid-flight.  It landed on the 4 of the new bar line; it lands on the
    moved 1 nearest the one it planned, its progress going on from where it was (no jump, no cut)."""
    from vj.engine import StartSong
    all_clips = clips(2) + [ClipRef(f"s2-{i}", end=6.0) for i in range(2)]
    engine = ShowEngine(all_clips, ShowRules(switch_bars=4), rotation=["c0", "c1"])

    def beat(t: float) -> BeatState:   # beats every 0.5 s from 0.25 s; from 7.1 s the 1 is a beat later
        return grid_beat(t) if t < 7.1 else grid_beat(t, first=0.75)

    frames = [engine.step(n / FPS, AudioSnapshot(time=n / FPS, beat=beat(n / FPS)),
                          [StartSong(("s2-0", "s2-1"), {"switch_bars": 4})] if n == 180 else []) for n in range(420)]
    _flight_continuity(frames)
    flying = [f for f in frames if f.transition >= 0 and f.next_clip == "s2-0"]
    assert flying[0].time < 7.1 < flying[-1].time             # the bar line moved mid-flight
    (landed,) = [f for f in frames if f.report.song_landed]
    assert landed.current_clip == "s2-0" and landed.report.beat == 0, landed.report   # on the moved 1
    assert min(abs(landed.time - (0.75 + 2.0 * k)) for k in range(10)) < 1.0 / FPS + 1e-9, landed.time


def test_an_automatic_flight_lands_on_the_new_1_when_r_moves_the_bar_line_mid_flight():
    """The performer presses R (the 1 is here) on a beat while a flight is in the air: the flight was planned on the
    old bar line's 1 and landed on a 2 or a 4 of the new one; it lands on the new 1 nearest the one it planned,
    its progress going on from where it was (no jump, no cut)."""
    engine = ShowEngine(clips(3), ShowRules(switch_bars=2, transition_beats=4))
    frames, n = [], 0
    while not frames or frames[-1].transition < 0.3:
        frames.append(_step(engine, n)); n += 1
    press = 0.25 + 0.5 * math.ceil((n / FPS - 0.25) / 0.5 + 1)   # a beat a little later: a 2 or a 3 of the old bar
    flying = frames[-1].next_clip
    while n / FPS < press:
        frames.append(_step(engine, n)); n += 1
    frames.append(_step(engine, n, [Resync(press)])); n += 1
    frames += [_step(engine, k) for k in range(n, n + 150)]
    _flight_continuity(frames)
    i = next(i for i, f in enumerate(frames) if i and f.current_clip == flying != frames[i - 1].current_clip)
    landed = frames[i]
    assert landed.time > press
    assert min(abs(landed.time - (press + 2.0 * k)) for k in range(8)) < 1.0 / FPS + 1e-9, (landed.time, press)
    assert landed.report.beat == 0, landed.report


def test_a_flight_the_performer_asked_for_keeps_its_beat_when_r_moves_the_bar_line():
    """N asks for a flight on the next beat (PLAY.md: a flight you asked for keeps the beat it was asked on): R
    pressed while it is in the air moves the bar line, and only a flight planned on a 1 moves to the new 1.  This
    one lands when it would have without R (it landed on the new 1, a beat or more late, with every flight moved)."""
    def landing(resync: bool) -> float:
        engine = ShowEngine(clips(3), ShowRules(switch_bars=4, transition_beats=4))
        frames = [_step(engine, n, [NextClip()] if n == 30 else []) for n in range(31)]
        assert frames[-1].transition < 0                 # asked at 1.0 s (beat 1.5): it flies from beat 2 (1.25 s)
        n = 31
        while n / FPS < 1.75:
            frames.append(_step(engine, n)); n += 1
        assert frames[-1].transition >= 0, "the flight is in the air"
        # R on beat 3 (1.75 s), a 4 of the old bar: the new 1s are beats 3 and 7, the flight's end is beat 6
        frames.append(_step(engine, n, [Resync(1.75)] if resync else [])); n += 1
        frames += [_step(engine, k) for k in range(n, n + 120)]
        _flight_continuity(frames)
        return next(f.time for f in frames[31:] if f.current_clip == "c1")
    planned = landing(resync=False)
    assert abs(planned - 3.25) < 1.0 / FPS + 1e-9, planned   # beat 6: 4 beats after beat 2
    assert landing(resync=True) == planned
