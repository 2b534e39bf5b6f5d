#!/usr/bin/python3
"""cdask.bag's first operations against Dask's bag (Debian's python3-dask) as the oracle:
from_sequence (integers, floats, strings with quotes, newlines and unicode, bools) and range,
map and filter and remove with traced Lua functions (+ - * / // % ^, comparisons made with
:eq/:lt/..., & | ~), sum, min, max, count, mean, frequencies (in order of first appearance and
sorted), topk (of numbers, strings and bools), distinct. db.print writes Python's repr of
what compute() returns: the test reads it back (cdask_testlib.check_printed) and compares it
with Dask's result (floats within 1e-12: cdask's sums and means are correctly rounded,
Dask's are Python's running sums), on 1 and 3 threads and for several npartitions. Also seed
000's example (examples/seed000_bag.lua) and the errors: a Lua comparison in a traced
function, a predicate of numbers, mixed elements, tostring of an element; astype("int64")
of floats (exit 3 at the element for one out of int64's range, NaN)."""

import math
import os
import random
import sys

import dask
import dask.bag as dbag

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
dask.config.set(scheduler="sync")


def lua_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + "".join(c if c.isascii() and (c.isalnum() or c in " .,'-_") else
                             "\\u{%x}" % ord(c) for c in v) + '"'
    if isinstance(v, float):
        return repr(v)
    return str(v)


def lua_seq(vals):
    return "{" + ", ".join(lua_value(v) for v in vals) + "}"


def close(got, want):
    if isinstance(want, float) and isinstance(got, float):
        return got == want or (math.isnan(got) and math.isnan(want)) or \
            abs(got - want) <= 1e-12 * abs(want)
    if isinstance(want, (list, tuple)) and isinstance(got, type(want)):
        return len(got) == len(want) and all(close(g, w) for g, w in zip(got, want))
    return type(got) is type(want) and got == want


def data():
    rng = random.Random(16)
    ints = [rng.randint(-50, 50) for _ in range(300)]
    floats = [round(rng.uniform(-1e3, 1e3), rng.randint(0, 6)) for _ in range(200)]
    words = ["a", "it's", 'say "hi"', "x\ny", "tab\there", "é", "日本", "", "\x7f", "\xa0b",
             "back\\slash", "b", "a"]
    strs = [rng.choice(words) for _ in range(120)]
    return ints, floats, strs


# (label, Lua expression over bag b, Python over Dask bag b); applied to the ints
INT_OPS = [
    ("map_square", "b:map(function(x) return x ^ 2 end)", lambda b: b.map(lambda x: x ** 2)),
    ("map_affine", "b:map(function(x) return 3 * x - 7 end)", lambda b: b.map(lambda x: 3 * x - 7)),
    ("map_div", "b:map(function(x) return x / 4 end)", lambda b: b.map(lambda x: x / 4)),
    ("map_floordiv", "b:map(function(x) return x // 3 end)", lambda b: b.map(lambda x: x // 3)),
    ("map_mod", "b:map(function(x) return x % 7 end)", lambda b: b.map(lambda x: x % 7)),
    ("map_mod_neg", "b:map(function(x) return x % -7 end)", lambda b: b.map(lambda x: x % -7)),
    ("filter_even", "b:filter(function(n) return (n % 2):eq(0) end)",
     lambda b: b.filter(lambda n: n % 2 == 0)),
    ("remove_even", "b:remove(function(n) return (n % 2):eq(0) end)",
     lambda b: b.remove(lambda n: n % 2 == 0)),
    ("filter_range", "b:filter(function(n) return n:gt(-10) & n:le(20) | n:eq(-50) end)",
     lambda b: b.filter(lambda n: (n > -10 and n <= 20) or n == -50)),
    ("filter_not", "b:filter(function(n) return ~n:lt(0) end)", lambda b: b.filter(lambda n: n >= 0)),
    ("chain", "b:map(function(x) return x * x end):filter(function(y) return y:lt(100) end)"
     ":map(function(y) return y + 0.5 end)",
     lambda b: b.map(lambda x: x * x).filter(lambda y: y < 100).map(lambda y: y + 0.5)),
    ("sum", "b:sum()", lambda b: b.sum()),
    ("min", "b:min()", lambda b: b.min()),
    ("max", "b:max()", lambda b: b.max()),
    ("count", "b:count()", lambda b: b.count()),
    ("mean", "b:mean()", lambda b: b.mean()),
    ("filtered_sum", "b:filter(function(n) return n:gt(0) end):sum()",
     lambda b: b.filter(lambda n: n > 0).sum()),
    ("frequencies", "b:frequencies()", lambda b: b.frequencies()),
    ("frequencies_sorted", "b:frequencies(true)", lambda b: b.frequencies(sort=True)),
    ("frequencies_mapped", "b:map(function(x) return x % 5 end):frequencies()",
     lambda b: b.map(lambda x: x % 5).frequencies()),
    ("topk", "b:topk(5)", lambda b: b.topk(5)),
    ("distinct", "b:distinct()", lambda b: b.distinct()),
]
FLOAT_OPS = [
    ("fsum", "b:sum()", lambda b: b.sum()),
    ("fmean", "b:mean()", lambda b: b.mean()),
    ("fmax", "b:max()", lambda b: b.max()),
    ("fmap", "b:map(function(x) return x * 1.5 - 2 end)", lambda b: b.map(lambda x: x * 1.5 - 2)),
    ("fmod", "b:map(function(x) return x % 2.5 end)", lambda b: b.map(lambda x: x % 2.5)),
    ("ffloordiv", "b:map(function(x) return x // 10 end)", lambda b: b.map(lambda x: x // 10)),
    ("ffilter", "b:filter(function(x) return x:ge(0) end)", lambda b: b.filter(lambda x: x >= 0)),
    ("ffreq", "b:map(function(x) return x // 100 end):frequencies(true)",
     lambda b: b.map(lambda x: x // 100).frequencies(sort=True)),
]
STR_OPS = [
    ("strs", "b", lambda b: b),
    ("sfreq", "b:frequencies()", lambda b: b.frequencies()),
    ("sfreq_sorted", "b:frequencies(true)", lambda b: b.frequencies(sort=True)),
    ("sfilter", 'b:filter(function(s) return s:ne("a") end)', lambda b: b.filter(lambda s: s != "a")),
    ("sdistinct", "b:distinct()", lambda b: b.distinct()),
    ("stopk", "b:topk(4)", lambda b: b.topk(4)),
    ("stopk_all", "b:topk(1000)", lambda b: b.topk(1000)),
    ("stopk_distinct", "b:distinct():topk(3)", lambda b: b.distinct().topk(3)),
    ("stopk_upper", "b.str:upper():topk(2)", lambda b: b.str.upper().topk(2)),
    ("smax", "b:max()", lambda b: b.max()),
    ("scount", "b:count()", lambda b: b.count()),
]


TOSTRING = ("tostring of a traced value (a bag's element, a Series' value in map or apply) is "
            "not supported yet: the function runs once, while compiling, on a symbolic value, "
            "so tostring (and print) would give its repr for every value, not Python's str(x); "
            "return the value itself (astype(\"str\") makes a string) and print the result")


ROWS_OP = "a reduction, running or window operation, sort or grouping"


def traced_error(what):
    return ("%s inside a function of each value (a bag's map, filter or key, a Series' map or "
            "apply, a frame's apply by rows): it runs once, while compiling, on a symbolic value "
            "that stands for each one (in Dask, x.mean() of a number is an AttributeError); "
            "compute it outside the function (m = b:mean(), b:filter(f)) and use that Scalar "
            "inside it" % what)


def check_case(d, label, prelude, ops, make_bag, threads=("1", "3")):
    tl.check_bag_ops(R, d, label, prelude, ops, make_bag, close, threads)


def check_astype(d):
    """astype("int64") of floats: Python's int() where it is an int64 (-2^63 too); a value out
    of int64's range, NaN or inf stops the program (exit 3) at its element, from 1"""
    vals = [1.5, -2.5, -2.0 ** 63, 2.0 ** 63 - 1024]
    exe, r = tl.build_program('local db = require("cdask.bag")\ndb.print(db.from_sequence(%s)'
                              ':map(function(x) return x:astype("int64") end), "i")\n'
                              % lua_seq(vals), d)
    if R.check(exe is not None, "astype int64: compiles", tl.short(r.stderr)):
        tl.check_printed(R, exe, d, {"i": dbag.from_sequence(vals).map(int).compute()},
                         "astype int64")
    at = "(astype at prog.lua:3)"
    for seq, why in (("{1.5, 1e300}", "cannot convert 1e+300 to int64 %s: it is out of int64's "
                      "range (-2^63 .. 2^63 - 1)" % at),
                     ("{1.5, -2.5, 2^63}", "cannot convert 9.223372036854776e+18 to int64 %s: it "
                      "is out of int64's range (-2^63 .. 2^63 - 1)" % at),
                     ("{1.5, 0/0}", "cannot convert nan to int64 %s: NaN and infinities have no "
                      "integer" % at)):
        exe, r = tl.build_program('local db = require("cdask.bag")\n\ndb.print(db.from_sequence('
                                  '%s):map(function(x) return x:astype("int64") end), "i")\n'
                                  % seq, d)
        if not R.check(exe is not None, "astype of %s: compiles" % seq, tl.short(r.stderr)):
            continue
        p = tl.run([exe, "--out", d], cwd=d)
        n = seq.count(",") + 1
        want = "%s: error: db.from_sequence element %d: %s (db.from_sequence at prog.lua:3)\n" \
            % (exe, n, why)
        R.check(p.returncode == 3 and p.stdout == "" and p.stderr == want,
                "astype of %s: exit 3 at element %d" % (seq, n),
                "exit %s, stdout %r, stderr %r, want %r" % (p.returncode, p.stdout, p.stderr, want))


def main():
    ints, floats, strs = data()
    d = tl.tempdir("bag")
    try:
        for parts in (None, 1, 7):
            opt = ", {npartitions = %d}" % parts if parts else ""
            kw = {"npartitions": parts} if parts else {}
            pre = 'local db = require("cdask.bag")\nlocal b = db.from_sequence(%s%s)'
            check_case(d, "ints, npartitions %s" % parts, pre % (lua_seq(ints), opt), INT_OPS,
                       lambda: dbag.from_sequence(ints, **kw))
        check_case(d, "floats", pre % (lua_seq(floats), ""), FLOAT_OPS,
                   lambda: dbag.from_sequence(floats))
        check_case(d, "strings", pre % (lua_seq(strs), ""), STR_OPS,
                   lambda: dbag.from_sequence(strs))
        check_case(d, "range", 'local db = require("cdask.bag")\nlocal b = db.range(1000, '
                   '{npartitions = 6})', INT_OPS[:2] + INT_OPS[6:7] + INT_OPS[11:16],
                   lambda: dbag.range(1000, npartitions=6))
        check_case(d, "bools", pre % ("{true, false, true, true}", ""),
                   [("bsum", "b:sum()", lambda b: b.sum()),
                    ("bcount", "b:count()", lambda b: b.count()),
                    ("bfreq", "b:frequencies()", lambda b: b.frequencies()),
                    ("btopk", "b:topk(3)", lambda b: b.topk(3))],
                   lambda: dbag.from_sequence([True, False, True, True]))
        # Python's lower() and upper() of Latin, Greek and Cyrillic (test_str_case.py: all)
        claimed = [c for c in list(range(0x20, 0x7f)) + list(range(0xa0, 0x180)) +
                   list(range(0x370, 0x37b)) + list(range(0x384, 0x3cf)) +
                   list(range(0x3d8, 0x3f0)) + list(range(0x400, 0x4c0))
                   if chr(c).isprintable() and c not in (0x390, 0x3b0)]
        words = [chr(c) for c in claimed] + ["ΟΔΟΣ", "Σ", "ΑΣ Β", "ΣΑ", "straße", "İstanbul",
                                              "ŉ"]
        check_case(d, "lower and upper", pre % (lua_seq(words), ""),
                   [("lower", "b.str:lower()", lambda b: b.str.lower()),
                    ("upper", "b.str:upper()", lambda b: b.str.upper())],
                   lambda: dbag.from_sequence(words), threads=("2",))
        # seed 000's example
        ex = os.path.join(os.environ.get("CDASK_SOURCE", "."), "examples", "seed000_bag.lua")
        exe, r = tl.build_program(open(ex).read(), d)
        if R.check(exe is not None, "examples/seed000_bag.lua compiles", tl.short(r.stderr)):
            p = tl.run([exe, "--out", d], cwd=d)
            b = dbag.from_sequence([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
            want = "map = %r\nfilter = %r\n" % (b.map(lambda x: x ** 2).compute(),
                                                b.filter(lambda n: n % 2 == 0).compute())
            R.check(p.returncode == 0 and p.stdout == want, "seed 000's bag: Dask's lists",
                    "%r, want %r" % (p.stdout, want))
        # errors at the script's line
        prelude = 'local db = require("cdask.bag")\nlocal da = require("cdask.array")\n' \
                  'local b = db.from_sequence({1, 2, 3})\n'
        tl.write(os.path.join(d, "r.jsonl"), '{"a": 1}\n')
        tl.check_script_errors(R, d, prelude, [
            ("lua comparison", "b:filter(function(n) return n % 2 == 0 end)",
             "filter: the function returned a Lua boolean; Lua compares a traced element with "
             "a number without asking cdask (x % 2 == 0 is always false): write (x % 2):eq(0), "
             "x:lt(3), x:ne(y), ..."),
            ("predicate of numbers", "b:filter(function(n) return n + 1 end)",
             "filter: the predicate returned a Series of int64; comparisons (x:eq(0), x:lt(3)) "
             "make bools"),
            ("mixed elements", 'db.from_sequence({1, "a"})',
             "from_sequence: element 2 is a string, element 1 a number; a bag's elements share "
             "one type"),
            ("a table element", "db.from_sequence({1, {}})",
             "from_sequence: element 2 is table; a bag holds numbers, booleans or strings"),
            ("mod by zero", "b:map(function(x) return x % 0 end)",
             "% 0 of int64 values: a division by zero (pandas gives float64 NaN or inf)"),
            ("both sizes", "db.from_sequence({1}, {npartitions = 1, partition_size = 1})",
             "from_sequence: give partition_size or npartitions, not both"),
            ("tostring in map", "b:map(function(x) return tostring(x) end)", TOSTRING),
            ("tostring in a filter", 'b:filter(function(x) return (x + 1):eq(tostring(x)) end)',
             TOSTRING),
            ("print in a key", "b:topk(2, function(x) print(x * 2) return x end)", TOSTRING),
            ("tostring of a record's field", 'db.read_json_lines("r.jsonl"):map(function(r) '
             'return tostring(r.a) end)', TOSTRING),
        ] + [(label, code, traced_error(what)) for label, code, what in [
            ("a reduction in map", "b:map(function(x) return x - x:mean() end)", ROWS_OP),
            ("a running sum in map", "b:map(function(x) return x:cumsum() end)", ROWS_OP),
            ("a sum of a record's field", 'db.read_json_lines("r.jsonl"):map(function(r) '
             'return r.a:sum() end)', ROWS_OP),
            ("a reduction in a key", "b:topk(2, function(x) return x:max() end)", ROWS_OP),
            ("head in map", "b:map(function(x) return x:head(2) end)", "head"),
            ("loc in map", "b:map(function(x) return x:loc(x:gt(1)) end)",
             "loc (a selection of rows)"),
            ("a mask in map", "b:map(function(x) return x[x:gt(1)] end)",
             "loc (a selection of rows)"),
            ("dropna in a filter", "b:filter(function(x) return x:dropna():gt(1) end)", "dropna"),
            ("the index in map", "b:map(function(x) return x.index end)",
             "the index (the rows' labels)"),
        ]])
        # a Scalar of the bag, made outside its function or inside it, is read there (Dask:
        # an Item, computed first)
        exe, r = tl.build_program(prelude + "local m = b:mean()\n"
                                  'db.print(b:map(function(x) return x - m end), "c")\n'
                                  'db.print(b:filter(function(x) return x:gt(b:mean()) end), '
                                  '"f")\n', d)
        p = tl.run([exe, "--out", d], cwd=d) if exe else None
        b3 = dbag.from_sequence([1, 2, 3])
        m = b3.mean().compute()
        want = "c = %r\nf = %r\n" % (b3.map(lambda x: x - m).compute(),
                                      b3.filter(lambda x: x > m).compute())
        R.check(p is not None and p.stdout == want, "a Scalar of the bag in its functions",
                "%r, want %r" % (p and p.stdout, want))
        # tostring and print of a frame outside a bag's functions: Dask's repr, as before
        exe, r = tl.build_program(prelude + "local m = b:map(function(x) return x end)\n"
                                  "print(m:to_dataframe()[\"0\"])\n", d)
        R.check(exe is not None and r.stdout.startswith("Dask Series Structure:\n"),
                "print of a Series after a traced map", tl.short(r.stderr))
        check_astype(d)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
