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

Parsing is table-driven (``SETLIST_FIELDS``, ``SONG_FIELDS``): the format will grow
sections, cues and clip orders by adding rows.  Every problem of the file is
reported at once, each with its line, so a VJ fixes the file in one pass.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import BANKS
from .bank import BANK_FILE, bank_dir, check_bank, list_banks
from .errors import Problem, VjError
from .tomlloc import REQUIRED, Field, LineIndex, choice_check, parse, range_check, read_table, read_text


@dataclass(frozen=True, slots=True)
class Section:
    """A point in a song (bar N, 1-based, or ``time`` seconds into it) where the show changes."""

    bar: int | None
    time: float | None
    rules: dict = field(default_factory=dict)   #: ShowRules changes (switch_bars, drift_per_bar, pulse, ...)
    cue: str | None = None                      #: fly into this clip
    blackout: bool | None = None
    line: int | None = None

    @property
    def label(self) -> str:
        return f"bar {self.bar}" if self.bar is not None else f"{self.time:g} s"


@dataclass(frozen=True, slots=True)
class Song:
    title: str
    bank: str  #: a bank name (banks/NAME) or an absolute path to a bank folder; pass it to load_bank
    audio: Path | None  #: absolute; None = no file (live input)
    tempo_hint: float | None  #: BPM, a hint for the beat tracker
    switch_bars: int = 8  #: zoom through to the next clip every N bars
    beats_per_bar: int = 4
    order: str | tuple[str, ...] = "bank"  #: "bank", "shuffle" or the clip ids in playing order
    rules: dict = field(default_factory=dict)  #: show rules the song sets (zoom_speed, pulse, motion_blur)
    bpm_range: tuple[float, float] | None = None
    sections: tuple[Section, ...] = ()

    def clip_order(self, clip_ids: list[str]) -> tuple[str, ...]:
        """The song's clips in playing order: the bank's, shuffled (the same every time), or as listed."""
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


SETLIST_FIELDS: tuple[Field, ...] = (
    Field("title", str, "", fix='write title = "Name of the show".'),
)
SONG_FIELDS: tuple[Field, ...] = (
    Field("title", str, REQUIRED, fix='write title = "Song name".'),
    Field("bank", str, REQUIRED, fix='name a bank in banks/ (e.g. bank = "demo") or give a path to a bank folder.'),
    Field("audio", str, None, fix="give the audio file's path, relative to this setlist's folder, or remove the line.",
          aliases=("file", "track", "song")),
    Field("tempo", float, None, check=range_check(30.0, 300.0),
          fix="tempo is the song's BPM (30 to 300); remove it to let the beat tracker decide.", aliases=("bpm",)),
    Field("switch_bars", int, 8, check=range_check(1, 256), fix="switch_bars is a whole number of bars, 1 or more.",
          aliases=("bars", "switch")),
    Field("beats_per_bar", int, 4, check=choice_check((3, 4)), fix="use 4 (4/4 time) or 3 (3/4 time).",
          aliases=("meter", "time_signature", "beats")),
)
def _order_check(v: Any) -> str | None:
    if isinstance(v, str):
        return None if v in ("bank", "shuffle") else f"'{v}' is not an order."
    if isinstance(v, (list, tuple)) and v and all(isinstance(x, str) for x in v):
        return None
    return "expected \"bank\", \"shuffle\" or a list of clip ids."


def _bpm_range_check(v: Any) -> str | None:
    lo, hi = v
    if not 30.0 <= lo < hi <= 300.0:
        return f"[{lo:g}, {hi:g}] is not a range within 30..300 BPM."
    return None


_ORDER_FIX = 'use order = "bank" (bank order), "shuffle", or a list of the bank\'s clip ids.'
#: song and section keys that set show rules: key -> ShowRules field
RULE_KEYS = {"zoom_speed": "drift_per_bar", "pulse": "pulse", "motion_blur": "motion_blur", "switch_bars": "switch_bars"}
SONG_FIELDS += (
    Field("order", object, "bank", check=_order_check, fix=_ORDER_FIX, aliases=("clips", "clip_order", "sequence")),
    Field("zoom_speed", float, None, check=range_check(0.0, 1.0),
          fix="zoom_speed is the slow push-in in doublings of scale per bar, 0 to 1 (default 0.125).",
          aliases=("zoom", "speed", "drift")),
    Field("pulse", float, None, check=range_check(0.0, 1.0), fix="pulse is the beat surge, 0 (off) to 1 (default 0.5)."),
    Field("motion_blur", float, None, check=range_check(0.0, 2.0), fix="motion_blur is 0 (off) to 2 (default 1).",
          aliases=("blur",)),
    Field("bpm_range", list, None, item=float, length=2, check=_bpm_range_check,
          fix="write bpm_range = [LOW, HIGH], e.g. [110, 130]: the tempi this song may have.",
          aliases=("range", "tempo_range")),
    Field("sections", list, (), item=dict, fix="write [[songs.sections]] tables under the song."),
)
SECTION_FIELDS: tuple[Field, ...] = (
    Field("bar", int, None, check=range_check(1, 100000), fix="bar is the song's bar number, 1 for the first.",
          aliases=("at", "bars")),
    Field("time", float, None, check=range_check(0.0, 36000.0), fix="time is seconds from the song's start.",
          aliases=("seconds", "at_time")),
    Field("switch_bars", int, None, check=range_check(1, 256), fix="switch_bars is a whole number of bars, 1 or more."),
    Field("zoom_speed", float, None, check=range_check(0.0, 1.0), fix="zoom_speed is 0 to 1 doublings per bar.",
          aliases=("zoom", "speed", "drift")),
    Field("pulse", float, None, check=range_check(0.0, 1.0), fix="pulse is 0 to 1."),
    Field("motion_blur", float, None, check=range_check(0.0, 2.0), fix="motion_blur is 0 to 2.", aliases=("blur",)),
    Field("cue", str, None, fix="cue = \"CLIP_ID\" flies into that clip of the song's bank.", aliases=("clip",)),
    Field("blackout", bool, None, fix="blackout = true or false."),
)
ROOT_FIELDS: tuple[Field, ...] = (
    Field("setlist", dict, {}, fix="write [setlist] as a table."),
    Field("songs", list, REQUIRED, item=dict, fix="add a [[songs]] table per song."),
)
#: TOML key -> Song attribute, where they differ.
SONG_ATTRS = {"tempo": "tempo_hint"}


def _is_path(text: str) -> bool:
    return "/" in text or os.sep in text or text.startswith((".", "~"))


def _read(path: Path, *, banks_dir: Path, check_files: bool) -> tuple[Setlist | None, list[Problem]]:
    path = Path(os.path.abspath(Path(path).expanduser()))
    text, problem = read_text(path)
    if problem is not None:
        return None, [problem]
    assert text is not None
    data, problem = parse(path, text)
    if problem is not None or data is None:
        return None, [problem] if problem else []
    lines = LineIndex(text)
    root, problems = read_table(data, ROOT_FIELDS, path=path, lines=lines, table="", index=None, where="setlist")
    head, probs = read_table(root.get("setlist", {}), SETLIST_FIELDS, path=path, lines=lines, table="setlist",
                             index=None, where="[setlist]")
    problems += probs
    title = head.get("title") or path.stem
    tables = list(root.get("songs", ()))
    if "songs" in root and not tables:
        problems.append(Problem(path, "the setlist has no songs.", "add a [[songs]] table with title and bank.",
                                lines.key("songs"), "setlist"))
    songs: list[Song] = []
    section_no = 0  # [[songs.sections]] headers are counted across the whole file
    for i, table in enumerate(tables):
        name = table.get("title")
        where = f"song {i + 1}" + (f" '{name}'" if isinstance(name, str) else "")
        values, song_probs = read_table(table, SONG_FIELDS, path=path, lines=lines, table="songs", index=i, where=where)
        sections, probs = _sections(values.get("sections") or (), path, lines, section_no, where)
        section_no += len(values.get("sections") or ())
        song_probs += probs
        problems += song_probs
        if song_probs:
            continue
        bank = values["bank"]
        if _is_path(bank):
            folder = Path(bank).expanduser()
            folder = Path(os.path.normpath(folder if folder.is_absolute() else path.parent / folder))
            if folder.name == BANK_FILE:
                folder = folder.parent
            bank = str(folder)
        audio = values["audio"]
        if audio is not None:
            audio = Path(audio).expanduser()
            audio = Path(os.path.normpath(audio if audio.is_absolute() else path.parent / audio))
        if check_files:
            folder = bank_dir(bank, banks_dir)
            if not (folder / BANK_FILE).is_file():
                known = list_banks(banks_dir)
                hint = f" Known banks: {', '.join(known)}." if known else ""
                problems.append(Problem(path, f"bank '{values['bank']}' not found (no {folder / BANK_FILE}).",
                                        f"check the name or path, or create it with `vj bank import`.{hint}",
                                        lines.key("bank", "songs", i), f"{where}, field 'bank'"))
            if audio is not None and not audio.is_file():
                problems.append(Problem(path, f"audio file not found: {audio}.",
                                        "fix the path (relative paths start at the setlist's folder) or remove the line.",
                                        lines.key("audio", "songs", i), f"{where}, field 'audio'"))
            if (folder / BANK_FILE).is_file():
                problems += _check_clip_ids(values, sections, bank, banks_dir, path, lines, i, where)
        rules = {RULE_KEYS[k]: values.pop(k) for k in ("zoom_speed", "pulse", "motion_blur") if values.get(k) is not None}
        for k in ("zoom_speed", "pulse", "motion_blur"):
            values.pop(k, None)
        order = values.pop("order")
        attrs: dict[str, Any] = {SONG_ATTRS.get(k, k): v for k, v in values.items()}
        attrs.update(bank=bank, audio=audio, rules=rules, sections=sections,
                     order=tuple(order) if isinstance(order, (list, tuple)) else order)
        songs.append(Song(**attrs))
    problems.sort(key=lambda p: p.line or 0)
    return Setlist(path=path, title=title, songs=tuple(songs)), problems


def _sections(tables, path: Path, lines: LineIndex, first: int, where: str) -> tuple[tuple[Section, ...], list[Problem]]:
    """The song's [[songs.sections]]: each at a bar or a time, each changing something."""
    out: list[Section] = []
    problems: list[Problem] = []
    for k, table in enumerate(tables):
        n = first + k
        swhere = f"{where}, section {k + 1}"
        values, probs = read_table(table, SECTION_FIELDS, path=path, lines=lines, table="songs.sections", index=n,
                                   where=swhere)
        problems += probs
        line = lines.table("songs.sections", n)
        if probs:  # a wrong value is reported as such, not again as "missing"
            continue
        if (values.get("bar") is None) == (values.get("time") is None):
            problems.append(Problem(path, "a section needs exactly one of bar or time.",
                                    "write bar = N (1 is the song's first bar) or time = SECONDS.", line, swhere))
        rules = {RULE_KEYS[key]: values[key] for key in ("switch_bars", "zoom_speed", "pulse", "motion_blur")
                 if values.get(key) is not None}
        if not rules and values.get("cue") is None and values.get("blackout") is None:
            problems.append(Problem(path, "the section changes nothing.",
                                    "add switch_bars, zoom_speed, pulse, motion_blur, cue or blackout.", line, swhere))
        else:
            out.append(Section(values.get("bar"), values.get("time"), rules, values.get("cue"), values.get("blackout"),
                               line))
    out.sort(key=lambda sec: (sec.bar is None, sec.bar or 0, sec.time or 0.0))
    return tuple(out), problems


def _check_clip_ids(values: dict, sections: tuple[Section, ...], bank: str, banks_dir: Path, path: Path,
                    lines: LineIndex, i: int, where: str) -> list[Problem]:
    """Clip ids named by the song's order and cues must be in its bank."""
    from .bank import load_bank

    try:
        ids = [c.id for c in load_bank(bank, banks_dir=banks_dir).clips]
    except VjError:
        return []  # the bank's own problems are reported by `vj bank check`
    known = f"Clips in the bank: {', '.join(ids[:12])}{', ...' if len(ids) > 12 else ''}."
    problems = []
    order = values.get("order")
    if isinstance(order, (list, tuple)):
        for cid in order:
            if cid not in ids:
                problems.append(Problem(path, f"order names clip '{cid}', which is not in the bank.",
                                        f"fix the id or remove it. {known}", lines.key("order", "songs", i),
                                        f"{where}, field 'order'"))
    for k, sec in enumerate(sections):
        if sec.cue is not None and sec.cue not in ids:
            problems.append(Problem(path, f"cue names clip '{sec.cue}', which is not in the bank.",
                                    f"fix the id. {known}", sec.line, f"{where}, section at {sec.label}, field 'cue'"))
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
    setlist, problems = _read(Path(path), banks_dir=banks_dir, check_files=True)
    if setlist is not None and banks:
        for folder in dict.fromkeys(bank_dir(song.bank, banks_dir) for song in setlist.songs):
            if (folder / BANK_FILE).is_file():  # a missing bank is already reported
                problems += check_bank(folder, deep=False)
    return problems
