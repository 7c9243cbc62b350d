"""Sub-commands of `vj`; each module has ``register(subparsers)``."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from pathlib import Path

from .. import BANKS


def add_banks_dir(p: argparse.ArgumentParser) -> None:
    """``--banks-dir DIR``: one option, the same on every command that finds banks by name."""
    p.add_argument("--banks-dir", type=Path, default=BANKS, metavar="DIR",
                   help=f"where banks named by name live (default {BANKS}; $VJ_HOME/banks when set)")


@contextlib.contextmanager
def interrupt_held():
    """Ctrl+C held back while the commands' modules load (a second or more: numpy, the GL and GUI bindings):
    one landing inside a compiled module's start-up printed a 40-line traceback, or aborted Python outright
    (nanobind's "Critical error", exit -6).  It is delivered as the block ends, and `vj` says `vj: interrupted`."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
