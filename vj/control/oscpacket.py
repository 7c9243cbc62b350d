"""Check an OSC packet's structure before any parser sees it.

python-osc trusts the sizes written inside a packet: a bundle element that says it is -4 bytes long
makes its bundle parser step backwards forever (python-osc 1.10.2), a negative blob size steps
back into the arguments, and bundles nested a few hundred deep end in a RecursionError.  This
module walks the packet once, iteratively and with named limits, and accepts it only when every
size, alignment, nesting level, type tag, string and blob is sound, so the parser that runs after
it can only meet a well-formed packet.  Every step of the walk moves forward by at least 4 bytes,
so the check ends after at most ``len(packet) / 4`` steps whatever the bytes say.

What is accepted is a subset of what python-osc parses (tests/test_osc_fuzz.py checks that on
thousands of random and mutated packets): OSC 1.0 messages and bundles with the type tags
python-osc reads (``i h f d s b r m t T F N [ ]``).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

MAX_PACKET = 16384     #: bytes; a controller's packet is far smaller (TouchOSC's largest bundle: ~1 KiB)
MAX_DEPTH = 8          #: bundles inside bundles; controllers nest one, SuperCollider's scores two or three
MAX_ELEMENTS = 128     #: messages and bundles in one packet; more than a frame's worth of controls
MAX_ARGS = 64          #: type tags in one message; vj's controls take at most two
MAX_ARRAY_DEPTH = 8    #: nested ``[`` in one message's type tags
MAX_ADDRESS = 255      #: characters in an address; vj's longest is 46

BUNDLE_HEAD = b"#bundle\x00"
_FIXED = {ord(c): n for c, n in (("i", 4), ("f", 4), ("r", 4), ("m", 4), ("h", 8), ("d", 8), ("t", 8),
                                 ("T", 0), ("F", 0), ("N", 0))}
_ADDRESS = re.compile(rb"/[\x21-\x7e]*\Z")   # printable ASCII, no spaces: nothing to garble a terminal
_INT = struct.Struct(">i")


@dataclass(frozen=True, slots=True)
class Fault:
    """Why a packet was refused: ``kind`` names the class of fault (one log line per kind), ``what`` says it."""

    kind: str      #: "not-osc", "size", "align", "bundle", "element", "depth", "count", "address", "tags", ...
    what: str      #: in a performer's words, e.g. "a bundle element says it is -4 bytes long"
    at: int = 0    #: byte offset in the packet

    def __str__(self) -> str:
        return f"{self.what} (at byte {self.at})" if self.at else self.what


def _aligned(i: int) -> int:
    return (i + 3) & ~3


def check_packet(data: bytes) -> Fault | None:
    """None when ``data`` is a sound OSC packet; else the first fault found."""
    n = len(data)
    if n == 0:
        return Fault("empty", "it is empty")
    if n > MAX_PACKET:
        return Fault("size", f"it is over {MAX_PACKET} bytes")
    if n % 4:
        return Fault("align", "its length is not a multiple of 4 (OSC pads everything to 4 bytes)")
    if data[0] != 0x2F and not data.startswith(BUNDLE_HEAD):
        return Fault("not-osc", f"it is not OSC (it starts with {bytes(data[:8])!r}, not '/' or '#bundle')")
    todo = [(0, n, 0)]          # (start, end, bundle depth) of elements still to check
    elements = 0
    while todo:
        start, end, depth = todo.pop()
        elements += 1
        if elements > MAX_ELEMENTS:
            return Fault("count", f"more than {MAX_ELEMENTS} messages and bundles in one packet")
        if data.startswith(BUNDLE_HEAD, start, end):
            if depth >= MAX_DEPTH:
                return Fault("depth", f"bundles nested more than {MAX_DEPTH} deep", start)
            if end - start < 16:
                return Fault("bundle", "a bundle cut off before the end of its time tag", start)
            i = start + 16
            while i < end:
                if end - i < 4:
                    return Fault("element", "a bundle element cut off inside its size", i)
                size = _INT.unpack_from(data, i)[0]
                if size <= 0:
                    return Fault("element", f"a bundle element says it is {size} bytes long", i)
                if size % 4:
                    return Fault("element", f"a bundle element of {size} bytes, not a multiple of 4", i)
                if size > end - i - 4:
                    return Fault("element", f"a bundle element says it is {size} bytes long, "
                                            f"but only {end - i - 4} are left", i)
                todo.append((i + 4, i + 4 + size, depth + 1))
                i += 4 + size
        elif data[start] == 0x2F:
            fault = _check_message(data, start, end)
            if fault is not None:
                return fault
        else:
            return Fault("element", f"a bundle element that is neither a message nor a bundle "
                                    f"(it starts with {bytes(data[start:start + 4])!r})", start)
    return None


def _check_message(data: bytes, start: int, end: int) -> Fault | None:
    z = data.find(b"\x00", start, end)
    if z < 0:
        return Fault("address", "an address without its terminating zero byte", start)
    if z - start > MAX_ADDRESS:
        return Fault("address", f"an address of {z - start} characters (at most {MAX_ADDRESS})", start)
    if not _ADDRESS.match(data, start, z):
        return Fault("address", "an address with spaces, control characters or non-ASCII letters", start)
    i = _aligned(z + 1)
    if i > end:
        return Fault("address", "an address cut off inside its padding", start)
    if i == end:
        return None                              # no type tags, no arguments: OSC 1.0 allows it
    if data[i] != 0x2C:
        return Fault("tags", "arguments without a type tag string (it must start with ',')", i)
    z = data.find(b"\x00", i, end)
    if z < 0:
        return Fault("tags", "a type tag string without its terminating zero byte", i)
    tags = data[i + 1:z]
    if len(tags) > MAX_ARGS:
        return Fault("tags", f"{len(tags)} type tags in one message (at most {MAX_ARGS})", i)
    tag_at, i = i, _aligned(z + 1)
    arrays = 0
    for t in tags:
        size = _FIXED.get(t)
        if size is not None:
            i += size
        elif t == 0x73:                          # s: a zero-terminated UTF-8 string
            z = data.find(b"\x00", i, end)
            if z < 0:
                return Fault("string", "a string argument without its terminating zero byte", i)
            try:
                data[i:z].decode("utf-8")
            except UnicodeDecodeError:
                return Fault("string", "a string argument that is not UTF-8 text", i)
            i = _aligned(z + 1)
        elif t == 0x62:                          # b: a 4-byte size, then that many bytes, padded
            if end - i < 4:
                return Fault("blob", "a blob cut off inside its size", i)
            size = _INT.unpack_from(data, i)[0]
            if size < 0 or size > end - i - 4:
                return Fault("blob", f"a blob that says it is {size} bytes long, but {end - i - 4} are left", i)
            i += 4 + _aligned(size)
        elif t == 0x5B:                          # [
            arrays += 1
            if arrays > MAX_ARRAY_DEPTH:
                return Fault("tags", f"arrays nested more than {MAX_ARRAY_DEPTH} deep", tag_at)
        elif t == 0x5D:                          # ]
            arrays -= 1
            if arrays < 0:
                return Fault("tags", "a ']' without its '[' in the type tags", tag_at)
        else:
            return Fault("tags", f"the type tag {chr(t)!r}, which vj does not read "
                                 "(it reads i h f d s b r m t T F N [ ])", tag_at)
        if i > end:
            return Fault("args", f"arguments that run past the end of the message (type tags ',{_text(tags)}')",
                         tag_at)
    if arrays:
        return Fault("tags", "a '[' without its ']' in the type tags", tag_at)
    if i != end:
        return Fault("args", f"{end - i} bytes after the last argument (type tags ',{_text(tags)}')", i)
    return None


def _text(tags: bytes) -> str:
    """Type tags fit to print: anything unprintable as '?', at most 16 of them."""
    shown = "".join(chr(c) if 0x21 <= c < 0x7F else "?" for c in tags[:16])
    return shown + ("..." if len(tags) > 16 else "")
