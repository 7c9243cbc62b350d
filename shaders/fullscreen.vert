#version 330 core
// One triangle that covers the viewport; v_screen is (0,0) top-left, (1,1) bottom-right.
// u_flip = 1 when the target is read back row 0 first (offscreen), so rows come out top-down.
uniform float u_flip;
out vec2 v_screen;
void main() {
    vec2 pos = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));  // (0,0) (2,0) (0,2)
    vec2 ndc = pos * 2.0 - 1.0;
    v_screen = vec2(pos.x, mix(1.0 - pos.y, pos.y, u_flip));
    gl_Position = vec4(ndc, 0.0, 1.0);
}
