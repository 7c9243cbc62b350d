"""vj's GLSL files.  This folder ships inside the wheel as the package ``vj.shaders`` (see setup.py);
vj reads the files with importlib.resources, so a plain ``pip install`` finds them."""
