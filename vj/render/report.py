"""The rehearsal report: ``show.html`` beside the video, with PNG figures in ``show.report/``.

Per song: the waveform with the beats the tracker reported, the sections and cues and the clip
switches marked; the tempo the show ran at; the clip timeline with thumbnails and the flights; and
warnings a VJ acts on before the gig.  Figures are drawn with numpy and written as PNG with PyAV
(no plotting library: three kinds of line plot do not need one).
"""

from __future__ import annotations

import html
import math
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..audio.file_source import load_audio
from ..fileio import atomic_write, write_png
from ..show.plan import SongPlan
from .rehearse import RehearsalResult, SongLog

W = 1200          #: figure width, pixels
WAVE_H = 160
TEMPO_H = 110
BG = (20, 20, 26)
COLOURS = {"wave": (120, 130, 150), "beat": (255, 190, 60), "switch": (90, 170, 255), "section": (255, 80, 80),
           "tempo": (120, 230, 140), "range": (60, 80, 60), "grid": (50, 50, 60)}


def report_paths(video: Path) -> tuple[Path, Path]:
    """(the HTML file, the folder of figures) for a rehearsal video."""
    return video.with_suffix(".html"), video.with_name(video.stem + ".report")


def _canvas(h: int) -> np.ndarray:
    img = np.empty((h, W, 3), np.uint8)
    img[:] = BG
    return img


def _vline(img: np.ndarray, x: float, colour: str, top: int = 0, bottom: int | None = None, width: int = 1) -> None:
    xi = int(round(x))
    if 0 <= xi < img.shape[1]:
        img[top:bottom, xi:xi + width] = COLOURS[colour]


@dataclass(frozen=True, slots=True)
class Segment:
    clip: str
    start: float            #: song seconds the clip filled the screen (or the song began)
    end: float
    flight: tuple[float, float] | None = None   #: the flight that brought it in (song seconds)


def segments(result: RehearsalResult, song: SongLog) -> list[Segment]:
    """Clips on screen over the song, and the flights between them, from the frame log."""
    frames = [f for f in result.log if song.start - 1e-6 <= f.time < song.start + song.duration - 1e-6]
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


def waveform_png(path: Path, samples: np.ndarray, sr: int, song: SongLog, segs: list[Segment]) -> None:
    img = _canvas(WAVE_H)
    dur = max(song.duration, 1e-6)
    n = min(len(samples), int(dur * sr))
    cols = np.array_split(np.abs(samples[:n]), W) if n >= W else [np.zeros(1)] * W
    peak = max(1e-6, float(np.max(np.abs(samples[:n]))) if n else 1.0)
    mid = WAVE_H // 2
    for x, col in enumerate(cols):
        a = int(float(col.max()) / peak * (mid - 4)) if len(col) else 0
        img[mid - a:mid + a + 1, x] = COLOURS["wave"]
    px = W / dur
    for b in song.beats:
        _vline(img, b * px, "beat", 0, 14)
    for s in segs[1:]:
        _vline(img, s.start * px, "switch", 0, None, 2)
    for f in song.fired:
        _vline(img, (f.time - 0.0) * px, "section", 0, None, 2)
    write_png(path, img)


def tempo_png(path: Path, song: SongLog, bpm_range: tuple[float, float] | None) -> tuple[float, float]:
    """The show's tempo over the song; returns the (low, high) BPM of the plot's scale."""
    img = _canvas(TEMPO_H)
    bpms = [b for _, b in song.tempo] or [120.0]
    lo, hi = min(bpms), max(bpms)
    if bpm_range:
        lo, hi = min(lo, bpm_range[0]), max(hi, bpm_range[1])
    lo, hi = math.floor(lo - 5), math.ceil(hi + 5)
    dur = max(song.duration, 1e-6)

    def y(b: float) -> int:
        return int(round((TEMPO_H - 6) - (b - lo) / (hi - lo) * (TEMPO_H - 12)))

    if bpm_range:
        img[y(bpm_range[1]):y(bpm_range[0]) + 1, :] = COLOURS["range"]
    prev = None
    for t, b in song.tempo:
        x = min(W - 1, int(t / dur * W))
        yy = min(TEMPO_H - 1, max(0, y(b)))
        if prev is not None and prev[0] <= x:
            y0, y1 = sorted((prev[1], yy))
            img[y0:y1 + 1, prev[0]:x + 1] = COLOURS["tempo"]
        prev = (x, yy)
    write_png(path, img)
    return lo, hi


def warnings(plan: SongPlan, song: SongLog, segs: list[Segment]) -> list[str]:
    out = []
    bpms = [b for t, b in song.tempo if t >= min(4.0, song.duration / 2)]
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
    if never and len(segs) >= len(order):
        out.append(f"clips never shown: {', '.join(never)}")
    for sec in plan.sections:
        if not any(f.label == sec.label for f in song.fired):
            out.append(f"section at {sec.label} never came (the song is {song.duration:.1f} s)")
    return out


def write_report(result: RehearsalResult, plans: list[SongPlan], video: Path, *, title: str = "") -> Path:
    """Write ``show.html`` and ``show.report/``; returns the HTML path."""
    page, folder = report_paths(video)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    thumbs = folder / "thumbs"
    thumbs.mkdir()
    parts = [f"<!doctype html><meta charset='utf-8'><title>{html.escape(title or video.stem)}</title>",
             "<style>body{background:#111;color:#ddd;font:14px sans-serif;margin:24px}img.fig{display:block;width:100%;"
             "max-width:1200px}.tl{display:flex;max-width:1200px;height:74px;margin:4px 0 18px}.seg{position:relative;"
             "overflow:hidden;border-left:2px solid #5af;background:#222 no-repeat 0 0/600% 100%;font-size:10px}"
             ".seg span{position:absolute;bottom:0;left:2px;background:#000a;padding:0 2px}.fl{position:absolute;top:0;"
             "height:6px;background:#5af}.warn{color:#f96}.legend b{padding:0 6px}</style>",
             f"<h1>{html.escape(title or video.stem)}</h1>",
             f"<p>{html.escape(video.name)}: {result.duration:.1f} s, {result.frames} frames, "
             f"{len(result.switches)} clip switches, rendered at {result.speed:.2f}x real time.</p>",
             "<p class='legend'>Waveform: <b style='color:#fb3'>beats</b><b style='color:#5af'>clip switches</b>"
             "<b style='color:#f55'>sections and cues</b>. Tempo: <b style='color:#7e8'>the show's BPM</b>"
             "<b style='color:#686'>the song's bpm_range</b>.</p>"]
    messages = list(dict.fromkeys(result.messages))
    if messages:
        parts.append("<h2>Problems during the render</h2><ul>" +
                     "".join(f"<li class='warn'>{html.escape(m)}</li>" for m in messages) + "</ul>")
    for n, (plan, song) in enumerate(zip(plans, result.songs), 1):
        segs = segments(result, song)
        track = load_audio(plan.audio, 8000) if plan.audio else None
        wave = folder / f"song{n}-waveform.png"
        waveform_png(wave, track.samples if track else np.zeros(1, np.float32), 8000, song, segs)
        lo, hi = tempo_png(folder / f"song{n}-tempo.png", song, plan.bpm_range)
        bpms = [b for t, b in song.tempo if t >= min(4.0, song.duration / 2)]
        parts.append(f"<h2>{n}. {html.escape(song.title)}</h2><p>starts at {song.start:.1f} s, {song.duration:.1f} s, "
                     f"bank {html.escape(plan.bank.name)}, {len(segs) - 1} transitions, "
                     f"median tempo {statistics.median(bpms) if bpms else 0:.1f} BPM, {len(song.beats)} beats</p>")
        parts.append(f"<img class='fig' src='{folder.name}/{wave.name}' alt='waveform'>")
        parts.append(f"<p>tempo ({lo}-{hi} BPM)</p><img class='fig' src='{folder.name}/song{n}-tempo.png' alt='tempo'>")
        cells = []
        by_id = {c.id: c for c in plan.bank.clips}
        for s in segs:
            cid = s.clip.split("/")[-1]
            clip = by_id.get(cid)
            style = f"width:{100 * (s.end - s.start) / max(song.duration, 1e-6):.3f}%"
            if clip is not None and clip.preview is not None and Path(clip.preview).is_file():
                thumb = thumbs / f"{plan.bank.name}-{cid}.png"
                if not thumb.exists():
                    shutil.copyfile(clip.preview, thumb)
                style += f";background-image:url('{folder.name}/thumbs/{thumb.name}')"
            flight = ""
            if s.flight is not None:
                flight = (f"<div class='fl' style='left:0;width:{100 * (s.flight[1] - s.flight[0]) / max(s.end - s.start, 1e-6):.1f}%'"
                          f" title='flight {s.flight[0]:.2f}-{s.flight[1]:.2f} s'></div>")
            cells.append(f"<div class='seg' style=\"{style}\" title='{html.escape(cid)} {s.start:.2f}-{s.end:.2f} s'>"
                         f"{flight}<span>{html.escape(cid)}</span></div>")
        parts.append("<div class='tl'>" + "".join(cells) + "</div>")
        if song.fired:
            parts.append("<ul>" + "".join(f"<li>{f.time:.2f} s ({html.escape(f.label)}): {html.escape(f.what)}</li>"
                                          for f in song.fired) + "</ul>")
        warns = warnings(plan, song, segs)
        parts.append("<ul>" + "".join(f"<li class='warn'>{html.escape(w)}</li>" for w in warns) + "</ul>"
                     if warns else "<p>no warnings</p>")
    atomic_write(page, "\n".join(parts) + "\n")
    return page
