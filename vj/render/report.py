"""The rehearsal report: ``show.html`` beside the video, with PNG figures in ``show.report/``.

Per song: the waveform with the beats the tracker reported, the sections and cues and the clip
switches marked; the tempo the show ran at; every flight's seam score (how visible the emerging
clip's border was, vj.render.seam) and continuity distance (how far the next picture was from the
one it grew out of); the clip timeline with thumbnails and the flights; and warnings a VJ acts on
before the gig.  Figures are matplotlib's (Agg backend: files only), with time axes in seconds and in
the show's bars.
"""

from __future__ import annotations

import html
import math
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import numpy as np

from ..audio.file_source import load_audio
from ..fileio import atomic_write
from ..preview import strip_copy
from ..show.loop import bank_labels
from ..show.plan import SongPlan
from .rehearse import RehearsalResult, SongLog

#: figure width in inches at DPI: 1200 px, the page's width
FIG_W, DPI = 12.0, 100
COLOURS = {"wave": "#7882a0", "beat": "#ffbe3c", "switch": "#5aaaff", "section": "#ff5050", "tempo": "#78e68c",
           "range": "#3c503c", "seam": "#5aaaff", "continuity": "#ffbe3c", "target": "#ff5050", "flight": "#5aaaff"}
#: the seam score a flight should stay under (issue 16: 1.0 is an ordinary edge of the picture)
SEAM_TARGET = 1.3


def report_paths(video: Path) -> tuple[Path, Path]:
    """(the HTML file, the folder of figures) for a rehearsal video."""
    return video.with_suffix(".html"), video.with_name(video.stem + ".report")


def _pyplot():
    """matplotlib on its file-only backend (no display, no GUI toolkit), loaded only for a report."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.style.use("dark_background")
    return plt


def _save(fig, path: Path) -> None:
    import io
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="#141418")
    fig.clf()
    atomic_write(path, buf.getvalue())


def song_frames(result: RehearsalResult, song: SongLog) -> list:
    """The frame log's frames of ``song``."""
    return [f for f in result.log if song.start - 1e-6 <= f.time < song.start + song.duration - 1e-6]


def first_bar(song: SongLog, frames: list) -> float:
    """The show's bar position of the song's bar 1, as its sections count (the downbeat its first clip landed
    on), or, for a song whose first clip never landed, of the bar it began in."""
    if math.isfinite(song.bar_one):
        return song.bar_one
    return math.floor(frames[0].bar + 1e-6) if frames else 0.0


def _bars_axis(ax, song: SongLog, result: RehearsalResult) -> None:
    """A second time axis on top, in the song's bars as its sections count them: bar 1 begins on the downbeat
    its first clip landed on (before that, in a song after the first, the previous song's clip is still up)."""
    frames = song_frames(result, song)
    if len(frames) < 2:
        return
    ts = np.array([f.time - song.start for f in frames])
    bars = np.maximum.accumulate(np.array([f.bar for f in frames]))
    bars = bars - first_bar(song, frames) + 1.0
    if bars[-1] - bars[0] < 1e-6:
        return
    keep = np.concatenate([[True], np.diff(bars) > 1e-9])
    ts, bars = ts[keep], bars[keep]
    top = ax.secondary_xaxis("top", functions=(lambda t: np.interp(t, ts, bars), lambda b: np.interp(b, bars, ts)))
    top.set_xlabel("bar", fontsize=9)
    step = max(1, int(round((bars[-1] - bars[0]) / 16)))
    top.set_xticks(np.arange(max(1, math.ceil(bars[0])), bars[-1] + 1e-6, step))


@dataclass(frozen=True, slots=True)
class Segment:
    clip: str
    start: float            #: song seconds the clip filled the screen (or the song began)
    end: float
    flight: tuple[float, float] | None = None   #: the flight that brought it in (song seconds)


def flight_width(seg: Segment) -> float:
    """The share of its clip's cell (in %) the timeline draws the flight into it over: the whole cell at most,
    for a clip whose flight lasted longer than it was on screen (the song's last, cut short by its end)."""
    if seg.flight is None:
        return 0.0
    return min(100.0, 100 * (seg.flight[1] - seg.flight[0]) / max(seg.end - seg.start, 1e-6))


def segments(result: RehearsalResult, song: SongLog) -> list[Segment]:
    """Clips on screen over the song, and the flights between them, from the frame log."""
    frames = song_frames(result, song)
    out: list[Segment] = []
    flight_start = None
    cur, start = None, 0.0
    pending_flight = None
    for f in frames:
        t = f.time - song.start
        if f.transition >= 0 and flight_start is None:
            flight_start = t
        if f.clip != cur:
            if cur is not None:
                out.append(Segment(cur, start, t, pending_flight))
            pending_flight = (flight_start, t) if flight_start is not None else None
            cur, start = f.clip, t
        if f.transition < 0:
            flight_start = None
    if cur is not None:
        out.append(Segment(cur, start, song.duration, pending_flight))
    return out


def waveform_png(path: Path, samples: np.ndarray, sr: int, song: SongLog, segs: list[Segment],
                 result: RehearsalResult) -> None:
    """The track's waveform, the beats the tracker reported, the clip switches with their flights, the sections."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(FIG_W, 2.6))
    dur = max(song.duration, 1e-6)
    n = min(len(samples), int(dur * sr))
    cols = 1200
    if n >= cols:
        env = np.abs(samples[:n - n % cols]).reshape(cols, -1).max(axis=1)
        tt = (np.arange(cols) + 0.5) * (n // cols) / sr
        ax.fill_between(tt, -env, env, color=COLOURS["wave"], linewidth=0)
    for s in segs[1:]:
        if s.flight is not None:
            ax.axvspan(s.flight[0], s.flight[1], color=COLOURS["flight"], alpha=0.18, linewidth=0)
        ax.axvline(s.start, color=COLOURS["switch"], linewidth=1.2)
    ax.vlines(song.beats, 0.85, 1.0, transform=ax.get_xaxis_transform(), color=COLOURS["beat"], linewidth=0.8)
    for f in song.fired:
        ax.axvline(f.time, color=COLOURS["section"], linewidth=1.5, linestyle="--")
        ax.text(f.time, 0.97, f" {f.label}", transform=ax.get_xaxis_transform(), color=COLOURS["section"],
                fontsize=8, va="top")
    ax.set_xlim(0, dur)
    ax.set_ylim(-1.05, 1.05)
    ax.set_yticks([])
    ax.set_xlabel("seconds into the song", fontsize=9)
    _bars_axis(ax, song, result)
    fig.tight_layout()
    _save(fig, path)
    plt.close(fig)


def tempo_png(path: Path, song: SongLog, bpm_range: tuple[float, float] | None,
              result: RehearsalResult) -> tuple[float, float]:
    """The tempo the show ran at over the song; returns the (low, high) BPM of the plot's scale."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(FIG_W, 2.0))
    ts = [t for t, _ in song.tempo] or [0.0]
    bpms = [b for _, b in song.tempo] or [120.0]
    lo, hi = min(bpms), max(bpms)
    if bpm_range:
        lo, hi = min(lo, bpm_range[0]), max(hi, bpm_range[1])
        ax.axhspan(bpm_range[0], bpm_range[1], color=COLOURS["range"], alpha=0.6, linewidth=0, label="song's bpm_range")
    lo, hi = math.floor(lo - 5), math.ceil(hi + 5)
    ax.plot(ts, bpms, color=COLOURS["tempo"], linewidth=1.5, label="show tempo")
    ax.set_xlim(0, max(song.duration, 1e-6))
    ax.set_ylim(lo, hi)
    ax.set_ylabel("BPM", fontsize=9)
    ax.set_xlabel("seconds into the song", fontsize=9)
    ax.grid(axis="y", color="#333", linewidth=0.6)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.3)
    _bars_axis(ax, song, result)
    fig.tight_layout()
    _save(fig, path)
    plt.close(fig)
    return lo, hi


@dataclass(frozen=True, slots=True)
class Transition:
    """One flight of a song, as the report lists it."""

    start: float            #: song seconds the flight began
    bar: float              #: the song's bar (1-based) it began in
    a: str
    b: str
    seam: float | None      #: median seam score over its frames (None: none judged)
    seam_worst: float | None
    continuity: float | None
    wipe: str = ""          #: the ISF transition that drew it ("": the zoom-through, whose seam is scored)


def transitions(result: RehearsalResult, song: SongLog) -> list[Transition]:
    """The song's flights with their seam and continuity scores, from the frame log."""
    frames = song_frames(result, song)
    bar0 = first_bar(song, frames)
    out: list[Transition] = []
    cur: dict | None = None
    last = -1.0
    for f in frames:
        if f.transition >= 0 and (cur is None or f.transition < last):
            cur = {"start": f.time - song.start, "bar": f.bar - bar0 + 1.0, "a": f.clip, "b": f.next_clip,
                   "seams": [], "continuity": f.continuity, "wipe": f.flight}
            out.append(cur)  # type: ignore[arg-type]
        if f.transition >= 0 and cur is not None:
            cur["b"] = f.next_clip   # the clip that lands: a flight into a clip that fails is turned to the next
            if f.seam is not None:
                cur["seams"].append(f.seam)
            last = f.transition
        else:
            cur, last = None, -1.0
    rows = []
    for c in out:
        seams = c["seams"]  # type: ignore[index]
        rows.append(Transition(c["start"], c["bar"], c["a"].split("/")[-1], c["b"].split("/")[-1],  # type: ignore[index]
                               statistics.median(seams) if seams else None, max(seams) if seams else None,
                               c["continuity"], c["wipe"]))  # type: ignore[index]
    return rows


def scores_png(path: Path, song: SongLog, rows: list[Transition]) -> None:
    """Seam (median and worst frame) and continuity of every flight, at the time it began."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(FIG_W, 2.4))
    xs = [r.start for r in rows]
    width = max(song.duration / 120.0, 0.15)
    seam = [r.seam if r.seam is not None else np.nan for r in rows]
    worst = [r.seam_worst if r.seam_worst is not None else np.nan for r in rows]
    ax.bar(xs, worst, width=width, color=COLOURS["seam"], alpha=0.35, label="seam, worst frame")
    ax.bar(xs, seam, width=width, color=COLOURS["seam"], label="seam, median of the flight")
    ax.axhline(SEAM_TARGET, color=COLOURS["target"], linestyle="--", linewidth=1, label=f"seam target {SEAM_TARGET:g}")
    cont = [(r.start, r.continuity) for r in rows if r.continuity is not None]
    if cont:
        ax.plot([c[0] for c in cont], [c[1] for c in cont], "o", color=COLOURS["continuity"],
                label="continuity distance (0 same picture)")
    ax.set_xlim(0, max(song.duration, 1e-6))
    top = np.nanmax([*worst, *[c[1] for c in cont], SEAM_TARGET * 1.2]) if rows else 2.0
    ax.set_ylim(0, min(float(top) * 1.1, 8.0))
    ax.set_xlabel("seconds into the song (when the flight began)", fontsize=9)
    ax.set_ylabel("score", fontsize=9)
    # above the plot: inside it, the legend hid the flights whose scores reach its top (the demo's 2.5 at 34 s)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False, ncol=4)
    fig.tight_layout()
    _save(fig, path)
    plt.close(fig)


#: seconds at a song's start whose tempo is not judged: the tracker's first lock, and for a later song the
#: re-lock after the tempo change (4.6 s median on the beat corpus, docs/BEATS.md) with a margin
SETTLE = 4.0
RELOCK = 8.0


def warnings(plan: SongPlan, song: SongLog, segs: list[Segment], first: bool = True) -> list[str]:
    out = []
    bpms = [b for t, b in song.tempo if t >= min(SETTLE if first else RELOCK, song.duration / 2)]
    bpm = statistics.median(bpms) if bpms else None
    if plan.bpm_range and bpm is not None:
        lo, hi = plan.bpm_range
        outside = sum(1 for b in bpms if not lo <= b <= hi) / len(bpms)
        if outside > 0.05:
            out.append(f"tempo outside the song's range {lo:g}-{hi:g} BPM for {outside:.0%} of the song "
                       f"(median {bpm:.1f} BPM): check the tempo hint or the range")
    if bpm:
        r = plan.rules
        slot = r.switch_bars * r.beats_per_bar * 60.0 / bpm
        by_id = {c.id: c for c in plan.bank.clips}
        short = []
        for cid in dict.fromkeys(s.clip.split("/")[-1] for s in segs):
            clip = by_id.get(cid)
            length = clip.length if clip else None
            if length is not None and length + 1e-3 < slot:
                how = {"loop": "loops", "pingpong": "plays back and forth", "hold": "holds its last frame"}
                short.append(f"{cid} ({length:.1f} s, {how.get(clip.loop, 'repeats')})")
        if short:
            out.append(f"{len(short)} clip(s) shorter than their slot ({r.switch_bars} bars = {slot:.1f} s at "
                       f"{bpm:.0f} BPM): {', '.join(short)}")
    order = plan.clip_order or tuple(c.id for c in plan.bank.clips)
    shown = {s.clip.split("/")[-1] for s in segs}
    never = [c for c in order if c not in shown]
    if never and len(segs) >= len(order) and not song.cut:   # in a cut song they may come after the cut
        out.append(f"clips never shown: {', '.join(never)}")
    for sec in plan.sections:
        # in a cut song only a section timed before the cut is known to have been missed (a bar's time is not)
        due = not song.cut or (sec.time is not None and sec.time < song.duration)
        if due and not any(f.label == sec.label for f in song.fired):
            out.append(f"section at {sec.label} never came (the song is {song.duration:.1f} s)")
    return out


def left_out(plans: list[SongPlan], rendered: int, number: int = 1) -> str:
    """What the report says of the songs a --duration cut left out ("song 3 (Closer) is not in it"), numbered as
    in the setlist (``plans[0]`` is its song ``number``: --from-song)."""
    first, last = rendered + number, len(plans) + number - 1
    titles = ", ".join(p.title for p in plans[rendered:])
    which = f"song {first} ({titles}) is" if first == last else f"songs {first}-{last} ({titles}) are"
    return f"The render was cut short by --duration: {which} not in it."


#: the report page's style; the flights table's text columns (from, to) are left-aligned, their headers too
#: (the headers stayed right-aligned, "to" over the seam column's edge, away from its clip names)
STYLE = ("body{background:#111;color:#ddd;font:14px sans-serif;margin:24px}img.fig{display:block;width:100%;"
         "max-width:1200px}.tl{display:flex;max-width:1200px;height:74px;margin:4px 0 18px}.seg{position:relative;"
         "overflow:hidden;border-left:2px solid #5af;background:#222 no-repeat 0 0/600% 100%;font-size:10px}"
         ".seg span{position:absolute;bottom:0;left:2px;background:#000a;padding:0 2px}.fl{position:absolute;top:0;"
         "height:6px;background:#5af}.warn{color:#f96}.legend b{padding:0 6px}table.tr{border-collapse:collapse;"
         "font-size:12px;margin:6px 0 14px}table.tr td,table.tr th{padding:2px 10px;border-bottom:1px solid #333;"
         "text-align:right}table.tr td.c,table.tr th.c{text-align:left}.bad{color:#f96}")


def bar_cell(bar: float) -> str:
    """A flight's bar in the flights table.  The flight that brings a song in starts before its bar 1 (it lands
    there); a known downbeat resyncing after it moves bar 1 later still: it read "0.0" or "-1.0"."""
    if bar < 1.0:
        return "<td title='the flight into the song: it starts before bar 1'>before 1</td>"
    return f"<td>{bar:.1f}</td>"


def link(folder: Path, *names: str) -> str:
    """A figure's address from the page, for an attribute or a CSS url(''): the report folder is named after
    --out, and an apostrophe ("friday's show.mp4") ended the attribute, a '#' began a fragment: no figures."""
    return html.escape(quote("/".join((folder.name, *names))), quote=True)


def write_report(result: RehearsalResult, plans: list[SongPlan], video: Path, *, title: str = "",
                 number: int = 1) -> Path:
    """Write ``show.html`` and ``show.report/``; returns the HTML path.  ``plans[0]`` is the setlist's song
    ``number`` (a render --from-song a later song): songs are numbered as the setlist numbers them."""
    page, folder = report_paths(video)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    thumbs = folder / "thumbs"
    thumbs.mkdir()
    parts = [f"<!doctype html><meta charset='utf-8'><title>{html.escape(title or video.stem)}</title>",
             f"<style>{STYLE}</style>",
             f"<h1>{html.escape(title or video.stem)}</h1>",
             f"<p>{html.escape(video.name)}: {result.duration:.1f} s, {result.frames} frames, "
             f"{len(result.switches)} clip switches, rendered at {result.speed:.2f}x real time.</p>",
             "<p class='legend'>Waveform: <b style='color:#fb3'>beats</b><b style='color:#5af'>clip switches "
             "(shaded: the flight)</b><b style='color:#f55'>sections and cues</b>. Tempo: <b style='color:#7e8'>the "
             "show's BPM</b><b style='color:#686'>the song's bpm_range</b>. Flights: <b style='color:#5af'>seam score</b>"
             f" (1.0: the border shows no more than the picture's own edges; target {SEAM_TARGET:g})"
             "<b style='color:#fb3'>continuity distance</b> (0: the next clip opens on the same picture).</p>"]
    messages = list(dict.fromkeys(result.messages))
    if messages:
        parts.append("<h2>Problems during the render</h2><ul>" +
                     "".join(f"<li class='warn'>{html.escape(m)}</li>" for m in messages) + "</ul>")
    if number > 1:
        parts.append(f"<p>The show starts at song {number} of the setlist (--from-song).</p>")
    if len(result.songs) < len(plans):
        parts.append(f"<p class='warn'>{html.escape(left_out(plans, len(result.songs), number))}</p>")
    labels = bank_labels(p.bank for p in plans)   # one folder of thumbnails per bank, as the show names them
    for n, (plan, song) in enumerate(zip(plans, result.songs), number):
        segs = segments(result, song)
        track = load_audio(plan.audio, 8000) if plan.audio else None
        wave = folder / f"song{n}-waveform.png"
        waveform_png(wave, track.samples if track else np.zeros(1, np.float32), 8000, song, segs, result)
        lo, hi = tempo_png(folder / f"song{n}-tempo.png", song, plan.bpm_range, result)
        rows = transitions(result, song)
        scores_png(folder / f"song{n}-flights.png", song, rows)
        bpms = [b for t, b in song.tempo if t >= min(4.0, song.duration / 2)]
        seams = [r.seam for r in rows if r.seam is not None]
        conts = [r.continuity for r in rows if r.continuity is not None]
        summary = (f", seam median {statistics.median(seams):.2f}" if seams else "") + \
                  (f", continuity mean {statistics.mean(conts):.2f}" if conts else "")
        wipes = sorted({r.wipe for r in rows if r.wipe})
        if wipes:   # an ISF transition drew these flights: no zoom-through border, so no seam to score
            summary += (f", {sum(1 for r in rows if r.wipe)} flights drawn by the ISF transition "
                        f"{', '.join(html.escape(w) for w in wipes)} (no seam to score)")
        cut = " (cut short by --duration)" if song.cut else ""
        parts.append(f"<h2>{n}. {html.escape(song.title)}</h2><p>starts at {song.start:.1f} s, {song.duration:.1f} s{cut}, "
                     f"bank {html.escape(plan.bank.name)}, {len(segs) - 1} transitions, "
                     f"median tempo {statistics.median(bpms) if bpms else 0:.1f} BPM, {len(song.beats)} beats"
                     f"{summary}</p>")
        parts.append(f"<img class='fig' src='{link(folder, wave.name)}' alt='waveform, beats, switches and sections'>")
        parts.append(f"<img class='fig' src='{link(folder, f'song{n}-tempo.png')}' alt='tempo ({lo}-{hi} BPM)'>")
        parts.append(f"<img class='fig' src='{link(folder, f'song{n}-flights.png')}' alt='seam and continuity per flight'>")
        if rows:
            def num(v: float | None, bad: float | None = None, wipe: str = "") -> str:
                if v is None:
                    return f"<td title='an ISF transition: no seam'>{html.escape(wipe)}</td>" if wipe else "<td>-</td>"
                return f"<td class='bad'>{v:.2f}</td>" if bad is not None and v > bad else f"<td>{v:.2f}</td>"
            parts.append("<table class='tr'><tr><th>flight at</th><th>bar</th><th class='c'>from</th><th class='c'>to"
                         "</th><th>seam (median)</th><th>seam (worst frame)</th><th>continuity</th></tr>" +
                         "".join(f"<tr><td>{r.start:.2f} s</td>{bar_cell(r.bar)}<td class='c'>{html.escape(r.a)}</td>"
                                 f"<td class='c'>{html.escape(r.b)}</td>{num(r.seam, SEAM_TARGET, r.wipe)}{num(r.seam_worst, None, r.wipe)}"
                                 f"{num(r.continuity)}</tr>" for r in rows) + "</table>")
        cells = []
        by_id = {c.id: c for c in plan.bank.clips}
        for s in segs:
            cid = s.clip.split("/")[-1]
            clip = by_id.get(cid)
            style = f"width:{100 * (s.end - s.start) / max(song.duration, 1e-6):.3f}%"
            if clip is not None and clip.preview is not None and Path(clip.preview).is_file():
                # per bank path: two banks named "forest" at different paths shared (overwrote) "forest-ID.png"
                # and named as the strip is (its framing is in its name): a clip whose fit changed gets its new strip
                thumb = strip_copy(Path(clip.preview), thumbs / labels[plan.bank.path])
                style += f";background-image:url('{link(folder, 'thumbs', thumb.parent.name, thumb.name)}')"
            flight = ""
            if s.flight is not None:
                flight = (f"<div class='fl' style='left:0;width:{flight_width(s):.1f}%'"
                          f" title='flight {s.flight[0]:.2f}-{s.flight[1]:.2f} s'></div>")
            cells.append(f"<div class='seg' style=\"{style}\" title='{html.escape(cid)} {s.start:.2f}-{s.end:.2f} s'>"
                         f"{flight}<span>{html.escape(cid)}</span></div>")
        parts.append("<div class='tl'>" + "".join(cells) + "</div>")
        if song.fired:
            parts.append("<ul>" + "".join(f"<li>{f.time:.2f} s ({html.escape(f.label)}): {html.escape(f.what)}</li>"
                                          for f in song.fired) + "</ul>")
        # what the plan left out (a missing or damaged clip, as vj play leaves it out), then what the render saw
        warns = [*dict.fromkeys(str(w) for w in plan.warnings), *warnings(plan, song, segs, first=n == number)]
        parts.append("<ul>" + "".join(f"<li class='warn'>{html.escape(w)}</li>" for w in warns) + "</ul>"
                     if warns else "<p>no warnings</p>")
    atomic_write(page, "\n".join(parts) + "\n")
    return page
