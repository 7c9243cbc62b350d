#version 330 core
// Shared by every demo scene: vj/demo/scenes.py compiles common.glsl followed by <scene>.glsl.
// A scene defines `vec3 scene(vec2 p)`: p is the view plane with the vanishing point at the origin,
// y up, in units of the image height; the camera looks down +z through (p, 1).
//
// Looping: the camera flies u_travel world units per clip and every scene repeats along z with a
// period that divides u_travel, so frame n (one past the last) equals frame 0.  Anything that
// animates in time uses whole cycles of u_phase (see cycles() and whole()).

uniform vec2 u_res;       // output size, pixels
uniform vec2 u_focus;     // vanishing point in image coordinates (0..1, y down)
uniform float u_phase;    // 0..1 over the clip
uniform float u_travel;   // world units flown per clip (a whole number of the scene's z periods)
uniform float u_duration; // clip length, seconds (to turn real rates into whole cycles per clip)

out vec4 f_color;

const float PI = 3.14159265359;
const float TAU = 6.28318530718;

vec3 scene(vec2 p);

// Camera depth along the path, world units.
float cam_z() { return u_phase * u_travel; }

// Angle for `n` whole cycles per clip: animations that loop with the clip.
float cycles(float n) { return u_phase * TAU * n; }

// The whole number of cycles per clip closest to a rate in Hz (0 when a short clip has no room),
// so animation speeds stay the same whatever the clip length.
float whole(float hz) { return floor(hz * u_duration + 0.5); }

mat2 rot(float a) { float c = cos(a), s = sin(a); return mat2(c, s, -s, c); }

// Hashes without sin() (Dave Hoskins), stable for the large coordinates far down a tunnel.
float hash11(float p) { p = fract(p * 0.1031); p *= p + 33.33; p *= p + p; return fract(p); }
float hash12(vec2 p) { vec3 p3 = fract(vec3(p.xyx) * 0.1031); p3 += dot(p3, p3.yzx + 33.33); return fract((p3.x + p3.y) * p3.z); }
vec3 hash32(vec2 p) { vec3 p3 = fract(vec3(p.xyx) * vec3(0.1031, 0.1030, 0.0973)); p3 += dot(p3, p3.yxz + 33.33); return fract((p3.xxy + p3.yzz) * p3.zyx); }

// Value noise that tiles with `period` lattice cells (per axis), so z-periodic fields loop.
float vnoise(vec2 x, vec2 period) {
    vec2 i = floor(x), f = fract(x);
    vec2 u = f * f * (3.0 - 2.0 * f);
    vec2 i0 = mod(i, period), i1 = mod(i + 1.0, period);
    float a = hash12(i0), b = hash12(vec2(i1.x, i0.y));
    float c = hash12(vec2(i0.x, i1.y)), d = hash12(i1);
    return mix(mix(a, b, u.x), mix(c, d, u.x), u.y);
}

// Fractal noise, 0..~1; each octave doubles the frequency and the period, so it still tiles.
float fbm(vec2 x, vec2 period, int octaves) {
    float s = 0.0, a = 0.5;
    for (int i = 0; i < octaves; i++) {
        s += a * vnoise(x, period);
        x = x * 2.0 + vec2(17.3, 9.1);
        period *= 2.0;
        a *= 0.5;
    }
    return s;
}

// Cosine palette (Inigo Quilez): rich hue sweeps from four vectors.
vec3 palette(float t, vec3 a, vec3 b, vec3 c, vec3 d) { return a + b * cos(TAU * (c * t + d)); }

// Anti-aliased line: 1 on a grid line of relative width w, fading to the line's mean coverage
// when the cells shrink below a pixel (no moire at the vanishing point).
// `fw` is the coordinate's change per pixel; grid_line() takes it from fwidth().
float grid_line_fw(float x, float w, float fw) {
    float d = abs(fract(x + 0.5) - 0.5);
    float line = 1.0 - smoothstep(w - fw, w + fw, d);
    return mix(line, 2.0 * w, clamp(fw * 1.5 - 0.5, 0.0, 1.0));
}
float grid_line(float x, float w) { return grid_line_fw(x, w, fwidth(x)); }

// How much detail survives at this pixel footprint: 1 for big cells, 0 once a cell is under a pixel.
float detail(float fw) { return clamp(1.5 - fw * 2.0, 0.0, 1.0); }

void main() {
    // gl_FragCoord.y = 0 is the first row read back, so treat it as the image's top row.
    vec2 p = (gl_FragCoord.xy - u_focus * u_res) / u_res.y;
    p.y = -p.y;
    vec3 c = max(scene(p), 0.0);
    c = 1.0 - exp(-c * 1.1);                 // soft tone map: neon stays saturated, highlights roll off
    c = pow(c, vec3(1.0 / 2.2));
    c += (hash12(gl_FragCoord.xy) - 0.5) / 255.0;  // static dither: no banding in skies and fog
    f_color = vec4(clamp(c, 0.0, 1.0), 1.0);
}
