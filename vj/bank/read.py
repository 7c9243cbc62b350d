"""Reading and checking a bank: bank.toml validated field by field with every problem located, clips
probed (cached), looks and focus tracks attached, "auto" loops resolved.  :func:`load_bank` for playing,
:func:`check_bank` for `vj bank check`, :func:`measure_looks` before a show.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import BANKS
from ..errors import Problem, VjError, shown
from ..focus import store as focus_store
from ..focus.track import resolve as resolve_focus
from ..look.descriptor import ClipLook, auto_loop
from ..look.store import FILE as LOOK_FILE, LookCache
from ..probe import ProbeCache, ProbeError, ProbeInfo, decode_check
from ..progress import ProgressFn, report
from ..tomlloc import LineIndex, load_file, read_table
from .locate import assign_ids, bank_dir, list_banks, resolve_file
from ..preview import preview_name
from .model import BANK_FILE, CACHE_FILE, PREVIEW_DIR, STATE_DIR, Bank, Clip
from .schema import BANK_FIELDS, CLIP_FIELDS, ROOT_FIELDS

#: how alike a typed bank name and a bank's name must be for "did you mean" (difflib's ratio: 'demo' for 'dmeo' is
#: 0.75, 't' for 'tt' 0.67; unrelated names of a banks folder, 'forest' for 'night', 0.18)
NEAR_NAME = 0.6


@dataclass(slots=True)
class TomlRead:
    """A bank.toml read so far: its parsed data, lines and problems."""

    dir: Path
    toml: Path
    name: str
    data: dict[str, Any] | None = None
    lines: LineIndex | None = None
    problems: list[Problem] = field(default_factory=list)


def read_toml(dir: Path) -> TomlRead:
    """``dir``'s bank.toml parsed with its lines, or the located problem why not (import merges into it too)."""
    r = TomlRead(dir, dir / BANK_FILE, dir.name)
    if not r.toml.is_file():
        names = list_banks(dir.parent)
        known = f" Banks here: {', '.join(names)}." if names else ""
        near = difflib.get_close_matches(r.name, names, n=1, cutoff=NEAR_NAME)
        check = f"did you mean '{near[0]}'? Or" if near else "check the name, or"
        here = Path(r.name)   # `vj bank check mybank` typed beside the folder: a bare word is a name in banks/
        if not dir.is_dir() and (here / BANK_FILE).is_file() and here.resolve() != dir.resolve():
            known = f" There is a bank folder {r.name} in the current folder: give it as a path, ./{r.name}." + known
        what = "no bank folder" if not dir.is_dir() else f"no {BANK_FILE} in the bank folder"
        r.problems.append(Problem(r.toml, f"{what}.", where=f"bank '{r.name}'",
                                  fix=f"{check} create it with `vj bank import CLIPS_DIR --name {r.name}`.{known}"))
        return r
    r.data, r.lines, problem = load_file(r.toml)
    if problem is not None:
        r.problems.append(Problem(problem.path, problem.message, problem.fix, problem.line, f"bank '{r.name}'"))
    return r


def _scan_bank(dir: Path, *, deep: bool, progress: ProgressFn | None = None) -> tuple[Bank | None, list[Problem]]:
    """Read, validate and probe a bank; return the Bank (None if unusable) and every problem."""
    r = read_toml(dir)
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
    previews = existing_previews(dir)
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
                problem("file", f"clip file not found: {shown(path)}.",
                        f"fix the path (relative paths start at {shown(dir)}), or delete this [[clips]] table.")
                bad = True
            else:
                try:
                    info = cache.get(path)
                except ProbeError as exc:
                    problem("file", f"clip file {shown(path)} {exc.reason}", f"{exc.fix}, or delete this [[clips]] table.")
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
                        problem("file", f"clip file {shown(path)} {failure}",
                                "re-export or re-download the clip, or set its out point (out = SECONDS) before the damage.")
                        bad = True
        if bad or cid is None or info is None:
            left_out.append(cid or f"#{i + 1}")
        else:
            look = looks.get(path, in_point, out_point)
            track = focus_store.as_track(values[focus_store.KEY])
            hand = (values["focus"][0], values["focus"][1]) if "focus" in table else None
            aim = resolve_focus(hand, track, in_point)
            fit = values.get("fit") or bank_fit
            strip = preview_name(cid, fit, info.aspect)   # the strip drawn in this fit (none: import makes it)
            clips.append(Clip(id=cid, file=path, prompt=values["prompt"], tags=tuple(values["tags"]),
                              in_point=in_point, out_point=out_point, loop=played_loop(values["loop"], look),
                              loop_setting=values["loop"], look=look,
                              focus=aim.focus, energy=values["energy"], fit=fit, probe=info,
                              preview=dir / STATE_DIR / PREVIEW_DIR / strip if strip in previews else None,
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
    from ..look.measure import LookError, measure_look  # OpenCV loads only when measuring

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


def existing_previews(dir: Path) -> set[str]:
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
