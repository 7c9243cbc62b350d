"""Watch a window's pixels from outside the process: grab an area of an X screen (Xvfb) with libX11.

What the audience sees is what the X server shows, so a fault test judges the output by grabbing it
from another process, never by asking the player.  :class:`OutputWatch` grabs an area a few times a
second on its own thread and keeps, per grab, a time stamp, a digest and the mean brightness; from
those come the longest stretch the picture did not change (frozen) and the longest stretch it was
black.  libX11 through ctypes (pyglet needs it anyway): no extra package.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import threading
import time
from dataclasses import dataclass, field

import numpy as np

#: mean brightness (0-255) under which a grab counts as black
BLACK_LEVEL = 4.0


class _XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte)), ("byte_order", ctypes.c_int),
                ("bitmap_unit", ctypes.c_int), ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int), ("bits_per_pixel", ctypes.c_int)]


_ZPIXMAP = 2
_ALL_PLANES = ctypes.c_ulong(0xFFFFFFFF)


class XGrabber:
    """One connection to an X display; ``grab(x, y, w, h)`` -> (h, w, 3) uint8 RGB of the root window."""

    def __init__(self, display: str):
        lib = ctypes.util.find_library("X11")
        if lib is None:
            raise RuntimeError("libX11 is missing")
        x = self._x = ctypes.CDLL(lib)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XGetImage.restype = ctypes.POINTER(_XImage)
        x.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint,
                                ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        x.XDestroyImage.argtypes = [ctypes.POINTER(_XImage)]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._dpy = x.XOpenDisplay(display.encode())
        if not self._dpy:
            raise RuntimeError(f"cannot open X display {display}")
        self._root = x.XDefaultRootWindow(self._dpy)

    def grab(self, x: int, y: int, w: int, h: int) -> np.ndarray:
        img = self._x.XGetImage(self._dpy, self._root, x, y, w, h, _ALL_PLANES, _ZPIXMAP)
        if not img:
            raise RuntimeError("XGetImage failed")
        try:
            im = img.contents
            if im.bits_per_pixel != 32:
                raise RuntimeError(f"{im.bits_per_pixel} bits per pixel (expected a 24-bit screen)")
            raw = np.ctypeslib.as_array(im.data, shape=(im.bytes_per_line * h,)).copy()
        finally:
            self._x.XDestroyImage(img)
        px = raw.reshape(h, -1)[:, : w * 4].reshape(h, w, 4)
        return px[..., 2::-1]  # BGRX -> RGB

    def close(self) -> None:
        if self._dpy:
            self._x.XCloseDisplay(self._dpy)
            self._dpy = None


@dataclass(slots=True)
class Grab:
    at: float        #: time.monotonic()
    digest: bytes
    mean: float


@dataclass(slots=True)
class OutputWatch:
    """Grabs ``area`` (x, y, w, h) of ``display`` every ``every`` s on a thread, from ``start()`` to ``stop()``."""

    display: str
    area: tuple[int, int, int, int]
    every: float = 0.1
    grabs: list[Grab] = field(default_factory=list)
    last: np.ndarray | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> "OutputWatch":
        self._thread = threading.Thread(target=self._run, name="output-watch", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        grabber = XGrabber(self.display)
        try:
            while not self._stop.is_set():
                t0 = time.monotonic()
                px = grabber.grab(*self.area)
                self.last = px
                self.grabs.append(Grab(t0, hashlib.blake2b(px.tobytes(), digest_size=16).digest(), float(px.mean())))
                self._stop.wait(max(0.0, self.every - (time.monotonic() - t0)))
        finally:
            grabber.close()

    def stop(self) -> "OutputWatch":
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        return self

    def between(self, t0: float, t1: float) -> list[Grab]:
        return [g for g in self.grabs if t0 <= g.at <= t1]

    def frozen_s(self, t0: float = 0.0, t1: float = float("inf")) -> float:
        """The longest stretch (seconds) over which consecutive grabs were identical and not black."""
        return _longest(self.between(t0, t1), lambda a, b: a.digest == b.digest and b.mean >= BLACK_LEVEL)

    def frozen_at(self, t0: float = 0.0, t1: float = float("inf")) -> tuple[float, float]:
        """(start, seconds) of the longest frozen stretch."""
        return _longest_at(self.between(t0, t1), lambda a, b: a.digest == b.digest and b.mean >= BLACK_LEVEL)

    def black_s(self, t0: float = 0.0, t1: float = float("inf")) -> float:
        """The longest stretch (seconds) over which the grabs were black."""
        return _longest(self.between(t0, t1), lambda a, b: a.mean < BLACK_LEVEL and b.mean < BLACK_LEVEL)

    def changing(self, t0: float = 0.0, t1: float = float("inf")) -> int:
        """How many grabs differed from the one before (the picture moved)."""
        gs = self.between(t0, t1)
        return sum(a.digest != b.digest for a, b in zip(gs, gs[1:]))


def _longest(grabs: list[Grab], same) -> float:
    return _longest_at(grabs, same)[1]


def _longest_at(grabs: list[Grab], same) -> tuple[float, float]:
    """(start, seconds) of the longest run of grabs where each pair satisfies ``same``."""
    best, best_at, start = 0.0, 0.0, None
    for a, b in zip(grabs, grabs[1:]):
        if same(a, b):
            start = a.at if start is None else start
            if b.at - start > best:
                best, best_at = b.at - start, start
        else:
            start = None
    return best_at, best


class _ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class _XEvent(ctypes.Union):
    _fields_ = [("xclient", _ClientMessage), ("pad", ctypes.c_long * 24)]


def ask_to_close(display: str, window: int) -> None:
    """What a window manager's close button (or Alt+F4) does: a WM_DELETE_WINDOW message to ``window``."""
    x = ctypes.CDLL(ctypes.util.find_library("X11"))
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(_XEvent)]
    x.XFlush.argtypes = x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = x.XOpenDisplay(display.encode())
    if not dpy:
        raise RuntimeError(f"cannot open X display {display}")
    try:
        ev = _XEvent()
        ev.xclient.type = 33   # ClientMessage
        ev.xclient.window = window
        ev.xclient.message_type = x.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
        ev.xclient.format = 32
        ev.xclient.data[0] = x.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        x.XSendEvent(dpy, window, 0, 0, ctypes.byref(ev))
        x.XFlush(dpy)
    finally:
        x.XCloseDisplay(dpy)
