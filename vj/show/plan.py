"""Planning a show: which songs, on which banks, with which tracks and rules (before anything plays).

``plan_show`` turns what the performer names on the command line (a setlist, or a bank and a
track) into :class:`SongPlan` s.  Live play and rehearsal both start here, so they play the same
songs with the same rules; neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..bank import Bank, load_bank
from ..engine import RULES, ShowRules
from ..errors import Problem, VjError
from ..setlist import Section, load_setlist


@dataclass(frozen=True, slots=True)
class SongPlan:
    """One song to play or render: its clips, its track and how the show moves."""

    title: str
    bank: Bank
    audio: Path | None
    rules: ShowRules
    tempo_hint: float | None = None
    clip_order: tuple[str, ...] = ()          #: the bank's clip ids in playing order (empty: bank order)
    sections: tuple[Section, ...] = ()        #: the song's sections and cues
    bpm_range: tuple[float, float] | None = None
    effects: tuple = ()                       #: its ISF effect chain (vj.setlist_fx.EffectSpec s), in order
    transition: Any = None                    #: the ISF transition its flights use (an EffectSpec); None: zoom

    @property
    def flight(self) -> str:
        """How its flights are drawn, as the engine names it: "" the zoom-through, else the transition's name."""
        return self.transition.name if self.transition is not None else ""

    @property
    def song_rules(self) -> dict:
        """The rules a song brings when it starts (every setting a setlist song may set), for ``StartSong``."""
        return {r.field: getattr(self.rules, r.field) for r in RULES if r.song}


def plan_show(target: str | Path, audio: Path | None = None, *, rules: ShowRules | None = None,
              banks_dir: Path | None = None, require_audio: bool = True) -> list[SongPlan]:
    """Songs for ``vj rehearse TARGET`` (or ``vj play``): a setlist file, or a bank with ``--audio``.

    ``rules`` are the defaults a song's own settings change.  Rehearsal needs a track per song;
    live play (``require_audio=False``) listens instead.
    """
    kw = {"banks_dir": banks_dir} if banks_dir is not None else {}
    target_path = Path(target)
    base = rules or ShowRules()
    if target_path.suffix == ".toml" and target_path.is_file():
        setlist = load_setlist(target_path, **kw)
        plans = []
        problems = []
        for i, song in enumerate(setlist.songs, 1):
            track = audio or song.audio
            if track is None and require_audio:
                problems.append(Problem(target_path, "no audio to rehearse against", where=f"song {i} '{song.title}', field 'audio'",
                                        fix="add `audio = \"path/to/track.flac\"` to the song, or pass --audio"))
                continue
            try:
                song_rules = base.with_changes(song.rules)
            except ValueError as exc:
                problems.append(Problem(target_path, str(exc), where=f"song {i} '{song.title}'",
                                        fix="check the song's settings (docs/SETLISTS.md)"))
                continue
            bank = load_bank(song.bank, **kw)
            plans.append(SongPlan(song.title, bank, Path(track) if track else None, song_rules, song.tempo_hint,
                                  song.clip_order([c.id for c in bank.clips]), song.sections, song.bpm_range,
                                  song.effects, song.transition))
        if problems:
            raise VjError(problems)
        return plans
    if audio is None and require_audio:
        raise VjError(Problem(str(target), "rehearsing a bank needs a track",
                              fix=f"run `vj rehearse {target} --audio TRACK.flac --out show.mp4`"))
    bank = load_bank(str(target), **kw)
    return [SongPlan(bank.name, bank, Path(audio) if audio else None, base)]
