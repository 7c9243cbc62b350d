"""The show: planning it (songs, banks, tracks, rules) and running it (the show loop, setlist sections).

``ShowLoop.tick(t, samples, events) -> FrameDesc`` is the one loop of `vj play`, `vj rehearse`
and `vj beats`; ``plan_show`` turns a setlist (or a bank and a track) into ``SongPlan`` s.
Pure: no GL, no devices; the adapters (vj.live, vj.render) draw and feed it.
"""

from .loop import Heard, ShowLoop
from .plan import SongPlan, plan_show

__all__ = ["Heard", "ShowLoop", "SongPlan", "plan_show"]
