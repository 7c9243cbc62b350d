"""OSC feedback of the effects' switches and inputs, over real UDP on loopback: a TouchOSC button or fader on
/vj/fx/NAME/on or /vj/fx/NAME/INPUT follows when a section, an F-key or MIDI changes it, once per change."""

from __future__ import annotations

import socket
import time

import pytest
from fxrig import FxShow
from oscrig import send, udp_client
from pythonosc.osc_packet import OscPacket

from vj.control import command
from vj.control.oscserver import OscServer


@pytest.fixture()
def show(tmp_path):
    s = FxShow(tmp_path)
    yield s
    s.close()


def received(sock: socket.socket, quiet: float = 0.4, limit: float = 5.0) -> list[tuple[str, tuple, bool]]:
    """Every message that arrives until ``quiet`` s pass without a packet: (address, arguments, in a bundle)."""
    got = []
    end = time.monotonic() + limit
    sock.settimeout(quiet)
    while time.monotonic() < end:
        try:
            data = sock.recvfrom(65536)[0]
        except socket.timeout:
            break
        got += [(tm.message.address, tuple(tm.message.params), data.startswith(b"#bundle"))
                for tm in OscPacket(data).messages]
    return got


def fx(msgs) -> list[tuple[str, tuple]]:
    return [(a, p) for a, p, _ in msgs if a.startswith("/vj/fx/")]


def test_a_surface_follows_the_effects_switches_and_inputs_whoever_changes_them(show):
    server = OscServer(show.control, port=0, log=lambda line: None).start()
    client = udp_client()
    try:
        assert show.until(lambda: show.control.status is not None)
        send(client, server, "/vj/feedback/register")
        state = fx(m for m in received(client) if m[2])      # the whole state: one bundle, the effect's values in it
        assert dict(state) == {"/vj/fx/glow/on": (1,), "/vj/fx/glow/amount": (0.5,), "/vj/fx/glow/invert": (0,),
                               "/vj/fx/glow/mode": (0,), "/vj/fx/glow/tint": (1.0, 1.0, 1.0, 1.0)}
        # an F-key (fx/toggle 1) switches it off
        show.control.submit(command("fx/toggle", 1, origin="key"))
        assert fx(received(client)) == [("/vj/fx/glow/on", (0,))]
        # a section switches it on and binds its fader anew
        show.section(on=True, amount=0.25)
        got = fx(received(client))
        assert sorted(got) == [("/vj/fx/glow/amount", (0.25,)), ("/vj/fx/glow/on", (1,))]
        # MIDI (or another tablet) sets the menu, the switch and the colour
        for name, args in (("fx/glow/mode", (5,)), ("fx/glow/invert", (1,)), ("fx/glow/tint", (1.0, 0.5, 0.0, 1.0))):
            show.control.submit(command(name, *args, origin="midi APC mini"))
        got = fx(received(client))
        assert sorted(got) == [("/vj/fx/glow/invert", (1,)), ("/vj/fx/glow/mode", (5,)),
                               ("/vj/fx/glow/tint", (1.0, 0.5, 0.0, 1.0))]
        # only changes: a value set again to what it is sends nothing
        show.control.submit(command("fx/glow/mode", 5, origin="key"))
        assert fx(received(client)) == []
    finally:
        client.close()
        server.close()


def test_osc_refuses_a_number_that_is_not_one_of_a_menus_values(show):
    """A menu (ISF long with VALUES 0, 2, 5) takes its values only: 3 went through and the shader got the
    nearest, 2, unsaid.  The refusal names the values and their labels, as the setlist's does."""
    lines: list[str] = []
    server = OscServer(show.control, port=0, log=lines.append).start()
    client = udp_client()
    try:
        assert show.until(lambda: show.value("mode") == 0)
        send(client, server, "/vj/fx/glow/mode", 3)
        assert show.until(lambda: any("mode" in line for line in lines)), lines
        said = next(line for line in lines if "mode" in line)
        assert "3 is not one of the menu's values" in said and "0 (Soft), 2 (Hard), 5 (Wild)" in said, said
        time.sleep(0.1)
        assert show.value("mode") == 0 and server.refused["control"] == 1
        send(client, server, "/vj/fx/glow/mode", 5)
        assert show.until(lambda: show.value("mode") == 5)
    finally:
        client.close()
        server.close()


def test_an_input_bound_to_the_music_is_said_at_most_twenty_times_a_second(show):
    """An input that changes every frame (here 100 a second) is said at most every FX_FEEDBACK_EVERY, in
    bundles: each change as it came was a packet per frame per client.  Its last value still arrives."""
    from vj.control.oscserver import FX_FEEDBACK_EVERY
    server = OscServer(show.control, port=0, log=lambda line: None).start()
    client = udp_client()
    try:
        send(client, server, "/vj/feedback/register")
        received(client)
        show.section(amount="0.5 + 0.4 * sin(time * 3.0)")   # a new value every frame
        client.settimeout(0.5)
        t0, n, packets = time.monotonic(), 0, 0
        while time.monotonic() - t0 < 2.0:
            data = client.recvfrom(65536)[0]
            packets += 1
            n += sum(tm.message.address == "/vj/fx/glow/amount" for tm in OscPacket(data).messages)
        took = time.monotonic() - t0
        most = took / FX_FEEDBACK_EVERY + 2
        assert 0.5 * took / FX_FEEDBACK_EVERY <= n <= most and packets <= most + took * 20, (n, packets, took)
        show.section(amount=0.3)                              # still: its value arrives, then nothing
        last = [p for a, p in fx(received(client)) if a == "/vj/fx/glow/amount"]
        assert last and last[-1] == pytest.approx((0.3,)), last
    finally:
        client.close()
        server.close()


def test_a_tablet_moving_a_fader_is_not_sent_its_own_values_back(show):
    """The show feeds a value back a frame or more after the fader sent it: to the tablet whose finger is
    still moving, that echo pulled the fader back.  The tablet gets no echo of its own move, another tablet
    gets the move, and the tablet gets what others do (a section) again."""
    server = OscServer(show.control, port=0, log=lambda line: None).start()
    moving, watching = udp_client("127.0.0.1"), udp_client("127.0.0.2")
    try:
        for c in (moving, watching):
            send(c, server, "/vj/feedback/register")
            received(c)
        sweep = [round(0.05 * i, 2) for i in range(1, 20)]
        for v in sweep:
            send(moving, server, "/vj/fx/glow/amount", v)
            time.sleep(0.01)
        seen = [p[0] for a, p in fx(received(watching)) if a == "/vj/fx/glow/amount"]
        assert seen and seen[-1] == pytest.approx(sweep[-1]), seen
        assert [p for a, p in fx(received(moving)) if a == "/vj/fx/glow/amount"] == []
        show.section(amount=0.25)
        assert fx(received(moving)) == [("/vj/fx/glow/amount", (0.25,))]
    finally:
        moving.close()
        watching.close()
        server.close()


def test_two_surfaces_on_one_computer_each_see_the_others_moves(show):
    """Echoes were kept per host: a second surface on the same laptop (a patch beside Open Stage Control)
    never saw the first one's fader.  Each surface's own moves are still not sent back to it, whether it
    listens on the port it sends from or registered another one."""
    server = OscServer(show.control, port=0, log=lambda line: None).start()
    moving, watching = udp_client("127.0.0.1"), udp_client("127.0.0.1")
    replies = udp_client("127.0.0.1")   # a third surface: sends from `other`, listens on `replies`' port
    other = udp_client("127.0.0.1")
    try:
        for c in (moving, watching):
            send(c, server, "/vj/feedback/register")
            received(c)
        send(other, server, "/vj/feedback/register", replies.getsockname()[1])
        received(replies)
        sweep = [round(0.05 * i, 2) for i in range(1, 12)]
        for v in sweep:
            send(moving, server, "/vj/fx/glow/amount", v)
            time.sleep(0.01)
        seen = [p[0] for a, p in fx(received(watching)) if a == "/vj/fx/glow/amount"]
        assert seen and seen[-1] == pytest.approx(sweep[-1]), seen
        assert [p for a, p in fx(received(moving)) if a == "/vj/fx/glow/amount"] == []
        assert [p for a, p in fx(received(replies)) if a == "/vj/fx/glow/amount"][-1] == pytest.approx((sweep[-1],))
        for v in (0.9, 0.8, 0.7):   # the third surface's own moves: not back to the port it registered
            send(other, server, "/vj/fx/glow/amount", v)
            time.sleep(0.01)
        assert [p[0] for a, p in fx(received(watching)) if a == "/vj/fx/glow/amount"][-1] == pytest.approx(0.7)
        assert [p for a, p in fx(received(replies)) if a == "/vj/fx/glow/amount"] == []
    finally:
        for c in (moving, watching, replies, other):
            c.close()
        server.close()


def test_oscquery_carries_the_effects_values_as_feedback_sends_them(show):
    """An OSCQuery controller reads an effect fader's VALUE from its node, as it reads /vj/state/...: the
    tree had the effects' addresses without a VALUE, so a surface that binds by OSCQuery started blank."""
    import http.client
    import json
    server = OscServer(show.control, port=0, query_port=0, log=lambda line: None).start()

    def node(path: str) -> dict:
        conn = http.client.HTTPConnection("127.0.0.1", server.query.port, timeout=5)
        try:
            conn.request("GET", path)
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()
    try:
        assert show.until(lambda: show.control.fx_values.get("fx/glow/on") == 1.0)
        glow = node("/vj/fx/glow")["CONTENTS"]
        assert {k: (n["VALUE"], n["ACCESS"]) for k, n in glow.items()} == {
            "on": ([1], 3), "amount": ([0.5], 3), "invert": ([0], 3), "mode": ([0], 3),
            "tint": ([1.0, 1.0, 1.0, 1.0], 3)}
        show.control.submit(command("fx/glow/mode", 5, origin="midi APC mini"))
        show.control.submit(command("fx/glow/amount", 0.25, origin="midi APC mini"))
        assert show.until(lambda: show.control.fx_values.get("fx/glow/mode") == 5.0)
        assert show.until(lambda: show.control.fx_values.get("fx/glow/amount") == 0.25)
        assert node("/vj/fx/glow/mode")["VALUE"] == [5] and node("/vj/fx/glow/amount")["VALUE"] == [0.25]
        assert "VALUE" not in node("/vj/fx/toggle") and node("/vj/fx/toggle")["ACCESS"] == 2
    finally:
        server.close()


def test_an_effect_that_is_off_still_reports_what_a_section_sets_on_its_inputs(show):
    """The rack worked out only the values of effects on screen: a section that set an off effect's fader left
    the surface showing the old value until the effect came on.  Its inputs are reported as the show holds them."""
    server = OscServer(show.control, port=0, log=lambda line: None).start()
    client = udp_client()
    try:
        assert show.until(lambda: show.control.status is not None)
        send(client, server, "/vj/feedback/register")
        received(client)
        show.control.submit(command("fx/glow/on", 0, origin="key"))
        assert fx(received(client)) == [("/vj/fx/glow/on", (0,))]
        show.section(amount=0.25, mode=2)                       # the effect stays off
        got = fx(received(client))
        assert sorted(got) == [("/vj/fx/glow/amount", (0.25,)), ("/vj/fx/glow/mode", (2,))], got
        assert show.control.fx_values["fx/glow/on"] == 0.0 and show.value("amount") is None   # not drawn
        show.control.submit(command("fx/glow/tint", 0.0, 1.0, 0.0, 1.0, origin="midi APC mini"))
        assert fx(received(client)) == [("/vj/fx/glow/tint", (0.0, 1.0, 0.0, 1.0))]
    finally:
        client.close()
        server.close()
