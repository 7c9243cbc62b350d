/*{
    "ISFVSN": "2",
    "CREDIT": "vj",
    "DESCRIPTION": "Feedback trails stamped on the beat: each beat prints the picture into a trail buffer that zooms, turns and fades between beats. Bind 'beat' to a beat envelope (e.g. source beat, shape decay).",
    "CATEGORIES": ["Feedback", "Audio Reactive"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "beat", "LABEL": "Beat envelope", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "smear", "LABEL": "Smear between beats", "TYPE": "float", "DEFAULT": 0.08, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "persistence", "LABEL": "Trail left after 1 s", "TYPE": "float", "DEFAULT": 0.2, "MIN": 0.0, "MAX": 0.95},
        {"NAME": "zoom", "LABEL": "Zoom per second", "TYPE": "float", "DEFAULT": 1.25, "MIN": 0.5, "MAX": 2.0},
        {"NAME": "spin", "LABEL": "Turns per second", "TYPE": "float", "DEFAULT": 0.03, "MIN": -0.5, "MAX": 0.5},
        {"NAME": "tint", "LABEL": "Trail tint", "TYPE": "color", "DEFAULT": [1.0, 0.55, 0.9, 1.0]},
        {"NAME": "amount", "LABEL": "Trail amount", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 1.0}
    ],
    "PASSES": [
        {"TARGET": "trails", "PERSISTENT": true, "FLOAT": true},
        {}
    ]
}*/

// Frame-rate independent: how far the trail zooms, turns and fades depends on TIMEDELTA, not on frames.
// Where the trail is read from and how much it fades are the same affine map / number for every pixel,
// so Beat Trails.vs computes them per vertex (4 times, not once per pixel: llvmpipe renders on the CPU).
varying vec2 fromCoord;
varying float fade;

void main() {
    vec2 uv = isf_FragNormCoord;
    vec4 now = IMG_NORM_PIXEL(inputImage, uv);
    if (PASSINDEX == 0) {
        vec2 from = fromCoord;
        // outside the old frame there is nothing to trail
        float inside = step(0.0, from.x) * step(from.x, 1.0) * step(0.0, from.y) * step(from.y, 1.0);
        vec4 prev = IMG_NORM_PIXEL(trails, from) * (inside * fade);
        float stamp = clamp(max(beat, smear), 0.0, 1.0);
        gl_FragColor = max(prev, now * stamp);
    } else {
        vec4 trail = IMG_NORM_PIXEL(trails, uv) * tint;
        gl_FragColor = vec4(max(now.rgb, trail.rgb * amount), now.a);
    }
}
