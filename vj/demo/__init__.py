"""The project's own demo content: procedural forward-flight clips and a synthesized track.

vj ships no AI clips or music, so `vj bank demo` and the demo show are built from these, and
tests use them as real media with known ground truth (focus points, beat grids).
"""

from .scenes import SCENES, DemoClip, render_demo_clips, render_scene
from .track import DemoTrack, render_demo_track, synth_track

__all__ = ["SCENES", "DemoClip", "DemoTrack", "render_demo_clips", "render_demo_track", "render_scene",
           "synth_track"]
