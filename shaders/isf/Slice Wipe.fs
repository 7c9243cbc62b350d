/*{
    "ISFVSN": "2",
    "CREDIT": "vj",
    "DESCRIPTION": "Transition: the next picture slides in as staggered slices, each pushing the old one out; the last slice lands exactly at progress 1.",
    "CATEGORIES": ["Transition"],
    "INPUTS": [
        {"NAME": "startImage", "TYPE": "image"},
        {"NAME": "endImage", "TYPE": "image"},
        {"NAME": "progress", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "slices", "LABEL": "Slices", "TYPE": "long", "DEFAULT": 8, "MIN": 1, "MAX": 32},
        {"NAME": "stagger", "LABEL": "Stagger", "TYPE": "float", "DEFAULT": 0.5, "MIN": 0.0, "MAX": 0.9},
        {"NAME": "vertical", "LABEL": "Vertical slices", "TYPE": "bool", "DEFAULT": false},
        {"NAME": "edge", "LABEL": "Edge glow", "TYPE": "color", "DEFAULT": [1.0, 1.0, 1.0, 1.0]}
    ]
}*/

void main() {
    vec2 uv = isf_FragNormCoord;
    float along = vertical ? uv.y : uv.x;     // the direction slices slide in
    float across = vertical ? uv.x : uv.y;    // picks the slice
    float n = float(max(slices, 1));
    float index = min(floor(across * n), n - 1.0);
    // later slices start later; every slice has finished at progress 1
    float start = (n > 1.0) ? stagger * index / (n - 1.0) : 0.0;
    float t = clamp((progress - start) / (1.0 - stagger), 0.0, 1.0);
    t = t * t * (3.0 - 2.0 * t);
    // even slices come in from the left (bottom), odd ones from the right (top)
    bool fromLow = mod(index, 2.0) < 1.0;
    float boundary = fromLow ? t : 1.0 - t;
    bool showEnd = fromLow ? along < boundary : along > boundary;
    // the incoming picture pushes the outgoing one: both move with the boundary
    float a = showEnd ? (fromLow ? along + 1.0 - t : along - 1.0 + t)
                      : (fromLow ? along - t : along + t);
    vec2 p = vertical ? vec2(uv.x, a) : vec2(a, uv.y);
    vec4 c = showEnd ? IMG_NORM_PIXEL(endImage, p) : IMG_NORM_PIXEL(startImage, p);
    float px = 1.0 / (vertical ? RENDERSIZE.y : RENDERSIZE.x);
    float glow = (t > 0.0 && t < 1.0) ? exp(-abs(along - boundary) / (3.0 * px)) : 0.0;
    gl_FragColor = mix(c, vec4(edge.rgb, 1.0), glow * edge.a);
}
