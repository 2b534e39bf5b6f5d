#!/usr/bin/python3
"""A Series combined with a Scalar of the same frame (issue 15): the rows are read again by
a second scan once the Scalar's scan ended (compiler/table_phases.c), against pandas
(Debian's python3-pandas) as the oracle on test_dataframe.py's generated CSV files
(missing values, quotes, unicode; one row, a few, thousands over many blocks):
- standardising (x - mean) / std, centring, a Scalar on either side, comparisons with a
  Scalar as filters (rows above the mean), a Scalar in assign, reductions and groupbys of
  such Series, a Scalar of a filtered frame, a Scalar of a second pass (a third scan);
- the program reads the file once per phase (the emitted C's scans counted);
- the text of each dd.print is exactly pandas' repr (scalars within 1e-12); 1, 2 and 3
  threads and blocks of 1 kB print the same; under --mpi, 1 to 3 ranks print the same;
- a merge of a side filtered by its own Scalar;
- an int64 Series with a Scalar without a value (the min of no row) stops the program;
- Scalars made of Scalars and numbers (df.x:sum() / df.x:count(), a band of mean and std),
  and a bag's functions reading Scalars of the bag, against Dask's bag;
- Scalars of computed frames (a median, a quantile, a groupby's max, a merge's): made
  after the scans of their phase, before the scan that reads them; with categories, and
  of from_arrays frames;
- errors at the script's line for the Scalars it cannot read yet.
"""

import os
import random
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R, tl = td.R, td.tl

CASES = [
    ("zscore", "(df.x - df.x:mean()) / df.x:std()",
     lambda df: (df.x - df.x.mean()) / df.x.std(), "text"),
    ("centred", "df.id - df.id:mean()", lambda df: df.id - df.id.mean(), "text"),
    ("left", "df.k:max() - df.k", lambda df: df.k.max() - df.k, "text"),
    ("above", "df:loc(df.x:gt(df.x:mean()))", lambda df: df.loc[df.x > df.x.mean()], "text"),
    ("at_max", "df:loc(df.id:eq(df.id:max()), {\"id\", \"name\"})",
     lambda df: df.loc[df.id == df.id.max(), ["id", "name"]], "text"),
    ("assign", "df:assign{share = df.k / df.k:sum()}",
     lambda df: df.assign(share=df.k / df.k.sum()), "text"),
    ("sum_above", "df:loc(df.x:ge(df.x:mean())).id:sum()",
     lambda df: df.loc[df.x >= df.x.mean()].id.sum(), "num"),
    ("gb_centred", 'df:assign{d = df.x - df.x:mean()}:groupby("k").d:mean()',
     lambda df: df.assign(d=df.x - df.x.mean()).groupby("k").d.mean(), "text"),
    ("filtered_scalar", "df.id - df:loc(df.flag).id:min()",
     lambda df: df.id - df.loc[df.flag].id.min(), "text"),
    ("third", "df.x - (df.x - df.x:mean()):abs():mean()",
     lambda df: df.x - (df.x - df.x.mean()).abs().mean(), "text"),
    ("count_above", "#df:loc(df.k:gt(df.k:mean()))", lambda df: len(df.loc[df.k > df.k.mean()]),
     "num"),
    ("std_z", "((df.x - df.x:mean()) / df.x:std()):std()",
     lambda df: ((df.x - df.x.mean()) / df.x.std()).std(), "num"),
    ("of_scalars", "df.x - df.x:sum() / df.x:count()",
     lambda df: df.x - df.x.sum() / df.x.count(), "text"),
    ("band", "df:loc(df.x:gt(df.x:mean() - df.x:std() * 0.5) & df.x:lt(df.x:mean() + "
     "df.x:std()))",
     lambda df: df.loc[(df.x > df.x.mean() - df.x.std() * 0.5) & (df.x < df.x.mean() +
                                                                   df.x.std())], "text"),
    ("int_range", "df.id - (df.id:max() - df.id:min())",
     lambda df: df.id - (df.id.max() - df.id.min()), "text"),
    ("int_pow", "df.k * df.k:max() ^ 2", lambda df: df.k * df.k.max() ** 2, "text"),
    ("number_first", "df.x * (1 - df.k:mean())", lambda df: df.x * (1 - df.k.mean()), "text"),
    # Scalars of computed frames: made after their phase's scans, before the next phase's
    ("above_median", "df:loc(df.x:gt(df.x:median()))",
     lambda df: df.loc[df.x > df.x.median()], "text"),
    ("median_centred", "df.x - df.x:median()", lambda df: df.x - df.x.median(), "text"),
    ("iqr", "df:loc(df.x:ge(df.x:quantile(0.25)) & df.x:le(df.x:quantile(0.75)), {\"id\", \"x\"})",
     lambda df: df.loc[(df.x >= df.x.quantile(0.25)) & (df.x <= df.x.quantile(0.75)),
                       ["id", "x"]], "text"),
    ("median_mean", "df.x - (df.x:median() + df.x:mean()) / 2",
     lambda df: df.x - (df.x.median() + df.x.mean()) / 2, "text"),
    ("median_twice", "df.x - df:loc(df.x:gt(df.x:median())).x:median()",
     lambda df: df.x - df.loc[df.x > df.x.median()].x.median(), "text"),
    ("gb_max", 'df.k - df:groupby("k").x:count():max()',
     lambda df: df.k - df.groupby("k").x.count().max(), "text"),
    ("nunique", "df.id - df.k:nunique()", lambda df: df.id - df.k.nunique(), "text"),
    ("median_gb", 'df:loc(df.x:le(df.x:median())):groupby("k").x:sum()',
     lambda df: df.loc[df.x <= df.x.median()].groupby("k").x.sum(), "text"),
    # more Scalars in one expression than a fixed list would hold
    ("many_scalars", "df.x - (%s)" % " + ".join("df.x:quantile(%g)" % (q / 100)
                                                for q in range(1, 71)),
     lambda df: df.x - sum(df.x.quantile(q / 100) for q in range(1, 71)), "text"),
]


def check_file(name, text, opts=""):
    # the min of a filter no row passes has no value (check_empty_scalar): not the one-row
    # file's
    cases = [c for c in CASES if text.count("\n") > 3 or c[0] != "filtered_scalar"]
    return td.check_file(name, text, opts, cases, csv_fn=lambda df: df.loc[df.k >= 3].to_csv())


def check_empty_scalar():
    """An int64 Series minus the min of no row: pandas' NaN cannot go into the int64 column
    fixed while compiling, so the program stops (exit 3, the Scalar's line, no output)"""
    td.check_run_fails(
        "empty scalar", {"data.csv": "a,b\n1,False\n2,False\n"},
        'local dd = require("cdask.dataframe")\n'
        'local df = dd.read_csv("data.csv")\n'
        'local m = df:loc(df.b).a:min()\n'
        'dd.to_csv(df:assign{c = df.a - m}, "out.csv")\n',
        "the reduction at prog.lua:3 has no value (no row: pandas' NaN), and the int64 Series "
        "combined with it cannot hold one (astype(\"float64\") first)")


def check_scans_and_ranks():
    """Scans in the emitted C: one per phase (the third case's three); --mpi on 1 to 3
    ranks prints what one process does"""
    d = tl.tempdir("second_pass_mpi")
    try:
        tl.write(os.path.join(d, "data.csv"), td.make_csv(random.Random(77), 2500))
        script = td.script(", {blocksize = 4096}", 0, CASES)
        tl.write(os.path.join(d, "prog.lua"), script)
        r = tl.cdaskc(["prog.lua", "--emit-c", "prog.c"], cwd=d)
        if R.check(r.returncode == 0, "second pass: emits C", tl.short(r.stderr)):
            with open(os.path.join(d, "prog.c")) as f:
                calls = re.findall(r"^\s*cd_scan(\d+)\(\);", f.read(), re.M)
            R.check(len(calls) == 3, "second pass: three scans (phases 0, 1, 2)", str(calls))
        exe, r = tl.build_program(script, d)
        if not R.check(exe is not None, "second pass: compiles", tl.short(r.stderr)):
            return
        one = tl.run([exe, "--out", d], cwd=d)
        mpirun = shutil.which("mpirun")
        if not R.check(one.returncode == 0 and mpirun, "second pass: runs, mpirun found",
                       tl.short(one.stderr)):
            return
        r = tl.cdaskc(["prog.lua", "--mpi", "-o", "progm"], cwd=d)
        if not R.check(r.returncode == 0, "second pass: compiles with --mpi", tl.short(r.stderr)):
            return
        for n in ["1", "2", "3"]:
            p = tl.run([mpirun, "--allow-run-as-root", "--oversubscribe", "-np", n,
                        os.path.join(d, "progm"), "--out", d], cwd=d)
            R.check(p.returncode == 0 and p.stdout == one.stdout,
                    "second pass: %s ranks print what one process does" % n,
                    tl.short(p.stderr or p.stdout))
    finally:
        tl.rmtree(d)


def check_merges():
    """A merge of a side filtered by its own Scalar (left or right): merged after the scans
    (not pushed into the other side's scan), as pandas merges"""
    d = tl.tempdir("second_merge")
    try:
        rng = random.Random(31)
        rows = ["i,v"] + ["%d,%.3f" % (rng.randint(0, 30), rng.uniform(-5, 5)) for _ in range(400)]
        tl.write(os.path.join(d, "a.csv"), "\n".join(rows) + "\n")
        tl.write(os.path.join(d, "b.csv"),
                 "i,w\n" + "".join("%d,%d\n" % (i, i * i) for i in range(0, 30, 2)))
        script = ('local dd = require("cdask.dataframe")\n'
                  'local a = dd.read_csv("a.csv")\nlocal b = dd.read_csv("b.csv")\n'
                  'local l = dd.merge(a:loc(a.v:gt(a.v:mean())), b, {on = "i"})\n'
                  'dd.print(l.v:sum(), "left")\n'
                  'local r = dd.merge(a, b:loc(b.w:lt(b.w:mean())), {on = "i"})\n'
                  'dd.print(r.w:sum(), "right")\n'
                  'dd.print(#r, "rows")\n')
        exe, r = tl.build_program(script, d)
        if not R.check(exe is not None, "merges: compile", tl.short(r.stderr)):
            return
        p = tl.run([exe, "--out", d], cwd=d)
        a, b = td.pd.read_csv(os.path.join(d, "a.csv")), td.pd.read_csv(os.path.join(d, "b.csv"))
        lm = td.pd.merge(a[a.v > a.v.mean()], b, on="i")
        rm = td.pd.merge(a, b[b.w < b.w.mean()], on="i")
        got = td.sections(p.stdout, {"left", "right", "rows"})
        R.check(p.returncode == 0 and td.close(got.get("left"), float(lm.v.sum())) and
                got.get("right") == str(rm.w.sum()) and got.get("rows") == str(len(rm)),
                "merges: a side filtered by its Scalar merges as pandas",
                "%s %s vs %r %r %r" % (p.stdout, tl.short(p.stderr), lm.v.sum(), rm.w.sum(),
                                       len(rm)))
    finally:
        tl.rmtree(d)


def counts(s):
    """pandas 2's value_counts (named count, the index named after the Series)"""
    vc = s.value_counts()
    vc.index.name, vc.name = s.name, "count"
    return vc


# name as a category: the value_counts and groupbys of a later phase list every category
CATEGORY_CASES = [
    ("cat_vc", "df:loc(df.x:gt(df.x:median())).name:value_counts()",
     lambda df: counts(df.loc[df.x > df.x.median()].name), "text"),
    ("cat_gb", 'df:loc(df.x:gt(df.x:median())):groupby("name").x:sum()',
     lambda df: df.loc[df.x > df.x.median()].groupby("name").x.sum(), "text"),
    ("cat_scalar", 'df.x - df:loc(df.x:lt(df.x:mean())):groupby("name").k:sum():max()',
     lambda df: df.x - df.loc[df.x < df.x.mean()].groupby("name").k.sum().max(), "text"),
]

ARRAYS = """local dd = require("cdask.dataframe")
local da = require("cdask.array")
local f = dd.from_arrays{{"a", da.arange(%d) * 7 %% 11}, {"b", da.arange(%d) * 0.5}}
dd.print(f:loc(f.a:ge(f.a:median())), "ge")
dd.print(f.b - f.a:quantile(0.3), "q")
dd.print(f.b - f:loc(f.a:lt(f.a:median())).b:median(), "twice")
"""


def check_arrays():
    """Scalars of computed from_arrays frames, against pandas on the same arrays"""
    import numpy as np
    d = tl.tempdir("second_pass_arrays")
    try:
        for n in [1, 7, 40]:
            exe, r = tl.build_program(ARRAYS % (n, n), d)
            if not R.check(exe is not None, "arrays: compiles", tl.short(r.stderr)):
                return
            p = tl.run([exe, "--out", d], cwd=d)
            f = td.pd.DataFrame({"a": np.arange(n) * 7 % 11, "b": np.arange(n) * 0.5})
            want = "ge =\n%r\nq =\n%r\ntwice =\n%r\n" % (
                f.loc[f.a >= f.a.median()], f.b - f.a.quantile(0.3),
                f.b - f.loc[f.a < f.a.median()].b.median())
            R.check(p.returncode == 0 and p.stdout == want,
                    "arrays: Scalars of computed frames, %d rows" % n,
                    tl.short(p.stderr) + "\n" + p.stdout + "\n--- pandas\n" + want)
    finally:
        tl.rmtree(d)


PRELUDE = 'local dd = require("cdask.dataframe")\nlocal df = dd.read_csv("data.csv")\n'
ERRORS = [
    ("arrays_arith", 'df.x - (dd.from_arrays{{"y", require("cdask.array").arange(4) * 0.5}}'
     '.y:median() + 1)',
     "a Series of a CSV file combined with a Scalar of a from_arrays frame (or the other way) is "
     "not supported yet"),
    ("string_scalar", "df.name:eq(df.name:max())",
     "a Series combined with a Scalar of object is not supported yet (of numbers, or a "
     "datetime's or timedelta's reduction: min, max, sum, mean, median, std, quantile, and "
     "their arithmetic)"),
    ("frame", "df.x:mean() - df", "a Scalar combines with a Series, not a frame"),
]


BAG = """local db = require("cdask.bag")
local b = db.from_sequence(%s, {npartitions = 3})
local m = b:mean()
db.print(b:map(function(x) return x - m end), "centred")
db.print(b:filter(function(x) return x:gt(m) end), "above")
db.print(b:filter(function(x) return x:lt(m * 0.5) | x:gt(b:max() - 2) end), "tails")
db.print(b:map(function(x) return (x - m) / (b:max() - b:min()) end), "scaled")
"""


def check_bag():
    """A bag's functions read Scalars of the same bag, and arithmetic of them: against Dask's
    bag (Debian's python3-dask), the Scalars computed first as Dask users write it"""
    import dask.bag as dbag
    rng = random.Random(31)
    seq = [rng.randint(-50, 50) for _ in range(200)]
    d = tl.tempdir("second_pass_bag")
    try:
        exe, r = tl.build_program(BAG % ("{" + ", ".join(map(str, seq)) + "}"), d)
        if not R.check(exe is not None, "bag: Scalars in functions compile", tl.short(r.stderr)):
            return
        p = tl.run([exe, "--out", d], cwd=d)
        b = dbag.from_sequence(seq, npartitions=3)
        m, hi, lo = b.mean().compute(), b.max().compute(), b.min().compute()
        want = {"centred": b.map(lambda x: x - m).compute(),
                "above": b.filter(lambda x: x > m).compute(),
                "tails": b.filter(lambda x: x < m * 0.5 or x > hi - 2).compute(),
                "scaled": b.map(lambda x: (x - m) / (hi - lo)).compute()}
        text = "".join("%s = %r\n" % (k, v) for k, v in want.items())
        R.check(p.returncode == 0 and p.stdout == text, "bag: Scalars in functions as Dask's",
                tl.short(p.stderr or p.stdout))
    finally:
        tl.rmtree(d)


def main():
    check_bag()
    rng = random.Random(99)
    td.check_errors_on("second_err", td.make_csv(random.Random(7), 40), PRELUDE, ERRORS)
    check_scans_and_ranks()
    check_empty_scalar()
    check_merges()
    check_arrays()
    cat = ', {dtype = {name = "category"}}'
    td.check_file("category", td.make_csv(random.Random(5), 600), cat, CATEGORY_CASES,
                  read_kw={"dtype": {"name": "category"}})
    td.check_sizes(check_file, lambda n: td.make_csv(rng, n),
                   [("one_row", 1), ("few", 9), ("many", 3000)])
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
