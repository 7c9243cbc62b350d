"""Which files go into the wheel (the metadata is in pyproject.toml).

The vj packages, plus the top-level ``shaders/`` folder shipped as the package ``vj.shaders`` (and the demo
setlist, ``setlists/demo.toml``, as ``vj.setlists``):
shaders stay files at the top of the checkout, and an installed vj (``pip install .``, pipx)
still finds them, through importlib.resources.  New subpackages of vj are found by themselves;
folders of data files are listed here with the files they hold.
"""

from setuptools import find_packages, setup

DATA = {
    "vj.control.maps": ["*.toml"],
    "vj.shaders": ["*.vert", "*.frag", "*.glsl"],
    "vj.shaders.scenes": ["*.vert", "*.frag", "*.glsl"],
    "vj.shaders.isf": ["*.fs", "*.vs"],   # the ISF effects and transitions vj ships (setlists name them)
    "vj.setlists": ["demo.toml"],          # the demo setlist (`vj demo` sets it up for an installed vj)
}

setup(
    packages=[*find_packages(include=["vj", "vj.*"]), *DATA],
    package_dir={"vj.shaders": "shaders", "vj.setlists": "setlists"},
    package_data=DATA,
)
