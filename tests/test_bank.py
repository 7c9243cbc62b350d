"""Banks: import, merge, refusal to overwrite, check with located problems, probe cache."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import pytest

import vj.probe
from vj.bank import Bank, Clip, ClipNotFound, build_demo_bank, check_bank, import_bank, load_bank
from vj.errors import VjError
from vj.preview import GAP, HEIGHT
from vj.probe import colour_of


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the nth line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth]


def truncate(path: Path, fraction: float = 0.5) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


@pytest.fixture
def src(tmp_path: Path, make_clip) -> Path:
    """A folder of clips as a generator leaves them: good ones, a sidecar prompt, broken ones."""
    d = tmp_path / "src"
    make_clip(d / "alpha.mp4", seed=1)
    make_clip(d / "night" / "beta.mkv", seed=2)
    (d / "alpha.txt").write_text("a neon tunnel, \"volumetric\" light\n")
    truncate(make_clip(d / "broken.mp4", seed=3))
    (d / "noise.mp4").write_bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes())
    (d / "notes.md").write_text("not a clip")
    return d


def read_png(path: Path) -> np.ndarray:
    with av.open(str(path)) as c:
        return next(c.decode(video=0)).to_ndarray(format="rgb24")


# ---- import ----------------------------------------------------------------------------------

def test_import_writes_bank_toml_and_previews(src: Path, tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    result = import_bank(src, "night", banks_dir=banks)

    assert result.added == ("alpha", "beta")
    assert sorted(Path(p.path).name for p in result.failed) == ["broken.mp4", "noise.mp4"]
    assert all(p.fix and p.message for p in result.failed)
    data = tomllib.loads(result.toml.read_text())
    by_id = {c["id"]: c for c in data["clips"]}
    # referenced where they are (absolute), never copied into the bank
    assert by_id["alpha"]["file"] == str(src / "alpha.mp4")
    assert by_id["beta"]["file"] == str(src / "night" / "beta.mkv")
    assert by_id["alpha"]["prompt"] == 'a neon tunnel, "volumetric" light'
    assert not [p for p in (banks / "night").rglob("*") if p.suffix in (".mp4", ".mkv")]

    bank = load_bank("night", banks_dir=banks)
    assert bank.ids == ("alpha", "beta")
    alpha = bank.clip("alpha")
    assert alpha.probe is not None and (alpha.probe.width, alpha.probe.height) == (64, 36)
    assert alpha.probe.duration == pytest.approx(1.0, abs=0.05) and alpha.probe.fps == pytest.approx(30)
    assert (alpha.probe.colorspace, alpha.probe.color_range) == ("bt601", "limited")  # untagged SD
    assert (alpha.focus, alpha.loop_setting, alpha.energy, alpha.in_point, alpha.out_point) == ((0.5, 0.5), "auto", 0.5, 0.0, None)
    assert alpha.look is not None and alpha.loop in ("loop", "crossfade", "pingpong")  # measured at import

    for clip in bank.clips:
        assert clip.preview is not None and clip.preview.is_file()
        rgb = read_png(clip.preview)
        frame_w = round(64 * HEIGHT / 36)
        assert rgb.shape == (HEIGHT, 6 * frame_w + 5 * GAP, 3)
        assert rgb.std() > 20  # not blank
        first, last = rgb[:, :frame_w], rgb[:, -frame_w:]
        assert np.abs(first.astype(int) - last.astype(int)).mean() > 5  # frames from different times


def test_reimport_merges_and_keeps_hand_edits_byte_for_byte(src: Path, tmp_path: Path, make_clip) -> None:
    banks = tmp_path / "banks"
    first = import_bank(src, "b", banks_dir=banks)
    toml = first.toml
    edited = toml.read_text().replace('\nloop = "auto"\n', '\nloop = "loop"\nfocus = [0.25, 0.75]  # the eye\n', 1)
    edited += "\n# my notes: open with alpha\n"
    toml.write_bytes(edited.encode())

    make_clip(src / "gamma.mov", seed=4)
    (src / "night" / "beta.mkv").unlink()
    result = import_bank(src, "b", banks_dir=banks)

    text = toml.read_text()
    assert text.startswith(edited)  # every byte of the hand-edited file survives
    assert result.added == ("gamma",) and result.kept == 2
    assert len(result.vanished) == 1
    gone = result.vanished[0]
    assert "beta.mkv" in gone.message and gone.line == line_of(text, "beta.mkv")
    appended = tomllib.loads(text[len(edited):])
    assert [c["id"] for c in appended["clips"]] == ["gamma"]
    data = tomllib.loads(text)
    assert [c["id"] for c in data["clips"]] == ["alpha", "beta", "gamma"]  # vanished entry not deleted
    assert data["clips"][0]["focus"] == [0.25, 0.75]

    # nothing new: the file is not touched at all
    again = import_bank(src, "b", banks_dir=banks)
    assert again.added == () and toml.read_text() == text


def test_a_vanished_clip_is_located_in_the_file_as_written(tmp_path: Path, make_clip) -> None:
    """A bank from before focus tracks, one of its files moved: the import inserts tracks above the missing
    clip and said the line it had in the old file (30 where the file now has it at 47)."""
    src = tmp_path / "src"
    make_clip(src / "alpha.mp4", seed=1)
    bank = tmp_path / "banks" / "b"
    bank.mkdir(parents=True)
    old = f'[[clips]]\nid = "alpha"\nfile = "{src / "alpha.mp4"}"\n\n[[clips]]\nid = "gone"\nfile = "moved.mp4"\n'
    (bank / "bank.toml").write_text(old)
    result = import_bank(src, "b", banks_dir=tmp_path / "banks")
    text = (bank / "bank.toml").read_text()
    assert "focus_track" in text.split('id = "gone"')[0]   # a track went in above the missing clip
    assert [p.line for p in result.vanished] == [line_of(text, "moved.mp4")] != [line_of(old, "moved.mp4")]


def test_a_bank_toml_saved_with_a_byte_order_mark_reads_and_merges(tmp_path: Path, make_clip) -> None:
    """Windows Notepad saves UTF-8 with a byte-order mark: every command said "TOML syntax error: Invalid
    statement (column 1)" on line 1, where the performer sees nothing wrong."""
    from vj.focus.store import set_focus
    from vj.setlist import load_setlist

    src = tmp_path / "src"
    make_clip(src / "alpha.mp4", seed=1)
    make_clip(src / "new" / "beta.mp4", seed=2)
    bank = tmp_path / "banks" / "b"
    bank.mkdir(parents=True)
    old = f'\ufeff[[clips]]\nid = "alpha"\nfile = "{src / "alpha.mp4"}"\nenergy = 0.9\n'
    (bank / "bank.toml").write_text(old, encoding="utf-8")
    assert load_bank("b", banks_dir=tmp_path / "banks").clip("alpha").energy == 0.9
    assert check_bank("b", banks_dir=tmp_path / "banks", deep=False) == []
    result = import_bank(src, "b", banks_dir=tmp_path / "banks")
    text = (bank / "bank.toml").read_text(encoding="utf-8")
    assert result.added == ("beta",) and text.startswith("\ufeff[[clips]]\n# focus: ")  # under line 1
    assert 'energy = 0.9' in text and "focus = [0.250, 0.750]" in set_focus(text, {0: (0.25, 0.75)})
    setlist = tmp_path / "set.toml"
    setlist.write_text('\ufeff[[songs]]\ntitle = "One"\nbank = "b"\n', encoding="utf-8")
    assert load_setlist(setlist, banks_dir=tmp_path / "banks").songs[0].title == "One"


def test_a_bank_toml_with_windows_line_endings_keeps_them(tmp_path: Path, make_clip) -> None:
    """A bank.toml saved by a Windows editor (CRLF): an import's merge and Ctrl+S's focus wrote every line of
    it back with LF (the text was read with its line endings translated), and appended LF clips."""
    from vj.focus.store import write_focus

    src = tmp_path / "src"
    make_clip(src / "alpha.mp4", seed=1)
    make_clip(src / "new" / "beta.mp4", seed=2)
    toml = tmp_path / "banks" / "b" / "bank.toml"
    toml.parent.mkdir(parents=True)
    old = f'# my notes\r\n[[clips]]\r\nid = "alpha"\r\nfile = "{src / "alpha.mp4"}"\r\nenergy = 0.9\r\n'.encode()
    toml.write_bytes(old)
    assert import_bank(src, "b", banks_dir=tmp_path / "banks").added == ("beta",)
    raw = toml.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") and raw.startswith(b"# my notes\r\n[[clips]]\r\n")
    assert [x for x in old.split(b"\r\n") if x and x in raw.split(b"\r\n")] == [x for x in old.split(b"\r\n") if x]
    write_focus(toml, {0: (0.25, 0.75)})
    raw = toml.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") and b"focus = [0.250, 0.750]" in raw


def test_a_track_inserted_beside_a_hand_set_focus_says_the_hand_wins(tmp_path: Path, make_clip) -> None:
    """The comment above an inserted track said "write focus = [x, y] to set it by hand" right above the
    performer's own focus line, as if it were not in use."""
    src = tmp_path / "src"
    make_clip(src / "alpha.mp4", seed=1)
    make_clip(src / "beta.mp4", seed=2)
    toml = tmp_path / "banks" / "b" / "bank.toml"
    toml.parent.mkdir(parents=True)
    toml.write_text(f'[[clips]]\nfile = "{src / "alpha.mp4"}"\nfocus = [0.2, 0.3]\n\n'
                    f'[[clips]]\nfile = "{src / "beta.mp4"}"\n')
    import_bank(src, "b", banks_dir=tmp_path / "banks")
    said = [x for x in toml.read_text().splitlines() if x.startswith("# focus:")]
    assert len(said) == 2, said
    assert "set by hand in this table (it wins)" in said[0] and "delete the focus line" in said[0], said
    assert "write focus = [x, y] to set it by hand" in said[1], said       # beta has no focus of its own


def test_merge_avoids_ids_already_taken(src: Path, tmp_path: Path, make_clip) -> None:
    banks = tmp_path / "banks"
    import_bank(src, "b", banks_dir=banks)
    make_clip(src / "other" / "alpha.mp4", seed=5)  # same stem as an existing clip
    result = import_bank(src, "b", banks_dir=banks)
    assert result.added == ("alpha-2",)
    assert load_bank("b", banks_dir=banks).clip("alpha-2").file == src / "other" / "alpha.mp4"


def test_force_refuses_without_confirmation(src: Path, tmp_path: Path) -> None:
    banks = tmp_path / "banks"
    toml = import_bank(src, "b", banks_dir=banks).toml
    toml.write_text(toml.read_text() + "# hand edit\n")
    before = toml.read_bytes()

    with pytest.raises(VjError) as no_tty:
        import_bank(src, "b", banks_dir=banks, force=True, ask=None)
    assert "without confirmation" in str(no_tty.value) and "terminal" in str(no_tty.value)
    assert toml.read_bytes() == before

    asked: list[str] = []
    with pytest.raises(VjError, match="answered no"):
        import_bank(src, "b", banks_dir=banks, force=True, ask=lambda q: asked.append(q) or False)
    assert asked and str(toml) in asked[0]
    assert toml.read_bytes() == before

    result = import_bank(src, "b", banks_dir=banks, force=True, ask=lambda q: True)
    assert result.rewritten and "# hand edit" not in toml.read_text()
    assert result.added == ("alpha", "beta")


def test_import_errors_are_located(tmp_path: Path) -> None:
    with pytest.raises(VjError, match="no such folder"):
        import_bank(tmp_path / "nope", "x", banks_dir=tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(VjError, match="no video files"):
        import_bank(tmp_path / "empty", "x", banks_dir=tmp_path)
    with pytest.raises(VjError, match="not a valid bank name"):
        import_bank(tmp_path / "empty", "../evil", banks_dir=tmp_path)


# ---- check -----------------------------------------------------------------------------------

BAD_BANK = """\
[bank]
format = 1
colour = "red"

[[clips]]
id = "one"
file = "clips/good.mp4"
focus = [1.5, 0.5]
energy = "high"
speed = 2

[[clips]]
id = "one"
file = "clips/other.mp4"
in = 0.8
out = 0.4
loop = "bounce"

[[clips]]
file = "clips/good.mp4"
out = 5.0

[[clips]]
file = "clips/missing.mp4"

[[clips]]
file = "clips/noise.mp4"

[[clips]]
file = "clips/trunc.mp4"

[[clips]]
file = "clips/trunc_fs.mp4"

[[clips]]
file = "clips/other.mp4"
tags = "neon"
energy = 1.5
"""


@pytest.fixture
def bad_bank(tmp_path: Path, make_clip) -> Path:
    bank = tmp_path / "banks" / "bad"
    clips = bank / "clips"
    make_clip(clips / "good.mp4")
    make_clip(clips / "other.mp4", seed=1)
    # fixed noise: about 1 in 75 random byte strings happens to open as some (video-less) format
    (clips / "noise.mp4").write_bytes(np.random.default_rng(7).integers(0, 256, 3000, dtype=np.uint8).tobytes())
    truncate(make_clip(clips / "trunc.mp4", seed=2))  # index at the end: cannot even be opened
    truncate(make_clip(clips / "trunc_fs.mp4", seed=3, faststart=True))  # opens; only decoding finds it
    (bank / "bank.toml").write_text(BAD_BANK)
    return bank


def test_check_lists_every_problem_with_line_clip_and_field(bad_bank: Path) -> None:
    problems = check_bank("bad", banks_dir=bad_bank.parent)
    t = BAD_BANK
    expected = {  # (line, clip, field) -> a word the message must contain
        (line_of(t, "colour"), None, "colour"): "unknown key",
        (line_of(t, "focus = [1.5"), "one", "focus"): "outside 0..1",
        (line_of(t, 'energy = "high"'), "one", "energy"): "expected a number",
        (line_of(t, "speed"), "one", "speed"): "unknown key",
        (line_of(t, 'id = "one"', 1), "one", "id"): "duplicate id",
        (line_of(t, "out = 0.4"), "one", "out"): "not after in",
        (line_of(t, "bounce"), "one", "loop"): "not one of",
        (line_of(t, "out = 5.0"), "good", "out"): "past the end",
        (line_of(t, "missing.mp4"), "missing", "file"): "not found",
        (line_of(t, "noise.mp4"), "noise", "file"): "cannot open",
        (line_of(t, "trunc.mp4"), "trunc", "file"): "cannot open",
        (line_of(t, "trunc_fs.mp4"), "trunc_fs", "file"): "truncated",
        (line_of(t, 'tags = "neon"'), "other", "tags"): "expected a list of strings",
        (line_of(t, "energy = 1.5"), "other", "energy"): "above 1.0",
    }
    got = {}
    for p in problems:
        assert p.path == bad_bank / "bank.toml" and p.fix, p
        assert "bank 'bad'" in p.where, p
        clip = p.where.split("clip '")[1].split("'")[0] if "clip '" in p.where else None
        field = p.where.split("field '")[1].split("'")[0]
        got[(p.line, clip, field)] = str(p)
    assert set(got) == set(expected) and len(problems) == len(expected), "\n".join(map(str, problems))
    for key, word in expected.items():
        assert word in got[key], got[key]
    assert "[bank]" in next(str(p) for p in problems if "colour" in p.where)


def test_quick_check_skips_decoding_and_load_raises_all(bad_bank: Path) -> None:
    quick = check_bank("bad", banks_dir=bad_bank.parent, deep=False)
    deep = check_bank(bad_bank, deep=True)
    assert len(deep) == len(quick) + 1  # only the truncated-but-openable clip needs a decode to find
    assert not any("trunc_fs" in p.where for p in quick)
    with pytest.raises(VjError) as err:
        load_bank(bad_bank / "bank.toml")
    assert len(err.value.problems) == len(quick)


def test_check_reports_syntax_error_line_and_missing_bank(tmp_path: Path) -> None:
    bank = tmp_path / "b"
    bank.mkdir()
    (bank / "bank.toml").write_text('[bank]\nformat = 1\n\n[[clips]]\nfile = "a.mp4\n')
    (problem,) = check_bank(bank)
    assert problem.line == 5 and "syntax" in problem.message and problem.fix
    (missing,) = check_bank("nope", banks_dir=tmp_path)
    assert "bank 'nope'" in str(missing) and "vj bank import" in missing.fix


def test_unknown_key_suggests_the_right_one(tmp_path: Path, make_clip) -> None:
    bank = tmp_path / "b"
    make_clip(bank / "a.mp4")
    (bank / "bank.toml").write_text('[[clips]]\nfile = "a.mp4"\nfocuss = [0.1, 0.1]\nin_point = 0.2\n')
    problems = {p.line: p for p in check_bank(bank)}
    assert "did you mean 'focus'" in problems[3].fix
    assert "did you mean 'in'" in problems[4].fix


# ---- probe cache -----------------------------------------------------------------------------

def test_fresh_cache_opens_no_clip_file(src: Path, tmp_path: Path, monkeypatch) -> None:
    banks = tmp_path / "banks"
    import_bank(src, "b", banks_dir=banks)
    original = load_bank("b", banks_dir=banks)

    opened: list[str] = []
    real_open = av.open

    def counting_open(file, *a, **kw):  # passes through: counts, does not fake results
        opened.append(str(file))
        return real_open(file, *a, **kw)

    monkeypatch.setattr(vj.probe.av, "open", counting_open)
    # Replace the clips' bytes with garbage of the same size and mtime: any open would fail.
    for clip in original.clips:
        st = clip.file.stat()
        clip.file.write_bytes(np.random.default_rng(1).integers(0, 256, st.st_size, dtype=np.uint8).tobytes())
        os.utime(clip.file, ns=(st.st_atime_ns, st.st_mtime_ns))
    cached = load_bank("b", banks_dir=banks)
    assert opened == []
    assert cached == original

    # a changed mtime invalidates the entry: the file is opened and found broken
    alpha = cached.clip("alpha").file
    os.utime(alpha, ns=(alpha.stat().st_atime_ns, alpha.stat().st_mtime_ns + 1_000_000))
    with pytest.raises(VjError) as err:
        load_bank("b", banks_dir=banks)
    assert opened == [str(alpha)]
    assert "clip 'alpha'" in str(err.value)


# ---- model -----------------------------------------------------------------------------------

def test_clip_end_length_and_lookup(src: Path, tmp_path: Path) -> None:
    import_bank(src, "b", banks_dir=tmp_path)
    bank = load_bank(tmp_path / "b")
    alpha = bank.clip("alpha")
    assert alpha.end == alpha.probe.duration and alpha.length == alpha.probe.duration
    assert Clip(id="x", file=Path("/x"), in_point=1.0, out_point=3.0).length == 2.0
    assert Clip(id="x", file=Path("/x")).end is None
    with pytest.raises(KeyError):
        bank.clip("alpah")
    with pytest.raises(ClipNotFound, match="did you mean 'alpha'"):
        bank.clip("alpah")
    assert isinstance(bank, Bank) and bank.name == "b"


def test_colour_mapping() -> None:
    assert colour_of(2, 0, "yuv420p", 360) == ("bt601", "limited")  # untagged SD
    assert colour_of(2, 0, "yuv420p", 1080) == ("bt709", "limited")  # untagged HD
    assert colour_of(1, 1, "yuv420p", 360) == ("bt709", "limited")  # tag wins over size
    assert colour_of(6, 2, "yuv420p", 1080) == ("bt601", "full")
    assert colour_of(2, 0, "yuvj420p", 480) == ("bt601", "full")  # JPEG pixel format


def test_probe_reads_colour_tags(tmp_path: Path, make_clip) -> None:
    info = vj.probe.probe(make_clip(tmp_path / "c.mp4", colorspace=1, color_range=2))
    assert (info.colorspace, info.color_range) == ("bt709", "full")


# ---- demo bank -------------------------------------------------------------------------------

@dataclass(frozen=True)
class FakeDemoClip:  # same fields as vj.demo.scenes.DemoClip
    file: str
    prompt: str
    tags: tuple[str, ...]
    focus: tuple[float, float]
    energy: float


def test_build_demo_bank_carries_metadata_and_is_idempotent(tmp_path: Path, make_clip) -> None:
    calls: list[tuple] = []

    def render(dest: Path, *, size, seconds, fps, progress=None):
        calls.append((size, seconds, fps))
        make_clip(dest / "spiral.mp4", size=size, seconds=seconds, fps=fps)
        make_clip(dest / "bloom.mp4", size=size, seconds=seconds, fps=fps, seed=3)
        return [FakeDemoClip("spiral.mp4", "a spiral", ("geo", "fast"), (0.3, 0.6), 0.9),
                FakeDemoClip(str(dest / "bloom.mp4"), "a bloom", ("soft",), (0.5, 0.4), 0.2)]

    bank = build_demo_bank(tmp_path, size=(64, 36), seconds=0.5, fps=10, render=render)
    assert calls == [((64, 36), 0.5, 10)]
    spiral = bank.clip("spiral")
    assert (spiral.prompt, spiral.tags, spiral.focus, spiral.energy) == ("a spiral", ("geo", "fast"), (0.3, 0.6), 0.9)
    assert spiral.file == tmp_path / "demo" / "clips" / "spiral.mp4" and spiral.preview is not None
    assert 'file = "clips/spiral.mp4"' in bank.toml.read_text()  # relative inside the bank: the folder can move
    assert bank.clip("bloom").probe.duration == pytest.approx(0.5, abs=0.11)

    again = build_demo_bank(tmp_path, size=(64, 36), seconds=0.5, fps=10, render=render)
    assert len(calls) == 1 and again == bank
    build_demo_bank(tmp_path, size=(64, 36), seconds=0.5, fps=12, render=render)
    build_demo_bank(tmp_path, size=(64, 36), seconds=0.5, fps=12, render=render, force=True)
    assert len(calls) == 3


def test_build_demo_bank_never_replaces_a_bank_of_ones_own_named_demo(tmp_path: Path, make_clip) -> None:
    """`vj bank import ~/clips --name demo` (or a hand-written banks/demo) is the user's: `vj bank demo` (and
    `make run`) used to delete its clips/ folder and write the demo's bank.toml over it, asking nothing."""
    own = tmp_path / "demo"
    make_clip(own / "clips" / "mine.mp4", size=(64, 36), seconds=0.5, fps=10)
    text = '# my own bank\n[[clips]]\nfile = "clips/mine.mp4"\nprompt = "my clip"\n'
    (own / "bank.toml").write_text(text)
    calls: list[Path] = []

    def render(dest: Path, *, size, seconds, fps, progress=None):
        calls.append(dest)
        return []

    for force in (False, True):
        with pytest.raises(VjError) as err:
            build_demo_bank(tmp_path, size=(64, 36), seconds=0.5, fps=10, render=render, force=force)
        assert "not the demo bank" in str(err.value) and "--banks-dir" in str(err.value)
    assert calls == [] and (own / "bank.toml").read_text() == text and (own / "clips" / "mine.mp4").is_file()
