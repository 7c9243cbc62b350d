"""The references name every key their readers accept: docs/SETLISTS.md the setlist's, docs/BANKS.md the bank's.

The readers' tables (``vj.setlist.SETLIST_FIELDS``, ``SONG_FIELDS``, ``SECTION_FIELDS``;
``vj.bank.schema.BANK_FIELDS``, ``CLIP_FIELDS``) are what a file may say; a key added there and not to
the reference is one a performer never learns of. docs/MIDI.md names every key of a MIDI map
(``vj.control.midi_map``), in its example file or its text.
"""

from __future__ import annotations

import re
from pathlib import Path

from vj.bank.schema import BANK_FIELDS, CLIP_FIELDS
from vj.control import midi_map
from vj.docs import spell_option
from vj.setlist import SECTION_FIELDS, SETLIST_FIELDS, SONG_FIELDS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _table_keys(text: str, heading: str) -> set[str]:
    """The `key`s in the first column of the markdown table that follows ``heading``."""
    start = text.index(heading)
    lines = text[start:].splitlines()[1:]
    keys, in_table = set(), False
    for line in lines:
        if line.startswith("|"):
            in_table = True
            m = re.match(r"\|\s*`([a-z_]+)`", line)
            if m:
                keys.add(m.group(1))
        elif in_table and line.strip() and not line.startswith("<!--"):
            break
    return keys


def test_every_setlist_song_and_section_key_is_in_the_reference():
    text = (DOCS / "SETLISTS.md").read_text()
    setlist = _table_keys(text, "`[setlist]` (optional)")
    song = _table_keys(text, "`[[songs]]` (one table per song") | _table_keys(text, "<!-- BEGIN settings")
    section = _table_keys(text, "`[[songs.sections]]` (under a song")
    assert {f.key for f in SETLIST_FIELDS} - setlist == set()
    assert {f.key for f in SONG_FIELDS} - {"sections"} - song == set()
    # a section's show settings are the song's, marked "in sections" in the song's settings table
    assert {f.key for f in SECTION_FIELDS} - song - section == set()
    assert {"effects", "transition", "cue", "blackout", "bar", "time"} <= section


def test_every_bank_and_clip_key_is_in_the_reference():
    text = (DOCS / "BANKS.md").read_text()
    clip = _table_keys(text, "One `[[clips]]` table per clip")
    assert {f.key for f in CLIP_FIELDS} - clip == set()
    bank_line = next(line for line in text.splitlines() if line.startswith("`[bank]` is optional"))
    assert all(f"`{f.key}`" in bank_line for f in BANK_FIELDS)


def test_every_midi_map_key_is_in_the_reference():
    text = (DOCS / "MIDI.md").read_text()
    keys = {f.key for f in midi_map.ROOT_FIELDS + midi_map.DEVICE_FIELDS}
    keys |= {f.key for fields in midi_map.KIND_FIELDS.values() for f in fields}
    missing = [k for k in sorted(keys)   # `key`, `key = ...`, key = (a TOML line) or [[key]]; not `key_longer`
               if not re.search(rf"`{k}[`\s=]", text) and not re.search(rf"^\[*\s*{k}\s*[=\]]", text, re.M)]
    assert missing == []


def test_the_generated_option_tables_read_the_same_on_every_python():
    """argparse lists ``--flag META, -f META`` up to Python 3.12 and ``--flag, -f META`` from 3.13: the tables
    (a CI check compares them with docs/) must not depend on which one runs."""
    old, new = "--audio-device AUDIO_DEVICE, -d AUDIO_DEVICE", "--audio-device, -d AUDIO_DEVICE"
    assert spell_option(old) == spell_option(new) == "`--audio-device`, `-d` `AUDIO_DEVICE`"
    assert spell_option("--midi [PORT|all]") == "`--midi` `[PORT\\|all]`" and spell_option("--mute") == "`--mute`"
