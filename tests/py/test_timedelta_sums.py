#!/usr/bin/python3
"""Sums, means and medians of timedelta64[ns] Series (and means and medians of datetimes),
against pandas (Debian's python3-pandas) on a generated CSV of datetimes to the nanosecond
with missing values (NaT), ends before starts and a key whose rows are all NaT:
- d:sum(), d:mean(), d:median() of d = df.b - df.a (pandas' str of the Timedelta), of an
  empty Series and of an all-NaT one (pandas: sum 0 days, mean and median NaT), a mean
  used in arithmetic (d - d:mean()) and in a comparison, a sum after head;
- groupby sum, mean, median of a timedelta column (in the scan and by sorting: with a
  median), NaT for a group without a value (0 days for its sum), written by to_csv; the
  medians against pandas' Series median of each group (median() below);
- the median of datetimes (whole seconds: pandas' float64 is exact there), the means of
  datetimes against Python's exact integers (pandas' float64 sum rounds them);
- durations of days whose totals pass 2^53 ns: sums, means and medians against Python's
  exact integer arithmetic (pandas' float64 sums lose nanoseconds there), mean truncated
  toward zero as pandas' cast of its float mean;
- 1, 2 and 3 threads and blocks of 1 kB print the same;
- a sum past int64's nanoseconds stops the run (exit 3) at the script's line, nothing
  written; what is still refused is an error at the script's line."""

import io
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R
pd = td.pd
BASE = 1612137600 * 10**9  # 2021-02-01 in ns


class Raw(str):
    """A value whose repr is its str: dd.print of a Scalar prints str(value)"""

    def __repr__(self):
        return str(self)


def stamp(ns):
    return str(pd.Timestamp(ns))


def make_csv(rng, n, spread, low=None, frac=True):
    """k, a, b, c: b - a within [low, spread] ns (low: -spread), to the ns when frac; key
    6's a always NaT; c whole seconds"""
    rows = []
    for i in range(n):
        k = rng.randrange(7)
        a = BASE + rng.randrange(20 * 86400) * 10**9
        if frac:
            a += rng.choice([0, 0, 500000000, 1, 999999999, rng.randrange(10**9)])
        b = a + rng.randrange(-spread if low is None else low, spread + 1)
        if frac and rng.random() < 0.3:
            b = a + rng.randrange(-5, 6)  # a few ns: the halves of means and medians
        c = BASE + rng.randrange(40 * 86400) * 10**9
        sa = "" if k == 6 or rng.random() < 0.08 else stamp(a)
        sb = "" if rng.random() < 0.08 else stamp(b)
        sc = "" if rng.random() < 0.1 else stamp(c)
        rows.append("%d,%s,%s,%s" % (k, sa, sb, sc))
    return "k,a,b,c\n" + "\n".join(rows) + "\n"


def dur(df):
    return df.b - df.a


def frame(df):
    return df.assign(dur=dur(df))


def ns_list(s):
    return [int(v) for v in s.dropna().astype("int64")]


def trunc_div(s, n):
    """s / n truncated toward zero, in Python's integers"""
    q = abs(s) // n
    return q if s >= 0 else -q


def exact_sum(s):
    return sum(ns_list(s))


def exact_mean(s):
    v = ns_list(s)
    return trunc_div(sum(v), len(v)) if v else None


def exact_median(s):
    v = sorted(ns_list(s))
    n = len(v)
    if not n:
        return None
    return v[n // 2] if n % 2 else trunc_div(v[n // 2 - 1] + v[n // 2], 2)


def as_td(v):
    return pd.NaT if v is None else pd.Timedelta(v, unit="ns")


def as_ts(v):
    return pd.NaT if v is None else pd.Timestamp(v)


def per_group(df, col, fn, to):
    """groupby("k")[col] of fn's exact value per group, as a Series of pandas' dtype"""
    keys = sorted(df.k.unique())
    s = pd.Series([to(fn(df.loc[df.k == k, col])) for k in keys], name=col)
    s.index = pd.Index(keys, name="k")
    return s


def median(s):
    """pandas' Series median of a group: pandas 1.5's groupby median of timedeltas and
    datetimes takes NaT for the smallest value (a bug: [1ns, 2ns, 3ns, NaT] gives 1ns), where
    cdask skips NaT as the Series median does"""
    return s.median()


D = "(df.b - df.a)"
F = 'df:assign{{"dur", df.b - df.a}}'
NONE = "(df:loc(df.k:gt(99)).b - df:loc(df.k:gt(99)).a)"
NATS = "(df:loc(df.k:eq(6)).b - df:loc(df.k:eq(6)).a)"
CASES = [
    ("sum", D + ":sum()", lambda df: Raw(str(dur(df).sum())), "text"),
    ("mean", D + ":mean()", lambda df: Raw(str(dur(df).mean())), "text"),
    ("median", D + ":median()", lambda df: Raw(str(dur(df).median())), "text"),
    ("neg_mean", "(-" + D + "):mean()", lambda df: Raw(str((-dur(df)).mean())), "text"),
    ("none_sum", NONE + ":sum()", lambda df: Raw(str(dur(df[df.k > 99]).sum())), "text"),
    ("none_mean", NONE + ":mean()", lambda df: Raw(str(dur(df[df.k > 99]).mean())), "text"),
    ("none_median", NONE + ":median()", lambda df: Raw(str(dur(df[df.k > 99]).median())),
     "text"),
    ("nat_sum", NATS + ":sum()", lambda df: Raw(str(dur(df[df.k == 6]).sum())), "text"),
    ("nat_mean", NATS + ":mean()", lambda df: Raw(str(dur(df[df.k == 6]).mean())), "text"),
    ("nat_median", NATS + ":median()", lambda df: Raw(str(dur(df[df.k == 6]).median())),
     "text"),
    ("head_sum", D + ":head(7):sum()", lambda df: Raw(str(dur(df).head(7).sum())), "text"),
    ("centered", D + " - " + D + ":mean()", lambda df: dur(df) - dur(df).mean(), "text"),
    ("above", D + ":gt(" + D + ":median())", lambda df: dur(df) > dur(df).median(), "text"),
    ("gsum", F + ':groupby("k"):agg{dur = "sum"}',
     lambda df: frame(df).groupby("k").agg({"dur": "sum"}), "text"),
    ("gmean", F + ':groupby("k").dur:mean()', lambda df: frame(df).groupby("k").dur.mean(),
     "text"),
    ("gmedian", F + ':groupby("k").dur:median()',
     lambda df: frame(df).groupby("k").dur.agg(median), "text"),
    ("gall", F + ':groupby("k"):agg{dur = {"sum", "mean", "median", "max"}}',
     lambda df: frame(df).groupby("k").agg({"dur": ["sum", "mean", median, "max"]}), "text"),
    ("cmedian", "df.c:median()", lambda df: Raw(str(df.c.median())), "text"),
    ("gcmedian", 'df:groupby("k").c:median()', lambda df: df.groupby("k").c.agg(median), "text"),
    ("amean", "df.a:mean()", lambda df: Raw(str(as_ts(exact_mean(df.a)))), "text"),
    ("gamean", 'df:groupby("k").a:mean()', lambda df: per_group(df, "a", exact_mean, as_ts),
     "text"),
]
# durations of days: totals past 2^53 ns, against Python's exact integers
BIG = [
    ("sum", D + ":sum()", lambda df: Raw(str(as_td(exact_sum(dur(df))))), "text"),
    ("mean", D + ":mean()", lambda df: Raw(str(as_td(exact_mean(dur(df))))), "text"),
    ("median", D + ":median()", lambda df: Raw(str(as_td(exact_median(dur(df))))), "text"),
    ("gsum", F + ':groupby("k").dur:sum()',
     lambda df: per_group(frame(df), "dur", exact_sum, as_td), "text"),
    ("gmean", F + ':groupby("k").dur:mean()',
     lambda df: per_group(frame(df), "dur", exact_mean, as_td), "text"),
    ("gmedian", F + ':groupby("k").dur:median()',
     lambda df: per_group(frame(df), "dur", exact_median, as_td), "text"),
]
READ = '"data.csv", {parse_dates = {"a", "b", "c"}%s}'
CSV = 'dd.to_csv(%s:groupby("k"):agg{dur = "sum"}, "out.csv")' % F


def script(opts, rows, cases):
    return td.printing_script(READ % opts, cases, CSV)


def check_file(name, text, opts="", cases=CASES):
    return td.check_file(name, text, opts, cases, script, None,
                         lambda df: frame(df).groupby("k").agg({"dur": "sum"}).to_csv(),
                         read_kw={"parse_dates": ["a", "b", "c"]})


def check_big(name, text, opts=""):
    df = pd.read_csv(io.StringIO(text), parse_dates=["a", "b", "c"])
    R.check(abs(exact_sum(dur(df))) > 2**53, name + ": the total passes 2^53 ns")
    return check_file(name, text, opts, BIG)


def check_overflow():
    """b - a of 200 years, twice: the sum passes int64's ns (pandas: ValueError too)"""
    text = "k,a,b\n1,1800-01-01,2000-01-01\n1,1800-01-01,2000-01-01\n"
    df = pd.read_csv(io.StringIO(text), parse_dates=["a", "b"])
    try:
        dur(df).sum()
        R.check(False, "overflow: pandas raises")
    except ValueError:
        pass
    pre = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"a", "b"}})\n')
    want = ("ValueError: overflow in timedelta operation: the sum is 12622694400000000000 ns, "
            "past the nanoseconds an int64 holds")
    td.check_run_fails("td sum overflow", {"data.csv": text},
                       pre + 'dd.print(%s:mean(), "m")\ndd.to_csv(df:assign{{"s", %s - %s:sum()}},'
                       ' "out.csv")\n' % (D, D, D), "the sum at prog.lua:4: " + want)
    td.check_run_fails("td groupby sum overflow", {"data.csv": text}, pre + CSV + "\n",
                       "the groupby at prog.lua:3: " + want)


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"a", "b"}})\n'
           'local d = df.b - df.a\n')
ERRORS = [
    ("astype", "d:astype(\"bool\")",
     "astype: TypeError: Cannot cast TimedeltaArray to dtype bool (astype(\"int64\") gives the "
     "nanoseconds)"),
    ("gvar", 'df:assign{d = d}:groupby("k"):agg{d = "var"}',
     "groupby var of column 'd' (timedelta64[ns]): pandas 1.5 raises TypeError: Cannot cast "
     "TimedeltaArray to dtype float64 (take the column's .dt:total_seconds() first)"),
    ("dsum", "df.a:sum()",
     "sum of a datetime64 Series is not supported yet (min, max, mean, median, std, quantile, "
     "count, nunique, value_counts, comparisons, sort_values, groupby, .dt and - are)"),
]


def main():
    rng = random.Random(7)
    td.check_errors_on("tds_err", make_csv(rng, 20, 3600 * 10**9), PRELUDE, ERRORS)
    check_overflow()
    # +-30 minutes: 3000 rows' totals stay below 2^53 ns, where pandas' float64 is exact
    td.check_sizes(check_file, lambda n: make_csv(rng, n, 1800 * 10**9),
                   [("one_row", 1), ("few", 40), ("many", 3000)], ", blocksize = 1024")
    td.check_sizes(check_big, lambda n: make_csv(rng, n, 5 * 86400 * 10**9, -86400 * 10**9),
                   [("big", 3000)], ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
