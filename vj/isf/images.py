"""Images in and out of the ISF host: files (IMPORTED), numpy arrays, audio, read-back.

Convention everywhere in vj.isf: a texture's first row is the *bottom* of the
picture (GL's convention), and arrays given as pictures (``(h, w, 4)`` uint8,
first row on top, as PIL/PyAV/PNG give them) are flipped on upload and on read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import moderngl
import numpy as np

#: Width of an audio/audioFFT image when the input asks for none (its MAX); VDMX's default FFT gives 512 bins
DEFAULT_AUDIO_WIDTH = 256


def load_picture(path: Path) -> np.ndarray:
    """An image file (PNG, JPEG, ... anything FFmpeg decodes) as ``(h, w, 4)`` uint8 RGBA, top row first."""
    import av

    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            return frame.to_ndarray(format="rgba")
    raise ValueError(f"{path} holds no image")


def texture_from_picture(ctx: moderngl.Context, picture: np.ndarray) -> moderngl.Texture:
    """Upload a ``(h, w, 3|4)`` uint8 picture (top row first) as an RGBA8 texture (bottom row first)."""
    pic = np.ascontiguousarray(picture)
    if pic.ndim != 3 or pic.shape[2] not in (3, 4) or pic.dtype != np.uint8:
        raise ValueError(f"expected an (h, w, 3|4) uint8 picture, got {pic.shape} {pic.dtype}")
    if pic.shape[2] == 3:
        pic = np.concatenate([pic, np.full(pic.shape[:2] + (1,), 255, np.uint8)], axis=2)
    h, w = pic.shape[:2]
    tex = ctx.texture((w, h), 4, np.ascontiguousarray(pic[::-1]).tobytes())
    tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
    tex.repeat_x = tex.repeat_y = False
    return tex


def cube_from_pictures(ctx: moderngl.Context, faces: list[np.ndarray]) -> moderngl.TextureCube:
    """A cube map from six pictures (+X, -X, +Y, -Y, +Z, -Z), uploaded as given (GL's cube faces have
    their first row at the top), each face resized to the first one's size by nearest pixel if needed."""
    h, w = faces[0].shape[:2]
    data = []
    for pic in faces:
        pic = np.ascontiguousarray(pic, np.uint8)
        if pic.shape[2] == 3:
            pic = np.concatenate([pic, np.full(pic.shape[:2] + (1,), 255, np.uint8)], axis=2)
        if pic.shape[:2] != (h, w):
            ys = np.arange(h) * pic.shape[0] // h
            xs = np.arange(w) * pic.shape[1] // w
            pic = pic[ys][:, xs]
        data.append(pic.tobytes())
    tex = ctx.texture_cube((w, h), 4, b"".join(data))
    tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
    return tex


def read_picture(texture: moderngl.Texture) -> np.ndarray:
    """A texture read back as ``(h, w, 4)`` uint8, top row first (what a PNG or a screenshot shows)."""
    w, h = texture.size
    if texture.dtype == "f1":
        data = np.frombuffer(texture.read(alignment=1), np.uint8).reshape(h, w, texture.components)
    else:
        f = np.frombuffer(texture.read(), np.float32 if texture.dtype == "f4" else np.float16)
        data = (np.clip(f.reshape(h, w, texture.components), 0, 1) * 255 + 0.5).astype(np.uint8)
    if data.shape[2] < 4:
        data = np.concatenate([data, np.zeros(data.shape[:2] + (4 - data.shape[2],), np.uint8)], axis=2)
        data[..., 3] = 255
    return data[::-1].copy()


@dataclass(frozen=True, slots=True, eq=False)
class IsfAudio:
    """The audio an ISF file's ``audio``/``audioFFT`` inputs see this frame.

    ``waveform``: samples in -1..1, shape ``(samples,)`` or ``(channels, samples)``.
    ``spectrum``: magnitudes in 0..1, low to high frequency, ``(bins,)`` or ``(channels, bins)``.
    As in VDMX, a waveform image stores 0.5 + 0.5 * sample (0.5 is silence), one row per channel.
    """

    waveform: np.ndarray | None = None
    spectrum: np.ndarray | None = None

    def image(self, kind: str, width: int) -> np.ndarray:
        """``(channels, width, 4)`` float32 for an input of ``kind`` "audio" or "audioFFT"."""
        src = self.waveform if kind == "audio" else self.spectrum
        width = width or (DEFAULT_AUDIO_WIDTH if src is None else np.atleast_2d(src).shape[1]) or DEFAULT_AUDIO_WIDTH
        if src is None or np.size(src) == 0:
            rows = np.zeros((1, width), np.float32)
        else:
            rows = np.atleast_2d(np.asarray(src, np.float32))
            if rows.shape[1] != width:  # resample each channel to the width the shader asked for
                x = np.linspace(0, rows.shape[1] - 1, width)
                rows = np.stack([np.interp(x, np.arange(rows.shape[1]), r) for r in rows]).astype(np.float32)
        rows = np.nan_to_num(rows, nan=0.0, posinf=1.0, neginf=-1.0)
        if kind == "audio":
            rows = np.clip(rows, -1, 1) * 0.5 + 0.5
        else:
            rows = np.clip(rows, 0, None)
        img = np.empty(rows.shape + (4,), np.float32)
        img[..., :3] = rows[..., None]
        img[..., 3] = 1.0
        return img


SILENCE = IsfAudio()


def write_png(path: Path, picture: np.ndarray) -> None:
    """Write an ``(h, w, 4)`` uint8 picture (top row first) as an RGBA PNG (stdlib only, atomically)."""
    import struct
    import zlib

    pic = np.ascontiguousarray(picture, np.uint8)
    h, w = pic.shape[:2]
    raw = b"".join(b"\x00" + pic[y].tobytes() for y in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(png)
    tmp.replace(path)
