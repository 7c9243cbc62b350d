/*{
    "ISFVSN": "2",
    "CREDIT": "vj",
    "DESCRIPTION": "A turning kaleidoscope: the picture folded into mirrored wedges around a centre, spinning with time, 'push' zooming it (bind to a beat envelope for a kick on every beat).",
    "CATEGORIES": ["Geometry Adjustment", "Audio Reactive"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "segments", "LABEL": "Mirrors", "TYPE": "float", "DEFAULT": 6.0, "MIN": 2.0, "MAX": 16.0},
        {"NAME": "speed", "LABEL": "Turns per second", "TYPE": "float", "DEFAULT": 0.05, "MIN": -1.0, "MAX": 1.0},
        {"NAME": "zoom", "LABEL": "Zoom", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.25, "MAX": 4.0},
        {"NAME": "push", "LABEL": "Push (beat)", "TYPE": "float", "DEFAULT": 0.0, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "center", "LABEL": "Centre", "TYPE": "point2D", "DEFAULT": [0.5, 0.5], "MIN": [0.0, 0.0], "MAX": [1.0, 1.0]},
        {"NAME": "source", "LABEL": "Source point", "TYPE": "point2D", "DEFAULT": [0.5, 0.5], "MIN": [0.0, 0.0], "MAX": [1.0, 1.0]}
    ]
}*/

const float TAU = 6.28318530718;

void main() {
    float aspect = RENDERSIZE.x / RENDERSIZE.y;
    vec2 p = (isf_FragNormCoord - center) * vec2(aspect, 1.0);
    float r = length(p) / (zoom * (1.0 + 0.35 * push));
    float wedge = TAU / max(segments, 2.0);
    float a = atan(p.y, p.x) + TAU * speed * TIME;
    a = mod(a, wedge);
    a = min(a, wedge - a);            // mirror every other wedge: seams meet
    vec2 q = vec2(cos(a), sin(a)) * r / vec2(aspect, 1.0) + source;
    q = 1.0 - abs(1.0 - mod(q, 2.0)); // mirror-repeat outside the picture
    gl_FragColor = IMG_NORM_PIXEL(inputImage, q);
}
