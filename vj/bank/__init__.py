"""Clip banks: a folder with ``bank.toml`` listing clips, plus a cache in ``.vj/``.

``bank.toml`` is the VJ's file: they hand-edit focus points, in/out points and tags,
so the tools only ever *append* to it (see :func:`import_bank`).  Everything derived
(probe results, filmstrip previews) lives in ``.vj/`` and can be thrown away.
Clips are referenced, never copied: a bank of hundreds of GB points at the files
where they are.

The frozen dataclasses of :mod:`vj.bank.model` are what the engine, decoder and compositor consume.

One module per part, so that none outgrows a read; the rest of vj imports from here
(``from vj.bank import load_bank``):

- :mod:`~vj.bank.model`: Clip, Bank, ImportResult, the file names in a bank folder
- :mod:`~vj.bank.schema`: the keys of bank.toml, one Field row each
- :mod:`~vj.bank.locate`: bank names and paths, clip files, clip ids
- :mod:`~vj.bank.read`: reading and checking (load_bank, check_bank, measure_looks)
- :mod:`~vj.bank.write`: writing bank.toml (HEADER, Entry) and filmstrip previews
- :mod:`~vj.bank.importer`: `vj bank import` (import_bank)
- :mod:`~vj.bank.demo`: the demo bank (build_demo_bank)
"""

from __future__ import annotations

from .model import BANK_FILE, CACHE_FILE, FORMAT, PREVIEW_DIR, STATE_DIR, Bank, Clip, ClipNotFound, ImportResult
from .schema import BANK_FIELDS, CLIP_FIELDS, ROOT_FIELDS
from .locate import assign_ids, bank_dir, list_banks, resolve_file, slug, unique_id
from .read import check_bank, load_bank, measure_looks, played_loop
from .write import HEADER, Entry, scan_videos
from .importer import import_bank
from .demo import DEMO_NAME, DEMO_SECONDS, DEMO_STAMP, build_demo_bank

__all__ = [
    "BANK_FIELDS", "BANK_FILE", "CACHE_FILE", "CLIP_FIELDS", "DEMO_NAME", "DEMO_SECONDS", "DEMO_STAMP", "FORMAT",
    "HEADER", "PREVIEW_DIR", "ROOT_FIELDS", "STATE_DIR", "Bank", "Clip", "ClipNotFound", "Entry", "ImportResult",
    "assign_ids", "bank_dir", "build_demo_bank", "check_bank", "import_bank", "list_banks", "load_bank",
    "measure_looks", "played_loop", "resolve_file", "scan_videos", "slug", "unique_id",
]
