"""MIDI learn: arm a control, move a knob / press a pad, and the mapping is saved to a map file.

``midi/learn <control> [args]`` (from the keys, OSC or the panel, through ShowControl) arms a
:class:`Learner`; the next note, CC or pitch bend from any opened port becomes a mapping.  A CC
is watched for a moment (``settle`` s) to tell a fader (changing values) from an endless
encoder (the same 1/127 or 63/65 again and again) and from a button (127 then 0).  Clock,
active sensing, SysEx, transport and every other message are ignored, and nothing a
controller sends can make learn raise: a learn in progress never crashes the show.  It ends
after ``timeout`` s or with ``midi/learn_cancel``.

:func:`save_mapping` writes the mapping into a map file without losing what is there: the
text is edited, not re-serialised (comments and layout stay), a mapping of the same control
on the same port is replaced in place, anything else is appended; the file is written
atomically (temporary file, fsync, rename) and the previous version kept as ``FILE.bak``.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, VjError
from ..fileio import atomic_write
from ..tomlloc import LineIndex, loads, toml_string
from .midi_map import read_map
from .targets import BY_NAME, ControlError, Target, command

DEFAULT_LEARN_FILE = Path("~/.config/vj/midi/learned.toml")
IGNORED = frozenset({"clock", "active_sensing", "sysex", "start", "stop", "continue", "songpos", "reset",
                     "tune_request", "quarter_frame", "song_select", "program_change", "aftertouch",
                     "polytouch", "note_off"})
_ALSA_SUFFIX = re.compile(r"\s+\d+:\d+$")

HEADER = """# vj MIDI map: mappings learned with midi/learn (docs/MIDI.md).
# Edit freely: vj keeps your comments and replaces only the mapping of a control it learns again.
"""


def port_key(port_name: str) -> str:
    """A port name without what changes between plug-ins (ALSA's client:port numbers)."""
    return _ALSA_SUFFIX.sub("", port_name).strip()


def parse_control(text: str) -> tuple[str, tuple]:
    """``"clip/cue 3"`` -> ("clip/cue", (3,)), checked; ControlError says what is wrong."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ControlError(f"cannot read '{text}': {exc}") from None
    if not words:
        raise ControlError("midi/learn needs a control name, e.g. midi/learn \"zoom/speed\" or \"clip/cue 3\"")
    name, raw = words[0], words[1:]
    args: list = []
    for w in raw:
        try:
            args.append(int(w))
        except ValueError:
            try:
                args.append(float(w))
            except ValueError:
                args.append(w)
    t = BY_NAME.get(name)
    if t is None:
        from .midi_map import target_hint
        raise ControlError(f"unknown control '{name}'; {target_hint(name)}see docs/CONTROL.md")
    args = args or list(t.press)    # an ISF event: a press fires it
    if len(args) == 3 and [p.name for p in t.params] == ["r", "g", "b", "a"]:
        args.append(1.0)            # a colour as r, g, b (as the setlist and OSC take it): opaque
    if args:
        command(name, *args)        # checks the arguments
    elif t.params and (not (len(t.params) == 1 and t.params[0].kind in "fi") or
                       (t.momentary and name != "tempo/bpm")):   # a trigger needs its value; tempo/bpm may be a fader
        want = " ".join(p.name.upper() for p in t.params)
        raise ControlError(f"{name} needs {want}: learn it as \"{name} {want}\" (e.g. \"{example(t)}\")")
    return name, tuple(args)


def example(t: Target) -> str:
    """The control with arguments that fit it, for a message: "clip/cue 3", "fx/NAME/tint 1 0.5 0 1" (a colour),
    "zoom/focus 0.5 0.5" (a point), a menu's own value."""
    if [p.name for p in t.params] == ["r", "g", "b", "a"]:
        return f"{t.name} 1 0.5 0 1"
    words = []
    for p in t.params:
        if p.kind == "s":
            words.append("clip_01" if p.name == "id" else p.name)
        elif p.choices:
            words.append(str(p.choices[-1]))
        elif p.lo is None or p.hi is None:
            words.append("0.5" if p.kind == "f" else "1")
        elif p.kind == "i":
            words.append(str(3 if p.lo <= 3 <= p.hi else int((p.lo + p.hi) // 2)))
        else:
            words.append(f"{round((p.lo + p.hi) / 2, 2):g}")
    return " ".join([t.name, *words])


@dataclass(frozen=True, slots=True)
class Learned:
    """A mapping found by learn, as a map-file table."""

    kind: str              #: notes, cc, pitchbend
    number: int
    channel: int           #: 1-based
    port: str
    target: str
    args: tuple
    mode: str

    def table(self) -> str:
        lines = [f"[[{self.kind}]]"]
        if self.kind == "notes":
            lines.append(f"note = {self.number}")
        elif self.kind == "cc":
            lines.append(f"cc = {self.number}")
        lines += [f"channel = {self.channel}", f"port = {toml_string(self.port)}", f"target = {toml_string(self.target)}"]
        if self.args:
            lines.append("args = [" + ", ".join(toml_string(a) if isinstance(a, str) else repr(a) for a in self.args) + "]")
        lines.append(f"mode = {toml_string(self.mode)}")
        return "\n".join(lines) + "\n"

    def same_control(self, table: dict) -> bool:
        number_key = {"notes": "note", "cc": "cc"}.get(self.kind)
        if number_key is not None and table.get(number_key) != self.number:
            return False
        return table.get("channel") == self.channel and table.get("port") == self.port

    def describe(self) -> str:
        what = {"notes": f"note {self.number}", "cc": f"cc {self.number}", "pitchbend": "pitch bend"}[self.kind]
        args = " " + " ".join(str(a) for a in self.args) if self.args else ""
        return f"{what} (channel {self.channel}) on {self.port} -> {self.target}{args} ({self.mode})"


class Learner:
    """The learn state machine; ``offer``/``poll`` return a :class:`Learned` when one is found.

    Not thread-safe on its own: the MIDI dispatcher thread is its only caller (arm/cancel
    reach it through the same queue)."""

    def __init__(self, *, timeout: float = 30.0, settle: float = 0.35):
        self.timeout, self.settle = timeout, settle
        self.target: str | None = None
        self.args: tuple = ()
        self.deadline = 0.0
        self._cand: tuple | None = None       # (port, channel, cc, first_t, [values])

    @property
    def armed(self) -> bool:
        return self.target is not None

    def arm(self, target: str, args: tuple, now: float) -> None:
        self.target, self.args, self.deadline, self._cand = target, args, now + self.timeout, None

    def cancel(self) -> None:
        self.target, self._cand = None, None

    def poll(self, now: float) -> Learned | str | None:
        """Time passing: a settled CC candidate becomes a mapping; a timeout says so (a string)."""
        if not self.armed:
            return None
        if self._cand is not None and now - self._cand[3] >= self.settle:
            return self._finish()
        if now >= self.deadline:
            self.cancel()
            return "timed out"
        return None

    def offer(self, port: str, msg, now: float) -> Learned | str | None:
        """A message from ``port`` while armed: True-ish result when it completes a mapping."""
        if not self.armed:
            return None
        kind = getattr(msg, "type", None)
        if kind in IGNORED or kind is None:
            return self.poll(now)
        if kind == "note_on" and getattr(msg, "velocity", 0) == 0:
            return self.poll(now)
        channel = int(getattr(msg, "channel", 0)) + 1
        if kind == "control_change":
            cc, value = int(msg.control), int(msg.value)
            c = self._cand
            if c is not None and (c[0], c[1], c[2]) == (port, channel, cc):
                c[4].append(value)
                return self.poll(now)
            done = self._finish() if c is not None else None
            if done is not None:
                return done
            self._cand = (port, channel, cc, now, [value])
            return None
        if kind in ("note_on", "pitchwheel"):
            if self._cand is not None:
                return self._finish()
            t = BY_NAME[self.target]
            if kind == "pitchwheel":
                if not self._numeric():
                    return self._skip(f"pitch bend cannot set {self.target}")
                return self._learned("pitchbend", 0, channel, port, "absolute")
            mode = "press" if (self.args or not t.params) else "toggle"
            return self._learned("notes", int(msg.note), channel, port, mode)
        return self.poll(now)

    def _numeric(self) -> bool:
        t = BY_NAME[self.target]
        return len(t.params) == 1 and t.params[0].kind in "fi" and not self.args

    def _skip(self, why: str) -> str:
        return f"ignored: {why}"

    def _learned(self, kind: str, number: int, channel: int, port: str, mode: str) -> Learned:
        learned = Learned(kind, number, channel, port_key(port), self.target, self.args, mode)
        self.cancel()
        return learned

    def _finish(self) -> Learned | str | None:
        port, channel, cc, _, values = self._cand
        self._cand = None
        numeric = self._numeric()
        distinct = set(values)
        if len(values) >= 2 and len(distinct) == 1 and numeric:
            v = values[0]
            if v in (63, 65) or 56 <= v <= 72 and v != 64:
                mode = "relative_offset"
            elif v < 16 or v > 111:
                mode = "relative_twos"
            else:
                mode = "absolute"
        elif distinct <= {0, 127} and (127 in distinct):
            mode = "press" if not numeric else ("toggle" if not BY_NAME[self.target].momentary else "press")
            if self.args or not BY_NAME[self.target].params:
                mode = "press"
        elif numeric:
            mode = "absolute"
        else:
            mode = "press"
        if mode == "press" and BY_NAME[self.target].params and not self.args:
            return self._skip(f"{self.target} needs a value: learn it as \"{self.target} VALUE\" or move a fader")
        return self._learned("cc", cc, channel, port, mode)


def save_mapping(path: Path, learned: Learned) -> str:
    """Write ``learned`` into map file ``path`` (created if missing); returns what was done.

    Raises VjError when the result would not be a valid map (the file is then left alone)."""
    path = Path(path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    old = path.read_bytes().decode("utf-8") if path.exists() else None   # its line endings as they are
    text = old if old is not None else HEADER
    newline = "\r\n" if "\r\n" in text else "\n"   # a map saved by a Windows editor stays CRLF
    new_table = learned.table().replace("\n", newline)
    replaced = False
    try:
        data = loads(text)   # a byte-order mark (Notepad's) is not a TOML error
    except tomllib.TOMLDecodeError:
        data = None   # a broken file: append (that cannot make it worse) and say so below
    if data is not None:
        tables = data.get(learned.kind, [])
        if isinstance(tables, list):
            lines = LineIndex(text)
            for i in range(len(tables) - 1, -1, -1):
                if isinstance(tables[i], dict) and learned.same_control(tables[i]):
                    text = _replace_table(text, lines, learned.kind, i, new_table)
                    replaced = True
                    break
    if not replaced:
        if text and not text.endswith("\n"):
            text += newline
        text += (newline if text.strip() else "") + new_table
    if data is not None:
        _, problems = read_map(path, text)
        if problems:
            raise VjError([Problem(path, f"learning {learned.describe()} would leave the map invalid: {problems[0]}",
                                   "fix the map file by hand; it was left unchanged.")])
    atomic_write(path, text, backup=old is not None)
    return ("replaced" if replaced else "added") + ("" if data is not None else " (the file has a TOML error: fix it)")


def _replace_table(text: str, lines: LineIndex, kind: str, index: int, new_table: str) -> str:
    start = lines.table(kind, index)
    rows = text.splitlines(keepends=True)
    assert start is not None
    later = [h.line for h in lines.headers if h.line > start]
    end = (later[0] - 1) if later else len(rows)          # 1-based last line of the table
    # comments and blank lines just before the next table belong to it, not to this one
    while end > start and (not rows[end - 1].strip() or rows[end - 1].lstrip().startswith("#")):
        end -= 1
    return "".join(rows[:start - 1]) + new_table + "".join(rows[end:])
