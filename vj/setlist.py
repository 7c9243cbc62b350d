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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import BANKS
from .bank import BANK_FILE, bank_dir, check_bank, list_banks
from .errors import Problem, VjError
from .tomlloc import REQUIRED, Field, LineIndex, choice_check, parse, range_check, read_table, read_text


@dataclass(frozen=True, slots=True)
class Song:
    title: str
    bank: str  #: a bank name (banks/NAME) or an absolute path to a bank folder; pass it to load_bank
    audio: Path | None  #: absolute; None = no file (live input)
    tempo_hint: float | None  #: BPM, a hint for the beat tracker
    switch_bars: int = 8  #: zoom through to the next clip every N bars
    beats_per_bar: int = 4


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
    for i, table in enumerate(tables):
        name = table.get("title")
        where = f"song {i + 1}" + (f" '{name}'" if isinstance(name, str) else "")
        values, probs = read_table(table, SONG_FIELDS, path=path, lines=lines, table="songs", index=i, where=where)
        problems += probs
        if probs:
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
        attrs: dict[str, Any] = {SONG_ATTRS.get(k, k): v for k, v in values.items()}
        attrs.update(bank=bank, audio=audio)
        songs.append(Song(**attrs))
    problems.sort(key=lambda p: p.line or 0)
    return Setlist(path=path, title=title, songs=tuple(songs)), problems


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
