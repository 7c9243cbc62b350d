"""ISF GLSL -> GLSL 3.30 core, with a line map back to the ISF file.

ISF files in the wild are written for GLSL 1.10/1.20 or GLSL ES 1.00
(``gl_FragColor``, ``texture2D``, ``varying``), plus ISF's own functions
(``IMG_PIXEL`` and friends).  We keep the user's text where it is (every body
line stays on its line; the JSON header is blanked, not removed), prepend one
preamble of declarations generated from the header, and rewrite a few tokens in
place.  A compiler message at GLSL line *g* is therefore at ISF line
*g - preamble lines*; :func:`compiler_problems` does that mapping for Mesa,
NVIDIA and AMD message formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from .spec import IsfError, IsfSpec

#: GLSL 4.10 where the context has it (macOS's ceiling, so what VDMX authors write for: implicit
#: int->uint, for one); 3.30 core on older contexts.  Measured: 2 of 321 Vidvox files need 4.x.
GLSL_VERSIONS = ((410, "#version 410"), (330, "#version 330"))

#: The vertex shader a file without its own ``.vs`` gets (the ISF default).
DEFAULT_VERTEX = "void main()\t{\n\tisf_vertShaderInit();\n}\n"

STANDARD_UNIFORMS = (
    "uniform int PASSINDEX;",
    "uniform vec2 RENDERSIZE;",
    "uniform float TIME;",
    "uniform float TIMEDELTA;",
    "uniform int FRAMEINDEX;",
    "uniform vec4 DATE;",
)

_ISF_CALL = re.compile(r"\b(IMG_THIS_NORM_PIXEL|IMG_THIS_PIXEL|IMG_NORM_PIXEL|IMG_PIXEL|IMG_SIZE)\s*\(")
#: GLSL 1.x / ES names -> 3.30 core (word-bounded, rewritten in place; line numbers unchanged)
_TOKENS_COMMON = (
    (re.compile(r"\bvv_FragNormCoord\b"), "isf_FragNormCoord"),      # ISF v1
    (re.compile(r"\bvv_vertShaderInit\b"), "isf_vertShaderInit"),    # ISF v1
    (re.compile(r"\btexture2DRect\b"), "texture"),
    (re.compile(r"\btexture2DLod\b"), "textureLod"),
    (re.compile(r"\btexture2DProjLod\b"), "textureProjLod"),
    (re.compile(r"\btexture2DProj\b"), "textureProj"),
    (re.compile(r"\btexture2D\b"), "texture"),
    (re.compile(r"\btextureCube\b"), "texture"),
    (re.compile(r"\bsampler2DRect\b"), "sampler2D"),
    (re.compile(r"\bsmoothstep(?=\s*\()"), "isf_smoothstep"),
    (re.compile(r"\bpow(?=\s*\()"), "isf_pow"),
)
_TOKENS_FRAGMENT = (
    (re.compile(r"\bgl_FragColor\b"), "isf_FragColor"),
    (re.compile(r"\bgl_FragData\s*\[\s*0\s*\]"), "isf_FragColor"),
    (re.compile(r"\bvarying\b"), "in"),
)
_TOKENS_VERTEX = (
    (re.compile(r"\bvarying\b"), "out"),
    (re.compile(r"\battribute\b"), "in"),
)
#: identifiers GLSL 1.10/ES 1.00 allowed as variable names that GLSL 3.30 reserves (renamed when declared)
_RESERVED_330 = ("smooth", "flat", "noperspective", "centroid", "layout", "common", "partition", "active",
                 "filter", "input", "output", "superp", "texture", "sample")
_DECL_TYPES = r"(?:float|int|bool|vec[234]|ivec[234]|bvec[234]|mat[234]|sampler2D)"
#: smoothstep with equal edges is undefined in GLSL.  GPU drivers and ANGLE (the reference renderer's
#: WebGL) give a step there, Mesa gives 0, and ISF files rely on it (Vidvox's CMYK Halftone: a dot of
#: radius 0).  These overloads make it a step everywhere and call the builtin otherwise.
SMOOTHSTEP = tuple(
    f"{t} isf_smoothstep({e} a, {e} b, {t} x) {{ return mix(smoothstep(a, mix(b, a + 1.0, {same}), x), "
    f"step(a, x), {lanes}); }}"
    for t, e, same, lanes in (("float", "float", "a == b", "a == b"),
                              *((f"vec{n}", f"vec{n}", "equal(a, b)", "equal(a, b)") for n in (2, 3, 4)),
                              *((f"vec{n}", "float", "a == b", f"bvec{n}(a == b)") for n in (2, 3, 4))))
#: pow of a negative base is undefined in GLSL (it is exp2(y * log2(x)) inside): Mesa gives NaN, SwiftShader
#: |x|^y.  Where the exponent is a whole number the answer is not in doubt ((-2)^3 = -8), and files rely
#: on it (Vidvox's Heart: the curve (x^2 + y^2 - 0.3)^3 = x^2 y^3, which is no heart with NaN or with |x|^3).
#: These overloads give the signed power for whole exponents and call the builtin otherwise (a fraction
#: of a negative base stays the driver's).
POW = ("float isf_pow(float x, float y) { return x < 0.0 && y == floor(y) "
       "? (mod(y, 2.0) == 1.0 ? -pow(-x, y) : pow(-x, y)) : pow(x, y); }",
       *(f"vec{n} isf_pow(vec{n} x, vec{n} y) {{ vec{n} m = pow(abs(x), y); "
         f"bvec{n} take = bvec{n}(vec{n}(lessThan(x, vec{n}(0.0))) * vec{n}(equal(y, floor(y)))); "
         f"return mix(pow(x, y), mix(m, -m, equal(mod(y, 2.0), vec{n}(1.0))), take); }}" for n in (2, 3, 4)))
_OWN_DECLARATION = re.compile(r"^[ \t]*(?:varying|out|in)[ \t]+(?:(?:highp|mediump|lowp)[ \t]+)?vec2[ \t]+"
                              r"(?:isf_FragNormCoord|vv_FragNormCoord)[ \t]*;", re.M)
_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(version|extension)\b[^\n]*", re.M)


#: GLSL keywords and reserved words (4.10) that are fine as ISF input names in JSON but not as uniforms
GLSL_RESERVED = frozenset("""
attribute const uniform varying layout centroid flat smooth noperspective patch sample break continue do for
while switch case default if else subroutine in out inout float double int void bool true false invariant
discard return mat2 mat3 mat4 dmat2 dmat3 dmat4 vec2 vec3 vec4 ivec2 ivec3 ivec4 bvec2 bvec3 bvec4 dvec2
dvec3 dvec4 uint uvec2 uvec3 uvec4 lowp mediump highp precision sampler1D sampler2D sampler3D samplerCube
struct common partition active asm class union enum typedef template this packed goto inline noinline
volatile public static extern external interface long short half fixed unsigned superp input output hvec2
hvec3 hvec4 fvec2 fvec3 fvec4 sampler3DRect filter image1D image2D image3D sizeof cast namespace using
row_major resource texture""".split())


#: GLSL built-in functions an input may be named after ("pow", "fract", "sin" in the wild): its uniform is
#: renamed where it is not called, so the file's calls of the built-in keep working
GLSL_BUILTINS = frozenset("""
radians degrees sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh pow exp log exp2 log2 sqrt
inversesqrt abs sign floor trunc round roundEven ceil fract mod modf min max clamp mix step smoothstep
isnan isinf length distance dot cross normalize faceforward reflect refract matrixCompMult transpose
determinant inverse lessThan lessThanEqual greaterThan greaterThanEqual equal notEqual any all not
texture textureSize textureLod textureProj texelFetch dFdx dFdy fwidth noise1 noise2 noise3 noise4
""".split())


@dataclass(frozen=True, slots=True)
class Generated:
    """The two GLSL sources and how many preamble lines precede the user's line 1."""

    fragment: str
    vertex: str
    fragment_offset: int
    vertex_offset: int
    image_names: tuple[str, ...]  #: every sampler's uniform: image/audio inputs, pass targets, imports
    aliases: dict = None          #: declared name -> uniform name, where a name is a GLSL keyword

    def uniform(self, name: str) -> str:
        """The GLSL uniform of a declared input, target or import (its own name unless that is reserved)."""
        return (self.aliases or {}).get(name, name)


def _split_args(src: str, open_paren: int) -> tuple[list[str], int] | None:
    """Top-level comma-separated arguments of the call whose '(' is at ``open_paren``; None if unbalanced."""
    depth = 0
    args: list[str] = []
    start = open_paren + 1
    for i in range(open_paren, len(src)):
        c = src[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
            if depth == 0:
                args.append(src[start:i])
                return args, i + 1
        elif c == "," and depth == 1:
            args.append(src[start:i])
            start = i + 1
    return None


def rewrite_image_calls(src: str, known: set[str], this_pixel: set[str], this_norm: set[str]) -> str:
    """Replace ISF's IMG_* functions by GLSL ``texture`` calls.

    Arguments are parsed with balanced brackets, so ``IMG_NORM_PIXEL(img, vec2(a, b))``
    works, and the optional bias argument is kept.  Names of known images use their
    ``_NAME_imgSize`` uniform; anything else (a sampler passed to a user function)
    asks the texture for its size.  Names used with IMG_THIS_(NORM_)PIXEL are added
    to ``this_pixel``/``this_norm``: they need a varying from the vertex shader.
    """
    out: list[str] = []
    pos = 0
    while True:
        m = _ISF_CALL.search(src, pos)
        if not m:
            out.append(src[pos:])
            return "".join(out)
        parsed = _split_args(src, m.end() - 1)
        if parsed is None:  # unbalanced: leave it for the compiler to report at its line
            out.append(src[pos:m.end()])
            pos = m.end()
            continue
        args, end = parsed
        args = [rewrite_image_calls(a, known, this_pixel, this_norm) for a in args]
        name = args[0].strip()
        fn = m.group(1)
        size = f"_{name}_imgSize" if name in known else f"vec2(textureSize({name}, 0))"
        extra = "".join("," + a for a in args[2:])
        if fn == "IMG_NORM_PIXEL" and len(args) >= 2:
            repl = f"texture({args[0]},{args[1]}{extra})"
        elif fn == "IMG_PIXEL" and len(args) >= 2:
            repl = f"texture({args[0]},({args[1]})/{size}{extra})"
        elif fn == "IMG_SIZE" and len(args) == 1:
            repl = f"({size})"
        elif fn == "IMG_THIS_PIXEL" and len(args) == 1:
            if name in known:
                this_pixel.add(name)
                repl = f"texture({args[0]},_{name}_texCoord)"
            else:
                repl = f"texture({args[0]},isf_FragNormCoord)"
        elif fn == "IMG_THIS_NORM_PIXEL" and len(args) == 1:
            if name in known:
                this_norm.add(name)
                repl = f"texture({args[0]},_{name}_normTexCoord)"
            else:
                repl = f"texture({args[0]},isf_FragNormCoord)"
        else:  # wrong argument count: keep the text, the compiler names the line
            repl = src[m.start():end]
            out.append(src[pos:m.start()] + repl)
            pos = end
            continue
        # keep the line count of a call spread over several lines
        repl += "\n" * (src.count("\n", m.start(), end) - repl.count("\n"))
        out.append(src[pos:m.start()] + repl)
        pos = end


def _rename_reserved(src: str) -> str:
    """Rename user variables that GLSL 3.30 reserves (``vec4 texture = ...``, ``float smooth``).

    Only words declared as variables are touched, so ``layout(...)`` or ``flat in`` in a
    modern shader, and calls of the builtin ``texture(...)``, stay as they are.
    """
    for word in _RESERVED_330:
        if not re.search(rf"\b{_DECL_TYPES}\s+{word}\b", src):
            continue
        src = re.sub(rf"\b{word}\b(?!\s*\()" if word == "texture" else rf"\b{word}\b", f"isf_u_{word}", src)
    return src


def _hoist_directives(src: str) -> tuple[str, list[str]]:
    """Blank ``#version`` lines and lift ``#extension`` lines (they must precede declarations)."""
    ext: list[str] = []

    def repl(m: re.Match) -> str:
        if m.group(1) == "extension":
            ext.append(m.group(0).strip())
        return ""
    return _DIRECTIVE.sub(repl, src), ext


def glsl_version(gl_version_code: int) -> str:
    for code, line in GLSL_VERSIONS:
        if gl_version_code >= code:
            return line
    return GLSL_VERSIONS[-1][1]


_INCLUDE = re.compile(r"^[ \t]*#[ \t]*include\b[^\n]*", re.M)


def generate(spec: IsfSpec, version: str = GLSL_VERSIONS[-1][1], pass_index: int | None = None) -> Generated:
    """The fragment and vertex GLSL for ``spec``, ready for ``ctx.program``.

    With ``pass_index``, PASSINDEX is that constant instead of a uniform (one program per pass, the
    other passes' branches compiled away); the preamble keeps its line count either way.

    Raises :class:`IsfError` for what no GLSL compiler takes (``#include``, MadMapper's materials use it).
    """
    for text, path in ((spec.fragment, spec.path), (spec.vertex or "", spec.vertex_path or spec.path)):
        m = _INCLUDE.search(text)
        if m:
            raise IsfError(Problem(Path(path), f"{m.group(0).strip()}: #include is not part of ISF "
                                               "(MadMapper materials use it; their common file is not ISF)",
                                   line=text.count("\n", 0, m.start()) + 1,
                                   fix="paste the included functions into the file"))
    declared = [i.name for i in spec.inputs] + [p.target for p in spec.passes if p.target] + [i.name for i in spec.imports]
    aliases = {n: f"isf_in_{n}" for n in declared if n in GLSL_RESERVED or n in GLSL_BUILTINS}

    def alias(src: str) -> str:
        for name, uname in aliases.items():
            # a built-in's name stays where it is called; a keyword cannot be called
            src = re.sub(rf"\b{name}\b(?!\s*\()" if name in GLSL_BUILTINS else rf"\b{name}\b", uname, src)
        # a varying the preamble declares already (v1-era files declare it themselves)
        return _OWN_DECLARATION.sub("", src)

    targets = [p.target for p in spec.passes if p.target]
    images = [i.name for i in spec.inputs if i.glsl_type == "sampler2D"]
    image_names = tuple(aliases.get(n, n) for n in dict.fromkeys(images + targets + [imp.name for imp in spec.imports]))
    known = set(image_names)

    this_pixel: set[str] = set()
    this_norm: set[str] = set()
    frag_body, frag_ext = _hoist_directives(spec.fragment)
    frag_body = rewrite_image_calls(alias(frag_body), known, this_pixel, this_norm)
    for rx, new in _TOKENS_COMMON + _TOKENS_FRAGMENT:
        frag_body = rx.sub(new, frag_body)
    frag_body = _rename_reserved(frag_body)

    vert_body, vert_ext = _hoist_directives(spec.vertex if spec.vertex is not None else DEFAULT_VERTEX)
    vert_body = rewrite_image_calls(alias(vert_body), known, set(), set())
    for rx, new in _TOKENS_COMMON + _TOKENS_VERTEX:
        vert_body = rx.sub(new, vert_body)
    vert_body = _rename_reserved(vert_body)

    uniforms = list(STANDARD_UNIFORMS)
    if pass_index is not None:
        uniforms[0] = f"const int PASSINDEX = {int(pass_index)};"
    for inp in spec.inputs:
        if inp.glsl_type != "sampler2D":
            uniforms.append(f"uniform {inp.glsl_type} {aliases.get(inp.name, inp.name)};")
    cubes = {aliases.get(i.name, i.name) for i in spec.imports if i.cube}
    for name in image_names:
        uniforms.append(f"uniform {'samplerCube' if name in cubes else 'sampler2D'} {name}; uniform vec2 _{name}_imgSize; "
                        f"uniform vec4 _{name}_imgRect; uniform bool _{name}_flip;")

    # the helpers come before the uniforms: an input named like a builtin (``mix``) hides it after its declaration
    helpers = [*(SMOOTHSTEP if "isf_smoothstep" in frag_body + vert_body else ()),
               *(POW if "isf_pow" in frag_body + vert_body else ())]
    frag_head = [version, *dict.fromkeys(frag_ext), *helpers, *uniforms,
                 "in vec2 isf_FragNormCoord;", "out vec4 isf_FragColor;"]
    frag_head += [f"in vec2 _{n}_texCoord;" for n in sorted(this_pixel)]
    frag_head += [f"in vec2 _{n}_normTexCoord;" for n in sorted(this_norm)]

    vert_head = [version, *dict.fromkeys(vert_ext), *helpers, *uniforms, "in vec2 isf_position;",
                 "out vec2 isf_FragNormCoord;"]
    vert_head += [f"out vec2 _{n}_texCoord;" for n in sorted(this_pixel)]
    vert_head += [f"out vec2 _{n}_normTexCoord;" for n in sorted(this_norm)]
    init = ["void isf_vertShaderInit() {",
            "gl_Position = vec4(isf_position, 0.0, 1.0);",
            "isf_FragNormCoord = (isf_position + 1.0) * 0.5;",
            "vec2 isf_fragCoord = floor(isf_FragNormCoord * RENDERSIZE);"]
    init += [f"_{n}_texCoord = isf_fragCoord / _{n}_imgSize;" for n in sorted(this_pixel)]
    init += [f"_{n}_normTexCoord = isf_FragNormCoord;" for n in sorted(this_norm)]
    init += ["}"]
    vert_head += [" ".join(init)]

    # the user's text starts on preamble line len(head)+1 and is at ISF line 1 there
    return Generated(fragment="\n".join(frag_head) + "\n" + frag_body,
                     vertex="\n".join(vert_head) + "\n" + vert_body,
                     fragment_offset=len(frag_head), vertex_offset=len(vert_head),
                     image_names=image_names, aliases=aliases)


_MSG_FORMATS = (
    re.compile(r"^\s*(?:ERROR|WARNING):\s*\d+:(\d+):\s*(.*)$", re.I),  # AMD / ANGLE
    re.compile(r"^\s*\d+:(\d+)\(\d+\):\s*(?:error|warning)?:?\s*(.*)$"),  # Mesa  0:12(5): error: ...
    re.compile(r"^\s*\d+\((\d+)\)\s*:\s*(?:error|warning)?\s*(?:C\d+)?:?\s*(.*)$"),  # NVIDIA 0(12) : error C0000: ...
)


def _parse_messages(log: str) -> list[tuple[int | None, str]]:
    out = []
    for raw in log.splitlines():
        line = raw.strip()
        if not line or set(line) <= {"="} or line in ("fragment_shader", "vertex_shader") \
                or line.startswith(("GLSL Compiler failed", "GLSL Linker failed")):
            continue
        for rx in _MSG_FORMATS:
            m = rx.match(line)
            if m:
                if "warning" in line.lower() and "error" not in line.lower():
                    break
                out.append((int(m.group(1)), m.group(2).strip()))
                break
        else:
            if "warning" not in line.lower():
                out.append((None, line))
    return out


def _line_without_semicolon(source: str, line: int) -> int | None:
    """The code line before ``line`` (past blank lines and comments) when it ends without a ';' (or a brace):
    where a syntax error met at ``line``'s first word most likely is (`vec3 g = c.rgb * amount`).  Block comments
    are blanked first, their lines kept (one between them named its own last line)."""
    lines = re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group()), source, flags=re.S).splitlines()
    k = line - 2
    while 0 <= k < len(lines) and not lines[k].split("//")[0].strip():
        k -= 1
    if not 0 <= k < len(lines):
        return None
    before = lines[k].split("//")[0].rstrip()
    if before.endswith((";", "{", "}", ",")) or before.lstrip().startswith("#"):
        return None
    return k + 1


def compiler_problems(log: str, spec: IsfSpec, generated: Generated) -> list[Problem]:
    """The driver's compile/link log as Problems at ISF file lines (first errors first, at most 3)."""
    stage = "vertex" if "vertex_shader\n" in log and "fragment_shader\n" not in log else "fragment"
    if stage == "vertex":
        path = spec.vertex_path or spec.path
        offset = generated.vertex_offset
    else:
        path, offset = spec.path, generated.fragment_offset
    linker = "Linker failed" in log
    problems = []
    messages, seen = [], set()
    for glsl_line, msg in _parse_messages(log):  # one message per line: Mesa lists overload candidates
        if glsl_line not in seen:
            seen.add(glsl_line)
            messages.append((glsl_line, msg))
    for glsl_line, msg in messages[:3]:
        line = None
        where = ""
        if glsl_line is not None:
            if glsl_line > offset:
                line = glsl_line - offset
            else:
                where = "the declarations vj generates from the JSON header"
        if stage == "vertex" and spec.vertex_path is None and line is not None:
            where, line = "the default vertex shader", None
        at = "at that line"
        if line is not None and line > 1 and "syntax error" in msg.lower():
            # the parser stops at the word after the mistake: a ';' missing at the end of line 12 is "line 13"
            # (or later, past blank lines and comments: the line before that ends without one)
            source = (spec.vertex or "") if stage == "vertex" else spec.fragment
            before = _line_without_semicolon(source, line) or line - 1
            at = f"at that line or at the end of line {before} (a syntax error is found at the word after it)"
        problems.append(Problem(Path(path), f"GLSL {'link' if linker else 'compile'} error: {msg}", line=line,
                                where=where, fix=f"fix the shader {at}; vj leaves this file out until then"))
    if not problems:
        problems.append(Problem(Path(spec.path), f"GLSL {'link' if linker else 'compile'} failed: {log.strip()[:300]}",
                                fix="fix the shader; vj leaves this file out until then"))
    return problems
