"""Round focus4: look at a clip's frames and flow against the truth (writes PNGs to out/focus4-look).
Run from the repo root: .venv/bin/python docs/notes/focus4-flow-look.py parking-slow-crushed-2.
flow.png: green = true flow x3, red = measured (brighter = more weight); ratio.png: measured/true along the
truth per sample (grey = 1); diff_a.png: decoded minus clean render (x4)."""
import sys, math
from pathlib import Path
sys.path.insert(0, 'bench')
import numpy as np, cv2, av
import focus_corpus as fc
from common import CACHE
from vj.focus import estimate as E

name = sys.argv[1] if len(sys.argv) > 1 else 'parking-slow-crushed-2'
t0, gap = 0.3, 0.5
item = next(i for i in fc.ITEMS if i.name == name)
path = fc.make(item, CACHE / 'focus-corpus')
fr = E._Frames(path)
win = fr.window(t0, t0 + gap)
a, b = win[0], win[-1]
print('times', a[0], b[0], 'size', fr.size)
# full-res decode with loop filter
full = []
with av.open(str(path)) as c:
    for f in c.decode(c.streams.video[0]):
        full.append((float(f.time), f.to_ndarray(format='gray')))
fa = min(full, key=lambda x: abs(x[0]-a[0]))[1]
out = Path('out/focus4-look'); out.mkdir(parents=True, exist_ok=True)
cv2.imwrite(str(out/'full_a.png'), fa)
cv2.imwrite(str(out/'small_a_x3.png'), cv2.resize(a[1], None, fx=3, fy=3, interpolation=cv2.INTER_NEAREST))
# clean render of the same frame
frames = list(fc.render_frames(item))
i = round(a[0]*item.fps)
clean = cv2.cvtColor(frames[i], cv2.COLOR_BGR2GRAY)
cv2.imwrite(str(out/'clean_a.png'), clean)
cv2.imwrite(str(out/'diff_a.png'), np.clip(128 + 4*(fa.astype(int) - clean.astype(int)), 0, 255).astype(np.uint8))
s = E.FlowSampler(fr.size)
p, f, w = s.sample(a[1], b[1])
W, H = fr.size
tr = fc.truth(item); ft = tr.at(a[0])
e = np.array([ft[0]*W, ft[1]*H]); k = math.exp(item.rate*(b[0]-a[0])) - 1
truef = (p - e) * k
err = np.hypot(*(f - truef).T)
mag = np.hypot(*f.T); tmag = np.hypot(*truef.T)
print('median |flow| %.2f, true %.2f, median err %.2f px, ratio along radial %.2f' % (np.median(mag), np.median(tmag), np.median(err),
      np.sum((f*truef).sum(1)*w)/np.sum((truef*truef).sum(1)*w)))
# per-sample image
gh, gw = len(range(E.BORDER, H-E.BORDER, E.STEP)), len(range(E.BORDER, W-E.BORDER, E.STEP))
ratio = ((f*truef).sum(1)/np.maximum((truef*truef).sum(1), 1e-6)).reshape(gh, gw)
img = np.clip(ratio*127, 0, 255).astype(np.uint8)
cv2.imwrite(str(out/'ratio.png'), cv2.resize(img, None, fx=8, fy=8, interpolation=cv2.INTER_NEAREST))
wimg = (w/w.max()*255).reshape(gh, gw).astype(np.uint8)
cv2.imwrite(str(out/'weight.png'), cv2.resize(wimg, None, fx=8, fy=8, interpolation=cv2.INTER_NEAREST))
# flow drawn over the frame
vis = cv2.cvtColor(cv2.resize(a[1], None, fx=3, fy=3), cv2.COLOR_GRAY2BGR)
for (x, y), (dx, dy), (tx, ty), ww in zip(p, f, truef, w):
    if (int(x)//4 + int(y)//4) % 2: continue
    cv2.line(vis, (int(3*x), int(3*y)), (int(3*(x+3*tx)), int(3*(y+3*ty))), (0, 255, 0), 1)
    cv2.line(vis, (int(3*x), int(3*y)), (int(3*(x+3*dx)), int(3*(y+3*dy))), (0, 0, int(255*min(1, ww+0.3))), 1)
cv2.circle(vis, (int(3*e[0]), int(3*e[1])), 6, (255, 0, 0), 2)
cv2.imwrite(str(out/'flow.png'), vis)
