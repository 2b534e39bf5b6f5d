#!/usr/bin/python3
"""Datetime arithmetic and timedelta64[ns] Series (issue 15), against pandas (Debian's
python3-pandas) on a generated CSV of two datetime columns with missing values (NaT),
fractions of seconds to the nanosecond, ends before starts and whole-day differences:
- b - a, a +/- dd.Timedelta, td + td, td * int64, -td, td / td and td / dd.Timedelta, a
  datetime minus its min (a Scalar): pandas' values, NaT where an operand is;
- .dt.days, .seconds, .microseconds, .nanoseconds and :total_seconds() (pandas' components:
  days rounded down), int64 or float64 as pandas types them;
- comparisons with strings ("1h30min"), dd.Timedelta("..."), dd.Timedelta(n, unit),
  dd.Timedelta{hours = ...} and another timedelta Series; masks selecting rows;
- printing as pandas prints timedeltas ("0 days 01:30:00", "-1 days +23:59:59.999999999",
  "N days" when every value is whole days; NaT), in Series, frames, Scalars and to_csv
  (which has total_seconds and ratios as Python's repr: every bit);
- sort_values, nlargest, groupby keys and min/max/count, value_counts, nunique;
- diff of datetimes (a frame's and a groupby's) and of timedeltas, cummax and cumsum (a
  Series' and a groupby's) of timedeltas;
- 1, 2 and 3 threads and blocks of 1 kB print the same;
- dd.Timedelta of pandas' string forms against pd.Timedelta (while compiling);
- what pandas refuses or cdask does not do yet: an error at the script's line."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R
tl = td.tl


class Raw(str):
    """A value whose repr is its str: dd.print of a Scalar prints str(value)"""

    def __repr__(self):
        return str(self)


def stamp(rng, base):
    """A datetime near base (seconds since 2021-01-01) with a random fraction"""
    s = base + rng.randrange(-3 * 86400, 3 * 86400)
    frac = rng.choice(["", "", ".5", ".250", ".000001", ".123456789", ".000000001"])
    d, r = divmod(s, 86400)
    return "2021-02-%02d %02d:%02d:%02d%s" % (1 + d, r // 3600, r // 60 % 60, r % 60, frac)


def make_csv(rng, n):
    rows = []
    for i in range(n):
        base = rng.randrange(5 * 86400, 20 * 86400)
        a = "" if rng.random() < 0.08 else stamp(rng, base)
        b = "" if rng.random() < 0.08 else stamp(rng, base)
        rows.append("%d,%s,%s,%d" % (rng.randrange(6), a, b, rng.randrange(-3, 5)))
    return "k,a,b,n\n" + "\n".join(rows) + "\n"


def dur(df):
    return df.b - df.a


def days(df):
    return df.b.dt.floor("D") - df.a.dt.floor("D")


def frame(df):
    return df.assign(dur=dur(df))


def skip_cumsum(s, by=None):
    """cumsum skipping NaT. pandas 1.5 adds NaT's int64 (-2^63) into the sums after it
    (nanops.na_accum_func); pandas 2 skips it, as cdask does."""
    z = s.fillna(td.pd.Timedelta(0))
    return (z.cumsum() if by is None else z.groupby(by).cumsum()).where(s.notna())


D = "(df.b - df.a)"
F = 'df:assign{{"dur", df.b - df.a}}'
CASES = [
    ("diff", D, dur, "text"),
    ("days", D + ".dt.days", lambda df: dur(df).dt.days, "text"),
    ("seconds", D + ".dt.seconds", lambda df: dur(df).dt.seconds, "text"),
    ("micros", D + ".dt.microseconds", lambda df: dur(df).dt.microseconds, "text"),
    ("nanos", D + ".dt.nanoseconds", lambda df: dur(df).dt.nanoseconds, "text"),
    ("total", D + ".dt:total_seconds()", lambda df: dur(df).dt.total_seconds(), "text"),
    ("whole", 'df.b.dt:floor("D") - df.a.dt:floor("D")', days, "text"),
    ("moved", 'df.a + dd.Timedelta("1 days 02:00:00.5")',
     lambda df: df.a + td.pd.Timedelta("1 days 02:00:00.5"), "text"),
    ("back", 'df.a - dd.Timedelta(90, "min")', lambda df: df.a - td.pd.Timedelta(90, "min"),
     "text"),
    ("first", 'dd.Timedelta{hours = 1, seconds = 0.25} + df.b',
     lambda df: td.pd.Timedelta(hours=1, seconds=0.25) + df.b, "text"),
    ("sum2", D + " + " + D, lambda df: dur(df) + dur(df), "text"),
    ("times", D + " * df.n", lambda df: dur(df) * df.n, "text"),
    ("times3", "3 * " + D, lambda df: 3 * dur(df), "text"),
    ("neg", "-" + D, lambda df: -dur(df), "text"),
    ("hours", D + ' / dd.Timedelta("1h")', lambda df: dur(df) / td.pd.Timedelta("1h"), "text"),
    ("ratio", D + " / (df.b - df.b:min())", lambda df: dur(df) / (df.b - df.b.min()), "text"),
    ("since", "df.a - df.a:min()", lambda df: df.a - df.a.min(), "text"),
    ("gt", D + ':gt("1h30min")', lambda df: dur(df) > td.pd.Timedelta("1h30min"), "text"),
    ("le", D + ":le(dd.Timedelta{days = -1, minutes = 30})",
     lambda df: dur(df) <= td.pd.Timedelta(days=-1, minutes=30), "text"),
    ("eq", "(df.b - df.a):eq(df.b - df.a)", lambda df: dur(df) == dur(df), "text"),
    ("ne", D + ':ne("0 days")', lambda df: dur(df) != td.pd.Timedelta(0), "text"),
    ("mask", 'df:loc((df.b - df.a):lt("-1 days 12:00:00"), {"k", "a"})',
     lambda df: df.loc[dur(df) < td.pd.Timedelta("-1 days 12:00:00"), ["k", "a"]], "text"),
    ("frame", F, frame, "text"),
    ("sorted", F + ':sort_values("dur")',
     lambda df: frame(df).sort_values("dur", kind="stable"), "text"),
    ("nlargest", F + ':nlargest(3, "dur")', lambda df: frame(df).nlargest(3, "dur"), "text"),
    ("gmax", F + ':groupby("k"):agg{dur = "max"}',
     lambda df: frame(df).groupby("k").agg({"dur": "max"}), "text"),
    ("gmin", F + ':groupby("k"):agg{dur = "min"}',
     lambda df: frame(df).groupby("k").agg({"dur": "min"}), "text"),
    ("gcount", F + ':groupby("k"):agg{dur = "count"}',
     lambda df: frame(df).groupby("k").agg({"dur": "count"}), "text"),
    ("bykey", 'df:assign{{"w", df.b.dt:floor("D") - df.a.dt:floor("D")}}:groupby("w"):agg{n = '
     '"sum"}', lambda df: df.assign(w=days(df)).groupby("w").agg({"n": "sum"}), "text"),
    ("vc", '(df.b.dt:floor("D") - df.a.dt:floor("D")):value_counts()',
     lambda df: td.counts(days(df)), "text"),
    ("adiff", "df.a:diff()", lambda df: df.a.diff(), "text"),
    ("gdiff", 'df:groupby("k").b:diff(-2)', lambda df: df.groupby("k").b.diff(-2), "text"),
    ("tdiff", D + ":diff(2)", lambda df: dur(df).diff(2), "text"),
    ("cummax", D + ":cummax()", lambda df: dur(df).cummax(), "text"),
    ("cumsum", D + ":cumsum()", lambda df: skip_cumsum(dur(df)), "text"),
    ("gcumsum", F + ':groupby("k").dur:cumsum()',
     lambda df: skip_cumsum(dur(df), df.k).rename("dur"), "text"),
    ("nunique", D + ":nunique()", lambda df: dur(df).nunique(), "num"),
    ("count", D + ":count()", lambda df: dur(df).count(), "num"),
    ("max", D + ":max()", lambda df: Raw(str(dur(df).max())), "text"),
    ("min", D + ":min()", lambda df: Raw(str(dur(df).min())), "text"),
]


def script(opts, rows, cases):
    return td.printing_script('"data.csv", {parse_dates = {"a", "b"}%s}' % opts, cases,
                              'dd.to_csv(df:assign{{"dur", df.b - df.a}, '
                              '{"w", df.b.dt:floor("D") - df.a.dt:floor("D")}, '
                              '{"ts", (df.b - df.a).dt:total_seconds()}, '
                              '{"h", (df.b - df.a) / dd.Timedelta("1h")}}, "out.csv")')


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: df.assign(dur=dur(df), w=days(df),
                                              ts=dur(df).dt.total_seconds(),
                                              h=dur(df) / td.pd.Timedelta("1h")).to_csv(),
                         read_kw={"parse_dates": ["a", "b"]})


STRINGS = ["1h", "1 hour", "2 days", "1 days 02:00:00", "00:30:00", "1.5h", "-1h", "1d2h",
           "90min", "30s", "100ms", "5us", "10ns", "1w", "1 day, 2:00:00", "-1 days +23:59:59",
           "2h30m", "1D", "1T", "1S", "1H", "-00:00:01", "+1h", " 1h ", "1h 30min", "-1d2h",
           "-1 days 02:00:00", "-1.5h", "1 days 2 hours", "1 day 2:00:00.5",
           "2 days, 1:02:03.000004", "1:2:3", "01:02:03.1234567891", "100:00:00",
           "1 days 25:00:00", "00:61:00", "1.h", "1 hour 1 hour", "0.000000001s", "3 days"]


def check_strings():
    """dd.Timedelta(s) printed while compiling: str(pd.Timedelta(s)) for pandas' forms"""
    import pandas as pd
    d = tl.tempdir("td_strings")
    try:
        lua = ['local dd = require("cdask.dataframe")']
        lua += ['print(dd.Timedelta("%s"))' % s for s in STRINGS]
        tl.write(os.path.join(d, "s.lua"), "\n".join(lua) + "\n")
        r = tl.cdaskc(["s.lua", "-o", "s"], cwd=d)
        want = "".join(str(pd.Timedelta(s)) + "\n" for s in STRINGS)
        R.check(r.returncode == 0 and r.stdout == want, "dd.Timedelta reads pandas' strings",
                tl.describe_diff(r.stdout, want))
    finally:
        tl.rmtree(d)


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"a", "b"}})\n'
           'local d = df.b - df.a\n')
ERRORS = [
    ("astype", "d:astype(\"float64\")",
     "astype: TypeError: Cannot cast TimedeltaArray to dtype float64 (astype(\"int64\") gives "
     "the nanoseconds)"),
    ("add_dates", "df.a + df.b",
     "TypeError: unsupported operand types for add: datetime64[ns] and datetime64[ns] "
     "(pandas' datetime arithmetic here: datetime - datetime, datetime +/- timedelta, "
     "timedelta +/- timedelta, timedelta * integer, timedelta / timedelta, and comparisons)"),
    ("float_times", "d * 1.5",
     "TypeError: unsupported operand types for multiply: timedelta64[ns] and float64 "
     "(pandas' datetime arithmetic here: datetime - datetime, datetime +/- timedelta, "
     "timedelta +/- timedelta, timedelta * integer, timedelta / timedelta, and comparisons)"),
    ("number", "d:gt(5)",
     "TypeError: a timedelta64[ns] Series compares with timedeltas (a timedelta Series, "
     "dd.Timedelta(\"1h\") or a string such as \"1h30min\"), got int64"),
    ("bad_string", "d:gt(\"1 fortnight\")",
     "cannot read '1 fortnight' as a timedelta (\"1h30min\", \"2 days\", \"1 days 02:00:00\")"),
    ("constructor", "dd.Timedelta(\"soon\")",
     "dd.Timedelta: cannot read 'soon' as a timedelta (\"1h30min\", \"2 days\", "
     "\"1 days 02:00:00\")"),
    ("unit", "dd.Timedelta(3, \"fortnights\")",
     "dd.Timedelta: unknown unit 'fortnights' (W, D, h, min, s, ms, us, ns)"),
    ("field", "d.dt.year",
     "dt of a timedelta64 Series has no attribute 'year' (days, seconds, microseconds, "
     "nanoseconds; total_seconds, floor, ceil, round)"),
    ("fillna", "d:fillna(0)",
     "fillna: a int64 value for a Series of timedelta64[ns] would change its dtype (give "
     "timedeltas: a Series or a Scalar of them, or dd.Timedelta(\"1h\"))"),
]


def main():
    check_strings()
    td.check_errors_on("td_err", make_csv(random.Random(5), 20), PRELUDE, ERRORS)
    rng = random.Random(41)
    td.check_sizes(check_file, lambda n: make_csv(rng, n),
                   [("one_row", 1), ("few", 40), ("many", 3000)], ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
