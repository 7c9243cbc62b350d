"""Every input of the effects in use is a control target (OSC, MIDI, panel), generated from the shaders'
headers into the one control table; a control moves the effect in the show."""

from __future__ import annotations

import pytest

from vj.control import ShowControl, SongEntry, command
from vj.control.controller import ShowReport
from vj.control.framegate import FrameGate
from vj.control.midi_map import read_map
from vj.control.oscaddress import to_command_args
from vj.control.oscquery import address_tree, find
from vj.control.targets import BY_NAME, ControlError, Command, all_targets, effect_targets, set_effect_targets
from vj.engine import SetEffect, ToggleEffect
from vj.isf import parse_isf
from vj.setlist_fx import SHIPPED


def shipped(stem: str, name: str | None = None, switch: bool = True):
    spec = parse_isf(SHIPPED / f"{stem}.fs")
    inputs = [i for i in spec.controls if i.name != "progress"]
    return effect_targets(name or stem.lower().replace(" ", "_"), stem, inputs, switch=switch)


@pytest.fixture()
def installed():
    targets = shipped("RGB Shift", "rgb") + shipped("Kaleidoscope Turn", "kaleido") + \
        shipped("Slice Wipe", "wipe", switch=False)
    set_effect_targets(targets)
    yield targets
    set_effect_targets(())


def test_the_targets_of_a_shader_come_from_its_header():
    t = {x.name: x for x in shipped("RGB Shift", "rgb") + shipped("Slice Wipe", "wipe", switch=False)}
    assert list(t)[:3] == ["fx/rgb/on", "fx/rgb/amount", "fx/rgb/bass"]
    amount = t["fx/rgb/amount"]
    assert [(p.name, p.kind, p.lo, p.hi) for p in amount.params] == [("value", "f", 0.0, 1.0)]
    assert "Shift" in amount.help and amount.address == "/vj/fx/rgb/amount" and not amount.momentary
    assert [(p.name, p.lo, p.hi) for p in t["fx/rgb/center"].params] == [("x", 0.0, 1.0), ("y", 0.0, 1.0)]
    assert [(p.kind, p.lo, p.hi) for p in t["fx/rgb/mode"].params] == [("i", 0, 1)]
    assert "0 Along the angle, 1 Out from the centre" in t["fx/rgb/mode"].help
    assert [p.name for p in t["fx/wipe/edge"].params] == ["r", "g", "b", "a"]
    assert "fx/wipe/on" not in t and "fx/wipe/progress" not in t     # a transition is switched by the setlist


def test_installed_targets_are_commands_on_every_surface(installed):
    assert command("fx/rgb/amount", 0.5).args == (0.5,)
    with pytest.raises(ControlError, match=r"fx/rgb/amount: value: 2 is out of range 0..1. Fix: send value"):
        command("fx/rgb/amount", 2.0)
    assert command("fx/kaleido/center", 0.2, 0.8).args == (0.2, 0.8)
    assert [t.name for t in all_targets()][-len(installed):] == [t.name for t in installed]
    # OSC: the address and the values in it, as for the show's own controls
    assert to_command_args("/vj/fx/rgb/amount", (0.25,)) == ("fx/rgb/amount", (0.25,))
    assert to_command_args("/vj/fx/kaleido/on/1", ()) == ("fx/kaleido/on", (1,))
    # a colour as r, g, b (the setlist takes it so too) is opaque; it was refused ("expected 4 argument(s)")
    assert to_command_args("/vj/fx/wipe/edge", (1.0, 0.0, 0.5)) == ("fx/wipe/edge", (1.0, 0.0, 0.5, 1.0))
    assert to_command_args("/vj/fx/wipe/edge", (1.0, 0.0, 0.5, 0.2)) == ("fx/wipe/edge", (1.0, 0.0, 0.5, 0.2))
    node = find(address_tree(None), "/vj/fx/kaleido/segments")
    assert node["TYPE"] == "f" and node["RANGE"] == [{"MIN": 2.0, "MAX": 16.0}]
    # a fader of an effect: only its newest value counts when a surface floods the show
    got: list[Command] = []
    gate = FrameGate(got.append, per_host=1, per_frame=1)
    for v in (0.1, 0.2, 0.3):
        gate.offer(command("fx/rgb/amount", v), "h")
    gate.tick()
    assert [c.args for c in got] == [(0.1,), (0.3,)] and gate.replaced == 1


def test_a_midi_map_may_name_an_effect_control(installed, tmp_path):
    p = tmp_path / "fx.toml"
    p.write_text('[device]\nname = "box"\nmatch = ["box"]\n\n[[cc]]\ncc = 7\ntarget = "fx/rgb/amount"\n')
    m, problems = read_map(p)
    assert problems == [] and m.mappings[0].target == "fx/rgb/amount"
    p.write_text('[device]\nname = "box"\nmatch = ["box"]\n\n[[cc]]\ncc = 7\ntarget = "fx/rgb/amout"\n')
    _, problems = read_map(p)
    assert problems and "fx/rgb/amount" in str(problems[0])
    # an effect this setlist does not have: said so, with the names it has (difflib offered fx/toggle)
    p.write_text('[device]\nname = "box"\nmatch = ["box"]\n\n[[cc]]\ncc = 7\ntarget = "fx/duo/mix"\n')
    _, problems = read_map(p)
    assert "no effect named 'duo' (its effects and transitions: rgb, kaleido, wipe)" in problems[0].fix, problems
    assert "fx/toggle" not in problems[0].fix


def test_a_reloaded_setlist_replaces_the_effect_controls(installed):
    set_effect_targets(shipped("Beat Trails", "trails"))
    assert "fx/trails/persistence" in BY_NAME and "fx/rgb/amount" not in BY_NAME
    with pytest.raises(ControlError, match="unknown control 'fx/rgb/amount'"):
        command("fx/rgb/amount", 0.5)


def test_the_controller_turns_effect_controls_into_effect_events(installed):
    control = ShowControl([SongEntry("one", ("c0",))])
    report = ShowReport()
    assert control.apply(command("fx/rgb/amount", 0.7), 1.0, report) == [SetEffect("rgb", "amount", 0.7)]
    assert control.apply(command("fx/kaleido/center", 0.1, 0.9), 1.0, report) == [SetEffect("kaleido", "center", (0.1, 0.9))]
    assert control.apply(command("fx/kaleido/on", 0), 1.0, report) == [SetEffect("kaleido", "on", 0)]
    assert control.apply(command("fx/toggle", 2), 1.0, report) == [ToggleEffect(2)]


def test_f1_to_f8_toggle_the_songs_effects_and_midi_learn_can_take_them():
    from types import SimpleNamespace
    from vj.live.keys import BINDINGS, key_command, learn_argument
    k = SimpleNamespace(MOD_SHIFT=1, MOD_CTRL=2, MOD_COMMAND=64, F1=0xffbe, F8=0xffc5, Q=113, L=108, _1=49, _9=57)
    for attr in ("SPACE T A R COMMA PERIOD NUM_MULTIPLY ASTERISK SLASH NUM_DIVIDE _0 RIGHT LEFT UP DOWN "
                 "BRACKETLEFT BRACKETRIGHT F H B N P S QUESTION").split():
        setattr(k, attr, hash(attr) % 1000 + 1000)
    cmd = key_command(k.F1 + 2, 0, k)
    assert (cmd.target, cmd.args) == ("fx/toggle", (3,))
    assert learn_argument(cmd) == "fx/toggle 3"          # Ctrl+L, F3, a pad: the pad toggles effect 3
    assert key_command(k.F8 + 1, 0, k) is None            # F9 is not an effect
    assert any(b.action == "fx/toggle" for b in BINDINGS)


def test_a_float32_at_the_end_of_a_range_is_the_end_not_out_of_range():
    import numpy as np
    from vj.control.targets import Param
    p = Param("value", "f", -0.1, 0.2)
    assert float(np.float32(0.2)) > 0.2 and float(np.float32(-0.1)) < -0.1     # what OSC delivers at the ends
    assert p.check(float(np.float32(0.2))) == 0.2 and p.check(float(np.float32(-0.1))) == -0.1
    with pytest.raises(ControlError, match="out of range"):
        p.check(0.2001)


FLASH = """/*{
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "flash", "TYPE": "event"},
               {"NAME": "gain", "TYPE": "float", "DEFAULT": 0.5}]
}*/
void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) + (flash ? vec4(gain) : vec4(0.0)); }
"""


def test_a_pad_or_a_bare_osc_message_fires_an_event_input(tmp_path):
    """An ISF event is a trigger: a pad mapped to it (no args), MIDI learn of its name alone, and an OSC
    message without arguments fire it.  Before, each was refused ("expected 1 argument(s)") and the map
    stopped `vj play` from starting."""
    from vj.control.midi_learn import parse_control
    f = tmp_path / "Flash.fs"
    f.write_text(FLASH)
    set_effect_targets(effect_targets("fl", "Flash", parse_isf(f).controls))
    try:
        p = tmp_path / "pads.toml"
        p.write_text('[device]\nname = "box"\nmatch = ["box"]\n\n[[notes]]\nnote = 36\ntarget = "fx/fl/flash"\n\n'
                     '[[notes]]\nnotes = [40, 41]\ntarget = "fx/fl/flash"\n')
        m, problems = read_map(p)
        assert problems == [], problems
        assert [(x.number, x.mode, x.args) for x in m.mappings] == [(36, "press", (1,)), (40, "press", (1,)),
                                                                      (41, "press", (1,))]
        assert parse_control("fx/fl/flash") == ("fx/fl/flash", (1,))
        assert to_command_args("/vj/fx/fl/flash", ()) == ("fx/fl/flash", (1,))
        control = ShowControl([SongEntry("one", ("c0",))])
        assert control.apply(command("fx/fl/flash", *m.mappings[0].args), 1.0, ShowReport()) == \
            [SetEffect("fl", "flash", 1)]
        assert BY_NAME["fx/fl/gain"].press == ()                           # a fader takes its value
    finally:
        set_effect_targets(())


GRID = """/*{
    "INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "grid", "TYPE": "bool", "DEFAULT": true}]
}*/
void main() { gl_FragColor = grid ? vec4(1.0) - IMG_THIS_PIXEL(inputImage) : IMG_THIS_PIXEL(inputImage); }
"""


def test_a_midi_toggle_flips_an_effect_switch_from_what_the_show_does(tmp_path):
    """A pad in toggle mode on fx/NAME/on or a bool input flips it from the show's own value: an effect the
    setlist switched on goes off at the first press.  Before, MIDI knew no effect's value, took it for off
    and sent 1: the first press did nothing, the second switched it off."""
    from collections import defaultdict
    import mido
    from vj.control.midi_messages import MessageMapper
    from vj.control.midi_map import port_table
    from vj.control.midi_ports import Device
    from vj.engine import EffectDesc, FrameDesc
    f = tmp_path / "Grid.fs"
    f.write_text(GRID)
    set_effect_targets(effect_targets("g", "Grid", parse_isf(f).controls) + shipped("RGB Shift", "rgb"))
    try:
        p = tmp_path / "pads.toml"
        p.write_text('[device]\nname = "box"\nmatch = ["box"]\nfeedback = false\n\n'
                     '[[notes]]\nnote = 36\ntarget = "fx/g/on"\n\n[[notes]]\nnote = 37\ntarget = "fx/g/grid"\n\n'
                     '[[notes]]\nnote = 38\ntarget = "fx/rgb/on"\n')
        m, problems = read_map(p)
        assert problems == [] and {x.mode for x in m.mappings} == {"toggle"}
        dev = Device("box", device_map=m, table=port_table([m], "box"))
        control = ShowControl([SongEntry("one", ("c0",))])
        mapper = MessageMapper(control, {}, defaultdict(int), state_changed=lambda t: None, problem=print)
        # the show draws g (on, its grid on as its header says) and not rgb
        control.publish(FrameDesc(time=1.0, layers=(), effects=(EffectDesc("g", str(f), (("grid", True),)),)))
        mapper.note_values(control.status, [], control.fx_values)

        def press(note: int) -> list:
            mapper.handle(dev, mido.Message("note_on", note=note, velocity=127), 1.0)
            return control.drain(1.0, ShowReport())

        assert press(36) == [SetEffect("g", "on", 0)]         # on -> off at the first press
        assert press(37) == [SetEffect("g", "grid", 0)]
        assert press(38) == [SetEffect("rgb", "on", 1)]       # off -> on
    finally:
        set_effect_targets(())


def test_a_midi_fader_on_an_effect_a_reload_dropped_is_said_in_words(installed, tmp_path):
    """A setlist saved without the effect a fader (or an encoder) is mapped to: each move raised
    "KeyError: 'fx/rgb/amount'" in the MIDI thread (the mapping looked its target up to see if it is a menu).
    It is refused as any unknown control is, naming the effects the show has."""
    import mido

    from vj.control.midi_messages import MessageMapper
    from vj.control.midi_ports import Device
    p = tmp_path / "box.toml"
    p.write_text('[device]\nname = "box"\nmatch = ["box"]\n\n[[cc]]\ncc = 7\ntarget = "fx/rgb/amount"\n'
                 'takeover = false\n\n[[cc]]\ncc = 8\ntarget = "fx/rgb/amount"\nmode = "relative_offset"\n')
    box, problems = read_map(p)
    assert not problems, problems
    dev = Device("box", device_map=box, table={m.key: m for m in box.mappings})
    said: list[str] = []
    mapper = MessageMapper(ShowControl([SongEntry("one", ("c0",))]), {}, {"ignored": 0, "commands": 0},
                           state_changed=lambda target: None, problem=said.append)
    set_effect_targets(shipped("Beat Trails", "trails"))          # the saved setlist: rgb gone
    for cc in (7, 8):
        mapper.handle(dev, mido.Message("control_change", control=cc, value=70), 1.0)
    assert len(said) == 2 and all("unknown control 'fx/rgb/amount'" in s and "trails" in s for s in said), said
