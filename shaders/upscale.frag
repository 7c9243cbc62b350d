#version 330 core
// Present pass when the compositor renders below the output size (adaptive quality, vj.live.quality):
// the smaller image is scaled up to the window with Catmull-Rom bicubic from 5 bilinear taps (as in
// zoom.frag), which keeps edges crisp where bilinear would smear a 0.5x image.  One pass, no blending.
uniform sampler2D u_image;
uniform float u_brightness;
in vec2 v_screen;
out vec4 f_color;

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

void main() {
    f_color = vec4(sample_bicubic(u_image, v_screen) * u_brightness, 1.0);
}
