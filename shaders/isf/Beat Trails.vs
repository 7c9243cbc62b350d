// Per vertex: where each corner of the frame reads last frame's trail (zoom and turn about the centre,
// aspect-correct) and how much the trail fades this frame.  Both are affine/constant over the frame,
// so interpolating them is exact.
varying vec2 fromCoord;
varying float fade;

void main() {
    isf_vertShaderInit();
    float dt = clamp(TIMEDELTA, 0.0, 0.25);
    float aspect = RENDERSIZE.x / RENDERSIZE.y;
    float a = -6.2831853 * spin * dt;
    float s = pow(zoom, dt);
    vec2 p = (isf_FragNormCoord - 0.5) * vec2(aspect, 1.0);
    p = mat2(cos(a), -sin(a), sin(a), cos(a)) * p / s;
    fromCoord = p / vec2(aspect, 1.0) + 0.5;
    fade = pow(max(persistence, 1e-4), dt);
}
