#!/usr/bin/python3
"""cdask.bag's chains over read_text, each combination of a line step (none, strip, lower,
a filter), then the lines themselves or their words (str.split().flatten(), with and
without a filter of the words), then an aggregation (frequencies, foldby counts and maxima,
groupby's counts and groups, topk, distinct, count, sums and maxima of lengths, the word
count's frequencies().topk()), and of JSON records (filters, then plucks, foldbys by a field
or a function, groupby counts, a field's words), against Dask's bag (Debian's python3-dask)
on 1 and 3 threads. A step and an aggregation that each work alone must work together: a
groupby over a flatten's words once compiled to C that did not build, and crashed under a
filter."""

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

WORDS = ["a", "Bb", "ccc", "é", "Ünï", "ΟΔΟΣ", "word", "Word", "x1", "--", "z" * 20,
         "long" * 6]

# (label, Lua step of bag l, Python over Dask bag l): what is done to the lines
LINE_STEPS = [
    ("raw", "l", lambda b: b),
    ("strip", "l:map(function(s) return s.str:strip() end)", lambda b: b.map(str.strip)),
    ("lower", "l.str:lower()", lambda b: b.str.lower()),
    ("long", "l:filter(function(s) return s.str:len():gt(12) end)",
     lambda b: b.filter(lambda s: len(s) > 12)),
]

# what the aggregations get: the lines, or their words
ITEMS = [
    ("lines", "{}", lambda b: b),
    ("words", "{}.str:split():flatten()", lambda b: b.str.split().flatten()),
    ("short", "{}.str:split():flatten():filter(function(w) return w.str:len():le(3) end)",
     lambda b: b.str.split().flatten().filter(lambda w: len(w) <= 3)),
]


def length(s):
    return len(s)


def grouped(b, key, then=lambda g: g):
    """Dask's groupby of b by key in one partition: its groups in order of first appearance,
    which is cdask's order (Dask's shuffle of several partitions orders them by hash, and
    its disk shuffle takes a minute here)"""
    return then(b.repartition(npartitions=1).groupby(key))


# (label, Lua over bag x, Python over Dask bag x)
AGGS = [
    ("freq", "x:frequencies()", lambda b: b.frequencies()),
    ("freq_sorted", "x:frequencies(true)", lambda b: b.frequencies(sort=True)),
    ("top_words", "x:frequencies():topk(3, function(p) return p[2] end)",
     lambda b: b.frequencies().topk(3, key=lambda p: p[1])),
    ("foldby_count", "x:foldby(function(w) return w end, function(t, w) return t + 1 end, 0, "
     "function(a, b) return a + b end, 0)",
     lambda b: b.foldby(lambda w: w, lambda t, w: t + 1, 0, add, 0)),
    ("foldby_len", "x:foldby(function(w) return w.str:len() end, function(t, w) return t + "
     "w.str:len() end, 0, function(a, b) return a + b end, 0)",
     lambda b: b.foldby(length, lambda t, w: t + len(w), 0, add, 0)),
    ("foldby_max", "x:foldby(function(w) return w.str:len() end, math.max, '', math.max, '')",
     lambda b: b.foldby(length, max, "", max, "")),
    ("group_count", "x:groupby(function(w) return w.str:len() end)"
     ":map(function(g) return {g[1], #g[2]} end)",
     lambda b: grouped(b, length, lambda g: g.map(lambda kv: (kv[0], len(kv[1]))))),
    ("group_words", "x:groupby(function(w) return w end):map(function(g) return {g[1], "
     "g[2]:count()} end)",
     lambda b: grouped(b, lambda w: w, lambda g: g.map(lambda kv: (kv[0], len(kv[1]))))),
    ("groups", "x:groupby(function(w) return w.str:len() end)", lambda b: grouped(b, length)),
    ("fold_len", "x:fold(function(t, w) return t + #w end, function(a, b) return a + b end, 0)",
     lambda b: b.fold(lambda t, w: t + len(w), add, 0)),
    ("topk_len", "x:topk(3, function(w) return w.str:len() end)", lambda b: b.topk(3, length)),
    ("distinct", "x:distinct()", lambda b: b.distinct()),
    ("count", "x:count()", lambda b: b.count()),
    ("zip_count", "db.zip(@x, @x.str:upper()):count()",  # (@x: the bag; one per word)
     lambda b: dbag.zip(b, b.str.upper()).count()),
    ("len_sum", "x:map(function(w) return w.str:len() end):sum()",
     lambda b: b.map(length).sum()),
    ("len_max", "x:map(function(w) return w.str:len() end):max()",
     lambda b: b.map(length).max()),
]


# (label, Lua step of records r, Python over Dask bag r): what is done to the records
REC_STEPS = [
    ("all", "r", lambda b: b),
    ("big", "r:filter(function(x) return x.size:gt(3) end)", lambda b: b.filter(
        lambda x: x["size"] > 3)),
    ("typed", 'r:filter(function(x) return x.type:eq("Bb") end)', lambda b: b.filter(
        lambda x: x["type"] == "Bb")),
]

# (label, Lua over records x, Python over Dask bag x)
REC_AGGS = [
    ("count", "x:count()", lambda b: b.count()),
    ("types", 'x:pluck("type"):frequencies()', lambda b: b.pluck("type").frequencies()),
    ("size_by_type", 'x:foldby("type", function(t, e) return t + e.size end, 0, '
     "function(a, b) return a + b end, 0)",
     lambda b: b.foldby("type", lambda t, e: t + e["size"], 0, add, 0)),
    ("count_by_mod", "x:foldby(function(e) return e.size % 3 end, function(t, e) return t + 1 "
     "end, 0, function(a, b) return a + b end, 0)",
     lambda b: b.foldby(lambda e: e["size"] % 3, lambda t, e: t + 1, 0, add, 0)),
    ("msg_len_by_type", 'x:foldby("type", function(t, e) return t + e.msg.str:len() end, 0, '
     "function(a, b) return a + b end, 0)",
     lambda b: b.foldby("type", lambda t, e: t + len(e["msg"]), 0, add, 0)),
    ("group_count", 'x:groupby("type"):map(function(g) return {g[1], #g[2]} end)',
     lambda b: grouped(b, lambda e: e["type"], lambda g: g.map(lambda kv: (kv[0], len(kv[1]))))),
    ("msg_words", 'x:pluck("msg").str:split():flatten():frequencies()',
     lambda b: b.pluck("msg").str.split().flatten().frequencies()),
    ("msg_word_fold", 'x:pluck("msg").str:split():flatten():foldby(function(w) return w end, '
     "function(t, w) return t + 1 end, 0, function(a, b) return a + b end, 0)",
     lambda b: b.pluck("msg").str.split().flatten().foldby(lambda w: w, lambda t, w: t + 1, 0,
                                                           add, 0)),
    ("msg_word_groups", 'x:pluck("msg").str:split():flatten():groupby(function(w) return '
     "w.str:len() end):map(function(g) return {g[1], #g[2]} end)",
     lambda b: grouped(b.pluck("msg").str.split().flatten(), length,
                       lambda g: g.map(lambda kv: (kv[0], len(kv[1]))))),
    ("score_sum", 'x:pluck("score"):sum()', lambda b: b.pluck("score").sum()),
    ("size_max", 'x:pluck("size"):max()', lambda b: b.pluck("size").max()),
    ("double_top", "x:map(function(e) return e.size * 2 end):topk(3)",
     lambda b: b.map(lambda e: e["size"] * 2).topk(3)),
    ("type_distinct", 'x:pluck("type"):distinct()', lambda b: b.pluck("type").distinct()),
    ("msg_lower_top", 'x:pluck("msg").str:lower():frequencies():topk(2, function(p) return '
     "p[2] end)",
     lambda b: b.pluck("msg").str.lower().frequencies().topk(2, key=lambda p: p[1])),
]


def text(rng, crlf):
    lines = []
    for _ in range(rng.randint(150, 250)):
        gap = rng.choice([" ", " ", "  ", "\t", " \t "])
        lines.append(rng.choice(["", " "]) + gap.join(
            rng.choice(WORDS) for _ in range(rng.randint(0, 7))) + rng.choice(["", " ", "\t"]))
    end = "\r\n" if crlf else "\n"
    return end.join(lines) + rng.choice([end, ""])


def main():
    rng = random.Random(2026)
    d = tl.tempdir("bagchains")
    try:
        files = []
        for k in range(3):
            files.append(os.path.join(d, "t%d.txt" % k))
            tl.write(files[k], text(rng, k == 1))
        for item, lua_item, py_item in ITEMS:
            ops = []
            for step, lua_step, py_step in LINE_STEPS:
                x = "(" + lua_item.format(lua_step) + ")"
                for agg, lua_agg, py_agg in AGGS:
                    def py(b, ps=py_step, pi=py_item, pa=py_agg):
                        return pa(pi(ps(b)))

                    lua = lua_agg.replace("x:", x + ":", 1).replace("@x", x)
                    ops.append(("%s_%s" % (step, agg), lua, py))
            prelude = ('local db = require("cdask.bag")\n'
                       'local l = db.read_text("t*.txt", {blocksize = 700})')
            r = tl.check_bag_ops(R, d, item, prelude, ops,
                                 lambda: dbag.read_text(files, blocksize=700), lambda g, w: g == w)
            # the C it emits builds without a warning (gcc 12 once warned of a memcmp bound)
            if r.returncode == 0:
                R.check(r.stderr == "", item + ": no warnings", tl.short(r.stderr))
        events = os.path.join(d, "ev.jsonl")
        tl.write(events, "".join(json.dumps({
            "type": rng.choice(WORDS[:4]), "size": rng.randint(0, 9),
            "msg": " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 5))),
            "score": rng.randint(-40, 40) / 8}) + "\n" for _ in range(400)))
        ops = []
        for step, lua_step, py_step in REC_STEPS:
            for agg, lua_agg, py_agg in REC_AGGS:
                def py(b, ps=py_step, pa=py_agg):
                    return pa(ps(b))

                ops.append(("%s_%s" % (step, agg),
                            lua_agg.replace("x:", "(" + lua_step + "):", 1), py))
        prelude = ('local db = require("cdask.bag")\n'
                   'local r = db.read_json_lines("ev.jsonl", {blocksize = 900})')
        tl.check_bag_ops(R, d, "records", prelude, ops,
                         lambda: dbag.read_text(events, blocksize=900).map(json.loads),
                         lambda g, w: g == w)
        # the words of one bag split for several aggregations, each written out with its own
        # traced function: each line is stripped and split once (expressions by value)
        w = "l:map(function(s) return s.str:strip() end).str:split():flatten()"
        tl.write(os.path.join(d, "one.lua"), 'local db = require("cdask.bag")\n'
                 'local l = db.read_text("t*.txt")\n'
                 'db.print(%s:frequencies(), "f")\ndb.print(%s:foldby(function(x) return x end, '
                 'function(t, x) return t + 1 end, 0, function(a, b) return a + b end, 0), "g")\n'
                 'db.print(%s:filter(function(x) return x.str:len():gt(2) end):count(), "n")\n'
                 % (w, w, w))
        r = tl.cdaskc(["one.lua", "--emit-c", "one.c"], cwd=d)
        c = open(os.path.join(d, "one.c")).read() if r.returncode == 0 else ""
        c = c[c.find("/* The pipeline one.lua */"):]  # (the runtime before it splits too)
        R.check(c.count("cdrt_split_init(") == 1, "three aggregations of a bag's words: one "
                "split of each line", "%d splits %s" % (c.count("cdrt_split_init("),
                                                        tl.short(r.stderr)))
        # zips of a flatten's words with what is made of them; of a line and its words, an
        # error (Dask's result would depend on the partitions)
        prelude = ('local db = require("cdask.bag")\n'
                   'local l = db.read_text("t*.txt", {blocksize = 700})\n'
                   'local w = l.str:lower().str:split():flatten()')
        tl.check_bag_ops(R, d, "zips of words", prelude, [
            ("zip_len", "db.zip(w, w:map(function(x) return x.str:len() end))",
             lambda b: dbag.zip(b, b.map(len))),
            ("zip_long", "db.zip(w:map(function(x) return x.str:upper() end), w):filter("
             "function(t) return t[2].str:len():gt(3) end):count()",
             lambda b: dbag.zip(b.map(str.upper), b).filter(lambda t: len(t[1]) > 3).count()),
            ("zip_twice", "db.zip(l.str:lower().str:split():flatten(), l.str:lower().str:split()"
             ":flatten():map(function(x) return x.str:len() end))",
             lambda b: dbag.zip(b, b.map(len)))],
            lambda: dbag.read_text(files, blocksize=700).str.lower().str.split().flatten(),
            lambda g, w: g == w)
        exe, r = tl.build_program(prelude + "\ndb.print(db.zip(l, w), 'z')\n", d, "linezip")
        R.check(exe is None and "linezip.lua:4: error: db.zip: bag 1 has whole elements and bag "
                "2 a flatten's pieces" in r.stderr, "zip of lines and their words: an error at "
                "the script's line", tl.short(r.stderr))
        # what a fold's binary function cannot call: an error at the script's line
        for call, msg in (("w.str:nosuch()", "str has no method 'nosuch'"),
                          ("w.size()", "a traced function called a value of its element "
                           "(size) that is not a method")):
            exe, r = tl.build_program(
                'local db = require("cdask.bag")\nlocal l = db.read_text("t*.txt")\n'
                'db.print(l:fold(function(t, w) return t + %s end, function(a, b) return a + b '
                'end, 0), "f")\n' % call, d, "bad")
            R.check(exe is None and r.returncode != 0 and "bad.lua:3: error: " + msg in r.stderr,
                    "fold's t + %s: an error at bad.lua:3" % call, tl.short(r.stderr))
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
