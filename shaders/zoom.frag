#version 330 core
// Zoom compositor, one pass: the base clip (layer 0) and the clip emerging inside it (layer 1).
// Each layer's full frame covers the screen square center +- size/2 (screen coords, y down).
// Minified layers use trilinear mipmaps (no shimmer); magnified ones Catmull-Rom bicubic
// (sharp upscaling of 720p sources).  One pass without blending: llvmpipe blends slowly.
uniform sampler2D u_tex0;
uniform sampler2D u_tex1;
uniform int u_count;           // 0, 1 or 2 layers
uniform vec2 u_center[2];
uniform float u_size[2];
uniform vec2 u_cover[2];       // cover-crop: screen-aspect uv -> clip uv
uniform float u_feather[2];    // soft edge in layer uv (0: hard)
uniform float u_alpha[2];
uniform int u_bicubic[2];
uniform float u_brightness;
in vec2 v_screen;
out vec4 f_color;

vec3 sample_bicubic(sampler2D tex, vec2 uv) {
    // Catmull-Rom from 9 bilinear taps
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
    vec3 r = textureLod(tex, vec2(p0.x, p0.y), 0.0).rgb * w0.x * w0.y
           + textureLod(tex, vec2(p12.x, p0.y), 0.0).rgb * w12.x * w0.y
           + textureLod(tex, vec2(p3.x, p0.y), 0.0).rgb * w3.x * w0.y
           + textureLod(tex, vec2(p0.x, p12.y), 0.0).rgb * w0.x * w12.y
           + textureLod(tex, vec2(p12.x, p12.y), 0.0).rgb * w12.x * w12.y
           + textureLod(tex, vec2(p3.x, p12.y), 0.0).rgb * w3.x * w12.y
           + textureLod(tex, vec2(p0.x, p3.y), 0.0).rgb * w0.x * w3.y
           + textureLod(tex, vec2(p12.x, p3.y), 0.0).rgb * w12.x * w3.y
           + textureLod(tex, vec2(p3.x, p3.y), 0.0).rgb * w3.x * w3.y;
    return clamp(r, 0.0, 1.0);
}

vec3 sample_layer(sampler2D tex, int i, vec2 uv) {
    vec2 cuv = 0.5 + (uv - 0.5) * u_cover[i];
    // a real branch, not ?: (which compilers may flatten into computing both sides)
    if (u_bicubic[i] == 1) return sample_bicubic(tex, cuv);
    return texture(tex, cuv).rgb;
}

// Layer coverage at uv: 1 inside, feathered to 0 at the edge, 0 outside.
float coverage(int i, vec2 uv) {
    float edge = min(min(uv.x, 1.0 - uv.x), min(uv.y, 1.0 - uv.y));
    if (edge < 0.0) return 0.0;
    float a = u_alpha[i];
    if (u_feather[i] > 0.0) a *= smoothstep(0.0, u_feather[i], edge);
    return a;
}

void main() {
    vec3 color = vec3(0.0);
    if (u_count > 0) {
        vec2 uv0 = (v_screen - u_center[0]) / u_size[0] + 0.5;
        float a0 = coverage(0, uv0);
        if (a0 > 0.0) color = sample_layer(u_tex0, 0, uv0) * a0;
    }
    if (u_count > 1) {
        vec2 uv1 = (v_screen - u_center[1]) / u_size[1] + 0.5;
        float a1 = coverage(1, uv1);
        if (a1 > 0.0) color = mix(color, sample_layer(u_tex1, 1, uv1), a1);
    }
    f_color = vec4(color * u_brightness, 1.0);
}
