"""Round 6 (docs/BEATS.md): which path re-seeds the grid around a tempo change, aubio times against
refined ones, then where the beats sit after it.  Needs docs/notes/beats-onset-timing.patch applied;
run from the repo root: python docs/notes/beats-round6-trace.py change-128-100-club@timgm"""
import sys, inspect
from pathlib import Path
import numpy as np
sys.path.insert(0, 'bench'); sys.path.insert(0, '.')
import beat_corpus as bc
from vj.audio import beat_tracker as btm
from vj.audio.analysis import Analyzer
item = bc.corpus(split='tuning', names=[sys.argv[1]])[0]
for mode in ('aubio', 'refined'):
    an = Analyzer(sample_rate=item.sample_rate, hop=512, beats_per_bar=4, bpm_hint=None)
    tr = an.tracker
    if mode == 'aubio':
        tr._timing.refine = lambda t: None
        btm.MISFIT_RMS = 0.008
    orig = tr._take
    def take(fit, now, _o=orig):
        caller = inspect.stack()[1].function
        if now > 15: print(f"  {mode} t={now:6.2f} take via {caller:18s} bpm {60/fit.period:6.1f} rms {fit.rms*1000:4.1f}ms")
        _o(fit, now)
    tr._take = take
    origo = tr._on_hypothesis
    def onh(b, p, now, _o=origo, _tr=tr):
        _o(b, p, now)
        if 16.5 < now < 21 and _tr._fit is not None:
            print(f"    {mode} t={now:6.2f} grid {60/_tr._fit.period:6.1f} rms {_tr._fit.rms*1000:4.1f} dis {_tr._disagree} short {_tr._disagree_short} comb {60/p:6.1f} suspect {_tr.detector.suspect}")
    tr._on_hypothesis = onh
    x = item.audio.astype(np.float32)
    for i in range(0, x.size - 512, 512):
        an.process(x[i:i+512])

# -- where the beats sit after the change (fraction of the labelled beat)
ref = item.beats
for mode in ('aubio', 'refined'):
    an = Analyzer(sample_rate=item.sample_rate, hop=512, beats_per_bar=4, bpm_hint=None)
    if mode == 'aubio': an.tracker._timing.refine = lambda t: None
    x = item.audio.astype(np.float32); last=-1; est=[]
    for i in range(0, x.size - 512, 512):
        an.process(x[i:i+512]); b = an.snapshot().beat
        if b.beat_count > last: last = b.beat_count; est.append(b.last_beat)
    est = np.array(est); est = est[est > 20]
    i = np.clip(np.searchsorted(ref, est), 1, ref.size-1)
    prev = ref[i-1]; per = ref[i]-ref[i-1]
    frac = (est - prev)/per
    print(mode, np.round(frac[::3], 2))
