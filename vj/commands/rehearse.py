"""`vj rehearse`: render the show for a track (or a setlist) to a video file."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from ..errors import Problem, VjError
from . import add_banks_dir
from ..progress import Progress
from ..render.writer import REVIEW_CRF


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1920x1080, not {text!r}") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192) or w % 2 or h % 2:
        raise argparse.ArgumentTypeError(f"size {text} out of range: use even numbers from 16 to 8192")
    return w, h


def _crf(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--crf takes a whole number 0-51, not {text!r}") from None
    if not 0 <= value <= 51:
        raise argparse.ArgumentTypeError(f"--crf {value} is out of range: use 0 (lossless) to 51 (smallest)")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rehearse", help="render the show for a track or a setlist to a video",
                       description="Render the show offline, through the same engine as live play.")
    p.add_argument("target", metavar="SETLIST_OR_BANK", help="a setlist .toml, or a bank name or folder")
    p.add_argument("--audio", type=Path, help="the track to play (required for a bank; overrides a setlist's)")
    p.add_argument("--out", type=Path, required=True, help="output video, e.g. show.mp4")
    p.add_argument("--size", type=parse_size, default=(1920, 1080), help="output size WxH (default 1920x1080)")
    p.add_argument("--fps", type=int, default=30, help="output frame rate (default 30)")
    p.add_argument("--crf", type=_crf, default=REVIEW_CRF, metavar="0-51",
                   help=f"H.264 quality (default {REVIEW_CRF}, x264's own; lower is better and bigger: 18 looks "
                        f"lossless at about 1.6x the file size)")
    p.add_argument("--switch-bars", type=int, help="clip switch interval in bars (default: setlist's, or 8)")
    p.add_argument("--force", action="store_true", help="overwrite --out (and its report) if it exists")
    p.add_argument("--from-song", metavar="N|TITLE",
                   help="start at this song of the setlist (its number, 1 = the first, or its title), as a show started there")
    p.add_argument("--duration", type=float, metavar="SECONDS",
                   help="render only the show's first SECONDS (a quick look; the frames are the full render's)")
    add_banks_dir(p)
    p.add_argument("--strict", action="store_true",
                   help="refuse to render while a clip, bank or track has a problem (by default the rehearsal "
                        "leaves it out and says so, as vj play would)")
    p.add_argument("--no-report", action="store_true",
                   help="skip the report (OUT.html with figures in OUT.report/: waveform, beats, tempo, clip timeline)")
    p.set_defaults(func=run)


def song_index(plans: list, which: str) -> int:
    """The 0-based index of the song ``which`` names: its number (1-based) or its title (any case)."""
    titles = [p.title for p in plans]
    if which.strip().isdigit() and 1 <= int(which) <= len(plans):
        return int(which) - 1
    by_title = [i for i, t in enumerate(titles) if t.casefold() == which.strip().casefold()]
    if len(by_title) > 1:   # an encore of the same song: which one is meant is the performer's to say
        raise VjError(Problem("--from-song", f"{len(by_title)} songs are titled {titles[by_title[0]]!r} (songs "
                                             f"{', '.join(str(i + 1) for i in by_title)})",
                              fix=f"give the number of the one to start at, e.g. --from-song {by_title[-1] + 1}"))
    if by_title:
        return by_title[0]
    listed = ", ".join(f"{i} {t!r}" for i, t in enumerate(titles, 1))
    raise VjError(Problem("--from-song", f"no song {which!r} in this setlist",
                          fix=f"give a number from 1 to {len(plans)} or a title: {listed}"))


def run(args: argparse.Namespace) -> int:
    from ..engine import ShowRules
    from ..fileio import commit
    from ..engine.rules import BY_FIELD
    from ..render.rehearse import rehearse
    from ..show.plan import plan_show, require_a_clip, show_target

    out: Path = args.out
    if out.suffix.lower() not in (".mp4", ".mov", ".m4v"):
        raise VjError(Problem(out, "the output must be an .mp4 (or .mov) file", fix=f"use --out {out.with_suffix('.mp4')}"))
    from ..render.report import report_paths

    page, folder = report_paths(out)
    for existing in (out, *(() if args.no_report else (page, folder))):
        if existing.exists() and not args.force:
            raise VjError(Problem(existing, "already exists; vj does not overwrite files without asking",
                                  fix="choose another --out, or add --force to replace it"))
    if not 1 <= args.fps <= 240:
        raise VjError(Problem("--fps", f"{args.fps} is out of range", fix="use 1..240, e.g. --fps 30"))
    if args.duration is not None and not 0 < args.duration < math.inf:
        raise VjError(Problem("--duration", f"{args.duration:g} is not a length of time", fix="use seconds above 0, e.g. --duration 30"))
    bars = BY_FIELD["switch_bars"]
    if args.switch_bars is not None and not bars.lo <= args.switch_bars <= bars.hi:
        raise VjError(Problem("--switch-bars", f"{args.switch_bars} is out of range",
                              fix=f"use {bars.lo:g}..{bars.hi:g}, e.g. --switch-bars 8"))
    rules = ShowRules()
    args.target = show_target(args.target)
    # what vj play would show: a missing or damaged clip (or bank) is left out with a warning, here and in the
    # report; --strict refuses instead (a check before the show)
    plans = plan_show(args.target, args.audio, rules=rules, banks_dir=args.banks_dir, lenient=not args.strict)
    start = 0   # the setlist's index of the first song rendered
    if args.from_song is not None:
        start = song_index(plans, args.from_song)
        plans = plans[start:]
        require_a_clip(plans)   # the songs kept may be the ones left without a clip
    for problem in dict.fromkeys(str(w) for p in plans for w in p.warnings):   # of the songs rendered
        print(f"vj: warning: {problem}", file=sys.stderr)
    if args.switch_bars is not None:
        from dataclasses import replace
        plans = [replace(p, rules=p.rules.with_changes({"switch_bars": args.switch_bars})) for p in plans]
    bar = Progress("rehearse")
    # write to a temporary name, so an interrupted render never leaves a half file under the real name
    tmp = out.with_name(f".{out.stem}.partial{out.suffix}")
    try:
        result = rehearse(plans, tmp, size=args.size, fps=args.fps, progress=bar, duration=args.duration, crf=args.crf,
                          number=start + 1)
    except BaseException:
        tmp.unlink(missing_ok=True)  # an interrupted render leaves nothing behind
        raise
    commit(tmp, out)  # flushed to the disk, then renamed: a crash never leaves half a file under its name
    bar.close(f"rendered {result.duration:.1f} s of show ({result.frames} frames, {len(result.switches)} clip switches) "
              f"in {result.render_seconds:.1f} s = {result.speed:.2f}x real time")
    for msg in dict.fromkeys(result.messages):   # problems, with the warnings on stderr; stdout is the results
        print(f"vj: {msg}", file=sys.stderr)
    if not args.no_report:
        from ..render.report import write_report
        title = str(args.target)
        if str(args.target).endswith(".toml"):
            from ..setlist import load_setlist
            title = load_setlist(args.target, check_files=False).title   # the setlist's own title (else its name)
        print(f"vj: report: {write_report(result, plans, out, title=title, number=start + 1).resolve()}")
    print(out.resolve())
    return 0
