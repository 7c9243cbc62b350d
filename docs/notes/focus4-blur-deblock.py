"""Round focus4: does a blur or the deblocking filter bring back a crushed clip's flow?  Prints, per clip, the
measured/true flow ratio along the truth and the dense fit for loop filter off/on and Gaussian blur 0-2.5 px.
Run from the repo root: .venv/bin/python docs/notes/focus4-blur-deblock.py parking-slow-crushed-2 ..."""
import sys, math
sys.path.insert(0, 'bench')
import numpy as np, cv2, av
import focus_corpus as fc
from common import CACHE
from vj.focus import estimate as E
from vj.focus.fit import fit_foe

def frames(path, loop):
    fr = E._Frames(path)
    if loop:
        fr.stream.codec_context.options = {}
    return fr

for name in sys.argv[1:]:
    item = next(i for i in fc.ITEMS if i.name == name)
    path = fc.make(item, CACHE / 'focus-corpus')
    tr = fc.truth(item)
    for loop in (False, True):
        fr = frames(path, loop)
        win = fr.window(0.3, 0.9)
        a, b = win[0], win[-1]
        W, H = fr.size
        s = E.FlowSampler(fr.size)
        ft = tr.at(a[0]); e = np.array([ft[0]*W, ft[1]*H]); k = math.exp(item.rate*(b[0]-a[0])) - 1 if item.rate else None
        for sig in (0, 1.0, 1.5, 2.5):
            A, B = a[1], b[1]
            if sig:
                A = cv2.GaussianBlur(A, (0, 0), sig); B = cv2.GaussianBlur(B, (0, 0), sig)
            p, f, w = s.sample(A, B)
            fit = fit_foe(p, f, w, fr.size, b[0]-a[0])
            truef = (p - e) * (k if k else 0.05)
            ratio = np.sum((f*truef).sum(1)*w)/np.sum((truef*truef).sum(1)*w)
            print(f'{name:26s} loop={loop:d} blur={sig:3.1f} ratio={ratio:.2f} fit=({fit.x:.3f},{fit.y:.3f}) err={fc.error((fit.x,fit.y),ft,item.size)*100:5.1f}% c={fit.confidence:.2f} rate={fit.rate:.3f} (true {item.rate}) moving={fit.moving:.2f} cons={fit.consistency:.2f}')
        fr.close()
