#!/usr/bin/python3
"""db.zip and product of bags of different from_sequence sequences (and maps of them),
against Dask's bag (Debian's python3-dask) on 1 and 3 threads: Dask's own example (evens
and odds in partitions of 4), partitions of different lengths (each cut to the shortest, as
Python's zip in Dask's partition-wise zip), three bags with maps traced again on the zipped
values, strings and floats, then starmap, map, flatten, filter and aggregations of the
tuples; products of maps; to_textfiles of a zip and of a product (a file per partition:
Dask's partitions); the errors at the script's line: bags of different partition counts, a
filtered bag, to_textfiles of a product whose partitions differ in size."""

import os
import sys

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_bag_basic as tb  # noqa: E402  (its lua_seq and close)

R = tl.Results()
dask.config.set(scheduler="sync")

INTS = [(i * 37) % 101 - 50 for i in range(97)]
STRS = ["w%d" % (i % 13) + "é" * (i % 3) for i in range(61)]

PRELUDE = """local db = require("cdask.bag")
local evens = db.from_sequence({0, 2, 4, 6, 8}, {partition_size = 4})
local odds = db.from_sequence({1, 3, 5, 7, 9}, {partition_size = 4})
local a = db.from_sequence(%s, {npartitions = 7})
local s = db.from_sequence(%s, {npartitions = 7})
local f = db.from_sequence(%s, {npartitions = 7})""" % (
    tb.lua_seq(INTS), tb.lua_seq(STRS), tb.lua_seq([x / 8 for x in INTS[:70]]))


def bags():
    return {"evens": dbag.from_sequence([0, 2, 4, 6, 8], partition_size=4),
            "odds": dbag.from_sequence([1, 3, 5, 7, 9], partition_size=4),
            "a": dbag.from_sequence(INTS, npartitions=7),
            "s": dbag.from_sequence(STRS, npartitions=7),
            "f": dbag.from_sequence([x / 8 for x in INTS[:70]], npartitions=7)}


# (label, Lua, Python over the dict of Dask bags)
OPS = [
    ("dask_example", "db.zip(evens, odds)", lambda b: dbag.zip(b["evens"], b["odds"])),
    ("cut", "db.zip(a, s)", lambda b: dbag.zip(b["a"], b["s"])),
    ("maps", "db.zip(a:map(function(x) return x * 3 end), s:map(function(w) return "
     "w.str:upper() end), f)",
     lambda b: dbag.zip(b["a"].map(lambda x: x * 3), b["s"].map(str.upper), b["f"])),
    ("str_step", "db.zip(a, s.str:upper())", lambda b: dbag.zip(b["a"], b["s"].str.upper())),
    ("same_and_other", "db.zip(a, a:map(function(x) return x % 7 end), f)",
     lambda b: dbag.zip(b["a"], b["a"].map(lambda x: x % 7), b["f"])),
    ("starmap_sum", "db.zip(a, f):starmap(function(x, y) return x * y end):sum()",
     lambda b: dbag.zip(b["a"], b["f"]).starmap(lambda x, y: x * y).sum()),
    ("map_tuple", "db.zip(evens, odds):map(function(t) return t[1] - t[2] end)",
     lambda b: dbag.zip(b["evens"], b["odds"]).map(lambda t: t[0] - t[1])),
    ("flatten", "db.zip(evens, odds):flatten()",
     lambda b: dbag.zip(b["evens"], b["odds"]).flatten()),
    ("filtered", "db.zip(a, s):filter(function(t) return t[1]:gt(0) end):count()",
     lambda b: dbag.zip(b["a"], b["s"]).filter(lambda t: t[0] > 0).count()),
    ("freq", "db.zip(a, s):starmap(function(x, w) return w end):frequencies()",
     lambda b: dbag.zip(b["a"], b["s"]).starmap(lambda x, w: w).frequencies()),
    # product of maps of from_sequence bags: the pairs of the sequences, each side's maps
    # traced again on them, in Dask's order (partition i with partition j)
    ("product_maps", "evens:map(function(x) return x * 3 end):product(s:map(function(w) "
     "return w.str:upper() end))",
     lambda b: b["evens"].map(lambda x: x * 3).product(b["s"].map(str.upper))),
    ("product_flatten", "odds:product(evens:map(function(x) return -x end)):flatten():sum()",
     lambda b: b["odds"].product(b["evens"].map(lambda x: -x)).flatten().sum()),
]


def files_of(top):
    got = {}
    for root, _, names in os.walk(top):
        for name in names:
            with open(os.path.join(root, name), "rb") as f:
                got[os.path.relpath(os.path.join(root, name), top)] = f.read()
    return got


def check_partitions(d):
    """to_textfiles writes a partition a file: the zipped bag's partitions must be Dask's,
    cut to the shorter bag's partitions (9 strings and 14 in each of 7), and a product's
    (partitions of 2 x 3 pairs)"""
    other = ["o%d" % i for i in range(97)]
    script = (PRELUDE + "\nlocal o = db.from_sequence(%s, {npartitions = 7})\n"
              'db.zip(o, s):flatten():to_textfiles("z/*.txt")\n'
              "local p = db.from_sequence({\"p\", \"q\", \"r\", \"t\"}, {npartitions = 2})\n"
              "local u = db.from_sequence({\"u\", \"v\", \"w\"}, {npartitions = 1})\n"
              'p:product(u):flatten():to_textfiles("z/p*.txt")\n' % tb.lua_seq(other))
    exe, r = tl.build_program(script, d)
    want_dir = os.path.join(d, "want")
    dbag.zip(dbag.from_sequence(other, npartitions=7), bags()["s"]).flatten().to_textfiles(
        os.path.join(want_dir, "*.txt"))
    dbag.from_sequence(list("pqrt"), npartitions=2).product(dbag.from_sequence(
        list("uvw"), npartitions=1)).flatten().to_textfiles(os.path.join(want_dir, "p*.txt"))
    want = files_of(want_dir)
    if not R.check(exe is not None, "to_textfiles of a zip: compiles", tl.short(r.stderr)):
        return
    for t in ("1", "3"):
        out = os.path.join(d, "out" + t)
        os.makedirs(out)
        p = tl.run([exe, "--threads", t, "--out", out], cwd=d)
        got = files_of(os.path.join(out, "z"))
        R.check(p.returncode == 0 and got == want and len(want) == 9,
                "to_textfiles of a zip and a product, %s threads: Dask's 7 + 2 files" % t,
                "exit %s, files %s, want %s%s" % (p.returncode, sorted(got), sorted(want),
                                                  tl.short(p.stderr)))


def main():
    d = tl.tempdir("bagzip")
    try:
        r = tl.check_bag_ops(R, d, "zip of sequences", PRELUDE, OPS, bags, tb.close)
        R.check(r.returncode == 0 and r.stderr == "", "cdaskc prints nothing",
                tl.short(r.stderr))
        check_partitions(d)
        prelude = ('local db = require("cdask.bag")\nlocal da = require("cdask.array")\n'
                   "local a = db.from_sequence({1, 2, 3, 4}, {npartitions = 2})\n"
                   "local c = db.from_sequence({5, 6, 7, 8}, {npartitions = 4})\n")
        tl.check_script_errors(R, d, prelude, [
            ("partition counts", "db.zip(a, c)",
             "zip: bag 1 has 2 partitions and bag 2 has 4; Dask zips bags of as many "
             "partitions"),
            ("a filter", "db.zip(a, c:filter(function(x) return x:gt(5) end))",
             "db.zip: the bags must be made from one bag by element-wise steps (map, pluck, str "
             "methods) with the same filters; others are not supported yet"),
            ("product's partitions of several sizes", "a:product(db.from_sequence({\"x\", "
             "\"y\", \"z\"}, {npartitions = 2})):starmap(function(x, w) return w end)"
             ':to_textfiles("t/*.txt")',
             "to_textfiles of a product's elements is not supported yet: its partitions are of "
             "several sizes"),
            ("product of a filter", "a:product(c:filter(function(x) return x:gt(5) end))",
             "product of a bag other than db.from_sequence's values (and maps of them) is not "
             "supported yet: Dask's order follows both bags' partitions"),
        ])
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
