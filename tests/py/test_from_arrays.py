#!/usr/bin/python3
"""Frames made of cdask arrays (issue 15, seed 002): dd.from_arrays with a RangeIndex or a
dd.date_range DatetimeIndex, label slicing (df:loc(from, to), a date written in part as its
period, open bounds), dd.to_npy, against pandas (Debian's python3-pandas) as the oracle:
- the arrays are .npy files numpy wrote (int64, int32, float64 with NaN, float32, bool) read
  with da.from_npy, and arrays computed from them (arithmetic, arange), so the frame pandas
  sees is built from the same values;
- every dd.print is exactly pandas' repr (a Series keeps its index's "Freq: H" footer when
  its rows are a run, as pandas does), scalars within 1e-12, to_csv byte for byte, dd.to_npy
  files equal to numpy's;
- 1, 2 and 3 threads, and 6, 1 and n partitions, print and write the same, and so do 1
  and 3 MPI ranks (--mpi, mpirun);
- errors at the script's line: frequencies cdask does not know, date_range's arguments,
  columns of different lengths or dimensions, complex columns, unordered columns, labels of
  the wrong kind, loc by labels on a CSV frame, dd.to_npy of strings or of a frame."""

import os
import shutil
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_dataframe as td  # noqa: E402

R = tl.Results()
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]

# (label, Lua expression, pandas value of df (and of the arrays a), "text" or "num")
CASES = [
    ("frame", "df", lambda df: df, "text"),
    ("head", "df:head(7)", lambda df: df.head(7), "text"),
    ("series_i", "df.i", lambda df: df.i, "text"),
    ("series_x_head", "df.x:head(3)", lambda df: df.x.head(3), "text"),
    ("mean_i", "df.i:mean()", lambda df: df.i.mean(), "num"),
    ("sum_x", "df.x:sum()", lambda df: df.x.sum(), "num"),
    ("std_f", "df.f:std()", lambda df: df.f.std(), "num"),
    ("max_j", "df.j:max()", lambda df: df.j.max(), "num"),
    ("count_x", "df.x:count()", lambda df: df.x.count(), "num"),
    ("nunique_j", "df.j:nunique()", lambda df: df.j.nunique(), "num"),
    ("means", "df:mean()", lambda df: df.mean(numeric_only=True), "text"),
    ("vc_j", "df.j:value_counts()", lambda df: value_counts(df.j), "text"),
    ("mask", "df:loc(df.i:gt(0))", lambda df: df.loc[df.i > 0], "text"),
    ("mask_run", "df.i:loc(df.r:ge(3) & df.r:lt(9))",
     lambda df: df.i.loc[(df.r >= 3) & (df.r < 9)], "text"),
    ("mask_cols", 'df:loc(df.b, {"x", "j"})', lambda df: df.loc[df.b, ["x", "j"]], "text"),
    ("arith", "df.i * 2 + df.x", lambda df: df.i * 2 + df.x, "text"),
    ("assign", "df:assign{y = df.f - df.j}", lambda df: df.assign(y=df.f - df.j), "text"),
    ("sort", 'df:sort_values("x")', lambda df: df.sort_values("x", kind="stable"), "text"),
    ("sort_series", "df.j:sort_values()", lambda df: df.j.sort_values(kind="stable"), "text"),
    ("dedup", 'df.j:drop_duplicates()', lambda df: df.j.drop_duplicates(), "text"),
    ("groupby", 'df:groupby("j"):agg{x = "sum", f = "mean"}',
     lambda df: df.groupby("j").agg({"x": "sum", "f": "mean"}), "text"),
    ("describe", "df.x:describe()", lambda df: df.x.describe(), "text"),
]

def value_counts(s):
    """pandas 2's value_counts (cdask's, documented): ties in order of first appearance,
    named count, the index named after the Series"""
    vc = s.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc.index.name, vc.name = s.name, "count"
    return vc


# label slices per index kind: (label, Lua arguments of loc, pandas' slice)
DATE_SLICES = {
    "hourly": [("sl_range", '"2021-09-02", "2021-09-03 5:00"',
                lambda o: o.loc["2021-09-02":"2021-09-03 5:00"]),
               ("sl_day", '"2021-09-02"', lambda o: o.loc["2021-09-02"]),
               ("sl_month", '"2021-09"', lambda o: o.loc["2021-09"]),
               ("sl_open_lo", 'nil, "2021-09-01 12:30"', lambda o: o.loc[:"2021-09-01 12:30"]),
               ("sl_open_hi", '"2021-09-04 22:00", nil', lambda o: o.loc["2021-09-04 22:00":]),
               ("sl_none", '"2022-01-01", "2022-02-01"',
                lambda o: o.loc["2022-01-01":"2022-02-01"])],
    "quarter": [("sl_range", '"2021-09-01 01:07", "2021-09-01 03:00:00"',
                 lambda o: o.loc["2021-09-01 01:07":"2021-09-01 03:00:00"]),
                ("sl_day", '"2021-09-01"', lambda o: o.loc["2021-09-01"]),
                ("sl_year", '"2021"', lambda o: o.loc["2021"])],
    "daily": [("sl_range", '"2021-12-30", "2022-01-02"',
               lambda o: o.loc["2021-12-30":"2022-01-02"]),
              ("sl_month", '"2022-01"', lambda o: o.loc["2022-01"]),
              ("sl_year", '"2021"', lambda o: o.loc["2021"])],
}
RANGE_SLICES = [("sl_range", "3, 11", lambda o: o.loc[3:11]),
                ("sl_open", "nil, 4", lambda o: o.loc[:4]),
                ("sl_empty", "50000, 60000", lambda o: o.loc[50000:60000])]

# (name, dd.date_range's Lua arguments (None: a RangeIndex), pandas' index of n rows)
INDEXES = [
    ("hourly", '"2021-09-01", {periods = N, freq = "1H"}',
     lambda n: pd.date_range("2021-09-01", periods=n, freq="1H")),
    ("quarter", '{start = "2021-09-01 00:45", periods = N, freq = "15min", name = "t"}',
     lambda n: pd.date_range("2021-09-01 00:45", periods=n, freq="15min", name="t")),
    ("daily", '{["end"] = "2022-01-10", periods = N}',
     lambda n: pd.date_range(end="2022-01-10", periods=n)),
    ("range", None, lambda n: None),
]


def make_arrays(rng, n, d):
    """The .npy files and pandas' columns (in the frame's order)"""
    i = rng.integers(-50, 50, n).astype(np.int64)
    j = rng.integers(0, 5, n).astype(np.int32)
    x = rng.normal(size=n)
    x[rng.random(n) < 0.2] = np.nan
    f = rng.normal(size=n).astype(np.float32)
    b = rng.random(n) < 0.5
    for name, v in [("i", i), ("j", j), ("x", x), ("f", f), ("b", b)]:
        np.save(os.path.join(d, name + ".npy"), v)
    r = np.arange(n, dtype=np.int64) % 10
    # cdask's columns widen int32 and float32 (documented): so does the oracle
    return {"i": i, "j": j.astype(np.int64), "x": x, "f": f.astype(np.float64), "b": b, "r": r}


def script(n, index, parts, slices):
    lines = ['local da = require("cdask.array")', 'local dd = require("cdask.dataframe")']
    for name in "ijxfb":
        lines.append('local %s = da.from_npy("%s.npy", {chunks = %d})' % (name, name,
                                                                       max(1, n // 4)))
    lines.append("local r = da.arange(%d) %% 10" % n)
    opts = ["npartitions = %d" % parts]
    if index:
        lines.append("local index = dd.date_range(%s)" % index.replace("N", str(n)))
        opts.append("index = index")
    lines.append('local df = dd.from_arrays({{"i", i}, {"j", j}, {"x", x}, {"f", f}, {"b", b}, '
                 '{"r", r}}, {%s})' % ", ".join(opts))
    for label, expr, _, _ in CASES:
        lines.append('dd.print(%s, "%s")' % (expr, label))
    for label, args, _ in slices:
        lines.append('dd.print(df:loc(%s), "%s")' % (args, label))
        lines.append('dd.print(df.x:loc(%s):sum(), "%s_sum")' % (args, label))
    lines.append('dd.to_csv(df, "out.csv")')
    lines.append('dd.to_npy(df.i:loc(df.b), "ib")')
    lines.append('dd.to_npy(df.x, "x_out.npy")')
    lines.append('dd.to_npy(df.i:sum(), "isum")')
    return "\n".join(lines) + "\n"


def check(name, n, index_lua, index_pd, slices, partitions):
    d = tl.tempdir("fa_" + name)
    try:
        cols = make_arrays(np.random.default_rng(n), n, d)
        df = pd.DataFrame(cols, index=index_pd(n))
        outs = []
        for parts in partitions:
            exe, r = tl.build_program(script(n, index_lua, parts, slices), d)
            if not R.check(exe is not None, "%s: compiles (%d partitions)" % (name, parts),
                           tl.short(r.stderr)):
                return
            for threads in ["1", "2", "3"] if parts == partitions[0] else ["2"]:
                for f in ["out.csv", "ib.npy", "x_out.npy", "isum.npy"]:
                    if os.path.exists(os.path.join(d, f)):
                        os.remove(os.path.join(d, f))
                p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
                if not R.check(p.returncode == 0, "%s: runs (%s threads, %d partitions)"
                               % (name, threads, parts), tl.short(p.stderr)):
                    return
                with open(os.path.join(d, "out.csv")) as f:
                    outs.append(p.stdout + f.read())
        R.check(all(o == outs[0] for o in outs),
                name + ": the same output for 1, 2, 3 threads and %s partitions" % (partitions,))
        labels = {c[0] for c in CASES} | {s[0] for s in slices} | {s[0] + "_sum" for s in slices}
        got = td.sections(p.stdout, labels)
        bad = []
        want_all = [(label, fn(df), kind) for label, _, fn, kind in CASES]
        for label, _, fn in slices:
            want_all.append((label, fn(df), "text"))
            want_all.append((label + "_sum", fn(df.x).sum(), "num"))
        for label, want, kind in want_all:
            g = got.get(label)
            want = repr(want) if kind == "text" else want
            if g is None or not (td.close(g, want) if kind == "num" else g == want):
                bad.append("%s:\n--- got\n%s\n--- pandas\n%s" % (label, g, want))
        R.check(not bad, "%s: %d outputs as pandas" % (name, len(want_all)),
                "\n".join(bad[:3]) + ("\n(%d more)" % (len(bad) - 3) if len(bad) > 3 else ""))
        want_csv = df.to_csv()
        R.check(outs[0].endswith(want_csv), name + ": to_csv is pandas' to_csv",
                tl.short(outs[0][-len(want_csv):]))
        npys = [("ib", df.i.loc[df.b].to_numpy()), ("x_out", df.x.to_numpy()),
                ("isum", np.array(df.i.sum()))]
        for f, want in npys:
            got_a = np.load(os.path.join(d, f + ".npy"))
            R.check(got_a.dtype == want.dtype and got_a.shape == want.shape and
                    tl.same_values(got_a, want), "%s: dd.to_npy %s is numpy's" % (name, f),
                    "%s %s vs %s %s" % (got_a.dtype, got_a.shape, want.dtype, want.shape))
    finally:
        tl.rmtree(d)


def check_seed002():
    """examples/seed002_slurm.lua: the seed's frame and its mean, and the label slice of the
    issue"""
    d = tl.tempdir("fa_seed002")
    try:
        src = os.path.join(tl.SRC, "examples", "seed002_slurm.lua")
        r = tl.cdaskc([src, "-o", "prog"], cwd=d)
        if not R.check(r.returncode == 0, "seed 002: compiles", tl.short(r.stderr)):
            return
        p = tl.run([os.path.join(d, "prog"), "--out", d], cwd=d)
        if not R.check(p.returncode == 0, "seed 002: runs", tl.short(p.stderr)):
            return
        index = pd.date_range("2021-09-01", periods=2400, freq="1H")
        df = pd.DataFrame({"a": np.arange(2400)}, index=index)
        got = td.sections(p.stdout, {"mean", "october"})
        R.check(td.close(got.get("mean", ""), df.a.mean()), "seed 002: the mean is pandas'",
                str(got.get("mean")))
        want = repr(df.loc["2021-10-01":"2021-10-09 5:00"])
        R.check(got.get("october") == want, "seed 002: the label slice is pandas'",
                "%s\n--- pandas\n%s" % (got.get("october"), want))
        m = np.load(os.path.join(d, "mean.npy"))
        R.check(m.shape == () and m.dtype == np.float64 and float(m) == df.a.mean(),
                "seed 002: mean.npy holds the mean", repr(m))
    finally:
        tl.rmtree(d)


MPI_SCRIPT = """local da = require("cdask.array")
local dd = require("cdask.dataframe")
local index = dd.date_range("2021-09-01", {periods = 2400, freq = "1H"})
local x = da.from_npy("x.npy", {chunks = 500})
local df = dd.from_arrays({{"a", da.arange(2400, {chunks = 400}) * 3}, {"x", x}},
                          {index = index, npartitions = 6})
dd.print(df.x:mean(), "mean")
dd.print(df:loc("2021-10-01", "2021-10-09 5:00"), "october")
dd.print(df:assign{big = df.a:gt(3000)}:groupby("big"):agg{x = "sum"}, "gb")
dd.to_npy(df.x:loc("2021-10"), "oct")
dd.to_csv(df:loc(df.x:gt(1)), "big.csv")
"""


def check_mpi():
    """A from_arrays frame under --mpi: every rank computes its share of the columns, the
    ranks exchange them, each scans the frame; 1 and 3 ranks print and write what the
    program without --mpi does"""
    if not shutil.which("mpirun"):
        R.check(False, "mpirun is installed (libopenmpi-dev, openmpi-bin)")
        return
    d = tl.tempdir("fa_mpi")
    try:
        x = np.random.default_rng(5).normal(size=2400)
        x[::7] = np.nan
        np.save(os.path.join(d, "x.npy"), x)
        tl.write(os.path.join(d, "prog.lua"), MPI_SCRIPT)
        r1 = tl.cdaskc(["prog.lua", "-o", "one"], cwd=d)
        r2 = tl.cdaskc(["prog.lua", "-o", "many", "--mpi"], cwd=d)
        if not R.check(r1.returncode == 0 and r2.returncode == 0, "--mpi: compiles",
                       tl.short(r1.stderr + r2.stderr)):
            return
        outs = []
        env = dict(os.environ, OMP_NUM_THREADS="1")
        for name, cmd in [("one", ["./one"]),
                          ("np1", MPIRUN + ["-np", "1", "./many"]),
                          ("np3", MPIRUN + ["-np", "3", "./many"])]:
            o = os.path.join(d, "out_" + name)
            os.makedirs(o)
            p = tl.run(cmd + ["--out", o], cwd=d, env=env)
            if not R.check(p.returncode == 0, "--mpi: %s runs" % name, tl.short(p.stderr)):
                return
            files = sorted(os.listdir(o))
            outs.append((p.stdout, files, [open(os.path.join(o, f), "rb").read() for f in files]))
        R.check(outs[0][1] == ["big.csv", "oct.npy"] and outs[0] == outs[1] == outs[2],
                "--mpi: 1 and 3 ranks print and write what one process does",
                "%s\n%s" % (outs[0][1], outs[2][1]))
        df = pd.DataFrame({"a": np.arange(2400) * 3, "x": x},
                          index=pd.date_range("2021-09-01", periods=2400, freq="1H"))
        got = td.sections(outs[2][0], {"mean", "october", "gb"})
        R.check(td.close(got.get("mean", ""), df.x.mean()) and
                got.get("october") == repr(df.loc["2021-10-01":"2021-10-09 5:00"]) and
                got.get("gb") == repr(df.assign(big=df.a > 3000).groupby("big").agg({"x": "sum"})),
                "--mpi: 3 ranks' answers are pandas'", tl.short(outs[2][0]))
    finally:
        tl.rmtree(d)


ERRORS = [
    ('dd.date_range("2021-09-01", {periods = 3, freq = "M"})', "not a fixed frequency"),
    ('dd.date_range("2021-09-01", {periods = 3, freq = "-1H"})', "not a fixed frequency"),
    ('dd.date_range("2021-09-01", {periods = 3, ["end"] = "2021-10-01"})', "exactly two"),
    ('dd.date_range("2021-09-31", {periods = 3})', "is not a date"),
    ('dd.date_range("2200-01-01", {periods = 30000, freq = "D"})', "2262-04-11"),
    ("dd.from_arrays({a = da.arange(3), b = da.arange(3)})", "no order in Lua"),
    ('dd.from_arrays({{"a", da.arange(3)}, {"b", da.arange(4)}})', "has 4 rows"),
    ('dd.from_arrays({a = da.ones({2, 2})})', "1-d array"),
    ('dd.from_arrays({a = da.ones(3, {dtype = "complex128"})})', "is complex"),
    ('dd.from_arrays({a = da.arange(3)}, {index = dd.date_range("2021-01-01", {periods = 4})})',
     "the index has 4 labels"),
    ('dd.from_arrays({a = da.arange(3)}, {npartitions = 0})', "at least 1"),
    ('dd.from_arrays({a = da.arange(3)}):loc("2021-01-01", "2021-01-02")', "RangeIndex"),
    ('dd.from_arrays({a = da.arange(3)}, {index = dd.date_range("2021-01-01", {periods = 3, '
     'freq = "H"})}):loc(1, 2)', "DatetimeIndex"),
    ('dd.from_arrays({a = da.arange(3)}, {index = dd.date_range("2021-01-01", {periods = 3, '
     'freq = "H"})}):loc("2021-01-01 01:00")', "names one label"),
    ('dd.from_arrays({a = da.arange(3)}, {index = dd.date_range("2021-01-01", {periods = 3})})'
     ':loc("2021-13", "2021-14")', "is not a date"),
    ('dd.read_csv("data.csv"):loc(1, 2)', "CSV"),
    ('dd.to_npy(dd.read_csv("data.csv").s, "s")', "this is object"),
    ('dd.to_npy(dd.from_arrays({a = da.arange(3)}), "f")', "pick a column"),
]


def check_errors():
    d = tl.tempdir("fa_errors")
    try:
        tl.write(os.path.join(d, "data.csv"), "s,v\na,1\nb,2\n")
        prelude = 'local da = require("cdask.array")\nlocal dd = require("cdask.dataframe")\n'
        for k, (line, want) in enumerate(ERRORS):
            tl.write(os.path.join(d, "e.lua"), prelude + "local x = " + line + "\n")
            if os.path.exists(os.path.join(d, "e")):
                os.remove(os.path.join(d, "e"))
            r = tl.cdaskc(["e.lua", "-o", "e"], cwd=d)
            R.check(r.returncode != 0 and "e.lua:3:" in r.stderr and want in r.stderr and
                    not os.path.exists(os.path.join(d, "e")),
                    "error %d: %s" % (k, want), tl.short(r.stderr))
    finally:
        tl.rmtree(d)


def main():
    for name, index_lua, index_pd in INDEXES:
        slices = RANGE_SLICES if index_lua is None else DATE_SLICES[name]
        for n in [1, 75, 1000] if name == "hourly" else [75]:
            # one label at midnight has a resolution of a day: pandas looks "2021-09-02"
            # up as one label (a KeyError), cdask refuses it
            ok = [s for s in slices if n > 1 or s[0] != "sl_day"]
            parts = [6, 1, n] if n == 75 and name == "hourly" else [6]
            check("%s_%d" % (name, n), n, index_lua, index_pd, ok, parts)
    check_seed002()
    check_mpi()
    check_errors()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
