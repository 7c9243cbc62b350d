"""User-facing errors that say where the problem is and how to fix it.

On stage a message like "bad value" is useless; every problem names the file (and
line where there is one), the thing inside it (bank, clip, song, field) and the fix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def shown(path: Path | str) -> str:
    """A path as a performer reads it: relative to the folder they ran vj in when it lies inside it.

    Files are resolved to absolute paths internally; printing ``/home/me/shows/friday/set.toml:12`` for a
    ``set.toml`` typed in that folder buries the line number. Paths outside the folder stay absolute.
    """
    text = str(path)
    if not os.path.isabs(text):
        return text
    try:
        rel = os.path.relpath(text)
    except (ValueError, OSError):  # another drive (Windows); the folder vj ran in is gone (a USB stick pulled)
        return text
    return text if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a user's file, located as precisely as we can."""

    path: Path | str
    message: str
    fix: str = ""
    line: int | None = None
    where: str = ""  # e.g. "bank 'demo', clip 'tunnel.mp4', field 'focus'"

    def __str__(self) -> str:
        loc = shown(self.path)
        if self.line is not None:
            loc += f":{self.line}"
        text = f"{loc}: "
        if self.where:
            text += f"{self.where}: "
        text += self.message
        if self.fix:
            text += f"{'' if self.message.rstrip().endswith(('.', '!', '?', ':')) else '.'} Fix: {self.fix}"
        return text


class VjError(Exception):
    """An error the user can act on; ``problems`` lists every issue found, not only the first."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, (Problem, str)):
            problems = [problems]  # type: ignore[list-item]
        self.problems: list[Problem | str] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
