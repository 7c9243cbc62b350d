"""The slow part of `vj bank import`, run in parallel: each clip's filmstrip, focus track, look and check.

Probing stays in the caller (it is quick, and it fixes clip ids in file order); previews and focus
tracks decode whole seconds of video, so they run on a thread pool: PyAV decodes and OpenCV computes
flow without holding the GIL.  Results come back in job order whatever order they finish in, so an
import writes the same bank.toml however the threads ran.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .clip_check import ClipReport, Envelope, check_clip
from .focus.track import Key
from .probe import ProbeError, ProbeInfo
from .progress import ProgressFn, report

#: clips worked on at once: one per core (each decode also starts frame threads; more workers than
#: cores only add memory: see docs/PERFORMANCE.md, "Focus")
IMPORT_WORKERS = max(1, min(os.cpu_count() or 1, 8))


@dataclass(frozen=True, slots=True)
class ImportJob:
    """One clip's slow work."""

    id: str
    file: Path
    info: ProbeInfo
    new: bool  #: a clip being added (else a kept entry that lacks a preview or a track)
    preview: bool
    focus: bool
    index: int | None = None  #: the kept entry's [[clips]] number
    look: bool = True  #: measure its look (colour, structure, motion, loop point: vj.look) for the cache
    check: Envelope | None = None  #: decode the clip's ends and judge it against this (new clips)


@dataclass(frozen=True, slots=True)
class JobResult:
    previews: int  #: filmstrips written (0 or 1)
    track: tuple[Key, ...] | None  #: the measured focus track (None: not measured, or unreadable)
    error: ProbeError | None = None  #: why a new clip is left out
    look: object | None = None  #: the measured vj.look.descriptor.ClipLook (None: not measured, or unreadable)
    report: ClipReport | None = None  #: what decoding the clip's ends found (when checked)


def do_job(job: ImportJob, preview: Callable[[ImportJob], object]) -> JobResult:
    made = 0
    if job.preview:
        try:
            preview(job)
            made = 1
        except ProbeError as exc:
            if job.new:
                return JobResult(0, None, exc)
    track = None
    if job.focus:
        from .focus.estimate import FocusError, estimate_focus  # OpenCV loads only when measuring
        try:
            track = estimate_focus(job.file, duration=job.info.duration).track
        except FocusError:
            track = None  # unreadable for flow: the clip plays at the centre; the next import tries again
    look = None
    if job.look:
        from .look.measure import LookError, measure_look
        try:
            look = measure_look(job.file, duration=job.info.duration)
        except LookError:
            look = None  # measured again when a show needs it
    report = check_clip(job.file, job.info, job.check) if job.check is not None else None
    return JobResult(made, track, look=look, report=report)


def run_jobs(jobs: list[ImportJob], preview: Callable[[ImportJob], object], progress: ProgressFn | None = None,
             workers: int | None = None) -> list[JobResult]:
    """Run ``jobs`` on ``workers`` threads, reporting each as it finishes; results in job order."""
    total = len(jobs)
    results: list[JobResult | None] = [None] * total
    report(progress, 0, total, "")
    if jobs:
        with ThreadPoolExecutor(max_workers=workers or IMPORT_WORKERS, thread_name_prefix="vj-import") as pool:
            futures = {pool.submit(do_job, job, preview): n for n, job in enumerate(jobs)}
            try:
                for done, future in enumerate(as_completed(futures), start=1):
                    n = futures[future]
                    results[n] = future.result()
                    report(progress, done, total, jobs[n].file.name)
            except KeyboardInterrupt:
                # Ctrl+C: without this the pool's exit ran every queued clip first (minutes on a big bank)
                # and the import then threw all of it away; drop the queue, let the running clips finish
                pool.shutdown(wait=True, cancel_futures=True)
                for future, n in futures.items():
                    if future.done() and not future.cancelled() and future.exception() is None:
                        results[n] = future.result()
                raise JobsInterrupted(results) from None
    return [r for r in results if r is not None]


class JobsInterrupted(KeyboardInterrupt):
    """Ctrl+C during :func:`run_jobs`: ``results`` in job order, None for the jobs that did not run."""

    def __init__(self, results: list[JobResult | None]):
        super().__init__()
        self.results = results
