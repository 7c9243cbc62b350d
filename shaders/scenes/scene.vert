#version 330 core
// One triangle that covers the viewport; the scene shaders work from gl_FragCoord only.
void main() {
    vec2 pos = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));  // (0,0) (2,0) (0,2)
    gl_Position = vec4(pos * 2.0 - 1.0, 0.0, 1.0);
}
