#!/usr/bin/python3
"""astype to and from strings, of datetimes and timedeltas, .dt:floor/ceil/round of
timedeltas and str.split's pieces (issue 15), against pandas 1.5 (Debian's python3-pandas)
on a generated CSV:
- astype("str") of int64, float64 (Python's repr: 1e+16, 1e-05, -0.0, inf, "nan" for NaN),
  bool ("True", "False"), str and category columns (a missing string becomes "nan", as
  pandas' NaN does: object, not category), and of timedeltas (str(Timedelta), "NaT");
  their str.len() is int64, and they concatenate and group as strings;
- astype("int64") and astype("float64") of strings as Python's int() and float() read them
  (spaces around, underscores between digits, signs, "inf", "Infinity", "nan", 1e999 as
  inf, 1e-400 as 0), astype("bool") of strings (a missing one is True: NaN is truthy);
- astype("int64") of datetimes and timedeltas (nanoseconds; NaT the smallest int64);
- dd.to_datetime and astype("datetime64") of strings (missing: NaT) and of int64;
- s.str:split(sep).str:get(i) and .str:len() (pandas' lists of pieces; sep nil: whitespace);
- (b - a).dt:floor/ceil/round(freq) for several frequencies, negative timedeltas and NaT;
- 1, 2 and 3 threads and blocks of 1 kB print the same;
- a string int() cannot read, a missing one as int64, one float() or a date cannot read:
  exit 3 with the file's line, Python's message and nothing written; astype of timedeltas
  to float64 or bool (pandas' TypeError) and of datetimes to str (not yet), to_datetime of
  floats: errors at the script's line."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R
tl = td.tl
pd = td.pd

INTS = [" 12 ", "1_000", "-7", "+3", "007", "0", "-0", "9223372036854775807",
        "-9223372036854775808", "\t42\t", "1_2_3"]
FLOATS = ["1.5", "-inf", "1e999", " 2 ", "1_0.5", "Infinity", "1e-400", "+.5", "5.", "-0.0",
          "0.1", "nan", "NaN", "-nan", "2.5e-3", "1E5", "inF"]
WORDS = ["a", "Zoé", "", "naïve", "x y", "True", "日本"]


def stamp(rng):
    s = rng.randrange(0, 40 * 86400)
    frac = rng.choice(["", "", ".5", ".250", ".000001", ".123456789"])
    d, r = divmod(s, 86400)
    return "2021-03-%02d %02d:%02d:%02d%s" % (1 + d % 28, r // 3600, r // 60 % 60, r % 60, frac)


def make_csv(rng, n):
    rows = []
    for _ in range(n):
        f = rng.choice(["", "nan", "inf", "-0.0", "1e16", "1e-05", "0.1", "3.0", "-2.75",
                        "123456789.125", "%.6f" % rng.uniform(-1e3, 1e3)])
        s = rng.choice(WORDS + [""])
        s = '"%s"' % s if s and " " in s else s
        a = "" if rng.random() < 0.1 else stamp(rng)
        b = "" if rng.random() < 0.1 else stamp(rng)
        ds = rng.choice(["", stamp(rng), stamp(rng).replace(" ", "T"), "2021-3-5",
                         "2020-02-29 23:59:59.999999999"])
        rows.append(",".join([str(rng.randrange(4)), str(rng.randrange(-10**12, 10**12)), f,
                              rng.choice(["True", "False"]), s, '"%s"' % rng.choice(INTS),
                              '"%s"' % rng.choice(FLOATS), a, b, ds]))
    return "k,i,f,b,s,n,x,a,c,ds\n" + "\n".join(rows) + "\n"


READ = {"dtype": {"n": str, "x": str, "s": str, "ds": str}, "parse_dates": ["a", "c"]}
D = "(df.c - df.a)"


def dur(df):
    return df.c - df.a


CASES = [
    ("istr", 'df.i:astype("str")', lambda df: df.i.astype(str), "text"),
    ("fstr", 'df.f:astype("str")', lambda df: df.f.astype(str), "text"),
    ("bstr", 'df.b:astype("str")', lambda df: df.b.astype(str), "text"),
    ("sstr", 'df.s:astype("str")', lambda df: df.s.astype(str), "text"),
    ("catstr", 'df.s:astype("category"):astype("str")',
     lambda df: df.s.astype("category").astype(str), "text"),
    ("flen", 'df.f:astype("str").str.len()', lambda df: df.f.astype(str).str.len(), "text"),
    ("slen", 'df.s:astype("str").str.len()', lambda df: df.s.astype(str).str.len(), "text"),
    ("cat", 'df.k:astype("str") + "_" + df.b:astype("str")',
     lambda df: df.k.astype(str) + "_" + df.b.astype(str), "text"),
    ("group", 'df:assign{g = df.f:astype("str")}:groupby("g"):agg{k = "sum"}',
     lambda df: df.assign(g=df.f.astype(str)).groupby("g").agg({"k": "sum"}), "text"),
    ("nint", 'df.n:astype("int64")', lambda df: df.n.astype("int64"), "text"),
    ("nsum", 'df.n:astype("int64"):sum()', lambda df: df.n.astype("int64").sum(), "num"),
    ("xflt", 'df.x:astype("float64")', lambda df: df.x.astype("float64"), "text"),
    ("nflt", 'df.n:astype("float64")', lambda df: df.n.astype("float64"), "text"),
    ("xmax", 'df.x:astype("float64"):max()', lambda df: df.x.astype("float64").max(), "num"),
    ("sbool", 'df.s:astype("bool")', lambda df: df.s.astype(bool), "text"),
    ("tdstr", D + ':astype("str")', lambda df: dur(df).astype(str), "text"),
    ("tdint", D + ':astype("int64")', lambda df: dur(df).astype("int64"), "text"),
    ("dtint", 'df.a:astype("int64")', lambda df: df.a.astype("int64"), "text"),
    ("todt", "dd.to_datetime(df.ds)", lambda df: pd.to_datetime(df.ds), "text"),
    ("dsast", 'df.ds:astype("datetime64")', lambda df: df.ds.astype("datetime64[ns]"), "text"),
    ("dsday", "dd.to_datetime(df.ds).dt.day", lambda df: pd.to_datetime(df.ds).dt.day, "text"),
    ("idt", "dd.to_datetime(df.i)", lambda df: pd.to_datetime(df.i), "text"),
    ("split0", 'df.n.str:split("_").str:get(0)', lambda df: df.n.str.split("_").str.get(0),
     "text"),
    ("splitw", "df.n.str:split().str:get(-1)", lambda df: df.n.str.split().str.get(-1), "text"),
    ("splitn", 'df.n.str:split("_").str:len()', lambda df: df.n.str.split("_").str.len(), "text"),
    ("floorh", D + '.dt:floor("h")', lambda df: dur(df).dt.floor("h"), "text"),
    ("ceil15", D + '.dt:ceil("15min")', lambda df: dur(df).dt.ceil("15min"), "text"),
    ("roundd", D + '.dt:round("D")', lambda df: dur(df).dt.round("D"), "text"),
    ("negfl", "(-" + D + ').dt:floor("h")', lambda df: (-dur(df)).dt.floor("h"), "text"),
    ("negrd", "(-" + D + ').dt:round("s")', lambda df: (-dur(df)).dt.round("s"), "text"),
    ("roundms", D + '.dt:round("ms")', lambda df: dur(df).dt.round("ms"), "text"),
]

OPTS = ('"data.csv", {dtype = {n = "str", x = "str", s = "str", ds = "str"}, '
        'parse_dates = {"a", "c"}%s}')


def script(opts, rows, cases):
    return td.printing_script(OPTS % opts, cases,
                              'dd.to_csv(df:assign{{"fs", df.f:astype("str")}, '
                              '{"xf", df.x:astype("float64")}, {"ts", (df.c - df.a):astype("str")}'
                              '}, "out.csv")')


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: df.assign(fs=df.f.astype(str), xf=df.x.astype("float64"),
                                              ts=dur(df).astype(str)).to_csv(),
                         read_kw=READ)


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"a", "c"}})\n'
           'local d = df.c - df.a\n')
ERRORS = [
    ("tdfloat", 'd:astype("float64")',
     "astype: TypeError: Cannot cast TimedeltaArray to dtype float64 (astype(\"int64\") gives "
     "the nanoseconds)"),
    ("dtbool", 'df.a:astype("bool")',
     "astype: TypeError: Cannot cast DatetimeArray to dtype bool (astype(\"int64\") gives the "
     "nanoseconds since 1970)"),
    ("dtstr", 'df.a:astype("str")',
     "astype(\"str\") of datetimes is not supported yet (pandas writes the column at one "
     "precision; dd.to_csv writes them as pandas does)"),
    ("split_n", 'df.s.str:split(",", 1)',
     "str.split: n, expand and regex are not supported yet (a separator alone)"),
    ("split_use", 'df.s.str:split(","):sum()',
     "a Series of lists (str.split) has no 'sum' here: take a piece with .str:get(i) or count "
     "them with .str:len()"),
    ("todt_float", "dd.to_datetime(df.f)",
     "to_datetime of a Series of float64 is not supported yet (of strings or int64)"),
    ("tofloat_td", 'df.f:astype("datetime64")',
     "astype of a datetime64 Series is not supported yet (min, max, mean, median, std, "
     "quantile, count, nunique, value_counts, comparisons, sort_values, groupby, .dt and - "
     "are)"),
]


def check_run_errors():
    cell = {"datetime64": "2021-01-%02d"}
    prog = ('local dd = require("cdask.dataframe")\n'
            'local df = dd.read_csv("data.csv", {dtype = {s = "str"}})\n'
            'dd.to_csv(df:assign{v = df.s:astype("%s")}, "out.csv")\n')
    for name, bad, kind, msg in [
            ("int_point", "1.5", "int64",
             "data.csv:32: astype at prog.lua:3: invalid literal for int() with base 10: '1.5'"),
            ("int_under", "1__0", "int64",
             "data.csv:32: astype at prog.lua:3: invalid literal for int() with base 10: "
             "'1__0'"),
            ("int_big", "9223372036854775808", "int64",
             "data.csv:32: astype at prog.lua:3: '9223372036854775808' is out of int64's "
             "range"),
            ("int_missing", "", "int64",
             "data.csv:32: astype at prog.lua:3: cannot convert float NaN to integer"),
            ("float_word", "x1", "float64",
             "data.csv:32: astype at prog.lua:3: could not convert string to float: 'x1'"),
            ("date_word", "2021-13-01", "datetime64",
             "data.csv:32: astype at prog.lua:3: cannot read '2021-13-01' as datetime64[ns]")]:
        # pandas agrees that it fails
        try:
            pd.Series([bad if bad else float("nan")], dtype=object).astype(
                "datetime64[ns]" if kind == "datetime64" else kind)
            failed = False
        except (ValueError, OverflowError, TypeError):
            failed = True
        R.check(failed, "%s: pandas refuses %r as %s" % (name, bad, kind))
        head = "k,s\n" + "".join("%d,%s\n" % (i, cell.get(kind, "%d") % (i + 1))
                                 for i in range(30))
        td.check_run_fails(name, {"data.csv": head + "30,%s\n" % bad}, prog % kind, msg)


def main():
    td.check_errors_on("astype_err", make_csv(random.Random(5), 20), PRELUDE, ERRORS)
    check_run_errors()
    rng = random.Random(43)
    td.check_sizes(check_file, lambda n: make_csv(rng, n),
                   [("one_row", 1), ("few", 40), ("many", 2000)], ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
