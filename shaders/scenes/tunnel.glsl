// Neon panel tunnel: a round tube of dark tiles with glowing seams and windows, warm light rings
// every few metres, and a hot white core ahead.
const float N_SIDES = 18.0;   // panels around the tube
const float RING_EVERY = 4.0; // panels between light rings; seams shift colour every 2 rings (z period 8)

vec3 scene(vec2 p) {
    float r = max(length(p), 1e-4);
    float depth = 0.55 / r;                              // tube radius 0.55, focal length 1
    float z = cam_z() + depth;
    float a = atan(p.y, p.x);
    vec2 uv = vec2(a / TAU * N_SIDES, z);
    // pixel footprint, from the analytic derivatives (atan's seam would break fwidth)
    float fr = length(fwidth(p));
    vec2 fw = vec2(N_SIDES / TAU * fr / r, depth * fr / r);

    vec2 cell = floor(uv);
    vec2 f = fract(uv);
    float col = mod(cell.x, N_SIDES), row = mod(cell.y, u_travel);
    vec3 h = hash32(vec2(col, row));

    // panel body: dark metal tinted by a hue that drifts along the tube and around it
    float hue = z / u_travel * 2.0 + col / N_SIDES + h.x * 0.12;
    vec3 tint = palette(hue, vec3(0.5), vec3(0.5), vec3(1.0), vec3(0.0, 0.33, 0.67));
    vec2 e = min(f, 1.0 - f);
    float bevel = smoothstep(0.0, 0.15, min(e.x, e.y));
    float sheen = 0.5 + 0.5 * cos((f.x - 0.5) * 2.5);    // panels curve with the tube
    vec3 c = (vec3(0.006, 0.006, 0.012) + tint * 0.03 * (0.4 + h.y)) * bevel * sheen;
    // small lit windows on some panels, blinking in whole cycles so the clip loops
    float blink = 0.55 + 0.45 * sin(cycles(whole((1.0 + floor(h.x * 3.0)) / 6.0)) + h.y * TAU);
    vec2 wq = abs(f - vec2(0.5, 0.5));
    float wsize = 0.18 + 0.1 * h.z;
    float window = (1.0 - smoothstep(wsize, wsize + fw.x + 0.02, max(wq.x, wq.y * 1.4))) * step(0.68, h.z);
    c += tint * 2.2 * window * blink * detail(max(fw.x, fw.y));
    // a thin stripe of status lights along some panels
    float stripe = step(0.8, h.y) * (1.0 - smoothstep(0.02, 0.02 + fw.y, abs(f.y - 0.2))) * step(0.15, f.x) * step(f.x, 0.85);
    c += vec3(0.2, 1.2, 1.4) * stripe * step(0.5, fract(f.x * 6.0 + h.x)) * detail(fw.x * 6.0);

    // seams: a sharp line and a soft halo, cyan shading to magenta along the tube
    vec2 d = abs(fract(uv + 0.5) - 0.5);
    float seam = max(grid_line_fw(uv.x, 0.018, fw.x), grid_line_fw(uv.y, 0.018, fw.y));
    float halo = exp(-min(d.x / max(fw.x * 4.0, 0.05), d.y / max(fw.y * 4.0, 0.05)) * 3.0) * detail(max(fw.x, fw.y));
    vec3 seamc = mix(vec3(0.1, 0.8, 1.3), vec3(1.3, 0.2, 0.9), 0.5 + 0.5 * cos(z * TAU / (2.0 * RING_EVERY)));
    c += seamc * (seam * 1.2 + halo * 0.08);

    // light rings every RING_EVERY panels, spilling warm light on the panels around them
    float rz = abs(fract(z / RING_EVERY + 0.5) - 0.5) * RING_EVERY;
    c += vec3(2.2, 1.4, 0.7) * (1.0 - smoothstep(0.05, 0.05 + fw.y * 1.5, rz));
    c += vec3(1.0, 0.55, 0.25) * exp(-rz * 2.5) * 0.12 * bevel;

    // fog to a hot core: the light at the end of the tunnel
    float fog = exp(-depth * 0.07);
    vec3 core = mix(vec3(0.12, 0.04, 0.16), vec3(2.5, 2.0, 2.2), exp(-r * 10.0));
    return mix(core, c, fog);
}
