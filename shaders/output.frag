#version 330 core
// Final pass: radial motion blur toward the zoom centre when the zoom is fast, then brightness.
uniform sampler2D u_image;
uniform vec2 u_zoom_center;   // screen coords, y down
uniform float u_blur;         // ln-scale covered by the shutter: 0 = no blur
uniform int u_samples;
uniform float u_brightness;
in vec2 v_screen;
out vec4 f_color;

vec3 fetch(vec2 s) { return texture(u_image, s).rgb; }  // offscreen images are stored top row first

void main() {
    vec3 color;
    if (u_samples <= 1 || u_blur <= 0.0) {
        color = fetch(v_screen);
    } else {
        color = vec3(0.0);
        vec2 d = v_screen - u_zoom_center;
        for (int k = 0; k < u_samples; ++k) {
            float s = exp(-u_blur * float(k) / float(u_samples - 1));
            color += fetch(u_zoom_center + d * s);
        }
        color /= float(u_samples);
    }
    f_color = vec4(color * u_brightness, 1.0);
}
