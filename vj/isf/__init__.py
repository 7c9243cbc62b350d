"""ISF (Interactive Shader Format) host: VDMX-style shader effects, transitions and generators on moderngl.

The public API (docs/ISF.md has the whole story):

- :func:`parse_isf` -> :class:`IsfSpec`: the header, GL-free; ``spec.kind`` and
  ``spec.inputs`` (:class:`IsfInput` descriptors for the control table).
- :func:`load_isf` -> :class:`IsfFilter` / :class:`IsfTransition` / :class:`IsfGenerator`,
  each an :class:`IsfShader` with ``render(time, values, images, audio)``.
- :func:`load_isf_dir` loads a folder, returning the problems of the files it left out.
- :class:`IsfAudio` carries the waveform and spectrum for ``audio``/``audioFFT`` inputs.
- :class:`IsfError` (a :class:`~vj.errors.VjError`) for a file that cannot be used.
"""

from .effects import IsfFilter, IsfGenerator, IsfTransition, load_isf, load_isf_dir
from .host import IsfShader
from .images import IsfAudio, load_picture, read_picture, texture_from_picture
from .spec import IsfError, IsfInput, IsfPass, IsfSpec, parse_isf

__all__ = ["IsfAudio", "IsfError", "IsfFilter", "IsfGenerator", "IsfInput", "IsfPass", "IsfShader", "IsfSpec",
           "IsfTransition", "load_isf", "load_isf_dir", "load_picture", "parse_isf", "read_picture", "texture_from_picture"]
