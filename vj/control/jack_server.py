"""The JACK server going away and coming back, as python-rtmidi's JACK backend cannot tell it.

rtmidi's JACK clients never learn that their server died: after ``jackd`` is restarted their port
list is the dead server's forever (a controller plugged into the new server is never seen), while a
fresh client sees it.  And once any new client opens in the process, libjack frees the dead
server's clients ("Jack server was closed but clients are still allocated, cleanup..."): deleting
one of the old rtmidi objects after that is a use-after-free, a SIGSEGV that takes the show down
(seen with the dummy driver, libjack 1.9.22 as bundled in python-rtmidi's wheel).

So :class:`ServerWatch` keeps a client of its own, with no ports, on the *same* libjack that rtmidi
loaded (found in the process's memory map), and registers libjack's shutdown callback on it: the
server's end is known within milliseconds.  The MIDI watcher (:class:`~vj.control.midi_ports.MidiBackend`)
then closes every old client first, and only then asks, once a poll, whether a server answers again
(:meth:`ServerWatch.connect`, which fails at once while none runs).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from contextlib import contextmanager
from typing import Iterator

CLIENT = "vj-midi-server"                #: the JACK name of the watching client (it has no ports)
_NO_START_SERVER = 0x01                  #: JackNoStartServer: never start a server by connecting

_ERROR_FN = ctypes.CFUNCTYPE(None, ctypes.c_char_p)
_SHUTDOWN_FN = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


def rtmidi_libjack() -> ctypes.CDLL | None:
    """The libjack python-rtmidi runs on (its wheel bundles its own copy), else the system's; None if none."""
    path = None
    try:
        with open("/proc/self/maps") as f:   # Linux: the very file rtmidi's module was linked against
            for line in f:
                name = line.split()[-1].rsplit("/", 1)[-1]
                if name.startswith(("libjack.so", "libjack-")) and ".so" in name:
                    path = line.split()[-1]
                    break
    except OSError:
        pass
    path = path or ctypes.util.find_library("jack")
    if path is None:
        return None
    try:
        lib = ctypes.CDLL(path)
        lib.jack_client_open.restype = ctypes.c_void_p
        lib.jack_client_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        lib.jack_on_shutdown.argtypes = [ctypes.c_void_p, _SHUTDOWN_FN, ctypes.c_void_p]
        lib.jack_activate.argtypes = [ctypes.c_void_p]
        lib.jack_client_close.argtypes = [ctypes.c_void_p]
        lib.jack_set_error_function.argtypes = [_ERROR_FN]
        lib.jack_set_info_function.argtypes = [_ERROR_FN]
        return lib
    except (OSError, AttributeError):
        return None


class ServerWatch:
    """A portless JACK client whose shutdown callback sets :attr:`gone` when the server ends."""

    def __init__(self, lib: ctypes.CDLL):
        self.lib = lib
        self.gone = threading.Event()
        self._client: int | None = None
        self._on_shutdown = _SHUTDOWN_FN(lambda arg: self.gone.set())   # kept: libjack holds the pointer
        self._silent = _ERROR_FN(lambda text: None)

    @classmethod
    def create(cls) -> "ServerWatch | None":
        """A watch on the server rtmidi talks to, connected; None where libjack cannot be found or answer."""
        lib = rtmidi_libjack()
        if lib is None:
            return None
        watch = cls(lib)
        try:
            return watch if watch.connect() else None
        except (OSError, ValueError, AttributeError):   # MIDI on JACK still runs, as before, without the watch
            return None

    @property
    def connected(self) -> bool:
        return self._client is not None

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """libjack's own lines muted: 5 lines ("Cannot connect to server socket ...") each time a client is
        tried while no server runs, and more as the dead server's clients close; vj says what happened."""
        try:   # jack2's variables; a libjack without them (PipeWire's, say) says its lines
            err = ctypes.c_void_p.in_dll(self.lib, "jack_error_callback")
            info = ctypes.c_void_p.in_dll(self.lib, "jack_info_callback")
        except ValueError:
            yield
            return
        saved = err.value, info.value
        self.lib.jack_set_error_function(self._silent)
        self.lib.jack_set_info_function(self._silent)
        try:
            yield
        finally:
            err.value, info.value = saved

    def connect(self) -> bool:
        """Open the watching client (the caller holds the JACK graph gate); False while no server answers."""
        if self._client is not None:
            return True
        status = ctypes.c_int(0)
        with self.quiet():
            client = self.lib.jack_client_open(CLIENT.encode(), _NO_START_SERVER, ctypes.byref(status))
        if not client:
            return False
        self.gone.clear()
        self.lib.jack_on_shutdown(client, self._on_shutdown, None)
        if self.lib.jack_activate(client) != 0:
            self.lib.jack_client_close(client)
            return False
        self._client = client
        return True

    def drop(self) -> None:
        """Close the watching client (its server is gone, or vj is done)."""
        client, self._client = self._client, None
        if client is not None:
            with self.quiet():
                self.lib.jack_client_close(client)
