// Sci-fi corridor: a long white-and-teal hallway with ceiling light strips, panelled walls,
// glowing door frames every few metres and a glossy floor reflecting the lights.

const float HALF_W = 1.0, HALF_H = 0.75;   // corridor cross-section, world units
const float FRAME_EVERY = 4.0;             // door frames (the scene's z period)

vec3 scene(vec2 p) {
    float cz = cam_z();
    float tx = HALF_W / max(abs(p.x), 1e-5);
    float ty = HALF_H / max(abs(p.y), 1e-5);
    float t = min(tx, ty);                          // depth of the surface this pixel sees
    float z = cz + t;
    float fwz = fwidth(z);
    bool wall = tx < ty;
    // surface coordinates: (along z, across the surface)
    float across = wall ? p.y * t / HALF_H : p.x * t / HALF_W;   // -1..1
    float fwa = fwidth(across);
    float zm = mod(z, FRAME_EVERY);

    vec3 c;
    vec3 accent = mix(vec3(0.1, 1.0, 1.2), vec3(1.4, 0.45, 0.1), step(0.5, fract(z / (2.0 * FRAME_EVERY))));
    if (wall) {
        // wall panels: two rows, seams, a glowing guide line at hand height
        float panel = grid_line(z, 0.015) + grid_line(across * 1.5 + 0.5, 0.02);
        float row = floor(across * 1.5 + 0.5);
        float h = hash12(vec2(mod(floor(z), u_travel), row + sign(p.x) * 5.0));
        c = vec3(0.12, 0.14, 0.16) * (0.7 + 0.5 * h) - panel * 0.08;
        c += accent * (1.0 - smoothstep(0.02, 0.02 + fwa, abs(across + 0.25))) * 1.3;
        // small indicator lights on some panels
        vec2 f = vec2(fract(z), fract(across * 1.5 + 0.5));
        float ind = step(0.75, h) * (1.0 - smoothstep(0.04, 0.04 + fwz + fwa, length((f - vec2(0.8, 0.7)) * vec2(1.0, 0.6))));
        c += mix(vec3(1.5, 0.2, 0.2), vec3(0.2, 1.5, 0.4), step(0.87, h)) * ind * detail(fwz);
    } else if (p.y > 0.0) {
        // ceiling: a bright light strip down the middle in segments, and vents
        float strip = (1.0 - smoothstep(0.12, 0.12 + fwa, abs(across))) * step(0.12, fract(z));
        c = vec3(0.08, 0.09, 0.1) - grid_line(across * 2.0, 0.02) * 0.03;
        c += vec3(1.8, 1.9, 2.0) * strip * mix(1.0, 0.6, detail(fwz) * step(zm, 0.5));
    } else {
        // floor: dark glossy tiles, the ceiling strip's reflection, guide lights along the edges
        float tiles = max(grid_line(z * 2.0, 0.02), grid_line(across * 4.0, 0.02));
        c = vec3(0.035, 0.04, 0.05) + tiles * 0.03;
        c += vec3(0.5, 0.55, 0.6) * exp(-abs(across) * 6.0) * (0.4 + 0.3 * step(0.12, fract(z)));
        float edge = 1.0 - smoothstep(0.015, 0.015 + fwa, abs(abs(across) - 0.92));
        float pulse = 0.5 + 0.5 * cos(TAU * (z / FRAME_EVERY - u_phase * whole(0.33)));
        c += accent * edge * (0.4 + 1.2 * pulse);
    }
    // door frames: a glowing band wrapping all four sides, with light spilling on nearby surfaces
    float fd = abs(zm - FRAME_EVERY * 0.5) - (FRAME_EVERY * 0.5 - 0.12);
    float frame = smoothstep(-fwz, fwz, fd);
    c = mix(c, accent * 1.8 + 0.3, frame);
    c += accent * exp(-max(-fd, 0.0) * 2.5) * 0.12;

    float fog = exp(-t * 0.06);
    vec3 end = vec3(0.5, 0.75, 0.85);
    return mix(end, c, fog);
}
