#!/usr/bin/python3
"""flatten of the tuples and lists a map's function returns ({x, x * 10}, db.list{...},
{x} as (x,), with constants, db.zip's tuples), then every kind of step and aggregation over
the items (print, sum, count, min, max, mean, frequencies, topk, distinct, foldby, groupby
counts, fold, filter and map of the items), of numbers from from_sequence in 1 and 5
partitions, of read_text's lines (unicode, CRLF, no trailing newline, empty lines) and of
JSON records' fields, against Dask's bag (Debian's python3-dask) on 1 and 3 threads, and
the errors at the script's line: items of different types, nested tuples, dicts, pairs,
flatten of flattened items."""

import json
import os
import sys
from operator import add

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_bag_basic as tb  # noqa: E402  (its lua_seq, data and close)

R = tl.Results()
dask.config.set(scheduler="sync")

# (label, Lua over bag b, Python over Dask bag b): the flattened bags of numbers
INT_BAGS = [
    ("pair", "b:map(function(x) return {x, x * 10} end):flatten()",
     lambda b: b.map(lambda x: (x, x * 10)).flatten()),
    ("const", "b:map(function(x) return {x % 7, 3, x // 2} end):flatten()",
     lambda b: b.map(lambda x: (x % 7, 3, x // 2)).flatten()),
    ("one", "b:map(function(x) return {x - 1} end):flatten()",
     lambda b: b.map(lambda x: (x - 1,)).flatten()),
    ("list", "b:map(function(x) return db.list{x * 0.5, x / 4, 1.5} end):flatten()",
     lambda b: b.map(lambda x: [x * 0.5, x / 4, 1.5]).flatten()),
    ("filtered", "b:filter(function(x) return x:gt(0) end):map(function(x) return {x, -x} "
     "end):flatten()", lambda b: b.filter(lambda x: x > 0).map(lambda x: (x, -x)).flatten()),
    ("zip", "db.zip(b, b:map(function(x) return x * x end)):flatten()",
     lambda b: dbag.zip(b, b.map(lambda x: x * x)).flatten()),
]
# (label, Lua over flattened bag f, Python over Dask bag f)
INT_AGGS = [
    ("items", "f", lambda f: f),
    ("sum", "f:sum()", lambda f: f.sum()),
    ("count", "f:count()", lambda f: f.count()),
    ("min", "f:min()", lambda f: f.min()),
    ("max", "f:max()", lambda f: f.max()),
    ("mean", "f:mean()", lambda f: f.mean()),
    ("freq", "f:frequencies()", lambda f: f.frequencies()),
    ("topk", "f:topk(5)", lambda f: f.topk(5)),
    ("distinct", "f:distinct()", lambda f: f.distinct()),
    ("fold", "f:fold(function(a, x) return a + x end, nil, 0)", lambda f: f.fold(add, add, 0)),
    ("foldby", "f:foldby(function(x) return x % 3 end, function(t, x) return t + x end, 0, "
     "function(a, c) return a + c end)", lambda f: f.foldby(lambda x: x % 3, add, 0, add)),
    ("groupby", "f:groupby(function(x) return x % 4 end):map(function(g) return {g[1], #g[2]} "
     "end)", lambda f: f.repartition(npartitions=1).groupby(lambda x: x % 4)
     .map(lambda g: (g[0], len(g[1])))),
    ("then_filter", "f:filter(function(x) return x:lt(2) end)",
     lambda f: f.filter(lambda x: x < 2)),
    ("then_map", "f:map(function(x) return x * 2 + 1 end):sum()",
     lambda f: f.map(lambda x: x * 2 + 1).sum()),
]

# the lines' items (strings)
STR_BAGS = [
    ("strs", "l:map(function(s) return {s.str:strip(), s.str:upper()} end):flatten()",
     lambda b: b.map(lambda s: (s.strip(), s.upper())).flatten()),
    ("strs_const", 'l:map(function(s) return db.list{"<", s.str:lower()} end):flatten()',
     lambda b: b.map(lambda s: ["<", s.lower()]).flatten()),
]
STR_AGGS = [
    ("items", "f", lambda f: f),
    ("count", "f:count()", lambda f: f.count()),
    ("freq", "f:frequencies()", lambda f: f.frequencies()),
    ("distinct", "f:distinct()", lambda f: f.distinct()),
    ("lens", "f:map(function(w) return w.str:len() end):sum()", lambda f: f.map(len).sum()),
    ("foldby", "f:foldby(function(w) return w.str:len() end, function(t, w) return t + 1 end, 0, "
     "function(a, c) return a + c end)", lambda f: f.foldby(len, lambda t, w: t + 1, 0, add)),
]


def check_set(d, label, prelude, bags, aggs, make_bag):
    ops = [("%s_%s" % (bn, an), "(%s)%s" % (blua, alua[1:]),  # (every aggregation's f first)
            (lambda bpy, apy: lambda b: apy(bpy(b)))(bpy, apy))
           for bn, blua, bpy in bags for an, alua, apy in aggs]
    r = tl.check_bag_ops(R, d, label, prelude, ops, make_bag, tb.close)
    R.check(r.returncode == 0 and r.stderr == "", label + ": cdaskc prints nothing",
            tl.short(r.stderr))


def check_records(d):
    path = os.path.join(d, "r.jsonl")
    tl.write(path, "".join(json.dumps({"id": i, "size": (i * 7) % 23, "name": "n%d" % (i % 4)})
                           + "\n" for i in range(80)))
    prelude = ('local db = require("cdask.bag")\n'
               'local r = db.read_json_lines("r.jsonl", {blocksize = 300})')
    ops = [
        ("rec_sum", "r:map(function(x) return {x.id, x.size} end):flatten():sum()",
         lambda r: r.map(lambda x: (x["id"], x["size"])).flatten().sum()),
        ("rec_names", "r:filter(function(x) return x.size:lt(9) end):map(function(x) return "
         "{x.name, x.name} end):flatten():frequencies()",
         lambda r: r.filter(lambda x: x["size"] < 9).map(lambda x: (x["name"], x["name"]))
         .flatten().frequencies()),
    ]
    tl.check_bag_ops(R, d, "records", prelude, ops,
                     lambda: dbag.read_text(path, blocksize=300).map(json.loads), tb.close)


def main():
    ints, _, _ = tb.data()
    d = tl.tempdir("bagflatten")
    try:
        for parts in (1, 5):
            prelude = ('local db = require("cdask.bag")\nlocal b = db.from_sequence(%s, '
                       "{npartitions = %d})" % (tb.lua_seq(ints), parts))
            check_set(d, "ints, npartitions %d" % parts, prelude, INT_BAGS, INT_AGGS,
                      lambda: dbag.from_sequence(ints, npartitions=parts))
        text = "a b\r\nÉté  x \n\n日本 語\nLAST é"  # CRLF, an empty line, no final newline
        with open(os.path.join(d, "t.txt"), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        check_set(d, "lines", 'local db = require("cdask.bag")\nlocal l = db.read_text("t.txt")',
                  STR_BAGS, STR_AGGS, lambda: dbag.read_text(os.path.join(d, "t.txt")))
        check_records(d)
        prelude = ('local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
                   "local b = db.from_sequence({1, 2, 3})\n"
                   'local l = db.from_sequence({"a b", "c"})\n')
        tl.check_script_errors(R, d, prelude, [
            ("int and float", "b:map(function(x) return {x, x / 2} end):flatten()",
             "flatten: item 1 is int64 and item 2 is float64; a flattened bag holds one type "
             "(cast them: x * 1.0 is a float)"),
            ("int and str", 'b:map(function(x) return {x, "a"} end):flatten()',
             "flatten: item 1 is int64 and item 2 is object; a flattened bag holds one type "
             "(cast them: x * 1.0 is a float)"),
            ("nested", "b:map(function(x) return {x, {x}} end):flatten()",
             "flatten of a bag of nested tuples, lists or dicts is not supported yet (flatten "
             "str.split's lists, or flat tuples and lists of values)"),
            ("dict", "b:map(function(x) return {v = x} end):flatten()",
             "flatten of a bag of nested tuples, lists or dicts is not supported yet (flatten "
             "str.split's lists, or flat tuples and lists of values)"),
            ("pairs", "b:frequencies():flatten()",
             "flatten of a bag of pairs is not supported yet (flatten str.split's lists, or "
             "flat tuples and lists of values)"),
            ("values", "b:flatten()",
             "flatten of a bag of values is not supported yet (flatten str.split's lists, or "
             "flat tuples and lists of values)"),
            ("twice", "l.str:split():flatten():map(function(w) return {w, w} end):flatten()",
             "flatten: flatten of pieces already flattened"),
            ("split of items", "l:map(function(s) return {s, s} end):flatten().str:split()"
             ":flatten()", "flatten of pieces already flattened is not supported yet"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
