"""Round 6 (docs/BEATS.md): each grid taken after 16 s on change-128-100-club@timgm (lattice, offset,
where its beat and lattice sit in the labelled beat, quarter strengths, cue margin) and the phase
challenger's margins, aubio times against refined.  Needs docs/notes/beats-onset-timing.patch applied."""
import sys
import numpy as np
sys.path.insert(0, 'bench'); sys.path.insert(0, '.')
import beat_corpus as bc
from vj.audio import beat_tracker as btm
from vj.audio.analysis import Analyzer
item = bc.corpus(split='tuning', names=['change-128-100-club@timgm'])[0]
ref = item.beats
def frac(t):
    i = int(np.clip(np.searchsorted(ref, t), 1, ref.size-1)); return (t-ref[i-1])/(ref[i]-ref[i-1])
for mode in ('aubio', 'refined'):
    an = Analyzer(sample_rate=item.sample_rate, hop=512, beats_per_bar=4, bpm_hint=None)
    tr = an.tracker
    if mode == 'aubio': tr._timing.refine = lambda t: None
    o_take, o_flip = tr._take, tr._phase_check
    def take(fit, now, _o=o_take, _tr=tr):
        if now > 16:
            b = fit.at(np.floor(fit.position(now)))
            lat = fit.lattice_at(np.floor(fit.lattice_position(now)))
            m, q = _tr.cues.margin(fit, now, 2.0)
            print(f" {mode} t={now:5.2f} take bpm {60/fit.period:5.1f} off {fit.offset:.2f} beat@{frac(b):.2f} lattice@{frac(lat):.2f} strength {np.round(fit.strength,2)} counts {fit.counts} cue-margin {m:+.2f} q {q}")
        _o(fit, now)
    def flip(now, _o=o_flip, _tr=tr):
        _o(now)
        if 18 < now < 26:
            print(f"   {mode} t={now:5.2f} phase margin {_tr._margin:+.3f} votes {_tr._flip_votes} to {_tr._flip_to}")
    tr._take, tr._phase_check = take, flip
    x = item.audio.astype(np.float32)
    for i in range(0, x.size - 512, 512):
        an.process(x[i:i+512])
