"""What the player tells the performer: info, warning or error, in their words, for a while.

Every message the show has for the performer (a surface that started, a clip that was skipped, a
control it could not follow, a render that failed) goes through one :class:`MessageBoard`.  The panel
shows the live ones, each level in its own colour; a message goes away after its level's time, or
when what it announced is over (:meth:`MessageBoard.retire`).  Python's exception class names never
reach the screen (:func:`performer_words`).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, replace

INFO, WARNING, ERROR = "info", "warning", "error"
LEVELS = (INFO, WARNING, ERROR)   #: least severe first
#: seconds a message stays on screen: news is read at a glance; a problem stays until it can be read
#: from across the stage between two songs
SHOW_FOR = {INFO: 6.0, WARNING: 15.0, ERROR: 30.0}
#: "ValueError: ", "OSError: [Errno 2] " ... at the start of a message or after a colon
_EXC_NAME = re.compile(r"(^|:\s|\(\s*)(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Warning|Exit)\b:?\s*")
_ERRNO = re.compile(r"\[Errno -?\d+\]\s*")


def performer_words(text: str) -> str:
    """``text`` without Python's exception class names and errno tags (the words after them stay)."""
    text = _EXC_NAME.sub(lambda m: m.group(1), text)
    return _ERRNO.sub("", text).strip()


@dataclass(frozen=True, slots=True)
class Message:
    level: str       #: info, warning or error
    text: str
    at: float        #: when it was said (the player's clock, seconds)
    key: str = ""    #: what it is about ("song", "audio"): a newer message with the same key replaces it

    def live(self, now: float) -> bool:
        return now - self.at < SHOW_FOR[self.level]


class MessageBoard:
    """The messages of a show, newest last; the same text said again only refreshes its time, and keeps the more
    severe of the two levels while the first is on screen: a control surface logs its problem (news, through
    `vj play`'s log) and hands it to the panel's problems too, which showed it twice, blue and amber."""

    def __init__(self, keep: int = 64):
        self.history: deque[Message] = deque(maxlen=keep)   #: what is (or was lately) on screen
        self.log: deque[Message] = deque(maxlen=4 * keep)   #: everything said, replaced or not, oldest first

    def say(self, level: str, text: str, now: float, key: str = "") -> Message:
        if level not in LEVELS:
            raise ValueError(f"message level must be one of {LEVELS}, not {level!r}")
        msg = Message(level, performer_words(text), now, key)
        for old in list(self.history):
            same = old.text == msg.text
            if (key and old.key == key) or same:
                self.history.remove(old)
                if same and old.live(now) and LEVELS.index(old.level) > LEVELS.index(msg.level):
                    msg = replace(msg, level=old.level)
        self.history.append(msg)
        self.log.append(msg)
        return msg

    def retire(self, key: str) -> None:
        """What the messages with ``key`` announced is over (e.g. the armed song has landed)."""
        for old in [m for m in self.history if m.key == key]:
            self.history.remove(old)

    def live(self, now: float) -> list[Message]:
        """The messages still on screen, newest last."""
        return [m for m in self.history if m.live(now)]

    @property
    def latest(self) -> Message | None:
        return self.history[-1] if self.history else None
