"""The live player's --tracks half: a song's track tells the show when it ends, and the next song follows.

A mixin of :class:`vj.live.app.Player` (its state lives there), split out as :mod:`vj.live.player_input` and
:mod:`vj.live.player_drawing` are, so the frame loop in :mod:`vj.live.app` reads on its own.
"""

from __future__ import annotations

from ..control import command
from ..engine import Event, SongEnds
from .messages import INFO, WARNING


class PlayerTracks:
    """What a feed of the setlist's own tracks (vj.live.tracks.SetlistTracks) asks of the player each frame."""

    def _track_end(self) -> list[Event]:
        """--tracks: when a song's track starts, the show learns when it ends and the next song flies in (as a
        rehearsal does; vj.live.tracks.SetlistTracks.song_end)."""
        feed = self.feed
        if not hasattr(feed, "song_end"):
            return []
        key = (feed.index, feed.changes, self.song)
        if key == self._track_seen:
            return []
        self._track_seen = key
        return [SongEnds(feed.song_end(self._t, self.song, len(self.plans)))]

    def _follow_tracks(self) -> None:
        """--tracks: a track that ended arms the next song; what the sound output said, once."""
        feed = self.feed
        said = feed.said() if hasattr(feed, "said") else (self.playback.said() if self.playback else "")
        if said and said != self._said_sound:
            self._said_sound = said
            self._say(WARNING if said.startswith("no sound") else INFO, said, key="sound")
        if hasattr(feed, "ended") and feed.ended:
            if self.song + 1 < len(self.plans) and feed.index == self.song:
                self.controls.submit(command("song/next", origin="track end"))
                feed.go_to(self.song + 1)   # at once: the controller arms the song at this frame's drain
            elif feed.index == len(self.plans) - 1 and self._said_end != feed.changes:
                self._said_end = feed.changes
                self._say(INFO, "the last song's track has ended; the show runs on (Ctrl+Q quits)", key="sound")
