"""Why a clip could not be played, in a performer's words: what happened to which file, and the fix.

A decoder thread that fails hands its exception here; what comes out is shown in the panel, on
stderr and in ``--stats``, so it never carries Python class names, errno numbers or FFmpeg's
function names (``InvalidDataError: [Errno 1094995529] ... 'avcodec_receive_frame()'``).
"""

from __future__ import annotations

import errno
from pathlib import Path

import av

#: what every decode failure ends with: live play tries a failed clip again once its file changes
RETRY_NOTE = "vj tries it again when the file is back or changes"


def failure_words(path: Path, exc: BaseException, decoded_s: float | None = None) -> str:
    """One sentence (no trailing period) for why ``path`` stopped playing; ``decoded_s``: seconds decoded before."""
    after = f" after {decoded_s:.1f} s" if decoded_s else ""
    if isinstance(exc, FileNotFoundError):
        return (f"its file {path} is missing (moved, renamed, or its drive unplugged). "
                f"Fix: put the file back; {RETRY_NOTE}")
    if isinstance(exc, PermissionError):
        return f"its file {path} cannot be read (permission denied). Fix: chmod a+r it; {RETRY_NOTE}"
    if isinstance(exc, IsADirectoryError):
        return f"{path} is a folder, not a video file. Fix: point the clip's 'file' at a video"
    code = getattr(exc, "errno", None)
    if code in (errno.EIO, errno.ENXIO, errno.ENODEV, errno.ESTALE):
        return (f"the drive holding {path} stopped answering{after} (input/output error). "
                f"Fix: check the drive and its cable; {RETRY_NOTE}")
    if isinstance(exc, (av.FFmpegError, ValueError, EOFError)):
        said = _plain(exc)
        return (f"{path} is damaged or cut short{after} (the decoder says: {said}). "
                f"Fix: copy or export the clip again; {RETRY_NOTE}")
    return f"{path} could not be played{after} ({_plain(exc)}). Fix: check the file; {RETRY_NOTE}"


def _plain(exc: BaseException) -> str:
    """The human part of an exception's text: FFmpeg's sentence without errno or function names."""
    text = getattr(exc, "strerror", None) or (str(exc).splitlines()[0] if str(exc) else "") or "unknown error"
    text = text.split(": '", 1)[0]  # FFmpeg appends the function: "...: 'avcodec_receive_frame()'"
    return text.rstrip(". ").lower() if text[:1].isupper() and text[1:2].islower() else text.rstrip(". ")
