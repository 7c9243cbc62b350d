// Per vertex: the bass (mean of the 4 lowest spectrum bins, about 0-180 Hz at 64 bins over 0-12 kHz)
// and the offset it drives.  Along an angle the offset is constant, out from the centre it is linear
// in the position: either way interpolating it between the corners is exact.
varying vec2 offset;

float bassLevel() {
    float sum = 0.0;
    for (int i = 0; i < 4; i++) {
        sum += IMG_NORM_PIXEL(spectrum, vec2((float(i) + 0.5) / IMG_SIZE(spectrum).x, 0.5)).r;
    }
    return sum / 4.0;
}

void main() {
    isf_vertShaderInit();
    float drive = clamp(amount + bass * bassLevel(), 0.0, 1.5);
    float aspect = RENDERSIZE.x / RENDERSIZE.y;
    vec2 dir;
    if (mode == 0) {
        float a = radians(angle);
        dir = vec2(cos(a), sin(a) * aspect);
    } else {
        dir = (isf_FragNormCoord - center) * 2.0;
    }
    offset = dir * spread * drive;
}
