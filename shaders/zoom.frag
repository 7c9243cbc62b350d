#version 330 core
// Zoom compositor, one pass: the base clip (layer 0) and the clip emerging inside it (layer 1).
// Each layer's full frame covers the screen square center +- size/2 (screen coords, y down).
// Minified layers use trilinear mipmaps (no shimmer); magnified ones Catmull-Rom bicubic
// (sharp upscaling of 720p sources).  One pass without blending: llvmpipe blends slowly.
//
// Specialised by #defines (vj.gfx.shaders.load_program adds them): LAYERS (0..2),
// BICUBIC0 / BICUBIC1 (0 or 1) and FIT0 / FIT1 (how the picture sits in its layer: 0 fill, cropped;
// 1 fit, black bars; 2 blur, bars filled with a blurred enlarged copy, see vj/engine/framing.py).  Variants, not runtime branches: llvmpipe pays for a
// branch it never takes, and a dynamic array index costs too.
#ifndef LAYERS
#define LAYERS 2
#endif
#ifndef BICUBIC0
#define BICUBIC0 0
#endif
#ifndef BICUBIC1
#define BICUBIC1 0
#endif
// MIPn = 1 when layer n is drawn minified through its mipmaps (trilinear, texture() with implicit
// level of detail); otherwise level 0 is sampled with textureLod, which llvmpipe runs ~4x faster.
#ifndef FIT0
#define FIT0 0
#endif
#ifndef FIT1
#define FIT1 0
#endif
// SOFT1 / HAZE1 / MATCH1 = 0 when the emerging clip's soft mask, haze or colour match is off in this frame:
// compiled out, not branched around (the two-layer pass took 5.6x the one-layer pass with the three runtime
// branches never taken, 2.5x without them: llvmpipe, 448x252, 2026-12-05).  Unset: all on.
#ifndef SOFT1
#define SOFT1 1
#endif
#ifndef HAZE1
#define HAZE1 1
#endif
#ifndef MATCH1
#define MATCH1 1
#endif
#ifndef MIP0
#define MIP0 0
#endif
#ifndef MIP1
#define MIP1 0
#endif
uniform sampler2D u_tex0;
uniform sampler2D u_tex1;
uniform vec2 u_center0;
uniform vec2 u_center1;
uniform float u_size0;
uniform float u_size1;
uniform vec4 u_frame0;       // layer uv = frame.zw + frame.xy * clip uv (vj.engine.framing.Framing)
uniform vec4 u_frame1;
uniform vec4 u_cover0;       // the fill framing, for the blurred copy in the bars of FIT 2
uniform vec4 u_cover1;
uniform float u_blur_lod0;   // mip level of that blurred copy
uniform float u_blur_lod1;
uniform float u_alpha0;
uniform float u_alpha1;
uniform float u_feather1;    // soft edge of the emerging clip's rectangle, in its uv (0: hard)
uniform vec2 u_focus1;       // the emerging clip's focus in its layer uv: its mask's centre
uniform float u_soft1;       // 0: the rectangle only; up to 1: a wide soft mask about the focus
uniform float u_match1;      // strength of the colour match (0: off)
uniform vec3 u_match_gain1;  // per channel: contrast of A's neighbourhood / contrast of B
uniform vec3 u_match_b1;     // B's mean colour
uniform vec3 u_match_a1;     // the mean colour of A around the point B emerges from
uniform float u_grow1;       // B's mask reaches this far past its rectangle (in its uv), over B's mirrored picture
uniform float u_haze1;       // 0: B sharp to its border; up to 1: B's detail fades in from its focus outward
uniform float u_bars1;       // FIT1 1, 2: how far the picture around B has faded to its bars (over the flight)
uniform float u_haze_lod1;   // the mip level B's hazy picture is read from (vj.gfx.compositor.HAZE_TEXELS)
uniform float u_brightness;
in vec2 v_screen;
out vec4 f_color;

// Catmull-Rom from 5 bilinear taps: the 9-tap form without its 4 corner taps, whose weights
// are tiny (after Jimenez, "Filmic SMAA", 2016).  Renormalised so flat areas stay flat.
vec3 sample_bicubic(sampler2D tex, vec2 uv) {
    vec2 tex_size = vec2(textureSize(tex, 0));
    vec2 pos = uv * tex_size;
    vec2 c = floor(pos - 0.5) + 0.5;
    vec2 f = pos - c;
    vec2 w0 = f * (-0.5 + f * (1.0 - 0.5 * f));
    vec2 w1 = 1.0 + f * f * (-2.5 + 1.5 * f);
    vec2 w2 = f * (0.5 + f * (2.0 - 1.5 * f));
    vec2 w3 = f * f * (-0.5 + 0.5 * f);
    vec2 w12 = w1 + w2;
    vec2 p0 = (c - 1.0) / tex_size;
    vec2 p3 = (c + 2.0) / tex_size;
    vec2 p12 = (c + w2 / w12) / tex_size;
    vec3 r = textureLod(tex, vec2(p12.x, p0.y), 0.0).rgb * (w12.x * w0.y)
           + textureLod(tex, vec2(p0.x, p12.y), 0.0).rgb * (w0.x * w12.y)
           + textureLod(tex, vec2(p12.x, p12.y), 0.0).rgb * (w12.x * w12.y)
           + textureLod(tex, vec2(p3.x, p12.y), 0.0).rgb * (w3.x * w12.y)
           + textureLod(tex, vec2(p12.x, p3.y), 0.0).rgb * (w12.x * w3.y);
    float wsum = w12.x * w0.y + w0.x * w12.y + w12.x * w12.y + w3.x * w12.y + w12.x * w3.y;
    return clamp(r / wsum, 0.0, 1.0);
}

float inside(vec2 uv) {
    return min(min(uv.x, 1.0 - uv.x), min(uv.y, 1.0 - uv.y));
}

// the bars of FIT 2: the picture enlarged to fill the layer, from a high mip level (four taps: no blocks)
vec3 blurred(sampler2D tex, vec2 uv, vec4 cover, float lod) {
    vec2 cuv = (uv - cover.zw) / cover.xy;
    vec2 d = exp2(lod) * 0.5 / vec2(textureSize(tex, 0));
    vec3 c = textureLod(tex, cuv + vec2(d.x, d.y), lod).rgb + textureLod(tex, cuv + vec2(-d.x, d.y), lod).rgb
           + textureLod(tex, cuv + vec2(d.x, -d.y), lod).rgb + textureLod(tex, cuv + vec2(-d.x, -d.y), lod).rgb;
    return c * (0.25 * 0.6);   // darkened: the bars stay behind the picture
}

// each layer's picture at layer uv: framed (vj.engine.framing), sampled with the variant's filter
vec3 picture0(vec2 uv) {
    vec2 cuv = (uv - u_frame0.zw) / u_frame0.xy;
#if FIT0 != 0
    if (inside(cuv) < 0.0) {
#if FIT0 == 2
        return blurred(u_tex0, uv, u_cover0, u_blur_lod0);
#else
        return vec3(0.0);
#endif
    }
#endif
#if BICUBIC0
    return sample_bicubic(u_tex0, cuv);
#elif MIP0
    return texture(u_tex0, cuv).rgb;
#else
    return textureLod(u_tex0, cuv, 0.0).rgb;
#endif
}

vec3 picture1(vec2 uv) {
    vec2 cuv = (uv - u_frame1.zw) / u_frame1.xy;
#if FIT1 != 0
    if (inside(cuv) < 0.0) {
#if FIT1 == 2
        return blurred(u_tex1, uv, u_cover1, u_blur_lod1);
#else
        return vec3(0.0);
#endif
    }
#endif
#if BICUBIC1
    return sample_bicubic(u_tex1, cuv);
#elif MIP1
    return texture(u_tex1, cuv).rgb;
#else
    return textureLod(u_tex1, cuv, 0.0).rgb;
#endif
}

// The emerging clip's mask.  With u_soft1 = 0: its rectangle, feathered by u_feather1.  Softer: a
// wide mask about its focus, 1 at the focus and 0 at the rectangle's edge on every side (superelliptic,
// so it reaches the corners as it hardens).  (A border pushed along B's own bright and dark shapes was
// tried: it put the border on B's edges, and the seam score rose from 1.05 to 1.13: bench/seams.py.)
// ``uv`` and ``focus`` are in the mask's own square: B's rectangle grown by u_grow1 on every side.
float mask1(vec2 uv, vec2 focus) {
    float e = inside(uv);
    if (e < 0.0) return 0.0;
    float a = u_feather1 > 0.0 ? smoothstep(0.0, u_feather1, e) : 1.0;
#if SOFT1
    if (u_soft1 > 0.0) {
        vec2 q = uv - focus;
        vec2 ext = vec2(q.x < 0.0 ? focus.x : 1.0 - focus.x, q.y < 0.0 ? focus.y : 1.0 - focus.y);
        vec2 n = abs(q) / max(ext, vec2(1e-3));
        float p = mix(12.0, 2.0, u_soft1);
        float r = pow(pow(n.x, p) + pow(n.y, p), 1.0 / p);
        a *= 1.0 - smoothstep(1.0 - u_soft1, 1.0, r);
    }
#endif
    return a * u_alpha1;
}
// B's picture with its detail faded toward its border: what shows at the border is B's blurred picture
// (four taps of a high mip level, like the bars of FIT 2), so B emerges out of a haze of its own colours
// instead of as a cut-out of sharp detail; the detail comes in where the mask ``m`` is strong
vec3 hazy1(vec2 uv, vec3 c1, float m) {
    vec2 cuv = (uv - u_frame1.zw) / u_frame1.xy;
    if (inside(cuv) < 0.0) return c1;
    vec2 d = exp2(u_haze_lod1) * 0.5 / vec2(textureSize(u_tex1, 0));
    vec3 h = 0.25 * (textureLod(u_tex1, cuv + vec2(d.x, d.y), u_haze_lod1).rgb
                   + textureLod(u_tex1, cuv + vec2(-d.x, d.y), u_haze_lod1).rgb
                   + textureLod(u_tex1, cuv + vec2(d.x, -d.y), u_haze_lod1).rgb
                   + textureLod(u_tex1, cuv + vec2(-d.x, -d.y), u_haze_lod1).rgb);
    return mix(c1, h, u_haze1 * (1.0 - smoothstep(0.5, 1.0, m)));
}

void main() {
    vec3 color = vec3(0.0);
    float a1 = 0.0;
#if LAYERS >= 1
    vec2 uv0 = (v_screen - u_center0) / u_size0 + 0.5;
    if (inside(uv0) >= 0.0) {
        color = picture0(uv0) * u_alpha0;
    }
#endif
#if LAYERS >= 2
    vec2 uv1 = (v_screen - u_center1) / u_size1 + 0.5;
    // B's bars sweep out to the screen's edges only in the flight's last frames: the picture around B's
    // picture fades to what its bars will show over the flight's second half instead (not a pop at landing),
    // and B comes in over that with its own mask.  FIT1 1: their black (B's mask is then its picture's,
    // below); FIT1 2: B's blurred enlarged copy, mirrored past B's layer as B's reach shows it (else a seam)
#if FIT1 == 1
    color = mix(color, vec3(0.0), u_bars1 * u_alpha1);
#elif FIT1 == 2
    color = mix(color, blurred(u_tex1, 1.0 - abs(1.0 - abs(uv1)), u_cover1, u_blur_lod1), u_bars1 * u_alpha1);
#endif
    // As B fills the screen, its mask reaches past its rectangle over B's picture mirrored at its edges:
    // the last ring of A fades into B's own continued colours instead of framing B (a picture in a
    // picture).  When B lands, that ring is off the screen.
    vec2 uvm = (uv1 + u_grow1) / (1.0 + 2.0 * u_grow1);
    if (inside(uvm) >= 0.0) {
#if FIT1 == 1
        // letterboxed B: its mask is its picture's, not its layer's (whose bars would be a black frame about the
        // picture, turning opaque in the flight's last frames); the bars came in above, with u_bars1
        // it reaches past the picture's edges only where they are the layer's: a reach into the bars would
        // show B's mirrored picture where black lands
        vec2 gp = vec2(u_grow1) * step(0.999, u_frame1.xy) / u_frame1.xy;
        vec2 pm = ((uv1 - u_frame1.zw) / u_frame1.xy + gp) / (1.0 + 2.0 * gp);
        vec2 fp = ((u_focus1 - u_frame1.zw) / u_frame1.xy + gp) / (1.0 + 2.0 * gp);
        vec2 p1 = (uv1 - u_frame1.zw) / u_frame1.xy;    // the reach mirrors the picture at its own edges
        uv1 = (1.0 - abs(1.0 - abs(p1))) * u_frame1.xy + u_frame1.zw;
        vec3 c1 = picture1(uv1);
        a1 = mask1(pm, fp);
#else
        uv1 = 1.0 - abs(1.0 - abs(uv1));
        vec3 c1 = picture1(uv1);
        a1 = mask1(uvm, (u_focus1 + u_grow1) / (1.0 + 2.0 * u_grow1));
#endif
#if HAZE1
        if (u_haze1 > 0.0) {
            c1 = hazy1(uv1, c1, a1);
        }
#endif
#if MATCH1
        if (u_match1 > 0.0) {
            c1 = mix(c1, clamp((c1 - u_match_b1) * u_match_gain1 + u_match_a1, 0.0, 1.0), u_match1);
        }
#endif
        color = mix(color, c1, a1);
    }
#endif
#if LAYERS >= 2 && FIT1 != 0
    // the surroundings faded toward B's bars are B's too (its bars), not A: B's border is its mask's or theirs
    a1 = max(a1, u_bars1 * u_alpha1);
#endif
    // alpha: the emerging clip's mask, read back for the seam score (vj.render.seam); nothing shows alpha
    f_color = vec4(color * u_brightness, a1);
}
