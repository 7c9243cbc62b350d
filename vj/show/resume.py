"""Where a show was, to continue it there: after a crash (`vj play --resume`) or a restart.

A :class:`ResumePoint` is plain data (the live player autosaves one twice a second,
:mod:`vj.live.autosave`); :meth:`vj.show.loop.ShowLoop` starts from it: the song, the clip on
screen, the song's bar (its sections up to that bar count as passed, so none fires again), every
show setting as it was (faders, the sections' and the song's rules), a tempo set or tapped by hand,
x2 or /2, the nudge, the blackout, what the performer set on the song's effects (F1-F8, fx/NAME/INPUT), the focus points set by clicking
and not yet written (Ctrl+S), and
a song that was armed and had not landed yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine import Blackout, Event, Nudge, SetEffect, SetFocus, SetRules, SetTempo, TempoScale
from ..engine.rules import BY_FIELD

FORMAT = 1


@dataclass(frozen=True, slots=True)
class ResumePoint:
    song: int                        #: the song playing, 0-based
    clip: str = ""                   #: the show's id of the clip on screen
    song_bar: int = 1                #: the song's bar (1-based) at the save
    song_time: float = 0.0           #: seconds since the song began
    armed: int | None = None         #: a song armed that had not landed yet
    rules: dict[str, Any] = field(default_factory=dict)   #: every ShowRules field, by field name
    tempo_source: str = ""           #: "set", "tap": a tempo given by hand ("" when a tracker or clock drove)
    bpm: float = 0.0                 #: that tempo (or, with a tracker, the tempo it had: a hint to lock again)
    tempo_scale: float = 1.0
    nudge: float = 0.0               #: seconds
    blackout: bool = False
    #: live effect settings of the song playing: (effect name, on or None, ((input, value), ...)), as
    #: :meth:`vj.show.effects.EffectRack.live_settings` gives them
    effects: tuple = ()
    #: focus points set by clicking the picture, not yet written to bank.toml: ((clip id, x, y), ...)
    focus: tuple = ()

    def events(self) -> list[Event]:
        """The engine events that put the show's settings back as they were."""
        out: list[Event] = []
        rules = {k: v for k, v in self.rules.items() if k in BY_FIELD}
        if rules:
            out.append(SetRules(rules))
        if self.tempo_source and self.bpm > 0:
            out.append(SetTempo(self.bpm, 0.0, self.tempo_source))
        if self.nudge:
            out.append(Nudge(self.nudge))
        if self.tempo_scale != 1.0:
            out.append(TempoScale(self.tempo_scale))
        if self.blackout:
            out.append(Blackout(True))
        for name, on, values in self.effects:
            if on is not None:
                out.append(SetEffect(name, "on", 1.0 if on else 0.0))
            out += [SetEffect(name, k, v) for k, v in values]
        out += [SetFocus(x, y, clip) for clip, x, y in self.focus]
        return out

    def to_dict(self) -> dict:
        return {"format": FORMAT, "song": self.song, "clip": self.clip, "song_bar": self.song_bar,
                "song_time": round(self.song_time, 3), "armed": self.armed, "rules": dict(self.rules),
                "tempo_source": self.tempo_source, "bpm": round(self.bpm, 3), "tempo_scale": self.tempo_scale,
                "nudge": round(self.nudge, 4), "blackout": self.blackout,
                "effects": [{"name": n, "on": on, "values": {k: v for k, v in values}} for n, on, values in self.effects],
                "focus": [[clip, round(x, 5), round(y, 5)] for clip, x, y in self.focus]}

    @classmethod
    def from_dict(cls, data: dict) -> "ResumePoint":
        """Read a saved point; raises ValueError when it is not one (a damaged or foreign file)."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a vj show state (or one from another version of vj)")
        try:
            armed = data.get("armed")
            return cls(song=int(data["song"]), clip=str(data.get("clip", "")), song_bar=max(1, int(data.get("song_bar", 1))),
                       song_time=max(0.0, float(data.get("song_time", 0.0))),
                       armed=int(armed) if armed is not None else None,
                       rules={str(k): v for k, v in dict(data.get("rules", {})).items()},
                       tempo_source=str(data.get("tempo_source", "")), bpm=float(data.get("bpm", 0.0)),
                       tempo_scale=float(data.get("tempo_scale", 1.0)), nudge=float(data.get("nudge", 0.0)),
                       blackout=bool(data.get("blackout", False)),
                       effects=tuple((str(e["name"]), None if e.get("on") is None else bool(e["on"]),
                                      tuple((str(k), v) for k, v in dict(e.get("values", {})).items()))
                                     for e in data.get("effects", ())),
                       focus=tuple((str(c), float(x), float(y)) for c, x, y in data.get("focus", ())))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"a damaged show state ({exc})") from None
