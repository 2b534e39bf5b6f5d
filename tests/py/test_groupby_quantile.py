#!/usr/bin/python3
"""groupby quantile against pandas (Debian's python3-pandas 1.5), bit for bit through
to_csv (floats as Python's repr):
- g.v:quantile(q) of floats with NaN, duplicates, -0.0 and 0.0 (whose sign pandas' stable
  sort decides: equal values keep the file's order) for q in 0, 0.1, 0.3, 0.5, 0.77, 1
  and the default (0.5); of int64 and of bool columns (float64 results);
- a group whose values are all missing (NaN), two keys (one of strings), sort = false;
- agg{v = "quantile", i = "sum"} (pandas' agg("quantile"): q 0.5), a frame's
  g:quantile(q) over its numeric columns;
- timedeltas (b - a) per group: Timedeltas, pandas' float cast back toward zero (on a file
  without NaT there: pandas 1.5's groupby quantile reads NaT as a number);
- 1, 2 and 3 threads and blocks of 1 kB write the same bytes;
- errors at the script's line: q outside [0, 1] (pandas' ValueError), a list of q's, a
  quantile of strings, transform("quantile"), resample's quantile."""

import io
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_dataframe as td  # noqa: E402

R = td.R
pd = td.pd
QS = [0, 0.1, 0.3, 0.5, 0.77, 1]
BASE = 1612137600  # 2021-02-01, in seconds


def make_csv(rng, n, nat):
    """k (0..6; 5: every v missing), s (strings), v (floats: NaN, zeros of both signs,
    repeats), i, b, a and c (datetimes; c - a within a day; a missing where nat)"""
    rows = []
    for _ in range(n):
        k = rng.randrange(7)
        v = rng.choice(["", "0.0", "-0.0", "1.5", "%.6f" % rng.uniform(-50, 50),
                        "%.3f" % rng.uniform(0, 5), str(rng.randrange(-3, 4))])
        if k == 5:
            v = ""
        a = BASE + rng.randrange(10 * 86400)
        sa = "" if nat and rng.random() < 0.1 else str(pd.Timestamp(a, unit="s"))
        sc = str(pd.Timestamp(a + rng.randrange(86400), unit="s") +
                 pd.Timedelta(rng.randrange(10**9), unit="ns"))
        rows.append("%d,%s,%s,%d,%s,%s,%s" % (k, rng.choice("xyz"), v, rng.randrange(-9, 10),
                                            rng.choice(["True", "False"]), sa, sc))
    return "k,s,v,i,b,a,c\n" + "\n".join(rows) + "\n"


def outputs():
    """(file, Lua expression, pandas function of df)"""
    out = [("q%d.csv" % j, 'df:groupby("k").v:quantile(%r)' % q,
            lambda df, q=q: df.groupby("k").v.quantile(q)) for j, q in enumerate(QS)]
    out += [
        ("default.csv", 'df:groupby("k").v:quantile()', lambda df: df.groupby("k").v.quantile()),
        ("ints.csv", 'df:groupby("k").i:quantile(0.37)',
         lambda df: df.groupby("k").i.quantile(0.37)),
        ("bools.csv", 'df:groupby("k").b:quantile(0.45)',
         lambda df: df.groupby("k").b.quantile(0.45)),
        ("two.csv", 'df:groupby({"k", "s"}, {sort = false}).v:quantile(0.6)',
         lambda df: df.groupby(["k", "s"], sort=False).v.quantile(0.6)),
        ("agg.csv", 'df:groupby("k"):agg{v = "quantile", i = "sum"}',
         lambda df: df.groupby("k").agg({"v": "quantile", "i": "sum"})),
        ("frame.csv", 'df[{"k", "v", "i"}]:groupby("k"):quantile(0.25)',
         lambda df: df[["k", "v", "i"]].groupby("k").quantile(0.25)),
        ("td.csv", 'df:assign{d = df.c - df.a}:groupby("k").d:quantile(0.3)',
         lambda df: df.assign(d=df.c - df.a).groupby("k").d.quantile(0.3)),
    ]
    return out


def script(opts):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv", {parse_dates = {"a", "c"}%s})' % opts]
    lines += ['dd.to_csv(%s, "%s")' % (expr, f) for f, expr, _ in outputs()]
    return "\n".join(lines) + "\n"


def check_file(name, text, opts=""):
    """Every output against pandas', for 1, 2, 3 threads; returns what the run wrote"""
    d = tl.tempdir("gbq_" + name)
    try:
        tl.write(os.path.join(d, "data.csv"), text)
        df = pd.read_csv(io.StringIO(text), parse_dates=["a", "c"])
        exe, r = tl.build_program(script(opts), d)
        if not R.check(exe is not None, name + ": compiles", tl.short(r.stderr)):
            return None
        runs = []
        for threads in ["1", "2", "3"]:
            p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
            if not R.check(p.returncode == 0, "%s: runs (%s threads)" % (name, threads),
                           tl.short(p.stderr)):
                return None
            got = {}
            for f, _, _ in outputs():
                with open(os.path.join(d, f)) as fh:
                    got[f] = fh.read()
            runs.append(got)
        R.check(runs[0] == runs[1] == runs[2], name + ": the same files for 1, 2, 3 threads")
        for f, expr, fn in outputs():
            if f == "td.csv" and df.a.isna().any():
                continue  # pandas 1.5 reads NaT as a number there
            want = fn(df).to_csv()
            R.check(runs[0][f] == want, "%s: %s as pandas" % (name, expr),
                    "got:\n%s\nwant:\n%s" % (runs[0][f][:600], want[:600]))
        return runs[0]
    finally:
        tl.rmtree(d)


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"a", "c"}})\n')
ERRORS = [
    ("q_out", 'df:groupby("k").v:quantile(1.5)',
     "groupby quantile: ValueError: Each 'q' must be between 0 and 1. Got '1.5' instead"),
    ("q_list", 'df:groupby("k").v:quantile({0.1, 0.9})',
     "groupby quantile of a list of q's is not supported yet (one q a call)"),
    ("strings", 'df:groupby("k").s:quantile(0.5)',
     "groupby: quantile of the strings of column 's' is not supported"),
    ("transform", 'df:groupby("k").v:transform("quantile")',
     "transform(\"quantile\") is not supported yet"),
    ("resample", 'df:set_index("a"):resample("1h").v:quantile(0.5)',
     "resample: quantile is not supported yet"),
]


def main():
    rng = random.Random(23)
    td.check_errors_on("gbq_err", make_csv(rng, 30, True), PRELUDE, ERRORS)
    for name, n, nat in [("one_row", 1, False), ("few", 60, True), ("many", 3000, False)]:
        text = make_csv(rng, n, nat)
        a = check_file(name, text)
        if n >= 1000:
            b = check_file(name + "_1k", text, ", blocksize = 1024")
            R.check(a is not None and a == b, name + ": blocks of 1 kB write what one block does")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
