#!/usr/bin/python3
"""Rolling time windows (issue 15), against pandas (Debian's python3-pandas) as the oracle on
generated CSV files: timestamps in order (ties, gaps of up to 1.5 hours), a float column
with missing values and an int column; one row, a few, thousands over many blocks; the same
rows in decreasing time order (pandas rolls those too):
- df:rolling("2H", {on = "ts"}) of a frame: its other columns in order of their names and
  ts back where it stood among them, as pandas 1.5 orders them;
- a DatetimeIndex's (set_index("ts"), a from_arrays frame's date_range) rolling of a
  Series and of a frame;
- sum, mean, std, var, min, max, count, median, quantile; min_periods; closed "right"
  (pandas' default), "both", "left", "neither"; center (half the span either way);
- each window holds the rows within the span before a row, up to the row itself: equal
  timestamps after it are not in its window, as pandas';
- the Rolling object's repr is pandas';
- errors: a RangeIndex, on of another dtype or missing, on with a window of rows
  (compile time, at the script's line); timestamps out of order or NaT (exit 3 with
  pandas' ValueError, nothing written).
The text of each dd.print is exactly pandas' repr (floats within 1e-12); 1, 2 and 3
threads and blocks of 1 kB print the same."""

import datetime
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R
tl = td.tl


def by_index(df):
    return df.sort_values("ts", kind="stable").set_index("ts")


CASES = [
    ("on_sum", 'df:rolling("2H", {on = "ts"}):sum()', lambda df: df.rolling("2H", on="ts").sum(),
     "text"),
    ("on_mean", 'df[{"x", "ts", "i"}]:rolling("45min", {on = "ts"}):mean()',
     lambda df: df[["x", "ts", "i"]].rolling("45min", on="ts").mean(), "text"),
    ("on_count", 'df[{"x", "i", "ts"}]:rolling("1H", {on = "ts", closed = "left"}):count()',
     lambda df: df[["x", "i", "ts"]].rolling("1H", on="ts", closed="left").count(), "text"),
    ("max", 'df:set_index("ts").x:rolling("3H"):max()',
     lambda df: by_index(df).x.rolling("3H").max(), "text"),
    ("std", 'df:set_index("ts").x:rolling("2H", {min_periods = 2}):std()',
     lambda df: by_index(df).x.rolling("2H", min_periods=2).std(), "text"),
    ("var", 'df:set_index("ts").i:rolling("150min", {closed = "neither"}):var()',
     lambda df: by_index(df).i.rolling("150min", closed="neither").var(), "text"),
    ("min", 'df:set_index("ts").i:rolling("2H", {closed = "both"}):min()',
     lambda df: by_index(df).i.rolling("2H", closed="both").min(), "text"),
    ("left_sum", 'df:set_index("ts").x:rolling("2H", {closed = "left"}):sum()',
     lambda df: by_index(df).x.rolling("2H", closed="left").sum(), "text"),
    ("frame", 'df:set_index("ts"):rolling("90min", {min_periods = 2}):mean()',
     lambda df: by_index(df).rolling("90min", min_periods=2).mean(), "text"),
    ("median", 'df:set_index("ts").x:rolling("4H"):median()',
     lambda df: by_index(df).x.rolling("4H").median(), "text"),
    ("quantile", 'df:set_index("ts").x:rolling("4H"):quantile(0.25)',
     lambda df: by_index(df).x.rolling("4H").quantile(0.25), "text"),
    ("center", 'df:rolling("2H", {on = "ts", center = true}):sum()',
     lambda df: df.rolling("2H", on="ts", center=True).sum(), "text"),
    ("center_both", 'df:set_index("ts").x:rolling("3H", {center = true, closed = "both"}):max()',
     lambda df: by_index(df).x.rolling("3H", center=True, closed="both").max(), "text"),
    ("center_left", 'df[{"i", "ts"}]:rolling("61min", {on = "ts", center = true, '
                    'closed = "left"}):count()',
     lambda df: df[["i", "ts"]].rolling("61min", on="ts", center=True, closed="left").count(),
     "text"),
    ("center_neither", 'df:set_index("ts").x:rolling("90min", {center = true, '
                       'closed = "neither"}):mean()',
     lambda df: by_index(df).x.rolling("90min", center=True, closed="neither").mean(), "text"),
    ("day", 'df:set_index("ts").i:rolling("1D"):sum()',
     lambda df: by_index(df).i.rolling("1D").sum(), "text"),
]


def make_csv(rng, n, decreasing=False):
    """n rows: ts in order from 2021-03-01 (steps of 0 to 90 minutes: ties), x (floats, one
    in ten missing), i (ints)"""
    t = datetime.datetime(2021, 3, 1)
    rows = []
    for _ in range(n):
        t += datetime.timedelta(minutes=rng.choice([0, 0, 5, 15, 30, 45, 60, 90]))
        x = "" if rng.random() < 0.1 else "%.3f" % rng.uniform(-50, 50)
        rows.append("%s,%s,%d" % (t.strftime("%Y-%m-%d %H:%M:%S"), x, rng.randint(-20, 20)))
    if decreasing:
        rows.reverse()
    return "ts,x,i\n" + "\n".join(rows) + "\n"


def script(opts, rows, cases):
    return td.printing_script('"data.csv", {parse_dates = {"ts"}%s}' % opts, cases,
                              'dd.to_csv(df:rolling("2H", {on = "ts"}):max(), "out.csv")')


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: df.rolling("2H", on="ts").max().to_csv(),
                         read_kw={"parse_dates": ["ts"]})


def check_repr():
    """print(df:rolling(...)) while compiling shows pandas' repr of the Rolling object"""
    d = tl.tempdir("trepr")
    try:
        text = make_csv(random.Random(1), 5)
        tl.write(os.path.join(d, "data.csv"), text)
        forms = [('df:rolling("2H", {on = "ts"})', lambda df: df.rolling("2H", on="ts")),
                 ('df:set_index("ts").x:rolling("30min", {closed = "both", min_periods = 2, '
                  'center = true})',
                  lambda df: by_index(df).x.rolling("30min", closed="both", min_periods=2,
                                                    center=True))]
        tl.write(os.path.join(d, "p.lua"),
                 'local dd = require("cdask.dataframe")\n'
                 'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}})\n' +
                 "".join("print(%s)\n" % f for f, _ in forms))
        r = tl.cdaskc(["p.lua", "-o", "p"], cwd=d)
        df = td.pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["ts"])
        want = "".join(repr(fn(df)) + "\n" for _, fn in forms)
        R.check(r.returncode == 0 and r.stdout == want, "the Rolling's repr is pandas'",
                "%s\n%s--- pandas\n%s" % (tl.short(r.stderr), r.stdout, want))
    finally:
        tl.rmtree(d)


def check_from_arrays():
    """seed 002's kind of frame: a date_range index, rolled by time (of a filter too)"""
    d = tl.tempdir("troll_arrays")
    try:
        lua = ('local da = require("cdask.array")\n'
               'local dd = require("cdask.dataframe")\n'
               'local x = da.arange(50)\n'
               'local df = dd.from_arrays({{"a", x}, {"b", x * 0.5}}, {index = dd.date_range('
               '"2021-09-01 03:00", {periods = 50, freq = "30min"}), npartitions = 3})\n'
               'dd.print(df:rolling("1H"):sum(), "m")\n'
               'dd.print(df:loc(df.a:gt(20)).b:rolling("65min"):mean(), "n")\n')
        exe, r = tl.build_program(lua, d)
        if not R.check(exe is not None, "from_arrays: compiles", tl.short(r.stderr)):
            return
        p = tl.run([exe, "--out", d], cwd=d)
        got = td.sections(p.stdout, {"m", "n"})
        idx = td.pd.date_range("2021-09-01 03:00", periods=50, freq="30min")
        df = td.pd.DataFrame({"a": range(50), "b": [i * 0.5 for i in range(50)]}, index=idx)
        for label, want in (("m", df.rolling("1H").sum()),
                            ("n", df.loc[df.a > 20].b.rolling("65min").mean())):
            R.check(got.get(label) == repr(want), "from_arrays: %s is pandas'" % label,
                    "%s\n--- pandas\n%r" % (got.get(label), want))
    finally:
        tl.rmtree(d)


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}})\n')
ERRORS = [
    ("range_index", 'df:rolling("2H"):sum()',
     'rolling: ValueError: window must be an integer 0 or greater (a time window needs a '
     'DatetimeIndex: df:set_index("ts") first, or give {on = "ts"})'),
    ("on_float", 'df:rolling("2H", {on = "x"}):sum()',
     "rolling: ValueError: window must be an integer 0 or greater (on = 'x' is float64, not "
     "datetime64)"),
    ("on_missing", 'df:rolling("2H", {on = "when"}):sum()',
     "rolling: ValueError: invalid on specified as when, must be a column (of DataFrame), an "
     "Index or None"),
    ("rows_on", 'df:rolling(3, {on = "ts"}):sum()',
     'rolling: on is for a time window (rolling("2H", {on = "ts"}))'),
    ("closed", 'df:set_index("ts"):rolling("2H", {closed = "up"}):sum()',
     "rolling: ValueError: closed must be 'right', 'left', 'both' or 'neither'"),
    ("freq", 'df:set_index("ts"):rolling("2Q"):sum()',
     "rolling: freq '2Q' is not a fixed frequency cdask knows (a number and D, h, min, s, ms, "
     "us or ns; months, years and weeks are not supported yet)"),
]


def main():
    td.check_errors_on("troll_err", make_csv(random.Random(5), 20), PRELUDE, ERRORS)
    prog = PRELUDE + 'dd.to_csv(df:rolling("2H", {on = "ts"}):sum(), "out.csv")\n'
    td.check_run_fails("out of order", {"data.csv": "ts,x\n2021-03-01 02:00,1\n"
                       "2021-03-01 01:00,2\n2021-03-01 03:00,3\n"}, prog,
                       "rolling: ValueError: ts values must be monotonic")
    td.check_run_fails("NaT", {"data.csv": "ts,x\n2021-03-01 02:00,1\n,2\n"}, prog,
                       "rolling: ValueError: ts values must not have NaT (row 1)")
    check_repr()
    check_from_arrays()
    rng = random.Random(4242)
    td.check_sizes(check_file, lambda n: make_csv(rng, n),
                   [("one_row", 1), ("few", 9), ("many", 3000)], ", blocksize = 1024")
    check_file("decreasing", make_csv(rng, 400, decreasing=True))
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
