"""Check ISF files the way the show would use them: compile, render a few frames, time them.

Used by ``vj isf check`` and bench/isf_coverage.py.  A bad shader is a row that
says ``failed`` and why (file and ISF line); only a broken GL context is an error.
Default inputs everywhere; image inputs see a test picture, audio inputs a tone.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import moderngl
import numpy as np

from ..errors import Problem
from .effects import load_isf
from .images import IsfAudio, read_picture, texture_from_picture, write_png
from .spec import IsfError, parse_isf

#: Frames rendered per file; the first allocates buffers, so ms/frame is the median of the rest
FRAMES = 4
FPS = 30.0


@dataclass(frozen=True, slots=True)
class CheckRow:
    path: Path
    kind: str                 #: filter, transition, generator, or "?" when the header is unreadable
    ok: bool
    why: str = ""             #: the first problem, located (file:line: message)
    ms_per_frame: float | None = None
    compile_ms: float | None = None
    problems: tuple[Problem, ...] = ()


def check_picture(size: tuple[int, int], variant: int = 0) -> np.ndarray:
    """A picture for image inputs: colour ramps, a disc and a checker band, so effects show up."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = (x + 0.5) / w, (y + 0.5) / h
    phase = 1.7 * variant
    rgb = np.stack([0.5 + 0.45 * np.sin(6 * u + phase), 0.5 + 0.45 * np.sin(5 * v + 1.3 + phase),
                    0.5 + 0.45 * np.cos(4 * (u + v) + phase)], -1)
    disc = np.hypot((u - 0.5 - 0.15 * (1 - 2 * variant)) * w / h, v - 0.5) < 0.25
    rgb[disc] = (1.0, 0.85, 0.2) if variant == 0 else (0.2, 0.6, 1.0)
    band = (v > 0.8) & (((x // max(1, w // 16)) + (y // max(1, h // 18))) % 2 == 0)
    rgb[band] = 0.08
    pic = np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8)
    return np.concatenate([pic, np.full((h, w, 1), 255, np.uint8)], axis=2)


def check_audio(samples: int = 512, bins: int = 256) -> IsfAudio:
    """A 220 Hz tone with a harmonic (48 kHz), and a falling spectrum with a bass peak."""
    t = np.arange(samples) / 48000.0
    wave = 0.6 * np.sin(2 * np.pi * 220 * t) + 0.2 * np.sin(2 * np.pi * 660 * t)
    f = np.arange(bins, dtype=np.float32)
    spectrum = 0.8 * np.exp(-f / 40.0) + 0.3 * np.exp(-((f - 6) / 2.0) ** 2)
    return IsfAudio(waveform=wave.astype(np.float32), spectrum=np.clip(spectrum, 0, 1).astype(np.float32))


def find_files(paths: Iterable[Path]) -> list[Path]:
    """``*.fs`` files of each directory (sorted) and each file given."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(p.glob("*.fs"), key=lambda q: q.name.lower()))
        else:
            out.append(p)
    return out


def check_file(ctx: moderngl.Context, path: Path, size: tuple[int, int] = (640, 360), frames: int = FRAMES,
               save: Path | None = None) -> CheckRow:
    """Compile ``path`` and render ``frames`` frames with default inputs; never raises for a bad file."""
    path = Path(path)
    try:
        kind = parse_isf(path).kind
    except IsfError as exc:
        probs = tuple(p for p in exc.problems if isinstance(p, Problem))
        return CheckRow(path, "?", False, str(exc.problems[0]), problems=probs)
    pictures = [texture_from_picture(ctx, check_picture(size, v)) for v in (0, 1)]
    audio = check_audio()
    shader = None
    try:
        t0 = time.perf_counter()
        shader = load_isf(ctx, path, size)
        ctx.finish()
        compile_ms = (time.perf_counter() - t0) * 1000
        images = {}
        for inp in shader.inputs:
            if inp.type == "image":
                images[inp.name] = pictures[1] if inp.name == "endImage" else pictures[0]
        times = []
        out = None
        for i in range(max(1, frames)):
            t1 = time.perf_counter()
            out = shader.render(i / FPS, images=images, audio=audio, date=(2026.0, 12.0, 4.0, 45000.0))
            ctx.finish()
            times.append((time.perf_counter() - t1) * 1000)
        err = ctx.error
        if err != "GL_NO_ERROR":
            return CheckRow(path, kind, False, f"{path}: rendering left {err}", compile_ms=compile_ms)
        if save is not None and out is not None:
            save.mkdir(parents=True, exist_ok=True)
            write_png(save / f"{path.stem}.png", read_picture(out))
        ms = statistics.median(times[1:] if len(times) > 1 else times)
        return CheckRow(path, kind, True, "", ms, compile_ms)
    except IsfError as exc:
        probs = tuple(p for p in exc.problems if isinstance(p, Problem))
        return CheckRow(path, kind, False, str(exc.problems[0]), problems=probs)
    except (moderngl.Error, ValueError, OverflowError, MemoryError) as exc:
        return CheckRow(path, kind, False, f"{path}: {exc.__class__.__name__}: {str(exc).strip()[:300]}")
    except Exception as exc:  # noqa: BLE001 - one odd file must not end the check of the others
        return CheckRow(path, kind, False, f"{path}: vj could not handle this file (please report it): "
                                           f"{exc.__class__.__name__}: {str(exc).strip()[:300]}")
    finally:
        if shader is not None:
            shader.release()
        for p in pictures:
            p.release()


def check_files(ctx: moderngl.Context, paths: Iterable[Path], size: tuple[int, int] = (640, 360),
                frames: int = FRAMES, save: Path | None = None) -> Iterator[CheckRow]:
    for path in paths:
        yield check_file(ctx, path, size, frames, save)
