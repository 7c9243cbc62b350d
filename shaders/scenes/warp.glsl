// Hyperspace warp: streaking stars in radial lanes rush past through a violet nebula tube.
// Stars sit in thin angular lanes; a pixel at radius r can only be lit by a lane's star at depth
// rho/r, so each lane costs two lookups instead of a search.

const float STAR_SPACING = 1.0;   // world units between stars along a lane (divides the z period)
const float STREAK = 1.1;         // world units a star travels while the virtual shutter is open

vec3 star_lanes(float r, float a, float lanes, float seed, float cz) {
    float u = (a / TAU + 0.5) * lanes + seed;
    float j = mod(floor(u), lanes);
    vec3 h = hash32(vec2(j, seed * 7.0));
    float rho = 0.25 + 2.2 * h.x;                 // the lane's distance from the flight axis
    float center = 0.5 + (h.y - 0.5) * 0.5;       // the lane's angle inside its slot
    float arc = abs(fract(u) - center) * TAU / lanes * r;   // screen distance across the lane
    float zs = cz + rho / r;                      // world depth a star must have to be at this radius now
    vec3 c = vec3(0.0);
    for (int k = 0; k < 2; k++) {
        float cell = floor(zs / STAR_SPACING) - float(k);
        float ci = mod(cell, u_travel / STAR_SPACING);
        vec3 s = hash32(vec2(ci + j * 131.0, seed));
        if (s.x < 0.62) continue;                 // not every slot has a star
        float z = (cell + 0.2 + 0.6 * s.y) * STAR_SPACING;
        float behind = z - (zs - STREAK);         // 0 at the tail, STREAK at the head
        float dz = z - cz;
        if (behind < 0.0 || behind > STREAK || dz < 0.05) continue;
        float head = behind / STREAK;
        float width = max(0.0025, 0.012 / dz) ;  // nearer stars are fatter, never under a pixel
        float core = exp(-arc * arc / (width * width));
        float fade = smoothstep(30.0, 5.0, dz) * (head * head);
        vec3 tint = mix(vec3(0.5, 0.8, 1.8), vec3(1.7, 0.6, 1.2), s.z * s.z);
        c += tint * core * fade * (0.25 + 2.5 / (1.0 + dz * 0.4));
    }
    return c;
}

vec3 scene(vec2 p) {
    float r = max(length(p), 1e-4);
    float a = atan(p.y, p.x);
    float cz = cam_z();

    // nebula: fbm on a wide tube around the flight path, tiling around it and along z
    float depth = 2.5 / r;
    float fr = length(fwidth(p));
    vec2 nq = vec2((a / TAU + 0.5) * 8.0, (cz + depth) * 0.25);
    float n = fbm(nq, vec2(8.0, u_travel * 0.25), 4);
    float n2 = fbm(nq * vec2(2.0, 1.0) + vec2(3.1, 0.0), vec2(16.0, u_travel * 0.25), 2);
    vec3 neb = mix(vec3(0.05, 0.12, 0.5), vec3(0.6, 0.04, 0.45), smoothstep(0.3, 0.7, n2));
    neb = neb * smoothstep(0.35, 0.85, n) * 0.45 + vec3(0.01, 0.0, 0.03);
    float far = exp(-depth * 0.03);
    vec3 c = mix(vec3(0.1, 0.05, 0.22), neb, far);
    c += vec3(1.2, 0.9, 1.6) * exp(-r * 16.0) * 1.2;    // the warp point

    c += star_lanes(r, a, 150.0, 0.0, cz);
    c += star_lanes(r, a, 263.0, 1.0, cz) * 0.8;
    return c;
}
