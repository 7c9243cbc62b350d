"""Control surfaces: one address space (targets), one controller; keyboard, OSC and MIDI speak it."""

from .controller import ClockReading, Host, ShowControl, ShowStatus, SongEntry, show_status
from .targets import BY_NAME, TARGETS, Command, ControlError, Param, Target, command

__all__ = ["BY_NAME", "TARGETS", "ClockReading", "Command", "ControlError", "Host", "Param", "ShowControl",
           "ShowStatus", "SongEntry", "Target", "command", "show_status"]
