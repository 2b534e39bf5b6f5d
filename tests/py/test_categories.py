#!/usr/bin/python3
"""pandas' category dtype (issue 15): read_csv's dtype = {c = "category"} and astype("category"),
against pandas (Debian's python3-pandas 1.5) as the oracle, on a generated CSV with missing
values, a tab and non-ASCII text in the categories, and filters that leave some categories
without rows:
- the repr of a category Series (head, a filtered one, a long one: its "Categories (n,
  object): [...]" footer, wrapped and cut as pandas does, with every category of the file);
- value_counts: every category, zero counts too, ties in the categories' order (pandas 2's
  naming, as every value_counts of cdask's);
- groupby by one and two category keys: a row for every category (and combination), sums
  and counts 0, other aggregations missing (pandas' observed = False), and observed = true;
- a frame with category columns prints as pandas' does; to_csv writes the strings;
- equality comparisons and str methods work; <, fillna and mixed keys are errors at the
  script's line; print(df) shows Dask's category[unknown];
- 1 and 3 threads and small blocks print the same."""

import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_dataframe as td  # noqa: E402

R = tl.Results()
LONG = ["cat%02d_%s" % (i, "x" * (i % 7)) for i in range(23)]


def make_data(d):
    rng = np.random.default_rng(3)
    n = 3000
    df = pd.DataFrame({"c": rng.choice(["b", "a", "d", "e\tx", "é"], n),
                       "k": rng.choice(["p", "q", "r"], n),
                       "w": rng.choice(LONG, n),
                       "v": rng.integers(0, 100, n), "f": rng.normal(size=n)})
    df.loc[::17, "c"] = np.nan
    df.loc[5::29, "k"] = np.nan
    df.to_csv(os.path.join(d, "cat.csv"), index=False)
    return pd.read_csv(os.path.join(d, "cat.csv"), dtype={"c": "category", "k": "category"})


def value_counts(s):
    """pandas 2's value_counts (cdask's): ties in the categories' order, named count"""
    vc = s.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc.index.name, vc.name = s.name, "count"
    return vc


def floats(x):
    """pandas' answer with int64 columns made float64: cdask fixes that type while
    compiling, for the categories no row may have (docs/dataframes.md)"""
    return x.astype({c: "float64" for c in x.columns if x[c].dtype == np.int64}) \
        if isinstance(x, pd.DataFrame) else x.astype("float64")


SCRIPT = """local dd = require("cdask.dataframe")
local df = dd.read_csv("cat.csv", {dtype = {c = "category", k = "category"}, blocksize = BS})
local m = df:loc(df.v:gt(95))
local w = df.w:astype("category")
dd.print(df.c:head(5), "head")
dd.print(m.c, "mc")
dd.print(w:head(3), "whead")
dd.print(df.c:value_counts(), "vc")
dd.print(m.c:value_counts(), "vcm")
dd.print(m:groupby("c"):agg{v = "sum", f = "mean"}, "gb")
dd.print(m:groupby("c").v:max(), "gbmax")
dd.print(m:groupby({"c", "k"}):agg{v = "count"}, "gb2")
dd.print(m:groupby("c", {as_index = false}):agg{v = "size"}, "gbflat")
dd.print(m:groupby("c", {observed = true}):agg{v = "sum"}, "gbo")
dd.print(df:loc(df.c:eq("a"))[{"c", "v"}]:head(4), "eq")
dd.print(df.c.str:lower():value_counts(), "upper")
dd.print(df:head(6), "frame")
dd.to_csv(m[{"c", "k", "v"}], "m.csv")
"""


def wants(df):
    m = df[df.v > 95]
    w = df.w.astype("category")
    return {
        "head": repr(df.c.head(5)),
        "mc": repr(m.c),
        "whead": repr(w.head(3)),
        "vc": repr(value_counts(df.c)),
        "vcm": repr(value_counts(m.c)),
        "gb": repr(m.groupby("c").agg({"v": "sum", "f": "mean"})),
        "gbmax": repr(floats(m.groupby("c").v.max())),
        "gb2": repr(m.groupby(["c", "k"]).agg({"v": "count"})),
        "gbflat": repr(m.groupby("c", as_index=False).agg(v=("v", "size"))),
        "gbo": repr(m.groupby("c", observed=True).agg({"v": "sum"}).sort_index()),
        "eq": repr(df.loc[df.c == "a", ["c", "v"]].head(4)),
        "upper": repr(value_counts(df.c.str.lower())),
        "frame": repr(df.head(6)),
    }


def check_values():
    d = tl.tempdir("categories")
    try:
        df = make_data(d)
        want = wants(df)
        outs = []
        for bs, threads in [(0, 1), (0, 3), (4096, 2)]:
            tl.write(os.path.join(d, "prog.lua"),
                     SCRIPT.replace(", blocksize = BS", ", blocksize = %d" % bs if bs else ""))
            r = tl.cdaskc(["prog.lua", "-o", "prog"], cwd=d)
            if not R.check(r.returncode == 0, "compiles (blocksize %d)" % bs, tl.short(r.stderr)):
                return
            o = os.path.join(d, "out%d_%d" % (bs, threads))
            os.makedirs(o)
            p = tl.run(["./prog", "--out", o], cwd=d, env=dict(os.environ, OMP_NUM_THREADS=str(threads)))
            if not R.check(p.returncode == 0, "runs", tl.short(p.stderr + p.stdout)):
                return
            outs.append(p.stdout + open(os.path.join(o, "m.csv")).read())
            if len(outs) > 1:
                continue
            got = td.sections(p.stdout, set(want))
            for name, w in want.items():
                R.check(got.get(name) == w, "%s is pandas'" % name,
                        "%s\n--- pandas\n%s" % (got.get(name), w))
            m = df[df.v > 95][["c", "k", "v"]]
            R.check(open(os.path.join(o, "m.csv")).read() == m.to_csv(),
                    "to_csv of category columns is pandas'")
        R.check(outs[0] == outs[1] == outs[2], "1 and 3 threads, small blocks: the same output")
    finally:
        tl.rmtree(d)


ERRORS = [
    ('df.c:lt("b")', "TypeError: Unordered Categoricals can only compare equality or not"),
    ('df.c:fillna("a")', "fillna of a category is not supported yet"),
    ('df:groupby({"c", "v"}):sum()', "key 'c' is a category and another key is not"),
    ('df:groupby("c", {sort = false}):sum()', "sort = false with every category"),
    ('df:groupby("c", {dropna = false}):sum()', "dropna = false with every category"),
    ('df.v:astype("category")', "astype(\"category\") of a Series of int64"),
]


def check_compile():
    d = tl.tempdir("categories_errors")
    try:
        make_data(d)
        prelude = ('local dd = require("cdask.dataframe")\n'
                   'local df = dd.read_csv("cat.csv", {dtype = {c = "category"}})\n')
        tl.write(os.path.join(d, "s.lua"), prelude + "print(df)\nprint(df.c.dtype)\n")
        r = tl.cdaskc(["s.lua", "-o", "s"], cwd=d)
        lines = r.stdout.splitlines()
        R.check(r.returncode == 0 and "category[unknown]" in lines[3] and lines[-1] == "category",
                "print(df) shows Dask's category[unknown]; the dtype is category", r.stdout)
        for k, (line, want) in enumerate(ERRORS):
            tl.write(os.path.join(d, "e.lua"), prelude + "dd.print(" + line + ")\n")
            r = tl.cdaskc(["e.lua", "-o", "e"], cwd=d)
            R.check(r.returncode == 1 and "e.lua:3:" in r.stderr and want in r.stderr,
                    "error %d: %s" % (k, want), tl.short(r.stderr))
    finally:
        tl.rmtree(d)


TIES = """local dd = require("cdask.dataframe")
local df = dd.read_csv("ties.csv", {dtype = {s = "category"}})
dd.print(df.s:value_counts(), "vc")
dd.print(df:loc(df.v:gt(1)).s:value_counts(), "vcm")
"""


def check_ties():
    """value_counts of a category column whose ties first appear out of the categories'
    order: the column's own counts and a filtered one's, ties in the categories' order"""
    d = tl.tempdir("categories_ties")
    try:
        tl.write(os.path.join(d, "ties.csv"), "s,v\nz,1\nb,2\na,3\nb,4\ny,5\n")
        df = pd.read_csv(os.path.join(d, "ties.csv"), dtype={"s": "category"})
        want = "vc =\n%r\nvcm =\n%r\n" % (value_counts(df.s), value_counts(df[df.v > 1].s))
        exe, r = tl.build_program(TIES, d)
        if R.check(exe is not None, "ties: compiles", tl.short(r.stderr)):
            p = tl.run([exe], cwd=d)
            R.check(p.returncode == 0 and p.stdout == want, "ties: in the categories' order",
                    tl.describe_diff(p.stdout, want))
    finally:
        tl.rmtree(d)


def main():
    check_ties()
    check_values()
    check_compile()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
