"""OSC over real UDP on loopback: every address reaches the real engine; feedback, OSCQuery, bundles, garbage."""

from __future__ import annotations

import json
import os
import random
import socket
import time
import urllib.request

import pytest
from oscrig import Show, send
from pythonosc.osc_bundle_builder import OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.osc_packet import OscPacket

from vj.control import TARGETS
from vj.control.oscdoc import osc_doc
from vj.control.oscaddress import ALIASES
from vj.control.oscserver import OscServer


@pytest.fixture()
def rig():
    show = Show()
    lines: list[str] = []
    server = OscServer(show.control, port=0, query_port=0, log=lines.append).start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.bind(("127.0.0.1", 0))
    client.settimeout(3.0)
    yield show, server, client, lines
    client.close()
    server.close()
    show.close()


def sample_args(t):
    out = []
    for p in t.params:
        if p.kind == "s":
            out.append("c1" if t.name == "clip/cue_id" else "zoom/speed")
        elif p.kind == "i":
            out.append(2 if (p.hi or 0) >= 2 else 1)
        else:
            out.append(float((p.lo + p.hi) / 2 + (p.hi - p.lo) / 7))
    return out


def test_every_documented_address_reaches_the_engine(rig):
    show, server, client, lines = rig
    learned = []
    show.control.handlers["midi/learn"] = learned.append
    show.control.handlers["midi/learn_cancel"] = learned.append
    for t in TARGETS:
        if t.name == "query/state":
            continue
        before = (len(show.events), len(show.host_calls), len(learned))
        send(client, server, t.address, *sample_args(t))
        assert show.wait_for(lambda: (len(show.events), len(show.host_calls), len(learned)) != before), \
            f"{t.address} changed nothing: {lines[-3:]}"
    assert server.counts["refused"] == 0, lines


def test_values_in_the_address_and_button_presses_fire_once(rig):
    show, server, client, lines = rig
    send(client, server, "/vj/clip/cue/3", 1.0)       # TouchOSC button press
    send(client, server, "/vj/clip/cue/3", 0.0)       # ... and its release
    send(client, server, "/vj/tempo/tap", 1)
    send(client, server, "/vj/tempo/tap", 0)
    assert show.wait_for(lambda: len(show.events) >= 2)
    time.sleep(0.2)
    names = [type(e).__name__ for e in show.events]
    assert names.count("Cue") == 1 and names.count("TapTempo") == 1
    cue = next(e for e in show.events if type(e).__name__ == "Cue")
    assert cue.clip_id == "c2" and cue.switch


def test_resolume_aliases(rig):
    show, server, client, lines = rig
    send(client, server, "/composition/layers/1/clips/2/connect", 1)
    send(client, server, "/composition/tempocontroller/tempo", (128.0 - 20.0) / 480.0)
    assert show.wait_for(lambda: show.desc.report.tempo_source == "set")
    assert show.wait_for(lambda: abs(show.desc.bpm - 128.0) < 0.5)
    assert any(type(e).__name__ == "Cue" and e.clip_id == "c1" for e in show.events)
    assert len(ALIASES) >= 5


def read_state(client, until_fields, timeout=3.0, until=lambda got: True):
    got = {}
    end = time.monotonic() + timeout
    while time.monotonic() < end and not (until_fields <= set(got) and until(got)):
        try:
            data, _ = client.recvfrom(65536)
        except socket.timeout:
            break
        for tm in OscPacket(data).messages:
            got[tm.message.address.rsplit("/", 1)[-1]] = tm.message.params[0]
    return got


def test_feedback_to_registered_clients_and_queries(rig):
    show, server, client, lines = rig
    send(client, server, "/vj/query/state")
    state = read_state(client, {"bpm", "clip", "song", "pulse"})
    assert state["clip"] == "c0" and state["song"] == 1 and state["pulse"] == pytest.approx(0.5)
    send(client, server, "/vj/feedback/register")
    read_state(client, {"bpm", "clip", "song"})        # the whole state on registering
    send(client, server, "/vj/zoom/pulse", 0.9)
    state = read_state(client, {"pulse"}, until=lambda got: got["pulse"] == pytest.approx(0.9))
    assert state.get("pulse") == pytest.approx(0.9)
    send(client, server, "/vj/feedback/unregister")
    time.sleep(0.3)
    while True:  # drain what was already in flight
        client.settimeout(0.2)
        try:
            client.recvfrom(65536)
        except socket.timeout:
            break
    send(client, server, "/vj/zoom/pulse", 0.2)
    assert show.wait_for(lambda: show.engine.rules.pulse == pytest.approx(0.2))
    time.sleep(0.3)
    with pytest.raises(socket.timeout):
        client.recvfrom(65536)


def test_oscquery_lists_every_address(rig):
    show, server, client, lines = rig
    base = f"http://127.0.0.1:{server.query.port}"
    tree = json.loads(urllib.request.urlopen(base + "/", timeout=5).read())
    info = json.loads(urllib.request.urlopen(base + "/?HOST_INFO", timeout=5).read())
    assert info["OSC_PORT"] == server.port and info["OSC_TRANSPORT"] == "UDP"

    def node(path):
        cur = tree
        for part in path.strip("/").split("/"):
            cur = cur["CONTENTS"][part]
        return cur

    for t in TARGETS:
        n = node(t.address)
        assert n["FULL_PATH"] == t.address and n["DESCRIPTION"] == t.help
        if t.params:
            assert n["TYPE"] == t.typetags
            assert [r.get("MIN") for r in n["RANGE"]] == [p.lo for p in t.params]
    bpm = json.loads(urllib.request.urlopen(base + "/vj/state/bpm", timeout=5).read())
    assert bpm["ACCESS"] == 1 and bpm["VALUE"][0] > 0


def test_garbage_floods_and_oversized_packets_leave_the_show_unharmed(rig, caplog):
    show, server, client, lines = rig
    rules_before = show.engine.rules
    rng = random.Random(7)
    send(client, server, "/vj/tempo/bpm", 9000.0)                  # out of range
    send(client, server, "/vj/tempo/bpm", "fast")                  # wrong type
    send(client, server, "/vj/no/such/thing", 1)
    send(client, server, "/vj/zoom/focus", 0.5)                    # missing argument
    assert show.wait_for(lambda: server.counts["refused"] == 4)
    bad = [os.urandom(rng.randint(1, 300)) for _ in range(300)]
    bad += [b"/vj/tempo/bpm\x00\x00\x00,s\x00\x00fast\x00\x00\x00\x00",   # wrong type
            b"#bundle\x00" + b"\xff" * 40,                                    # broken bundle
            b"\x00" * 9000, os.urandom(20000), os.urandom(65000)]             # > 8 KiB, > 16 KiB, ~64 KiB
    for i, d in enumerate(bad, 1):                                 # in batches the socket's buffer holds
        client.sendto(d, ("127.0.0.1", server.port))
        if i % 50 == 0 or i == len(bad):
            assert show.wait_for(lambda: server.counts["packets"] >= 4 + i, timeout=20)
    frames = show.frames
    for i in range(10_000):                                        # a flood of wrong messages
        send(client, server, "/vj/clip/cue", 5000 + i)             # (what the socket cannot hold, the kernel drops)
    assert show.wait_for(lambda: server.counts["packets"] >= 1000 + len(bad), timeout=20)
    time.sleep(0.5)
    assert show.frames > frames                                    # the show kept stepping
    assert show.engine.rules == rules_before and show.desc.report.tempo_source != "set"
    assert not [e for e in show.events if type(e).__name__ in ("Cue", "SetTempo", "SetFocus")]
    assert server.counts["refused"] > 300 and len(lines) < 100     # logged, but not a line per packet
    assert any("over 16384 bytes" in ln for ln in lines) and any("ignored a broken packet" in ln for ln in lines)
    assert any("/vj/tempo/bpm" in ln and "Fix:" in ln for ln in lines), lines
    assert not [r for r in caplog.records if "pythonosc" in r.pathname]  # no stderr line per bad bundle
    send(client, server, "/vj/zoom/pulse", 0.77)                   # still listening
    assert show.wait_for(lambda: show.engine.rules.pulse == pytest.approx(0.77), timeout=10)


def test_a_future_bundle_waits_without_holding_up_what_comes_after(rig):
    show, server, client, lines = rig
    b = OscBundleBuilder(time.time() + 1.0)
    m = OscMessageBuilder("/vj/zoom/pulse")
    m.add_arg(0.11)
    b.add_content(m.build())
    sent = time.monotonic()
    client.sendto(b.build().dgram, ("127.0.0.1", server.port))
    send(client, server, "/vj/effect/blur", 0.33)
    assert show.wait_for(lambda: show.engine.rules.motion_blur == pytest.approx(0.33), timeout=2)
    assert show.engine.rules.pulse == pytest.approx(0.5)          # not yet
    assert time.monotonic() - sent < 0.9
    assert show.wait_for(lambda: show.engine.rules.pulse == pytest.approx(0.11), timeout=3)
    assert time.monotonic() - sent >= 0.95
    far = OscBundleBuilder(time.time() + 3600)
    far.add_content(m.build())
    client.sendto(far.build().dgram, ("127.0.0.1", server.port))
    assert show.wait_for(lambda: server.counts["refused"] == 1)


def test_allow_list_refuses_other_senders():
    show = Show()
    server = OscServer(show.control, port=0, allow=("127.0.0.2",), log=lambda line: None).start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        send(client, server, "/vj/zoom/pulse", 0.9)
        assert show.wait_for(lambda: server.counts["refused"] == 1)
        assert show.engine.rules.pulse == pytest.approx(0.5)
        other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        other.bind(("127.0.0.2", 0))
        send(other, server, "/vj/zoom/pulse", 0.9)
        assert show.wait_for(lambda: show.engine.rules.pulse == pytest.approx(0.9))
        other.close()
    finally:
        client.close()
        server.close()
        show.close()


def test_a_busy_port_is_reported_and_the_show_goes_on():
    import argparse

    from vj.control.oscserver import add_osc_arguments, start_osc
    show = Show()
    blocker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    blocker.bind(("127.0.0.1", 0))
    p = argparse.ArgumentParser()
    add_osc_arguments(p)
    lines = []
    surface = start_osc(p.parse_args(["--osc-port", str(blocker.getsockname()[1])]), show.control, log=lines.append)
    surface.close()
    blocker.close()
    show.close()
    assert lines and "--osc-port" in lines[0] and "Fix:" in lines[0]


def test_a_busy_oscquery_port_leaves_osc_working():
    show = Show()
    blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    lines: list[str] = []
    server = OscServer(show.control, port=0, query_port=blocker.getsockname()[1], log=lines.append).start()
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        assert server.query is None and any("no OSCQuery" in ln and "Fix:" in ln for ln in lines)
        send(client, server, "/vj/zoom/pulse", 0.6)
        assert show.wait_for(lambda: show.engine.rules.pulse == pytest.approx(0.6))
    finally:
        client.close()
        server.close()
        blocker.close()
        show.close()


def test_osc_doc_is_generated_from_the_code():
    from vj import ROOT
    assert (ROOT / "docs" / "OSC.md").read_text() == osc_doc(), "run `python -m vj.control.oscdoc --write-docs`"
