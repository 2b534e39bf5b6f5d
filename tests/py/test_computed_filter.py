#!/usr/bin/python3
"""Comparisons, & | ~ and boolean masks of computed frames and Series (issue 15), against
pandas (Debian's python3-pandas) on a generated CSV (string and int keys, float values with
missing ones, a group whose values are all missing):
- r.v:gt(0), r.v:ne(r.v), r.w:le(2.5) of a groupby's columns, value_counts' counts: Series of
  bools named as pandas names them, NaN unequal to everything;
- r:loc(mask), r[mask] and r.w[mask] of groupbys (one key and a MultiIndex), value_counts
  and a sorted frame (its range index becomes the rows' labels), masks joined by & | ~;
- a computed Series with a Scalar of its own (c[c:ge(c:mean())], r.v - r.v:mean(),
  s:max() - s), as pandas;
- an int64 Series minus an int64 Scalar without a value: exit 3 at the Scalar's line;
- reductions and to_csv of a filtered result; a resampled DatetimeIndex keeps its frequency
  only while the rows kept are consecutive;
- 1, 2 and 3 threads print the same; a few rows and thousands over several blocks;
- a mask from another frame, of numbers, or & with a number: an error at the script's line.
Each dd.print is exactly pandas' repr."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R
tl = td.tl

KEYS = ["a", "b", "Zoé", "日本", "k,1", "delta", "e", "f"]


def make_csv(rng, n):
    rows = []
    for i in range(n):
        g = rng.randrange(40) if i % 7 else 99  # group 99: only missing v
        v = "" if g == 99 or rng.random() < 0.1 else "%.3f" % rng.uniform(-20, 20)
        k = rng.choice(KEYS)
        rows.append("%s,%d,%s,%d" % ('"%s"' % k if "," in k else k, g, v, rng.randrange(100)))
    return "k,g,v,w\n" + "\n".join(rows) + "\n"


def gb(df):
    return df.groupby("k").agg({"v": "sum", "w": "max"})


def gmax(df):
    return df.groupby("g").v.max()


def gsum(df):
    return df.groupby("g").w.sum()


def multi(df):
    return df.groupby(["k", "g"]).agg({"w": "sum"})


def srt(df):
    return df[["g", "w"]].sort_values("w", kind="stable")


def f(lua_body):
    """A Lua expression of locals: (function() ... end)()"""
    return "(function() %s end)()" % lua_body


G = 'local r = df:groupby("k"):agg{{"v", "sum"}, {"w", "max"}} '
VC = "local c = df.k:value_counts() "
CASES = [
    ("gt", f(G + "return r.v:gt(0)"), lambda df: gb(df).v > 0, "text"),
    ("loc", f(G + "return r:loc(r.v:gt(0))"), lambda df: gb(df).loc[gb(df).v > 0], "text"),
    ("index", f(G + "return r[r.w:le(97)]"), lambda df: gb(df)[gb(df).w <= 97], "text"),
    ("and_not", f(G + "return r[r.v:gt(-5) & ~r.w:lt(98)]"),
     lambda df: gb(df)[(gb(df).v > -5) & ~(gb(df).w < 98)], "text"),
    ("or_col", f(G + "return r.w[r.w:eq(99) | r.v:le(-10)]"),
     lambda df: gb(df).w[(gb(df).w == 99) | (gb(df).v <= -10)], "text"),
    ("nan_ne", f('local m = df:groupby("g").v:max() return m:ne(m)'),
     lambda df: gmax(df) != gmax(df), "text"),
    ("nan_keep", f('local m = df:groupby("g").v:max() return m[m:ge(19)]'),
     lambda df: gmax(df)[gmax(df) >= 19], "text"),
    ("int_float", f('local s = df:groupby("g").w:sum() return s:loc(s:gt(2.5e2))'),
     lambda df: gsum(df).loc[gsum(df) > 250.0], "text"),
    ("two_cols", f('local a = df:groupby("g"):agg{{"w", "sum"}, {"v", "max"}} '
                   'return a.w[a.w:lt(a.v:mul(10))]'),
     lambda df: (lambda a: a.w[a.w < a.v * 10])(df.groupby("g").agg({"w": "sum", "v": "max"})),
     "text"),
    ("vc", f(VC + "return c[c:ge(4)]"), lambda df: (lambda c: c[c >= 4])(td.counts(df.k)), "text"),
    ("vc_mean", f(VC + "return c[c:ge(c:mean())]"),
     lambda df: (lambda c: c[c >= c.mean()])(td.counts(df.k)), "text"),
    ("minus_mean", f(G + "return r.v - r.v:mean()"), lambda df: gb(df).v - gb(df).v.mean(), "text"),
    ("int_min", f('local s = df:groupby("g").w:sum() return s:sub(s:min())'),
     lambda df: gsum(df) - gsum(df).min(), "text"),
    ("scalar_first", f('local s = df:groupby("g").w:sum() return s:max() - s'),
     lambda df: gsum(df).max() - gsum(df), "text"),
    ("above_median", f('local s = df:groupby("g").w:sum() return s:loc(s:gt(s:median()))'),
     lambda df: gsum(df).loc[gsum(df) > gsum(df).median()], "text"),
    ("multi", f('local m = df:groupby({"k", "g"}):agg{{"w", "sum"}} return m:loc(m.w:gt(150))'),
     lambda df: multi(df).loc[multi(df).w > 150], "text"),
    ("sorted", f('local t = df[{"g", "w"}]:sort_values("w") return t:loc(t.w:gt(95))'),
     lambda df: srt(df).loc[srt(df).w > 95], "text"),
    ("reduce", f(G + "return r:loc(r.v:gt(0)).w:sum()"),
     lambda df: gb(df).loc[gb(df).v > 0].w.sum(), "num"),
    ("count", f(G + "return r[r.v:lt(0)].v:count()"),
     lambda df: gb(df)[gb(df).v < 0].v.count(), "num"),
]


def script(opts, rows, cases):
    return td.printing_script('"data.csv"%s' % opts, cases,
                              'local r = df:groupby("k"):agg{{"v", "sum"}, {"w", "max"}}\n'
                              'dd.to_csv(r:loc(r.w:ge(90) | r.v:lt(0)).w, "out.csv")')


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: gb(df).loc[(gb(df).w >= 90) | (gb(df).v < 0)].w.to_csv())


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv")\n'
           'local r = df:groupby("k"):agg{{"v", "sum"}, {"w", "max"}}\n'
           'local s = df:groupby("g"):agg{{"w", "sum"}}\n')
ERRORS = [
    ("other_frame", "r:loc(s.w:gt(0))",
     "loc: the mask comes from another frame than the one it selects from: aligning them "
     "needs an index join, not supported yet"),
    ("numbers", "r:loc(r.w)", "loc: the mask must be a Series of bools, got int64"),
    ("lazy_mask", "r:loc(df.w:gt(0))",
     "loc: the mask of a computed frame must be a Series of bools made of its own columns "
     "(r.v:gt(0)); a column of a lazy frame has other rows"),
    ("and_number", "r.w:gt(0) & 1", "& of computed Series needs two Series of bools"),
    ("bool_number", "r.w:gt(0):lt(1)",
     "comparing a computed Series of bools with a number is not supported"),
    ("scalar_and", "r.w:gt(0) & r.w:sum()",
     "a computed Series and a Scalar combine with + - * / ^ and comparisons (not &)"),
]


DATES = """local dd = require("cdask.dataframe")
local df = dd.read_csv("data.csv", {parse_dates = {"ts"}})
local r = df:set_index("ts"):resample("6H"):sum().v
dd.print(r[r:gt(0)], "pos")
dd.print(r[r:gt(-1000)], "all")
local d = df:set_index("ts"):resample("D"):mean()
dd.print(d:loc(d.v:lt(d.v:mean())), "low")
"""


def check_dates():
    """A resampled DatetimeIndex filtered: its frequency kept only while the rows kept are
    consecutive, as pandas keeps it"""
    import pandas as pd
    d = tl.tempdir("cf_dates")
    try:
        rng = random.Random(3)
        lines = ["ts,v"] + ["2021-09-%02d %02d:%02d:00,%.2f" % (1 + i // 48, (i // 2) % 24,
                                                               (i % 2) * 30, rng.uniform(-5, 5))
                            for i in range(300)]
        tl.write(os.path.join(d, "data.csv"), "\n".join(lines) + "\n")
        df = pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["ts"])
        r = df.set_index("ts").resample("6H").sum().v
        m = df.set_index("ts").resample("D").mean()
        want = "pos =\n%r\nall =\n%r\nlow =\n%r\n" % (r[r > 0], r[r > -1000],
                                                        m.loc[m.v < m.v.mean()])
        exe, res = tl.build_program(DATES, d)
        if R.check(exe is not None, "dates: compiles", tl.short(res.stderr)):
            p = tl.run([exe, "--threads", "2"], cwd=d)
            R.check(p.returncode == 0 and p.stdout == want, "dates: pandas' output",
                    tl.describe_diff(p.stdout, want))
    finally:
        tl.rmtree(d)


NO_VALUE = """local dd = require("cdask.dataframe")
local df = dd.read_csv("data.csv")
local s = df:groupby("g").w:sum()
dd.print(s - df.w:min(), "fine")
dd.print(s - df:loc(df.w:gt(1000)).w:min(), "none")
"""


def check_no_value():
    """An int64 computed Series minus an int64 Scalar without a value (the min of no row):
    exit 3 at the Scalar's line, nothing printed (pandas would make the Series float64)"""
    d = tl.tempdir("cf_none")
    try:
        tl.write(os.path.join(d, "data.csv"), make_csv(random.Random(9), 50))
        exe, res = tl.build_program(NO_VALUE, d)
        if R.check(exe is not None, "no value: compiles", tl.short(res.stderr)):
            p = tl.run([exe], cwd=d)
            want = ("the reduction at prog.lua:5 has no value (no row: pandas' NaN), and the "
                    "int64 Series combined with it cannot hold one")
            R.check(p.returncode == 3 and want in p.stderr and p.stdout == "",
                    "no value: exit 3 at the Scalar's line, nothing printed",
                    "exit %d, stderr %s" % (p.returncode, tl.short(p.stderr)))
    finally:
        tl.rmtree(d)


def main():
    check_no_value()
    check_dates()
    td.check_errors_on("cf_err", make_csv(random.Random(5), 20), PRELUDE, ERRORS)
    rng = random.Random(77)
    td.check_sizes(check_file, lambda n: make_csv(rng, n), [("few", 30), ("many", 4000)])
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
