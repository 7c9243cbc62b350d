// Kaleidoscope tunnel: a folding-and-rotating (KIFS) line fractal, mirrored into eight segments
// around a tube and along it, morphing and cycling colour as the camera dives through.

const float SEGMENTS = 8.0;
const float TILE = 2.0;      // world units per mirrored fractal tile along the tube
// colours cycle every two tiles: the z period is 2 * TILE

vec3 scene(vec2 p) {
    float r = max(length(p), 1e-4);
    float depth = 0.5 / r;
    float z = cam_z() + depth;
    float seg = TAU / SEGMENTS;
    float slow = whole(1.0 / 6.0);                           // once per 6 s, in whole cycles per clip
    float a = atan(p.y, p.x) + u_phase * slow * seg;         // roll by whole segments: seamless
    a = abs(mod(a, seg) - 0.5 * seg) / (0.5 * seg);          // mirrored: 0..1 across a segment
    float zz = abs(fract(z / TILE) * 2.0 - 1.0);             // mirrored along z: seamless tiles
    vec2 q = vec2(a * 0.16, zz * 0.5);                       // fractal space: about half world scale

    float morph = sin(cycles(slow));
    mat2 m = rot(0.55 + 0.12 * morph);
    vec2 off = vec2(0.32, 0.21 + 0.04 * cos(cycles(slow)));
    float s = 1.0, d = 1e9, orbit = 0.0;
    for (int i = 0; i < 6; i++) {
        q = abs(q) - off;
        q = m * q;
        q *= 1.42;
        s *= 1.42;
        d = min(d, abs(q.y) / s);                            // a line at every level
        orbit += length(q);
    }
    float ring = abs(length(q) - 0.6) / s;
    float fd = fwidth(d), fring = fwidth(ring);
    float lines = 1.0 - smoothstep(0.002, 0.002 + fd * 1.5, d);
    lines += 0.6 * (1.0 - smoothstep(0.003, 0.003 + fring * 1.5, ring));
    float glow = exp(-d / (0.01 + fd)) * 0.25;
    float keep = detail(fwidth(z) * 3.0);                         // lines finer than pixels: their mean

    float hue = orbit * 0.05 + z / (2.0 * TILE) + zz * 0.3 + u_phase * slow;
    vec3 col = palette(hue, vec3(0.5), vec3(0.5), vec3(1.0), vec3(0.0, 0.33, 0.67));
    vec3 col2 = palette(hue + 0.35, vec3(0.5), vec3(0.5), vec3(1.0), vec3(0.0, 0.33, 0.67));
    float cellfill = 0.5 + 0.5 * cos(orbit * 1.3);            // soft colour in the fractal's cells
    vec3 c = col2 * (0.01 + 0.05 * cellfill) + col * glow + col2 * lines * 1.4;
    c = mix(col * 0.12, c, keep);
    float edge = exp(-a * 30.0) + exp(-(1.0 - a) * 30.0);    // bright mirror seams
    c += vec3(0.6, 0.5, 1.0) * edge * 0.12 * keep;
    float fog = exp(-depth * 0.05);
    return mix(vec3(0.9, 0.6, 1.1), c, fog) + vec3(2.0, 1.6, 2.2) * exp(-r * 30.0);
}
