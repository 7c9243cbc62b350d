#version 330 core
// Output image (RGB, top row first) to BT.709 limited-range YUV for the encoder, on the GPU:
// the file writer then reads back NV12 (a Y plane and an interleaved UV plane at half size),
// which x264 takes as it is: no CPU colour conversion, and 40% of the RGBA readback.
// PLANE 0 renders Y at full size; PLANE 1 renders (U, V) at half size, averaging 2x2 pixels.
#ifndef PLANE
#define PLANE 0
#endif
uniform sampler2D u_image;
uniform vec2 u_texel;   // 1 / output size
in vec2 v_screen;
out vec4 f_color;

const vec3 KY = vec3(0.2126, 0.7152, 0.0722);

void main() {
#if PLANE == 0
    vec3 rgb = texture(u_image, v_screen).rgb;
    float y = dot(rgb, KY);
    f_color = vec4(16.0 / 255.0 + y * 219.0 / 255.0, 0.0, 0.0, 1.0);
#else
    // v_screen is the centre of a 2x2 block of output pixels: one bilinear tap averages it
    vec3 rgb = texture(u_image, v_screen).rgb;
    float y = dot(rgb, KY);
    float u = (rgb.b - y) / 1.8556;
    float v = (rgb.r - y) / 1.5748;
    f_color = vec4(128.0 / 255.0 + u * 224.0 / 255.0, 128.0 / 255.0 + v * 224.0 / 255.0, 0.0, 1.0);
#endif
}
