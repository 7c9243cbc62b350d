#version 330 core
// Zoom compositor, one pass: the base clip (layer 0) and the clip emerging inside it (layer 1).
// Each layer's full frame covers the screen square center +- size/2 (screen coords, y down).
// Minified layers use trilinear mipmaps (no shimmer); magnified ones Catmull-Rom bicubic
// (sharp upscaling of 720p sources).  One pass without blending: llvmpipe blends slowly.
//
// Specialised by #defines (vj.gfx.shaders.load_program adds them): LAYERS (0..2) and
// BICUBIC0 / BICUBIC1 (0 or 1).  Variants, not runtime branches: llvmpipe pays for a
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
uniform vec2 u_cover0;       // cover-crop: screen-aspect uv -> clip uv
uniform vec2 u_cover1;
uniform float u_alpha0;
uniform float u_alpha1;
uniform float u_feather1;    // soft edge of the emerging clip, in its uv (0: hard)
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

void main() {
    vec3 color = vec3(0.0);
#if LAYERS >= 1
    vec2 uv0 = (v_screen - u_center0) / u_size0 + 0.5;
    if (inside(uv0) >= 0.0) {
        vec2 cuv0 = 0.5 + (uv0 - 0.5) * u_cover0;
#if BICUBIC0
        color = sample_bicubic(u_tex0, cuv0) * u_alpha0;
#elif MIP0
        color = texture(u_tex0, cuv0).rgb * u_alpha0;
#else
        color = textureLod(u_tex0, cuv0, 0.0).rgb * u_alpha0;
#endif
    }
#endif
#if LAYERS >= 2
    vec2 uv1 = (v_screen - u_center1) / u_size1 + 0.5;
    float e1 = inside(uv1);
    if (e1 >= 0.0) {
        float a1 = u_alpha1 * (u_feather1 > 0.0 ? smoothstep(0.0, u_feather1, e1) : 1.0);
        vec2 cuv1 = 0.5 + (uv1 - 0.5) * u_cover1;
#if BICUBIC1
        vec3 c1 = sample_bicubic(u_tex1, cuv1);
#elif MIP1
        vec3 c1 = texture(u_tex1, cuv1).rgb;
#else
        vec3 c1 = textureLod(u_tex1, cuv1, 0.0).rgb;
#endif
        color = mix(color, c1, a1);
    }
#endif
    f_color = vec4(color * u_brightness, 1.0);
}
