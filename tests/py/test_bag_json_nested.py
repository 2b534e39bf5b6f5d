#!/usr/bin/python3
"""JSON lines whose records nest objects (the GitHub archive's {"actor": {"login": ...}}),
against Dask's bag (Debian's python3-dask) reading them as read_text(...).map(json.loads):
pluck of an object (a bag of records) and pluck chains, x.actor.login and three levels deep
in map, filter and foldby, pluck of a nested field with a default, db.print of nested
records as Python's dicts, count, to_dataframe of a plucked object, read_text(...):map(db.json).
The files: three of them read as a glob, keys in random orders at every level, unicode and
escapes in values and in nested keys (the keys they spell), objects null or
absent in some records; eight keys deep. cdask reads a nested field where its object is null
or absent as a top-level field that a record lacks: None for a str, NaN for numbers
(float64), the default of pluck(key, default); Dask raises TypeError or KeyError there, so
the oracle reads those records with dict.get. Every result equals Dask's for blocks of 300
bytes and the default, on 1, 2 and 3 threads. Errors: an array of objects plucked (at the top
and nested), an object nested deeper than 8 keys, frequencies and distinct of records (Dask's
TypeError: unhashable), to_dataframe of records with objects, pluck's default for an object
(at the script's line); a nested int every sampled record had that a later one lacks, an
object that a later record holds as a string (exit 3, file:line, nothing printed)."""

import json
import math
import os
import random
import sys
from operator import add

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_bag_json as tbj  # noqa: E402

R = tbj.R  # tbj.run_error records its checks there
dask.config.set(scheduler="sync")

LOGINS = ["alice", "bob", "é\"q", "tab\there", "new\nline", "😀", "back\\slash", "ünï"]
REPOS = ["a/b", "c/d", "é/ü", "x/y"]


def write_jsonl(d, rng, record, rows, open_end=False):
    """ev0.jsonl .. ev2.jsonl in d: rows records each (record(rng, i)), ASCII-escaped or not,
    with or without spaces, a tenth of the lines ended by CRLF; open_end: the last file's last
    line without its newline"""
    for f in range(3):
        lines = []
        for i in range(rows):
            text = json.dumps(record(rng, f * 1000 + i), ensure_ascii=rng.random() < 0.5,
                              separators=rng.choice([(",", ":"), (", ", ": ")]))
            lines.append(text + rng.choice(["\n"] * 9 + ["\r\n"]))
        text = "".join(lines)
        if open_end and f == 2:
            text = text.rstrip("\r\n")
        with open(os.path.join(d, "ev%d.jsonl" % f), "w", encoding="utf-8", newline="") as out:
            out.write(text)


def shuffled(rng, obj):
    """obj with its keys (and its nested objects' keys) in a random order"""
    if not isinstance(obj, dict):
        return obj
    keys = list(obj)
    rng.shuffle(keys)
    return {k: shuffled(rng, obj[k]) for k in keys}


def record(rng, i):
    rec = {"id": i, "type": rng.choice(["PushEvent", "WatchEvent", "Événement"]),
           "actor": {"login": rng.choice(LOGINS), "id": rng.randint(1, 50),
                     "display": {"name": rng.choice(LOGINS), "score": rng.uniform(-5, 5),
                                 "deep": {"lvl": rng.randint(0, 3)}}},
           "repo": {"name": rng.choice(REPOS), "id": rng.randint(100, 110)},
           "tags": [1, {"x": "}"}]}
    r = rng.random()
    if r < 0.06:
        rec["actor"] = None
    elif r < 0.12:
        del rec["actor"]
    elif r < 0.2:
        rec["actor"]["display"] = None
    elif r < 0.25:
        del rec["actor"]["display"]
    return shuffled(rng, rec)


def make(d, rng):
    for f in range(3):
        lines = []
        for i in range(700):
            text = json.dumps(record(rng, f * 1000 + i), ensure_ascii=rng.random() < 0.5,
                              separators=rng.choice([(",", ":"), (", ", ": ")]))
            lines.append(text + rng.choice(["\n"] * 9 + ["\r\n"]))
        with open(os.path.join(d, "ev%d.jsonl" % f), "w", encoding="utf-8", newline="") as out:
            out.write("".join(lines))


def actor(r):
    return r.get("actor") or {}


def display(r):
    return actor(r).get("display") or {}


# (label, Lua over record bag r, Python over Dask bag r of dicts)
OPS = [
    ("actors", 'r:pluck("actor")', lambda r: r.map(lambda x: x.get("actor"))),
    ("repos", 'r:pluck("repo")', lambda r: r.pluck("repo")),
    ("repo_names", 'r:pluck("repo"):pluck("name")', lambda r: r.pluck("repo").pluck("name")),
    ("logins", 'r:pluck("actor"):pluck("login")', lambda r: r.map(lambda x: actor(x).get("login"))),
    ("logins_map", "r:map(function(x) return x.actor.login end)",
     lambda r: r.map(lambda x: actor(x).get("login"))),
    ("actor_ids", 'r:pluck("actor"):map(function(a) return a.id end):filter('
     "function(v) return v:notna() end)",
     lambda r: r.map(lambda x: actor(x).get("id")).filter(lambda v: v is not None)),
    ("actor_ids_default", 'r:pluck("actor"):pluck("id", -1)',
     lambda r: r.map(lambda x: actor(x).get("id", -1))),
    ("displays", 'r:pluck("actor"):pluck("display")',
     lambda r: r.map(lambda x: actor(x).get("display"))),
    ("names3", "r:map(function(x) return x.actor.display.name end)",
     lambda r: r.map(lambda x: display(x).get("name"))),
    ("lvl4", "r:map(function(x) return x.actor.display.deep.lvl:fillna(-1) end)",
     lambda r: r.map(lambda x: (display(x).get("deep") or {}).get("lvl", -1))),
    ("score_sum", 'r:pluck("actor"):pluck("display"):pluck("score"):filter('
     "function(s) return s:notna() end):sum()",
     lambda r: r.map(lambda x: display(x).get("score")).filter(lambda s: s is not None).sum()),
    ("filter_repo", 'r:filter(function(x) return x.repo.name:eq("é/ü") end):pluck("id")',
     lambda r: r.filter(lambda x: x["repo"]["name"] == "é/ü").pluck("id")),
    ("filter_records", 'r:filter(function(x) return x.repo.id:gt(107) end):pluck("repo")',
     lambda r: r.filter(lambda x: x["repo"]["id"] > 107).pluck("repo")),
    ("filtered_actors", 'r:pluck("actor"):filter(function(a) return a.login:eq("bob") end)',
     lambda r: r.map(lambda x: x.get("actor")).filter(
         lambda a: a is not None and a.get("login") == "bob")),
    ("foldby_repo", "r:foldby(function(x) return x.repo.name end, function(t, x) return t + 1 "
     "end, 0, function(a, b) return a + b end, 0)",
     lambda r: r.foldby(lambda x: x["repo"]["name"], lambda t, x: t + 1, 0, add, 0)),
    ("foldby_login", "r:filter(function(x) return x.actor.login:notna() end):foldby("
     "function(x) return x.actor.login end, function(t, x) return t + x.repo.id end, 0, "
     "function(a, b) return a + b end, 0)",
     lambda r: r.filter(lambda x: actor(x).get("login") is not None).foldby(
         lambda x: x["actor"]["login"], lambda t, x: t + x["repo"]["id"], 0, add, 0)),
    # (None is not counted, as of a top-level field: docs/bags.md, Differences from Dask)
    ("login_freq", 'r:pluck("actor"):pluck("login"):frequencies()',
     lambda r: r.map(lambda x: actor(x).get("login")).filter(lambda v: v is not None)
     .frequencies()),
    ("count_actors", 'r:pluck("actor"):count()', lambda r: r.count()),
    ("repo_frame", 'r:pluck("repo"):to_dataframe().id:sum()',
     lambda r: r.pluck("repo").to_dataframe()["id"].sum()),
]


def same(got, want):
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    if isinstance(want, float):
        return isinstance(got, float) and abs(got - want) <= 1e-9 * max(1.0, abs(want))
    if isinstance(want, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(want)
                and all(same(g, w) for g, w in zip(got, want)))
    return got == want


def check(d, label, bag_lua):
    prelude = 'local db = require("cdask.bag")\nlocal r = %s' % bag_lua

    def bag():
        return dbag.read_text(os.path.join(d, "ev*.jsonl")).map(json.loads)
    tl.check_bag_ops(R, d, label, prelude, OPS, bag, same, threads=("1", "2", "3"))



def deep_record(n):
    rec = {"v": 1}
    for k in reversed("abcdefghij"[:n]):
        rec = {k: rec}
    return rec


def main():
    d = tl.tempdir("bagjsonnested")
    try:
        make(d, random.Random(7))
        check(d, "read_json_lines", 'db.read_json_lines("ev*.jsonl")')
        check(d, "blocks of 300 bytes", 'db.read_json_lines("ev*.jsonl", {blocksize = 300})')
        check(d, "map(db.json)", 'db.read_text("ev*.jsonl", {blocksize = 300}):map(db.json)')
        # eight keys deep is read; the object at the eighth key is refused
        tl.write(os.path.join(d, "deep8.jsonl"), json.dumps(deep_record(7)) + "\n")
        exe, r = tl.build_program(
            'local db = require("cdask.bag")\nlocal r = db.read_json_lines("deep8.jsonl")\n'
            'db.print(r:map(function(x) return x.a.b.c.d.e.f.g.v end), "v")\n'
            'db.print(r:pluck("a"):pluck("b"), "b")\n', d)
        if R.check(exe is not None, "eight keys deep: compiles", tl.short(r.stderr)):
            rec = deep_record(7)
            tl.check_printed(R, exe, d, {"v": [1], "b": [rec["a"]["b"]]}, "eight keys deep")
        # nested keys with escapes: the keys they spell, read as their siblings are
        esc = '{"n": 1, "o": {"\\u00e9": 1, "k": 2, "q\\"": {"z": 3}}}\n'
        tl.write(os.path.join(d, "esc.jsonl"), esc)
        exe, r = tl.build_program(
            'local db = require("cdask.bag")\nlocal r = db.read_json_lines("esc.jsonl")\n'
            'db.print(r:pluck("o"):pluck("k"), "k")\ndb.print(r:pluck("o"), "o")\n'
            'db.print(r:pluck("o"):pluck("é"), "e")\n'
            'db.print(r:pluck("o"):pluck(\'q"\'):pluck("z"), "z")\n', d)
        if R.check(exe is not None, "nested keys with escapes: compiles", tl.short(r.stderr)):
            rec = json.loads(esc)
            tl.check_printed(R, exe, d, {"k": [rec["o"]["k"]], "o": [rec["o"]],
                                         "e": [rec["o"]["é"]], "z": [rec["o"]['q"']["z"]]},
                             "nested keys with escapes")
        tl.write(os.path.join(d, "deep.jsonl"), json.dumps(deep_record(9)) + "\n")
        # past the sample: an int every sampled record had, an object held as a string
        good = "".join(json.dumps(record(random.Random(i), i)) + "\n" for i in range(1500))
        lacks = {"actor": {"login": "z"}, "repo": {"name": "a/b"}}
        tbj.run_error(d, "late_missing.jsonl", (good + json.dumps(lacks) + "\n").encode(),
                      'local r = db.read_json_lines("late_missing.jsonl")\n'
                      'db.print(r:pluck("repo"):pluck("id"):sum(), "s")\n',
                      "late_missing.jsonl:1501: the record has no field 'repo.id' (or it is null)")
        tbj.run_error(d, "late_string.jsonl",
                      (good + '{"repo": "a/b", "actor": null}\n').encode(),
                      'local r = db.read_json_lines("late_string.jsonl")\n'
                      'db.print(r:map(function(x) return x.repo.name end), "s")\n',
                      "late_string.jsonl:1501: field 'repo': cannot read '\"a/b\"' as an object")
        prelude = ('local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
                   'local r = db.read_json_lines("ev0.jsonl")\n')
        arrays = ("holds arrays of objects and other values, which is not supported yet "
                  "(Dask's records would hold them)")
        tl.check_script_errors(R, d, prelude, [
            ("array", 'r:pluck("tags")', "field 'tags' " + arrays),
            ("array traced", "r:map(function(x) return x.tags end)", "field 'tags' " + arrays),
            ("too deep", 'db.read_json_lines("deep.jsonl"):map(function(x) return '
             "x.a.b.c.d.e.f.g.h.i.v end)",
             "field 'a.b.c.d.e.f.g.h' is an object nested deeper than 8 keys "
             "(CDRT_JSON_MAX_DEPTH), which is not supported yet (Dask's records would hold "
             "them)"),
            ("unknown nested", 'r:pluck("actor"):pluck("nope")',
             "pluck: no record of the first ones has a field 'nope'"),
            ("frequencies of records", 'r:pluck("actor"):frequencies()',
             "frequencies of a bag of records (JSON objects): Dask raises TypeError: unhashable "
             "type: 'dict'; pluck a field first"),
            ("distinct of records", 'r:pluck("repo"):distinct()',
             "distinct of a bag of records (JSON objects): Dask raises TypeError: unhashable "
             "type: 'dict'; pluck a field first"),
            ("default of an object", 'r:pluck("actor", 0)',
             "pluck: a default for field 'actor', a nested object, is not supported yet"),
        ])
        tl.write(os.path.join(d, "fixed.jsonl"), '{"n": 1, "tags": [1], "actor": {"id": 2}}\n')
        tl.check_script_errors(R, d, prelude, [
            ("to_dataframe", 'db.read_json_lines("fixed.jsonl"):to_dataframe()',
             "to_dataframe of records with a field that is a nested object or an array "
             "('actor') is not supported: pandas keeps each as a dict or list in a column of "
             "objects; pluck the object (b:pluck(\"actor\"):to_dataframe()) or map its fields "
             "first"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
