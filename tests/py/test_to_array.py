#!/usr/bin/python3
"""to_array (issue 15): a column, a frame or a scalar of a dataframe pipeline into cdask.array
pipelines, against NumPy and pandas (Debian's) as the oracle:
- Series of int64, float64 (with NaN) and bool columns, a two-column frame (int64 with
  float64: float64, as pandas' .values), a scalar (0-d), a sorted Series cut with head, a
  describe frame, a filtered Series with lengths = N, a groupby's column with lengths = N;
  each then goes through array operations (arithmetic, reductions, slicing, transposes) and
  is written with da.to_npy, compared with NumPy on pandas' values (float sums within 1e-12,
  everything else exact);
- the file read whole by the sample (a small file) or with sample = "all"; the array's
  chunks as given, results the same for 1, 2 and 3 threads and under --mpi at 1 and 3 ranks;
- the program stops (exit 3, naming the script line and the lengths) when the rows are not
  the ones compiled for, and writes nothing;
- errors at the script's line: strings, datetimes, bools with numbers, rows known only at
  run time, bad lengths, a from_arrays frame, MultiIndex columns."""

import os
import shutil
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]
N = 30000  # more rows than the sample (20480): sample = "all" is what makes the rows known


def make_data(d):
    rng = np.random.default_rng(11)
    f = rng.normal(size=N)
    f[::13] = np.nan
    df = pd.DataFrame({"i": rng.integers(-1000, 1000, N), "f": f,
                       "b": rng.integers(0, 2, N).astype(bool),
                       "k": rng.choice(["x", "y", "z", "w"], N),
                       "t": pd.date_range("2020-01-01", periods=N, freq="T")})
    df.to_csv(os.path.join(d, "data.csv"), index=False)
    small = df.head(500)
    small.to_csv(os.path.join(d, "small.csv"), index=False)
    return pd.read_csv(os.path.join(d, "data.csv")), pd.read_csv(os.path.join(d, "small.csv"))


SCRIPT = """local da = require("cdask.array")
local dd = require("cdask.dataframe")
local df = dd.read_csv("data.csv", {sample = "all"})
local sm = dd.read_csv("small.csv")
local i = df.i:to_array{chunks = 4096}
local f = df.f:to_array()
da.to_npy(i, "i")
da.to_npy(f * 2 + i, "fi")
da.to_npy(da.nansum(f:reshape({N / 10, 10}), 1), "frows")
da.to_npy(df.b:to_array(), "b")
da.to_npy(df[{"i", "f"}]:to_array{chunks = {1000, 2}}.T, "if_t")
da.to_npy(sm.i:to_dask_array() - sm.i:mean():to_array(), "centred")
da.to_npy(df.i:sum():to_array(), "isum")
da.to_npy(df.f:std():to_array() * 2, "fstd2")
da.to_npy(df.f:sort_values():head(50):to_array(), "fhead")
da.to_npy(df[{"i", "f"}]:describe():to_array(), "desc")
da.to_npy(df.f:loc(df.i:gt(0)):to_array{lengths = NPOS}:cumsum(), "fpos")
da.to_npy(df:groupby("k"):agg{i = "sum"}.i:to_array{lengths = 4} * 1, "gbi")
da.to_npy(df.i:head(7):to_array() + da.arange(7), "head7")
"""


def want_values(df, small):
    pos = df.f[df.i > 0].to_numpy()
    gb = df.groupby("k").agg({"i": "sum"}).i.to_numpy()
    return {
        "i": df.i.to_numpy(),
        "fi": df.f.to_numpy() * 2 + df.i.to_numpy(),
        "frows": np.nansum(df.f.to_numpy().reshape(N // 10, 10), 1),
        "b": df.b.to_numpy(),
        "if_t": df[["i", "f"]].to_numpy().T,
        "centred": small.i.to_numpy() - small.i.mean(),
        "isum": np.array(df.i.sum()),
        "fstd2": np.array(df.f.std() * 2),
        "fhead": df.f.sort_values(kind="stable").head(50).to_numpy(),
        "desc": df[["i", "f"]].describe().to_numpy(),
        "fpos": np.cumsum(pos),
        "gbi": gb * 1,
        "head7": df.i.head(7).to_numpy() + np.arange(7),
    }


def close(got, want):
    """exact for integers and bools; floats within 1e-12 relative, NaN where NumPy has one"""
    if got.dtype != want.dtype or got.shape != want.shape:
        return False
    if got.dtype.kind != "f":
        return np.array_equal(got, want)
    return bool(np.all((np.isnan(got) & np.isnan(want)) |
                       (np.abs(got - want) <= 1e-12 * np.maximum(np.abs(want), 1))))


def run_all(d, exe_cmds):
    """Runs each (name, command) into its own output directory: {name: {file: bytes}}"""
    outs = {}
    for name, cmd, env in exe_cmds:
        o = os.path.join(d, "out_" + name)
        os.makedirs(o)
        p = tl.run(cmd + ["--out", o], cwd=d, env=env)
        if not R.check(p.returncode == 0, "%s runs" % name, tl.short(p.stderr)):
            return None
        outs[name] = {f: open(os.path.join(o, f), "rb").read() for f in sorted(os.listdir(o))}
    return outs


def check_values():
    d = tl.tempdir("to_array")
    try:
        df, small = make_data(d)
        npos = int((df.i > 0).sum())
        tl.write(os.path.join(d, "prog.lua"),
                 SCRIPT.replace("NPOS", str(npos)).replace("N / 10", str(N // 10)))
        r = tl.cdaskc(["prog.lua", "-o", "prog"], cwd=d)
        if not R.check(r.returncode == 0, "compiles", tl.short(r.stderr)):
            return
        cmds = [("t%d" % t, ["./prog"], dict(os.environ, OMP_NUM_THREADS=str(t)))
                for t in (1, 2, 3)]
        outs = run_all(d, cmds)
        if outs is None:
            return
        want = want_values(df, small)
        for name, w in want.items():
            got = np.load(os.path.join(d, "out_t1", name + ".npy"))
            R.check(close(got, w), "%s: NumPy's values on pandas'" % name,
                    tl.describe_diff(got, w))
        R.check(outs["t1"] == outs["t2"] == outs["t3"], "1, 2 and 3 threads write the same bits")
        check_mpi(d, outs["t1"])
        check_changed_file(d, df)
    finally:
        tl.rmtree(d)


def check_mpi(d, one):
    """--mpi at 1 and 3 ranks writes what one process does"""
    if not shutil.which("mpirun"):
        R.check(False, "mpirun is installed (libopenmpi-dev, openmpi-bin)")
        return
    r = tl.cdaskc(["prog.lua", "-o", "many", "--mpi"], cwd=d)
    if not R.check(r.returncode == 0, "--mpi: compiles", tl.short(r.stderr)):
        return
    env = dict(os.environ, OMP_NUM_THREADS="1")
    outs = run_all(d, [("np%d" % n, MPIRUN + ["-np", str(n), "./many"], env) for n in (1, 3)])
    if outs is not None:
        R.check(outs["np1"] == one and outs["np3"] == one,
                "--mpi: 1 and 3 ranks write what one process does")


def check_changed_file(d, df):
    """A file of other rows than compiled for: exit 3 naming the line, nothing written"""
    df.head(N - 3).to_csv(os.path.join(d, "data.csv"), index=False)
    o = os.path.join(d, "out_changed")
    os.makedirs(o)
    p = tl.run(["./prog", "--out", o], cwd=d)
    R.check(p.returncode == 3 and "to_array at prog.lua:5: the Series has %d rows; the program "
            "was compiled for %d" % (N - 3, N) in p.stderr and os.listdir(o) == [],
            "a file of fewer rows: exit 3 naming the script line, nothing written",
            "exit %d: %s; %s" % (p.returncode, tl.short(p.stderr), os.listdir(o)))


ERRORS = [
    ('dd.read_csv("data.csv").k:to_array()', "to_array takes numbers and bools; column 'k' is object"),
    ('dd.read_csv("data.csv", {parse_dates = {"t"}}).t:to_array()', "column 't' is datetime64[ns]"),
    ('dd.read_csv("data.csv")[{"i", "b"}]:to_array()', "column 'b' is bool and another is a number"),
    ('dd.read_csv("data.csv").i:to_array()', "known only when the program runs"),
    ('dd.read_csv("small.csv"):groupby("k"):agg{i = "sum"}.i:to_array()',
     "known only when the program runs"),
    ('s.i:loc(s.i:gt(0)):to_array()', "known only when the program runs"),
    ('dd.read_csv("small.csv").i:to_array{lengths = -1}', "lengths must be a non-negative"),
    ('dd.read_csv("small.csv").i:to_array{lengths = "x"}', "lengths must be the number of rows"),
    ('dd.from_arrays({{"a", da.arange(3)}}).a:to_array()', "made of arrays (dd.from_arrays)"),
    ('dd.read_csv("small.csv"):groupby("k"):agg{i = {"sum", "max"}}:to_array{lengths = 4}',
     "MultiIndex columns"),
]


def check_errors():
    d = tl.tempdir("to_array_errors")
    try:
        make_data(d)
        prelude = ('local da = require("cdask.array")\nlocal dd = require("cdask.dataframe")\n'
                   'local s = dd.read_csv("small.csv")\n')
        for k, (line, want) in enumerate(ERRORS):
            tl.write(os.path.join(d, "e.lua"), prelude + "da.print(" + line + ")\n")
            r = tl.cdaskc(["e.lua", "-o", "e"], cwd=d)
            R.check(r.returncode == 1 and "e.lua:4:" in r.stderr and want in r.stderr and
                    not os.path.exists(os.path.join(d, "e")),
                    "error %d: %s" % (k, want), tl.short(r.stderr))
    finally:
        tl.rmtree(d)


def main():
    check_values()
    check_errors()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
