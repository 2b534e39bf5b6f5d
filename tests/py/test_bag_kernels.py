#!/usr/bin/python3
"""Scalar C kernels (cd.cfile, k.f) as bag functions, against Dask's bag (Debian's
python3-dask) with Python functions equal to the kernels: b:map(k.f), a kernel inside a
traced function with constants, filter by a kernel returning an int (nonzero is true, as
C's and Python's truth) or a bool, topk and foldby keys, fold and foldby terms total +
k.f(x), starmap of db.zip's tuples, on from_sequence (ints, floats, bools, several
npartitions), range, numbers made from read_text's lines (their lengths) and JSON records
(plucked fields, a record's fields in a map, records filtered by a kernel); 1 and 3
threads. The program calls the kernel in the scan's loop (the emitted C has no Lua and no
call per element other than the kernel's), and it builds warning-free with gcc and clang
-Wall -Wextra. Errors at the script's line, exit 1 and no program written: a string
element into a kernel, a wrong number of arguments, a block kernel in map, an impure
kernel, a kernel as fold's binary function, a float into an int64 parameter, a record
into a kernel."""

import json
import math
import os
import random
import sys

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_bag_basic as tb  # noqa: E402  (lua_seq)

R = tl.Results()
dask.config.set(scheduler="sync")

KERNELS = """#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
double sq(double x) { return x * x; }
double f(double x, double y) { return x * y + 1.0; }
int pos(int64_t x) { return x > 0; }
bool even(int64_t x) { return x % 2 == 0; }
int64_t bucket(int64_t x) { int64_t r = x % 3; return r < 0 ? r + 3 : r; }
double add(double a, double b) { return a + b; }
double flip(bool b, double x) { return b ? -x : x; }
double show(double x) { printf("%g\\n", x); return x; }
void blk(const double *x, double *y) { y[0] = x[0]; }
"""


def sq(x):
    return float(x) * float(x)


def f(x, y):
    return float(x) * float(y) + 1.0


def pos(x):
    return int(x > 0)


def even(x):
    return x % 2 == 0


def bucket(x):
    return x % 3


def add(a, b):
    return a + b


def flip(b, x):
    return -float(x) if b else float(x)


def first_appearance(groups, elems, key):
    """Dask's groups in the order of their keys' first appearance in the bag (cdask's; Dask's
    for one partition, its shuffle's for several)"""
    first = {}
    for i, e in enumerate(elems):
        first.setdefault(key(e), i)
    return sorted(groups, key=lambda g: first[g[0]])


def close(got, want):
    """Python's values, floats within 1e-12 (the C compiler may contract x * y + 1)"""
    if isinstance(want, float) and isinstance(got, float):
        return got == want or (math.isnan(got) and math.isnan(want)) or \
            abs(got - want) <= 1e-12 * max(abs(want), 1.0)
    if isinstance(want, (list, tuple)) and isinstance(got, type(want)):
        return len(got) == len(want) and all(close(g, w) for g, w in zip(got, want))
    if isinstance(want, dict) and isinstance(got, dict):
        return got.keys() == want.keys() and all(close(got[k], want[k]) for k in want)
    return type(got) is type(want) and got == want


FOLD = "function(t, x) return t + k.sq(x) end, function(a, c) return a + c end, 0"

NUM_OPS = [
    ("map", "b:map(k.sq)", lambda b: b.map(sq)),
    ("map_const", "b:map(function(x) return k.f(x, 2.0) end)", lambda b: b.map(lambda x: f(x, 2.0))),
    ("map_int_const", "b:map(function(x) return k.f(x - 1, 3) end)",
     lambda b: b.map(lambda x: f(x - 1, 3))),
    ("map_nested", "b:map(function(x) return k.sq(k.f(x, 0.5)) + x end)",
     lambda b: b.map(lambda x: sq(f(x, 0.5)) + x)),
    ("map_then_sum", "b:map(k.sq):sum()", lambda b: b.map(sq).sum()),
    ("map_then_mean", "b:map(function(x) return k.f(x, x) end):mean()",
     lambda b: b.map(lambda x: f(x, x)).mean()),
    ("fold_term", "b:fold(%s)" % FOLD, lambda b: b.fold(lambda t, x: t + sq(x), add, 0)),
    ("foldby_kernel_key", "b:foldby(k.bucket, function(t, x) return t + k.sq(x) end, 0, "
     "function(a, c) return a + c end, 0)",
     lambda b: b.foldby(bucket, lambda t, x: t + sq(x), 0, add, 0)),
    ("topk_kernel_key", "b:topk(5, k.sq)", lambda b: b.topk(5, key=sq)),
    ("frequencies", "b:map(k.bucket):frequencies()", lambda b: b.map(bucket).frequencies()),
    ("zip_starmap", "db.zip(b, b:map(k.sq)):starmap(k.add)",
     lambda b: dbag.zip(b, b.map(sq)).starmap(add)),
]
INT_OPS = NUM_OPS + [
    ("filter_int", "b:filter(k.pos)", lambda b: b.filter(pos)),
    ("filter_traced_int", "b:filter(function(x) return k.pos(x - 10) end)",
     lambda b: b.filter(lambda x: pos(x - 10))),
    ("filter_bool", "b:filter(function(x) return k.even(x) end)", lambda b: b.filter(even)),
    ("remove_bool", "b:remove(k.even)", lambda b: b.remove(even)),
    ("filter_then_map", "b:filter(k.pos):map(k.sq)", lambda b: b.filter(pos).map(sq)),
    ("map_int_result", "b:map(k.bucket)", lambda b: b.map(bucket)),
    ("map_bool_result", "b:map(k.even)", lambda b: b.map(even)),
    ("groupby_kernel_key", "b:groupby(k.even)",
     lambda b: dask.delayed(first_appearance)(b.repartition(npartitions=1).groupby(even), b, even)),
    ("map_tuple", "b:map(function(x) return {x, k.sq(x)} end)", lambda b: b.map(lambda x: (x, sq(x)))),
    ("accumulate", "b:accumulate(function(t, x) return t + k.sq(x) end, 0.0)",
     lambda b: b.accumulate(lambda t, x: t + sq(x), 0.0)),
]
FLOAT_OPS = NUM_OPS[:7] + [
    ("float_filter", "b:filter(function(x) return k.sq(x):gt(100) end)",
     lambda b: b.filter(lambda x: sq(x) > 100)),
]


def check_case(d, label, prelude, ops, make_bag, threads=("1", "3")):
    tl.check_bag_ops(R, d, label, prelude, ops, make_bag, close, threads)


PRE = 'local db = require("cdask.bag")\nlocal cd = require("cdask")\nlocal k = cd.cfile("k.c")\n'


def records(rng, n):
    types = ["push", "watch", "fork"]
    return [{"id": i, "v": round(rng.uniform(-50, 50), rng.randint(0, 3)),
             "n": rng.randint(-20, 20), "t": rng.choice(types), "ok": rng.random() < 0.5}
            for i in range(n)]


def check_errors(d):
    """Each case: the script's line of the call, cdaskc's exit 1, the first line of its
    message exactly, and neither a program nor its C written"""
    head = PRE + "local b = db.from_sequence({1, 2, 3})\n"
    line = head.count("\n") + 1
    for name, expr, msg in [
        ("string element", 'db.from_sequence({"a", "b"}):map(k.sq)',
         "kernel 'sq' (k.c:5): argument 1 holds str values, and parameter 1 ('x', double) "
         "takes a number; a kernel takes numbers and bools"),
        ("string constant", 'b:map(function(x) return k.f(x, "2") end)',
         "kernel 'f' (k.c:6): argument 2 is the string \"2\"; a kernel takes numbers and bools"),
        ("too few arguments", "b:map(function(x) return k.f(x) end)",
         "kernel 'f' (k.c:6) takes 2 arguments (double, double), got 1"),
        ("too many arguments", "b:map(function(x) return k.sq(x, x) end)",
         "kernel 'sq' (k.c:5) takes 1 argument (double), got 2"),
        ("block kernel", "b:map(k.blk)",
         "kernel 'blk' (k.c:13) is a block or task kernel (void blk(const double *, double *)): "
         "call it with da.map_blocks(k.blk, ...) or cd.delayed(k.blk)(...); only kernels of "
         "values returning a value are elementwise"),
        ("impure", "b:map(k.show)",
         "kernel 'show' (k.c:12) is impure (calls printf (stdio.h) (k.c:12)): a bag's or a "
         "frame's rows are computed in parallel, block by block, and a row may be computed "
         "where a filter then drops it, so it would not run once per element in order; call "
         "it on an array, or declare it __attribute__((pure)) if its effect may be repeated "
         "and reordered"),
        ("kernel as fold's binop", "b:fold(k.add)",
         "fold: a C kernel as the binary function (k.add) is not supported: cdask cannot see "
         "what it computes, and a fold must be total + f(x), total + 1, math.max or math.min; "
         "write function(total, x) return total + k.f(x) end"),
        ("float into int64", "db.from_sequence({1.5, 2.5}):map(k.even)",
         "kernel 'even' (k.c:8): argument 1 holds float64 values, and casting them to int64 "
         "for parameter 1 ('x', int64_t) is unsafe; convert them with x:astype(\"int64\") if "
         "that is what you mean"),
        ("record", 'db.read_json_lines("r.jsonl"):map(k.sq)',
         "kernel 'sq' (k.c:5): argument 1 is a record (a JSON object) or a frame, not a value: "
         "pass one of its fields (x.v, or pluck(\"v\") before the map)"),
        ("string field", 'db.read_json_lines("r.jsonl"):pluck("t"):map(k.sq)',
         "kernel 'sq' (k.c:5): argument 1 holds str values, and parameter 1 ('x', double) "
         "takes a number; a kernel takes numbers and bools"),
    ]:
        for old in ("e", "e.c"):
            if os.path.exists(os.path.join(d, old)):
                os.remove(os.path.join(d, old))
        tl.write(os.path.join(d, "e.lua"), head + 'db.print(%s, "x")\n' % expr)
        r = tl.cdaskc(["e.lua", "-o", "e"], cwd=d)
        want = "e.lua:%d: error: %s" % (line, msg)
        R.check(r.returncode == 1 and tl.first_line(r.stderr) == want and
                not os.path.exists(os.path.join(d, "e")), "error: " + name,
                "exit %s, stderr %r, want %r" % (r.returncode, r.stderr, want))


def main():
    rng = random.Random(1616)
    ints = [rng.randint(-60, 60) for _ in range(400)]
    floats = [round(rng.uniform(-30, 30), rng.randint(0, 5)) for _ in range(250)]
    d = tl.tempdir("bagk")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        for parts in (None, 1, 7):
            opt = ", {npartitions = %d}" % parts if parts else ""
            kw = {"npartitions": parts} if parts else {}
            check_case(d, "ints, npartitions %s" % parts,
                       PRE + "local b = db.from_sequence(%s%s)" % (tb.lua_seq(ints), opt), INT_OPS,
                       lambda: dbag.from_sequence(ints, **kw))
        check_case(d, "floats", PRE + "local b = db.from_sequence(%s)" % tb.lua_seq(floats),
                   FLOAT_OPS, lambda: dbag.from_sequence(floats))
        check_case(d, "range", PRE + "local b = db.range(1000, {npartitions = 6})", INT_OPS,
                   lambda: dbag.range(1000, npartitions=6))
        bools = [rng.random() < 0.4 for _ in range(50)]
        check_case(d, "bools", PRE + "local b = db.from_sequence(%s)" % tb.lua_seq(bools),
                   [("bool_arg", "b:map(function(x) return k.flip(x, 2) end)",
                     lambda b: b.map(lambda x: flip(x, 2))),
                    ("bool_to_double", "b:map(k.sq)", lambda b: b.map(sq))],
                   lambda: dbag.from_sequence(bools))
        # numbers made from read_text's lines: their lengths (with the line end)
        text = "".join(rng.choice(["a", "bb", "ccc d", "", "é日本", "x y z w"]) + "\n"
                       for _ in range(300))
        tl.write(os.path.join(d, "lines.txt"), text)
        check_case(d, "read_text lengths",
                   PRE + 'local b = db.read_text("lines.txt", {blocksize = 200}):map('
                   'function(s) return s.str:len() end)', INT_OPS[:9] + INT_OPS[11:14],
                   lambda: dbag.read_text(os.path.join(d, "lines.txt"), blocksize=200).map(len))
        check_case(d, "read_text in one map",
                   PRE + 'local b = db.read_text("lines.txt")',
                   [("len_sq", "b:map(function(s) return k.sq(s.str:strip().str:len()) end)",
                     lambda b: b.map(lambda s: sq(len(s.strip())))),
                    ("len_pos", "b:filter(function(s) return k.pos(s.str:len() - 2) end):count()",
                     lambda b: b.filter(lambda s: pos(len(s) - 2)).count())],
                   lambda: dbag.read_text(os.path.join(d, "lines.txt")))
        # JSON records: plucked fields, fields in a map, records filtered by a kernel
        recs = records(rng, 300)
        tl.write(os.path.join(d, "r.jsonl"), "".join(json.dumps(r) + "\n" for r in recs))
        for bs in ("", ", {blocksize = 1000}"):
            kw = {"blocksize": 1000} if bs else {}
            check_case(
                d, "JSON records" + bs, PRE + 'local b = db.read_json_lines("r.jsonl"%s)' % bs, [
                    ("pluck_map", 'b:pluck("v"):map(k.sq)', lambda b: b.pluck("v").map(sq)),
                    ("pluck_int", 'b:pluck("n"):filter(k.pos)', lambda b: b.pluck("n").filter(pos)),
                    ("fields", "b:map(function(r) return k.f(r.v, r.n) end)",
                     lambda b: b.map(lambda r: f(r["v"], r["n"]))),
                    ("bool_field", "b:map(function(r) return k.flip(r.ok, r.v) end)",
                     lambda b: b.map(lambda r: flip(r["ok"], r["v"]))),
                    ("records", "b:filter(function(r) return k.even(r.n) end)",
                     lambda b: b.filter(lambda r: even(r["n"]))),
                    ("foldby", 'b:foldby("t", function(t, r) return t + k.sq(r.v) end, 0, '
                     'function(a, c) return a + c end, 0)',
                     lambda b: b.foldby("t", lambda t, r: t + sq(r["v"]), 0, add, 0)),
                    ("json_map", 'db.read_text("r.jsonl"):map(db.json):pluck("n"):map(k.bucket)',
                     lambda b: b.pluck("n").map(bucket)),
                ], lambda: dbag.read_text(os.path.join(d, "r.jsonl"), **kw).map(json.loads))
        # the emitted C: the kernel pasted in, called in the scan's loop, warning-free
        tl.write(os.path.join(d, "c.lua"), PRE + 'local b = db.read_json_lines("r.jsonl")\n'
                 'db.print(b:pluck("v"):map(function(x) return k.f(x, 2) end):sum(), "s")\n'
                 'db.print(db.range(10):filter(k.pos):map(k.bucket), "r")\n')
        r = tl.cdaskc(["c.lua", "--emit-c", "c.c"], cwd=d)
        if R.check(r.returncode == 0, "--emit-c", tl.short(r.stderr)):
            c = open(os.path.join(d, "c.c")).read()
            R.check("double f(double x, double y) { return x * y + 1.0; }" in c and
                    "cd_call_f((double)x" in c and "cd_call_pos(" in c, "the kernel in the scan")
            for cc in ("gcc", "clang"):
                p = tl.run([cc, "-std=c11", "-O2", "-fopenmp", "-Wall", "-Wextra", "-c", "c.c",
                            "-o", "c.o"], cwd=d)
                R.check(p.returncode == 0 and "warning" not in p.stderr,
                        "%s -Wall -Wextra: no warning" % cc, tl.short(p.stderr))
        check_errors(d)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
