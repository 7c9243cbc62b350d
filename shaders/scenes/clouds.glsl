// Cloud flythrough: gliding between a sunlit sea of cumulus below and a veil of cirrus above,
// toward a low golden sun on the horizon.

vec3 sky(vec2 p) {
    vec3 c = mix(vec3(1.0, 0.5, 0.25), vec3(0.04, 0.09, 0.35), smoothstep(-0.02, 0.38, p.y));
    float sd = length(p - vec2(0.0, 0.05));
    c += vec3(2.5, 1.6, 0.8) * exp(-sd * 28.0) + vec3(0.6, 0.35, 0.15) * exp(-sd * 5.0);
    return c;
}

const vec3 HAZE = vec3(1.0, 0.55, 0.32);

// One cloud layer on a plane `h` above (h > 0) or below (h < 0) the camera.
// Returns colour and coverage; the fbm tiles along z with the clip's travel, so the flight loops.
vec4 layer(vec2 p, float h, float scale, float cover, vec3 lit, vec3 shade, int octaves) {
    float t = h / p.y;
    vec2 w = vec2(p.x * t, t + cam_z()) * scale;
    vec2 period = vec2(64.0, u_travel * scale);
    float n = fbm(w, period, octaves);
    // backlit by the sun ahead: thin edges glow (silver lining), thick cores and the sides
    // facing away from the sun fall into shadow
    float n2 = fbm(w + vec2(0.0, 0.12), period, 3);
    float d = smoothstep(cover, cover + 0.12, n);
    float thick = smoothstep(cover, cover + 0.35, n);
    float toward = clamp(0.5 + (n2 - n) * 5.0, 0.0, 1.0);
    vec3 c = mix(lit, shade, thick);
    c += lit * toward * 0.35;
    float fog = exp(-t * 0.035);
    return vec4(mix(HAZE, c, fog), d);
}

// Layer scales times the z period (4) must be whole numbers, so the noise tiles with the travel.
vec3 scene(vec2 p) {
    vec3 c = sky(p);
    if (p.y < -0.004) {
        vec4 lo = layer(p, -0.4, 0.5, 0.4, vec3(1.25, 0.72, 0.42), vec3(0.1, 0.1, 0.26), 5);
        // through the gaps: the deep blue of the far ground, hazy toward the horizon
        vec3 under = mix(HAZE, vec3(0.03, 0.06, 0.16), exp(0.4 / p.y * 0.035));
        c = mix(under, lo.rgb, lo.a);
    } else if (p.y > 0.004) {
        vec4 hi = layer(p, 0.8, 0.25, 0.38, vec3(1.3, 0.6, 0.45), vec3(0.25, 0.15, 0.35), 4);
        c = mix(c, hi.rgb, hi.a * 0.85);
    }
    // horizon haze and the sun's bloom over everything
    c = mix(c, HAZE * 1.1, exp(-abs(p.y) * 45.0) * 0.8);
    c += vec3(0.5, 0.3, 0.1) * exp(-length(p - vec2(0.0, 0.05)) * 8.0) * 0.4;
    return c;
}
