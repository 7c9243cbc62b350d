#version 330 core
// Rectangles given in window pixels (top-left origin), two triangles each: the panel's damaged cells
// cleared to its background in one draw (vj.live.ui.side), where llvmpipe takes ~2 ms per scissored clear.
// The colour goes through a varying: as a uniform read by the fragment shader, llvmpipe's linear
// rasteriser (Mesa, LLVM 15) wrote it with its channels rotated once ImGui had drawn.
uniform vec2 u_size;   // the framebuffer, pixels
uniform vec3 u_colour;
in vec2 in_pos;
out vec3 v_colour;
void main() {
    vec2 ndc = vec2(in_pos.x / u_size.x * 2.0 - 1.0, 1.0 - in_pos.y / u_size.y * 2.0);
    v_colour = u_colour;
    gl_Position = vec4(ndc, 0.0, 1.0);
}
