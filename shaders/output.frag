#version 330 core
// Final pass: radial motion blur toward the zoom centre when the zoom is fast, then brightness.
// SAMPLES is a #define (vj.gfx.compositor picks a variant): a constant loop is much cheaper on
// llvmpipe than a uniform-driven one.
#ifndef SAMPLES
#define SAMPLES 1
#endif
uniform sampler2D u_image;
uniform vec2 u_zoom_center;   // screen coords, y down
uniform float u_blur;         // ln-scale covered while the shutter is open
uniform float u_brightness;
in vec2 v_screen;
out vec4 f_color;

void main() {
#if SAMPLES <= 1
    vec3 color = texture(u_image, v_screen).rgb;   // offscreen images are stored top row first
#else
    vec3 color = vec3(0.0);
    vec2 d = v_screen - u_zoom_center;
    for (int k = 0; k < SAMPLES; ++k) {
        float s = exp(-u_blur * float(k) / float(SAMPLES - 1));
        color += texture(u_image, u_zoom_center + d * s).rgb;
    }
    color /= float(SAMPLES);
#endif
    f_color = vec4(color * u_brightness, 1.0);
}
