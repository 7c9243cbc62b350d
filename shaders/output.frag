#version 330 core
// Final pass: radial motion blur toward the zoom centre when the zoom is fast, then brightness.
// SAMPLES is a #define (vj.gfx.compositor picks a variant): a constant loop is much cheaper on
// llvmpipe than a uniform-driven one.
#ifndef SAMPLES
#define SAMPLES 1
#endif
uniform sampler2D u_image;
uniform vec2 u_zoom_center;   // screen coords, y down
uniform float u_scale[SAMPLES]; // per tap: exp(-blur * k / (SAMPLES - 1)), computed once per frame on the CPU
uniform float u_brightness;
in vec2 v_screen;
out vec4 f_color;

void main() {
#if SAMPLES <= 1
    vec3 color = textureLod(u_image, v_screen, 0.0).rgb;   // offscreen images are stored top row first
#else
    vec3 color = vec3(0.0);
    vec2 d = v_screen - u_zoom_center;
    for (int k = 0; k < SAMPLES; ++k) {
        // textureLod: no per-pixel level-of-detail work (the image has no mipmaps anyway)
        color += textureLod(u_image, u_zoom_center + d * u_scale[k], 0.0).rgb;
    }
    color /= float(SAMPLES);
#endif
    f_color = vec4(color * u_brightness, 1.0);
}
