"""A song's known downbeats (setlist ``downbeat = ...``): read and checked at their line, fed to the engine as
its own resync (R) as the song's track reaches them, in rehearsal as in play; a song change forgets the
previous song's bar line (an anchor's or a performer's R); a performer's R holds until the next anchor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from showkit import PerfectTracker, silence_until
from vj.bank import load_bank
from vj.demo.track import render_demo_track
from vj.engine import Resync, ShowRules
from vj.render.rehearse import rehearse
from vj.setlist import check_setlist, load_setlist
from vj.show.loop import ShowLoop
from vj.show.plan import SongPlan, plan_show

GOOD = """\
[[songs]]
title = "One"
bank = "t"
audio = "track.flac"
downbeat = 0.5

[[songs]]
title = "Two"
bank = "t"
audio = "track.flac"
downbeat = [0.5, 4, 8.25]
"""

BAD = """\
[[songs]]
title = "Negative"
bank = "t"
audio = "track.flac"
downbeat = -0.5

[[songs]]
title = "Backwards"
bank = "t"
audio = "track.flac"
downbeat = [4.0, 2.0]

[[songs]]
title = "Too late"
bank = "t"
audio = "track.flac"
downbeat = [0.5, 99.0]

[[songs]]
title = "Live input"
bank = "t"
downbeat = 0.5

[[songs]]
title = "Words"
bank = "t"
audio = "track.flac"
downbeat = "the first kick"
"""


def test_downbeats_are_read_and_bad_ones_are_said_at_their_line_with_a_fix(test_bank):
    root, banks, _ = test_bank
    (root / "anchors.toml").write_text(GOOD)
    one, two = load_setlist(root / "anchors.toml", banks_dir=banks).songs
    assert one.downbeats == (0.5,) and two.downbeats == (0.5, 4.0, 8.25)
    (root / "bad-anchors.toml").write_text(BAD)
    problems = {p.line: p for p in check_setlist(root / "bad-anchors.toml", banks_dir=banks, banks=False)}
    assert sorted(problems) == [5, 11, 17, 22, 28], problems
    assert "-0.5 is before the track's start" in problems[5].message
    assert "not ascending" in problems[11].message
    # the test track is 13 s long: read from the file's header
    assert "99 s is past the end of the track (13.00 s" in problems[17].message
    assert "no audio file" in problems[22].message and "press R" in problems[22].fix
    assert "seconds into the track" in problems[28].message
    assert all("field 'downbeat'" in p.where and p.fix for p in problems.values())


def test_another_file_passed_with_audio_keeps_no_downbeats(test_bank):
    root, banks, track = test_bank
    (root / "anchors.toml").write_text(GOOD)
    assert [p.downbeats for p in plan_show(root / "anchors.toml", banks_dir=banks)] == [(0.5,), (0.5, 4.0, 8.25)]
    (root / "other.flac").write_bytes(track.read_bytes())
    assert [p.downbeats for p in plan_show(root / "anchors.toml", root / "other.flac", banks_dir=banks)] == [(), ()]


# ---- the engine's resync, on a perfect tracker (beats every 0.5 s from 0, its downbeats at 0, 2, 4 ... s) ----

def _plans(banks: Path, *downbeats: tuple[float, ...]) -> list[SongPlan]:
    bank = load_bank("t", banks_dir=banks)
    return [SongPlan(f"song{i}", bank, None, ShowRules(switch_bars=1, transition_beats=2), clip_order=("clip0", "clip1"),
                     downbeats=d) for i, d in enumerate(downbeats)]


def _beat_in_bar(loop: ShowLoop, until: float, events: dict[int, object], tracks: dict[int, tuple[int, float]]
                 ) -> dict[int, int]:
    """Step ``loop`` at 30 fps to ``until``; return the show's beat in the bar (0: the 1) a frame after each
    beat k of the grid.  ``events[n]``: an event, or a song number to arm, at frame n; ``tracks[n]``: (song,
    show time its track starts) from frame n."""
    seen: dict[int, int] = {}
    for n in range(int(until * 30)):
        t = n / 30
        if n in tracks:
            song, at = tracks[n]
            loop.hearing_track(song, round(at * loop.sample_rate))
        ev = events.get(n)
        desc = loop.tick(t, silence_until(loop, t), [] if ev is None else [loop.arm_song(ev) if isinstance(ev, int)
                                                                             else ev])
        k = int(np.floor(t / 0.5 + 1e-9))
        if t - k * 0.5 >= 1 / 30 - 1e-9 and k not in seen:
            seen[k] = desc.report.beat
    return seen


def test_a_performers_resync_is_forgotten_at_a_song_change(test_bank):
    _, banks, _ = test_bank
    loop = ShowLoop(_plans(banks, (), ()), analyzer=PerfectTracker(120.0))
    # R on beat 7 (the tracker's 4): the 1 moves there; song 2 armed at 6.2 s
    beats = _beat_in_bar(loop, 14.0, {105: Resync(3.5), 186: 1}, {})
    assert beats[11] == 0 and beats[12] == 1        # the performer's bar line, in song 1
    assert loop.song == 1
    # song 2 counts its bars on the tracker's own line again (the leaked R would have put its 1 on beat 23)
    assert [beats[k] for k in (24, 25, 26, 27)] == [0, 1, 2, 3], beats


def test_anchors_resync_as_the_track_reaches_them_and_an_r_holds_until_the_next(test_bank):
    _, banks, _ = test_bank
    # song 1's track starts with the show; its bar lines at 1.0 s (beat 2) and 8.5 s (beat 17); song 2 has none;
    # song 3's track starts at 14.5 s with a bar (beat 29), half a second before the song is armed
    loop = ShowLoop(_plans(banks, (1.0, 8.5), (), (0.0,)), analyzer=PerfectTracker(120.0))
    beats = _beat_in_bar(loop, 20.0, {165: Resync(5.5), 345: 1, 450: 2}, {0: (0, 0.0), 345: (1, 11.5), 435: (2, 14.5)})
    assert beats[6] == 0 and beats[8] == 2       # the first anchor's line: beat 2 is the 1
    assert beats[15] == 0 and beats[16] == 1     # a performer's R at 5.5 s (beat 11) holds ...
    assert beats[17] == 0 and beats[21] == 0     # ... until the next anchor (8.5 s, beat 17)
    assert beats[24] == 0 and beats[25] == 1     # song 2: the tracker's own line, song 1's anchors forgotten
    assert beats[37] == 0 and beats[38] == 1     # song 3's anchor, given again after the arming forgot it


def test_an_anchor_before_the_tracker_locks_counts_once_it_locks(test_bank):
    _, banks, _ = test_bank
    # the tracker finds its first beat at 3 s (its 1 there); the song's 1 was at 0.5 s, a beat after a bar line
    loop = ShowLoop(_plans(banks, (0.5,)), analyzer=PerfectTracker(120.0, first=3.0))
    beats = _beat_in_bar(loop, 8.0, {}, {0: (0, 0.0)})
    assert [beats[k] for k in (9, 10, 11, 12, 13)] == [0, 1, 2, 3, 0], beats


# ---- a real rehearsal: the synthesized demo track (its bars start every 2 s from 0), the real tracker ----

DEMO_SETLIST = """\
[[songs]]
title = "Demo"
bank = "t"
audio = "demo-120.flac"
tempo = 120.0
switch_bars = 1
{anchor}
"""


@pytest.fixture(scope="module")
def demo_track(test_bank):
    root, banks, _ = test_bank
    track = render_demo_track(root / "demo-120.flac", bpm=120.0, seconds=16.0)
    assert list(track.downbeats[:3]) == [0.0, 2.0, 4.0]   # the generator's bar 1 starts at 0 s
    return root, banks, track


def _flights(root: Path, banks: Path, anchor: str, name: str) -> list[int]:
    """The beat in the generator's bar (0: the 1) each flight of a rehearsal lands on, once the tracker locked."""
    (root / f"{name}.toml").write_text(DEMO_SETLIST.format(anchor=anchor))
    result = rehearse(plan_show(root / f"{name}.toml", banks_dir=banks), root / f"{name}.mp4", size=(96, 54), fps=30)
    # a flight lands on a downbeat; the new clip fills the screen on the frame at or after it
    lands = [t for t, _, _ in result.switches if t > 6.0]   # the tracker is locked by then
    return [int(round(t / 0.5 - 1e-3)) % 4 for t in lands]


def test_a_rehearsal_lands_its_flights_on_the_known_one(demo_track):
    root, banks, _ = demo_track
    anchored = _flights(root, banks, "downbeat = 0.0", "anchored")
    plain = _flights(root, banks, "", "plain")
    assert len(anchored) >= 3 and set(anchored) == {0}, anchored     # every flight on the generator's 1
    # without it the tracker's own bar line: on this track a beat late (docs/BEATS.md rounds 40-42); if the
    # tracker learns this track's 1, pick a track it still misses
    assert len(plain) >= 3 and 0 not in plain, plain


def test_play_tracks_tells_the_show_where_each_songs_track_began(test_bank, monkeypatch):
    """`vj play --tracks`: the player hands the show the samples it read, and a song control may open the next
    track between the read and the tick; the track's start is the sample after the last one of the old track."""
    import vj.live.tracks as tracks_mod
    from vj.audio.file_input import FileInput
    from vj.live.tracks import SetlistTracks, heard_track

    root, banks, track = test_bank
    now = [0.0]
    monkeypatch.setattr(tracks_mod, "FileInput", lambda path, rate: FileInput(path, rate, clock=lambda: now[0]))
    feed = SetlistTracks([track, track], mute=True).start()
    loop = ShowLoop(_plans(banks, (), ()), analyzer=PerfectTracker(120.0))
    rate = loop.sample_rate
    starts = []
    for n in range(60):
        now[0] += 1 / 30
        pending = feed.read_new()
        if n == 40:
            feed.go_to(1)   # N: song 2's own track from its start, now (this frame's samples are song 1's)
        song, start = heard_track(feed, None, loop.samples_heard + len(pending), rate)
        starts.append((song, start))
        loop.tick(now[0], pending)
    assert set(starts[:40]) == {(0, 0)}
    # the old track's samples read in frame 40 are heard first: song 2's track begins right after them
    first = int(41 / 30 * rate + 1e-6)   # song 1's samples handed out by then
    assert set(starts[40:]) == {(1, first)}, set(starts[40:])
    assert loop.samples_heard == first + round(feed.position * rate)


def test_a_later_songs_flights_land_on_its_known_one_in_the_video(demo_track):
    """Each song's track is heard to its end: the show's clock stays the video's across songs, so the second
    song's flights land on its 1 on the frame at or after it (they landed a frame early per song before)."""
    root, banks, _ = demo_track
    text = DEMO_SETLIST.format(anchor="downbeat = 0.0")
    (root / "two-demo.toml").write_text(text + "\n" + text.replace('title = "Demo"', 'title = "Again"'))
    result = rehearse(plan_show(root / "two-demo.toml", banks_dir=banks), root / "two-demo.mp4", size=(96, 54), fps=30)
    second = result.songs[1]
    lands = [t - second.start for t, _, _ in result.switches if t > second.start + 6.0]
    assert len(lands) >= 3
    # a bar is 2 s: each lands on the frame of the bar line or the next one, never before it
    assert all(0.0 <= (x + 1e-6) % 2.0 <= 1 / 30 + 2e-6 for x in lands), lands


def test_a_song_after_another_counts_its_bars_from_its_known_one_and_lands_on_a_one(demo_track):
    """A rehearsal walkthrough: the flight into a second song (96 BPM after 120) landed at 4.4 s, on a 4 (the
    tracker found the new tempo mid-flight and the bar line moved under it), and the song's bar 1 was put where
    that flight landed (5.0 s, the track's bar 3), so `bar = 3` fired at 10 s.  The song's bar 1 is its known
    downbeat (0 s), the flight lands on a 1 of the track, and bar 3 starts 5 s in (a bar is 2.5 s)."""
    root, banks, _ = demo_track
    render_demo_track(root / "demo-96.flac", bpm=96.0, seconds=12.0, seed=1)
    (root / "after.toml").write_text(
        DEMO_SETLIST.format(anchor="downbeat = 0.0").replace("switch_bars = 1", "switch_bars = 2") +
        '\n[[songs]]\ntitle = "Slower"\nbank = "t"\naudio = "demo-96.flac"\ntempo = 96.0\nswitch_bars = 2\n'
        'downbeat = 0.0\n\n  [[songs.sections]]\n  bar = 3\n  pulse = 0.9\n')
    result = rehearse(plan_show(root / "after.toml", banks_dir=banks), root / "after.mp4", size=(96, 54), fps=30)
    second = result.songs[1]
    bar = 60 / 96 * 4
    # bar 1 where the track starts: the show's bar there is the song's bar_one
    (start,) = [f.bar for f in result.log if abs(f.time - second.start) < 1e-6]
    assert abs(start - second.bar_one) < 0.05, (start, second.bar_one)
    # the section of bar 3 fires on the frame after the track's bar 3 begins
    (fired,) = second.fired
    assert 2 * bar <= fired.time <= 2 * bar + 2.5 / 30, fired
    # its flights land on the track's 1s (on the frame of the bar line or the next), the song's first one too
    lands = [t - second.start for t, _, _ in result.switches if t > second.start]
    assert len(lands) >= 2
    assert all(0.0 <= (x + 1e-6) % bar <= 1.5 / 30 for x in lands), lands


def test_a_bar_section_waits_for_the_songs_known_one_past_where_its_flight_lands(demo_track):
    """A song after another whose first known downbeat (its bar 1) comes after the flight into it landed (an intro:
    `downbeat = 5.0`): its `bar = 1` section fired at the landing, 2.5 s into the track, a bar before the song's 1,
    as its bars were counted from the landing until the track reached the 1.  It fires on the song's 1."""
    root, banks, _ = demo_track
    render_demo_track(root / "demo-96.flac", bpm=96.0, seconds=12.0, seed=1)
    (root / "intro.toml").write_text(
        DEMO_SETLIST.format(anchor="downbeat = 0.0").replace("switch_bars = 1", "switch_bars = 2") +
        '\n[[songs]]\ntitle = "Slower"\nbank = "t"\naudio = "demo-96.flac"\ntempo = 96.0\nswitch_bars = 2\n'
        'downbeat = 5.0\n\n  [[songs.sections]]\n  bar = 1\n  pulse = 0.9\n')
    result = rehearse(plan_show(root / "intro.toml", banks_dir=banks), root / "intro.mp4", size=(96, 54), fps=30)
    second = result.songs[1]
    (fired,) = second.fired
    assert 5.0 <= fired.time <= 5.0 + 2.5 / 30, fired   # the frame after the song's 1, not the landing (2.53 s)
