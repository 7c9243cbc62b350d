"""The code keeps its shape: imports follow the layer table of docs/ARCHITECTURE.md, nobody reads
another package's underscore names, and nothing outside the engine reaches into it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

VJ = Path(__file__).resolve().parent.parent / "vj"
ARCHITECTURE = VJ.parent / "docs" / "ARCHITECTURE.md"

#: underscore names of other libraries that vj uses on purpose
OUTSIDE_PRIVATE = {
    "os._exit",                   # the capture process must exit without running PortAudio's atexit (docs/AUDIO.md)
    "sd._terminate", "sd._initialize",   # PortAudio re-initialised to list devices again
    "argparse._SubParsersAction",  # the type of add_subparsers()
    "k._0", "k._1", "k._9",       # pyglet's key names for the digits
    "dl._owner_name",             # ImGui's ImDrawList::_OwnerName: the panel's draw lists known by window (its
                                  # place in the frame where a binding lacks it: vj.live.ui.host.list_names)
}


def layers() -> dict[str, tuple[str, set[str]]]:
    """package -> (its layer, the layers it may import), from the table in docs/ARCHITECTURE.md."""
    text = ARCHITECTURE.read_text()
    table = text[text.index("| layer | packages | owns | may import |"):].split("\n\n")[0].splitlines()[2:]
    out = {}
    for row in table:
        layer, packages, _, allowed = (c.strip() for c in row.strip("|").split("|"))
        for p in re.findall(r"`([^`]+)`", packages):
            out[p] = (layer, {a.strip() for a in allowed.split(",") if a.strip()} | {layer})
    return out


def unit(module: str) -> str:
    """The package (or top-level module) of ``vj.x.y`` that the layer table names: ``x``, or ``vj``."""
    parts = module.split(".")
    if len(parts) < 2:
        return "vj"
    head = parts[1]
    return head if (VJ / head).is_dir() or (VJ / f"{head}.py").is_file() else "vj"


def imports() -> list[tuple[Path, int, str, str]]:
    """(file, line, importing unit, imported unit) for every import of vj by vj."""
    out = []
    for path in sorted(VJ.rglob("*.py")):
        rel = path.relative_to(VJ.parent).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = module if rel.name == "__init__" else module.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                name = ".".join(base + ([node.module] if node.module else []))
                targets = [f"{name}.{a.name}" for a in node.names] if not node.module or name == "vj" else [name]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            out += [(path, node.lineno, unit(module), unit(t)) for t in targets if t.split(".")[0] == "vj"]
    return out


def test_the_layer_table_names_every_package():
    table = layers()
    units = {unit(f"vj.{p.name}") for p in VJ.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    units |= {p.stem for p in VJ.glob("*.py") if p.stem != "__init__"} | {"vj"}
    assert units - set(table) == set(), "add these to the layer table in docs/ARCHITECTURE.md"


def test_imports_follow_the_layers():
    table = layers()
    wrong = [f"{path.relative_to(VJ.parent)}:{line}: {src} ({table[src][0]}) imports {dst} ({table[dst][0]})"
             for path, line, src, dst in imports() if src != dst and table[dst][0] not in table[src][1]]
    assert not wrong, "\n".join(wrong)


def test_nothing_outside_the_engine_touches_its_insides():
    # the check of issue 13, as written there:
    # grep -rnE 'engine\.(_|clock\b|state\b|beat\b)' vj/ --include=*.py | grep -v '^vj/engine/'
    pattern = re.compile(r"engine\.(_|clock\b|state\b|beat\b)")
    found = [f"{p.relative_to(VJ.parent)}:{n}: {line.strip()}" for p in VJ.rglob("*.py") if "engine" not in p.parts
             for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    assert not found, "\n".join(found)


def test_nobody_reads_another_packages_underscore_names():
    found = []
    for path in sorted(VJ.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            where = f"{path.relative_to(VJ.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = ast.unparse(node.value)
                if owner not in ("self", "cls") and f"{owner}.{node.attr}" not in OUTSIDE_PRIVATE:
                    found.append(f"{where}: {owner}.{node.attr}")
            elif isinstance(node, ast.ImportFrom):
                found += [f"{where}: from {node.module} import {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert not found, "\n".join(found)


def test_live_play_does_not_import_rehearsal():
    """Live and offline share the show loop (vj.show); neither reaches into the other."""
    for path in sorted((VJ / "live").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert "rehearse" not in (node.module or ""), f"{path.relative_to(VJ.parent)}:{node.lineno}"
