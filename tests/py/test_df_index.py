#!/usr/bin/python3
"""x.index (issue 15): the index of a frame or Series, against pandas (Debian's
python3-pandas) as the oracle:
- a from_arrays frame's DatetimeIndex (dd.date_range, named) and RangeIndex: to_series(),
  the fields without .dt (df.index.hour, labelled by the hours once to_series() is taken, as
  pandas labels an Index's Series by itself), masks of comparisons with the index (strings
  read as dates, fields), min/max/sum/nunique, a groupby by a field assigned as a column,
  the index of a filtered frame;
- a CSV frame's RangeIndex (the rows' numbers in the file, also after a filter, in blocks
  of 1 kB), and added to a column; a groupby result's index, a set_index frame's index
  (sorted, as Dask's);
- 1, 2 and 3 threads print the same;
- what cdask refuses, at the script's line: printing an index (pandas' Index repr), a
  MultiIndex, to_series() of a Series (as pandas), fields of a computed DatetimeIndex, a
  CSV frame's index as its own mask (an index join)."""

import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_dataframe as td  # noqa: E402

R = tl.Results()

# (label, Lua expression, pandas value of df (the date_range frame) and rf (the same arrays
# with a RangeIndex), "repr", "str" or "num")
ARRAY_CASES = [
    ("ix", "df.index:to_series()", lambda df, rf: df.index.to_series(), "repr"),
    ("hour", "df.index.hour:to_series()", lambda df, rf: df.index.hour.to_series(), "repr"),
    ("dow", "df.index.dayofweek:to_series()",
     lambda df, rf: df.index.dayofweek.to_series(), "repr"),
    ("hour_sum", "df.index.hour:sum()", lambda df, rf: df.index.hour.values.sum(), "num"),
    ("day_nunique", "df.index.day:nunique()", lambda df, rf: df.index.day.nunique(), "num"),
    ("evening", "df:loc(df.index.hour:ge(20))",
     lambda df, rf: df.loc[df.index.hour >= 20], "repr"),
    ("after", 'df:loc(df.index:gt("2021-09-02 05:00"))',
     lambda df, rf: df.loc[df.index > "2021-09-02 05:00"], "repr"),
    ("ix_max", "df.index:max()", lambda df, rf: df.index.max(), "str"),
    ("ix_min_masked", "df:loc(df.x:gt(0)).index:min()",
     lambda df, rf: df.loc[df.x > 0].index.min(), "str"),
    ("masked_ix", "df:loc(df.i:gt(0)).index:to_series()",
     lambda df, rf: df.loc[df.i > 0].index.to_series(), "repr"),
    ("by_day", 'df:assign{{"d", df.index.day}}:groupby("d"):agg{i = "sum", x = "mean"}',
     lambda df, rf: df.assign(d=df.index.day).groupby("d").agg({"i": "sum", "x": "mean"}),
     "repr"),
    ("series_ix", "df.x.index:to_series()", lambda df, rf: df.x.index.to_series(), "repr"),
    ("rix", "rf.index:to_series()", lambda df, rf: rf.index.to_series(), "repr"),
    ("rix_masked", "rf:loc(rf.i:lt(0)).index:to_series()",
     lambda df, rf: rf.loc[rf.i < 0].index.to_series(), "repr"),
    ("rix_mask", "rf:loc(rf.index:ge(5) & rf.index:lt(9))",
     lambda df, rf: rf.loc[(rf.index >= 5) & (rf.index < 9)], "repr"),
]

# the same for c, a CSV frame (k str, v int, t datetime)
CSV_CASES = [
    ("c_ix", "c.index:to_series()", lambda c: c.index.to_series(), "repr"),
    ("c_masked", "c:loc(c.v:gt(50)).index:to_series()",
     lambda c: c.loc[c.v > 50].index.to_series(), "repr"),
    ("c_col_masked", "c.v:loc(c.k:eq(\"b\")).index:to_series()",
     lambda c: c.v.loc[c.k == "b"].index.to_series(), "repr"),
    ("c_group", 'c:groupby("k"):agg{v = "sum"}.index:to_series()',
     lambda c: c.groupby("k").agg({"v": "sum"}).index.to_series(), "repr"),
    ("c_plus", "c.v + c.index", lambda c: c.v + c.index, "repr"),
    ("c_set", 'c:set_index("t").index:to_series()',
     lambda c: c.set_index("t").sort_index(kind="stable").index.to_series(), "repr"),
]


def value_of(want, kind):
    return repr(want) if kind == "repr" else str(want) if kind == "str" else want


def compare(got, cases, args, what):
    bad = []
    for label, _, fn, kind in cases:
        want, g = value_of(fn(*args), kind), got.get(label)
        if g is None or not (td.close(g, want) if kind == "num" else g == want):
            bad.append("%s:\n--- got\n%s\n--- pandas\n%s" % (label, g, want))
    R.check(not bad, "%s: %d outputs as pandas" % (what, len(cases)), "\n".join(bad[:3]))


def run_threads(exe, d, what):
    """stdout of 1, 2 and 3 threads, checked equal; None if a run failed"""
    outs = []
    for threads in ["1", "2", "3"]:
        p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
        if not R.check(p.returncode == 0, "%s: runs on %s threads" % (what, threads),
                       tl.short(p.stderr)):
            return None
        outs.append(p.stdout)
    R.check(all(o == outs[0] for o in outs), what + ": 1, 2 and 3 threads print the same")
    return outs[0]


def check_arrays(n):
    d = tl.tempdir("dfix_%d" % n)
    try:
        rng = np.random.default_rng(n)
        i = rng.integers(-50, 50, n).astype(np.int64)
        x = rng.normal(size=n)
        x[rng.random(n) < 0.2] = np.nan
        np.save(os.path.join(d, "i.npy"), i)
        np.save(os.path.join(d, "x.npy"), x)
        index = pd.date_range("2021-09-01 03:00", periods=n, freq="H", name="ts")
        df = pd.DataFrame({"i": i, "x": x}, index=index)
        rf = pd.DataFrame({"i": i, "x": x})
        lines = ['local da = require("cdask.array")', 'local dd = require("cdask.dataframe")',
                 'local i = da.from_npy("i.npy", {chunks = %d})' % max(1, n // 4),
                 'local x = da.from_npy("x.npy", {chunks = %d})' % max(1, n // 4),
                 'local ix = dd.date_range("2021-09-01 03:00", {periods = %d, freq = "1h", '
                 'name = "ts"})' % n,
                 'local df = dd.from_arrays({{"i", i}, {"x", x}}, {index = ix, '
                 'npartitions = 3})',
                 'local rf = dd.from_arrays({{"i", i}, {"x", x}}, {npartitions = 3})']
        lines += ['dd.print(%s, "%s")' % (e, label) for label, e, _, _ in ARRAY_CASES]
        exe, r = tl.build_program("\n".join(lines) + "\n", d)
        if not R.check(exe is not None, "arrays %d: compiles" % n, tl.short(r.stderr)):
            return
        out = run_threads(exe, d, "arrays %d" % n)
        if out is not None:
            compare(td.sections(out, {c[0] for c in ARRAY_CASES}), ARRAY_CASES, (df, rf),
                    "arrays %d" % n)
    finally:
        tl.rmtree(d)


def make_csv(rng, n):
    rows = ["k,v,t"]
    for r in range(n):
        k = rng.choice(["a", "b", "c", ""])
        v = "" if rng.random() < 0.1 else str(int(rng.integers(0, 100)))
        t = pd.Timestamp("2021-01-01") + pd.Timedelta(minutes=int(rng.integers(0, 10 ** 6)))
        rows.append("%s,%s,%s" % (k, v, t))
    return "\n".join(rows) + "\n"


def check_csv(n):
    d = tl.tempdir("dfix_csv_%d" % n)
    try:
        text = make_csv(np.random.default_rng(7 + n), n)
        tl.write(os.path.join(d, "data.csv"), text)
        c = pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["t"])
        outs = []
        for opts in ["", ", blocksize = 1024"]:
            lines = ['local dd = require("cdask.dataframe")',
                     'local c = dd.read_csv("data.csv", {parse_dates = {"t"}%s})' % opts]
            lines += ['dd.print(%s, "%s")' % (e, label) for label, e, _, _ in CSV_CASES]
            exe, r = tl.build_program("\n".join(lines) + "\n", d)
            if not R.check(exe is not None, "csv %d%s: compiles" % (n, opts), tl.short(r.stderr)):
                return
            outs.append(run_threads(exe, d, "csv %d%s" % (n, opts)))
        if outs[0] is None:
            return
        R.check(outs[0] == outs[1], "csv %d: blocks of 1 kB print what one block does" % n)
        compare(td.sections(outs[0], {c[0] for c in CSV_CASES}), CSV_CASES, (c,), "csv %d" % n)
    finally:
        tl.rmtree(d)


ERRORS = [
    ("print", 'dd.print(df.index, "x")',
     "dd.print: an index prints as pandas' Index, which cdask does not write; give its labels "
     "as a Series, x.index:to_series()"),
    ("csv", 'dd.to_csv(df.index.hour, "x.csv")',
     "dd.to_csv: an index prints as pandas' Index, which cdask does not write; give its labels "
     "as a Series, x.index:to_series()"),
    ("multi", 'c:groupby({"k", "v"}):agg{t = "max"}.index',
     "the index is a MultiIndex of 2 levels; take its levels as columns with reset_index()"),
    ("csv_mask", "c:loc(c.index:gt(0))",
     "loc: the Series is computed after the scan (a value_counts', a groupby's, a sort's, or a "
     "CSV frame's x.index), not made of the frame's columns row by row"),
    ("series", "df.i:to_series()", "Series has no attribute or method 'to_series'"),
    ("computed", 'c:set_index("t").index.hour',
     "the fields of a computed index are not supported yet; take them from the column "
     "before set_index (df.t.dt.hour)"),
]


def check_errors():
    d = tl.tempdir("dfix_errors")
    try:
        tl.write(os.path.join(d, "data.csv"), "k,v,t\na,1,2021-01-01\nb,2,2021-01-02\n")
        prelude = ('local da = require("cdask.array")\nlocal dd = require("cdask.dataframe")\n'
                   'local c = dd.read_csv("data.csv", {parse_dates = {"t"}})\n'
                   'local df = dd.from_arrays({i = da.arange(4)}, {index = dd.date_range('
                   '"2021-09-01", {periods = 4, freq = "1h"})})\n')
        tl.check_script_errors(R, d, prelude, ERRORS)
    finally:
        tl.rmtree(d)


def main():
    for n in [1, 75, 1000]:
        check_arrays(n)
    for n in [1, 400]:
        check_csv(n)
    check_errors()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
