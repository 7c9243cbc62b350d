"""A bank's data model: the frozen dataclasses the engine, decoder and compositor consume (Clip, Bank),
what `vj bank import` did (ImportResult), and the file names and id pattern every part of a bank shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..clip_check import Finding
from ..errors import Problem, VjError
from ..focus.track import Key as FocusKey
from ..look.descriptor import ClipLook
from ..probe import ProbeInfo


BANK_FILE = "bank.toml"
STATE_DIR = ".vj"  # derived data only; safe to delete
CACHE_FILE = "probe.json"
PREVIEW_DIR = "previews"
FORMAT = 1

#: clip ids and bank names: letters, digits, '_', '-', '.' (not first): safe as file names and in setlists
ID_RE = re.compile(r"^\w[\w.-]*$")


@dataclass(frozen=True, slots=True)
class Clip:
    """One playable clip: a file plus how the VJ wants it played."""

    id: str  #: stable unique id within the bank (explicit, or the file stem de-duplicated)
    file: Path  #: absolute
    prompt: str = ""
    tags: tuple[str, ...] = ()
    in_point: float = 0.0  #: seconds
    out_point: float | None = None  #: seconds; None = the file's end
    loop: str = "loop"  #: as played: 'loop' | 'crossfade' | 'pingpong' | 'hold' ("auto" resolved, see loop_setting)
    #: where the camera heads at the in-point: source frame coords (0,0 top-left), see focus_source
    focus: tuple[float, float] = (0.5, 0.5)
    energy: float = 0.5  #: 0..1, how busy the clip feels
    fit: str = "fill"  #: how a clip of another shape than the screen is framed: 'fill' | 'fit' | 'blur'
    probe: ProbeInfo | None = None
    preview: Path | None = None  #: filmstrip PNG, when one has been made
    focus_source: str = "default"  #: 'hand' (bank.toml's focus), 'auto' (the measured track) or 'default'
    focus_confidence: float = 0.0  #: 1 for hand; the track's confidence otherwise
    focus_track: tuple[FocusKey, ...] = ()  #: the measured track as stored, (t, x, y, confidence) keyframes
    focus_follow: tuple[FocusKey, ...] = ()  #: the keyframes the show follows while it plays (auto only)
    loop_setting: str = "auto"  #: bank.toml's loop as written ('auto': chosen from the measured look)
    look: ClipLook | None = None  #: what import measured of its picture (None: not measured yet)

    @property
    def end(self) -> float | None:
        """Where playback wraps/stops: the out point, else the file's duration."""
        if self.out_point is not None:
            return self.out_point
        return self.probe.duration if self.probe else None

    @property
    def length(self) -> float | None:
        end = self.end
        return None if end is None else end - self.in_point


class ClipNotFound(VjError, KeyError):
    """``bank.clip(id)`` with an unknown id; a KeyError for code, a located message for people."""

    def __str__(self) -> str:  # KeyError would quote the message
        return VjError.__str__(self)


@dataclass(frozen=True, slots=True)
class Bank:
    name: str
    path: Path  #: the bank folder
    clips: tuple[Clip, ...]
    #: clips of bank.toml that a lenient load (``load_bank(..., lenient=True)``) left out, by id
    left_out: tuple[str, ...] = ()
    #: every problem a lenient load found (it plays without them; the show says them as warnings)
    warnings: tuple[Problem, ...] = ()
    _by_id: dict[str, Clip] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.clips})

    @property
    def toml(self) -> Path:
        return self.path / BANK_FILE

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.clips)

    def clip(self, id: str) -> Clip:
        try:
            return self._by_id[id]
        except KeyError:
            import difflib
            close = difflib.get_close_matches(id, list(self._by_id), n=3)
            hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
            raise ClipNotFound(Problem(self.toml, f"no clip with id '{id}'.", where=f"bank '{self.name}'",
                                       fix=f"{hint}`vj bank check {self.name}` lists the clips.")) from None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What `vj bank import` did, for its summary line."""

    bank: Path
    toml: Path
    added: tuple[str, ...]  #: ids appended to bank.toml
    kept: int  #: entries that were already there (untouched)
    vanished: tuple[Problem, ...]  #: entries whose file is gone (reported, not deleted)
    failed: tuple[Problem, ...]  #: files that could not be probed (left out)
    previews: int  #: filmstrips written
    rewritten: bool = False  #: --force replaced bank.toml
    measured: int = 0  #: focus tracks measured (new clips and kept ones that had none)
    #: what decoding each new clip's ends found (vj.clip_check): imported, but not fit for the stage as they are
    flagged: tuple[tuple[str, Finding], ...] = ()   #: (clip id, finding)
    #: new clips that ``fill`` (the bank's framing) would crop hard on a 16:9 screen: (clip id, share shown)
    cropped: tuple[tuple[str, float], ...] = ()
    interrupted: int = 0  #: new clips not imported because Ctrl+C stopped the import (the next import adds them)
    #: clips already in the bank whose preview, focus track or look Ctrl+C left unmade (the next import makes them)
    unfinished: int = 0

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{self.kept} kept"]
        if self.flagged:
            kinds: dict[str, int] = {}
            for _, finding in self.flagged:
                kinds[finding.kind] = kinds.get(finding.kind, 0) + 1
            clips = len({cid for cid, _ in self.flagged})
            parts.append(f"{clips} flagged ({', '.join(f'{n} {k}' for k, n in kinds.items())})")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        if self.vanished:
            parts.append(f"{len(self.vanished)} missing")
        if self.interrupted:
            parts.append(f"{self.interrupted} not yet imported (interrupted: run the same command again to add them)")
        if self.unfinished:
            parts.append(f"{self.unfinished} kept clips not yet measured (interrupted: run the same command again "
                         f"to finish them)")
        verb = "rewrote" if self.rewritten else "bank"
        return (f"vj: {verb} {self.toml}: {', '.join(parts)}, {self.previews} previews written, "
                f"{self.measured} focus tracks measured.")
