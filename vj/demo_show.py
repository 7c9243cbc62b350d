"""The demo show, set up where `vj play` looks for it: the demo bank, the demo setlist and its three tracks.

A checkout has the setlist in ``setlists/`` and `make demo` calls this; an installed vj (pip, pipx) ships the
setlist as package data and sets it up in the performer's data folder (``vj.SETLISTS``, ``vj.BANKS``), so
`vj demo` shows what vj does on a machine without the checkout.  One table (:data:`DEMO_TRACKS`) says which
tracks the demo setlist plays; the setlist's ``audio =`` lines name the same files.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from . import BANKS, ROOT, SETLISTS
from .fileio import atomic_write

#: the demo setlist's file name, in ``vj.SETLISTS``
DEMO_SETLIST = "demo.toml"
#: beside it, the hash of the text `vj demo` last wrote there: an unedited copy is updated when vj is
SHIPPED_STAMP = ".demo.toml.shipped"


@dataclass(frozen=True)
class DemoTrack:
    """One track of the demo setlist: its file under ``SETLISTS/audio`` and how it is synthesized."""
    name: str
    bpm: float
    seconds: float


#: the tracks setlists/demo.toml plays, song by song (its ``audio = "audio/NAME"`` lines)
DEMO_TRACKS = (DemoTrack("demo.flac", 120.0, 48.0), DemoTrack("demo-96.flac", 96.0, 30.0),
               DemoTrack("demo-140.flac", 140.0, 30.0))


#: how a fresh checkout (or install) makes the demo show's files, for the errors that meet them missing
MAKE_DEMO = "run `vj demo --no-play` (in a checkout: `make demo`): it builds the demo bank and writes the demo tracks"


def is_demo_track(path: Path | str | None) -> bool:
    """Whether ``path`` is one of the demo tracks `vj demo` writes (SETLISTS/audio/NAME): a fresh checkout has
    none, and "fix the path" was the wrong advice for them."""
    return path is not None and Path(path).name in {t.name for t in DEMO_TRACKS} and \
        Path(path).parent.name == "audio" and Path(path).parent.parent.resolve() == SETLISTS.resolve()


def shipped_setlist() -> str:
    """The demo setlist's text as vj ships it (``setlists/demo.toml``; in the wheel as ``vj.setlists``)."""
    try:
        from importlib.resources import files
        return (files("vj.setlists") / DEMO_SETLIST).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):   # a checkout on sys.path without any install
        return (ROOT / "setlists" / DEMO_SETLIST).read_text(encoding="utf-8")


def setup_demo(setlists: Path = SETLISTS, banks: Path = BANKS, say: Callable[[str], None] = print,
               **bank: Any) -> Path:
    """Make the demo show playable and return its setlist's path; what is already there is kept.

    Tracks already written are kept; the bank is rendered only when missing or stale
    (:func:`vj.bank.build_demo_bank` is idempotent; ``bank`` goes to it: size, seconds, fps, force, progress).
    The setlist is written last, so a setup cut short leaves none and `vj play` alone still says to run
    `vj demo`.  A setlist already there that the performer edited is theirs and never overwritten; one as an
    older vj wrote it (its text's hash in :data:`SHIPPED_STAMP`) is brought up to this vj's."""
    from .bank import build_demo_bank
    from .demo.track import write_demo_track

    for track in DEMO_TRACKS:
        out = setlists / "audio" / track.name
        if out.is_file():
            continue
        write_demo_track(out, bpm=track.bpm, seconds=track.seconds)
        say(f"vj: wrote the demo track {out} ({track.seconds:g} s at {track.bpm:g} BPM)")
    built = build_demo_bank(banks, **bank)
    say(f"vj: demo bank ready: {built.toml} ({len(built.clips)} clips)")
    setlist, stamp = setlists / DEMO_SETLIST, setlists / SHIPPED_STAMP
    text = shipped_setlist()
    if not setlist.is_file():
        setlists.mkdir(parents=True, exist_ok=True)
        atomic_write(setlist, text)
        atomic_write(stamp, _digest(text))
        say(f"vj: wrote the demo setlist {setlist}")
    elif stamp.is_file() and (now := setlist.read_text(encoding="utf-8")) != text:
        if _digest(now) == stamp.read_text(encoding="utf-8").strip():
            atomic_write(setlist, text)   # as an older vj wrote it, unedited: this vj's demo
            atomic_write(stamp, _digest(text))
            say(f"vj: updated the demo setlist {setlist} to this vj's")
        else:
            say(f"vj: kept your edited demo setlist {setlist}; this vj's differs (delete yours to get it)")
    return setlist


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
