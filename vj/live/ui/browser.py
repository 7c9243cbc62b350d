"""The clip browser's model: every clip of the show's banks, filtered by words and by tag.

Pure (no GL, no ImGui): the panel draws :attr:`ClipBrowser.shown` a screenful at a time, so a bank of
700 clips costs what one page costs.  The song's clips come first in the song's order with the numbers
keys 1-9 and MIDI pads cue (:func:`song_slots`), then the rest of the bank.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from ...bank import Clip

#: keys 1-9 cue the song's first nine clips (vj.live.keys; clip/cue N in vj.control.controller)
NUMBER_KEYS = 9


def song_slots(song_clip_ids: Sequence[str]) -> list[tuple[int, str]]:
    """(number, clip id) for each of the song's clips, in the song's order: number N is what key N,
    ``clip/cue N`` over OSC and pad N of a MIDI map cue (1-based, as ``clip/cue`` counts)."""
    return [(n, cid) for n, cid in enumerate(song_clip_ids, start=1)]


@dataclass(frozen=True, slots=True)
class Entry:
    clip_id: str            #: how the show names it
    clip: Clip
    number: int | None      #: its number in the current song (key N cues it), None if not in the song
    words: str              #: what the filter searches: id, prompt and tags, lower case


class ClipBrowser:
    """Every clip of the show, the current song's first; ``query`` (words) and ``tag`` narrow it."""

    def __init__(self, clips: Mapping[str, Clip], song_clip_ids: Sequence[str] = ()):
        self.clips = dict(clips)
        self.query = ""
        self.tag = ""
        self._shown: list[Entry] | None = None
        self.set_song(song_clip_ids)
        self.tags: list[tuple[str, int]] = Counter(t for c in self.clips.values() for t in c.tags).most_common()

    def set_song(self, song_clip_ids: Sequence[str]) -> None:
        numbers = {cid: n for n, cid in song_slots(song_clip_ids)}
        order = [cid for cid in song_clip_ids if cid in self.clips]
        order += [cid for cid in self.clips if cid not in numbers]
        self.entries = [Entry(cid, self.clips[cid], numbers.get(cid),
                              " ".join([cid, self.clips[cid].prompt, *self.clips[cid].tags]).lower())
                        for cid in order]
        self._shown = None

    def set_filter(self, query: str | None = None, tag: str | None = None) -> None:
        if query is not None and query != self.query:
            self.query, self._shown = query, None
        if tag is not None and tag != self.tag:
            self.tag, self._shown = tag, None

    @property
    def shown(self) -> list[Entry]:
        """The entries that match the filter (computed once per filter change)."""
        if self._shown is None:
            words = self.query.lower().split()
            self._shown = [e for e in self.entries
                           if all(w in e.words for w in words) and (not self.tag or self.tag in e.clip.tags)]
        return self._shown
