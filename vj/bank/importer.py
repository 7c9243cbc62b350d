"""`vj bank import`: probe every video under a folder into a bank, merging into an existing bank.toml
byte for byte (new clips appended, missing focus tracks inserted), the slow parts on worker threads.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Any, Callable

from .. import BANKS
from ..clip_check import Envelope, Finding
from ..engine.framing import FITS, fill_shown
from ..errors import Problem, VjError, shown as shown_path
from ..fileio import atomic_write
from ..focus import store as focus_store
from ..focus.track import Key as FocusKey
from ..import_jobs import ImportJob, JobResult, JobsInterrupted, run_jobs
from ..look.store import FILE as LOOK_FILE, LookCache
from ..probe import VIDEO_EXTENSIONS, ProbeCache, ProbeError
from ..progress import ProgressFn
from ..tomlloc import LineIndex, parse, read_text
from .locate import assign_ids, resolve_file, slug, unique_id
from .model import BANK_FILE, CACHE_FILE, FORMAT, ID_RE, STATE_DIR, ImportResult
from .read import existing_previews, read_toml
from ..preview import preview_name
from .write import HEADER, Entry, file_text, scan_videos, sidecar_prompt, write_preview

#: share of a clip's picture under which ``fill`` is worth a word at import: a square clip on 16:9 shows 56 %,
#: a portrait phone clip 32 %; a 4:3 clip (75 %, BANKS.md's "Framing") or a 3:2 one (84 %) is not named
FILL_SHOWN_MIN = 0.6


def _not_a_folder(src: Path, name: str) -> Problem:
    """`vj bank import` takes a folder (every video under it); a file given instead is told the command that
    imports it: its folder's (it said "not a folder", with no word of which folder or how)."""
    if not src.exists():
        return Problem(src, "no such folder.", fix="give the folder that holds the clips (`vj bank import FOLDER "
                                                    f"--name {name}` imports every video under it).")
    if not src.name.lower().endswith(VIDEO_EXTENSIONS):
        return Problem(src, "is a file, not a folder of clips.",
                       fix=f"give the folder that holds the clips: `vj bank import FOLDER --name {name}` imports every "
                           f"video under it ({', '.join(VIDEO_EXTENSIONS[:5])}...).")
    folder = shlex.quote(shown_path(src.parent))
    return Problem(src, "is a video file, not a folder: `vj bank import` takes a folder and imports every video "
                        "under it.",
                   fix=f"import the folder it is in: `vj bank import {folder} --name {name}` (its other videos, and "
                       f"those in its subfolders, come too; to import this clip alone, move it into a folder of its own "
                       f"and import that folder).")


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
    if not ID_RE.match(name):
        raise VjError(Problem(name, "not a valid bank name.", fix="use letters, digits, '_', '-' or '.' (it becomes banks/NAME)."))
    dir = Path(banks_dir) / name
    toml = dir / BANK_FILE
    if not src.is_dir():
        raise VjError(_not_a_folder(src, name))
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
            r = read_toml(dir)
            if r.data is None:
                raise VjError([*r.problems, Problem(toml, "cannot merge into a bank.toml that does not parse.",
                                                    fix=f"fix it first (`vj bank check {dir}`), or re-import with --force.")])
            assert r.lines is not None
            if r.lines.root_key("clips") is not None:
                raise VjError(Problem(toml, "clips are written as an inline array, so new [[clips]] tables cannot be appended.",
                                      line=r.lines.root_key("clips"), fix="write each clip as a [[clips]] table."))
            table = r.data.get("bank")
            newer = table.get("format") if isinstance(table, dict) else None
            if isinstance(newer, int) and not isinstance(newer, bool) and newer > FORMAT:
                # written by a newer vj: what this one appends or rewrites could lose what that one keeps
                raise VjError(Problem(toml, f"this bank.toml is format {newer}, written by a newer vj; this vj "
                                            f"writes format {FORMAT} and does not change it", line=r.lines.key("format", "bank"),
                                      fix="import with the newer vj (pip install -U vj), or into a new bank "
                                          "(--name OTHER)"))
            old_text = read_text(toml)[0]
            old_data = r.data
            raw = r.data.get("clips", [])
            old_tables = raw if isinstance(raw, list) else []

    taken: set[str] = {i for i in assign_ids(old_tables) if i is not None}
    known: dict[Path, int] = {}
    gone: list[tuple[int, Path]] = []   # kept clips whose files are gone: (table index, path)
    for i, t in enumerate(old_tables):
        if isinstance(t, dict) and isinstance(t.get("file"), str):
            path = resolve_file(dir, t["file"])
            known[path] = i
            if not path.exists():
                gone.append((i, path))
    new_files = [f for f in files if Path(os.path.normpath(f)) not in known]

    cache = ProbeCache(dir / STATE_DIR / CACHE_FILE)
    previews = existing_previews(dir)
    bank_fit = fit_of(old_data.get("bank"), "fill")
    fits: dict[str, str] = {}   # clip id -> the fit its strip is drawn in (the clip's own, else the bank's)
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
        if not path.exists():
            continue
        try:
            info = cache.get(path)   # cached: a stat (the strip's name needs the clip's shape)
        except ProbeError:
            continue  # `vj bank check` reports broken existing clips; import only adds
        fits[cid] = fit_of(t, bank_fit)
        # a strip per framing: a clip whose fit changed since its strip was made gets one in its new fit
        want_preview = preview_name(cid, fits[cid], info.aspect) not in previews
        want_focus = focus and focus_store.KEY not in t
        want_look = looks.get(path) is None
        if want_preview or want_focus or want_look:
            jobs.append(ImportJob(cid, path, info, new=False, preview=want_preview, focus=want_focus, index=i,
                                  look=want_look))
    try:
        results: list[JobResult | None] = list(
            run_jobs(jobs, lambda job: write_preview(dir, job.id, job.file, job.info, fits.get(job.id, bank_fit)),
                     progress, workers))
        left = unfinished = 0
    except JobsInterrupted as exc:
        # Ctrl+C: keep what is done, so the same command resumes where this one stopped.  New clips are kept
        # up to the first one not done, so bank.toml lists them in the order an uninterrupted import would
        results = exc.results
        cut = next((n for n, (job, r) in enumerate(zip(jobs, results)) if job.new and r is None), len(jobs))
        results = [r if n < cut or not job.new else None for n, (job, r) in enumerate(zip(jobs, results))]
        left = sum(1 for job, r in zip(jobs, results) if job.new and r is None)
        unfinished = sum(1 for job, r in zip(jobs, results) if not job.new and r is None)
    done = [(job, r) for job, r in zip(jobs, results) if r is not None]
    jobs, results = [job for job, _ in done], [r for _, r in done]
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
            entries.append(Entry(job.id, file_text(dir, job.file), prompt=sidecar_prompt(job.file), info=job.info,
                                 track=result.track))
        elif result.track is not None and job.index is not None:
            tracks[job.index] = result.track

    if not entries and old_text is None and left:
        raise KeyboardInterrupt   # nothing done yet to write; the probe and look caches are saved
    if not entries and old_text is None:
        raise VjError(failed or Problem(src, "no clip could be imported.", fix="see the problems above."))
    final = old_text
    if entries or tracks or old_text is None:
        newline = "\r\n" if old_text is not None and "\r\n" in old_text else "\n"   # a Windows editor's, kept
        base = HEADER if old_text is None else old_text + ("" if old_text.endswith("\n") or not old_text else newline)
        if tracks:
            hand = frozenset(i for i in tracks if any(k in old_tables[i] for k in focus_store.FOCUS_KEYS))
            base = focus_store.insert_tracks(base, tracks, hand)
        text = base + "".join(e.toml() for e in entries).replace("\n", newline)
        data, problem = parse(toml, text)
        if problem is None and old_text is not None and data is not None:
            problem = focus_store.kept_intact(toml, old_data, data, tracks)
        if problem is not None:  # never leave a file we cannot read back, or one that lost an edit
            raise VjError(Problem(toml, f"internal error: the merged file would not read back ({problem.message})",
                                  fix="please report this; bank.toml was left unchanged."))
        atomic_write(toml, text)
        final = text
    # located in the file as written: focus tracks inserted above a clip move its lines down
    lines = LineIndex(final or "")
    vanished = [Problem(toml, f"clip file is gone: {shown_path(path)}.", line=lines.key("file", "clips", i),
                        where=f"bank '{name}', clip #{i + 1}, field 'file'",
                        fix="restore the file, or delete this [[clips]] table.") for i, path in gone]
    table = old_data.get("bank")
    chosen = isinstance(table, dict) and bool(table.get("fit"))   # the performer framed the bank: no advice
    cropped = tuple((e.id, shown) for e in entries if not chosen
                    and (shown := fill_shown(e.info.aspect)) < FILL_SHOWN_MIN)
    return ImportResult(bank=dir, toml=toml, added=tuple(e.id for e in entries), kept=len(old_tables),
                        vanished=tuple(vanished), failed=tuple(failed), previews=written, rewritten=rewritten,
                        measured=sum(1 for e in entries if e.track is not None) + len(tracks),
                        flagged=tuple(flagged), cropped=cropped, interrupted=left,
                        unfinished=unfinished)


def fit_of(table: object, default: str) -> str:
    """A [bank] or [[clips]] table's ``fit`` where it is a valid one, else ``default`` (check names a bad one)."""
    fit = table.get("fit") if isinstance(table, dict) else None
    return fit if fit in FITS else default


def _left_out(file: Path, exc: ProbeError, name: str) -> Problem:
    return Problem(file, exc.reason, f"{exc.fix}; it was left out, so import again once it is fixed.",
                   where=f"bank '{name}'")
