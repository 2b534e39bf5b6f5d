#!/usr/bin/python3
"""datetime64[ns] columns (issue 15: read_csv's parse_dates and dtype = "datetime64", dt.*)
against pandas (Debian's python3-pandas) as the oracle, on generated CSV files: dates from
1900 to 2100 (before 1970 too, 29 Februaries; a few with one-digit months, days and
hours), times to the minute, second, millisecond,
microsecond and nanosecond, ' ' or 'T' between date and time, missing values (NaT), one
row, a few, more than 60 (pandas' truncated repr) and thousands over many blocks:
- the frame's and the Series' reprs (dates alone when every value is midnight, else as
  many fraction digits as the finest value needs), to_csv (NaT empty);
- min, max (str of pandas' Timestamp, NaT for none) and count;
- dt.year, month, day, hour, minute, second, dayofweek, dayofyear: int64 for a column
  without NaT, float64 with NaN where one may be;
- comparisons with dates written as strings (eq, ne, lt, le, gt, ge: NaT compares false,
  and unequal), isna, notna, filters, head;
- sort_values (ascending and not, with another column; NaT last), nlargest, groupby min,
  max, first, last and count of a datetime column, groupby by datetimes (NaT dropped, or
  last with dropna = false; with median and nunique too), value_counts and nunique; the
  head of a sort by datetimes per group, and by a datetime key (the scan's top-n rule);
- 1, 2 and 3 threads and 1 kB blocks print the same.
And the errors: a value that is no date (file:line:column, exit 3), a NaT after a sample
that had none under dt.year compiled as int64 (exit 3), a date literal that
is none, a datetime compared with a number, its sum and groupby mean, parse_dates
naming a column the file lacks."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_dataframe as td  # noqa: E402

R = td.R


def stable(obj, by, ascending=True):
    return obj.sort_values(by, ascending=ascending, kind="stable")


def a_time(rng):
    y, m = rng.randint(1900, 2100), rng.randint(1, 12)
    d = 29 if m == 2 and y % 4 == 0 and (y % 100 or y % 400 == 0) and rng.random() < 0.3 \
        else rng.randint(1, 28)
    short = rng.random() < 0.05  # one-digit months, days and hours, as dateutil reads them
    text = ("%04d-%d-%d" if short else "%04d-%02d-%02d") % (y, m, d)
    kind = rng.random()
    if kind < 0.2:
        return text
    sep = rng.choice([" ", "T"])
    text += ("%s%d:%02d" if short else "%s%02d:%02d") % (sep, rng.randint(0, 23),
                                                         rng.randint(0, 59))
    if kind < 0.4:
        return text
    text += ":%02d" % rng.randint(0, 59)
    digits = rng.choice([0, 0, 0, 1, 3, 6, 9]) if kind > 0.9 else 0
    return text + ("." + "".join(rng.choice("0123456789") for _ in range(digits))
                   if digits else "")


def make_csv(rng, n):
    fine = rng.random() < 0.5  # some files have times to the second at most
    lines = ["id,k,t,d,s"]
    for i in range(n):
        t = a_time(rng) if rng.random() > 0.1 else rng.choice(["", "NaT", "NA"])
        if not fine and "." in t:
            t = t.split(".")[0]
        d = "%04d-%02d-%02d" % (rng.randint(1950, 2050), rng.randint(1, 12), rng.randint(1, 28))
        lines.append("%d,%d,%s,%s,s%d" % (i, rng.randint(0, 4), t, d, rng.randint(0, 9)))
    return "\n".join(lines) + "\n"


CASES = [
    ("frame", "df", lambda df: df, "text"),
    ("t", "df.t", lambda df: df.t, "text"),
    ("d", "df.d", lambda df: df.d, "text"),
    ("tmin", "df.t:min()", lambda df: str(df.t.min()), "str"),
    ("tmax", "df.t:max()", lambda df: str(df.t.max()), "str"),
    ("dmin", "df.d:min()", lambda df: str(df.d.min()), "str"),
    ("tcount", "df.t:count()", lambda df: df.t.count(), "num"),
    ("filtered_max", 'df:loc(df.k:eq(2)).t:max()', lambda df: str(df.loc[df.k == 2].t.max()),
     "str"),
    ("year", "df.t.dt.year", lambda df: df.t.dt.year, "text"),
    ("hour", "df.t.dt.hour", lambda df: df.t.dt.hour, "text"),
    ("minute", "df.t.dt.minute", lambda df: df.t.dt.minute, "text"),
    ("second", "df.t.dt.second", lambda df: df.t.dt.second, "text"),
    ("month", "df.d.dt.month", lambda df: df.d.dt.month, "text"),
    ("day", "df.d.dt.day", lambda df: df.d.dt.day, "text"),
    ("dayofweek", "df.d.dt.dayofweek", lambda df: df.d.dt.dayofweek, "text"),
    ("dayofyear", "df.d.dt.dayofyear", lambda df: df.d.dt.dayofyear, "text"),
    ("tdow", "df.t.dt.dayofweek", lambda df: df.t.dt.dayofweek, "text"),
    ("ge", 'df:loc(df.t:ge("2000-01-01"))', lambda df: df.loc[df.t >= "2000-01-01"], "text"),
    ("lt_1970", 'df:loc(df.d:lt("1970-01-01"))', lambda df: df.loc[df.d < "1970-01-01"], "text"),
    ("le_time", 'df:loc(df.t:le("1999-12-31 23:59:59.5"), "t")',
     lambda df: df.loc[df.t <= "1999-12-31 23:59:59.5", "t"], "text"),
    ("gt_and", 'df:loc(df.t:gt("1950-06-01T12:00") & df.d:le("2000-02-29"))',
     lambda df: df.loc[(df.t > "1950-06-01T12:00") & (df.d <= "2000-02-29")], "text"),
    ("ne", 'df.t:ne("2000-01-01")', lambda df: df.t != "2000-01-01", "text"),
    ("eq_self", "df.t:eq(df.t)", lambda df: df.t == df.t, "text"),
    ("lt_cols", "df.t:lt(df.d)", lambda df: df.t < df.d, "text"),
    ("isna", "df.t:isna()", lambda df: df.t.isna(), "text"),
    ("notna_count", "df:loc(df.t:notna()).k:count()", lambda df: df.loc[df.t.notna()].k.count(),
     "num"),
    ("head", "df:head(4)", lambda df: df.head(4), "text"),
    ("sort_t", 'df:sort_values("t")', lambda df: stable(df, "t"), "text"),
    ("sort_desc", 'df:sort_values({"k", "t"}, {ascending = {true, false}})',
     lambda df: stable(df, ["k", "t"], [True, False]), "text"),
    ("nlargest", 'df:nlargest(3, "d")', lambda df: stable(df, "d", False).head(3), "text"),
    ("gb", 'df:groupby("k"):agg{{"t", "min"}, {"d", "max"}}',
     lambda df: df.groupby("k").agg({"t": "min", "d": "max"}), "text"),
    ("gb_first", 'df:groupby("k"):agg{{"t", "first"}, {"d", "last"}}',
     lambda df: df.groupby("k").agg({"t": "first", "d": "last"}), "text"),
    ("vc_d", "df.d.dt.year:value_counts()", None, "vc"),
    ("vc_t", "df.t:value_counts()", None, "vc"),
    ("nunique_t", "df.t:nunique()", lambda df: df.t.nunique(), "num"),
    ("gb_by_d", 'df:groupby("d"):agg{{"id", "sum"}, {"t", "max"}}',
     lambda df: df.groupby("d").agg({"id": "sum", "t": "max"}), "text"),
    ("gb_by_t_na", 'df:groupby({"t", "k"}, {dropna = false}).id:count()',
     lambda df: df.groupby(["t", "k"], dropna=False).id.count(), "text"),
    ("gb_by_t_median", 'df:groupby("t"):agg{{"id", "median"}, {"d", "nunique"}}',
     lambda df: df.groupby("t").agg({"id": "median", "d": "nunique"}), "text"),
    ("gb_count", 'df:groupby("k").t:count()', lambda df: df.groupby("k").t.count(), "text"),
    # the head of a sort, kept in the scan (the top-n rule): datetimes as the sort column
    # (NaT last either way) and as the key
    ("top_t", 'df[{"k", "t", "id"}]:sort_values("t", {ascending = false}):groupby("k"):head(2)',
     lambda df: stable(df[["k", "t", "id"]], "t", False).groupby("k").head(2), "text"),
    ("top_by_d", 'df[{"d", "t", "s"}]:sort_values("t"):groupby("d", {dropna = false}):head(1)',
     lambda df: stable(df[["d", "t", "s"]], "t").groupby("d", dropna=False).head(1), "text"),
]


def script(opts, rows, cases):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv", {parse_dates = {"t"}, dtype = {d = '
             '"datetime64"}%s})' % opts]
    for label, expr, _, _ in cases:
        lines.append('dd.print(%s, "%s")' % (expr, label))
    lines.append('dd.to_csv(df, "out.csv")')
    return "\n".join(lines) + "\n"


def value_counts(df, label):
    s = df.d.dt.year if label == "vc_d" else df.t
    vc = s.value_counts(sort=False)  # first appearance, then a stable sort (pandas >= 3)
    vc = vc.sort_values(ascending=False, kind="stable")
    vc.index.name = s.name
    vc.name = "count"
    return vc


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, value_counts,
                         lambda df: df.to_csv(), read_kw=dict(parse_dates=["t", "d"]))


def check_errors():
    good = "t,x\n" + "".join("2021-01-%02d,%d\n" % (i + 1, i) for i in range(20))
    pre = 'local dd = require("cdask.dataframe")\n'
    read = 'local df = dd.read_csv("data.csv", {parse_dates = {"t"}})\n'
    cases = [
        ("a number", read + "dd.print(df:loc(df.t:gt(3)))\n",
         "prog.lua:3: error: TypeError: a datetime64[ns] Series compares with dates"),
        ("a literal", read + 'dd.print(df:loc(df.t:gt("2021-13-01")))\n',
         "prog.lua:3: error: cannot read '2021-13-01' as a datetime"),
        ("sum", read + "dd.print(df.t:sum())\n",
         "prog.lua:3: error: sum of a datetime64 Series is not supported yet"),
        ("groupby sum", read + 'dd.print(df:groupby("x"):agg{t = "sum"})\n',
         "prog.lua:3: error: groupby sum of a datetime64 Series is not supported yet"),
        ("dt of numbers", read + "dd.print(df.x.dt.year)\n",
         "prog.lua:3: error: Can only use .dt accessor with datetimelike values"),
        ("parse_dates", 'local df = dd.read_csv("data.csv", {parse_dates = {"u"}})\n',
         "prog.lua:2: error: read_csv: parse_dates names column 'u', which data.csv does not "
         "have"),
    ]
    d = tl.tempdir("dterr")
    try:
        tl.write(os.path.join(d, "data.csv"), good)
        for name, body, want in cases:
            exe, r = tl.build_program(pre + body, d)
            R.check(exe is None and r.returncode != 0 and want in r.stderr,
                    "datetime error: " + name, tl.short(r.stderr))
        exe, r = tl.build_program(pre + read + 'dd.print(df.t:max(), "m")\n'
                                  'dd.to_csv(df, "out.csv")\n', d)
        if R.check(exe is not None, "datetime error: compiles", tl.short(r.stderr)):
            tl.write(os.path.join(d, "data.csv"), good.replace("2021-01-07", "2021-02-30"))
            p = tl.run([exe, "--out", d], cwd=d)
            want = ("data.csv:8:1: column 't': cannot read '2021-02-30' as datetime64[ns] "
                    "(parse_dates or dtype declares it datetime64[ns], read as ISO 8601)")
            R.check(p.returncode == 3 and want in p.stderr and
                    not os.path.exists(os.path.join(d, "out.csv")),
                    "datetime error: a day that does not exist (exit 3, nothing written)",
                    tl.short(p.stderr))
        tl.write(os.path.join(d, "data.csv"), good)
        exe, r = tl.build_program(pre + 'local df = dd.read_csv("data.csv", {parse_dates = '
                                  '{"t"}, sample = 3})\ndd.print(df.t.dt.year, "y")\n', d)
        if R.check(exe is not None, "datetime error: dt.year compiles", tl.short(r.stderr)):
            tl.write(os.path.join(d, "data.csv"), good.replace("2021-01-07", "NaT"))
            p = tl.run([exe, "--out", d], cwd=d)
            want = ("data.csv:8: a missing datetime (NaT) where the sample had none: its dt "
                    "field was compiled as int64 (pass sample = \"all\")")
            R.check(p.returncode == 3 and want in p.stderr,
                    "datetime error: NaT after a sample without one, dt.year as int64 (exit 3)",
                    tl.short(p.stderr))
    finally:
        tl.rmtree(d)


def main():
    rng = random.Random(1564)
    for name, n in [("one_row", 1), ("few", 9), ("truncated", 75), ("many", 3000)]:
        text = make_csv(rng, n)
        a = check_file(name, text)
        if n >= 1000:
            b = check_file(name + "_1k", text, ", blocksize = 1024")
            R.check(a is not None and a == b, name + ": blocks of 1 kB print what one block does")
    check_errors()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
