"""`vj play SETLIST --tracks`: each song's own recorded track in turn, heard and followed.

One :class:`~vj.audio.feed.AudioFeed` over the songs' tracks: the show listens to the current song's
track (a :class:`~vj.audio.file_input.FileInput`) and a playback child plays it out loud in step.  When
a track ends the player arms the next song (:attr:`SetlistTracks.ended`); ``N``/``P`` or any song
control moves to that song's track at once (:meth:`SetlistTracks.go_to`).  The show's time is the count
of samples heard, so it runs on without a jump across the change of track.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..audio import ANALYSIS_RATE
from ..audio.feed import InputStatus
from ..audio.file_input import FileInput
from ..audio.playback import Playback


class SetlistTracks:
    """The tracks of a setlist's songs (None: a song without a track is silence until the next song)."""

    def __init__(self, tracks: Sequence[Path | None], *, mute: bool = False, analysis_rate: int = ANALYSIS_RATE):
        self.tracks = [Path(t) if t is not None else None for t in tracks]
        self.mute = mute
        self.analysis_rate = analysis_rate
        self.index = 0
        self.changes = 0                       #: tracks started after the first
        self.current: FileInput | None = None
        self.playback: Playback | None = None
        #: why the current song's track does not play (it failed to open at a song change), said on the panel
        self.problem = ""

    def start(self) -> SetlistTracks:
        if self.current is None:
            self._open(0)
        return self

    def _open(self, index: int) -> None:
        self.close()   # the track playing, and its sound
        self.index = index
        self.problem = ""
        path = self.tracks[index] if 0 <= index < len(self.tracks) else None
        if path is None:  # no track for this song: silence, held until a song control moves on
            self._silence()
            return
        self.current = FileInput(path, self.analysis_rate).start()
        if not self.mute and self.current.started_at is not None:
            self.playback = Playback(path, self.current.started_at)

    def _silence(self) -> None:
        self.current = FileInput(np.zeros(self.analysis_rate, np.float32), self.analysis_rate, loop=True).start()

    def go_to(self, index: int) -> None:
        """Play song ``index``'s track from its start, now.  A track that does not open (not audio, cut short, a
        drive gone since the show started) is silence for that song, said: its error stopped vj play mid-show."""
        if 0 <= index < len(self.tracks) and (index != self.index or self.ended):
            try:
                self._open(index)
            except Exception as exc:
                self.close()   # whatever of it opened
                self._silence()
                self.problem = f"no sound from song {index + 1}'s track: {exc}; silence until the next song"
            self.changes += 1

    def song_end(self, now: float, song: int, n_songs: int) -> float | None:
        """Show time the playing track ends, when it is song ``song``'s own and a next song follows it (then the
        show holds its clip through the last half slot: ``SongEnds``); None for a song without a track (silence
        until a song control), the last song (the show runs on), or another song's track."""
        cur = self.current
        if cur is None or cur.loop or self.index != song or song + 1 >= n_songs:
            return None
        return now + max(cur.duration - cur.position, 0.0)

    @property
    def own_song(self) -> int | None:
        """The song whose own track plays (its known downbeats are in its time); None: silence, no track."""
        return self.index if self.current is not None and self.tracks[self.index] is not None and not self.problem \
            else None

    @property
    def position(self) -> float:
        """Seconds of the current track handed out so far."""
        return self.current.position if self.current is not None else 0.0

    @property
    def ended(self) -> bool:
        """The current song's track has played to its end."""
        cur = self.current
        return cur is not None and not cur.loop and cur.position >= cur.duration

    @property
    def label(self) -> str:
        path = self.tracks[self.index] if self.tracks else None
        return f"track {self.index + 1}/{len(self.tracks)}: {path.name if path else 'none (silence)'}"

    def said(self) -> str:
        if self.problem:
            return self.problem
        return self.playback.said() if self.playback is not None else ""

    def read_new(self) -> np.ndarray:
        return self.current.read_new() if self.current is not None else np.zeros(0, np.float32)

    def status(self) -> InputStatus:
        return self.current.status() if self.current is not None else InputStatus(
            device="", state="connecting", connected=False, sample_rate=0.0, analysis_rate=self.analysis_rate)

    def close(self) -> None:
        if self.playback is not None:
            self.playback.close()
            self.playback = None
        if self.current is not None:
            self.current.close()


def file_song(feed, plans: Sequence) -> int | None:
    """For a feed playing one file once (``--audio-file``, or a song's track when there is no input device): the
    song whose own track it is (the first with known downbeats), else None.  Its downbeats then hold in play."""
    from ..audio.file_input import FileInput

    if not isinstance(feed, FileInput) or feed.loop or not Path(feed.name).is_file():
        return None
    me = Path(feed.name).resolve()
    songs = [i for i, p in enumerate(plans) if p.audio is not None and Path(p.audio).resolve() == me]
    return next((i for i in songs if plans[i].downbeats), songs[0] if songs else None)


def heard_track(feed, file_song: int | None, heard: int, rate: int) -> tuple[int | None, int]:
    """(the song whose own track the show hears, the analyser sample that track began on), or (None, 0): live
    input, or silence.  ``heard``: samples the show has heard, counting this frame's not yet given to it: all the
    feed handed out, so the track began ``position`` before it.  ``file_song``: a one-file feed's song (file_song)."""
    song = feed.own_song if isinstance(feed, SetlistTracks) else file_song
    position = getattr(feed, "position", None)
    if song is None or position is None:
        return None, 0
    return song, heard - round(position * rate)
