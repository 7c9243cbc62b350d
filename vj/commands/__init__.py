"""Sub-commands of `vj`; each module has ``register(subparsers)``."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import BANKS


def add_banks_dir(p: argparse.ArgumentParser) -> None:
    """``--banks-dir DIR``: one option, the same on every command that finds banks by name."""
    p.add_argument("--banks-dir", type=Path, default=BANKS, metavar="DIR",
                   help=f"where banks named by name live (default {BANKS}; $VJ_HOME/banks when set)")
