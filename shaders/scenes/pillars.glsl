// Pillar forest: gliding low through a dark forest of tall columns ringed with light bands,
// mist pooling on a glossy floor, aurora overhead.  The columns are ray-cast with a 2-D grid walk.

const float CELL = 1.6;      // grid cell (the z period)
const float CAM_Y = 0.4;

// Pillar in cell c: (centre x, centre z, radius, height); radius 0 = empty cell.
// Cells repeat along z every u_travel, so the forest loops with the clip.
vec2 cell_id(vec2 c) { return vec2(c.x, mod(c.y, floor(u_travel / CELL + 0.5))); }

vec4 pillar(vec2 c) {
    vec3 h = hash32(cell_id(c) + 11.0);
    if (abs(c.x + 0.5) < 1.0 || h.x < 0.35) return vec4(0.0);   // keep the flight path clear
    vec2 centre = (c + 0.5 + (h.yz - 0.5) * 0.4) * CELL;
    return vec4(centre, 0.18 + 0.22 * h.z, 1.5 + 5.0 * h.y);
}

vec3 sky(vec2 p) {
    vec3 c = mix(vec3(0.1, 0.07, 0.2), vec3(0.004, 0.006, 0.02), smoothstep(0.0, 0.35, p.y));
    float band = fbm(vec2(p.x * 2.0, p.y * 3.0), vec2(1000.0), 4);
    float aur = smoothstep(0.45, 0.8, band) * smoothstep(0.05, 0.2, p.y) * smoothstep(0.6, 0.25, p.y);
    c += mix(vec3(0.1, 1.2, 0.6), vec3(0.6, 0.2, 1.2), smoothstep(0.1, 0.4, p.y)) * aur * 0.5;
    vec2 sc = floor(p * 200.0);
    c += step(0.992, hash12(sc)) * smoothstep(0.05, 0.3, p.y) * 0.6;
    return c;
}

vec3 scene(vec2 p) {
    float cz = cam_z();
    vec2 ro = vec2(0.0, cz);                 // ray in the ground plane (x, z); its z step is 1
    vec2 rd = vec2(p.x, 1.0);
    float tmax = p.y < 0.0 ? CAM_Y / -p.y : 60.0;
    vec2 cell = floor(ro / CELL);
    vec2 stepv = sign(rd);
    vec2 tdelta = abs(CELL / rd);
    vec2 tnext = ((cell + max(stepv, 0.0)) * CELL - ro) / rd;
    float thit = 1e9;
    vec4 hitp = vec4(0.0);
    vec2 hitc = vec2(0.0);
    for (int i = 0; i < 24; i++) {
        vec4 pl = pillar(cell);
        if (pl.z > 0.0) {
            vec2 oc = ro - pl.xy;
            float b = dot(oc, rd), cc = dot(oc, oc) - pl.z * pl.z, aa = dot(rd, rd);
            float disc = b * b - aa * cc;
            if (disc > 0.0) {
                float t = (-b - sqrt(disc)) / aa;
                if (t > 0.05 && t < thit && CAM_Y + p.y * t < pl.w) { thit = t; hitp = pl; hitc = cell; }
            }
        }
        float tcell = min(tnext.x, tnext.y);
        if (tcell > min(thit, tmax)) break;
        if (tnext.x < tnext.y) { tnext.x += tdelta.x; cell.x += stepv.x; }
        else { tnext.y += tdelta.y; cell.y += stepv.y; }
    }
    vec3 mist = vec3(0.12, 0.08, 0.22);
    vec3 c;
    float t;
    if (thit < tmax) {
        t = thit;
        vec2 hp = ro + rd * t;
        vec2 n = normalize(hp - hitp.xy);
        float y = CAM_Y + p.y * t;
        vec3 h = hash32(cell_id(hitc) + 5.0);
        vec3 tint = palette(h.x, vec3(0.55), vec3(0.45), vec3(1.0), vec3(0.0, 0.33, 0.67));
        float rim = pow(1.0 - abs(n.x), 2.0);             // light the side facing the path
        c = (vec3(0.004, 0.004, 0.008) + tint * 0.012) * (0.4 + rim);
        float fy = fwidth(y);
        float bands = grid_line((y + h.y) * 1.6, 0.05);
        c += tint * bands * 1.6;
        c += tint * exp(-y * 3.0) * 0.12;                    // glow pooling at the foot
        float cap = 1.0 - smoothstep(0.0, 0.06 + fy, hitp.w - y);
        c += tint * cap * 2.0;
        float pulse = 0.5 + 0.5 * sin(cycles(whole(0.25)) + h.z * TAU);
        c += tint * (1.0 - smoothstep(0.03, 0.03 + fy, abs(y - 0.9 - h.z))) * pulse * 2.0;
    } else if (p.y < 0.0) {
        t = tmax;
        vec2 g = ro + rd * t;
        float lines = max(grid_line(g.x / CELL, 0.012), grid_line(g.y / CELL, 0.012));
        vec3 lc = mix(vec3(0.1, 0.5, 0.7), vec3(0.6, 0.15, 0.6), 0.5 + 0.5 * sin(g.y * 0.5 + g.x * 0.3));
        c = vec3(0.003, 0.003, 0.006) + lc * lines * 0.25;
        c += mist * 0.25 * exp(-abs(p.x) * 4.0) * exp(p.y * 4.0);   // reflected glow of the far mist
    } else {
        t = 60.0;
        c = vec3(0.0);                                       // fully fogged: the sky below
    }
    float fog = exp(-t * 0.06);
    vec3 far = p.y > 0.0 ? sky(p) : mist;
    c = mix(mix(mist, far, smoothstep(0.0, 0.15, p.y)), c, fog);
    return c + mist * exp(-abs(p.y) * 25.0) * 0.5;
}
