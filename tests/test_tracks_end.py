"""`vj play --tracks` tells the show when each song's track ends, as a rehearsal does (SongEnds).

The show then holds its clip through the song's last half slot instead of flying into a clip that
the next song's flight takes away at once (tests/test_song_end.py has the engine's side).
"""

from __future__ import annotations

import pytest

from media import SECONDS, write_track
from vj.live.tracks import SetlistTracks


def test_a_tracks_end_is_told_only_for_its_own_song_with_a_song_after_it(tmp_path):
    one, two = write_track(tmp_path / "one.flac"), write_track(tmp_path / "two.flac", seconds=6.0)
    feed = SetlistTracks([one, two, None, one], mute=True).start()
    try:
        assert feed.song_end(100.0, 0, 4) == pytest.approx(100.0 + SECONDS, abs=0.01)
        feed.read_new()   # audio handed out since the start moves the end nearer "now" by as much
        assert feed.song_end(100.0, 0, 4) == pytest.approx(100.0 + SECONDS - feed.current.position, abs=0.01)
        assert feed.song_end(100.0, 1, 4) is None   # a resumed show on song 2 with song 1's track up: not its end
        feed.go_to(1)
        assert feed.song_end(50.0, 1, 4) == pytest.approx(56.0, abs=0.01)
        feed.go_to(2)                               # no track: silence until a song control moves on
        assert feed.song_end(50.0, 2, 4) is None
        feed.go_to(3)                               # the last song: the show runs on after its track
        assert feed.song_end(50.0, 3, 4) is None
    finally:
        feed.close()
