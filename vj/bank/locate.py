"""Where banks and their clips are: a bank name or path to its folder, the banks there are, a clip's
file as an absolute path, and clip ids (explicit ones first, file stems made unique).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Sequence

from .. import BANKS
from .model import BANK_FILE, ID_RE


_SLUG_RE = re.compile(r"[^\w.-]+")


def bank_dir(name_or_path: str | Path, banks_dir: Path = BANKS) -> Path:
    """A bank name means ``banks_dir/NAME``; anything path-like is the folder (or its bank.toml)."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or "/" in text or os.sep in text or text.startswith((".", "~")):
        path = Path(text).expanduser()
        if path.name == BANK_FILE:
            path = path.parent
        return Path(os.path.abspath(path))
    return Path(banks_dir) / text


def list_banks(banks_dir: Path = BANKS) -> list[str]:
    try:
        return sorted(p.name for p in Path(banks_dir).iterdir() if (p / BANK_FILE).is_file())
    except OSError:
        return []


def resolve_file(bank: Path, file: str) -> Path:
    """Absolute, normalised path of a clip's ``file`` (relative paths start at the bank folder)."""
    p = Path(file).expanduser()
    return Path(os.path.normpath(p if p.is_absolute() else bank / p))


def slug(stem: str) -> str:
    return _SLUG_RE.sub("-", stem).strip("-.") or "clip"


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free; records it in ``taken``."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def assign_ids(tables: Sequence[Any]) -> list[str | None]:
    """Ids for raw [[clips]] tables: explicit valid ids first, then file stems de-duplicated.

    Explicit ids win so that hand-chosen names never change; a derived id that
    collides gets ``-2``, ``-3``... in file order.  None where neither exists.
    """
    ids: list[str | None] = [None] * len(tables)
    taken: set[str] = set()
    for i, t in enumerate(tables):
        cid = t.get("id") if isinstance(t, dict) else None
        if isinstance(cid, str) and ID_RE.match(cid):
            ids[i] = cid
            taken.add(cid)
    for i, t in enumerate(tables):
        if ids[i] is None and isinstance(t, dict) and "id" not in t and isinstance(t.get("file"), str):
            ids[i] = unique_id(slug(Path(t["file"]).stem), taken)
    return ids
