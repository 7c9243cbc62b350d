// Synthwave drive: a neon grid road racing toward a striped sunset sun, wireframe mountains,
// a city skyline on the horizon and light posts flashing past.

const float CAM_H = 0.35;     // camera height above the grid
const float POST_EVERY = 4.0; // world units between light posts (the scene's z period)

float mountains(float x) {
    float m = fbm(vec2(x * 3.0, 0.5), vec2(1000.0), 4);
    float valley = smoothstep(0.05, 0.6, abs(x));         // the road's gap in the range
    return (0.04 + 0.16 * m * m) * valley;
}

vec3 sky(vec2 p) {
    vec3 c = mix(vec3(0.9, 0.2, 0.45), vec3(0.02, 0.01, 0.08), smoothstep(0.0, 0.45, p.y));
    c += vec3(0.6, 0.25, 0.05) * exp(-p.y * 14.0);          // horizon glow
    // stars
    vec2 sc = floor(p * 160.0);
    float st = step(0.985, hash12(sc)) * smoothstep(0.12, 0.4, p.y);
    c += vec3(1.0) * st * (0.3 + 0.7 * hash12(sc + 7.0));
    // the sun: a gradient disc with bands cut from the bottom, drifting down
    vec2 sp = p - vec2(0.0, 0.13);
    float sr = length(sp);
    float disc = 1.0 - smoothstep(0.16, 0.163, sr);
    float band = fract(sp.y * 22.0 + u_phase * whole(0.5));
    float cut = step(0.0, sp.y + 0.01) + step(0.5 + sp.y * 3.0, band);
    vec3 sun = mix(vec3(2.2, 0.35, 0.7), vec3(2.2, 1.6, 0.3), smoothstep(-0.14, 0.14, sp.y));
    c = mix(c, sun, disc * clamp(cut, 0.0, 1.0));
    c += vec3(1.0, 0.3, 0.4) * exp(-sr * 6.0) * 0.35;
    // skyline: blocky towers with lit windows, just above the horizon
    float bx = floor(p.x * 55.0);
    float bh = (0.012 + 0.05 * pow(hash11(bx), 3.0)) * smoothstep(0.9, 0.25, abs(p.x));
    if (p.y < bh) {
        vec2 wcell = floor(vec2(p.x * 330.0, p.y * 300.0));
        float lit = step(0.72, hash12(wcell)) * step(0.5, fract(p.x * 330.0)) * step(0.5, fract(p.y * 300.0));
        c = vec3(0.05, 0.01, 0.09) + vec3(1.2, 0.8, 0.3) * lit * 0.5;
    }
    // mountains in front: dark, with a neon rim and wire contours
    float mh = p.y < 0.25 ? mountains(p.x) : 0.0;
    if (p.y < mh) {
        float contour = grid_line((mh - p.y) * 40.0, 0.06) * smoothstep(0.0, 0.03, mh - p.y);
        c = vec3(0.03, 0.0, 0.06) + vec3(0.2, 0.05, 0.5) * (1.0 - p.y / max(mh, 1e-3)) * 0.3;
        c += vec3(0.9, 0.15, 1.1) * contour * 0.25;
    }
    c += vec3(1.4, 0.3, 1.4) * exp(-abs(p.y - mh) * 420.0) * step(0.01, mh);
    return c;
}

vec3 ground(vec2 p) {
    float t = CAM_H / -p.y;
    vec2 w = vec2(p.x * t, t + cam_z());
    float fw = fwidth(w.y);
    float gx = grid_line(w.x * 0.5 + 0.5, 0.025);            // lines every 2 units, road between two
    float gz = grid_line(w.y, 0.025);
    float road = 1.0 - smoothstep(1.0, 1.0 + fwidth(w.x), abs(w.x));
    float dash = (1.0 - smoothstep(0.02, 0.02 + fwidth(w.x), abs(w.x))) * step(0.5, fract(w.y * 0.5));
    vec3 c = mix(vec3(0.03, 0.0, 0.06), vec3(0.01, 0.0, 0.02), road);
    vec3 line = mix(vec3(1.4, 0.1, 1.2), vec3(0.1, 0.9, 1.6), smoothstep(0.0, 30.0, t));
    c += line * max(gx, gz) * 1.3;
    c += vec3(1.5, 1.2, 0.4) * dash * detail(fw);
    // the sun's reflection smeared down the wet road
    c += vec3(1.0, 0.3, 0.35) * exp(-abs(p.x) * 9.0) * exp(-t * 0.05) * 0.18;
    float fog = exp(-t * 0.045);
    return mix(vec3(0.8, 0.2, 0.5), c, fog);
}

// Light posts on both sides of the road: each a glowing pole with a lamp; drawn additively.
// A post at x = +-2.6 shows at screen x = 2.6/dz, so only the posts near depth 2.6/|p.x| on
// this pixel's side can light it: three candidates instead of all of them.
vec3 posts(vec2 p) {
    vec3 c = vec3(0.0);
    float cz = cam_z();
    float side = sign(p.x);
    float near = floor((cz + 2.6 / max(abs(p.x), 0.02)) / POST_EVERY + 0.5);
    for (int k = -1; k <= 1; k++) {
        float z = (near + float(k)) * POST_EVERY;
        float dz = z - cz;
        if (dz < 0.15) continue;
        float x = side * 2.6 / dz;
        float yb = -CAM_H / dz, yt = (1.1 - CAM_H) / dz;
        float dx = abs(p.x - x);
        float w = 0.015 / dz;
        float on = step(yb, p.y) * step(p.y, yt);
        float fade = smoothstep(40.0, 8.0, dz);
        c += vec3(0.2, 1.0, 1.6) * exp(-dx / max(w, 0.0015)) * on * fade * 0.9;
        vec2 lamp = vec2(x - side * 0.25 / dz, yt);
        c += vec3(2.0, 0.8, 1.4) * exp(-length(p - lamp) / max(0.05 / dz, 0.002)) * fade;
    }
    return c;
}

vec3 scene(vec2 p) {
    vec3 c = p.y > 0.0 ? sky(p) : ground(p);
    c = mix(c, vec3(1.2, 0.35, 0.6), exp(-abs(p.y) * 70.0) * 0.5);   // haze on the horizon line
    return c + posts(p);
}
