"""The `vj` command: a thin argparse shell over command modules in ``vj.commands``.

Each command module exposes ``register(subparsers)``, which adds its sub-command
and sets ``func`` (``args -> int`` exit code).  A :class:`~vj.errors.VjError`
anywhere is printed as its located problems, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .commands import interrupt_held
from .errors import VjError

#: Command modules, in the order they appear in ``vj --help``.
COMMAND_MODULES = ["bank", "setlist", "rehearse", "play", "audio", "beats", "demo", "demo_track", "isf"]


def version() -> str:
    """The installed package's version (pyproject.toml's), or the source tree's when vj runs uninstalled."""
    from importlib.metadata import PackageNotFoundError, version as installed

    try:
        return installed("vj")
    except PackageNotFoundError:
        from . import __version__
        return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vj", description="Audio-reactive infinite-zoom VJ tool.")
    parser.add_argument("--version", action="version", version=f"vj {version()}",
                        help="print vj's version (say it in a bug report) and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"vj.commands.{name}")
        except ModuleNotFoundError as exc:  # a command still being written must not break the others
            if exc.name == f"vj.commands.{name}":
                continue
            raise
        module.register(sub)
    return parser


def command_help(name: str, columns: int = 400) -> str:
    """``vj NAME --help`` as text, one line per option (``columns`` wide), for the generated docs."""
    parser = argparse.ArgumentParser(prog="vj")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    importlib.import_module(f"vj.commands.{name}").register(sub)
    # one line per option, and no colour (Python 3.14 colours help in a terminal; PYTHON_COLORS=0 wins over
    # FORCE_COLOR there, NO_COLOR for other colourers)
    env = {"COLUMNS": str(columns), "NO_COLOR": "1", "PYTHON_COLORS": "0"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return sub.choices[name].format_help()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main(argv: list[str] | None = None) -> int:
    try:
        with interrupt_held():
            parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except VjError as exc:
        for problem in exc.problems:
            print(f"vj: {problem}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("vj: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        if not _stdout_closed():
            raise
        # `vj bank focus NAME --json | head`: the reader has what it wanted; no traceback, and none again when
        # Python flushes stdout on the way out
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _stdout_closed() -> bool:
    """Whether the program reading our stdout has gone (a pipe whose reader closed reports an error)."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(ev & select.POLLERR for _, ev in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


if __name__ == "__main__":
    sys.exit(main())
