"""The generated parts of docs/: one command writes them all from the tables they come from.

    python -m vj.docs            # list what is out of date (exit 1 if anything is)
    python -m vj.docs --write    # write it

Whole files (CONTROL.md, OSC.md) come from the control table; marked blocks inside hand-written
files (``<!-- BEGIN name ... -->`` to ``<!-- END name -->``) come from the table of show settings and,
in the README, from the key table (vj.live.keys.BINDINGS); the option tables of `vj play` and `vj rehearse`
from their argparse parsers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

DOCS = Path(__file__).resolve().parent.parent / "docs"
COMMAND = "python -m vj.docs --write"


def _shipped_effects() -> list:
    """The shaders vj ships, as a setlist names them by default: (EffectSpec-like name, shader stem, kind, inputs)."""
    from .isf import parse_isf
    from .setlist_fx import DRIVEN, SHIPPED, slug
    out = []
    for path in sorted(SHIPPED.glob("*.fs")):
        spec = parse_isf(path)
        driven = DRIVEN.get(spec.kind, ())
        out.append((slug(path.stem), path.stem, spec.kind, tuple(i for i in spec.controls if i.name not in driven)))
    return out


def _control() -> str:
    from .control.targets import control_doc, effect_targets
    targets = [t for name, stem, kind, inputs in _shipped_effects()
               for t in effect_targets(name, stem, inputs, switch=kind == "filter")]
    return control_doc(targets)


def _isf_inputs() -> str:
    """The inputs of the shipped effects: what a setlist may bind (docs/ISF.md)."""
    lines = ["| shader | kind | input | type | range | default | what it is | control |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]

    def show(v) -> str:
        if isinstance(v, tuple):
            return "[" + ", ".join(f"{x:g}" for x in v) + "]"
        if isinstance(v, bool):
            return "true" if v else "false"
        return f"{v:g}" if isinstance(v, (int, float)) else ("" if v is None else str(v))

    for name, stem, kind, inputs in _shipped_effects():
        for i in inputs:
            rng = (", ".join(f"{v} {t}" for v, t in zip(i.values, i.labels)) if i.labels
                   else f"{show(i.min)}..{show(i.max)}" if i.min is not None else ("0..1" if i.type == "color" else ""))
            lines.append(f"| {stem} | {kind} | `{i.name}` | {i.type} | {rng} | {show(i.default)} | {i.label} | "
                         f"`fx/{name}/{i.name}` |")
    return "\n".join(lines) + "\n"


def _signals() -> str:
    from .engine.bindings import describe_shapes, describe_signals
    return describe_signals() + "\n" + describe_shapes()


def _osc() -> str:
    from .control.oscdoc import osc_doc
    return osc_doc()


def _rules() -> str:
    from .engine.rules import rules_markdown
    return rules_markdown()


def _keys() -> str:
    from .live.keys import keys_markdown
    return keys_markdown()


def _settings() -> str:
    from .engine.rules import setlist_markdown
    return setlist_markdown()


def spell_option(opts: str) -> str:
    """An option as argparse lists it, written one way whatever the Python: 3.11 lists the metavar after every
    flag (``--audio-device AUDIO_DEVICE, -d AUDIO_DEVICE``), 3.13 after the last only; both become the flags,
    then the metavar once, each in code quotes."""
    flags, meta = [], ""
    for part in opts.split(", "):
        flag, _, rest = part.strip().partition(" ")
        flags.append(f"`{flag}`")
        meta = rest or meta
    return (", ".join(flags) + (f" `{meta}`" if meta else "")).replace("|", "\\|")


def options_markdown(command: str) -> str:
    """The options of ``vj COMMAND`` as a markdown table, from its argparse help (one table: the parser's)."""
    from . import BANKS
    from .cli import command_help
    rows: list[list[str]] = []
    section = ""
    for line in command_help(command).splitlines():
        if line and not line.startswith(" "):
            section = line.rstrip(":") if line.endswith(":") else ""
            continue
        if not section or section.startswith(("usage", "positional")):
            continue
        text = line.strip()
        if line.startswith("  -"):
            opts, _, help_ = text.partition("  ")
            rows.append([opts.strip(), help_.strip(), "" if section == "options" else section])
        elif rows and text:
            rows[-1][1] = (rows[-1][1] + " " + text).strip()
    out = ["| option | what it does |", "| --- | --- |"]
    shown = ""
    for opts, help_, group in rows:
        if opts.startswith("-h"):
            continue
        if group != shown:
            out.append(f"| *{group}* | |")
            shown = group
        help_ = help_.replace(str(BANKS), "banks/ in a checkout, ~/.local/share/vj/banks installed").replace("|", "\\|")
        out.append(f"| {spell_option(opts)} | {help_} |")
    return "\n".join(out) + "\n"


#: docs file -> (block name, or None for the whole file; what makes it)
GENERATED: dict[str, tuple[str | None, Callable[[], str]]] = {
    "CONTROL.md": (None, _control),
    "OSC.md": (None, _osc),
    "SHOW.md": ("rules", _rules),
    "SETLISTS.md": ("settings", _settings),
    "../README.md": ("keys", _keys),
    "ISF.md": ("isf_inputs", _isf_inputs),
    "PLAY.md": ("play_options", lambda: options_markdown("play")),
}
#: more than one generated block in a file: (file, block, what makes it)
BLOCKS: tuple[tuple[str, str, Callable[[], str]], ...] = (
    ("ISF.md", "isf_signals", _signals),
    ("SETLISTS.md", "rehearse_options", lambda: options_markdown("rehearse")),
)


def with_block(text: str, name: str, body: str) -> str:
    """``text`` with its generated block ``name`` replaced by ``body``."""
    begin = f"<!-- BEGIN {name}: generated by `{COMMAND}`; do not edit -->\n"
    end = f"<!-- END {name} -->"
    head, found, rest = text.partition(begin)
    if not found:
        raise ValueError(f"no generated block '{name}' (a line '{begin.strip()}')")
    _, found, tail = rest.partition(end)
    if not found:
        raise ValueError(f"the generated block '{name}' has no '{end}'")
    return head + begin + body + end + tail


def expected(file: str, docs: Path = DOCS) -> str:
    """What ``docs/file`` should hold now."""
    block, make = GENERATED[file]
    text = make() if block is None else with_block((docs / file).read_text(), block, make())
    for f, name, more in BLOCKS:
        if f == file:
            text = with_block(text, name, more())
    return text


def stale(docs: Path = DOCS) -> list[str]:
    return [f for f in GENERATED if (docs / f).read_text() != expected(f, docs)]


def main(argv: list[str]) -> int:
    if argv == ["--write"]:
        for file in GENERATED:
            (DOCS / file).write_text(expected(file))
            print(f"wrote {(DOCS / file).resolve()}")
        return 0
    old = stale()
    for file in old:
        print(f"{os.path.normpath('docs/' + file)} is out of date: run `{COMMAND}`")
    return 1 if old else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
