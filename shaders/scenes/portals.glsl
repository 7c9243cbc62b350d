// Portal rings: a procession of glowing polygon gates (triangles to octagons and circles)
// that the camera flies through, each turning slowly, over a faint lattice of light.

const float SPACING = 2.0;   // world units between gates (the z period)
const float RADIUS = 0.75;
const vec3 NEON[6] = vec3[6](vec3(1.3, 0.2, 1.1), vec3(0.2, 0.9, 1.4), vec3(1.4, 0.6, 0.15),
                             vec3(0.6, 0.3, 1.5), vec3(0.2, 1.3, 0.6), vec3(1.4, 0.25, 0.35));

// Signed distance-like value to a regular n-gon of circumradius `rad` (n < 3: a circle), for a
// point at radius `len` and angle `a` (the angle comes in from outside: one atan per pixel).
float ngon(float len, float a, float n, float rad) {
    if (n < 3.0) return len - rad;
    float an = TAU / n;
    float b = mod(a, an) - 0.5 * an;
    return len * cos(b) - rad * cos(0.5 * an);
}

vec3 scene(vec2 p) {
    float cz = cam_z();
    float r = max(length(p), 1e-4);
    float gates = u_travel / SPACING;

    // background: a faint lattice tube far out, so the dark has depth and motion
    float depth = 3.0 / r;
    float a = atan(p.y, p.x);
    vec2 uv = vec2((a / TAU + 0.5) * 24.0, (cz + depth) / SPACING);
    float fr = length(fwidth(p));
    float lat = max(grid_line_fw(uv.x, 0.02, 24.0 / TAU * fr / r), grid_line_fw(uv.y, 0.02, depth * fr / r / SPACING));
    vec3 c = vec3(0.006, 0.003, 0.02) + vec3(0.04, 0.03, 0.14) * lat * exp(-depth * 0.04);
    c += vec3(0.6, 0.4, 1.2) * exp(-r * 10.0) * 0.6;

    // Only gates whose outline can pass near this pixel: a gate of radius R at depth dz sits at
    // screen radius about R/dz (polygon sides come in to half of R), glow reaching ~0.1 further.
    float first = max(floor(cz / SPACING) + 1.0, floor((cz + 0.3 / (r + 0.1)) / SPACING));
    float last = floor((cz + 0.95 / max(r - 0.1, 0.03)) / SPACING) + 1.0;
    for (int k = 0; k < 12; k++) {
        float idx = first + float(k);
        if (idx > last) break;
        float dz = idx * SPACING - cz;
        if (dz > 22.0) break;
        float id = mod(idx, gates);
        vec3 h = hash32(vec2(id, 3.0));
        float n = h.x < 0.2 ? 0.0 : 3.0 + floor(h.y * 6.0);
        float spin = (h.z - 0.5) * TAU + cycles(whole(1.0 / 6.0) * sign(h.z - 0.5)) / max(n, 1.0);
        float sd = ngon(r * dz, a + spin, n, RADIUS * (0.8 + 0.4 * h.z));   // on the gate's plane
        float dist = abs(sd) / dz;                           // screen units
        float w = 0.035 / dz;
        float fade = smoothstep(22.0, 8.0, dz) * smoothstep(0.25, 1.2, dz);
        vec3 col = NEON[int(mod(id * 5.0 + floor(h.x * 3.0), 6.0))];
        float light = smoothstep(w + 0.002, w * 0.4, dist) * 1.6 + exp(-dist / (min(w * 2.0, 0.02) + 0.004)) * 0.45;
        c += col * light * fade;
    }
    // the gates' faint veils add up toward the centre
    c += vec3(0.25, 0.12, 0.45) * 0.1 * smoothstep(0.9, 0.0, r);
    return c;
}
