#version 330 core
// YUV 4:2:0 planes (three single-channel textures) to RGB with the clip's own matrix and range.
// Planes may be padded (line_size > width): u_crop_* scale u so padding is never sampled.
uniform sampler2D u_y;
uniform sampler2D u_u;
uniform sampler2D u_v;
uniform vec2 u_crop_y;     // (width / line_size, 1) of the luma plane
uniform vec2 u_crop_c;     // same for the chroma planes
uniform vec2 u_clamp_c;    // last chroma texel centre (u), so bilinear taps never reach the padding
uniform mat4 u_yuv2rgb;    // column-major; applied to (Y, U, V, 1)
in vec2 v_screen;
out vec4 f_color;
void main() {
    vec2 uv = v_screen;
    float y = texture(u_y, uv * u_crop_y).r;
    vec2 cuv = vec2(min(uv.x * u_crop_c.x, u_clamp_c.x), uv.y);
    float u = texture(u_u, cuv).r;
    float v = texture(u_v, cuv).r;
    vec3 rgb = (u_yuv2rgb * vec4(y, u, v, 1.0)).rgb;
    f_color = vec4(clamp(rgb, 0.0, 1.0), 1.0);
}
