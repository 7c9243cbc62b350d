"""How a focus track lives in bank.toml: the ``focus_track`` key, its check, and writing it.

The measured track is stored apart from the VJ's ``focus``: import writes ``focus_track`` and never
``focus``, so whatever the VJ writes into ``focus`` stays theirs and wins (:func:`vj.focus.track.resolve`).
Tracks are added to clips of an existing bank by *inserting* lines right after their ``[[clips]]``
header: no byte the VJ wrote is changed, and the result is checked to parse to exactly the old data
plus the new keys before it is written.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Sequence

from ..errors import Problem
from ..tomlloc import Field, LineIndex, loads
from .track import MIN_CONFIDENCE, Key, resolve

KEY = "focus_track"
FIX = ("focus_track is measured by `vj bank import`: a list of [t, x, y, confidence] with t in seconds and "
       "x, y, confidence between 0 and 1; delete it to have the next import measure it again.")


def _check(value: Sequence[Any]) -> str | None:
    for n, key in enumerate(value, start=1):
        if not isinstance(key, list) or len(key) != 4:
            return f"keyframe {n} is not [t, x, y, confidence]."
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in key):
            return f"keyframe {n} holds something that is not a number."
        t, x, y, c = key
        if t < 0:
            return f"keyframe {n}: t ({t:g}) is negative."
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            return f"keyframe {n}: [{x:g}, {y:g}] is outside 0..1."
        if not 0.0 <= c <= 1.0:
            return f"keyframe {n}: confidence {c:g} is outside 0..1."
    return None


#: The [[clips]] row of the bank schema's table (vj/bank/schema.py) for the stored track.
FIELD = Field(KEY, list, (), item=list, check=_check, fix=FIX, aliases=("track", "focus_auto", "auto_focus"))


def as_track(value: Sequence[Sequence[float]]) -> tuple[Key, ...]:
    """A checked ``focus_track`` value as keyframes, in time order."""
    return tuple(sorted((float(k[0]), float(k[1]), float(k[2]), float(k[3])) for k in value))


def toml_lines(track: Sequence[Key], hand: bool = False) -> list[str]:
    """The ``focus_track`` key as bank.toml lines, with a comment that says what the show does with it
    (``hand``: the clip's table already sets ``focus``, which wins over the track)."""
    res = resolve(None, track)
    if hand:
        measured = (f"heading to [{res.focus[0]:.3f}, {res.focus[1]:.3f}] at the start (confidence "
                    f"{res.confidence:.2f})" if res.source == "auto" else
                    f"no forward motion (confidence {res.confidence:.2f} < {MIN_CONFIDENCE:g})")
        said = f"# focus: set by hand in this table (it wins); measured: {measured}; delete the focus line to follow this"
    elif res.source == "auto":
        said = (f"# focus: measured, heading to [{res.focus[0]:.3f}, {res.focus[1]:.3f}] at the start "
                f"(confidence {res.confidence:.2f}); write focus = [x, y] to set it by hand")
    else:
        said = (f"# focus: no forward motion found (confidence {res.confidence:.2f} < {MIN_CONFIDENCE:g}), "
                "so the centre; write focus = [x, y] to set it by hand")
    if not track:
        return [said, f"{KEY} = []"]
    rows = [f"  [{t:.3f}, {x:.3f}, {y:.3f}, {c:.2f}]," for t, x, y, c in track]
    return [said, f"{KEY} = [  # [t (s), x, y, confidence], x and y in the source frame", *rows, "]"]


def insert_tracks(text: str, tracks: dict[int, Sequence[Key]], hand: frozenset[int] = frozenset()) -> str:
    """``text`` with a ``focus_track`` inserted after the header of the i-th ``[[clips]]`` table for each
    ``i`` in ``tracks`` (``hand``: the tables that set ``focus`` themselves, which their comment says).
    Nothing else changes; line endings follow the file's."""
    if not tracks:
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    index = LineIndex(text)
    at: list[tuple[int, list[str]]] = []
    for i, track in tracks.items():
        header = index.table("clips", i)
        if header is None:
            raise ValueError(f"no [[clips]] table number {i + 1}")
        at.append((header, toml_lines(track, hand=i in hand)))
    for header, new in sorted(at, reverse=True):  # bottom up, so earlier line numbers stay valid
        if header - 1 < len(lines) and not lines[header - 1].endswith(("\n", "\r")):
            lines[header - 1] += newline
        lines[header:header] = [line + newline for line in new]
    return "".join(lines)


def kept_intact(toml: Path, old: dict[str, Any], new: dict[str, Any], tracks: dict[int, Sequence[Key]]) -> Problem | None:
    """None if ``new`` (a merged bank.toml, parsed) holds all of ``old`` unchanged, plus ``tracks`` in the
    clips they were inserted into; else what differs.  New clips may follow the old ones."""
    if {k: v for k, v in new.items() if k != "clips"} != {k: v for k, v in old.items() if k != "clips"}:
        return Problem(toml, "a setting outside the clips would have changed")
    clips, before = new.get("clips", []), old.get("clips", [])
    for i, table in enumerate(before):
        got = clips[i] if i < len(clips) else None
        expect = table
        if i in tracks and isinstance(table, dict) and isinstance(got, dict):
            if as_track(got.get(KEY, [])) != tuple(tracks[i]):
                return Problem(toml, f"clip #{i + 1}'s focus_track did not read back")
            expect = {**table, KEY: got[KEY]}
        if got != expect:
            return Problem(toml, f"clip #{i + 1} would have changed")
    return None


#: bank.toml spellings of a hand-set focus (vj.bank reads all of them; the first is written)
FOCUS_KEYS = ("focus", "focus_point", "center", "centre", "zoom")


def set_focus(text: str, points: dict[int, tuple[float, float]]) -> str:
    """``text`` (a bank.toml) with ``focus = [x, y]`` set in the i-th ``[[clips]]`` table for each ``i`` in
    ``points`` (source coordinates, 0..1, top-left origin): an existing focus line
    gets the new value (its comment and everything else on the line kept); a clip without one gets the line
    inserted after its ``[[clips]]`` header.  Nothing else changes (checked by parsing the result).
    ValueError when there is no such table or its focus spans several lines."""
    import re

    data = loads(text)
    tables = data.get("clips", [])
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    index = LineIndex(text)
    edits: list[tuple[int, str, bool]] = []   # (0-based line, new text, insert)
    for i, (x, y) in points.items():
        if not (0 <= i < len(tables) and isinstance(tables[i], dict)):
            raise ValueError(f"there is no [[clips]] table number {i + 1}")
        clip_id = tables[i].get("id", f"#{i + 1}")
        value = f"[{x:.3f}, {y:.3f}]"
        header = index.table("clips", i)
        key = next((k for k in FOCUS_KEYS if k in tables[i]), None)
        if key is None:
            edits.append((header, f"focus = {value}  # set by clicking the preview in vj play{newline}", True))
            continue
        line_no = index.key(key, "clips", i)
        line = lines[line_no - 1]
        m = re.match(r"^(\s*" + re.escape(key) + r"\s*=\s*)\[[^\]\n]*\](.*)$", line, re.S)
        if m is None:
            raise ValueError(f"the {key} of clip '{clip_id}' (line {line_no}) is not a one-line [x, y]")
        edits.append((line_no - 1, m.group(1) + value + m.group(2), False))
    for at, new, insert in sorted(edits, reverse=True):
        if insert:
            if at - 1 < len(lines) and not lines[at - 1].endswith(("\n", "\r")):
                lines[at - 1] += newline
            lines.insert(at, new)
        else:
            lines[at] = new
    out = "".join(lines)
    check = loads(out)
    for n, (old, new) in enumerate(zip(tables, check.get("clips", []))):
        if n in points:
            key = next((k for k in FOCUS_KEYS if k in old), "focus")
            old = {**old, key: [round(points[n][0], 3), round(points[n][1], 3)]}
        if new != old or len(check.get("clips", [])) != len(tables):
            raise ValueError(f"writing the focus would have changed clip #{n + 1}: nothing written")
    if {k: v for k, v in check.items() if k != "clips"} != {k: v for k, v in data.items() if k != "clips"}:
        raise ValueError("writing the focus would have changed a bank setting: nothing written")
    return out


def write_focus(toml: Path, points: dict[int, tuple[float, float]]) -> None:
    """Set the focus of these clips in the bank file ``toml``, atomically (see :func:`set_focus`)."""
    from ..fileio import atomic_write

    atomic_write(toml, set_focus(toml.read_bytes().decode("utf-8"), points))   # its CRLF lines kept as they are
