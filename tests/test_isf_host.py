"""The ISF host on a real GL context (EGL, Mesa llvmpipe here): uniforms, passes, buffers, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vj.gfx.context import headless_context
from vj.isf import IsfAudio, IsfError, IsfFilter, IsfGenerator, IsfTransition, load_isf, load_isf_dir
from vj.isf.images import read_picture, texture_from_picture

VIDVOX = Path(__file__).parent / "data" / "isf" / "vidvox"
SHIPPED = Path(__file__).resolve().parent.parent / "shaders" / "isf"


@pytest.fixture(scope="module")
def ctx():
    c = headless_context()
    yield c
    c.release()


def isf(tmp_path: Path, header: str, body: str, name: str = "t.fs", vertex: str | None = None) -> Path:
    p = tmp_path / name
    p.write_text(f"/*{header}*/\n{body}")
    if vertex is not None:
        p.with_suffix(".vs").write_text(vertex)
    return p


def px(tex, x: int, y: int) -> np.ndarray:
    """RGBA at pixel (x, y) counted from the bottom left (GL's way), as 0..255 ints."""
    img = read_picture(tex)
    return img[img.shape[0] - 1 - y, x].astype(int)


def ramp(w: int, h: int) -> np.ndarray:
    """A picture whose red is x*8 and green y*8 (top row first, as pictures are given)."""
    y, x = np.mgrid[0:h, 0:w]
    pic = np.zeros((h, w, 4), np.uint8)
    pic[..., 0] = x * 8
    pic[..., 1] = (h - 1 - y) * 8  # bottom row green 0
    pic[..., 3] = 255
    return pic


def test_standard_uniforms(ctx, tmp_path):
    p = isf(tmp_path, '{"INPUTS": []}',
            "void main() { gl_FragColor = vec4(TIME / 10.0, TIMEDELTA, float(FRAMEINDEX) / 10.0, "
            "RENDERSIZE.x / 100.0 + DATE.w / 100000.0); }")
    s = load_isf(ctx, p, (32, 20))
    assert isinstance(s, IsfGenerator)
    s.render(1.0, date=(2026, 12, 4, 0))
    out = s.render(1.5, date=(2026, 12, 4, 50000))
    r, g, b, a = px(out, 3, 3)
    assert abs(r - 0.15 * 255) <= 1 and abs(g - 0.5 * 255) <= 1 and abs(b - 0.1 * 255) <= 1
    assert abs(a - (0.32 + 0.5) * 255) <= 1
    s.reset()
    assert px(s.render(2.0), 0, 0)[2] == 0  # FRAMEINDEX back to 0 after reset
    s.release()


def test_norm_coord_and_image_functions(ctx, tmp_path):
    # the input is 16x8, the output 32x16: IMG_PIXEL counts the image's pixels, IMG_SIZE is its size
    p = isf(tmp_path, '{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}',
            "void main() {\n"
            "  if (isf_FragNormCoord.x < 0.5) gl_FragColor = IMG_PIXEL(inputImage, vec2(3.5, 2.5));\n"
            "  else gl_FragColor = vec4(IMG_SIZE(inputImage) / 255.0, isf_FragNormCoord);\n}\n")
    s = load_isf(ctx, p, (32, 16))
    img = texture_from_picture(ctx, ramp(16, 8))
    out = s.apply(img, 0.0)
    assert list(px(out, 0, 0)[:2]) == [24, 16]  # texel (3, 2) of the input
    r, g, b, a = px(out, 31, 15)
    assert (r, g) == (16, 8)
    assert abs(b - 255 * 31.5 / 32) <= 1 and abs(a - 255 * 15.5 / 16) <= 1
    img.release()
    s.release()


def test_this_pixel_follows_pixels_and_norm_follows_coords(ctx, tmp_path):
    p = isf(tmp_path, '{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}',
            "void main() { gl_FragColor = (isf_FragNormCoord.y < 0.5) ? IMG_THIS_PIXEL(inputImage)"
            " : IMG_THIS_NORM_PIXEL(inputImage); }")
    s = load_isf(ctx, p, (16, 16))
    img = texture_from_picture(ctx, ramp(32, 32))  # twice the output size
    out = s.apply(img, 0.0)
    assert px(out, 5, 2)[0] == 40         # IMG_THIS_PIXEL: the image's own pixel (5, 2)
    assert abs(px(out, 5, 12)[0] - 84) <= 1  # IMG_THIS_NORM_PIXEL: same place in the picture (x 10.5 of 32)
    img.release()
    s.release()


def test_values_reach_the_shader(ctx, tmp_path):
    p = isf(tmp_path,
            '{"INPUTS": [{"NAME": "f", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0, "MAX": 1},'
            '{"NAME": "b", "TYPE": "bool", "DEFAULT": false}, {"NAME": "n", "TYPE": "long", "VALUES": [1, 2, 3], "DEFAULT": 1},'
            '{"NAME": "c", "TYPE": "color", "DEFAULT": [0, 0, 1, 1]}, {"NAME": "pt", "TYPE": "point2D", "DEFAULT": [8, 4]},'
            '{"NAME": "e", "TYPE": "event"}]}',
            "void main() { gl_FragColor = vec4(f, b ? 1.0 : 0.0, float(n) / 4.0 + (e ? 0.1 : 0.0), c.b * pt.x / 16.0); }")
    s = load_isf(ctx, p, (4, 4))
    assert list(px(s.render(0.0), 0, 0)) == [128, 0, 64, 128]  # defaults
    out = s.render(0.1, {"f": 2.0, "b": True, "n": 3, "e": True, "c": [0, 0, 0.5], "pt": (16, 0)})
    assert list(px(out, 0, 0)) == [255, 255, 217, 128]  # f clamped to MAX; colour without alpha accepted
    assert px(s.render(0.2, {"n": "junk"}), 0, 0)[2] == 64  # a bad value falls back to the default
    s.release()


def test_passes_sizes_and_persistence(ctx, tmp_path):
    header = ('{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}], "PASSES": ['
              '{"TARGET": "small", "WIDTH": "floor($WIDTH/4.0)", "HEIGHT": "floor($HEIGHT/4.0)"},'
              '{"TARGET": "count", "PERSISTENT": true, "FLOAT": true},'
              '{"TARGET": "temp"}, {}]}')
    body = ("void main() {\n"
            "  if (PASSINDEX == 0) gl_FragColor = vec4(RENDERSIZE / 255.0, 0.0, 1.0);\n"
            "  else if (PASSINDEX == 1) gl_FragColor = IMG_THIS_NORM_PIXEL(count) + vec4(0.001, 0.0, 0.0, 0.0);\n"
            "  else if (PASSINDEX == 2) gl_FragColor = IMG_THIS_NORM_PIXEL(temp) + vec4(0.25);\n"
            "  else gl_FragColor = vec4(IMG_NORM_PIXEL(small, vec2(0.5)).rg, IMG_THIS_NORM_PIXEL(count).r * 100.0,"
            " IMG_THIS_NORM_PIXEL(temp).a);\n}\n")
    s = load_isf(ctx, isf(tmp_path, header, body), (40, 20))
    img = texture_from_picture(ctx, ramp(40, 20))
    for i in range(3):
        out = s.apply(img, i / 30)
    r, g, b, a = px(out, 10, 10)
    assert (r, g) == (10, 5)                 # the small pass rendered at 10x5
    assert abs(b - 0.3 * 255) <= 1           # the persistent float buffer counted 3 frames of 0.001
    assert a == 64                           # the temporary buffer starts empty every frame
    s.resize((20, 20))                       # a new size starts the buffers afresh
    out = s.apply(img, 1.0)
    assert abs(px(out, 5, 5)[2] - 0.1 * 255) <= 1
    img.release()
    s.release()


def test_feedback_reads_last_frame_while_writing(ctx, tmp_path):
    # one buffer read and written by the same pass: double-buffered, so each frame adds exactly once
    header = '{"INPUTS": [], "PASSES": [{"TARGET": "acc", "PERSISTENT": true}, {}]}'
    body = ("void main() { if (PASSINDEX == 0) gl_FragColor = IMG_NORM_PIXEL(acc, isf_FragNormCoord) + 8.0 / 255.0;"
            " else gl_FragColor = IMG_NORM_PIXEL(acc, isf_FragNormCoord); }")
    s = load_isf(ctx, isf(tmp_path, header, body), (8, 8))
    for i in range(5):
        out = s.render(i * 0.1)
    assert list(px(out, 4, 4)) == [40, 40, 40, 40]
    s.release()


def test_vertex_shader_and_its_varyings(ctx, tmp_path):
    vertex = ("varying vec2 shifted;\nvoid main() {\n  isf_vertShaderInit();\n  shifted = isf_FragNormCoord + vec2(0.25, 0.0);\n}\n")
    body = "varying vec2 shifted;\nvoid main() { gl_FragColor = vec4(shifted, 0.0, 1.0); }\n"
    s = load_isf(ctx, isf(tmp_path, '{"INPUTS": []}', body, vertex=vertex), (8, 8))
    r, g, _, _ = px(s.render(0.0), 0, 0)
    assert abs(r - 255 * (0.0625 + 0.25)) <= 1 and abs(g - 255 * 0.0625) <= 1
    s.release()


def test_glsl_from_the_wild_compiles(ctx, tmp_path):
    body = ("#version 110\nprecision mediump float;\nuniform float unused;\nvarying vec2 dummy;\n"
            "void main() {\n  vec4 texture = texture2D(inputImage, vv_FragNormCoord);\n"
            "  gl_FragData[0] = texture.bgra;\n}\n")
    vertex = "varying vec2 dummy;\nvoid main() { vv_vertShaderInit(); dummy = vec2(0.0); }\n"
    s = load_isf(ctx, isf(tmp_path, '{"INPUTS": [{"NAME": "inputImage", "TYPE": "image"}]}', body, vertex=vertex), (4, 4))
    img = texture_from_picture(ctx, np.full((4, 4, 4), (10, 20, 30, 255), np.uint8))
    assert list(px(s.apply(img, 0.0), 1, 1)) == [30, 20, 10, 255]
    img.release()
    s.release()


def test_smoothstep_with_equal_edges_is_a_step(ctx, tmp_path):
    body = "void main() { float x = isf_FragNormCoord.x; gl_FragColor = vec4(smoothstep(0.5, 0.5, x), smoothstep(vec2(0.0), vec2(0.0), vec2(x)), 1.0); }"
    s = load_isf(ctx, isf(tmp_path, '{"INPUTS": []}', body), (8, 1))
    out = s.render(0.0)
    assert [px(out, x, 0)[0] for x in range(8)] == [0] * 4 + [255] * 4
    assert px(out, 0, 0)[1] == 255
    s.release()


def test_pow_of_a_negative_base_with_a_whole_exponent_is_signed(ctx, tmp_path):
    """Vidvox's Heart.fs cubes a negative number: the signed answer draws its heart (Mesa's NaN and
    SwiftShader's |x|^3 draw other shapes).  Float and vector overloads, odd, even and negative exponents;
    a fraction of a negative base stays the driver's."""
    body = ("void main() { float x = base;"
            " vec2 v = pow(vec2(x, x / 4.0), vec2(3.0, -1.0));"
            " gl_FragColor = vec4(0.5 + pow(x, 3.0) / 32.0, 0.5 + v.x / 32.0, 0.5 + pow(x, 2.0) / 16.0 + v.y / 16.0,"
            " pow(2.0, 0.5) / 2.0); }")
    header = '{"INPUTS": [{"NAME": "base", "TYPE": "float", "MIN": -4.0, "MAX": 4.0, "DEFAULT": -2.0}]}'
    s = load_isf(ctx, isf(tmp_path, header, body), (2, 1))   # a uniform: no compiler folds it
    r, g, b, a = px(s.render(0.0), 0, 0)
    assert abs(r - 0.25 * 255) <= 1 and abs(g - 0.25 * 255) <= 1    # (-2)^3 = -8
    assert abs(b - (0.5 + 0.25 - 0.125) * 255) <= 1                  # (-2)^2 = 4, (-0.5)^-1 = -2
    assert abs(a - 2 ** 0.5 / 2 * 255) <= 1
    s.release()


def test_compile_error_names_the_isf_line(ctx, tmp_path):
    body = "\n\nvoid main() {\n  float a = 1.0;\n  gl_FragColor = vec4(undefinedThing);\n}\n"
    p = isf(tmp_path, '{\n"INPUTS": []\n}', body)
    with pytest.raises(IsfError) as err:
        load_isf(ctx, p, (8, 8))
    prob = err.value.problems[0]
    assert prob.path == p and prob.line == 8 and "undefinedThing" in prob.message
    assert p.read_text().splitlines()[prob.line - 1].strip() == "gl_FragColor = vec4(undefinedThing);"


def test_a_missing_semicolon_names_the_line_it_is_missing_from(ctx, tmp_path):
    """The compiler meets a missing ';' at the next line's first token and names that line; the fix names the
    code line that ends without one, past a blank line and a comment (it named the line just before)."""
    body = "void main() {\n  vec3 g = vec3(0.5) // grey\n\n  gl_FragColor = vec4(g, 1.0);\n}\n"
    p = isf(tmp_path, '{"INPUTS": []}', body)
    with pytest.raises(IsfError) as err:
        load_isf(ctx, p, (8, 8))
    prob = err.value.problems[0]
    assert prob.line == 5 and "at the end of line 3 (a syntax error" in prob.fix, prob
    ok = isf(tmp_path, '{"INPUTS": []}', "void main() {\n  float a = 1.0;\n  gl_FragColor = vec4(a) b;\n}\n", "ok.fs")
    with pytest.raises(IsfError) as err:
        load_isf(ctx, ok, (8, 8))
    assert "at the end of line 3 " in err.value.problems[0].fix   # the line before ends with its ';': as it was


def test_a_missing_semicolon_before_a_block_comment_names_the_code_line(ctx, tmp_path):
    """A /* ... */ comment between the line without its ';' and the next word: the fix named the comment's last
    line (it skipped // comments only)."""
    body = "void main() {\n  vec3 g = vec3(0.5)\n  /* the glow\n     comes here */\n  gl_FragColor = vec4(g, 1.0);\n}\n"
    p = isf(tmp_path, '{"INPUTS": []}', body)
    with pytest.raises(IsfError) as err:
        load_isf(ctx, p, (8, 8))
    prob = err.value.problems[0]
    assert prob.line == 6 and "at the end of line 3 (a syntax error" in prob.fix, prob


def test_vertex_error_names_the_vs_file(ctx, tmp_path):
    p = isf(tmp_path, '{"INPUTS": []}', "void main() { gl_FragColor = vec4(1.0); }\n",
            vertex="void main() {\n  isf_vertShaderInit();\n  gl_Position.x += oops;\n}\n")
    with pytest.raises(IsfError) as err:
        load_isf(ctx, p, (8, 8))
    prob = err.value.problems[0]
    assert prob.path == p.with_suffix(".vs") and prob.line == 3 and "oops" in prob.message


def test_bad_file_left_out_others_load(ctx, tmp_path):
    isf(tmp_path, '{"INPUTS": []}', "void main() { gl_FragColor = vec4(1.0); }\n", "good.fs")
    isf(tmp_path, '{"INPUTS": []}', "void main() { gl_FragColor = nope; }\n", "bad.fs")
    (tmp_path / "nojson.fs").write_text("/*{ not json }*/\nvoid main() {}\n")
    shaders, problems = load_isf_dir(ctx, tmp_path, (8, 8))
    assert list(shaders) == ["good"]
    assert sorted(p.path.name for p in problems) == ["bad.fs", "nojson.fs"]
    assert list(px(shaders["good"].render(0.0), 0, 0)) == [255, 255, 255, 255]
    for s in shaders.values():
        s.release()
    assert ctx.error == "GL_NO_ERROR"


def test_release_then_next_shader_renders_clean(ctx, tmp_path):
    # regression: releasing a shader while its framebuffer was bound made the next one's first frame fail
    p = isf(tmp_path, '{"INPUTS": []}', "void main() { gl_FragColor = vec4(0.5); }\n")
    for _ in range(2):
        s = load_isf(ctx, p, (8, 8))
        s.render(0.0)
        s.release()
        assert ctx.error == "GL_NO_ERROR"


def test_imported_image(ctx):
    s = load_isf(ctx, VIDVOX / "Night Vision.fs", (64, 36))
    img = texture_from_picture(ctx, ramp(64, 36))
    out = read_picture(s.apply(img, 0.5))
    assert out[..., 1].mean() > out[..., 0].mean() + 20  # green night vision with noise from noise2d.png
    assert out[..., 1].std() > 2
    img.release()
    s.release()


def test_missing_import_is_a_problem(ctx, tmp_path):
    p = isf(tmp_path, '{\n"INPUTS": [],\n"IMPORTED": {"tex": {"PATH": "missing.png"}}\n}',
            "void main() { gl_FragColor = IMG_THIS_PIXEL(tex); }\n")
    with pytest.raises(IsfError) as err:
        load_isf(ctx, p, (8, 8))
    assert "missing.png" in str(err.value) and err.value.problems[0].path == p
    assert err.value.problems[0].line == 3                  # the header line that names it
    # in a performer's words: not Python's "(FileNotFoundError: [Errno 2] No such file or directory: ...)"
    assert "'missing.png' is not there" in str(err.value) and "Errno" not in str(err.value), str(err.value)
    (tmp_path / "missing.png").write_bytes(b"not a picture")
    with pytest.raises(IsfError) as err:
        load_isf(ctx, p, (8, 8))
    assert "cannot read the imported image 'missing.png' as a picture" in str(err.value), str(err.value)
    assert err.value.problems[0].line == 3
    assert "Errno" not in str(err.value) and "save it again as PNG" in str(err.value), str(err.value)


def test_audio_inputs_see_the_waveform_and_spectrum(ctx, tmp_path):
    p = isf(tmp_path, '{"INPUTS": [{"NAME": "wave", "TYPE": "audio", "MAX": 4}, {"NAME": "fft", "TYPE": "audioFFT"}]}',
            "void main() { gl_FragColor = vec4(IMG_NORM_PIXEL(wave, vec2(isf_FragNormCoord.x, 0.5)).r,"
            " IMG_NORM_PIXEL(fft, vec2(isf_FragNormCoord.x, 0.5)).r, IMG_SIZE(wave).x / 255.0, IMG_SIZE(fft).x / 255.0); }")
    s = load_isf(ctx, p, (4, 1))
    audio = IsfAudio(waveform=np.array([-1.0, 0.0, 0.5, 1.0]), spectrum=np.array([1.0, 0.5, 0.25, 0.0]))
    out = s.render(0.0, audio=audio)
    assert [px(out, x, 0)[0] for x in range(4)] == [0, 128, 191, 255]  # 0.5 + 0.5 * sample
    assert [px(out, x, 0)[1] for x in range(4)] == [255, 128, 64, 0]
    assert list(px(out, 0, 0)[2:]) == [4, 4]
    silent = s.render(0.1)
    assert px(silent, 0, 0)[0] == 128 and px(silent, 0, 0)[1] == 0  # no audio: silence
    s.release()


def test_kinds_of_the_shipped_and_vendored_files(ctx):
    assert isinstance(load_isf(ctx, SHIPPED / "Slice Wipe.fs", (8, 8)), IsfTransition)
    assert isinstance(load_isf(ctx, SHIPPED / "RGB Shift.fs", (8, 8)), IsfFilter)
    assert isinstance(load_isf(ctx, VIDVOX / "Lines.fs", (8, 8)), IsfGenerator)


def test_input_named_like_a_builtin(ctx, tmp_path):
    # an input called "mix" hides the builtin mix() from its declaration on; vj's own helpers must not care
    p = isf(tmp_path, '{"INPUTS": [{"NAME": "mix", "TYPE": "float", "DEFAULT": 1.0}]}',
            "void main() { gl_FragColor = vec4(smoothstep(0.0, 1.0, isf_FragNormCoord.x) * mix); }\n")
    s = load_isf(ctx, p, (4, 1))
    assert px(s.render(0.0), 3, 0)[0] > 200
    s.release()


def test_wild_headers_and_names(ctx, tmp_path):
    # an input named like a GLSL keyword, a bool default as a string, a long with VALUES as names,
    # and a vertex shader that declares isf_FragNormCoord itself (all seen in the wild)
    header = ('{"INPUTS": [{"NAME": "smooth", "TYPE": "float", "DEFAULT": 0.5},'
              '{"NAME": "invert", "TYPE": "bool", "DEFAULT": "FALSE"},'
              '{"NAME": "pick", "TYPE": "long", "VALUES": ["Pass", "Reject"], "DEFAULT": "Reject"}]}')
    body = "varying vec2 isf_FragNormCoord;\nvoid main() { gl_FragColor = vec4(smooth, invert ? 1.0 : 0.0, float(pick), 1.0); }\n"
    vertex = "out vec2 isf_FragNormCoord;\nvoid main() { isf_vertShaderInit(); }\n"
    s = load_isf(ctx, isf(tmp_path, header, body, vertex=vertex), (4, 4))
    pick = s.spec.input("pick")
    assert pick.values == (0, 1) and pick.labels == ("Pass", "Reject") and pick.default == 1
    assert list(px(s.render(0.0), 0, 0)) == [128, 0, 255, 255]
    assert px(s.render(0.0, {"smooth": 1.0, "pick": 0}), 0, 0)[0] == 255
    s.release()


def test_bad_size_expression_fails_at_load(ctx, tmp_path):
    p = isf(tmp_path, '{"INPUTS": [], "PASSES": [\n{"TARGET": "a",\n "WIDTH": "$WIDTH / $nothere"}, {}]}',
            "void main() { gl_FragColor = vec4(1.0); }\n")
    with pytest.raises(IsfError) as err:
        load_isf(ctx, p, (8, 8))
    assert "$nothere" in str(err.value) and "pass target 'a'" in str(err.value)
    assert err.value.problems[0].line == 3                  # the line of the expression


def test_include_is_a_problem_not_a_crash(ctx, tmp_path):
    p = isf(tmp_path, '{"INPUTS": []}', '\n#include "MadCommon.glsl"\nvoid main() { gl_FragColor = vec4(1.0); }\n')
    with pytest.raises(IsfError) as err:
        load_isf(ctx, p, (8, 8))
    assert err.value.problems[0].line == 3 and "#include" in err.value.problems[0].message


def test_input_named_after_a_builtin_function(ctx, tmp_path):
    # "pow" as an input (seen in the wild) must not hide pow(): the uniform is renamed where it is not called
    p = isf(tmp_path, '{"INPUTS": [{"NAME": "pow", "TYPE": "float", "DEFAULT": 2.0}, {"NAME": "fract", "TYPE": "float", "DEFAULT": 0.25}]}',
            "void main() { gl_FragColor = vec4(pow(0.5, pow) + fract(1.0 + fract), 0.0, 0.0, 1.0); }\n")
    s = load_isf(ctx, p, (2, 2))
    assert px(s.render(0.0), 0, 0)[0] == 128
    assert px(s.render(0.0, {"pow": 1.0}), 0, 0)[0] == 191
    s.release()


def test_imported_cube_map(ctx, tmp_path):
    from vj.isf.images import write_png
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255), (255, 0, 255)]
    for i, c in enumerate(colours):
        write_png(tmp_path / f"face{i}.png", np.full((4, 4, 4), (*c, 255), np.uint8))
    faces = ", ".join(f'"face{i}.png"' for i in range(6))
    p = isf(tmp_path, f'{{"INPUTS": [], "IMPORTED": [{{"NAME": "sky", "TYPE": "cube", "PATH": [{faces}]}}]}}',
            "void main() { gl_FragColor = isf_FragNormCoord.x < 0.5 ? textureCube(sky, vec3(1.0, 0.0, 0.0))"
            " : textureCube(sky, vec3(0.0, -1.0, 0.0)); }\n")
    s = load_isf(ctx, p, (2, 1))
    out = s.render(0.0)
    assert list(px(out, 0, 0)[:3]) == [255, 0, 0] and list(px(out, 1, 0)[:3]) == [255, 255, 0]
    s.release()
    bad = isf(tmp_path, '{"INPUTS": [], "IMPORTED": {"sky": {"TYPE": "cube", "PATH": ["a.png"]}}}', "void main() {}\n", "bad.fs")
    with pytest.raises(IsfError) as err:
        load_isf(ctx, bad, (2, 1))
    assert "six image files" in str(err.value)


def test_one_program_per_pass_renders_the_same(ctx, monkeypatch):
    # PASSINDEX compiled in as a constant per pass (fast on llvmpipe) must not change a pixel
    import vj.isf.host as host
    img = texture_from_picture(ctx, ramp(64, 36))
    out = {}
    for specialise in (True, False):
        monkeypatch.setattr(host, "SPECIALISE_PASSES", specialise)
        s = load_isf(ctx, VIDVOX / "Bloom.fs", (64, 36))
        assert s.program_count == (7 if specialise else 1)
        out[specialise] = read_picture(s.apply(img, 0.5, {"intensity": 0.8}))
        s.release()
    assert np.array_equal(out[True], out[False]) and out[True].std() > 5
    img.release()
