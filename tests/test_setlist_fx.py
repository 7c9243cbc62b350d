"""A setlist's ISF effects and transitions: read against each shader's header, every mistake at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from vj.errors import VjError
from vj.setlist import check_setlist, load_setlist
from vj.setlist_fx import SHIPPED, EffectSpec, resolve_shader, slug

HEAD = """\
[[songs]]
title = "One"
bank = "demo"
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "set.toml"
    p.write_text(text)
    return p


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(VjError) as err:
        load_setlist(write(tmp_path, text), check_files=False)
    return [str(p) for p in err.value.problems]


def test_effects_transition_and_sections_are_read_with_their_bindings(tmp_path):
    s = load_setlist(write(tmp_path, HEAD + """\
transition = {shader = "Slice Wipe", slices = 12, vertical = true}

[[songs.effects]]
shader = "RGB Shift"
amount = "bass_att * 0.8"
center = [0.5, "0.5 + 0.1 * sin(time)"]

[[songs.effects]]
shader = "Beat Trails"
name = "trails"
on = false
beat = {source = "beat", shape = "decay", beats = 0.5}

  [[songs.sections]]
  bar = 9
  effects.trails = {on = true, persistence = 0.5}
  transition = "zoom"

  [[songs.sections]]
  bar = 17
  transition = "Slice Wipe"
"""), check_files=False)
    song = s.songs[0]
    rgb, trails = song.effects
    assert (rgb.name, rgb.kind, rgb.on, rgb.shader) == ("rgb_shift", "filter", True, SHIPPED / "RGB Shift.fs")
    assert dict(rgb.bindings)["amount"].parts[0].text == "bass_att * 0.8"
    assert [i.name for i in rgb.inputs] == ["amount", "bass", "spread", "angle", "mode", "center"]
    assert (trails.name, trails.on, dict(trails.bindings)["beat"].parts[0].beats) == ("trails", False, 0.5)
    assert song.transition.name == "slice_wipe" and song.transition.kind == "transition"
    assert "progress" not in [i.name for i in song.transition.inputs]   # the flight drives it
    assert {k: b.parts for k, b in song.transition.bindings} == {"slices": (12.0,), "vertical": (1.0,)}
    first, second = song.sections
    assert first.effects[0].name == "trails" and first.effects[0].on is True
    assert dict(first.effects[0].bindings)["persistence"].parts == (0.5,)
    assert first.transition == "zoom" and isinstance(second.transition, EffectSpec)


def test_every_mistake_is_found_at_its_line_with_the_fix(tmp_path):
    said = problems(tmp_path, HEAD + """\
transition = "RGB Shift"

[[songs.effects]]
shader = "RGB Shfit"

[[songs.effects]]
shader = "Slice Wipe"

[[songs.effects]]
shader = "Beat Trails"
beet = 0.5
persistence = "bass_at * 2"
tint = [1, 0]
on = "yes"

[[songs.effects]]
shader = "Kaleidoscope Turn"
name = "Kaleido!"

  [[songs.sections]]
  bar = 3
  effects.trails = {on = true}
""")
    text = "\n".join(said)
    assert "set.toml:4: song 1 'One'" in text and "RGB Shift.fs is a filter, not a transition" in text
    assert "set.toml:7: song 1 'One', effect 1: no ISF shader 'RGB Shfit'. Fix: did you mean 'RGB Shift'?" in text
    assert "set.toml:10:" in text and "Slice Wipe.fs is a transition, not an effect" in text
    # each says what the other kind has and where this one goes ("a filter, not a transition (it has startImage,
    # endImage and progress)" read as if the filter had them)
    assert "(it has startImage" not in text, text
    assert ("RGB Shift.fs is a filter, not a transition (a transition has startImage, endImage and progress). Fix: "
            'use it as an effect ([[songs.effects]] with shader = "RGB Shift"), and name a transition here') in text
    assert 'use it for the flights (transition = "Slice Wipe", in the song or a section), and name a filter' in text
    assert "set.toml:14: song 1 'One', effect 3, effect 'beat_trails', field 'beet': Beat Trails.fs has no input " \
           "'beet'. Fix: did you mean 'beat'?" in text
    assert "set.toml:15:" in text and "unknown name 'bass_at'" in text and "did you mean 'bass_att'?" in text
    assert "set.toml:16:" in text and "a color takes 4 values" in text
    assert "set.toml:17:" in text and "on = 'yes' is not true or false" in text
    assert "set.toml:21:" in text and "name 'Kaleido!' cannot be a control name" in text
    assert "set.toml:25:" in text and "the song has no effect named 'trails'" in text and "beat_trails" in text


def test_a_broken_shader_is_reported_at_its_own_file_and_line(tmp_path):
    (tmp_path / "isf").mkdir()
    (tmp_path / "isf" / "Broken.fs").write_text('/*{\n  "INPUTS": [\n    {"NAME": "inputImage", "TYPE": "image"},\n'
                                                '    {"NAME": "amount" "TYPE": "float"}\n  ]\n}*/\nvoid main() {}\n')
    said = problems(tmp_path, HEAD + '\n[[songs.effects]]\nshader = "Broken"\n')
    assert len(said) == 1 and f"{tmp_path / 'isf' / 'Broken.fs'}:4:" in said[0]
    assert "used by set.toml:6 (song 1 'One', effect 1)" in said[0] and "JSON" in said[0]


def test_a_refused_effect_is_said_once_not_again_at_each_section_naming_it(tmp_path):
    """A section switching an effect whose shader was refused (a generator, a broken header) is not a second
    problem ("the song has no effect named 'plasma'"): fixing the shader's line fixes the file.  A generator's
    fix says how to make it a filter, not "use it where it fits" (it fits nowhere in a setlist)."""
    (tmp_path / "isf").mkdir()
    (tmp_path / "isf" / "Plasma.fs").write_text('/*{"INPUTS": []}*/\nvoid main() { gl_FragColor = vec4(1.0); }\n')
    said = problems(tmp_path, HEAD + '\n[[songs.effects]]\nshader = "Plasma"\non = false\n\n'
                                     '[[songs.effects]]\nshader = "Nope"\nname = "nope"\n\n'
                                     '[[songs.sections]]\nbar = 9\neffects.plasma = {on = true}\neffects.nope.on = true\n'
                                     'effects.other.on = true\n')
    assert len(said) == 3, said
    assert "Plasma.fs is a generator, not an effect" in said[0] and '"NAME": "inputImage"' in said[0], said
    assert "no ISF shader 'Nope'" in said[1] and "no effect named 'other'" in said[2], said


def test_one_name_means_one_shader_across_the_setlist(tmp_path):
    said = problems(tmp_path, HEAD + """\
[[songs.effects]]
shader = "RGB Shift"
name = "fx1"

[[songs]]
title = "Two"
bank = "demo"

[[songs.effects]]
shader = "Beat Trails"
name = "fx1"
""")
    assert len(said) == 1 and "set.toml:12:" in said[0] and "the name 'fx1' is RGB Shift.fs in song 1 'One'" in said[0]
    said = problems(tmp_path, HEAD + '[[songs.effects]]\nshader = "RGB Shift"\n[[songs.effects]]\nshader = "RGB Shift"\n')
    assert len(said) == 1 and "two effects of the song are named 'rgb_shift'" in said[0]


def test_shaders_are_found_by_name_in_the_setlist_folder_then_shipped_or_by_path(tmp_path):
    (tmp_path / "isf").mkdir()
    mine = tmp_path / "isf" / "RGB Shift.fs"
    mine.write_text((SHIPPED / "RGB Shift.fs").read_text())
    assert resolve_shader("RGB Shift", tmp_path) == mine                     # the setlist's own first
    assert resolve_shader("Beat Trails", tmp_path) == SHIPPED / "Beat Trails.fs"
    assert resolve_shader("isf/RGB Shift.fs", tmp_path) == mine
    assert resolve_shader(str(SHIPPED / "Slice Wipe.fs"), tmp_path) == SHIPPED / "Slice Wipe.fs"
    assert resolve_shader("Nope", tmp_path) is None
    assert slug("Beat Trails") == "beat_trails" and slug("3D Rotate") == "3d_rotate"


def test_the_demo_setlist_uses_the_shipped_effects_and_an_isf_transition():
    from vj import ROOT
    s = load_setlist(ROOT / "setlists" / "demo.toml", check_files=False)
    shaders = {fx.shader.stem for song in s.songs for fx in song.effects}
    assert {"RGB Shift", "Beat Trails", "Kaleidoscope Turn"} <= shaders
    assert any(song.transition is not None and song.transition.kind == "transition" for song in s.songs)


def test_setlist_check_reports_effect_problems(tmp_path):
    f = write(tmp_path, HEAD.replace('"demo"', '"nobank"') + '[[songs.effects]]\nshader = "RGB Shift"\namount = "1 +"\n')
    text = "\n".join(str(p) for p in check_setlist(f, banks=False))
    assert "set.toml:6:" in text and "cannot read the expression" in text


LOGO_FX = ('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}, {"NAME": "logo", "TYPE": "image"},'
           ' {"NAME": "mix", "TYPE": "float", "DEFAULT": 0.5}]}*/\n'
           'void main() { gl_FragColor = mix(IMG_THIS_PIXEL(inputImage), IMG_THIS_NORM_PIXEL(logo), mix); }\n')


def test_an_image_input_takes_a_picture_file_relative_to_the_setlist(tmp_path):
    (tmp_path / "isf").mkdir()
    (tmp_path / "isf" / "Logo.fs").write_text(LOGO_FX)
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "logo.png").write_bytes(b"\x89PNG")
    s = load_setlist(write(tmp_path, HEAD + '[[songs.effects]]\nshader = "Logo"\nlogo = "art/logo.png"\nmix = 0.3\n'),
                     check_files=False)
    fx = s.songs[0].effects[0]
    assert fx.images == (("logo", tmp_path / "art" / "logo.png"),)
    assert [i.name for i in fx.inputs] == ["mix"] and dict(fx.bindings).keys() == {"mix"}
    said = problems(tmp_path, HEAD + '[[songs.effects]]\nshader = "Logo"\nlogo = "art/nope.png"\n\n'
                    '[[songs.effects]]\nshader = "Logo"\nname = "two"\nlogo = 3\n\n'
                    '[[songs.effects]]\nshader = "Logo"\nname = "three"\nlogo = "isf/Logo.fs"\n'
                    '  [[songs.sections]]\n  bar = 5\n  effects.two = {logo = "art/logo.png"}\n')
    assert any("no picture file 'art/nope.png' for logo" in p and ":6" in p for p in said), said
    assert any("takes a picture file, not 3" in p and ":11" in p for p in said), said
    assert any("Logo.fs is not a picture file for logo" in p and ":16" in p for p in said), said
    assert any("a section cannot change two's picture 'logo'" in p for p in said), said
    # a picture of the same name with another ending, or a near name, beside where it points: named in the fix
    said = problems(tmp_path, HEAD + '[[songs.effects]]\nshader = "Logo"\nlogo = "art/logo.jpg"\n\n'
                    '[[songs.effects]]\nshader = "Logo"\nname = "two"\nlogo = "art/lgo.png"\n')
    assert "Fix: did you mean 'art/logo.png'?" in said[0] and "Fix: did you mean 'art/logo.png'?" in said[1], said


def test_setlist_check_compiles_the_shaders_it_uses(tmp_path, make_clip, capsys):
    """A shader whose header is right but whose GLSL does not compile passed `vj setlist check` as OK, and the
    effect was missing at the show (usecheck3's walkthrough): the check now compiles each shader it names."""
    from vj.cli import main
    make_clip(tmp_path / "bank" / "a.mp4")
    (tmp_path / "bank" / "bank.toml").write_text('[[clips]]\nfile = "a.mp4"\n')
    (tmp_path / "isf").mkdir()
    (tmp_path / "isf" / "Typo.fs").write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
                                              'void main() { gl_FragColor = IMG_THIS_PIXEL(inputImage) * colour; }\n')
    song = '[[songs]]\ntitle = "One"\nbank = "./bank"\n\n[[songs.effects]]\nshader = "{}"\n'
    f = write(tmp_path, song.format("Typo"))
    assert main(["setlist", "check", str(f)]) == 1
    err = capsys.readouterr().err
    assert ":5: song 1 'One': the shader 'Typo.fs' does not compile:" in err and "colour" in err, err
    assert err.count("Fix:") == 1, err
    assert "vj isf check" in err, err
    assert main(["setlist", "check", str(f), "--no-shaders"]) == 0     # the headers alone are right
    capsys.readouterr()
    (tmp_path / "isf" / "Img.fs").write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}], '
                                             '"IMPORTED": {"sky": {"PATH": "sky.png"}}}*/\n'
                                             'void main() { gl_FragColor = IMG_THIS_PIXEL(sky); }\n')
    f.write_text(song.format("Img"))
    assert main(["setlist", "check", str(f)]) == 1                     # compiles, but its image is not there
    err = capsys.readouterr().err
    assert "the shader 'Img.fs' cannot be used: " in err and "'sky.png' is not there" in err, err
    assert "Fix: put the image next to Img.fs" in err and err.count("Fix:") == 1, err
    f.write_text(song.format("RGB Shift"))
    assert main(["setlist", "check", str(f)]) == 0
    assert "is OK (1 shader compiled)." in capsys.readouterr().err


def test_a_menu_input_takes_one_of_its_values(tmp_path):
    """A long input with VALUES is a menu: a number not among them (an index for a value, a typo) is said with
    the values and their labels; the shader got the nearest value, unsaid."""
    said = problems(tmp_path, HEAD + '[[songs.effects]]\nshader = "RGB Shift"\nmode = 2\n\n'
                    '  [[songs.sections]]\n  bar = 5\n  effects.rgb_shift.mode = 3\n')
    assert len(said) == 2, said
    assert "set.toml:6:" in said[0] and "2 is not one of the values of mode, a menu" in said[0], said
    assert "write one of 0 (Along the angle), 1 (Out from the centre)" in said[0], said
    assert "set.toml:10:" in said[1] and "3 is not one of the values of mode" in said[1], said
    load_setlist(write(tmp_path, HEAD + '[[songs.effects]]\nshader = "RGB Shift"\nmode = 1\n'), check_files=False)


def test_setlist_check_of_a_missing_semicolon_points_at_the_line_before_too(tmp_path, make_clip, capsys):
    """The shader's error is found at the word after a missing ';' (line 5 for line 4's): the setlist check named
    line 5 alone, which was right (a performer's own effect, in a walkthrough)."""
    from vj.cli import main
    make_clip(tmp_path / "bank" / "a.mp4")
    (tmp_path / "bank" / "bank.toml").write_text('[[clips]]\nfile = "a.mp4"\n')
    (tmp_path / "isf").mkdir()
    (tmp_path / "isf" / "Tint.fs").write_text('/*{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}*/\n'
                                              'void main() {\n  vec4 c = IMG_THIS_PIXEL(inputImage);\n'
                                              '  c.r = c.r * 0.5\n  gl_FragColor = c;\n}\n')
    f = write(tmp_path, '[[songs]]\ntitle = "One"\nbank = "./bank"\n\n[[songs.effects]]\nshader = "Tint"\n')
    assert main(["setlist", "check", str(f)]) == 1
    err = capsys.readouterr().err
    assert "Tint.fs:5: GLSL compile error: syntax error" in err, err
    assert "Fix: look at the end of line 4 of Tint.fs too; fix the shader" in err and err.count("Fix:") == 1, err
