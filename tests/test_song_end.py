"""A song whose end is known (rehearsal, `vj play --tracks`): no clip flashes by just before the next song.

Without the rule, a clip's flight that lands shortly before the track ends is followed at once by the
song-change flight: the clip is on screen for a moment only (the demo setlist's opener flew into "warp"
1.5 s before its end and out of it 1.8 s later).  With ``SongEnds`` the engine holds the clip on screen
instead, and the next song's first clip is the next one the audience sees.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from showkit import FPS, clips, landings
from showkit import run_show as run
from vj.engine import ClipRef, ShowEngine, ShowRules, SongEnds, StartSong
from vj.engine.show import PREROLL_LEAD, SONG_END_HOLD

RULES = ShowRules(switch_bars=2, transition_beats=4)   # 120 BPM: a 4 s slot, 2 s flights
SLOT = 4.0


def flight_starts(frames) -> list[float]:
    return [b.time for a, b in zip(frames, frames[1:]) if b.transition >= 0 > a.transition]


def test_a_flight_landing_just_before_the_known_end_is_not_started():
    free = landings(run(ShowEngine(clips(), RULES), 20))
    t_land, clip = free[2]
    end = t_land + 0.5                      # the track ends half a second after that clip would land
    frames = run(ShowEngine(clips(), RULES), 20, events={0: [SongEnds(end)]})
    held = landings(frames)
    assert held[:2] == free[:2]             # earlier flights, a whole half slot or more before the end: as before
    assert all(not (held[1][0] < t < end) for t, _ in held), "a clip landed in the last half slot"
    assert not any(held[1][0] < t < end for t in flight_starts(frames)), "a flight started that lands too late"
    # the end passed with no next song (the last song): the show flies on, on the next downbeat it can
    after = [t for t, _ in held if t >= end]
    assert after and after[0] - end < SLOT + 1e-9


def test_a_flight_landing_more_than_half_a_slot_before_the_end_still_flies():
    free = landings(run(ShowEngine(clips(), RULES), 20))
    t_land = free[2][0]
    end = t_land + SONG_END_HOLD * SLOT + 0.2
    assert landings(run(ShowEngine(clips(), RULES), end + 0.1, events={0: [SongEnds(end)]})) == \
        [x for x in free if x[0] < end + 0.1]


def test_the_next_song_is_the_next_clip_the_audience_sees():
    """The song changes at the track's end: its first clip follows the clip on screen, with none between."""
    all_clips = clips(3) + [ClipRef(f"s2-{i}", end=6.0) for i in range(2)]
    free = landings(run(ShowEngine(clips(), RULES), 20))
    end = free[2][0] + 0.5
    n_end = int(end * FPS) + 1
    for told, expect_flash in ((True, False), (False, True)):
        engine = ShowEngine(all_clips, RULES, rotation=["c0", "c1", "c2"])
        events = {n_end: [StartSong(("s2-0", "s2-1"), {})]}
        if told:
            events[0] = [SongEnds(end)]
        seen = [c for _, c in landings(run(engine, 24, events=events))]
        first_new = seen.index("s2-0")
        flashed = seen[first_new - 1] == free[2][1]   # the clip that landed just before the end
        assert flashed == expect_flash, seen


def test_a_song_that_opens_on_the_clip_on_screen_flies_into_its_second_clip():
    """Two songs on one bank: the next song's order starts with the clip already up (the demo's "Closer",
    shuffled, opened on "pillars", which "Slow one" ended on): the song change flies into its second clip."""
    engine = ShowEngine(clips(3), RULES, rotation=["c0", "c1"])
    frames = run(engine, 3.0)
    on_screen = frames[-1].current_clip
    assert frames[-1].transition < 0
    rest = run(engine, 10.0, events={0: [StartSong((on_screen, "c2"), {})]}, start=3.0)
    flying_in = next(f.next_clip for f in rest if f.transition >= 0)
    assert flying_in == "c2", (on_screen, flying_in)


@pytest.mark.parametrize("lag", [0, 1])   # StartSong with the end (rehearsal), or a frame later (live)
def test_the_next_songs_flight_always_leaves_time_to_open_its_clip(lag):
    """Swept over the track's end across two slots: the song's flight never starts sooner than PREROLL_LEAD
    after it was asked for (a hold once left a deferred plan that the song's flight reused, 12 of 120 ends)."""
    all_clips = clips(3) + [ClipRef(f"s2-{i}", end=6.0) for i in range(2)]
    short = []
    for end in np.arange(12.0 + 0.5 / FPS, 16.0, 4.0 / FPS):
        n = math.ceil(end * FPS - 1e-9) + lag
        engine = ShowEngine(all_clips, RULES, rotation=["c0", "c1", "c2"])
        frames = run(engine, 22, events={0: [SongEnds(float(end))], n: [StartSong(("s2-0", "s2-1"), {})]})
        start = next(f.time for f in frames if f.transition >= 0 and f.next_clip == "s2-0")
        if start - n / FPS < PREROLL_LEAD - 1e-6:
            short.append(round(float(end), 2))
    assert short == []
