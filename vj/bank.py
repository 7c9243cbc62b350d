"""Clip banks: a folder with ``bank.toml`` listing clips, plus a cache in ``.vj/``.

``bank.toml`` is the VJ's file: they hand-edit focus points, in/out points and tags,
so the tools only ever *append* to it (see :func:`import_bank`).  Everything derived
(probe results, filmstrip previews) lives in ``.vj/`` and can be thrown away.
Clips are referenced, never copied: a bank of hundreds of GB points at the files
where they are.

The frozen dataclasses here are what the engine, decoder and compositor consume.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from . import BANKS
from .clip_check import Envelope, Finding
from .errors import Problem, VjError
from .fileio import atomic_write
from .focus import store as focus_store
from .focus.track import Key as FocusKey, resolve as resolve_focus
from .import_jobs import ImportJob, run_jobs
from .look.descriptor import ClipLook, auto_loop
from .look.store import FILE as LOOK_FILE, LookCache
from .probe import VIDEO_EXTENSIONS, ProbeCache, ProbeError, ProbeInfo, decode_check
from .preview import SPAN, write_filmstrip
from .progress import ProgressFn, report
from .engine import LOOP_MODES
from .engine.framing import DEFAULT_ASPECT, FITS, framing
from .tomlloc import (REQUIRED, Field, LineIndex, choice_check, load_file, parse, range_check, read_table, read_text,
                      toml_string)

BANK_FILE = "bank.toml"
STATE_DIR = ".vj"  # derived data only; safe to delete
CACHE_FILE = "probe.json"
PREVIEW_DIR = "previews"
FORMAT = 1

#: clip ids and bank names: letters, digits, '_', '-', '.' (not first): safe as file names and in setlists
_ID_RE = re.compile(r"^\w[\w.-]*$")
_SLUG_RE = re.compile(r"[^\w.-]+")


# ---- data model ------------------------------------------------------------------------------

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
        verb = "rewrote" if self.rewritten else "bank"
        return (f"vj: {verb} {self.toml}: {', '.join(parts)}, {self.previews} previews written, "
                f"{self.measured} focus tracks measured.")


# ---- schema ----------------------------------------------------------------------------------

def _id_check(v: str) -> str | None:
    return None if _ID_RE.match(v) else f"'{v}' is not a valid id."


def _focus_check(v: tuple[float, float]) -> str | None:
    if all(0.0 <= c <= 1.0 for c in v):
        return None
    return f"focus [{v[0]:g}, {v[1]:g}] is outside 0..1."


_FOCUS_FIX = "write focus = [x, y] with x and y between 0 and 1 (0, 0 = top-left, 0.5, 0.5 = centre)."

#: The keys of one [[clips]] table.  Add a row to grow the format.
CLIP_FIELDS: tuple[Field, ...] = (
    Field("id", str, None, check=_id_check,
          fix="use letters, digits, '_', '-' or '.', unique in the bank (it names the preview and setlist cues)."),
    Field("file", str, REQUIRED, fix="give the video's path, relative to the bank folder or absolute.",
          aliases=("path", "video", "filename")),
    Field("prompt", str, "", fix='write prompt = "text".', aliases=("description", "text")),
    Field("tags", list, (), item=str, fix='write tags = ["tag", "other"].'),
    Field("in", float, 0.0, check=range_check(0.0, None), fix="in is the start in seconds, 0 or more.",
          aliases=("in_point", "inpoint", "start")),
    Field("out", float, None, check=range_check(0.0, None, lo_open=True),
          fix="out is the end in seconds, after 'in'; remove it to play to the end.",
          aliases=("out_point", "outpoint", "end", "stop")),
    Field("loop", str, "auto", check=choice_check(LOOP_MODES), fix=f"use one of: {', '.join(LOOP_MODES)}.",
          aliases=("mode", "loop_mode", "playback")),
    Field("focus", list, (0.5, 0.5), item=float, length=2, check=_focus_check, fix=_FOCUS_FIX,
          aliases=("focus_point", "center", "centre", "zoom")),
    Field("energy", float, 0.5, check=range_check(0.0, 1.0), fix="energy is a number from 0 (calm) to 1 (wild)."),
    Field("fit", str, None, check=choice_check(FITS),
          fix="use fill (crop to the screen's shape), fit (whole picture, black bars) or blur (whole picture over a "
              "blurred copy of itself).", aliases=("framing", "aspect", "scale")),
    focus_store.FIELD,
)
BANK_FIELDS: tuple[Field, ...] = (
    Field("format", int, FORMAT, check=choice_check((FORMAT,)), fix=f"this vj reads format = {FORMAT}."),
    Field("notes", str, "", fix='write notes = "text".'),
    Field("fit", str, "fill", check=choice_check(FITS),
          fix="use fill (crop to the screen's shape), fit (whole picture, black bars) or blur (whole picture over a "
              "blurred copy of itself); a clip's own fit wins.", aliases=("framing", "aspect", "scale")),
)
ROOT_FIELDS: tuple[Field, ...] = (
    Field("bank", dict, {}, fix="write [bank] as a table."),
    Field("clips", list, (), item=dict, fix="write each clip as a [[clips]] table."),
)


# ---- locating banks --------------------------------------------------------------------------

def bank_dir(name_or_path: str | Path, banks_dir: Path = BANKS) -> Path:
    """A bank name means ``banks_dir/NAME``; anything path-like is the folder (or its bank.toml)."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or "/" in text or os.sep in text or text.startswith((".", "~")):
        path = Path(text).expanduser()
        if path.name == BANK_FILE:
            path = path.parent
        return Path(os.path.abspath(path))
    return Path(banks_dir) / text


def list_banks(banks_dir: Path = BANKS) -> list[str]:
    try:
        return sorted(p.name for p in Path(banks_dir).iterdir() if (p / BANK_FILE).is_file())
    except OSError:
        return []


def resolve_file(bank: Path, file: str) -> Path:
    """Absolute, normalised path of a clip's ``file`` (relative paths start at the bank folder)."""
    p = Path(file).expanduser()
    return Path(os.path.normpath(p if p.is_absolute() else bank / p))


def slug(stem: str) -> str:
    return _SLUG_RE.sub("-", stem).strip("-.") or "clip"


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free; records it in ``taken``."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def assign_ids(tables: Sequence[Any]) -> list[str | None]:
    """Ids for raw [[clips]] tables: explicit valid ids first, then file stems de-duplicated.

    Explicit ids win so that hand-chosen names never change; a derived id that
    collides gets ``-2``, ``-3``... in file order.  None where neither exists.
    """
    ids: list[str | None] = [None] * len(tables)
    taken: set[str] = set()
    for i, t in enumerate(tables):
        cid = t.get("id") if isinstance(t, dict) else None
        if isinstance(cid, str) and _ID_RE.match(cid):
            ids[i] = cid
            taken.add(cid)
    for i, t in enumerate(tables):
        if ids[i] is None and isinstance(t, dict) and "id" not in t and isinstance(t.get("file"), str):
            ids[i] = unique_id(slug(Path(t["file"]).stem), taken)
    return ids


# ---- reading and checking --------------------------------------------------------------------

@dataclass(slots=True)
class _Read:
    """A bank.toml read so far: its parsed data, lines and problems."""

    dir: Path
    toml: Path
    name: str
    data: dict[str, Any] | None = None
    lines: LineIndex | None = None
    problems: list[Problem] = field(default_factory=list)


def _read_toml(dir: Path) -> _Read:
    r = _Read(dir, dir / BANK_FILE, dir.name)
    if not r.toml.is_file():
        names = list_banks(dir.parent)
        known = f" Banks here: {', '.join(names)}." if names else ""
        what = "no bank folder" if not dir.is_dir() else f"no {BANK_FILE} in the bank folder"
        r.problems.append(Problem(r.toml, f"{what}.", where=f"bank '{r.name}'",
                                  fix=f"check the name, or create it with `vj bank import CLIPS_DIR --name {r.name}`.{known}"))
        return r
    r.data, r.lines, problem = load_file(r.toml)
    if problem is not None:
        r.problems.append(Problem(problem.path, problem.message, problem.fix, problem.line, f"bank '{r.name}'"))
    return r


def _scan_bank(dir: Path, *, deep: bool, progress: ProgressFn | None = None) -> tuple[Bank | None, list[Problem]]:
    """Read, validate and probe a bank; return the Bank (None if unusable) and every problem."""
    r = _read_toml(dir)
    if r.data is None or r.lines is None:
        return None, r.problems
    lines, toml, name = r.lines, r.toml, r.name
    problems = r.problems
    where = f"bank '{name}'"
    root, probs = read_table(r.data, ROOT_FIELDS, path=toml, lines=lines, table="", index=None, where=where)
    problems += probs
    bank_fit = "fill"
    if "bank" in root:
        head, probs = read_table(root["bank"], BANK_FIELDS, path=toml, lines=lines, table="bank", index=None,
                                 where=f"{where}, [bank]")
        problems += probs
        bank_fit = head.get("fit") or "fill"
    tables = list(root.get("clips", ()))
    if not tables and not problems:
        problems.append(Problem(toml, "the bank has no clips.", where=where,
                                fix=f"add [[clips]] tables with file = \"...\", or run `vj bank import CLIPS_DIR --name {name}`."))
    ids = assign_ids(tables)
    first_use: dict[str, int] = {}
    cache = ProbeCache(dir / STATE_DIR / CACHE_FILE)
    looks = LookCache(dir / STATE_DIR / LOOK_FILE)
    previews = _existing_previews(dir)
    clips: list[Clip] = []
    left_out: list[str] = []
    for i, table in enumerate(tables):
        report(progress, i, len(tables), str(table.get("file", "")) if isinstance(table, dict) else "")
        cid = ids[i]
        cwhere = f"{where}, clip '{cid}'" if cid else f"{where}, clip #{i + 1}"
        values, probs = read_table(table, CLIP_FIELDS, path=toml, lines=lines, table="clips", index=i, where=cwhere)
        bad = bool(probs)
        problems += probs

        def problem(fieldname: str, message: str, fix: str) -> None:
            problems.append(Problem(toml, message, fix, lines.key(fieldname, "clips", i), f"{cwhere}, field '{fieldname}'"))

        if cid is not None and isinstance(table.get("id"), str):
            if cid in first_use:
                other = lines.table("clips", first_use[cid])
                problem("id", f"duplicate id '{cid}': the clip at line {other} already uses it.",
                        "give each clip a unique id.")
                bad = True
            else:
                first_use[cid] = i
        in_point, out_point = values.get("in", 0.0), values.get("out")
        if out_point is not None and in_point is not None and out_point <= in_point:
            problem("out", f"out ({out_point:g} s) is not after in ({in_point:g} s).",
                    "make out larger than in, or remove out to play to the end.")
            bad = True
        info: ProbeInfo | None = None
        if "file" in values:
            path = resolve_file(dir, values["file"])
            if not path.exists():
                problem("file", f"clip file not found: {path}.",
                        f"fix the path (relative paths start at {dir}), or delete this [[clips]] table.")
                bad = True
            else:
                try:
                    info = cache.get(path)
                except ProbeError as exc:
                    problem("file", f"clip file {path} {exc.reason}", f"{exc.fix}, or delete this [[clips]] table.")
                    bad = True
            if info is not None:
                tol = 0.5 / info.fps
                if out_point is not None and out_point > info.duration + tol:
                    problem("out", f"out ({out_point:g} s) is past the end of the file ({info.duration:.3f} s).",
                            f"set out to at most {info.duration:.3f}, or remove it to play to the end.")
                    bad = True
                if in_point is not None and in_point >= info.duration:
                    problem("in", f"in ({in_point:g} s) is at or past the end of the file ({info.duration:.3f} s).",
                            f"set in below {info.duration:.3f}.")
                    bad = True
                if deep and not bad:
                    end = out_point if out_point is not None else info.duration
                    failure = decode_check(path, end, info.fps)
                    if failure:
                        problem("file", f"clip file {path} {failure}",
                                "re-export or re-download the clip, or set out before the damage.")
                        bad = True
        if bad or cid is None or info is None:
            left_out.append(cid or f"#{i + 1}")
        else:
            look = looks.get(path, in_point, out_point)
            track = focus_store.as_track(values[focus_store.KEY])
            hand = (values["focus"][0], values["focus"][1]) if "focus" in table else None
            aim = resolve_focus(hand, track, in_point)
            clips.append(Clip(id=cid, file=path, prompt=values["prompt"], tags=tuple(values["tags"]),
                              in_point=in_point, out_point=out_point, loop=played_loop(values["loop"], look),
                              loop_setting=values["loop"], look=look,
                              focus=aim.focus, energy=values["energy"], fit=values.get("fit") or bank_fit, probe=info,
                              preview=dir / STATE_DIR / PREVIEW_DIR / f"{cid}.png" if f"{cid}.png" in previews else None,
                              focus_source=aim.source, focus_confidence=aim.confidence, focus_track=track,
                              focus_follow=aim.follow))
    report(progress, len(tables), len(tables), "")
    cache.prune({resolve_file(dir, t["file"]) for t in tables if isinstance(t.get("file"), str)})
    cache.save()
    problems.sort(key=lambda p: p.line or 0)  # read like a compiler: top to bottom
    return Bank(name=name, path=dir, clips=tuple(clips), left_out=tuple(left_out), warnings=tuple(problems)), problems


def played_loop(setting: str, look: ClipLook | None) -> str:
    """The loop mode a clip plays: as written, or for "auto" the one its measured look calls for."""
    return auto_loop(look) if setting == "auto" else setting


def measure_looks(bank: Bank, progress: ProgressFn | None = None) -> Bank:
    """``bank`` with every clip's look measured (those the cache lacks are measured now and cached), and
    "auto" loops resolved from them.  The show calls this before it plays, so live and rehearsal agree."""
    from .look.measure import LookError, measure_look  # OpenCV loads only when measuring

    cache = LookCache(bank.path / STATE_DIR / LOOK_FILE)
    missing = [c for c in bank.clips if c.look is None]
    clips = {}
    for n, c in enumerate(missing):
        report(progress, n, len(missing), c.file.name)
        look = cache.get(c.file, c.in_point, c.out_point)
        if look is None:
            try:
                look = measure_look(c.file, in_point=c.in_point, out_point=c.out_point,
                                    duration=c.probe.duration if c.probe else None)
            except LookError:
                continue  # unreadable for measuring: it plays as written, "auto" crossfades
            cache.put(c.file, look, c.in_point, c.out_point)
        clips[c.id] = replace(c, look=look, loop=played_loop(c.loop_setting, look))
    report(progress, len(missing), len(missing), "")
    cache.save()
    if not clips:
        return bank
    return Bank(bank.name, bank.path, tuple(clips.get(c.id, c) for c in bank.clips), bank.left_out, bank.warnings)


def _existing_previews(dir: Path) -> set[str]:
    try:
        return set(os.listdir(dir / STATE_DIR / PREVIEW_DIR))
    except OSError:
        return set()


def load_bank(name_or_path: str | Path, *, banks_dir: Path = BANKS, lenient: bool = False) -> Bank:
    """Load a bank for playing; raises :class:`VjError` listing every problem.

    ``lenient`` (a show starting, perhaps right after a crash): clips with a problem (a missing or
    damaged file, a bad field) are left out, as they would be mid-show, and listed in
    :attr:`Bank.left_out`; only a bank.toml that cannot be read at all still raises.
    Clip files with a fresh probe-cache entry are only ``stat``-ed, never opened.
    """
    bank, problems = _scan_bank(bank_dir(name_or_path, banks_dir), deep=False)
    if bank is None or (problems and not lenient):
        raise VjError(problems)
    return bank


def check_bank(name_or_path: str | Path, *, banks_dir: Path = BANKS, deep: bool = True,
               progress: ProgressFn | None = None) -> list[Problem]:
    """Every problem in a bank; ``deep`` also decodes each clip's first frame and its end."""
    return _scan_bank(bank_dir(name_or_path, banks_dir), deep=deep, progress=progress)[1]


# ---- writing bank.toml -----------------------------------------------------------------------

HEADER = """\
# vj clip bank.  One [[clips]] table per clip; see docs/BANKS.md.
# Edit freely: `vj bank import` appends new clips and adds a measured focus_track to clips
# that lack one; it never changes a line you wrote.
#   file   = video path, relative to this folder or absolute
#   in/out = seconds; loop = "auto" | "loop" | "crossfade" | "pingpong" | "hold"
#   focus  = [x, y] in 0..1 (0, 0 = top-left): where the camera zooms and the next clip emerges;
#            set by hand it always wins over focus_track, which import measures from the motion
#   energy = 0..1
#   fit    = "fill" (crop to the screen's shape) | "fit" (black bars) | "blur" (over a blurred copy);
#            [bank] fit sets every clip's, a clip's own wins
[bank]
format = 1
"""


def _num(x: float) -> str:
    text = repr(float(x))
    return text if ("." in text or "e" in text or "n" in text) else text + ".0"


@dataclass(frozen=True, slots=True)
class Entry:
    """A [[clips]] table to write."""

    id: str
    file: str
    prompt: str = ""
    tags: tuple[str, ...] = ()
    focus: tuple[float, float] | None = None  #: written as a hand-set focus (the demo bank's known ones)
    energy: float = 0.5
    info: ProbeInfo | None = None
    track: tuple[FocusKey, ...] | None = None  #: a measured focus track (None: not measured)

    def toml(self) -> str:
        out = ["", "[[clips]]"]
        if self.info:
            out.append(f"# {self.info.describe()}")
        out += [f"id = {toml_string(self.id)}",
                f"file = {toml_string(self.file)}",
                f"prompt = {toml_string(self.prompt)}",
                f"tags = [{', '.join(toml_string(t) for t in self.tags)}]",
                "in = 0.0"]
        if self.info:
            out.append(f"# out = {self.info.duration:.3f}")
        out.append('loop = "auto"')
        if self.focus is not None:
            out.append(f"focus = [{_num(self.focus[0])}, {_num(self.focus[1])}]")
        if self.track is not None:
            out += focus_store.toml_lines(self.track)
        out.append(f"energy = {_num(self.energy)}")
        return "\n".join(out) + "\n"


def _file_text(bank: Path, file: Path) -> str:
    """How bank.toml refers to a file: relative inside the bank folder, absolute elsewhere."""
    try:
        return file.relative_to(bank).as_posix()
    except ValueError:
        return str(file)


def scan_videos(src: Path) -> list[Path]:
    """Video files under ``src`` (recursive, sorted, hidden folders skipped)."""
    found = []
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and f.lower().endswith(VIDEO_EXTENSIONS):
                found.append(Path(root) / f)
    return found


def _sidecar_prompt(file: Path) -> str:
    """Generators often leave the prompt beside the clip as ``STEM.txt``."""
    try:
        return file.with_suffix(".txt").read_text(encoding="utf-8").strip()[:2000]
    except (OSError, UnicodeDecodeError):
        return ""


def _preview(dir: Path, cid: str, file: Path, info: ProbeInfo) -> Path:
    """The clip's filmstrip, with the part a 16:9 screen shows with ``fit = "fill"`` marked."""
    crop = framing(info.width / max(info.height, 1), DEFAULT_ASPECT, "fill").visible()
    return write_filmstrip(file, dir / STATE_DIR / PREVIEW_DIR / f"{cid}.png", span=min(SPAN, info.duration), crop=crop)


# ---- import ----------------------------------------------------------------------------------

def import_bank(src_dir: Path, name: str, *, banks_dir: Path = BANKS, progress: ProgressFn | None = None,
                ask: Callable[[str], bool] | None = None, force: bool = False, focus: bool = True,
                workers: int | None = None, envelope: Envelope | None = Envelope()) -> ImportResult:
    """Probe every video under ``src_dir`` into ``banks_dir/name`` (files are referenced, not copied).

    An existing bank.toml is merged: its bytes are kept as they are, new clips are
    appended, and kept clips without a ``focus_track`` get one inserted after their
    ``[[clips]]`` line.  ``force`` rewrites it from scratch, but only when ``ask``
    (a y/N question) confirms; with no ``ask`` (no terminal) it refuses.  ``focus``
    measures focus tracks (:mod:`vj.focus.estimate`); previews and tracks are made
    on ``workers`` threads (default :data:`IMPORT_WORKERS`).  Each new clip's first and last second
    are decoded and judged against ``envelope`` (:mod:`vj.clip_check`; None: not checked): what does
    not fit is imported and listed in :attr:`ImportResult.flagged`.
    """
    src = Path(os.path.abspath(Path(src_dir).expanduser()))
    if not _ID_RE.match(name):
        raise VjError(Problem(name, "not a valid bank name.", fix="use letters, digits, '_', '-' or '.' (it becomes banks/NAME)."))
    dir = Path(banks_dir) / name
    toml = dir / BANK_FILE
    if not src.is_dir():
        raise VjError(Problem(src, "not a folder.", fix="give the folder that holds the clips."))
    files = scan_videos(src)
    if not files:
        raise VjError(Problem(src, "no video files found.", fix=f"put clips ({', '.join(VIDEO_EXTENSIONS[:5])}...) in it."))

    old_text: str | None = None
    old_tables: list[Any] = []
    old_data: dict[str, Any] = {}
    rewritten = False
    if toml.exists():
        if force:
            if ask is None:
                raise VjError(Problem(toml, "refusing to overwrite a bank.toml without confirmation (no terminal to ask).",
                                      fix="run the command in a terminal and answer y, or delete bank.toml yourself, "
                                          "or leave out --force to merge new clips into it."))
            if not ask(f"Overwrite {toml}? Your edits and comments in it will be lost."):
                raise VjError(Problem(toml, "not overwritten (you answered no).",
                                      fix="leave out --force to merge new clips into it instead."))
            rewritten = True
        else:
            r = _read_toml(dir)
            if r.data is None:
                raise VjError([*r.problems, Problem(toml, "cannot merge into a bank.toml that does not parse.",
                                                    fix=f"fix it first (`vj bank check {name}`), or re-import with --force.")])
            assert r.lines is not None
            if r.lines.root_key("clips") is not None:
                raise VjError(Problem(toml, "clips are written as an inline array, so new [[clips]] tables cannot be appended.",
                                      line=r.lines.root_key("clips"), fix="write each clip as a [[clips]] table."))
            old_text = read_text(toml)[0]
            old_data = r.data
            raw = r.data.get("clips", [])
            old_tables = raw if isinstance(raw, list) else []

    taken: set[str] = {i for i in assign_ids(old_tables) if i is not None}
    known: dict[Path, int] = {}
    vanished: list[Problem] = []
    if old_text is not None:
        lines = LineIndex(old_text)
        for i, t in enumerate(old_tables):
            if isinstance(t, dict) and isinstance(t.get("file"), str):
                path = resolve_file(dir, t["file"])
                known[path] = i
                if not path.exists():
                    vanished.append(Problem(toml, f"clip file is gone: {path}.", line=lines.key("file", "clips", i),
                                            where=f"bank '{name}', clip #{i + 1}, field 'file'",
                                            fix="restore the file, or delete this [[clips]] table."))
    new_files = [f for f in files if Path(os.path.normpath(f)) not in known]

    cache = ProbeCache(dir / STATE_DIR / CACHE_FILE)
    previews = _existing_previews(dir)
    jobs: list[ImportJob] = []
    failed: list[Problem] = []
    for file in new_files:  # probing is quick and fixes the ids in file order; the slow parts run in parallel
        try:
            info = cache.get(file)
        except ProbeError as exc:
            failed.append(_left_out(file, exc, name))
            continue
        jobs.append(ImportJob(unique_id(slug(file.stem), taken), file, info, new=True, preview=True, focus=focus,
                              check=envelope))
    looks = LookCache(dir / STATE_DIR / LOOK_FILE)
    # kept entries: previews missing (e.g. deleted .vj/) are made again, focus tracks missing are measured
    for i, (cid, t) in enumerate(zip(assign_ids(old_tables), old_tables)):
        if not cid or not isinstance(t, dict) or not isinstance(t.get("file"), str):
            continue
        path = resolve_file(dir, t["file"])
        want_preview = f"{cid}.png" not in previews
        want_focus = focus and focus_store.KEY not in t
        want_look = looks.get(path) is None
        if (want_preview or want_focus or want_look) and path.exists():
            try:
                info = cache.get(path)
            except ProbeError:
                continue  # `vj bank check` reports broken existing clips; import only adds
            jobs.append(ImportJob(cid, path, info, new=False, preview=want_preview, focus=want_focus, index=i,
                                  look=want_look))
    results = run_jobs(jobs, lambda job: _preview(dir, job.id, job.file, job.info), progress, workers)
    cache.save()
    for job, result in zip(jobs, results):
        if result.look is not None:
            looks.put(job.file, result.look)
    looks.save()

    entries: list[Entry] = []
    tracks: dict[int, tuple[FocusKey, ...]] = {}
    flagged: list[tuple[str, Finding]] = []
    written = 0
    for job, result in zip(jobs, results):
        written += result.previews
        if job.new:
            if result.error is not None:
                failed.append(_left_out(job.file, result.error, name))
                continue
            if result.report is not None:
                flagged += [(job.id, f) for f in result.report.findings]
            entries.append(Entry(job.id, _file_text(dir, job.file), prompt=_sidecar_prompt(job.file), info=job.info,
                                 track=result.track))
        elif result.track is not None and job.index is not None:
            tracks[job.index] = result.track

    if not entries and old_text is None:
        raise VjError(failed or Problem(src, "no clip could be imported.", fix="see the problems above."))
    if entries or tracks or old_text is None:
        base = HEADER if old_text is None else old_text + ("" if old_text.endswith("\n") or not old_text else "\n")
        if tracks:
            base = focus_store.insert_tracks(base, tracks)
        text = base + "".join(e.toml() for e in entries)
        data, problem = parse(toml, text)
        if problem is None and old_text is not None and data is not None:
            problem = focus_store.kept_intact(toml, old_data, data, tracks)
        if problem is not None:  # never leave a file we cannot read back, or one that lost an edit
            raise VjError(Problem(toml, f"internal error: the merged file would not read back ({problem.message})",
                                  fix="please report this; bank.toml was left unchanged."))
        atomic_write(toml, text)
    return ImportResult(bank=dir, toml=toml, added=tuple(e.id for e in entries), kept=len(old_tables),
                        vanished=tuple(vanished), failed=tuple(failed), previews=written, rewritten=rewritten,
                        measured=sum(1 for e in entries if e.track is not None) + len(tracks),
                        flagged=tuple(flagged))


def _left_out(file: Path, exc: ProbeError, name: str) -> Problem:
    return Problem(file, exc.reason, f"{exc.fix}; it was left out, so import again once it is fixed.",
                   where=f"bank '{name}'")


# ---- the demo bank ---------------------------------------------------------------------------

DEMO_NAME = "demo"
DEMO_STAMP = "demo.json"
#: seconds of each demo clip: the demo setlist's longest slot (4 bars at 96 BPM = 10 s) and a margin for a
#: tracker reading 95 BPM, so the demo never warns about its own clips being short
DEMO_SECONDS = 10.5


def _renderer_hash(render: Callable[..., Any]) -> str:
    """Hash of the renderer's source and its scene shaders, so editing either re-renders the demo bank."""
    from . import SHADERS

    digest = hashlib.sha1()
    try:
        source = inspect.getsourcefile(render)
        if source:
            digest.update(Path(source).read_bytes())
        for shader in sorted((SHADERS / "scenes").glob("*")):
            digest.update(shader.name.encode())
            digest.update(shader.read_bytes())
    except (TypeError, OSError):
        return ""
    return digest.hexdigest()[:16]


def build_demo_bank(banks_dir: Path = BANKS, *, size: tuple[int, int] = (640, 360), seconds: float = DEMO_SECONDS,
                    fps: int = 30, force: bool = False, progress: ProgressFn | None = None,
                    render: Callable[..., Iterable[Any]] | None = None) -> Bank:
    """Render the project's own demo clips into ``banks_dir/demo`` and return the bank.

    Idempotent: a complete demo bank made with the same parameters (and the same
    renderer source) is loaded, not re-rendered, unless ``force``.  ``render``
    defaults to :func:`vj.demo.scenes.render_demo_clips`.
    """
    if render is None:
        try:
            from .demo.scenes import render_demo_clips as render  # type: ignore[no-redef]
        except ImportError as exc:
            raise VjError(Problem("vj/demo/scenes.py", f"the demo clip renderer is not available ({exc}).",
                                  fix="update your checkout; `vj bank import` works with your own clips meanwhile.")) from None
    assert render is not None
    dir = Path(banks_dir) / DEMO_NAME
    stamp_path = dir / STATE_DIR / DEMO_STAMP
    params = {"format": FORMAT, "size": [int(size[0]), int(size[1])], "seconds": float(seconds), "fps": int(fps),
              "renderer": _renderer_hash(render)}
    if not force:
        try:
            stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stamp = None
        if stamp == params and (dir / BANK_FILE).is_file():
            try:
                return load_bank(dir)
            except VjError:
                pass  # damaged: render again

    clips_dir = dir / "clips"
    for sub in (clips_dir, dir / STATE_DIR):
        shutil.rmtree(sub, ignore_errors=True)
    (dir / BANK_FILE).unlink(missing_ok=True)
    clips_dir.mkdir(parents=True)
    demo = list(render(clips_dir, size=(int(size[0]), int(size[1])), seconds=float(seconds), fps=int(fps),
                       progress=progress))
    cache = ProbeCache(dir / STATE_DIR / CACHE_FILE)
    taken: set[str] = set()
    entries: list[Entry] = []
    problems: list[Problem] = []
    for i, c in enumerate(demo):
        file = Path(c.file)
        if not file.is_absolute():
            file = clips_dir / file if (clips_dir / file).exists() else dir / file
        report(progress, i, len(demo), f"preview {file.name}")
        try:
            info = cache.get(file)
            cid = unique_id(slug(file.stem), taken)
            _preview(dir, cid, file, info)
        except ProbeError as exc:
            problems.append(Problem(file, f"the rendered demo clip {exc.reason}",
                                    "run `vj bank demo --force`; if it happens again it is a bug in vj/demo."))
            continue
        entries.append(Entry(cid, _file_text(dir, Path(os.path.normpath(file))), prompt=c.prompt,
                             tags=tuple(c.tags), focus=(float(c.focus[0]), float(c.focus[1])),
                             energy=float(c.energy), info=info))
    report(progress, len(demo), len(demo), "")
    cache.save()
    if problems or not entries:
        raise VjError(problems or [Problem(clips_dir, "the demo renderer made no clips.", "this is a bug in vj/demo.")])
    header = HEADER.replace("# Edit freely: `vj bank import` appends new clips and adds a measured focus_track to clips\n"
                            "# that lack one; it never changes a line you wrote.\n",
                            f"# Generated by `vj bank demo` ({size[0]}x{size[1]}, {seconds:g} s, {fps} fps);\n"
                            "# re-rendering (other parameters, --force) rewrites this file.\n")
    atomic_write(dir / BANK_FILE, header + "".join(e.toml() for e in entries))
    bank = measure_looks(load_bank(dir), progress)   # what `vj bank import` measures, cached in .vj/
    atomic_write(stamp_path, json.dumps(params))
    return bank
