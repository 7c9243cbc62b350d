// Ocean at sunset: skimming low over rolling waves toward the sun on the horizon, a golden
// glitter path leading to it and bands of cloud across a warm sky.

const float CAM_H = 0.22;

vec3 sky(vec3 d) {
    float y = max(d.y, 0.0);
    vec3 c = mix(vec3(1.4, 0.5, 0.22), vec3(0.07, 0.08, 0.3), pow(smoothstep(0.0, 0.5, y), 0.6));
    vec3 sd = normalize(vec3(0.0, 0.035, 1.0));
    float s = max(dot(d, sd), 0.0);
    c += vec3(2.5, 1.3, 0.5) * pow(s, 60.0) * 0.6 + vec3(4.0, 2.8, 1.6) * smoothstep(0.99975, 0.99985, s);
    c += vec3(0.5, 0.2, 0.05) * pow(s, 8.0);
    return c;
}

vec3 clouds(vec2 p, vec3 c) {
    // streaky cloud bands fixed in the sky (they are far away), lit from below by the sun
    vec2 q = vec2(p.x * 2.2, p.y * 9.0);
    float n = fbm(q + vec2(4.0, 0.0), vec2(1000.0), 5);
    float m = smoothstep(0.5, 0.8, n) * smoothstep(0.0, 0.08, p.y) * smoothstep(0.5, 0.15, p.y);
    vec3 lit = mix(vec3(1.6, 0.6, 0.35), vec3(0.35, 0.2, 0.35), smoothstep(0.02, 0.3, p.y));
    return mix(c, lit * (0.6 + 0.6 * n), m);
}

// Height-field slope of a sum of waves.  Wave numbers along z are rounded so the field repeats
// with the clip's travel, and each wave moves a whole number of cycles per clip.
vec2 wave_slope(vec2 w, float fw) {
    vec2 g = vec2(0.0);
    float amp = 0.045, freq = 1.6;
    for (int i = 0; i < 10; i++) {
        float fi = float(i);
        float ang = fi * 2.39996 + 0.3;
        // every wave rolls toward the camera, so the sea never seems to slide backward
        vec2 k = normalize(vec2(cos(ang), 0.6 + abs(sin(ang)))) * freq;
        k.y = TAU * floor(k.y * u_travel / TAU + 0.5) / u_travel;
        float aa = detail(fw * length(k) / TAU);              // fade waves smaller than a pixel
        // deep-water speed sqrt(g/k), rounded to whole cycles per clip so the clip loops
        float hz = sqrt(2.0 * length(k)) / TAU;
        float ph = dot(k, w) + cycles(max(1.0, floor(hz * u_duration + 0.5))) + fi * 1.7;
        g += amp * k * cos(ph) * aa;
        amp *= 0.74;
        freq *= 1.42;
    }
    return g;
}

vec3 scene(vec2 p) {
    vec3 d = normalize(vec3(p, 1.0));
    if (p.y > 0.0) return clouds(p, sky(d));
    float t = CAM_H / -p.y;
    vec2 w = vec2(p.x * t, t + cam_z());
    vec2 g = wave_slope(w, fwidth(w.y));
    vec3 n = normalize(vec3(-g.x, 1.0, -g.y));
    vec3 r = reflect(d, n);
    r.y = abs(r.y);
    float fres = 0.04 + 0.96 * pow(1.0 - max(dot(-d, n), 0.0), 5.0);
    vec3 deep = vec3(0.02, 0.06, 0.1) + vec3(0.05, 0.1, 0.1) * max(n.z, 0.0);
    vec3 c = mix(deep, sky(r), fres);
    // sun glitter: a tight specular lobe on every facet turned toward the sun
    float glint = max(dot(r, normalize(vec3(0.0, 0.035, 1.0))), 0.0);
    c += vec3(2.6, 1.6, 0.8) * pow(glint, 900.0) * 3.0;
    // horizon haze
    return mix(c, vec3(1.2, 0.6, 0.35), 1.0 - exp(-t * 0.02));
}
