"""Read user TOML files so that every problem can point at its line.

``tomllib`` gives values but no positions, and on stage "energy out of range" is
useless without "bank.toml:42".  :class:`LineIndex` scans the raw text once (it
understands comments, strings, multi-line strings and multi-line arrays, which is
all that can hide a ``[[table]]`` or ``key =`` from a naive line scan) and answers
"which line is the Nth ``[[clips]]`` table, and its ``focus`` key?".

:func:`read_table` is the table-driven reader shared by banks and setlists: a list
of :class:`Field` specs in, values and *every* problem out (unknown keys, wrong
types, out-of-range values), so formats grow by adding rows, not code.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .errors import Problem

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class _Header:
    name: str
    array: bool
    line: int


def _split_key(text: str) -> tuple[list[str], int]:
    """Parse a (dotted, possibly quoted) key at the start of ``text``; return parts and chars used."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] in "\"'":
            quote = text[i]
            j = i + 1
            buf = []
            while j < n and text[j] != quote:
                if quote == '"' and text[j] == "\\" and j + 1 < n:
                    buf.append(text[j + 1])
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            parts.append("".join(buf))
            i = j + 1
        else:
            m = _BARE_KEY.match(text, i)
            if not m:
                break
            parts.append(m.group(0))
            i = m.end()
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == ".":
            i += 1
            continue
        break
    return parts, i


class LineIndex:
    """Line numbers (1-based) of tables and keys in a TOML text."""

    def __init__(self, text: str):
        self._text: str | None = text  # scanned on first question: a valid file is never scanned
        self._headers: list[_Header] = []
        #: (table header index or -1 for the root, dotted key, line)
        self._keys: list[tuple[int, str, int]] = []
        self._by_name: dict[tuple[str, bool], list[int]] | None = None
        self._key_lines: dict[tuple[int, str], int] | None = None

    @property
    def headers(self) -> list[_Header]:
        self._ensure()
        return self._headers

    @property
    def keys(self) -> list[tuple[int, str, int]]:
        self._ensure()
        return self._keys

    def _ensure(self) -> None:
        if self._text is not None:
            text, self._text = self._text, None
            self._scan(text)

    def _scan(self, text: str) -> None:
        text = text.removeprefix(BOM)   # within line 1: the line numbers stay the same
        in_string: str | None = None  # '"', "'", '"""' or "'''" while inside one
        depth = 0  # open [ and { of a value that spans lines
        for lineno, line in enumerate(text.splitlines(), start=1):
            i = 0
            if in_string is None and depth == 0:
                stripped = line.lstrip()
                i = len(line) - len(stripped)
                if stripped.startswith("["):
                    array = stripped.startswith("[[")
                    parts, used = _split_key(stripped[2 if array else 1:])
                    self._headers.append(_Header(".".join(parts), array, lineno))
                    continue  # a header line holds nothing else but a comment
                if stripped and not stripped.startswith("#"):
                    parts, used = _split_key(stripped)
                    if parts:
                        self._keys.append((len(self._headers) - 1, ".".join(parts), lineno))
                    i += used
            # scan the rest of the line for strings and brackets that continue onto the next lines
            n = len(line)
            while i < n:
                c = line[i]
                if in_string is not None:
                    if in_string in ('"', '"""') and c == "\\":
                        i += 2
                        continue
                    if line.startswith(in_string, i):
                        i += len(in_string)
                        in_string = None
                        continue
                    i += 1
                    continue
                if c == "#":
                    break
                if line.startswith('"""', i) or line.startswith("'''", i):
                    in_string = line[i:i + 3]
                    i += 3
                    continue
                if c in "\"'":
                    in_string = c
                elif c in "[{":
                    depth += 1
                elif c in "]}":
                    depth = max(0, depth - 1)
                i += 1
            if in_string in ('"', "'"):
                in_string = None  # single-line strings cannot span lines (tomllib reports that)

    def _header_index(self, table: str, index: int | None) -> int | None:
        if self._by_name is None:
            self._by_name = {}
            for i, h in enumerate(self.headers):
                self._by_name.setdefault((h.name, h.array), []).append(i)
        found = self._by_name.get((table, index is not None), [])
        n = index or 0
        return found[n] if n < len(found) else None

    def table(self, table: str, index: int | None = None) -> int | None:
        """Line of ``[table]``, or of the ``index``-th (0-based) ``[[table]]``."""
        hi = self._header_index(table, index)
        if hi is None:
            return self.root_key(table) if table else None  # e.g. an inline `table = {...}`
        return self.headers[hi].line

    def key(self, key: str, table: str = "", index: int | None = None) -> int | None:
        """Line of ``key`` inside ``[table]`` / the index-th ``[[table]]`` (root when ``table`` is '').

        Falls back to the table's own line when the key is absent (e.g. a missing
        required key), so a problem always has a line to point at.
        """
        hi = -1 if not table else self._header_index(table, index)
        if hi is None:
            return None
        if self._key_lines is None:
            self._key_lines = {}
            for owner, name, ln in self.keys:  # a dotted key a.b also answers for a
                for j in range(name.count(".") + 1):
                    self._key_lines.setdefault((owner, name.rsplit(".", j)[0] if j else name), ln)
        line = self._key_lines.get((hi, key))
        if line is not None:
            return line
        if hi == -1:  # a root key may also be written as a [key] / [[key]] table
            for h in self.headers:
                if h.name == key or h.name.startswith(key + "."):
                    return h.line
            return None
        return self.headers[hi].line

    def root_key(self, key: str) -> int | None:
        """Line of ``key = ...`` written at the root (not as a table header)."""
        return next((line for owner, name, line in self.keys if owner == -1 and name == key), None)


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
#: the byte-order mark Windows editors (Notepad) put before UTF-8 text; TOML parsers refuse it at column 1
BOM = "\ufeff"


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads`` of a file's text, a leading byte-order mark ignored (it is kept when the file is
    written back: nothing the performer saved changes)."""
    return tomllib.loads(text.removeprefix(BOM))


def parse(path: Path, text: str) -> tuple[dict[str, Any] | None, Problem | None]:
    """Parse TOML text; a syntax error becomes a located :class:`Problem`, not a traceback."""
    try:
        return loads(text), None
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        line = int(m.group(1)) if m else None
        msg = _TOML_POS.sub("", msg).strip()
        if m:
            msg += f" (column {m.group(2)})"
        return None, Problem(path, f"TOML syntax error: {msg}.", fix="correct the syntax on this line "
                             "(strings need quotes, lists need [ ], one key = value per line).", line=line)


def read_text(path: Path) -> tuple[str | None, Problem | None]:
    """Read a UTF-8 text file as it is, turning OS errors into problems: its line endings untranslated, so a
    file vj writes back (an import's merge) keeps a Windows editor's CRLF lines."""
    try:
        return path.read_bytes().decode("utf-8"), None
    except FileNotFoundError:
        return None, Problem(path, "file not found.", fix="check the path.")
    except UnicodeDecodeError as exc:   # at its line: "at byte 2211" sent a performer counting bytes
        line = exc.object[:exc.start].count(b"\n") + 1
        return None, Problem(path, f"not UTF-8 text: a character on this line was saved in another encoding "
                                   f"(such as Latin-1 or Windows-1252; {exc.reason} at byte {exc.start}).",
                             fix="save the file as UTF-8 (your editor's encoding menu), or retype that character.",
                             line=line)
    except OSError as exc:
        return None, Problem(path, f"cannot read: {exc.strerror}.", fix="check the file's permissions.")


def load_file(path: Path, text: str | None = None) -> tuple[dict[str, Any] | None, LineIndex | None, Problem | None]:
    """Read and parse a TOML file (or ``text`` as if it were that file): (data, its line index, None),
    or (None, None, the located problem).  Setlists, banks and MIDI maps all open this way."""
    if text is None:
        text, problem = read_text(path)
        if problem is not None or text is None:
            return None, None, problem
    data, problem = parse(path, text)
    if problem is not None:
        return None, None, problem
    return data, LineIndex(text), None


# ---- table-driven validation ---------------------------------------------------------------

REQUIRED = object()

_TYPE_WORDS: dict[type, str] = {str: "a string", int: "an integer", float: "a number", bool: "true or false",
                                list: "a list", dict: "a table"}


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a table: its type, default, and a check that says what is wrong.

    ``check(value)`` returns an error message or None; ``fix`` is shown with any
    problem of this field.  ``kind`` is ``str``, ``int``, ``float`` (ints accepted),
    ``bool``, ``list`` (use ``item``) or ``dict``.
    """

    key: str
    kind: type
    default: Any = REQUIRED
    fix: str = ""
    check: Callable[[Any], str | None] | None = None
    item: type | None = None  # element type for lists
    length: int | None = None  # exact length for lists
    aliases: tuple[str, ...] = ()  # names people write by mistake (e.g. in_point for in): hinted at

    def type_word(self) -> str:
        if self.kind is list:
            noun = _NOUNS.get(self.item, "value")  # type: ignore[arg-type]
            return f"a list of {self.length} {noun}s" if self.length else f"a list of {noun}s"
        return _TYPE_WORDS.get(self.kind, self.kind.__name__)


_NOUNS: dict[type, str] = {str: "string", int: "integer", float: "number", dict: "table"}


def _is(value: Any, kind: type | None) -> bool:
    if kind is None:
        return True
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _convert(field: Field, value: Any) -> Any:
    if field.kind is float:
        return float(value)
    if field.kind is list:
        return tuple(float(v) if field.item is float else v for v in value)
    return value


def read_table(data: Any, fields: Sequence[Field], *, path: Path, lines: LineIndex, table: str,
               index: int | None, where: str,
               belongs: Mapping[str, str] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Validate one TOML table against ``fields``; return converted values and every problem.

    Keys that fail keep their default (or are absent when required) so callers can go
    on checking the rest. ``belongs`` maps keys that are right in another table to that
    table's header (``"[setlist]"``, ``"[[songs]]"``), so a ``title`` written above ``[setlist]`` is told where to go.
    """
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    if not isinstance(data, dict):
        problems.append(Problem(path, f"expected a table, found {type(data).__name__}.", line=lines.table(table, index),
                                where=where, fix=f"write it as [{table}] or [[{table}]] followed by key = value lines."))
        return values, problems
    known = {f.key: f for f in fields}
    for key in data:
        if key not in known:
            close = [f.key for f in fields if key.lower() in f.aliases] or difflib.get_close_matches(key, list(known), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            if belongs and key in belongs:
                parent = belongs[key].strip("[]")
                value = data[key]
                if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
                    # a table written as [[effects]] under [[songs]] is a top-level table to TOML: its header says whose
                    header = f"[[{parent}.{key}]]" if belongs[key].startswith("[[") else f"[{parent}.{key}]"
                    hint = f"write it after the {belongs[key]} table it is for, with the header {header}. "
                else:
                    where_to = f"a {belongs[key]} table" if belongs[key].startswith("[[") else belongs[key]
                    hint = f"it belongs under {where_to}: move the line there. "
            problems.append(Problem(path, f"unknown key '{key}'.", line=lines.key(key, table, index),
                                    where=f"{where}, field '{key}'",
                                    fix=f"{hint or 'remove it, or use a known key. '}Known keys: {', '.join(known)}."))
    for field in fields:
        fwhere = f"{where}, field '{field.key}'"
        def line() -> int | None:  # only looked up for a problem: a valid file is never scanned
            return lines.key(field.key, table, index)

        if field.key not in data:
            if field.default is REQUIRED:
                # a list of tables is written as [[key]] tables, never as key = ...: its own fix says how
                tables = field.kind is list and field.item is dict and field.fix
                problems.append(Problem(path, f"missing required key '{field.key}'.", line=(lines.table(table, index) if table else None) or line(),
                                        where=fwhere, fix=field.fix if tables else
                                        f"add {field.key} = ... ({field.type_word()}); {field.fix}".rstrip("; ")))
            else:
                values[field.key] = field.default
            continue
        value = data[field.key]
        ok = _is(value, field.kind)
        if ok and field.kind is list:
            ok = all(_is(v, field.item) for v in value) and (field.length is None or len(value) == field.length)
        if not ok:
            problems.append(Problem(path, f"expected {field.type_word()}, found {_show(value)}.", line=line(),
                                    where=fwhere, fix=field.fix))
            if field.default is not REQUIRED:
                values[field.key] = field.default
            continue
        value = _convert(field, value)
        message = field.check(value) if field.check else None
        if message:
            problems.append(Problem(path, message, line=line(), where=fwhere, fix=field.fix))
            if field.default is not REQUIRED:
                values[field.key] = field.default
            continue
        values[field.key] = value
    return values, problems


def _show(value: Any) -> str:
    """A value as the user wrote it, in TOML terms."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'the string "{value}"' if len(value) < 40 else "a string"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return f"a list of {len(value)}: {value!r}" if len(repr(value)) < 40 else f"a list of {len(value)}"
    return repr(value)


def range_check(lo: float | None, hi: float | None, *, lo_open: bool = False) -> Callable[[Any], str | None]:
    """A Field.check for numbers inside [lo, hi] (or (lo, hi] with ``lo_open``)."""

    def check(v: Any) -> str | None:
        if lo is not None and (v <= lo if lo_open else v < lo):
            return f"{v!r} is {'not above' if lo_open else 'below'} {lo!r}."
        if hi is not None and v > hi:
            return f"{v!r} is above {hi!r}."
        return None

    return check


def choice_check(choices: Sequence[Any]) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if v in choices else f"{v!r} is not one of {', '.join(repr(c) for c in choices)}."

    return check


def toml_string(s: str) -> str:
    """A TOML basic string literal (escapes quotes, backslashes and control characters)."""
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
