"""Focus points set by clicking the preview, and writing them into their banks (Ctrl+S).

A click names a point on the screen; the clip under it (the top-most layer there) gets its focus at
that point in its *source* frame (bank.toml's coordinates: the cover crop undone).  The show uses it
from the clip's next entry (a focus moved mid-shot would jump the picture); Ctrl+S writes the points
into bank.toml with :func:`vj.focus.store.write_focus`, which keeps every other byte of the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from ...bank import Bank, Clip, assign_ids
from ...engine.frame import FrameDesc
from ...engine.framing import framing
from ...focus.store import write_focus
from ...tomlloc import loads


def focus_at(desc: FrameDesc, sx: float, sy: float, output_aspect: float,
             clips: Mapping[str, Clip]) -> tuple[str, float, float] | None:
    """(clip id, x, y in its source frame) under screen point (sx, sy) (0..1, top-left), or None.
    The layer's framing (fill, fit, blur: vj.engine.framing) is undone the way the compositor drew it."""
    for layer in reversed(desc.layers):
        u, v = layer.screen_to_uv(sx, sy)
        if not (0.0 <= u <= 1.0 and 0.0 <= v <= 1.0):
            continue
        clip = clips.get(layer.clip_id)
        aspect = layer.aspect if layer.aspect > 0 else \
            (clip.probe.width / max(clip.probe.height, 1) if clip is not None and clip.probe else 0.0)
        x, y = framing(aspect, output_aspect, layer.fit).to_source((u, v))
        return layer.clip_id, min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)
    return None


def save_focus(points: Mapping[str, tuple[float, float]], clips: Mapping[str, Clip],
               banks: Sequence[Bank]) -> list[str]:
    """Write each show clip's point into its bank's bank.toml; returns what was written, per bank.
    Raises ValueError (with the file named) when a bank file cannot take it; nothing of that file is written."""
    said = []
    for bank in {b.path: b for b in banks}.values():
        mine = {c.id: points[sid] for sid, c in clips.items() if sid in points and c in bank.clips}
        if not mine:
            continue
        toml = Path(bank.toml)
        tables = loads(toml.read_text(encoding="utf-8")).get("clips", [])
        index = {cid: i for i, cid in enumerate(assign_ids(tables)) if cid is not None}
        missing = [cid for cid in mine if cid not in index]
        if missing:
            raise ValueError(f"{toml}: no [[clips]] table for {', '.join(missing)} any more (was the file edited?)")
        try:
            write_focus(toml, {index[cid]: xy for cid, xy in mine.items()})
        except (OSError, ValueError) as exc:
            raise ValueError(f"{toml}: {exc}") from None
        said.append(f"{len(mine)} focus point(s) written to {toml}")
    return said
