"""Bindings: the expression language and the beat envelopes that drive effect inputs (vj.engine.bindings)."""

from __future__ import annotations

import math

import pytest

from vj.engine.bindings import BindingError, Envelope, Expression, Signals, compile_binding, envelope


def sig(**kw) -> Signals:
    return Signals(**kw)


def test_expressions_read_the_signals_and_do_arithmetic():
    s = sig(bass=0.5, bass_att=0.25, mid=0.1, high=0.2, beats=10.25, bars=2.5, time=3.0, bpm=128.0)
    assert Expression("bass_att * 0.8")(s) == pytest.approx(0.2)
    assert Expression("0.1 + bass * 2 - mid")(s) == pytest.approx(1.0)
    assert Expression("beat")(s) == pytest.approx(0.25)          # the phase in the beat
    assert Expression("bar")(s) == pytest.approx(0.5)            # the phase in the bar
    assert Expression("beats")(s) == pytest.approx(10.25)
    assert Expression("treble")(s) == pytest.approx(0.2)         # an alias of high
    assert Expression("1 if bass > 0.4 else 0")(s) == 1.0
    assert Expression("clamp(bass * 4, 0, 1)")(s) == 1.0
    assert Expression("mix(0, 10, beat)")(s) == pytest.approx(2.5)
    assert Expression("max(mid, high, 0.15)")(s) == pytest.approx(0.2)
    assert Expression("2 ** 3 % 5")(s) == pytest.approx(3.0)
    assert Expression("-beats % 4")(s) == pytest.approx(1.75)    # GLSL's mod: never negative for a positive divisor
    assert Expression("sin(pi / 2) + fract(time * 0.5)")(s) == pytest.approx(1.5)
    assert Expression("bpm / 60")(s) == pytest.approx(128 / 60)


@pytest.mark.parametrize("text, said, fix", [
    ("bass_at * 2", "unknown name 'bass_at'", "did you mean 'bass_att'"),
    ("bas + 1", "unknown name 'bas'", "did you mean 'bass'"),
    ("sine(beat)", "unknown function 'sine'", "did you mean sin()"),
    ("clamp(bass, 0)", "clamp() takes 3 arguments, got 2", "clamp()"),
    ("bass *", "cannot read the expression", "0.2 + bass_att"),
    ("bass ^ 2", "'^'", "a ** b"),
    ("__import__('os')", "unknown function '__import__'", "functions are"),
    ("__import__('os').system('true')", "call is not allowed", "use numbers"),
    ("bass.real", "attribute is not allowed", "use numbers"),
    ("[1, 2][0]", "is not allowed", "use numbers"),
    ("'text'", "is not allowed", "use numbers"),
    ("x" * 500, "characters long", "shorter"),
])
def test_a_bad_expression_says_what_and_how_to_write_it(text, said, fix):
    with pytest.raises(BindingError) as err:
        Expression(text)
    assert said in str(err.value) and fix in err.value.fix


def test_an_expression_that_cannot_be_computed_gives_nan_not_an_exception():
    assert math.isnan(Expression("1 / bass")(sig(bass=0.0)))
    assert math.isnan(Expression("sqrt(-1 - bass)")(sig()))
    assert math.isnan(Expression("log(bass)")(sig(bass=0.0)))


def test_envelopes_follow_the_show_clock():
    decay = envelope({"source": "beat", "shape": "decay", "beats": 0.5})
    assert decay(sig(beats=4.0)) == pytest.approx(1.0)
    assert decay(sig(beats=4.25)) == pytest.approx(0.1)          # half way through its half beat: 1 % ** 0.5
    assert decay(sig(beats=4.5)) == pytest.approx(0.01)
    ramp = envelope({"shape": "ramp", "beats": 2.0})
    assert ramp(sig(beats=7.5)) == pytest.approx(0.75)            # every beat retriggers: 0.5 beats in
    gate = envelope({"shape": "gate", "beats": 0.25, "range": [0.2, 0.9]})
    assert gate(sig(beats=3.1)) == pytest.approx(0.9) and gate(sig(beats=3.3)) == pytest.approx(0.2)
    bar = envelope({"source": "bar", "shape": "ramp", "beats": 4})
    assert bar(sig(bars=5.25, beats_per_bar=4)) == pytest.approx(0.75)   # one beat into the bar
    assert bar(sig(bars=5.25, beats_per_bar=3)) == pytest.approx(1 - 0.75 / 4)
    every = envelope({"source": "beat", "shape": "ramp", "beats": 2, "every": 2})
    assert every(sig(beats=9.0)) == pytest.approx(0.5)            # the trigger was beat 8
    sine = envelope({"shape": "sine", "beats": 1})
    assert sine(sig(beats=2.5)) == pytest.approx(1.0) and sine(sig(beats=2.0)) == pytest.approx(0.0)
    onset = envelope({"source": "onset", "shape": "ramp", "beats": 1})
    assert onset(sig(since_onset=0.25, bpm=120)) == pytest.approx(0.5)   # half a beat at 120 BPM
    assert onset(sig()) == 0.0                                            # before any onset


def test_an_event_input_fires_on_the_trigger_frame_only():
    b = compile_binding({"source": "beat"}, "event")
    assert b(sig(prev_beats=3.97, beats=4.01)) is True
    assert b(sig(prev_beats=4.01, beats=4.04)) is False
    every = compile_binding({"source": "bar", "every": 2}, "event")
    assert every(sig(prev_bars=1.99, bars=2.01)) is True and every(sig(prev_bars=2.99, bars=3.01)) is False
    assert compile_binding({"source": "onset"}, "event")(sig(onset_fired=True)) is True


@pytest.mark.parametrize("table, said", [
    ({"source": "kick"}, "source 'kick' is not one of beat, bar, onset"),
    ({"shape": "square"}, "shape 'square' is not one of"),
    ({"beats": 0}, "beats = 0 is not a length"),
    ({"beats": "half"}, "is not a length"),
    ({"every": 1.5}, "every = 1.5 is not a whole number"),
    ({"source": "onset", "every": 2}, "every does not apply to onsets"),
    ({"range": [0, "1"]}, "is not two numbers"),
    ({"sorce": "beat"}, "unknown key 'sorce'"),
])
def test_a_bad_envelope_names_the_key(table, said):
    with pytest.raises(BindingError, match=said):
        envelope(table)


def test_bindings_take_the_shape_of_the_input_type():
    s = sig(bass=0.6, beats=1.5)
    assert compile_binding(0.4, "float")(s) == pytest.approx(0.4) and compile_binding(0.4, "float").constant
    assert compile_binding("bass * 10", "long")(s) == 6
    assert compile_binding("bass", "bool")(s) is True and compile_binding(True, "bool")(s) is True
    assert compile_binding(["0.5 + bass", 0.25], "point2D")(s) == pytest.approx((1.1, 0.25))
    assert compile_binding([1, 0.5, "beat"], "color")(s) == pytest.approx((1.0, 0.5, 0.5, 1.0))   # alpha added
    assert not compile_binding(["beat", 0], "point2D").constant
    with pytest.raises(BindingError, match="a point2D takes 2 values"):
        compile_binding([1, 2, 3], "point2D")
    with pytest.raises(BindingError, match="an envelope inside a color"):
        compile_binding([{"source": "beat"}, 0, 0], "color")
    with pytest.raises(BindingError, match="a list for an input of type float"):
        compile_binding([1], "float")
    with pytest.raises(BindingError, match="image"):
        compile_binding(1, "image")
    assert isinstance(compile_binding({"shape": "gate"}, "float").parts[0], Envelope)
