#!/usr/bin/python3
"""std and quantile of timedelta64[ns] and datetime64[ns] Series, and the arithmetic of
Timedelta and Timestamp Scalars, against pandas (Debian's python3-pandas) on the generated
CSV of tests/py/test_timedelta_sums.py (datetimes to the nanosecond, NaT, ends before
starts, a key whose rows are all NaT):
- d:std() of d = df.b - df.a and of a datetime column (a Timedelta, as pandas' nanstd:
  the float std of the nanoseconds, truncated toward zero), of no value and of one (NaT),
  after head, of a computed Series (a groupby's max);
- d:quantile(q) for q in 0, 0.07, 0.3, 0.5, 1 and a list of q's, of datetimes, of no value
  (NaT), of a computed Series: NumPy's linear percentile of the int64 nanoseconds cast back
  (the float quantile of int64 and float64 columns now takes NumPy's own virtual index too,
  checked bit for bit);
- abs of timedeltas, fillna of timedeltas (a dd.Timedelta, a Scalar) and datetimes (a
  Series, a Scalar);
- Scalars: Timedelta * or / an integer or a float (truncated toward zero), Timedelta /
  Timedelta, -Timedelta, Timestamp - Timestamp, Timestamp + dd.Timedelta, dd.Timedelta + a
  Timestamp, a Timedelta over dd.Timedelta("1min"); such Scalars in a Series' arithmetic and
  in a filter;
- 1, 2 and 3 threads and blocks of 1 kB print the same;
- errors: var (pandas' TypeError), groupby std, a Timedelta plus a number, a Timedelta
  times a Timedelta, division by a constant 0 (at the script's line); division by zero and
  overflow at run time (exit 3, the line, nothing written)."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402
import test_timedelta_sums as tds  # noqa: E402

R = td.R
pd = td.pd
Raw = tds.Raw
T = pd.Timedelta


def dur(df):
    return df.b - df.a


def text(v):
    return Raw(str(v))


D = "(df.b - df.a)"
NONE = "(df:loc(df.k:gt(99)).b - df:loc(df.k:gt(99)).a)"
GMAX = 'df:assign{{"dur", df.b - df.a}}:groupby("k").dur:max()'
QS = [0, 0.07, 0.3, 0.5, 1]
FQ = [0.07, 0.13, 0.29, 0.57, 0.91, 0.33]
CASES = [
    ("std", D + ":std()", lambda df: text(dur(df).std()), "text"),
    ("cstd", "df.c:std()", lambda df: text(df.c.std()), "text"),
    ("none_std", NONE + ":std()", lambda df: text(dur(df[df.k > 99]).std()), "text"),
    ("one_std", "df:head(1).c:std()", lambda df: text(df.c.head(1).std()), "text"),
    ("head_std", D + ":head(9):std()", lambda df: text(dur(df).head(9).std()), "text"),
    ("gmax_std", GMAX + ":std()",
     lambda df: text(df.assign(dur=dur(df)).groupby("k").dur.max().std()), "text"),
]
CASES += [("q%d" % i, "%s:quantile(%r)" % (D, q), lambda df, q=q: text(dur(df).quantile(q)),
           "text") for i, q in enumerate(QS)]
CASES += [
    ("qlist", D + ":quantile({0.25, 0.5, 0.07, 1})",
     lambda df: dur(df).quantile([0.25, 0.5, 0.07, 1]), "text"),
    ("cq", "df.c:quantile(0.3)", lambda df: text(df.c.quantile(0.3)), "text"),
    ("cqlist", "df.c:quantile({0.1, 0.9})", lambda df: df.c.quantile([0.1, 0.9]), "text"),
    ("none_q", NONE + ":quantile(0.3)", lambda df: text(dur(df[df.k > 99]).quantile(0.3)),
     "text"),
    ("gmax_q", GMAX + ":quantile(0.3)",
     lambda df: text(df.assign(dur=dur(df)).groupby("k").dur.max().quantile(0.3)), "text"),
    # the float quantile: NumPy's virtual index (n - 1) q of q * 100 / 100, bit for bit
    ("kq", "df.k:quantile(0.07)", lambda df: text(repr(df.k.quantile(0.07))), "text"),

] + [("fq%d" % i, "%s.dt:total_seconds():quantile(%r)" % (D, q),
        lambda df, q=q: text(repr(dur(df).dt.total_seconds().quantile(q))), "text")
       for i, q in enumerate(FQ)] + [
    # Scalars of Timedeltas and Timestamps
    ("mul", D + ":mean() * 3", lambda df: text(dur(df).mean() * 3), "text"),
    ("mulf", D + ":mean() * 1.5", lambda df: text(dur(df).mean() * 1.5), "text"),
    ("fmul", "0.7 * " + D + ":max()", lambda df: text(0.7 * dur(df).max()), "text"),
    ("div", D + ":sum() / 7", lambda df: text(dur(df).sum() / 7), "text"),
    ("divf", D + ":std() / 2.5", lambda df: text(dur(df).std() / 2.5), "text"),
    ("ratio", D + ":mean() / " + D + ":std()",
     lambda df: text(repr(dur(df).mean() / dur(df).std())), "text"),
    ("neg", "-" + D + ":min()", lambda df: text(-dur(df).min()), "text"),
    ("range", D + ":max() - " + D + ":min()", lambda df: text(dur(df).max() - dur(df).min()),
     "text"),
    ("span", "df.c:max() - df.c:min()", lambda df: text(df.c.max() - df.c.min()), "text"),
    ("later", 'df.c:min() + dd.Timedelta("1h30min")', lambda df: text(df.c.min() + T("1h30min")),
     "text"),
    ("later2", 'dd.Timedelta("-2 days") + df.c:median()',
     lambda df: text(T("-2 days") + df.c.median()), "text"),
    ("mins", D + ':sum() / dd.Timedelta("1min")', lambda df: text(repr(dur(df).sum() / T("1min"))),
     "text"),
    # abs and fillna of timedeltas (and fillna of datetimes)
    ("abs", "(df.a - df.b):abs()", lambda df: (df.a - df.b).abs(), "text"),
    ("fill_td", D + ':fillna(dd.Timedelta("1h"))', lambda df: dur(df).fillna(T("1h")), "text"),
    ("fill_mean", D + ":fillna(" + D + ":mean())", lambda df: dur(df).fillna(dur(df).mean()),
     "text"),
    ("fill_dt", "df.b:fillna(df.a)", lambda df: df.b.fillna(df.a), "text"),
    ("fill_min", "df.b:fillna(df.c:min())", lambda df: df.b.fillna(df.c.min()), "text"),
    ("shifted", D + " - " + D + ":std() * 2", lambda df: dur(df) - dur(df).std() * 2, "text"),
    ("wide", D + ":gt(" + D + ":quantile(0.9) - " + D + ":std() / 3)",
     lambda df: dur(df) > dur(df).quantile(0.9) - dur(df).std() / 3, "text"),
]
READ = '"data.csv", {parse_dates = {"a", "b", "c"}%s}'


def script(opts, rows, cases):
    return td.printing_script(READ % opts, cases, 'dd.to_csv(df:loc(%s:gt(%s:quantile(0.25) * '
                              '2)), "out.csv")' % (D, D))


def check_file(name, data, opts=""):
    return td.check_file(
        name, data, opts, CASES, script, None,
        lambda df: df.loc[dur(df) > dur(df).quantile(0.25) * 2].to_csv(),
        read_kw={"parse_dates": ["a", "b", "c"]})


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"a", "b"}})\n'
           'local d = df.b - df.a\n')
WHY = (" (pandas' Timedelta and Timestamp arithmetic: Timestamp - Timestamp, Timestamp +/- "
       "Timedelta, Timedelta +/- Timedelta, Timedelta * or / a number, Timedelta / Timedelta)")
ERRORS = [
    ("var", "d:var()",
     "TypeError: 'TimedeltaArray' with dtype timedelta64[ns] does not support reduction 'var' "
     "(std does: a Timedelta)"),
    ("dvar", "df.a:var()",
     "TypeError: 'DatetimeArray' with dtype datetime64[ns] does not support reduction 'var' "
     "(std does: a Timedelta)"),
    ("gstd", 'df:assign{d = d}:groupby("k"):agg{d = "std"}',
     "groupby std of column 'd' (timedelta64[ns]): pandas 1.5 raises TypeError: Cannot cast "
     "TimedeltaArray to dtype float64 (take the column's .dt:total_seconds() first)"),
    ("plus1", "d:mean() + 1",
     "TypeError: unsupported operand types for add: timedelta64[ns] and int64" + WHY),
    ("square", "d:mean() * d:mean()",
     "TypeError: unsupported operand types for multiply: timedelta64[ns] and timedelta64[ns]"
     + WHY),
    ("zero", "d:mean() / 0", "ZeroDivisionError: division of a Timedelta by zero"),
    ("fill_num", "df.k:fillna(d:mean())",
     "fillna: a timedelta64[ns] value for a Series of int64 would change its dtype (not "
     "supported)"),
    ("fill_dt", "df.a:fillna(dd.Timedelta(\"1h\"))",
     "fillna: a timedelta64[ns] value for a Series of datetime64[ns] would change its dtype "
     "(give datetimes: a Series or a Scalar of them, such as df.a:min())"),
]


def check_pandas_refuses():
    """what ERRORS refuse, pandas 1.5 refuses too"""
    df = pd.DataFrame({"k": [1, 1, 2], "d": pd.to_timedelta(["1h", "2h", "3h"])})
    for name, fn in [("var", lambda: df.d.var()), ("gstd", lambda: df.groupby("k").d.std()),
                     ("plus1", lambda: df.d.mean() + 1),
                     ("square", lambda: df.d.mean() * df.d.mean())]:
        try:
            fn()
            R.check(False, "pandas refuses " + name)
        except TypeError:
            pass


def check_run_errors(data):
    pre = PRELUDE.replace('{"a", "b"}', '{"a", "b", "c"}')
    td.check_run_fails("td zero division", {"data.csv": data},
                       pre + 'dd.print(d:mean() / (df.k:count() - df.k:count()), "z")\n'
                       'dd.to_csv(df, "out.csv")\n',
                       "the arithmetic at prog.lua:4: ZeroDivisionError: division by zero")
    td.check_run_fails("td overflow", {"data.csv": data},
                       pre + 'dd.print(d:max() * 1000000000000, "o")\ndd.to_csv(df, "out.csv")\n',
                       "the arithmetic at prog.lua:4: OverflowError")


def main():
    rng = random.Random(11)
    small = tds.make_csv(rng, 20, 3600 * 10**9)
    td.check_errors_on("tdstat_err", small, PRELUDE, ERRORS)
    check_pandas_refuses()
    check_run_errors(small)
    td.check_sizes(check_file, lambda n: tds.make_csv(rng, n, 1800 * 10**9),
                   [("one_row", 1), ("few", 40), ("many", 3000)], ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
