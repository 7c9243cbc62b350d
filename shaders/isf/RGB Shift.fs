/*{
    "ISFVSN": "2",
    "CREDIT": "vj",
    "DESCRIPTION": "Splits red and blue away from green, driven by the bass: the low bins of the audio spectrum push the split, on top of 'amount' (which a setlist can bind to bass_att).",
    "CATEGORIES": ["Glitch", "Audio Reactive"],
    "INPUTS": [
        {"NAME": "inputImage", "TYPE": "image"},
        {"NAME": "spectrum", "LABEL": "Audio spectrum", "TYPE": "audioFFT", "MAX": 64},
        {"NAME": "amount", "LABEL": "Shift", "TYPE": "float", "DEFAULT": 0.15, "MIN": 0.0, "MAX": 1.0},
        {"NAME": "bass", "LABEL": "Bass drive", "TYPE": "float", "DEFAULT": 0.6, "MIN": 0.0, "MAX": 2.0},
        {"NAME": "spread", "LABEL": "Widest shift (share of width)", "TYPE": "float", "DEFAULT": 0.04, "MIN": 0.0, "MAX": 0.2},
        {"NAME": "angle", "LABEL": "Angle (degrees)", "TYPE": "float", "DEFAULT": 0.0, "MIN": -180.0, "MAX": 180.0},
        {"NAME": "mode", "LABEL": "Direction", "TYPE": "long", "DEFAULT": 0, "VALUES": [0, 1], "LABELS": ["Along the angle", "Out from the centre"]},
        {"NAME": "center", "LABEL": "Centre", "TYPE": "point2D", "DEFAULT": [0.5, 0.5], "MIN": [0.0, 0.0], "MAX": [1.0, 1.0]}
    ]
}*/

// The shift is the same for every pixel (or, out from the centre, linear in the position), so
// RGB Shift.vs computes it per vertex, bass included: 4 spectrum reads per frame instead of per pixel.
varying vec2 offset;

void main() {
    vec2 uv = isf_FragNormCoord;
    vec4 g = IMG_NORM_PIXEL(inputImage, uv);
    float r = IMG_NORM_PIXEL(inputImage, uv + offset).r;
    float b = IMG_NORM_PIXEL(inputImage, uv - offset).b;
    gl_FragColor = vec4(r, g.g, b, g.a);
}
