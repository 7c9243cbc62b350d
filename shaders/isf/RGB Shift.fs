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

// The bass: the mean of the lowest bins (about 0-180 Hz at 64 bins over 0-12 kHz).
float bassLevel() {
    float sum = 0.0;
    for (int i = 0; i < 4; i++) {
        sum += IMG_NORM_PIXEL(spectrum, vec2((float(i) + 0.5) / IMG_SIZE(spectrum).x, 0.5)).r;
    }
    return sum / 4.0;
}

void main() {
    vec2 uv = isf_FragNormCoord;
    float drive = clamp(amount + bass * bassLevel(), 0.0, 1.5);
    float aspect = RENDERSIZE.x / RENDERSIZE.y;
    vec2 dir;
    if (mode == 0) {
        float a = radians(angle);
        dir = vec2(cos(a), sin(a) * aspect);
    } else {
        dir = (uv - center) * 2.0;
    }
    vec2 off = dir * spread * drive;
    vec4 g = IMG_NORM_PIXEL(inputImage, uv);
    float r = IMG_NORM_PIXEL(inputImage, uv + off).r;
    float b = IMG_NORM_PIXEL(inputImage, uv - off).b;
    gl_FragColor = vec4(r, g.g, b, g.a);
}
