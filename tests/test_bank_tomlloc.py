"""tomlloc: line numbers of tables and keys, even where a naive line scan would be fooled."""

from __future__ import annotations

import tomllib
from pathlib import Path

from vj.tomlloc import Field, LineIndex, parse, read_table, toml_string

TRICKY = '''\
# [[clips]] in a comment
title = "x"  # [[clips]]
[bank]
format = 1
[[clips]]
file = "a.mp4"
prompt = """
[[clips]]
energy = 3
"""
tags = [
  "a",
  "[[clips]]",  # energy = 1
]
 [[ clips ]]   # second
"file" = 'b'
focus.x = 1
[[clips]]
'''


def test_tables_and_keys_are_found_past_strings_comments_and_arrays() -> None:
    assert tomllib.loads(TRICKY)["clips"][0]["prompt"].startswith("[[clips]]")  # the fixture is valid TOML
    li = LineIndex(TRICKY)
    assert [li.table("clips", i) for i in range(3)] == [5, 15, 18]
    assert li.table("clips", 3) is None
    assert li.key("tags", "clips", 0) == 11
    assert li.key("energy", "clips", 0) == 5  # absent (it is inside a string): falls back to the table line
    assert li.key("file", "clips", 1) == 16  # quoted key
    assert li.key("focus", "clips", 1) == 17  # dotted key
    assert li.key("title") == 2 and li.key("format", "bank") == 4 and li.table("bank") == 3
    assert li.key("clips") == 5  # a root name written as [[clips]]


def test_parse_error_has_line() -> None:
    data, problem = parse(Path("x.toml"), 'a = 1\nb = [1,\n2\nc = 3\n')
    assert data is None and problem is not None and problem.line == 4 and "syntax" in problem.message


def test_read_table_reports_everything_and_keeps_defaults() -> None:
    text = 'a = "s"\nb = true\nzz = 1\n'
    fields = (Field("a", int, 0), Field("b", float, 1.5), Field("c", str), Field("d", list, (), item=str))
    values, problems = read_table(tomllib.loads(text), fields, path=Path("t.toml"), lines=LineIndex(text),
                                  table="", index=None, where="t")
    assert values == {"a": 0, "b": 1.5, "d": ()}  # wrong types fall back to defaults; bools are not numbers
    assert sorted((p.line, p.message.split(",")[0]) for p in problems if p.line) == [
        (1, "expected an integer"), (2, "expected a number"), (3, "unknown key 'zz'.")]
    assert any("missing required key 'c'" in p.message for p in problems)


def test_toml_string_round_trips() -> None:
    s = 'quote " back \\ tab \t newline \n bell \x07 unicode é'
    assert tomllib.loads(f"k = {toml_string(s)}")["k"] == s
