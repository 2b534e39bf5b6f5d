#!/usr/bin/python3
"""JSON lines and fold/foldby against Dask's bag (Debian's python3-dask), which reads them as
read_text(...).map(json.loads): db.read_json_lines and read_text(...):map(db.json) with
fields sniffed from the first records (ints, floats, bools, strings with escapes, \\u and
surrogate pairs, unicode, nulls, fields some records lack, nested objects and arrays that
are skipped when not used), CRLF line ends; pluck (with a default), filter and map on records, count,
frequencies, fold (sums, counts, math.max) and foldby (a field or a function as the key,
sums and counts), the GitHub-archive demo's pluck("type"):frequencies(). Every result equals
Dask's for blocks of 100 bytes, 4 kB and the default, on 1 and 3 threads; a float past the
largest double is inf, as json.loads reads it; keys written with escapes ("t\\u0079pe") are
the keys they spell, in the sample and past it. Errors: malformed
JSON past the sample (a key not in double quotes too), a value of another type and a field
every sampled record had (exit 3, file:line, what to do, nothing printed), malformed JSON in
the sample, an array of objects, frequencies of lists, an unknown field, and folds not
supported yet (at the script's line).
A bool field some records lack: pluck's default and fillna as Dask's pluck(key, default)
and x.get, isna; its other uses are errors at the script's line."""

import json
import os
import random
import sys
from operator import add

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
dask.config.set(scheduler="sync")

TYPES = ["PushEvent", "WatchEvent", "IssuesEvent", "ForkEvent", "PullRequestEvent", "Événement"]
REPOS = ["a/b", "c/d", "é/ü", 'q"uote', "tab\there", "new\nline", "😀/x", "back\\slash"]


def make(d, rng):
    lines = []
    for i in range(3000):
        rec = {"id": i, "index": i % 7, "type": rng.choice(TYPES), "size": rng.randint(-5, 40),
               "score": round(rng.uniform(-50, 50), rng.randint(0, 4)),
               "public": rng.random() < 0.7, "repo": rng.choice(REPOS),
               "actor": {"login": "u%d" % rng.randint(0, 9), "tags": [1, {"x": "}"}]},
               "list": [rng.randint(0, 3)] * rng.randint(0, 3)}
        if rng.random() < 0.1:
            rec["note"] = rng.choice(["x", "é", "with \"quotes\"", ""])
        if rng.random() < 0.05:
            rec["score"] = None
        keys = list(rec)
        rng.shuffle(keys)
        text = json.dumps({k: rec[k] for k in keys}, ensure_ascii=rng.random() < 0.5,
                          separators=rng.choice([(",", ":"), (", ", ": ")]))
        lines.append(text + rng.choice(["\n"] * 9 + ["\r\n"]))
    with open(os.path.join(d, "ev.jsonl"), "w", encoding="utf-8", newline="") as f:
        f.write("".join(lines))


def notnone(b):
    return b.filter(lambda v: v is not None)


# (label, Lua over record bag r, Python over Dask bag r of dicts)
OPS = [
    ("types", 'r:pluck("type"):frequencies()', lambda r: r.pluck("type").frequencies()),
    ("types_sorted", 'r:pluck("type"):frequencies(true)',
     lambda r: r.pluck("type").frequencies(sort=True)),
    ("count", "r:count()", lambda r: r.count()),
    ("repos", 'r:pluck("repo"):distinct()', lambda r: r.pluck("repo").distinct()),
    ("notes", 'r:pluck("note", "none"):frequencies()', lambda r: r.pluck("note", "none").frequencies()),
    # (a bool field every record has: its default is never used, the bools stay bools)
    ("public_default", 'r:pluck("public", false):frequencies()',
     lambda r: r.pluck("public", False).frequencies()),
    ("push_sizes", 'r:filter(function(x) return x.type:eq("PushEvent") end):pluck("size"):sum()',
     lambda r: r.filter(lambda x: x["type"] == "PushEvent").pluck("size").sum()),
    ("public_ids", 'r:filter(function(x) return x.public end):pluck("id"):max()',
     lambda r: r.filter(lambda x: x["public"]).pluck("id").max()),
    ("mapped", "r:map(function(x) return x.size * 3 - x.id end):sum()",
     lambda r: r.map(lambda x: x["size"] * 3 - x["id"]).sum()),
    ("scores", 'r:pluck("score"):filter(function(s) return s:notna() end):max()',
     lambda r: notnone(r.pluck("score")).max()),
    ("fold_sum", 'r:pluck("size"):fold(function(t, x) return t + x end)',
     lambda r: r.pluck("size").fold(add)),
    ("fold_sq", 'r:pluck("size"):fold(function(t, x) return t + x * x end, '
     "function(a, b) return a + b end, 0)",
     lambda r: r.pluck("size").fold(lambda t, x: t + x * x, add, 0)),
    ("fold_count", "r:fold(function(t, x) return t + 1 end, function(a, b) return a + b end, 0)",
     lambda r: r.fold(lambda t, x: t + 1, add, 0)),
    ("fold_max", 'r:pluck("size"):fold(math.max)', lambda r: r.pluck("size").fold(max)),
    # fields named as pandas' attributes (size, index) are the record's, as x["size"]
    ("index_sum", "r:map(function(x) return x.index + x.size end):sum()",
     lambda r: r.map(lambda x: x["index"] + x["size"]).sum()),
    ("foldby_sum", 'r:foldby("type", function(t, x) return t + x.size end, 0, '
     "function(a, b) return a + b end, 0)",
     lambda r: r.foldby("type", lambda t, x: t + x["size"], 0, add, 0)),
    ("foldby_count", "r:foldby(function(x) return x.repo end, function(t, x) return t + 1 end, 0, "
     "function(a, b) return a + b end, 0)",
     lambda r: r.foldby(lambda x: x["repo"], lambda t, x: t + 1, 0, add, 0)),
    ("foldby_expr", 'r:foldby("public", function(t, x) return t + (x.size * 2 + 1) end, 0, '
     "function(a, b) return b + a end, 0)",
     lambda r: r.foldby("public", lambda t, x: t + (x["size"] * 2 + 1), 0, add, 0)),
]


def check(d, label, make_bag_lua, blocksize):
    opt = ", {blocksize = %d}" % blocksize if blocksize else ""
    lines = ['local db = require("cdask.bag")', "local r = %s" % (make_bag_lua % opt)]
    lines += ['db.print(%s, "%s")' % (lua, name) for name, lua, _ in OPS]
    exe, r = tl.build_program("\n".join(lines) + "\n", d)
    if not R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
        return
    bag = dbag.read_text(os.path.join(d, "ev.jsonl")).map(json.loads)
    tl.check_printed(R, exe, d, {name: py(bag).compute() for name, _, py in OPS}, label)


def run_error(d, name, text, script, want):
    tl.write(os.path.join(d, name), text, mode="wb")
    exe, r = tl.build_program('local db = require("cdask.bag")\n' + script, d)
    if not R.check(exe is not None, name + ": compiles", tl.short(r.stderr)):
        return
    p = tl.run([exe, "--out", d], cwd=d)
    R.check(p.returncode == 3 and p.stdout == "" and want in p.stderr,
            "%s: exit 3, nothing printed, %r" % (name, want),
            "exit %s, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr))


def make_flags(d, rng):
    """flags.jsonl: a bool "flag" that some records lack ({} lines among them), and an int "n" """
    lines = []
    for i in range(800):
        rec = {} if rng.random() < 0.1 else {"n": i % 7}
        if rng.random() < 0.7:
            rec["flag"] = rng.random() < 0.4
        lines.append(json.dumps(rec) + "\n")
    tl.write(os.path.join(d, "flags.jsonl"), "".join(lines))


def get_flag(default):
    return lambda x: x.get("flag", default)


# a bool field some sampled records lack: its default as Dask's pluck(key, default) gives it
FLAG_OPS = [
    ("flag_false", 'r:pluck("flag", false)', lambda r: r.pluck("flag", False)),
    ("flag_true_freq", 'r:pluck("flag", true):frequencies()',
     lambda r: r.pluck("flag", True).frequencies()),
    ("flag_fillna", "r:filter(function(x) return x.flag:fillna(false) end):count()",
     lambda r: r.filter(get_flag(False)).count()),
    ("flag_isna", "r:filter(function(x) return x.flag:isna() end):count()",
     lambda r: r.filter(lambda x: "flag" not in x).count()),
    ("flag_notna_any", 'r:remove(function(x) return x.flag:notna() end):pluck("flag", true):all()',
     lambda r: r.remove(lambda x: "flag" in x).pluck("flag", True).all()),
    ("flag_foldby", "r:foldby(function(x) return x.flag:fillna(true) end, "
     "function(t, x) return t + 1 end, 0, function(a, b) return a + b end, 0)",
     lambda r: r.foldby(get_flag(True), lambda t, x: t + 1, 0, add, 0)),
]


def check_missing_bools(d):
    make_flags(d, random.Random(7))
    bag = dbag.read_text(os.path.join(d, "flags.jsonl")).map(json.loads)
    for opt in ("", ", {blocksize = 300}", ', {sample = "all"}'):
        lines = ['local db = require("cdask.bag")',
                 'local r = db.read_json_lines("flags.jsonl"%s)' % opt]
        lines += ['db.print(%s, "%s")' % (lua, name) for name, lua, _ in FLAG_OPS]
        exe, r = tl.build_program("\n".join(lines) + "\n", d)
        label = "a bool some records lack%s" % opt
        if R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
            tl.check_printed(R, exe, d, {name: py(bag).compute() for name, _, py in FLAG_OPS}, label)
    why = ("field 'flag' is a bool that some records cdaskc sampled lack or hold as null (Dask "
           "gives KeyError or None there, which a bool cannot hold): give it a default, "
           "pluck(\"flag\", false), or x.flag:fillna(false) in a function")
    prelude = ('local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
               'local r = db.read_json_lines("flags.jsonl")\n')
    tl.check_script_errors(R, d, prelude, [
        ("pluck without a default", 'r:pluck("flag")', "pluck: " + why),
        ("map of the bool", "r:map(function(x) return x.flag end)", "map: " + why),
        ("filter by the bool", "r:filter(function(x) return x.flag & x.n:gt(2) end)",
         "filter: " + why),
        ("foldby the bool", 'r:foldby("flag", function(t, x) return t + 1 end, 0, '
         "function(a, b) return a + b end, 0)", "foldby: " + why),
        ("to_dataframe", "r:to_dataframe()", "to_dataframe: " + why),
        ("a default of another type", 'r:pluck("flag", 0)',
         "fillna: a int64 value for a Series of bool would change its dtype (not supported)"),
    ])


def check_unsampled_missing(d, good):
    """A field every sampled record had, missing past the sample: exit 3 and what to do"""
    for field, typ, fix in (("a", "int64", " (then it is float64, NaN where it is missing, as in "
                                           "pandas)"),
                            ("b", "bool", ' and pluck it with a default (pluck("b", false))')):
        name = "late_missing_%s.jsonl" % field
        run_error(d, name, good + b'{"s": "x"}\n',
                  'db.print(db.read_json_lines("%s"):pluck("%s"):count(), "n")\n' % (name, field),
                  "%s:1501: the record has no field '%s' (or it is null), but each of the 1000 "
                  "records cdaskc sampled (the first lines of %s) had it, so it was compiled as "
                  '%s: read the file with sample = "all"%s (db.read_json_lines at prog.lua:2)\n'
                  % (name, field, name, typ, fix))


def check_huge_floats(d):
    """A float field past the largest double (1e400) is inf, as json.loads reads it"""
    tl.write(os.path.join(d, "huge.jsonl"),
             '{"f": 1.5}\n{"f": 1e400}\n{"f": -2E999}\n{"f": 2.5}\n{"f": 1.7976931348623159e308}\n')
    ops = [("f", 'r:pluck("f")', lambda r: r.pluck("f")),
           ("max", 'r:pluck("f"):max()', lambda r: r.pluck("f").max()),
           ("min", 'r:pluck("f"):min()', lambda r: r.pluck("f").min()),
           ("big", 'r:filter(function(x) return x.f:gt(1e308) end):count()',
            lambda r: r.filter(lambda x: x["f"] > 1e308).count())]
    exe, r = tl.build_program('local db = require("cdask.bag")\n'
                              'local r = db.read_json_lines("huge.jsonl")\n' +
                              "".join('db.print(%s, "%s")\n' % (lua, n) for n, lua, _ in ops), d)
    if not R.check(exe is not None, "huge.jsonl: compiles", tl.short(r.stderr)):
        return
    bag = dbag.read_text(os.path.join(d, "huge.jsonl")).map(json.loads)
    want = "".join("%s = %r\n" % (n, py(bag).compute()) for n, _, py in ops)
    p = tl.run([exe, "--out", d], cwd=d)
    R.check(p.returncode == 0 and p.stdout == want, "1e400 in a float field: inf, as Dask",
            "exit %s, stdout %r, want %r, stderr %r" % (p.returncode, p.stdout, want, p.stderr))


def check_escaped_keys(d):
    """Keys written with escapes are the keys they spell, as json.loads reads them: in the
    sample and past it (a record 1500 lines on), at the top level and nested; a key that
    escapes a control character is refused at the script's line"""
    first = ('{"t\\u0079pe": "a", "n": 1, "o": {"\\u006b": 2, "\\u00e9t\\u00e9": 3}}\n'
             '{"type": "b", "\\u006e": 4, "o": {"k": 5, "été": 6}}\n')
    late = ''.join('{"type": "c", "n": %d, "o": {"k": 0, "été": 1}}\n' % i for i in range(1500))
    late += ('{"\\u0074\\u0079\\u0070\\u0065": "d", "n": 7, '
             '"o": {"\\u006B": 8, "\\u00E9t\\u00e9": 9}}\n')
    tl.write(os.path.join(d, "esckeys.jsonl"), first + late)
    ops = [("type", 'r:pluck("type"):frequencies()', lambda r: r.pluck("type").frequencies()),
           ("n", 'r:pluck("n"):sum()', lambda r: r.pluck("n").sum()),
           ("k", 'r:pluck("o"):pluck("k"):sum()', lambda r: r.pluck("o").pluck("k").sum()),
           ("ete", 'r:map(function(x) return x.o["été"] end):sum()',
            lambda r: r.map(lambda x: x["o"]["été"]).sum())]
    exe, r = tl.build_program('local db = require("cdask.bag")\n'
                              'local r = db.read_json_lines("esckeys.jsonl", {blocksize = 4096})\n'
                              + "".join('db.print(%s, "%s")\n' % (lua, n) for n, lua, _ in ops),
                              d)
    if R.check(exe is not None, "keys with escapes: compiles", tl.short(r.stderr)):
        bag = dbag.read_text(os.path.join(d, "esckeys.jsonl")).map(json.loads)
        tl.check_printed(R, exe, d, {n: py(bag).compute() for n, _, py in ops},
                         "keys with escapes, in the sample and past it")
    tl.write(os.path.join(d, "ctlkey.jsonl"), '{"a\\u0001": 1, "b": 2}\n')
    tl.check_script_errors(R, d, 'local db = require("cdask.bag")\n', [
        ("control key", 'db.read_json_lines("ctlkey.jsonl")',
         "read_json_lines: a key with a control character (an escape such as \\u0001) is not "
         "supported")])


def main():
    d = tl.tempdir("bagjson")
    try:
        make(d, random.Random(16))
        for bs in (None, 4096, 100):
            check(d, "read_json_lines, blocks of %s" % (bs or "default"),
                  'db.read_json_lines("ev.jsonl"%s)', bs)
        check(d, "read_text + map(db.json)", 'db.read_text("ev.jsonl"%s):map(db.json)', None)

        check_missing_bools(d)
        check_huge_floats(d)
        check_escaped_keys(d)
        good = b"".join(b'{"a": %d, "s": "x", "b": true}\n' % i for i in range(1500))
        check_unsampled_missing(d, good)
        run_error(d, "late_bad.jsonl", good + b'{"a": 1, "s": "x"\n',
                  'db.print(db.read_json_lines("late_bad.jsonl"):pluck("a"):sum(), "n")\n',
                  "late_bad.jsonl:1501: malformed JSON: column 19: expected ',' or '}' "
                  "(db.read_json_lines at prog.lua:2)")
        run_error(d, "late_bad_count.jsonl", good + b'{"a": 1, "s": "x"\n',
                  'db.print(db.read_json_lines("late_bad_count.jsonl"):count(), "n")\n',
                  "late_bad_count.jsonl:1501: malformed JSON: column 19: expected ',' or '}'")
        # a key not in double quotes, in the record and in a value skipped (a nested object)
        run_error(d, "late_key.jsonl", good + b"{'a': 1}\n",
                  'db.print(db.read_json_lines("late_key.jsonl"):pluck("a"):sum(), "n")\n',
                  "late_key.jsonl:1501: malformed JSON: column 2: expected a key (\")")
        run_error(d, "late_nested_key.jsonl", good + b'{"a": 1, "n": {"k": 1, 2: 3}}\n',
                  'db.print(db.read_json_lines("late_nested_key.jsonl"):pluck("a"):sum(), '
                  '"n")\n',
                  "late_nested_key.jsonl:1501: malformed JSON: column 24: expected a key (\")")
        run_error(d, "late_type.jsonl", good + b'{"a": "seven", "s": "x"}\n',
                  'db.print(db.read_json_lines("late_type.jsonl"):pluck("a"):sum(), "n")\n',
                  "late_type.jsonl:1501: field 'a': cannot read '\"seven\"' as int64")

        tl.write(os.path.join(d, "early.jsonl"), '{"a": 1}\n{"a": 2,}\n')
        tl.write(os.path.join(d, "mixed.jsonl"), '{"a": 1}\n{"a": "b"}\n')
        tl.write(os.path.join(d, "single.jsonl"), "{'a': 1}\n")
        prelude = ('local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
                   'local r = db.read_json_lines("ev.jsonl")\n')
        tl.check_script_errors(R, d, prelude, [
            ("malformed sample", 'db.read_json_lines("early.jsonl")',
             "read_json_lines: malformed JSON on line 2 of early.jsonl: column 9: expected a key "
             "(\")"),
            ("single quotes", 'db.read_json_lines("single.jsonl")',
             "read_json_lines: malformed JSON on line 1 of single.jsonl: column 2: expected a "
             "key (\")"),
            ("mixed kinds", 'db.read_json_lines("mixed.jsonl")',
             "read_json_lines: field 'a' holds values of different kinds (numbers, strings, "
             "booleans) in the first records of mixed.jsonl: not supported yet"),
            ("frequencies of lists", 'r:pluck("list"):frequencies()',
             "frequencies of a bag of lists (a JSON field that holds arrays): Dask raises "
             "TypeError: unhashable type: 'list'; flatten it first"),
            ("nested array of objects", 'r:pluck("actor"):pluck("tags")',
             "field 'actor.tags' holds arrays of objects and other values, which is not "
             "supported yet (Dask's records would hold them)"),
            ("unknown field", 'r:pluck("nope")',
             "pluck: no record of the first ones has a field 'nope'"),
            ("fold without initial", 'r:pluck("size"):fold(function(t, x) return t + 2 * x end, '
             "function(a, b) return a + b end)",
             "fold: give initial = 0 (without it Dask starts each partition's total with its "
             "first element as it is, not f(x))"),
            ("fold of a product", 'r:pluck("size"):fold(function(t, x) return t * x end)',
             "fold: the binary function must be total + f(x), total + 1, math.max or math.min "
             "(others are not supported yet)"),
            ("foldby without combine", 'r:foldby("type", function(t, x) return t + 1 end, 0)',
             "foldby: give combine = function(a, b) return a + b end (Dask combines with binop "
             "otherwise)"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
