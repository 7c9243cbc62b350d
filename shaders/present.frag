#version 330 core
// The plain copy of the output image to the window (bilinear when scaled), with nothing else in it: on
// llvmpipe this, with a BGRA-stored image (vj.gfx.bgra), runs on the fast "linear" rasteriser, 2-3x
// quicker than the same copy through output.frag.  Only a bare texture() qualifies: textureLod, any
// arithmetic on the colour, or vec4(c.rgb, 1.0) takes it off the fast path, and the last one also comes out
// with red and blue swapped in some 64x64 tiles on Mesa 22.3's fast path (tests/test_stage.py's fullscreen
// comparison caught it).  The alpha copied is the picture's: the window's is never shown.
uniform sampler2D u_image;
in vec2 v_screen;
out vec4 f_color;

void main() {
    f_color = texture(u_image, v_screen);
}
