"""Planning a show: which songs, on which banks, with which tracks and rules (before anything plays).

``plan_show`` turns what the performer names on the command line (a setlist, or a bank and a
track) into :class:`SongPlan` s.  Live play and rehearsal both start here, so they play the same
songs with the same rules; neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import BANKS
from ..bank import Bank, bank_dir, load_bank, measure_looks
from ..bank.model import BANK_FILE
from ..demo_show import MAKE_DEMO, is_demo_track
from ..engine import RULES, ShowRules
from ..errors import Problem, VjError, shown
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
    flow: bool = False                        #: order "flow": the engine picks each next clip by continuity
    #: what a lenient plan (``plan_show(..., lenient=True)``) left out of the song: a missing bank, damaged
    #: or missing clips, a missing track; the show plays without them and says them as warnings
    warnings: tuple[Problem, ...] = ()
    effects: tuple = ()                       #: its ISF effect chain (vj.setlist_fx.EffectSpec s), in order
    transition: Any = None                    #: the ISF transition its flights use (an EffectSpec); None: zoom
    #: seconds into ``audio`` where a bar starts (the setlist's ``downbeat``): only while ``audio`` is the song's
    #: own track (not another file passed with --audio); the show resyncs its bar line to them
    downbeats: tuple[float, ...] = ()

    @property
    def flight(self) -> str:
        """How its flights are drawn, as the engine names it: "" the zoom-through, else the transition's name."""
        return self.transition.name if self.transition is not None else ""

    @property
    def song_rules(self) -> dict:
        """The rules a song brings when it starts (every setting a setlist song may set), for ``StartSong``."""
        return {r.field: getattr(self.rules, r.field) for r in RULES if r.song}


def show_target(target: str | Path) -> str:
    """What `vj play` and `vj rehearse` were given, with a bank's own bank.toml taken as its folder: a performer
    names the file they edit, and it was read as a setlist ("missing required key 'songs'")."""
    path = Path(target)
    if path.name == BANK_FILE and path.is_file():
        return str(path.parent)
    return str(target)


def plan_show(target: str | Path, audio: Path | None = None, *, rules: ShowRules | None = None,
              banks_dir: Path | None = None, require_audio: bool = True, lenient: bool = False) -> list[SongPlan]:
    """Songs for ``vj rehearse TARGET`` (or ``vj play``): a setlist file, or a bank with ``--audio``.

    ``rules`` are the defaults a song's own settings change.  Rehearsal needs a track per song;
    live play (``require_audio=False``) listens instead.  Clips whose look was never measured (a bank
    edited by hand, a deleted ``.vj``) are measured now, so "auto" loops and "flow" orders are the
    same live and in rehearsal.  ``lenient`` (live play starting, perhaps
    after a crash; a rehearsal, which renders what play would show): a missing bank, track or clip, or a
    damaged clip, is left out of its song and listed in :attr:`SongPlan.warnings`, as it would be mid-show;
    only a setlist that cannot be read, a show with no playable clip at all, or (``require_audio``) a song
    without its track, raises.
    """
    kw = {"banks_dir": banks_dir} if banks_dir is not None else {}
    target_path = Path(target)
    base = rules or ShowRules()
    if target_path.suffix == ".toml" and not target_path.is_file():
        # a .toml names a setlist, never a bank: say the file is missing, not "no bank folder"
        raise VjError(Problem(target_path, "setlist file not found",
                              fix="check the path; setlists/demo.toml is an example to copy (docs/SETLISTS.md), and `vj play` alone plays the demo"))
    if lenient:
        return _lenient(target_path, audio, base, kw, require_audio)
    if target_path.suffix == ".toml" and target_path.is_file():
        setlist = load_setlist(target_path, **kw)
        plans = []
        problems = []
        banks: dict[str, Bank] = {}
        for i, song in enumerate(setlist.songs, 1):
            track = audio or song.audio
            if track is None and require_audio:
                problems.append(_no_audio(target_path, f"song {i} '{song.title}'"))
                continue
            try:
                song_rules = base.with_changes(song.rules)
            except ValueError as exc:
                problems.append(Problem(target_path, str(exc), where=f"song {i} '{song.title}'",
                                        fix="check the song's settings (docs/SETLISTS.md)"))
                continue
            bank = banks.get(song.bank) or measure_looks(load_bank(song.bank, **kw))
            banks[song.bank] = bank
            plans.append(SongPlan(song.title, bank, Path(track) if track else None, song_rules, song.tempo_hint,
                                  song.clip_order([c.id for c in bank.clips]), song.sections, song.bpm_range,
                                  flow=song.order == "flow", effects=song.effects, transition=song.transition,
                                  downbeats=_own_downbeats(song, track)))
        if problems:
            raise VjError(problems)
        return plans
    _require_a_bank(target, kw)
    if audio is None and require_audio:
        raise VjError(_bank_needs_a_track(target))
    bank = measure_looks(load_bank(str(target), **kw))
    return [SongPlan(bank.name, bank, Path(audio) if audio else None, base)]


def _lenient(target: Path, audio: Path | None, base: ShowRules, kw: dict,
             require_audio: bool = False) -> list[SongPlan]:
    """:func:`plan_show` for a show that must start: what is missing or damaged is left out, and said.

    A rehearsal (``require_audio``) still needs each song's track: the track is the show's clock."""
    if not (target.suffix == ".toml" and target.is_file()):
        _require_a_bank(target, kw)
        if audio is None and require_audio:
            raise VjError(_bank_needs_a_track(target))
        bank = _song_bank(str(target), kw, [])
        plans = [SongPlan(bank.name, bank, Path(audio) if audio else None, base, warnings=bank.warnings)]
        require_a_clip(plans)
        return plans
    try:
        setlist, said = load_setlist(target, **kw), []
    except VjError as exc:
        setlist = load_setlist(target, check_files=False, **kw)   # a setlist that does not read is still an error
        # a missing bank as the setlist check says it, with where such a bank is (--banks-dir)
        said = [p for p in exc.problems if isinstance(p, Problem)]
    plans = []
    no_track: list[Problem] = []
    for i, song in enumerate(setlist.songs, 1):
        where = f"song {i} '{song.title}'"
        warnings: list[Problem] = []
        missing = [p for p in said if p.where == f"{where}, field 'bank'"]
        bank = _song_bank(song.bank, kw, warnings, target, where, missing)
        track = audio or song.audio
        if require_audio and (track is None or not Path(track).is_file()):
            no_track.append(_no_audio(target, where) if track is None else
                            Problem(target, f"audio file not found: {shown(track)}", where=f"{where}, field 'audio'",
                                    fix=MAKE_DEMO if is_demo_track(track) else "fix the path, or pass --audio"))
            continue
        if track is not None and not Path(track).is_file():
            warnings.append(Problem(target, f"audio file not found: {shown(track)}; the song plays without it",
                                    where=f"{where}, field 'audio'",
                                    fix=MAKE_DEMO if is_demo_track(track) else "fix the path, or remove the line"))
            track = None
        known = {c.id for c in bank.clips} | set(bank.left_out)
        order = song.clip_order([c.id for c in bank.clips])
        if isinstance(song.order, tuple) and known:   # a bank that did not load is said once, not per clip
            for cid in song.order:
                if cid not in known:
                    warnings.append(Problem(target, f"order names clip '{cid}', which is not in bank '{bank.name}'; "
                                            "the song plays the others", where=f"{where}, field 'order'",
                                            fix="fix the id (`vj setlist check` lists the problems)"))
        try:
            song_rules = base.with_changes(song.rules)
        except ValueError as exc:
            warnings.append(Problem(target, f"{exc}; the song plays with the default settings", where=where,
                                    fix="check the song's settings (docs/SETLISTS.md)"))
            song_rules = base
        plans.append(SongPlan(song.title, bank, Path(track) if track else None, song_rules, song.tempo_hint,
                              order, song.sections, song.bpm_range, flow=song.order == "flow",
                              warnings=tuple(warnings), effects=song.effects, transition=song.transition,
                              downbeats=_own_downbeats(song, track)))
    if no_track:
        raise VjError(no_track)
    require_a_clip(plans)
    return plans


def _own_downbeats(song, track: Path | str | None) -> tuple[float, ...]:
    """The song's known downbeats where it plays its own track; none on another file (``--audio``)."""
    if track is None or song.audio is None or not song.downbeats:
        return ()
    same = Path(track).resolve() == Path(song.audio).resolve()
    return song.downbeats if same else ()


def _song_bank(name: str, kw: dict, warnings: list[Problem], setlist: Path | None = None, where: str = "",
               said: list[Problem] | None = None) -> Bank:
    """A song's bank, leniently: clips with problems left out; a bank that cannot be read is an empty one
    (its problem as ``said`` by the setlist's check, when it said one)."""
    try:
        bank = measure_looks(load_bank(name, lenient=True, **kw))   # as in rehearsal: "auto" loops, "flow"
    except VjError as exc:
        problems = said or [p for p in exc.problems if isinstance(p, Problem)] or [Problem(setlist or name, str(exc))]
        warnings += problems
        folder = bank_dir(name, kw.get("banks_dir", BANKS))
        return Bank(folder.name, folder, (), warnings=tuple(problems))
    warnings += bank.warnings
    return bank


def _require_a_bank(target: str | Path, kw: dict) -> None:
    """A name or path that is no bank at all (a typo: `vj rehearse nosuchbank`) is said alone, with the banks there
    are: it went on to "rehearsing a bank needs a track", or to "no clip can be played: put the clip files back"."""
    if not (bank_dir(str(target), kw.get("banks_dir", BANKS)) / BANK_FILE).is_file():
        load_bank(str(target), **kw)   # raises, saying which bank is not there and the banks there are


def _bank_needs_a_track(target: str | Path) -> Problem:
    return Problem(str(target), "rehearsing a bank needs a track",
                   fix=f"run `vj rehearse {target} --audio TRACK.flac --out show.mp4`")


def _no_audio(setlist: Path, where: str) -> Problem:
    """A song a rehearsal cannot play: it names no track (the track is the show's clock)."""
    return Problem(setlist, "no audio to rehearse against", where=f"{where}, field 'audio'",
                   fix="add `audio = \"path/to/track.flac\"` to the song, or pass --audio")


def require_a_clip(plans: list[SongPlan]) -> None:
    """Refuse a show none of whose songs has a playable clip (also the songs a rehearsal --from-song keeps)."""
    if not any(p.bank.clips for p in plans):
        said = [w for p in plans for w in p.warnings]
        gone = [p for p in plans if not (p.bank.path / BANK_FILE).is_file()]   # no bank there at all
        fix = ("put the clip files back (or fix the problems above) and start again" if not gone else
               "fix the songs' bank names (or make the banks, `vj bank import`) and start again"
               if len(gone) == len(plans) else "fix the problems above and start again")
        raise VjError([*said, Problem(plans[0].bank.path if plans else "setlist",
                                      "no clip of the show can be played, so there is nothing to show", fix=fix)])
