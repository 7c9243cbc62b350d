"""Keyboard bindings: one table, used by the player, the control panel's help and the README."""

from __future__ import annotations

from dataclasses import dataclass

from ..control.targets import Command, command


@dataclass(frozen=True, slots=True)
class Binding:
    keys: str          #: as shown to the performer
    action: str        #: action name the player dispatches
    help: str


BINDINGS: tuple[Binding, ...] = (
    Binding("Space / T", "tempo/tap", "tap tempo (two or more taps set a manual grid)"),
    Binding("A", "tempo/auto", "back to the automatic tempo (external clock, else the beat tracker)"),
    Binding("R", "tempo/resync", "resync: the beat nearest now is the downbeat"),
    Binding(", / .", "tempo/nudge", "nudge the beat grid 10 ms earlier / later"),
    Binding("* / /", "tempo/double", "double / halve the tempo (0 resets)"),
    Binding("Right / Left", "clip/next", "fly into the next / previous clip on the next beat"),
    Binding("1-9", "clip/cue", "cue clip 1-9 of the song (flies in on the next beat)"),
    Binding("N / P", "song/next", "next / previous song of the setlist (flies in on a downbeat)"),
    Binding("F1-F8", "fx/toggle", "effect 1-8 of the song (the setlist's order) on / off"),
    Binding("Up / Down", "zoom/speed_step", "zoom speed up / down"),
    Binding("[ / ]", "tempo/latency_step", "latency offset -10 / +10 ms"),
    Binding("F", "output/fullscreen", "fullscreen on / off"),
    Binding("H", "output/hud", "HUD on / off (on the control side: the panel, or over the preview; never on the projector)"),
    Binding("?", "help", "this key help on / off"),
    Binding("Ctrl+S", "focus/save", "write the focus points set by clicking the picture into bank.toml (comments kept)"),
    Binding("B", "output/blackout_toggle", "blackout on / off"),
    Binding("Ctrl+L", "midi/learn", "MIDI learn: then press the key to map and move a MIDI control (Ctrl+L again cancels)"),
    Binding("Ctrl+Q", "quit", "quit (a lone Q or Esc does nothing on stage)"),
)

#: what ``key_command`` returns for Ctrl+Q: quitting is the player's business, not a show control
QUIT = "quit"
#: ... and for Ctrl+L: the player arms MIDI learn for the next key's control
LEARN = "learn"
#: ... for ?: the key help on the panel
HELP = "help"
#: ... for Ctrl+S: the focus points set by clicking are written to their banks
SAVE_FOCUS = "save_focus"


def learn_argument(cmd: Command) -> str:
    """The ``midi/learn`` argument for a key's command: its control and fixed values ("tempo/nudge -10")."""
    return " ".join([cmd.target, *(f"{a:g}" if isinstance(a, float) else str(a) for a in cmd.args)])


def keys_markdown() -> str:
    """The README's key table (``python -m vj.docs --write`` puts it there)."""
    return "| key | action |\n| --- | --- |\n" + "".join(f"| `{b.keys}` | {b.help} |\n" for b in BINDINGS)


def help_lines() -> list[str]:
    width = max(len(b.keys) for b in BINDINGS)
    return [f"{b.keys.ljust(width)}  {b.help}" for b in BINDINGS]


def key_command(symbol: int, modifiers: int, key_module) -> Command | str | None:
    """Map a pyglet key press to a control :class:`Command` (or ``QUIT``); None when unbound."""
    k = key_module
    ctrl = bool(modifiers & (k.MOD_CTRL | k.MOD_COMMAND))
    table: dict[int, tuple] = {
        k.SPACE: ("tempo/tap",), k.T: ("tempo/tap",), k.A: ("tempo/auto",), k.R: ("tempo/resync",),
        k.COMMA: ("tempo/nudge", -10.0), k.PERIOD: ("tempo/nudge", 10.0),
        k.NUM_MULTIPLY: ("tempo/double",), k.ASTERISK: ("tempo/double",),
        k.SLASH: ("tempo/half",), k.NUM_DIVIDE: ("tempo/half",), k._0: ("tempo/normal",),
        k.RIGHT: ("clip/next",), k.LEFT: ("clip/prev",),
        k.UP: ("zoom/speed_step", 1.25), k.DOWN: ("zoom/speed_step", 0.8),
        k.BRACKETLEFT: ("tempo/latency_step", -10.0), k.BRACKETRIGHT: ("tempo/latency_step", 10.0),
        k.F: ("output/fullscreen",), k.H: ("output/hud",), k.B: ("output/blackout_toggle",),
        k.N: ("song/next",), k.P: ("song/prev",),
    }
    if ctrl and symbol == k.Q:
        return QUIT
    if ctrl and symbol == k.L:
        return LEARN
    if k.F1 <= symbol <= k.F8:
        return command("fx/toggle", symbol - k.F1 + 1, origin="key")
    if ctrl and symbol == k.S:
        return SAVE_FOCUS
    if symbol == k.QUESTION or (symbol == k.SLASH and modifiers & k.MOD_SHIFT):
        return HELP
    if k._1 <= symbol <= k._9:
        return command("clip/cue", symbol - k._1 + 1, origin="key")
    entry = table.get(symbol)
    return command(*entry, origin="key") if entry else None
