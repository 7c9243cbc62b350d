"""Keyboard bindings: one table, used by the player, the control panel's help and the README."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True, slots=True)
class Binding:
    keys: str          #: as shown to the performer
    action: str        #: action name the player dispatches
    help: str


BINDINGS: tuple[Binding, ...] = (
    Binding("Space / T", "tap", "tap tempo (two or more taps set a manual grid)"),
    Binding("A", "auto_tempo", "back to the audio beat tracker after tapping"),
    Binding("R", "resync", "resync: the beat nearest now is the downbeat"),
    Binding(", / .", "nudge", "nudge the beat grid 10 ms earlier / later"),
    Binding("* / /", "tempo_scale", "double / halve the tempo (press both to reset: 0)"),
    Binding("Right / Left", "next_prev", "fly into the next / previous clip on the next beat"),
    Binding("1-9", "cue", "cue clip 1-9 of the bank (flies in on the next beat)"),
    Binding("N / P", "song", "next / previous song of the setlist (flies in on a downbeat)"),
    Binding("Up / Down", "zoom_speed", "zoom speed up / down"),
    Binding("[ / ]", "latency", "latency offset -10 / +10 ms"),
    Binding("F", "fullscreen", "fullscreen on / off"),
    Binding("H", "hud", "HUD on / off"),
    Binding("B", "blackout", "blackout on / off"),
    Binding("Ctrl+Q", "quit", "quit (a lone Q or Esc does nothing on stage)"),
)


def help_lines() -> list[str]:
    width = max(len(b.keys) for b in BINDINGS)
    return [f"{b.keys.ljust(width)}  {b.help}" for b in BINDINGS]


def key_action(symbol: int, modifiers: int, key_module) -> tuple[str, object] | None:
    """Map a pyglet key press to (action, argument); None when unbound."""
    k = key_module
    ctrl = bool(modifiers & (k.MOD_CTRL | k.MOD_COMMAND))
    table: dict[int, tuple[str, object]] = {
        k.SPACE: ("tap", None), k.T: ("tap", None), k.A: ("auto_tempo", None), k.R: ("resync", None),
        k.COMMA: ("nudge", -0.010), k.PERIOD: ("nudge", 0.010),
        k.NUM_MULTIPLY: ("tempo_scale", 2.0), k.ASTERISK: ("tempo_scale", 2.0),
        k.SLASH: ("tempo_scale", 0.5), k.NUM_DIVIDE: ("tempo_scale", 0.5), k._0: ("tempo_scale", 1.0),
        k.RIGHT: ("next_prev", 1), k.LEFT: ("next_prev", -1),
        k.UP: ("zoom_speed", 1.25), k.DOWN: ("zoom_speed", 0.8),
        k.BRACKETLEFT: ("latency", -0.010), k.BRACKETRIGHT: ("latency", 0.010),
        k.F: ("fullscreen", None), k.H: ("hud", None), k.B: ("blackout", None),
        k.N: ("song", 1), k.P: ("song", -1),
    }
    if ctrl and symbol == k.Q:
        return ("quit", None)
    if k._1 <= symbol <= k._9:
        return ("cue", symbol - k._1)
    return table.get(symbol)


ActionHandler = Callable[[str, object], None]
