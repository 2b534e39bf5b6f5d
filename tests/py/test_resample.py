#!/usr/bin/python3
"""resample (issue 15) against pandas (Debian's python3-pandas) as the oracle, on
test_frame_index.py's generated CSV files (a datetime column ts on the quarter hour over
March 2021, every 7th missing; int, float and str columns with missing values; a few rows,
thousands over many blocks) and on a from_arrays frame with a date_range index (seed 002's):
- df:resample(freq, {on = "ts"}), df:set_index("ts"):resample(freq) and a from_arrays
  frame's resample(freq), for "1D", "12H", "6H", "2H", "1H", "15min", "7H", "5H", "2D";
- sum, mean, count, size, min, max, median, nunique, std, first, last (of a bin's rows in
  time order: the files' timestamps are not sorted; of strings too, an empty bin NaN where
  pandas leaves None), agg of several, a selected column (a
  Series with pandas' "Freq:" line), on a filtered frame;
- steps that do not divide a day ("7H", "5H", "2D"): pandas' bins from the midnight before
  the earliest timestamp (of the filtered rows, for a filtered frame);
- every bin from the first to the last: a bin no row fell in is 0 for sums and counts and
  NaN for the others (an int64 column's min is then float64, as pandas makes it when a bin
  is empty: the cases here all have empty bins);
- the text of each dd.print is exactly pandas' repr (floats within 1e-12 where pandas' sums
  are not correctly rounded), 1, 2 and 3 threads and blocks of 1 kB print the same; errors
  at the script's line. A Series' "Freq:" line: pandas 1.5 drops it when the column had a
  NaT (its bins are then made another way); cdask always shows it, so for the file with
  NaT the line is taken out of cdask's text before comparing, and the file without NaT
  checks it. --memory-limit counts the bins (exit 5 past it, nothing written)."""

import os
import random
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402
import test_frame_index as tfi  # noqa: E402
import test_time_keys as ttk  # noqa: E402

R = td.R
pd = td.pd


def on(df, freq):
    return df.resample(freq, on="ts")


def none_as_nan(x):
    """pandas' first and last of strings with None (an empty bin's) as NaN, as cdask prints"""
    return x.fillna(np.nan)


CASES = [
    ("sum_d", 'df:resample("1D", {on = "ts"}):sum()',
     lambda df: on(df, "1D").sum(numeric_only=True), "text"),
    ("mean_6h", 'df:resample("6H", {on = "ts"}).x:mean()', lambda df: on(df, "6H").x.mean(),
     "text"),
    ("count_1h", 'df:resample("1H", {on = "ts"}):count()', lambda df: on(df, "1H").count(),
     "text"),
    ("size_2h", 'df:resample("2H", {on = "ts"}):size()', lambda df: on(df, "2H").size(), "text"),
    ("agg_12h", 'df:resample("12H", {on = "ts"}):agg{{"x", "max"}, {"id", "count"}, '
                '{"k", "sum"}, {"id", "min"}, {"x", "std"}}',
     lambda df: on(df, "12H").agg(a=("x", "max"), b=("id", "count"), c=("k", "sum"),
                                  d=("id", "min"), e=("x", "std")).set_axis(
         ["x", "id", "k", "id", "x"], axis=1), "text"),
    ("min_15", 'df:resample("15min", {on = "ts"}).id:min()', lambda df: on(df, "15min").id.min(),
     "text"),
    ("median_6h", 'df:resample("6H", {on = "ts"}).x:median()',
     lambda df: on(df, "6H").x.median(), "text"),
    ("nunique_d", 'df:resample("1D", {on = "ts"}).name:nunique()',
     lambda df: on(df, "1D").name.nunique(), "text"),
    ("set_index", 'df:set_index("ts"):resample("12H").x:sum()',
     lambda df: df.sort_values("ts", kind="stable").set_index("ts").resample("12H").x.sum(),
     "text"),
    ("filtered", 'df:loc(df.k:ge(3)):resample("1H", {on = "ts"}):agg{k = "size"}',
     lambda df: df.loc[df.k >= 3].resample("1H", on="ts").agg({"k": "size"}), "text"),
    # first and last: of a bin's rows in time order (the file's are not), ties in file order
    ("first_1h", 'df:resample("1H", {on = "ts"}).x:first()', lambda df: on(df, "1H").x.first(),
     "text"),
    ("last_6h", 'df:resample("6H", {on = "ts"}):agg{{"x", "first"}, {"k", "sum"}, '
                '{"x", "last"}}',
     lambda df: on(df, "6H").agg(a=("x", "first"), b=("k", "sum"), c=("x", "last")).set_axis(
         ["x", "k", "x"], axis=1), "text"),
    ("set_last", 'df:set_index("ts"):resample("12H").x:last()',
     lambda df: df.sort_values("ts", kind="stable").set_index("ts").resample("12H").x.last(),
     "text"),
    # of strings: a bin without a value is NaN, where pandas leaves None (documented)
    ("first_str", 'df:resample("1H", {on = "ts"}).name:first()',
     lambda df: none_as_nan(on(df, "1H").name.first()), "text"),
    ("last_str", 'df:resample("6H", {on = "ts"}):agg{{"name", "last"}, {"x", "first"}}',
     lambda df: none_as_nan(on(df, "6H").agg({"name": "last", "x": "first"})), "text"),
    # steps that do not divide a day: bins from the midnight before the earliest timestamp
    ("sum_7h", 'df:resample("7H", {on = "ts"}):sum()',
     lambda df: on(df, "7H").sum(numeric_only=True), "text"),
    ("mean_5h", 'df:resample("5H", {on = "ts"}).x:mean()', lambda df: on(df, "5H").x.mean(),
     "text"),
    ("count_2d", 'df:resample("2D", {on = "ts"}):count()', lambda df: on(df, "2D").count(),
     "text"),
    ("first_7h", 'df:resample("7H", {on = "ts"}).x:first()', lambda df: on(df, "7H").x.first(),
     "text"),
    ("filtered_7h", 'df:loc(df.k:ge(3)):resample("7H", {on = "ts"}).x:max()',
     lambda df: df.loc[df.k >= 3].resample("7H", on="ts").x.max(), "text"),
    ("set_index_5h", 'df:set_index("ts"):resample("5H").x:sum()',
     lambda df: df.sort_values("ts", kind="stable").set_index("ts").resample("5H").x.sum(),
     "text"),
]


def script(opts, rows, cases):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}%s})' % opts]
    for label, expr, _, _ in cases:
        lines.append('dd.print(%s, "%s")' % (expr, label))
    lines.append('dd.to_csv(df:resample("1H", {on = "ts"}):agg{id = "max"}, "out.csv")')
    return "\n".join(lines) + "\n"


def close_text(got, want):
    """The same text but for floats within 1e-12 (pandas' sums are not correctly rounded)"""
    return got is not None and td.tl.cells_close([got.split()], [want.split()])


def check_file(name, text, opts=""):
    d = td.tl.tempdir("rs_" + name)
    try:
        td.tl.write(os.path.join(d, "data.csv"), text)
        df = pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["ts"])
        exe, r = td.tl.build_program(script(opts, len(df), CASES), d)
        if not R.check(exe is not None, name + ": compiles", td.tl.short(r.stderr)):
            return None
        outs = []
        for threads in ["1", "2", "3"]:
            p = td.tl.run([exe, "--threads", threads, "--out", d], cwd=d)
            if not R.check(p.returncode == 0, "%s: runs (%s threads)" % (name, threads),
                           td.tl.short(p.stderr)):
                return None
            with open(os.path.join(d, "out.csv")) as f:
                outs.append(p.stdout + f.read())
        R.check(outs[0] == outs[1] == outs[2], name + ": the same output for 1, 2, 3 threads")
        got = td.sections(p.stdout, {c[0] for c in CASES})
        bad = []
        for label, _, fn, _ in CASES:
            want = repr(fn(df))
            if df.ts.isna().any() and got.get(label):  # pandas' quirk: see the docstring
                got[label] = re.sub(r"Freq: [^,]*, ", "", got[label])
            if not close_text(got.get(label), want):
                bad.append("%s:\n--- got\n%s\n--- pandas\n%s" % (label, got.get(label), want))
        R.check(not bad, "%s: %d outputs as pandas" % (name, len(CASES)), "\n".join(bad[:2]))
        want_csv = on(df, "1H").agg({"id": "max"}).to_csv()
        R.check(outs[0].endswith(want_csv), name + ": to_csv is pandas' to_csv",
                td.tl.short(outs[0][-len(want_csv):]))
        return outs[0]
    finally:
        td.tl.rmtree(d)


def check_from_arrays():
    """seed 002's kind of frame: a date_range index, hourly, resampled by 6H and by day"""
    d = td.tl.tempdir("rs_arrays")
    try:
        lua = ('local da = require("cdask.array")\n'
               'local dd = require("cdask.dataframe")\n'
               'local x = da.arange(100)\n'
               'local df = dd.from_arrays({{"a", x}, {"b", x * 0.5}}, {index = dd.date_range('
               '"2021-09-01 03:00", {periods = 100, freq = "1h"}), npartitions = 3})\n'
               'dd.print(df:resample("6H"):mean(), "m")\n'
               'dd.print(df:loc(df.a:lt(20) | df.a:gt(70)):resample("1D").b:sum(), "s")\n'
               'dd.print(df:resample("5H"):agg{b = "first", a = "sum"}, "f")\n'
               'dd.print(df:loc(df.a:gt(30)):resample("7H"):sum(), "g")\n')
        exe, r = td.tl.build_program(lua, d)
        if not R.check(exe is not None, "from_arrays: compiles", td.tl.short(r.stderr)):
            return
        p = td.tl.run([exe, "--out", d], cwd=d)
        got = td.sections(p.stdout, {"m", "s", "f", "g"})
        idx = pd.date_range("2021-09-01 03:00", periods=100, freq="1h")
        df = pd.DataFrame({"a": range(100), "b": [i * 0.5 for i in range(100)]}, index=idx)
        R.check(got.get("m") == repr(df.resample("6H").mean()),
                "from_arrays: resample(6H):mean() is pandas'",
                "%s\n--- pandas\n%r" % (got.get("m"), df.resample("6H").mean()))
        want = df.loc[(df.a < 20) | (df.a > 70)].resample("1D").b.sum()
        R.check(got.get("s") == repr(want), "from_arrays: a filtered frame's resample is pandas'",
                "%s\n--- pandas\n%r" % (got.get("s"), want))
        want = df.resample("5H").agg({"a": "sum", "b": "first"})
        R.check(got.get("f") == repr(want), "from_arrays: resample(5H) (from the first day's "
                "midnight) with first is pandas'", "%s\n--- pandas\n%r" % (got.get("f"), want))
        want = df.loc[df.a > 30].resample("7H").sum()
        R.check(got.get("g") == repr(want), "from_arrays: a filtered frame's resample(7H) (from "
                "its earliest row's midnight) is pandas'",
                "%s\n--- pandas\n%r" % (got.get("g"), want))
    finally:
        td.tl.rmtree(d)


PRELUDE = ('local dd = require("cdask.dataframe")\nlocal da = dd\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}})\n')
ERRORS = [
    ("no_index", 'df:resample("1H"):sum()',
     "resample: the frame has no DatetimeIndex; give the column: df:resample(\"1H\", {on = "
     "\"ts\"}), or df:set_index(\"ts\") first"),
    ("not_dates", 'df:resample("1H", {on = "k"}):sum()',
     "resample: 'k' is of int64, not datetime64"),
    ("month", 'df:resample("1M", {on = "ts"}):sum()',
     "resample: freq '1M' is not a fixed frequency cdask knows (a number and D, h, min, s, ms, "
     "us or ns; months, years and weeks are not supported yet)"),
    ("head", 'df:resample("1H", {on = "ts"}):head(2)', "head of a resample is not supported"),
    ("bools", 'df:assign{b = df.k:gt(2)}:resample("1H", {on = "ts"}):agg{b = "max"}',
     "resample: max of bools is not supported (an empty bin would make it object)"),
]


def check_memory_limit():
    """--memory-limit holds for resample's bins: every second of a month is 2.4M bins"""
    d = td.tl.tempdir("rs_mem")
    try:
        td.tl.write(os.path.join(d, "data.csv"),
                    "ts,x\n2021-03-01 00:00:00,1.5\n2021-03-29 00:00:00,2.5\n")
        exe, r = td.tl.build_program(
            'local dd = require("cdask.dataframe")\n'
            'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}})\n'
            'dd.to_csv(df:resample("1s", {on = "ts"}):sum(), "out.csv")\n', d)
        if not R.check(exe is not None, "memory: compiles", td.tl.short(r.stderr)):
            return
        p = td.tl.run([exe, "--memory-limit", "16M", "--out", d], cwd=d)
        R.check(p.returncode == 5 and "the resample at prog.lua:3 needs more than the memory "
                "limit" in p.stderr and not os.path.exists(os.path.join(d, "out.csv")),
                "resample's bins over --memory-limit 16M: exit 5 naming it, nothing written",
                "exit %s: %s" % (p.returncode, td.tl.short(p.stderr)))
        p = td.tl.run([exe, "--memory-limit", "1G", "--out", d], cwd=d)
        want = pd.DataFrame({"ts": pd.to_datetime(["2021-03-01", "2021-03-29"]), "x": [1.5, 2.5]})
        want = want.resample("1s", on="ts").sum()
        got = open(os.path.join(d, "out.csv")).read() if p.returncode == 0 else ""
        R.check(got == want.to_csv(), "resample's 2.4M bins under 1G: pandas' to_csv",
                "exit %s: %s" % (p.returncode, td.tl.short(p.stderr)))
    finally:
        td.tl.rmtree(d)


def main():
    rng = random.Random(99)
    td.check_errors_on("rs_err", tfi.make_csv(random.Random(9), 30), PRELUDE, ERRORS)
    check_from_arrays()
    check_memory_limit()
    def make(n):  # the small file without NaT, the big one with
        text = tfi.make_csv(rng, n)
        return ttk.with_nat(text) if n > 100 else text
    td.check_sizes(check_file, make, [("few", 12), ("many", 3000)], ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
