#!/usr/bin/python3
"""Datetimes moved to a frequency and groupbys by a Series (issue 15), against pandas
(Debian's python3-pandas) as the oracle, on test_frame_index.py's generated CSV files (a
datetime column ts with times on the quarter hour, so that rounding to the hour meets
halves; int, float and str columns with missing values; one row, a few, thousands over
many blocks):
- s.dt:floor(freq), ceil and round (halves to even) for "1H", "15min", "D", "2H", "90s",
  and s.dt:normalize(); NaT stays NaT;
- groupby by a Series of the frame: a datetime field (df.ts.dt.hour), a floored datetime,
  an arithmetic of a column named as it (df.k * 2: the column k is still aggregated, as
  pandas), the column itself (df.k: not aggregated), a Series beside a name, on a filtered
  frame, with agg, a selected column, size, mean and sort = false;
- the text of each dd.print is exactly pandas' repr; 1, 2 and 3 threads and blocks of 1 kB
  print the same; errors at the script's line."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402
import test_frame_index as tfi  # noqa: E402

R = td.R


def with_nat(text):
    """Every 7th row's ts missing (NaT)"""
    lines = text.split("\n")
    for i in range(1, len(lines), 7):
        if lines[i]:
            lines[i] = "," + lines[i].split(",", 1)[1]
    return "\n".join(lines)


def gsum(g):
    return g.sum(numeric_only=True)


CASES = [
    ("floor_h", 'df.ts.dt:floor("1H")', lambda df: df.ts.dt.floor("1H"), "text"),
    ("ceil_h", 'df.ts.dt:ceil("1H")', lambda df: df.ts.dt.ceil("1H"), "text"),
    ("round_h", 'df.ts.dt:round("1H")', lambda df: df.ts.dt.round("1H"), "text"),
    ("round_2h", 'df.ts.dt:round("2H")', lambda df: df.ts.dt.round("2H"), "text"),
    ("floor_15", 'df.ts.dt:floor("15min")', lambda df: df.ts.dt.floor("15min"), "text"),
    ("ceil_90s", 'df.ts.dt:ceil("90s")', lambda df: df.ts.dt.ceil("90s"), "text"),
    ("round_d", 'df.ts.dt:round("D")', lambda df: df.ts.dt.round("D"), "text"),
    ("normalize", "df.ts.dt:normalize()", lambda df: df.ts.dt.normalize(), "text"),
    ("floor_cmp", 'df:loc(df.ts.dt:floor("D"):eq("2021-03-05"))',
     lambda df: df.loc[df.ts.dt.floor("D") == "2021-03-05"], "text"),
    ("gb_hour", "df:groupby(df.ts.dt.hour):agg{{\"x\", \"sum\"}, {\"id\", \"max\"}}",
     lambda df: df.groupby(df.ts.dt.hour).agg({"x": "sum", "id": "max"}), "text"),
    ("gb_floor", 'df:groupby(df.ts.dt:floor("6H")).x:mean()',
     lambda df: df.groupby(df.ts.dt.floor("6H")).x.mean(), "text"),
    ("gb_day_size", "df:groupby(df.ts.dt.day):size()",
     lambda df: df.groupby(df.ts.dt.day).size(), "text"),
    ("gb_k2", "df:groupby(df.k * 2):sum()", lambda df: gsum(df.groupby(df.k * 2)), "text"),
    ("gb_kself", "df:groupby(df.k):sum()", lambda df: gsum(df.groupby(df.k)), "text"),
    ("gb_mixed", 'df:groupby({df.ts.dt.dayofweek, "name"}).x:max()',
     lambda df: df.groupby([df.ts.dt.dayofweek, "name"]).x.max(), "text"),
    ("gb_filtered", 'local f = df:loc(df.x:gt(0)) return f:groupby(f.ts.dt.hour, {sort = false})'
                    ':agg{id = "count"}',
     lambda df: (lambda f: f.groupby(f.ts.dt.hour, sort=False).agg({"id": "count"}))(
         df.loc[df.x > 0]), "text"),
]


def script(opts, rows, cases):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}%s})' % opts]
    for label, expr, _, _ in cases:
        if expr.startswith("local "):
            lines.append('dd.print((function() %s end)(), "%s")' % (expr, label))
        else:
            lines.append('dd.print(%s, "%s")' % (expr, label))
    lines.append('dd.to_csv(df:groupby(df.ts.dt:floor("D")):agg{id = "max"}, "out.csv")')
    return "\n".join(lines) + "\n"


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: df.groupby(df.ts.dt.floor("D")).agg({"id": "max"}).to_csv(),
                         read_kw={"parse_dates": ["ts"]})


PRELUDE = ('local dd = require("cdask.dataframe")\nlocal da = dd\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}})\n')
ERRORS = [
    ("freq", 'df.ts.dt:floor("1M")',
     "floor: freq '1M' is not a fixed frequency cdask knows (a number and D, h, min, s, ms, us "
     "or ns; months, years and weeks are not supported yet)"),
    ("unnamed", "df:groupby(df.k * df.x):sum()",
     "groupby: the key Series has no name (pandas' None): assign it as a column and group by "
     "its name"),
    ("other_frame", "df:groupby(df:loc(df.k:gt(1)).k):sum()",
     "groupby: a key Series must be made of the grouped frame's columns (of a frame read from a "
     "file, with its filter)"),
    ("head", "df:groupby(df.ts.dt.hour):head(2)",
     "head of a groupby by a Series is not supported yet (assign it as a column)"),
]


def main():
    rng = random.Random(77)
    td.check_errors_on("tk_err", tfi.make_csv(random.Random(8), 30), PRELUDE, ERRORS)
    td.check_sizes(check_file, lambda n: with_nat(tfi.make_csv(rng, n)),
                   [("few", 12), ("many", 3000)], ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
