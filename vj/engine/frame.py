"""What the engine gives out per step: what to draw (FrameDesc) and where the show is (ShowReport).

Plain frozen data, no GL.  Everything outside the engine reads the show through these: the
compositor draws ``FrameDesc.layers``; the HUD, the control panel, controller feedback, the
setlist's sections and the rehearsal report read ``FrameDesc.report``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..audio.snapshot import AudioSnapshot
from .rules import DEFAULT_RULES, ShowRules


@dataclass(frozen=True, slots=True)
class LayerDesc:
    """One clip on screen.

    Screen coordinates are normalised with (0, 0) top-left and (1, 1) bottom-right.
    The clip's picture (framed into the output's aspect per ``fit``) covers the square
    ``center ± size/2`` in those coordinates: ``size`` 1 fills the screen exactly,
    ``size`` > 1 is magnified, ``size`` < 1 sits inside another layer.
    """

    clip_id: str
    instance: int           #: one playback of a clip (a clip shown twice gets two instances)
    elapsed: float          #: seconds since this instance started playing (decoders pick frames by it)
    media_time: float       #: seconds into the clip file, per its loop mode (for display)
    center: tuple[float, float]
    size: float
    feather: float = 0.0    #: soft edge width as a fraction of the layer (0: hard, for the base layer)
    alpha: float = 1.0
    fit: str = "fill"       #: how the clip's picture sits in the layer (``vj.engine.framing``)
    aspect: float = 0.0     #: the clip's width / height (0: unknown, the compositor reads its texture)
    focus: tuple[float, float] = (0.5, 0.5)  #: where the clip heads, in layer coordinates (0..1 of the layer)
    soft: float = 0.0       #: the emerging layer's mask: 0 its rectangle, up to 1 a wide soft mask about ``focus``
    grow: float = 0.0       #: how far its mask reaches past its rectangle (its picture mirrored there), share of its size
    haze: float = 0.0       #: how much its detail fades toward its mask's border (its own blurred colours there)
    match: float = 0.0      #: how much its colour and contrast are pulled toward the picture around it
    bars: float = 1.0       #: with fit "fit" or "blur": how far the picture around it has faded to its bars (emerging)

    def screen_to_uv(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.center[0]) / self.size + 0.5, (y - self.center[1]) / self.size + 0.5)


@dataclass(frozen=True, slots=True)
class EffectDesc:
    """One ISF shader in this frame: an effect of the output chain, or the transition of a flight.

    ``values`` holds every value input of the shader by name, as bindings and controls set it for
    this frame (the renderer clamps them into the file's ranges).  ``epoch`` counts the times the
    effect was switched on: when it changes, the renderer starts the effect's feedback afresh.
    """

    name: str                               #: the performer's name for it: its controls are ``fx/NAME/...``
    shader: str                             #: the ISF file
    values: tuple[tuple[str, Any], ...] = ()
    epoch: int = 0
    images: tuple[tuple[str, str], ...] = ()   #: image inputs fed from picture files: (input, file)

    def value_map(self) -> dict[str, Any]:
        return dict(self.values)


@dataclass(frozen=True, slots=True)
class ShowReport:
    """Where the show is after a step, on the show clock (what the audience sees).

    Bars count from the show's start; ``bar_position`` is continuous (integer on downbeats).
    """

    bar: int = 0                    #: bar number, 0-based (``floor(bar_position)``)
    beat: int = 0                   #: beat in the bar, 0-based (0 = the downbeat)
    beats_per_bar: int = 4
    bar_position: float = 0.0
    tempo_source: str = "none"      #: what drives the tempo: "comb", "tap", "set", "midi clock", "link", ... (+ "x2", nudge)
    confidence: float = 0.0         #: of the tempo source, 0..1
    nudge: float = 0.0              #: seconds the performer moved the beat grid (positive = later)
    tempo_scale: float = 1.0        #: x2 (2.0) or /2 (0.5) applied to the source
    manual_bpm: float = 0.0         #: the tempo set or tapped by hand (BPM, before x2), 0 when none drives
    manual_source: str = ""         #: "set", "tap", ... for manual_bpm
    latency: float = 0.0            #: seconds visuals are scheduled ahead
    blackout: bool = False
    song_pending: bool = False      #: a song change is armed and has not landed yet
    song_landed: bool = False       #: the flight that brings an armed song in landed in this step
    continuity: float | None = None  #: a flight began in this step: how far B's opening is from A's picture around
                                     #: the focus (vj.look.descriptor.distance; None: not measured)
    rules: ShowRules = field(default=DEFAULT_RULES)   #: the rules in force
    resync_at: float | None = None  #: the time of the resync in force (R, a known downbeat): a 1 is the beat nearest it
    #: the show's bar position (as ``bar_position``) where the bar through ``resync_at`` begins, along the bar line
    #: in force: a song's bar 1 when it was given its known downbeat (None: no resync, or no tempo yet)
    resync_bar: float | None = None
    messages: tuple[str, ...] = ()  #: what the engine refused or did of note in this step (for the performer)


@dataclass(frozen=True, slots=True)
class FrameDesc:
    """Everything needed to draw one output frame, back to front."""

    time: float
    layers: tuple[LayerDesc, ...]
    zoom_center: tuple[float, float] = (0.5, 0.5)  #: screen point the camera flies toward
    zoom_rate: float = 0.0          #: d(ln scale)/dt in 1/s; drives radial motion blur
    blur: float = 0.0               #: radial blur strength (rule x speed)
    brightness: float = 1.0         #: 0 during blackout
    beat_position: float = 0.0      #: show clock, beats (downbeats at multiples of beats_per_bar)
    beat_fired: bool = False        #: a beat boundary was crossed since the previous frame
    bar_fired: bool = False
    bpm: float = 0.0
    current_clip: str = ""
    next_clip: str = ""
    transition: float = -1.0        #: flythrough progress 0..1, -1 when none
    preroll: tuple[str, ...] = ()   #: clips the decoders should have ready soon
    report: ShowReport = field(default_factory=ShowReport)
    #: how the flight on screen is drawn: "" the zoom-through, else the name of an ISF transition (the two
    #: clips are then full-screen layers, the emerging one with ``alpha`` = progress: a crossfade if the
    #: transition cannot be drawn)
    flight: str = ""
    effects: tuple[EffectDesc, ...] = ()    #: ISF effects on the composited output, in order
    flight_fx: EffectDesc | None = None     #: the ISF transition drawing this frame's flight (``flight``)
    #: the song's effects that are off, with the values their inputs hold: never drawn, only reported (controls'
    #: feedback), so a surface follows what a section sets on an effect before it is switched on
    fx_off: tuple[EffectDesc, ...] = ()
    audio: AudioSnapshot | None = None      #: the audio the effects' audio and audioFFT inputs show
