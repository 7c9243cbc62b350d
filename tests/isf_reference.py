"""vj's ISF host against the reference renderer, pixel by pixel.

The reference is the JavaScript ISF renderer (npm ``interactive-shader-format``,
pinned in tests/isf_reference/package-lock.json, installed by ``make setup`` with
``npm ci``), running on WebGL (SwiftShader) in Debian's headless Chromium.  Both
sides render the same file with the same input values, pictures, time and size;
:func:`compare` says how far apart they are.

Chromium is started per batch with ``--dump-dom`` (the page renders synchronously
and writes the pixels into the DOM) and killed by its process group if it hangs.
Used by tests/test_isf_reference.py and bench/isf_reference.py.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent / "isf_reference"
BUNDLE = HERE / "node_modules" / "interactive-shader-format" / "dist" / "build.js"
SCRIPT = HERE / "render.js"


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    return None


def missing() -> str | None:
    """Why the reference cannot run here (None when it can)."""
    if chromium() is None:
        return "chromium is not installed: run `make setup` (scripts/system-deps.sh installs it)"
    if not BUNDLE.exists():
        return "the reference renderer is not installed: run `make setup` (npm ci in tests/isf_reference)"
    return None


@dataclass
class Case:
    """One file rendered the same way on both sides."""

    name: str
    path: Path
    values: dict = field(default_factory=dict)       #: every value input, explicitly
    images: dict = field(default_factory=dict)       #: image input -> picture key
    times: tuple[float, ...] = (1.0,)                 #: TIME of each frame
    frames: int = 4                                   #: frames rendered; the last is compared

    def fragment(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")

    def vertex(self) -> str | None:
        p = vertex_path(self.path)
        return p.read_text(encoding="utf-8", errors="replace") if p is not None else None


def vertex_path(path: Path) -> Path | None:
    """The vertex shader beside an ISF file, if it has one."""
    return next((p for p in (path.with_suffix(".vs"), path.with_suffix(".vert")) if p.exists()), None)


def render_reference(cases: list[Case], pictures: dict[str, np.ndarray], size: tuple[int, int],
                     timeout: float = 300.0) -> dict[str, np.ndarray | str]:
    """Each case's last frame from the reference, ``(h, w, 4)`` uint8 top row first, or an error string."""
    why = missing()
    if why:
        raise RuntimeError(why)
    w, h = size
    data = {
        "width": w, "height": h,
        "pictures": {k: {"width": p.shape[1], "height": p.shape[0],
                         "rgba": base64.b64encode(np.ascontiguousarray(p, np.uint8).tobytes()).decode()}
                     for k, p in pictures.items()},
        "cases": [{"name": c.name, "fragment": c.fragment(), "vertex": c.vertex(), "values": c.values,
                   "images": c.images, "times": list(c.times), "frames": c.frames} for c in cases],
    }
    blob = json.dumps(data).replace("</", "<\\/")
    page = (f'<!doctype html><html><body><pre id="out">pending</pre>'
            f'<script src="{BUNDLE.as_uri()}"></script>'
            f'<script type="application/json" id="cases">{blob}</script>'
            f'<script src="{SCRIPT.as_uri()}"></script></body></html>')
    with tempfile.TemporaryDirectory(prefix="vj-isf-ref-") as tmp:
        page_path = Path(tmp) / "page.html"
        page_path.write_text(page)
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader",
               "--no-first-run", "--disable-extensions", "--allow-file-access-from-files",
               f"--user-data-dir={tmp}/profile", "--dump-dom", page_path.as_uri()]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # chromium and its helpers: the group we started
            proc.wait()
            raise RuntimeError(f"the reference renderer did not finish within {timeout:g} s") from None
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    m = re.search(r'<pre id="out">(.*?)</pre>', out.decode("utf-8", "replace"), re.S)
    if not m or m.group(1) == "pending":
        raise RuntimeError("the reference page did not finish (no result in the DOM)")
    payload = json.loads(html.unescape(m.group(1)))
    results: dict[str, np.ndarray | str] = {}
    for name, r in payload["results"].items():
        if "rgba" in r:
            px = np.frombuffer(base64.b64decode(r["rgba"]), np.uint8).reshape(h, w, 4)
            results[name] = px[::-1].copy()  # readPixels gives the bottom row first
        else:
            results[name] = r.get("error", "no result")
    return results


def render_vj(ctx, case: Case, pictures: dict[str, np.ndarray], size: tuple[int, int]) -> np.ndarray:
    """The same case through vj's host: ``(h, w, 4)`` uint8, top row first."""
    from vj.isf import IsfShader
    from vj.isf.images import read_picture, texture_from_picture

    shader = IsfShader.load(ctx, case.path, size)
    textures = {k: texture_from_picture(ctx, p) for k, p in pictures.items()}
    try:
        images = {name: textures[key] for name, key in case.images.items()}
        for f in range(case.frames):
            tex = shader.render(case.times[min(f, len(case.times) - 1)], values=case.values, images=images)
        return read_picture(tex)
    finally:
        for t in textures.values():
            t.release()
        shader.release()


@dataclass(frozen=True)
class Diff:
    mean: float      #: mean absolute difference over all pixels and RGBA channels, in 1/255 units
    p999: float      #: 99.9th percentile of the per-pixel max channel difference
    max: int         #: largest single channel difference
    share_over_8: float  #: fraction of pixels with some channel off by more than 8/255


def compare(a: np.ndarray, b: np.ndarray) -> Diff:
    d = np.abs(a.astype(np.int16) - b.astype(np.int16))
    per_px = d.max(axis=2)
    return Diff(mean=float(d.mean()), p999=float(np.percentile(per_px, 99.9)), max=int(d.max()),
                share_over_8=float((per_px > 8).mean()))


def reference_pictures(size: tuple[int, int]) -> dict[str, np.ndarray]:
    """Two opaque pictures with smooth gradients, soft discs and a few hard edges (not noise:
    a filter's output should not hinge on the last bit of a texture coordinate)."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = (x + 0.5) / w, (y + 0.5) / h
    out = {}
    for key, (cx, cy, hue) in {"a": (0.35, 0.45, 0.0), "b": (0.65, 0.55, 2.1)}.items():
        r = 0.5 + 0.45 * np.sin(6.0 * u + hue)
        g = 0.5 + 0.45 * np.sin(5.0 * v + 1.3 + hue)
        b = 0.5 + 0.45 * np.cos(4.0 * (u + v) + hue)
        disc = np.clip((0.22 - np.hypot((u - cx) * w / h, v - cy)) * 40, 0, 1)
        r, g, b = (c * (1 - disc) + disc * k for c, k in zip((r, g, b), (1.0, 0.9, 0.2)))
        bars = ((x // (w // 8)) % 2 == 0) & (v > 0.85)
        rgb = np.stack([r, g, b], -1)
        rgb[bars] = (0.1, 0.1, 0.1)
        rgba = np.concatenate([np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8),
                               np.full((h, w, 1), 255, np.uint8)], axis=2)
        out[key] = rgba
    return out


# ---------------------------------------------------------------- which files a comparison is fair on
#: Words that give away pseudo-random numbers (hash noise differs between GPUs by design: sin() of a
#: large argument is not specified to the last bit, and fract() of it turns that into anything).
RANDOM = re.compile(r"rand|random|noise|hash|fract\s*\(\s*sin|fract\s*\(\s*cos", re.I)
_IMG_CALL = re.compile(r"\bIMG_(?:NORM_|THIS_|THIS_NORM_)?PIXEL\s*\(")


def _args_have_calls(src: str) -> bool:
    """True if an IMG_* call has brackets in its arguments: the reference's regex (up to the first
    ')') then cuts the call short and samples somewhere else, without an error."""
    for m in _IMG_CALL.finditer(src):
        depth, i = 1, m.end()
        while i < len(src) and depth:
            if src[i] == "(":
                return True
            if src[i] == ")":
                depth -= 1
            i += 1
    return False


def ineligible(spec) -> str | None:
    """Why a file is left out of the comparison (None if it is in).  The reasons are the issue's
    ("without randomness") and the reference renderer's documented limits (its source, 2.8.1)."""
    src = spec.fragment + (spec.vertex or "")
    if spec.kind not in ("filter", "generator"):
        return "a transition (the comparison covers filters and generators)"
    if RANDOM.search(src):
        return "uses pseudo-random numbers"
    if any(i.type in ("audio", "audioFFT") for i in spec.inputs):
        return "audio inputs (the reference has no audio input types)"
    if spec.imports:
        return "IMPORTED images (the reference declares them but never loads them)"
    if spec.uses_date:
        return "reads the wall clock (DATE)"
    if any(p.persistent for p in spec.passes):
        return "persistent buffers (the reference reads pass targets one frame late, so feedback drifts)"
    if any(p.float for p in spec.passes):
        return "FLOAT buffers (the reference renders them 8-bit)"
    if _args_have_calls(src):
        return "IMG_* call with a nested call in its arguments (the reference's regex mis-parses it)"
    resized = any(p.target and (p.width != "$WIDTH" or p.height != "$HEIGHT") for p in spec.passes)
    if resized and re.search(r"\bIMG_PIXEL\b", src):
        return "IMG_PIXEL on a resized buffer (the reference divides by RENDERSIZE, not the image size)"
    return None


_POW_CALL = re.compile(r"\bpow(?=\s*\()")
ABS_POW = " ".join(f"{t} vjref_abs_pow({t} x, {t} y) {{ return pow(abs(x), y); }}"
                   for t in ("float", "vec2", "vec3", "vec4"))


def with_abs_pow(path: Path, into: Path) -> Path:
    """A copy of an ISF file (and its vertex shader) in ``into`` where every pow takes the absolute value
    of its base."""
    out = into / path.name
    text = path.read_text(encoding="utf-8", errors="replace")
    end = text.index("*/") + 2 if "*/" in text else 0
    out.write_text(text[:end] + ABS_POW + _POW_CALL.sub("vjref_abs_pow", text[end:]), encoding="utf-8")
    vs = vertex_path(path)
    if vs is not None:
        v = vs.read_text(encoding="utf-8", errors="replace")
        out.with_suffix(vs.suffix).write_text(ABS_POW + "\n" + _POW_CALL.sub("vjref_abs_pow", v), encoding="utf-8")
    return out


def undefined_pow(ctx, spec, pictures: dict[str, np.ndarray], size: tuple[int, int]) -> Diff | None:
    """How far vj's own picture moves when every ``pow`` takes the absolute value of its base (worst
    case), or None when it does not move.  A picture that moves is drawn with pow of a negative base,
    which GLSL leaves undefined: drivers disagree (Mesa NaN, SwiftShader |x|^y, vj the signed power for
    whole exponents), so such a file has no right answer to compare against.  Decided by rendering,
    for every file alike, not by looking at the reference."""
    import dataclasses
    src = spec.fragment + (spec.vertex or "")
    if not _POW_CALL.search(src):
        return None
    worst = None
    with tempfile.TemporaryDirectory() as d:
        copy = with_abs_pow(spec.path, Path(d))
        for case in cases_for(spec, size):
            a = render_vj(ctx, case, pictures, size)
            b = render_vj(ctx, dataclasses.replace(case, path=copy), pictures, size)
            diff = compare(a, b)
            if diff.max > 8 and (worst is None or diff.mean > worst.mean):
                worst = diff
    return worst


def value_sets(spec) -> dict[str, dict]:
    """Two settings per file: the defaults, and every value moved part of the way across its range
    (defaults are often 'no effect')."""
    base = {i.name: (list(i.default) if isinstance(i.default, tuple) else i.default) for i in spec.controls}
    moved = {}
    for i in spec.controls:
        d = i.default
        if i.type == "float":
            lo = i.min if i.min is not None else d - 1.0
            hi = i.max if i.max is not None else d + 1.0
            moved[i.name] = d + 0.37 * ((hi if hi - d >= d - lo else lo) - d)
        elif i.type == "bool":
            moved[i.name] = not d
        elif i.type == "event":
            moved[i.name] = False
        elif i.type == "long":
            choices = list(i.values) or list(range(int(i.min or 0), int(i.max if i.max is not None else 3) + 1))
            moved[i.name] = choices[(choices.index(d) + 1) % len(choices)] if d in choices else choices[0]
        elif i.type == "color":
            moved[i.name] = [d[2], 0.5 * (d[0] + d[1]), 1.0 - d[0], d[3]]
        elif i.type == "point2D":
            lo, hi = i.min, i.max
            if lo is not None and hi is not None:
                moved[i.name] = [lo[k] + (0.3 + 0.4 * k) * (hi[k] - lo[k]) for k in range(2)]
            else:
                moved[i.name] = [d[0] * 0.8 + 0.1, d[1] * 0.8 + 0.15]
    return {"defaults": base, "moved": moved}


def cases_for(spec, size: tuple[int, int], frames: int | None = None, time: float = 1.25) -> list[Case]:
    """The comparison cases of one file: each value set, same pictures, fixed TIME.

    The reference reads every pass target one frame late, so a chain of N passes shows its
    final picture only from frame N+1 on; we render N + 3 frames (at least 4) on both sides."""
    frames = frames or max(4, len(spec.passes) + 3)
    images = {i.name: ("b" if i.name == "endImage" else "a") for i in spec.inputs if i.type == "image"}
    return [Case(f"{spec.path.name}|{label}", spec.path, vals, images, (time,), frames)
            for label, vals in value_sets(spec).items()]
