"""Setlists: the songs of a show, each with its clip bank, audio and tempo hint.

Format 1 (``setlists/*.toml``, see docs/SETLISTS.md)::

    [setlist]
    title = "Demo set"
    [[songs]]
    title = "Opener"
    bank = "demo"
    audio = "audio/opener.flac"
    tempo = 124.0
    switch_bars = 8
    beats_per_bar = 4

Parsing is table-driven (``SETLIST_FIELDS``, ``SONG_FIELDS``, ``SECTION_FIELDS``).  The show
settings a song or a section may set (``switch_bars``, ``zoom_speed``, ``blur``, ...) are not
listed here: they are generated from the engine's table of show rules (``vj.engine.RULES``), so
a setlist spells and ranges them as the controls do.  Every problem of the file is reported at
once, each with its line, so a VJ fixes the file in one pass.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import BANKS, setlist_fx
from .audio import TEMPO_HINT_RANGE
from .bank import BANK_FILE, bank_dir, check_bank, list_banks
from .demo_show import MAKE_DEMO, is_demo_track
from .engine.rules import BY_NAME, DEFAULT_RULES, RULES, Rule, from_public
from .errors import Problem, VjError, shown
from .tomlloc import REQUIRED, Field, LineIndex, load_file, range_check, read_table


@dataclass(frozen=True, slots=True)
class Section:
    """A point in a song (bar N, 1-based, or ``time`` seconds into it) where the show changes."""

    bar: int | None
    time: float | None
    rules: dict = field(default_factory=dict)   #: ShowRules changes, by field name (switch_bars, drift_per_bar, ...)
    cue: str | None = None                      #: fly into this clip
    blackout: bool | None = None
    line: int | None = None
    effects: tuple = ()                         #: setlist_fx.EffectChange s: effects switched or re-bound
    transition: Any = None                      #: None: unchanged; "zoom"; or a setlist_fx.EffectSpec

    @property
    def label(self) -> str:
        return f"bar {self.bar}" if self.bar is not None else f"{self.time:g} s"


@dataclass(frozen=True, slots=True)
class Song:
    title: str
    bank: str  #: a bank name (banks/NAME) or an absolute path to a bank folder; pass it to load_bank
    audio: Path | None  #: absolute; None = no file (live input)
    tempo_hint: float | None  #: BPM, a hint for the beat tracker
    order: str | tuple[str, ...] = "bank"  #: "bank", "shuffle", "flow" or the clip ids in playing order
    rules: dict = field(default_factory=dict)  #: the show rules the song sets, by ShowRules field name
    bpm_range: tuple[float, float] | None = None
    sections: tuple[Section, ...] = ()
    effects: tuple = ()       #: setlist_fx.EffectSpec s: the song's effect chain on the output, in order
    transition: Any = None    #: a setlist_fx.EffectSpec drawing the song's flights; None: the zoom-through
    #: seconds into the song's own track where a bar starts (``downbeat =``), ascending: the show counts bars
    #: from the latest one heard, as from a performer's resync (R) there
    downbeats: tuple[float, ...] = ()

    @property
    def switch_bars(self) -> int:
        """Zoom through to the next clip every N bars."""
        return self.rules.get("switch_bars", DEFAULT_RULES.switch_bars)

    @property
    def beats_per_bar(self) -> int:
        return self.rules.get("beats_per_bar", DEFAULT_RULES.beats_per_bar)

    def clip_order(self, clip_ids: list[str]) -> tuple[str, ...]:
        """The song's clips in playing order: the bank's, shuffled (the same every time), or as listed.  With
        "flow" the show picks each next clip as it plays (this is the order it starts from)."""
        if isinstance(self.order, tuple):
            return self.order
        if self.order == "shuffle":
            import random
            ids = list(clip_ids)
            random.Random(self.title).shuffle(ids)
            return tuple(ids)
        return tuple(clip_ids)


@dataclass(frozen=True, slots=True)
class Setlist:
    path: Path
    title: str
    songs: tuple[Song, ...]


#: the named clip orders (a song may also list its clip ids)
ORDERS = ("bank", "shuffle", "flow")

SETLIST_FIELDS: tuple[Field, ...] = (
    Field("title", str, "", fix='write title = "Name of the show".'),
)
def _order_check(v: Any) -> str | None:
    if isinstance(v, str):
        return None if v in ORDERS else f"'{v}' is not an order."
    if isinstance(v, (list, tuple)) and v and all(isinstance(x, str) for x in v):
        twice = [x for k, x in enumerate(v) if x in v[:k]]
        if twice:   # the order goes on after a clip's first place: it flew from it into itself, song-long
            return (f"'{twice[0]}' is listed twice (list each clip once): the show would fly from it into itself "
                    f"and never reach the clips after it.")
        return None
    return "expected \"bank\", \"shuffle\", \"flow\" or a list of clip ids."


def _bpm_range_check(v: Any) -> str | None:
    lo, hi = v
    if not TEMPO_HINT_RANGE[0] <= lo < hi <= TEMPO_HINT_RANGE[1]:
        return f"[{lo:g}, {hi:g}] is not a range within {TEMPO_HINT_RANGE[0]:g}..{TEMPO_HINT_RANGE[1]:g} BPM."
    return None


#: Names people write by mistake for a show setting (hinted at in the error, not accepted).
_RULE_ALIASES = {"switch_bars": ("bars", "switch"), "beats_per_bar": ("meter", "time_signature", "beats"),
                 "zoom_speed": ("zoom", "speed", "drift"), "flight_beats": ("flight", "transition_beats"),
                 "zoom_depth": ("depth", "zoom_through"), "blur": ("motion", "blur_amount")}


def _rule_field(rule: Rule) -> Field:
    """The setlist key of a show setting, from the rules table."""
    lo, hi = rule.lo * rule.scale, rule.hi * rule.scale
    if rule.kind is int:   # "9 is above 7", not "above 7.0", for a whole number
        lo, hi = int(lo), int(hi)
    return Field(rule.name, rule.kind, None, check=range_check(lo, hi),
                 fix=f"{rule.name} takes a {rule.describe().split(': ', 1)[1]}: {rule.help}.",
                 aliases=_RULE_ALIASES.get(rule.name, ()))


def _downbeat_check(v: Any) -> str | None:
    """``downbeat``: one time or a list of times (seconds into the track), none negative, earliest first."""
    times = v if isinstance(v, (list, tuple)) else [v]
    if not times or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in times):
        return "expected seconds into the track (a number) or a list of them."
    for x in times:
        if not math.isfinite(x):   # TOML reads nan and inf: no time in a track, and nan stopped the show's clock
            return f"{x} is not a time in the track."
        if x < 0:
            return f"{x:g} is before the track's start."
    for a, b in zip(times, times[1:]):
        if b <= a:
            return f"{b:g} comes after {a:g}: the times are not ascending."
    return None


DOWNBEAT_FIX = ("downbeat is seconds into the song's own track where a bar starts (a 1), or a list of such times, "
                "earliest first: e.g. downbeat = 0.52 or [0.52, 95.3]; `vj beats TRACK` or a DAW shows where the 1s "
                "fall (docs/SETLISTS.md#known-downbeats).")


_ORDER_FIX = ('use order = "bank" (bank order), "shuffle", "flow" (each next clip the one that best continues the '
              'picture, at the music\'s energy), or a list of the bank\'s clip ids.')
SONG_FIELDS: tuple[Field, ...] = (
    Field("title", str, REQUIRED, fix='write title = "Song name".'),
    Field("bank", str, REQUIRED, fix='name a bank in banks/ (e.g. bank = "demo") or give a path to a bank folder.'),
    Field("audio", str, None, fix="give the audio file's path, relative to this setlist's folder, or remove the line.",
          aliases=("file", "track", "song")),
    Field("tempo", float, None, check=range_check(*TEMPO_HINT_RANGE),
          fix=f"tempo is the song's BPM ({TEMPO_HINT_RANGE[0]:g} to {TEMPO_HINT_RANGE[1]:g}); remove it to let the "
              "beat tracker decide.", aliases=("bpm",)),
    Field("order", object, "bank", check=_order_check, fix=_ORDER_FIX, aliases=("clips", "clip_order", "sequence")),
    Field("bpm_range", list, None, item=float, length=2, check=_bpm_range_check,
          fix="write bpm_range = [LOW, HIGH], e.g. [110, 130]: the tempi this song may have.",
          aliases=("range", "tempo_range")),
    Field("sections", list, (), item=dict, fix="write [[songs.sections]] tables under the song."),
    Field("effects", list, (), item=dict, fix='write [[songs.effects]] tables under the song, each with shader = "NAME" '
          "(docs/ISF.md).", aliases=("fx", "effect", "chain")),
    Field("transition", object, None, fix='write transition = "Slice Wipe" (an ISF transition instead of the '
          'zoom-through), "zoom", or {shader = "...", INPUT = ...}.', aliases=("flight", "transitions")),
    Field("downbeat", object, (), check=_downbeat_check, fix=DOWNBEAT_FIX,
          aliases=("downbeats", "anchor", "anchors", "bar_start", "first_beat", "one")),
    *(_rule_field(r) for r in RULES if r.song),
)
SECTION_FIELDS: tuple[Field, ...] = (
    Field("bar", int, None, check=range_check(1, 100000), fix="bar is the song's bar number, 1 for the first.",
          aliases=("at", "bars")),
    Field("time", float, None, check=range_check(0.0, 36000.0), fix="time is seconds from the song's start.",
          aliases=("seconds", "at_time")),
    Field("cue", str, None, fix="cue = \"CLIP_ID\" flies into that clip of the song's bank.", aliases=("clip",)),
    Field("blackout", bool, None, fix="blackout = true or false."),
    Field("effects", dict, None, fix="effects.NAME = {on = true, INPUT = ...} switches or re-binds an effect of the "
          "song.", aliases=("fx", "effect")),
    Field("transition", object, None, fix='transition = "Slice Wipe", "zoom" or {shader = "...", ...}.',
          aliases=("flight",)),
    *(_rule_field(r) for r in RULES if r.section),
)
#: earlier spellings of setting keys, still read: old name -> public name
RENAMED = {old: r.name for r in RULES for old in r.old_names}


def _renamed(table: Any) -> Any:
    """A song or section table with earlier spellings of setting keys (``motion_blur``) read as today's."""
    if not isinstance(table, dict) or not any(k in table for k in RENAMED):
        return table
    return {RENAMED[k] if k in RENAMED and RENAMED[k] not in table else k: v for k, v in table.items()}


def _rules(values: dict, fields: tuple[Field, ...]) -> dict:
    """The show settings among a table's values, by ShowRules field name (only those written)."""
    return from_public({f.key: values[f.key] for f in fields if f.key in BY_NAME and values.get(f.key) is not None})


ROOT_FIELDS: tuple[Field, ...] = (
    Field("setlist", dict, {}, fix="write [setlist] as a table."),
    Field("songs", list, REQUIRED, item=dict, fix="add a [[songs]] table per song."),
)
#: keys that are right in another table, by that table's header: a ``title`` above ``[setlist]`` or a ``bank`` in
#: it is told where it goes (``tomlloc.read_table``'s ``belongs``)
IN_SONGS = {f.key: "[[songs]]" for f in SONG_FIELDS}
IN_ROOT = IN_SONGS | {f.key: "[setlist]" for f in SETLIST_FIELDS}
#: TOML key -> Song attribute, where they differ.
SONG_ATTRS = {"tempo": "tempo_hint", "downbeat": "downbeats"}


def _is_path(text: str) -> bool:
    return "/" in text or os.sep in text or text.startswith((".", "~"))


def _read(path: Path, *, banks_dir: Path, check_files: bool,
          open_audio: bool = False) -> tuple[Setlist | None, list[Problem]]:
    path = Path(os.path.abspath(Path(path).expanduser()))
    data, lines, problem = load_file(path)
    if problem is not None or data is None or lines is None:
        return None, [problem] if problem else []
    root, problems = read_table(data, ROOT_FIELDS, path=path, lines=lines, table="", index=None, where="setlist",
                                belongs=IN_ROOT)
    head, probs = read_table(root.get("setlist", {}), SETLIST_FIELDS, path=path, lines=lines, table="setlist",
                             index=None, where="[setlist]", belongs=IN_SONGS)
    problems += probs
    title = head.get("title") or path.stem
    tables = list(root.get("songs", ()))
    if "songs" in root and not tables:
        problems.append(Problem(path, "the setlist has no songs.", "add a [[songs]] table with title and bank.",
                                lines.key("songs"), "setlist"))
    songs: list[Song] = []
    named: list[_Named] = []   # clip ids each song names, checked once every song's bank is known
    section_no = 0  # [[songs.sections]] headers are counted across the whole file
    effect_no = 0   # and so are [[songs.effects]]
    fx = setlist_fx.reader(path, lines)
    in_use = []
    for i, table in enumerate(tables):
        name = table.get("title")
        where = f"song {i + 1}" + (f" '{name}'" if isinstance(name, str) else "")
        values, song_probs = read_table(_renamed(table), SONG_FIELDS, path=path, lines=lines, table="songs", index=i,
                                        where=where)
        song_probs += _tempo_in_range(values, path, lines.key("tempo", "songs", i), where)
        # effects and sections written inline (effects = [{...}]) have no [[...]] headers to count or point at:
        # their problems point at the key's line, and the next song's tables are still counted right
        inline_fx, inline_sec = _inline(lines, "effects", i), _inline(lines, "sections", i)
        effects = fx.song_effects(values.get("effects") or [], effect_no, where, at=inline_fx)
        effect_no += 0 if inline_fx else len(values.get("effects") or ())
        transition = fx.transition(values.get("transition"), lines.key("transition", "songs", i), where)
        sections, cues, probs = _sections(values.get("sections") or (), path, lines,
                                          NO_HEADER if inline_sec else section_no, where, fx, effects)
        if inline_sec:
            probs = [p if p.line is not None else replace(p, line=inline_sec) for p in probs]
        section_no += 0 if inline_sec else len(values.get("sections") or ())
        in_use.append((where, setlist_fx.in_use(effects, transition, sections)))
        song_probs += probs
        problems += song_probs
        # the files are checked whatever else is wrong with the song: every problem in one pass
        bank = _bank_path(values["bank"], path) if "bank" in values else None
        audio = values.get("audio")
        if audio is not None:
            audio = Path(audio).expanduser()
            audio = Path(os.path.normpath(audio if audio.is_absolute() else path.parent / audio))
        if check_files:
            folder = bank_dir(bank, banks_dir) if bank is not None else None
            if folder is not None and not (folder / BANK_FILE).is_file():
                known = list_banks(banks_dir)
                hint = f" Known banks: {', '.join(known)}." if known else ""
                beside = path.parent / "banks"
                if beside.resolve() != Path(banks_dir).resolve() and (bank_dir(bank, beside) / BANK_FILE).is_file():
                    hint = f" There is one in {shown(beside)}: add --banks-dir {shown(beside)}, or write bank = \"banks/{bank}\"." + hint
                fix = (f"check the name or path, point --banks-dir at the folder that holds it, "
                       f"or create it with `vj bank import`.{hint}")
                if values["bank"] == "demo":   # a fresh checkout has no demo bank: it is generated, not imported
                    fix = f"{MAKE_DEMO}, or point --banks-dir at the folder that holds it.{hint}"
                problems.append(Problem(path, f"bank '{values['bank']}' not found (no {shown(folder / BANK_FILE)}).", fix,
                                        lines.key("bank", "songs", i), f"{where}, field 'bank'"))
            unreadable = _audio_unreadable(audio) if audio is not None and open_audio and audio.is_file() else None
            if audio is not None and audio.is_dir():
                problems.append(Problem(path, f"{shown(audio)} is a folder, not an audio file.",
                                        "name the track inside it, e.g. audio = \"tracks/song.flac\".",
                                        lines.key("audio", "songs", i), f"{where}, field 'audio'"))
            elif audio is not None and not audio.is_file():
                problems.append(Problem(path, f"audio file not found: {shown(audio)}.",
                                        f"{MAKE_DEMO}." if is_demo_track(audio) else
                                        "fix the path (relative paths start at the setlist's folder) or remove the line.",
                                        lines.key("audio", "songs", i), f"{where}, field 'audio'"))
            elif unreadable is not None:
                what, fix = unreadable
                problems.append(Problem(path, f"{shown(audio)} {what}", fix, lines.key("audio", "songs", i),
                                        f"{where}, field 'audio'"))
            if folder is not None and (folder / BANK_FILE).is_file():
                named.append(_Named(i, where, str(values["bank"]), bank, values.get("order"), cues))
        downbeats = _downbeats(values.get("downbeat"))
        problems += _downbeats_on_track(downbeats, audio, check_files, path, lines.key("downbeat", "songs", i), where)
        if song_probs:
            continue
        rules = _rules(values, SONG_FIELDS)
        for k in BY_NAME:
            values.pop(k, None)
        order = values.pop("order")
        attrs: dict[str, Any] = {SONG_ATTRS.get(k, k): v for k, v in values.items()}
        attrs.update(bank=bank, audio=audio, rules=rules, sections=sections, effects=effects, downbeats=downbeats,
                     transition=transition if isinstance(transition, setlist_fx.EffectSpec) else None,
                     order=tuple(order) if isinstance(order, (list, tuple)) else order)
        songs.append(Song(**attrs))
    fx.names_agree(in_use)
    problems += fx.problems
    problems += _check_clip_ids(named, banks_dir, path, lines)
    problems.sort(key=lambda p: (str(p.path) != str(path), str(p.path), p.line or 0))
    return Setlist(path=path, title=title, songs=tuple(songs)), problems


def _tempo_in_range(values: dict, path: Path, line: int | None, where: str) -> list[Problem]:
    """A tempo hint outside the song's own bpm_range contradicts it: the check said OK, and the rehearsal report
    then warned that the show ran outside the range for 100 % of the song."""
    tempo, span = values.get("tempo"), values.get("bpm_range")
    if tempo is None or span is None or span[0] <= tempo <= span[1]:
        return []
    return [Problem(path, f"tempo {tempo:g} is outside this song's bpm_range [{span[0]:g}, {span[1]:g}].",
                    f"make them agree: tempo is the song's BPM, bpm_range the tempi it may have (e.g. tempo = "
                    f"{(span[0] + span[1]) / 2:g}, or widen bpm_range to include {tempo:g}).", line,
                    f"{where}, field 'tempo'")]


def _downbeats(value: Any) -> tuple[float, ...]:
    """``downbeat`` as read (one number, a list, or the default ``()``): the times as a tuple of floats."""
    return tuple(float(x) for x in value) if isinstance(value, (list, tuple)) else (float(value),)


def _downbeats_on_track(times: tuple[float, ...], audio: Path | None, check_files: bool, path: Path,
                        line: int | None, where: str) -> list[Problem]:
    """Known downbeats need the song's own track (they are seconds into it) and must fall inside it."""
    if not times:
        return []
    fwhere = f"{where}, field 'downbeat'"
    if audio is None:
        return [Problem(path, "downbeat is set, but the song has no audio file: its times are seconds into the "
                              "song's own track.", "add audio = \"TRACK\" to the song, or remove the line (on live "
                              "input, press R on a downbeat: docs/PLAY.md).", line, fwhere)]
    length = _track_seconds(audio) if check_files and audio.is_file() else None
    if length is not None and times[-1] > length:
        return [Problem(path, f"downbeat {times[-1]:g} s is past the end of the track ({length:.2f} s, "
                              f"{shown(audio)}).", "give times within the track, or check that audio names the "
                              "right file.", line, fwhere)]
    return []


def _track_seconds(audio: Path) -> float | None:
    """The track's length from its header (nothing decoded); None where the file does not say it."""
    import av
    try:
        with av.open(str(audio)) as container:
            stream = container.streams.audio[0] if container.streams.audio else None
            if stream is not None and stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
            return container.duration / 1_000_000 if container.duration else None
    except (av.error.FFmpegError, OSError, UnicodeDecodeError):
        return None   # a track that does not open is said where it is played (vj.audio.file_source)


def _audio_unreadable(audio: Path) -> tuple[str, str] | None:
    """What keeps a track that exists from playing (not audio, no audio stream), with its fix; None when its
    header opens.  Only `vj setlist check` asks: the rehearsal refused such a track after the check said OK."""
    import av
    try:
        with av.open(str(audio)) as container:
            if container.streams.audio:
                return None
            return ("has no audio stream (a video without sound?).",
                    "name the track itself, or extract its audio: `ffmpeg -i FILE -vn out.flac`.")
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        why = (getattr(exc, "strerror", None) or str(exc)).strip().rstrip(".") or type(exc).__name__
        return (f"is not an audio file FFmpeg can read ({why}).",
                "convert it to FLAC or WAV (e.g. `ffmpeg -i TRACK out.flac`) and point audio at that.")


def _bank_path(bank: str, path: Path) -> str:
    """A song's bank: a name in banks/, or a folder path (relative to the setlist) made absolute."""
    if not _is_path(bank):
        return bank
    folder = Path(bank).expanduser()
    folder = Path(os.path.normpath(folder if folder.is_absolute() else path.parent / folder))
    if folder.name == BANK_FILE:
        folder = folder.parent
    return str(folder)


@dataclass(frozen=True, slots=True)
class _Cue:
    clip: str
    line: int | None    #: the ``cue = ...`` line
    where: str


@dataclass(frozen=True, slots=True)
class _Named:
    """The clip ids a song names (its order and its sections' cues), to check against its bank."""

    index: int
    where: str
    written: str        #: the bank as the setlist spells it
    bank: str           #: for load_bank
    order: Any
    cues: tuple[_Cue, ...]


#: an index no [[songs.sections]] header has: an inline table's keys are not looked up among the headers
NO_HEADER = 1 << 30


def _inline(lines: LineIndex, key: str, song: int) -> int | None:
    """The line of ``key = [...]`` written inline in the song-th [[songs]] table, or None (absent, or written as
    [[songs.KEY]] tables)."""
    line = lines.key(key, "songs", song)
    return line if line is not None and line != lines.table("songs", song) else None


def _sections(tables, path: Path, lines: LineIndex, first: int, where: str, fx=None,
              effects: tuple = ()) -> tuple[tuple[Section, ...], tuple[_Cue, ...], list[Problem]]:
    """The song's [[songs.sections]]: each at a bar or a time, each changing something; and every cue
    written well (also in a section with other problems, so its clip is checked in the same pass).
    ``fx``: the reader of effect tables, ``effects``: the song's."""
    fx = fx or setlist_fx.reader(path, lines)
    out: list[Section] = []
    cues: list[_Cue] = []
    problems: list[Problem] = []
    for k, table in enumerate(tables):
        n = first + k
        swhere = f"{where}, section {k + 1}"
        values, probs = read_table(_renamed(table), SECTION_FIELDS, path=path, lines=lines, table="songs.sections",
                                   index=n, where=swhere)
        problems += probs
        line = lines.table("songs.sections", n)
        if isinstance(values.get("cue"), str):
            at = (f"section at bar {values['bar']}" if values.get("bar") is not None else
                  f"section at {values['time']:g} s" if values.get("time") is not None else f"section {k + 1}")
            cues.append(_Cue(values["cue"], lines.key("cue", "songs.sections", n) or line,
                             f"{where}, {at}, field 'cue'"))
        if probs:  # a wrong value is reported as such, not again as "missing"
            continue
        if (values.get("bar") is None) == (values.get("time") is None):
            problems.append(Problem(path, "a section needs exactly one of bar or time.",
                                    "write bar = N (1 is the song's first bar) or time = SECONDS.", line, swhere))
        rules = _rules(values, SECTION_FIELDS)
        changes = fx.section_effects(values.get("effects"), effects, n, swhere)
        transition = fx.transition(values.get("transition"), lines.key("transition", "songs.sections", n), swhere)
        if not rules and values.get("cue") is None and values.get("blackout") is None and not changes \
                and transition is None and values.get("effects") is None:
            settings = ", ".join(r.name for r in RULES if r.section)
            problems.append(Problem(path, "the section changes nothing.",
                                    f"add {settings}, cue, blackout, effects or transition.", line, swhere))
        else:
            out.append(Section(values.get("bar"), values.get("time"), rules, values.get("cue"), values.get("blackout"),
                               line, changes, transition))
    out.sort(key=lambda sec: (sec.bar is None, sec.bar or 0, sec.time or 0.0))
    return tuple(out), tuple(cues), problems


def _check_clip_ids(named: list[_Named], banks_dir: Path, path: Path, lines: LineIndex) -> list[Problem]:
    """Clip ids named by each song's order and cues must be in its bank; one in another song's bank
    (a cue across banks) says where it is."""
    from .bank import load_bank

    ids: dict[str, list[str] | None] = {}
    for song in named:
        if song.bank not in ids:
            try:
                ids[song.bank] = [c.id for c in load_bank(song.bank, banks_dir=banks_dir).clips]
            except VjError:
                ids[song.bank] = None  # the bank's own problems are reported by `vj bank check`
    written = {song.bank: song.written for song in named}
    problems = []
    for song in named:
        mine = ids[song.bank]
        if mine is None:
            continue
        known = f"Clips in the bank: {', '.join(mine[:12])}{', ...' if len(mine) > 12 else ''}."

        def fix(cid: str, what: str) -> str:
            elsewhere = [written[b] for b, other in ids.items() if b != song.bank and other and cid in other]
            if elsewhere:
                return (f"'{cid}' is in bank '{elsewhere[0]}', not in this song's bank '{song.written}': a song plays "
                        f"only its own bank's clips. Use a clip of '{song.written}', or add the clip to it "
                        f"(`vj bank import`). {known}")
            return f"fix the id{what}. {known}"

        if isinstance(song.order, (list, tuple)):
            for cid in song.order:
                if cid not in mine:
                    problems.append(Problem(path, f"order names clip '{cid}', which is not in the bank.",
                                            fix(cid, " or remove it"), lines.key("order", "songs", song.index),
                                            f"{song.where}, field 'order'"))
        for cue in song.cues:
            if cue.clip not in mine:
                problems.append(Problem(path, f"cue names clip '{cue.clip}', which is not in the bank.",
                                        fix(cue.clip, ""), cue.line, cue.where))
    return problems


def load_setlist(path: str | Path, *, banks_dir: Path = BANKS, check_files: bool = True) -> Setlist:
    """Read a setlist; raises :class:`VjError` listing every problem (with lines and fixes).

    ``check_files`` also requires each song's bank folder and audio file to exist.
    """
    setlist, problems = _read(Path(path), banks_dir=banks_dir, check_files=check_files)
    if problems or setlist is None:
        raise VjError(problems)
    return setlist


def check_setlist(path: str | Path, *, banks_dir: Path = BANKS, banks: bool = True) -> list[Problem]:
    """Every problem in a setlist; with ``banks`` also a quick check of each bank it uses."""
    return checked_setlist(path, banks_dir=banks_dir, banks=banks)[1]


def checked_setlist(path: str | Path, *, banks_dir: Path = BANKS, banks: bool = True
                    ) -> tuple[Setlist | None, list[Problem]]:
    """The setlist (its songs that read well; None when the file does not read) and every problem in it, as
    :func:`check_setlist` finds them, from one reading of the file: `vj setlist check` goes on with the setlist
    it checked (its shaders), where it read the file a second time."""
    setlist, problems = _read(Path(path), banks_dir=banks_dir, check_files=True, open_audio=True)
    if setlist is not None and banks:
        for folder in dict.fromkeys(bank_dir(song.bank, banks_dir) for song in setlist.songs):
            if (folder / BANK_FILE).is_file():  # a missing bank is already reported
                problems += check_bank(folder, deep=False)
    return setlist, problems
