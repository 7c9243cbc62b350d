"""ISF headers, size expressions and the GLSL translation (no GL needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vj.isf import IsfError, parse_isf
from vj.isf.expr import SizeError, evaluate, pass_size
from vj.isf.glsl import generate, rewrite_image_calls

VIDVOX = Path(__file__).parent / "data" / "isf" / "vidvox"


def write(tmp_path: Path, text: str, name: str = "t.fs") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


HEADER = """/*{
    "DESCRIPTION": "all the types",
    "CREDIT": "test",
    "CATEGORIES": ["Test"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "amount", "LABEL": "Amount", "TYPE": "float", "DEFAULT": 0.25, "MIN": 0.0, "MAX": 2.0},
        {"NAME": "flag", "TYPE": "bool", "DEFAULT": true},
        {"NAME": "mode", "TYPE": "long", "DEFAULT": 2, "VALUES": [0, 2, 5], "LABELS": ["a", "b", "c"]},
        {"NAME": "tint", "TYPE": "color", "DEFAULT": [1.0, 0.5, 0.0, 1.0]},
        {"NAME": "where", "TYPE": "point2D", "DEFAULT": [0.5, 0.25], "MIN": [0, 0], "MAX": [1, 1]},
        {"NAME": "hit", "TYPE": "event"},
        {"NAME": "wave", "TYPE": "audio", "MAX": 128},
        {"NAME": "fft", "TYPE": "audioFFT"}
    ],
    "PASSES": [{"TARGET": "half", "WIDTH": "floor($WIDTH/2.0)", "HEIGHT": "$HEIGHT/2", "FLOAT": true},
               {"TARGET": "acc", "PERSISTENT": true}, {}],
    "ISFVSN": "2"
}*/
void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage); }
"""


def test_header_gives_typed_descriptors(tmp_path):
    spec = parse_isf(write(tmp_path, HEADER))
    assert spec.kind == "filter" and spec.version == 2 and spec.description == "all the types"
    by = {i.name: i for i in spec.inputs}
    assert [i.name for i in spec.inputs][:3] == ["inputImage", "amount", "flag"]  # declared order kept
    amount = by["amount"]
    assert (amount.type, amount.label, amount.default, amount.min, amount.max) == ("float", "Amount", 0.25, 0.0, 2.0)
    assert by["flag"].default is True and by["flag"].label == "flag"  # LABEL falls back to NAME
    assert by["mode"].values == (0, 2, 5) and by["mode"].labels == ("a", "b", "c") and by["mode"].default == 2
    assert by["tint"].default == (1.0, 0.5, 0.0, 1.0)
    assert by["where"].min == (0.0, 0.0) and by["where"].max == (1.0, 1.0)
    assert by["hit"].default is False
    assert by["wave"].samples == 128 and by["fft"].samples == 0
    assert [i.name for i in spec.controls] == ["amount", "flag", "mode", "tint", "where", "hit"]
    # what a control target for each input takes
    assert by["amount"].params() == (("", "f", 0.0, 2.0),)
    assert by["mode"].params() == (("", "i", 0, 5),)
    assert [p[0] for p in by["tint"].params()] == ["r", "g", "b", "a"]
    assert by["where"].params() == (("x", "f", 0.0, 1.0), ("y", "f", 0.0, 1.0))
    half, acc, out = spec.passes
    assert (half.target, half.float, half.persistent, half.width) == ("half", True, False, "floor($WIDTH/2.0)")
    assert (acc.target, acc.persistent) == ("acc", True)
    assert out.target is None


def test_coerce_clamps_and_never_raises(tmp_path):
    by = {i.name: i for i in parse_isf(write(tmp_path, HEADER)).inputs}
    assert by["amount"].coerce(5) == 2.0 and by["amount"].coerce(-1) == 0.0
    assert by["amount"].coerce("nonsense") == 0.25 and by["amount"].coerce(float("nan")) == 0.25
    assert by["mode"].coerce(4) == 5 and by["mode"].coerce(1.2) == 0  # nearest declared value
    assert by["tint"].coerce([0.2, 0.3, 2.0]) == (0.2, 0.3, 1.0, 1.0)  # rgb gets alpha, clamped
    assert by["where"].coerce((2, -1)) == (1.0, 0.0)
    assert by["where"].coerce(3) == (0.5, 0.25)  # not a pair: the default
    assert by["flag"].coerce(0) is False


def test_default_outside_range_still_settable(tmp_path):
    # Vidvox's Twirl.fs has radius DEFAULT 5 with MAX 1: hosts render the default as it is
    p = write(tmp_path, '/*{"INPUTS": [{"NAME": "radius", "TYPE": "float", "DEFAULT": 5, "MIN": 0, "MAX": 1}]}*/\n'
                        "void main() { gl_FragColor = vec4(radius); }\n")
    radius = parse_isf(p).inputs[0]
    assert radius.coerce(5.0) == 5.0 and radius.coerce(7.0) == 5.0 and radius.coerce(-1) == 0.0


def test_kinds(tmp_path):
    gen = write(tmp_path, '/*{"INPUTS": []}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n', "g.fs")
    trans = write(tmp_path, '/*{"INPUTS": [{"NAME": "startImage", "TYPE": "image"}, {"NAME": "endImage", "TYPE": "image"},'
                            '{"NAME": "progress", "TYPE": "float"}]}*/\nvoid main() {}\n', "tr.fs")
    assert parse_isf(gen).kind == "generator"
    assert parse_isf(trans).kind == "transition"
    assert parse_isf(VIDVOX / "Zoom.fs").kind == "filter"


def test_v1_upgrade(tmp_path):
    p = write(tmp_path, '/*{"INPUTS": [], "PERSISTENT_BUFFERS": ["acc"], "PASSES": [{"TARGET": "acc"}, {}]}*/\n'
                        "void main() { gl_FragColor = IMG_NORM_PIXEL(acc, vv_FragNormCoord); }\n")
    spec = parse_isf(p)
    assert spec.version == 1 and spec.passes[0].persistent and not spec.passes[1].persistent
    assert "isf_FragNormCoord" in generate(spec).fragment and "vv_FragNormCoord" not in generate(spec).fragment


def test_bad_json_names_the_file_line(tmp_path):
    p = write(tmp_path, '/*{\n  "INPUTS": [\n    {"NAME": "a", "TYPE": "float" "DEFAULT": 1}\n  ]\n}*/\nvoid main() {}\n')
    with pytest.raises(IsfError) as err:
        parse_isf(p)
    prob = err.value.problems[0]
    assert prob.path == p and prob.line == 3 and "JSON" in prob.message


def test_bad_input_type_names_the_input(tmp_path):
    p = write(tmp_path, '/*{\n "INPUTS": [\n  {"NAME": "x", "TYPE": "float"},\n  {"NAME": "cube", "TYPE": "cubeMap"}\n ]\n}*/\n')
    with pytest.raises(IsfError) as err:
        parse_isf(p)
    prob = err.value.problems[0]
    assert prob.line == 4 and "cube" in prob.where and "cubeMap" in prob.message
    assert prob.fix and "float, bool, long" in prob.fix                    # the types it may be


def test_a_type_spelled_the_way_other_hosts_do_says_the_isf_spelling(tmp_path):
    """MadMapper's "int" (and GLSL's vec2, "colour"): the fix names the ISF type to write."""
    p = write(tmp_path, '/*{\n "INPUTS": [\n  {"NAME": "steps", "TYPE": "int", "DEFAULT": 4},\n'
                        '  {"NAME": "where", "TYPE": "vec2"}\n ]\n}*/\n')
    with pytest.raises(IsfError) as err:
        parse_isf(p)
    steps, where = err.value.problems
    assert steps.line == 3 and steps.fix.startswith('write "TYPE": "long"'), steps
    assert where.line == 4 and where.fix == 'write "TYPE": "point2D"', where


def test_no_header(tmp_path):
    with pytest.raises(IsfError) as err:
        parse_isf(write(tmp_path, "void main() { gl_FragColor = vec4(1.0); }\n"))
    assert "ISF header" in str(err.value)


def test_lenient_json_trailing_comma(tmp_path):
    p = write(tmp_path, '/*{"INPUTS": [{"NAME": "a", "TYPE": "float", "DEFAULT": 1,},],}*/\nvoid main() {}\n')
    assert parse_isf(p).inputs[0].default == 1.0


def test_size_expressions():
    assert pass_size("floor($WIDTH/2.0)", "$HEIGHT/4", (641, 360), {}) == (320, 90)
    assert pass_size("$WIDTH*$scale", "max(1, $HEIGHT - 1000)", (100, 50), {"scale": 0.5}) == (50, 1)
    assert evaluate("2^3 + pow(2, 2)", {}) == 12.0
    with pytest.raises(SizeError):
        evaluate("__import__('os').system('true')", {})
    with pytest.raises(SizeError):
        evaluate("$nothere * 2", {"WIDTH": 1})
    with pytest.raises(SizeError):
        evaluate("().__class__", {})


def test_image_calls_are_parsed_with_brackets():
    this_pixel: set[str] = set()
    src = "a = IMG_NORM_PIXEL(img, vec2(x, mod(y, 1.0)));\nb = IMG_PIXEL(img, p, 2.0) + IMG_SIZE(img).x;"
    out = rewrite_image_calls(src, {"img"}, this_pixel, set())
    assert out.splitlines()[0] == "a = texture(img, vec2(x, mod(y, 1.0)));"
    assert "texture(img,( p)/_img_imgSize, 2.0)" in out and "(_img_imgSize).x" in out
    # a sampler that is a function parameter asks the texture for its size
    assert "textureSize(s, 0)" in rewrite_image_calls("IMG_PIXEL(s, p)", {"img"}, set(), set())
    # a call spread over lines keeps the line count (ISF line numbers stay right)
    multi = "c = IMG_NORM_PIXEL(img,\n   vec2(1.0,\n 2.0));\nd;"
    assert rewrite_image_calls(multi, {"img"}, set(), set()).count("\n") == multi.count("\n")
    rewrite_image_calls("IMG_THIS_PIXEL(img)", {"img"}, this_pixel, set())
    assert this_pixel == {"img"}


def test_translation_keeps_lines_and_renames_reserved(tmp_path):
    body = ("#version 120\nvarying vec2 uv;\nvoid main() {\n  vec4 texture = texture2D(inputImage, uv);\n"
            "  float filter = 1.0;\n  gl_FragColor = texture * filter;\n}\n")
    p = write(tmp_path, '/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n' + body)
    gen = generate(parse_isf(p))
    user = gen.fragment.splitlines()[gen.fragment_offset:]
    # user[i] is ISF line i + 1 (line 1 holds the header)
    assert user[4] == "  vec4 isf_u_texture = texture(inputImage, uv);"
    assert user[5] == "  float isf_u_filter = 1.0;"
    assert user[6] == "  isf_FragColor = isf_u_texture * isf_u_filter;"
    assert user[2] == "in vec2 uv;" and "#version 120" not in gen.fragment
