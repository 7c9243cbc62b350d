"""Who gets OSC feedback, and how much a query may make vj send.

A UDP sender's address can be forged, so anything vj sends because a packet asked for it could be
aimed at a third party.  Two bounds keep that small:

- :class:`FeedbackClients`: at most ``MAX_CLIENTS`` registered clients (the ``--osc-feedback`` ones do
  not count and never expire); a registered client expires ``CLIENT_TTL`` seconds after vj last
  heard anything from its host, so a tablet that left the network stops costing packets;
- :class:`ReplyBudget`: token buckets on the whole-state answers (``/vj/query/state`` and the state
  sent on registering), per destination and in total, tighter for addresses that never registered.
  One query gets at most one packet back (a bundle of the state), so a forged flood of queries
  yields a trickle.
"""

from __future__ import annotations

import threading
from collections import deque
import time
from dataclasses import dataclass
from typing import Callable, Iterable

Address = tuple[str, int]

MAX_CLIENTS = 16        #: registered feedback clients; a stage has a few tablets and a Companion, not dozens
CLIENT_TTL = 600.0      #: s without a packet from the client's host before it is dropped (re-register to stay)

#: whole-state answers per second (rate, burst): a registered client re-syncing, an unknown asker, all unknown
REGISTERED_RATE = (10.0, 20.0)
UNKNOWN_RATE = (2.0, 4.0)
UNKNOWN_TOTAL_RATE = (20.0, 40.0)
MAX_TRACKED = 256       #: addresses whose buckets are remembered; beyond it the fullest are forgotten


class FeedbackClients:
    """The clients that get the show state whenever it changes.  Thread-safe."""

    def __init__(self, fixed: tuple[Address, ...] = (), *, cap: int = MAX_CLIENTS, ttl: float = CLIENT_TTL,
                 clock: Callable[[], float] = time.monotonic):
        self.fixed = frozenset(fixed)       #: from --osc-feedback: always sent to
        self.cap = cap
        self.ttl = ttl
        self.clock = clock
        self._registered: dict[Address, float] = {}    # address -> when it registered
        self._heard: dict[str, float] = {}              # host -> when a packet last came from it
        self._lock = threading.Lock()

    def heard(self, host: str) -> None:
        """A packet came from ``host`` (any port): its registrations stay alive."""
        if host in self._heard:
            self._heard[host] = self.clock()

    def register(self, addr: Address) -> str:
        """"new", "renewed" or "full" (the cap is reached: refused)."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            if addr in self.fixed:
                return "renewed"
            if addr in self._registered:
                self._registered[addr] = now
                self._heard[addr[0]] = now
                return "renewed"
            if len(self._registered) >= self.cap:
                return "full"
            self._registered[addr] = now
            self._heard[addr[0]] = now
            return "new"

    def unregister(self, addr: Address) -> bool:
        with self._lock:
            found = self._registered.pop(addr, None) is not None
            self._forget_hosts()
            return found

    def current(self) -> list[Address]:
        """Every client to send to now (expired ones dropped)."""
        with self._lock:
            self._expire(self.clock())
            return [*self.fixed, *(a for a in self._registered if a not in self.fixed)]

    def __contains__(self, addr: Address) -> bool:
        with self._lock:
            return addr in self.fixed or addr in self._registered

    def __len__(self) -> int:
        return len(self.current())

    def _expire(self, now: float) -> list[Address]:
        gone = [a for a, t in self._registered.items() if now - max(t, self._heard.get(a[0], t)) > self.ttl]
        for a in gone:
            del self._registered[a]
        if gone:
            self._forget_hosts()
        return gone

    def _forget_hosts(self) -> None:
        hosts = {a[0] for a in self._registered}
        for h in [h for h in self._heard if h not in hosts]:
            del self._heard[h]


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class ReplyBudget:
    """Token buckets for whole-state answers; ``allow(addr, registered)`` spends one token or says no."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._buckets: dict[Address, _Bucket] = {}
        self._unknown = _Bucket(UNKNOWN_TOTAL_RATE[1], clock())
        self._lock = threading.Lock()
        self.refused = 0

    def allow(self, addr: Address, registered: bool) -> bool:
        now = self.clock()
        rate = REGISTERED_RATE if registered else UNKNOWN_RATE
        with self._lock:
            b = self._buckets.get(addr)
            if b is None:
                if len(self._buckets) >= MAX_TRACKED:
                    self._forget(now)
                b = self._buckets[addr] = _Bucket(rate[1], now)
            ok = self._take(b, rate, now) if registered else (
                self._peek(b, rate, now) and self._take(self._unknown, UNKNOWN_TOTAL_RATE, now)
                and self._take(b, rate, now))
            if not ok:
                self.refused += 1
            return ok

    @staticmethod
    def _refill(b: _Bucket, rate: tuple[float, float], now: float) -> None:
        b.tokens = min(rate[1], b.tokens + (now - b.at) * rate[0])
        b.at = now

    def _peek(self, b: _Bucket, rate: tuple[float, float], now: float) -> bool:
        self._refill(b, rate, now)
        return b.tokens >= 1.0

    def _take(self, b: _Bucket, rate: tuple[float, float], now: float) -> bool:
        self._refill(b, rate, now)
        if b.tokens < 1.0:
            return False
        b.tokens -= 1.0
        return True

    def _forget(self, now: float) -> None:
        """Drop the buckets of addresses quiet for 10 s (they would be full again); if none is, the older half."""
        quiet = [a for a, b in self._buckets.items() if now - b.at > 10.0]
        for a in quiet or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[a]


ECHO_VALUES = 64        #: values remembered per sender address and control: a fader sends ~60 a second, fed back 20
ECHO_KEYS = 1024        #: (sender, control) pairs (and sender links) remembered; beyond it the oldest are forgotten


class SentValues:
    """The effect values each sender (host and port) set that the show has not fed back yet (as MIDI's soft
    takeover keeps them): the show reports a value a frame or more after a fader sent it, and sending that echo
    back to the surface still moving the fader pulled the fader back to where it was.  Kept per sender address,
    not per host: two surfaces on one laptop each see the other's moves.  Thread-safe (the receiver notes, the
    sender asks)."""

    def __init__(self):
        self._sent: dict[tuple[Address, str], deque] = {}
        self._links: dict[Address, Address] = {}   # sender -> the client address it registered
        self._lock = threading.Lock()

    def link(self, sender: Address, client: Address) -> None:
        """``sender`` registered ``client`` (``/vj/feedback/register PORT``): what it sends is that client's."""
        with self._lock:
            self._links.pop(sender, None)
            self._links[sender] = client
            if len(self._links) > ECHO_KEYS:
                del self._links[next(iter(self._links))]

    def note(self, sender: Address, target: str, value: object) -> None:
        with self._lock:
            key = (sender, target)
            dq = self._sent.pop(key, None) or deque(maxlen=ECHO_VALUES)
            dq.append(value)
            self._sent[key] = dq                      # newest last: the oldest go first
            if len(self._sent) > ECHO_KEYS:
                del self._sent[next(iter(self._sent))]

    def owner(self, client: Address, clients: Iterable[Address]) -> frozenset[Address]:
        """The senders whose moves ``client`` made: its own address (a surface that sends from the port it
        listens on), the sender that registered it (one that listens on another port), or, for a client
        nobody registered (``--osc-feedback HOST:PORT``), a sender on its host that is no client and
        registered none."""
        known = set(clients)
        with self._lock:
            senders = {s for s, _ in self._sent}
            links = dict(self._links)
        registered = client in links.values()
        return frozenset(s for s in senders if s == client or links.get(s) == client or
                         (not registered and s[0] == client[0] and s not in known and s not in links))

    def echo(self, owner: frozenset[Address], target: str, value: object) -> bool:
        """Whether ``value`` is one of ``owner``'s senders sent for ``target`` since it was last told (forgotten
        with those before it); another value (a section, another surface) forgets what they sent."""
        with self._lock:
            for sender in owner:
                dq = self._sent.get((sender, target))
                for i, x in enumerate(dq or ()):
                    if _same(x, value):
                        for _ in range(i + 1):
                            dq.popleft()
                        return True
            for sender in owner:
                self._sent.pop((sender, target), None)
            return False


def _same(a: object, b: object) -> bool:
    xs, ys = (a if isinstance(a, tuple) else (a,)), (b if isinstance(b, tuple) else (b,))
    return len(xs) == len(ys) and all(abs(float(x) - float(y)) <= 1e-6 * max(1.0, abs(float(x))) for x, y in zip(xs, ys))
