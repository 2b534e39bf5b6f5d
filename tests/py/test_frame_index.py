#!/usr/bin/python3
"""A frame's index (issue 15): set_index, reset_index, sort_index and label slices of a
computed frame's sorted index, against pandas (Debian's python3-pandas) as the oracle and
Dask's set_index for its order:
- set_index(col) sorts the rows by col, as Dask's set_index does (pandas' own does not
  sort): pandas' df.sort_values(col, kind="stable").set_index(col), equal labels in their
  order, missing ones last; drop = false keeps the column; of datetime, int, float and
  string columns, of a filtered frame; Dask's set_index (on unique labels, where its sort
  has one answer) gives the same frame;
- loc(from, to) of such an index, inclusive at both ends, dates written in part standing
  for their whole period ("2021-03-05 12:00" a minute, "2021-03" a month), open ends (nil),
  of a frame, a Series and a groupby's result; to_csv of a slice;
- reset_index of a groupby's result (one key, two keys: MultiIndex levels, drop = true), of
  value_counts (pandas 2's names), of a Series and of a frame set_index made, and
  sort_index (descending, of a MultiIndex);
- the text of each dd.print is exactly pandas' repr; 1, 2 and 3 threads and blocks of 1 kB
  print the same;
- errors: at the script's line when compiling (a missing column, a list, a Series, an
  option, a label of the wrong type, a single label, a name reset_index would repeat), and
  when running (a slice of an unsorted index or one with a missing label: exit 3, nothing
  written)."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R
pd = td.pd
NAMES = ["Ana", "Bo", "Chloé", "Dario", "Émile", "Fritz", "Gus", "Hana", "Mo", "Zoë"]


def make_csv(rng, n):
    """n rows: ts (datetimes in March 2021, ties), id (unique ints), x (floats, some
    missing), name (strings, some missing), k (small ints)."""
    ids = rng.sample(range(-50000, 50000), n)
    lines = ["ts,id,x,name,k"]
    for i in range(n):
        ts = "2021-03-%02d %02d:%02d:00" % (rng.randint(1, 28), rng.randint(0, 23),
                                             rng.choice([0, 15, 30, 45]))
        x = "" if rng.random() < 0.1 else "%.3f" % rng.uniform(-100, 100)
        nm = "" if rng.random() < 0.1 else rng.choice(NAMES)
        lines.append("%s,%d,%s,%s,%d" % (ts, ids[i], x, nm, rng.randint(1, 5)))
    return "\n".join(lines) + "\n"


def by(df, col):
    return df.sort_values(col, kind="stable").set_index(col)


def gb_sum(df):
    return df.groupby("k").sum(numeric_only=True)


def vc_reset(df):
    vc = df.k.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc.index.name, vc.name = "k", "count"
    return vc.reset_index()


CASES = [
    ("set_ts", 'df:set_index("ts")', lambda df: by(df, "ts"), "text"),
    ("set_ts_loc", 'df:set_index("ts"):loc("2021-03-02", "2021-03-05 12:00")',
     lambda df: by(df, "ts").loc["2021-03-02":"2021-03-05 12:00"], "text"),
    ("set_ts_to", 'df:set_index("ts"):loc(nil, "2021-03-03")',
     lambda df: by(df, "ts").loc[:"2021-03-03"], "text"),
    ("set_ts_from", 'df:set_index("ts"):loc("2021-03-27 06:30", nil)',
     lambda df: by(df, "ts").loc["2021-03-27 06:30":], "text"),
    ("set_ts_month", 'df:set_index("ts"):loc("2021-03", "2021-03")',
     lambda df: by(df, "ts").loc["2021-03":"2021-03"], "text"),
    ("set_ts_none", 'df:set_index("ts"):loc("2021-04-01", "2021-05")',
     lambda df: by(df, "ts").loc["2021-04-01":"2021-05"], "text"),
    ("set_ts_x", 'df:set_index("ts").x:loc("2021-03-10", "2021-03-12")',
     lambda df: by(df, "ts").x.loc["2021-03-10":"2021-03-12"], "text"),
    ("set_k", 'df:set_index("k")', lambda df: by(df, "k"), "text"),
    ("set_k_loc", 'df:set_index("k"):loc(2, 3)', lambda df: by(df, "k").loc[2:3], "text"),
    ("set_id_keep", 'df:set_index("id", {drop = false})',
     lambda df: df.sort_values("id", kind="stable").set_index("id", drop=False), "text"),
    ("set_x", 'df:set_index("x")', lambda df: by(df, "x"), "text"),
    ("set_name_loc", 'df:loc(df.name:notna()):set_index("name"):loc("Bo", "Gus")',
     lambda df: by(df.loc[df.name.notna()], "name").loc["Bo":"Gus"], "text"),
    ("set_filtered", 'df:loc(df.k:ge(3)):set_index("ts")',
     lambda df: by(df.loc[df.k >= 3], "ts"), "text"),
    ("set_head", 'df:set_index("ts"):head(4)', lambda df: by(df, "ts").head(4), "text"),
    ("set_reset", 'df:set_index("ts"):reset_index()', lambda df: by(df, "ts").reset_index(),
     "text"),
    ("gb_reset", 'df:groupby("k"):sum():reset_index()', lambda df: gb_sum(df).reset_index(),
     "text"),
    ("gb2_reset", 'df:groupby({"k", "name"}):agg{x = "max"}:reset_index()',
     lambda df: df.groupby(["k", "name"]).agg({"x": "max"}).reset_index(), "text"),
    ("gb_reset_drop", 'df:groupby("name"):agg{id = "min"}:reset_index{drop = true}',
     lambda df: df.groupby("name").agg({"id": "min"}).reset_index(drop=True), "text"),
    ("vc_reset", "df.k:value_counts():reset_index()", vc_reset, "text"),
    ("series_reset", "df.x:reset_index()", lambda df: df.x.reset_index(), "text"),
    ("gb_loc", 'df:groupby("k"):sum():loc(2, 4)', lambda df: gb_sum(df).loc[2:4], "text"),
    ("gb_loc_open", 'df:groupby("name").x:sum():loc("C", nil)',
     lambda df: df.groupby("name").x.sum().loc["C":], "text"),
    ("sort_index", 'df:set_index("k"):sort_index({ascending = false})',
     lambda df: by(df, "k").sort_index(ascending=False, kind="stable"), "text"),
    ("sort_index2", 'df:groupby({"k", "name"}):agg{x = "min"}:sort_index({ascending = false})',
     lambda df: df.groupby(["k", "name"]).agg({"x": "min"}).sort_index(ascending=False),
     "text"),
]


def script(opts, rows, cases):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}%s})' % opts]
    for label, expr, _, _ in cases:
        lines.append('dd.print(%s, "%s")' % (expr, label))
    lines.append('dd.to_csv(df:set_index("ts"):loc("2021-03-02", "2021-03-09"), "out.csv")')
    return "\n".join(lines) + "\n"


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: by(df, "ts").loc["2021-03-02":"2021-03-09"].to_csv(),
                         read_kw={"parse_dates": ["ts"]})


def check_dask(text):
    """Dask's set_index sorts: on unique labels its frame is the one cdask prints"""
    import dask.dataframe as ddf
    d = td.tl.tempdir("fi_dask")
    try:
        td.tl.write(os.path.join(d, "data.csv"), text)
        df = pd.read_csv(os.path.join(d, "data.csv"))
        want = repr(ddf.from_pandas(df, npartitions=3).set_index("id").compute())
        exe, r = td.tl.build_program('local dd = require("cdask.dataframe")\n'
                                     'dd.print(dd.read_csv("data.csv"):set_index("id"), "s")\n', d)
        if not R.check(exe is not None, "dask: compiles", td.tl.short(r.stderr)):
            return
        p = td.tl.run([exe, "--out", d], cwd=d)
        got = td.sections(p.stdout, {"s"}).get("s")
        R.check(p.returncode == 0 and got == want, "set_index prints Dask's set_index",
                "%s\n--- dask\n%s" % (got, want))
    finally:
        td.tl.rmtree(d)


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local da = dd\n'
           'local df = dd.read_csv("data.csv", {parse_dates = {"ts"}})\n')
ERRORS = [
    ("missing", 'df:set_index("nope")',
     "set_index: KeyError: 'nope' (the columns: ts, id, x, name, k)"),
    ("list", 'df:set_index({"k", "id"})',
     "set_index: one column; Dask does not support a MultiIndex (set_index of a list)"),
    ("series", 'df.x:set_index("x")', "set_index: a Series has no columns to make the index of"),
    ("option", 'df:set_index("k", {inplace = true})',
     "set_index: option 'inplace' is not supported"),
    ("option_type", 'df:set_index("k", {drop = 1})',
     "set_index: drop must be true or false, not number"),
    ("date_label", 'df:set_index("ts"):loc(3, 4)',
     "loc: the start label: the index is a DatetimeIndex; its labels are dates written as strings, "
     "got number"),
    ("bad_date", 'df:set_index("ts"):loc("2021-13-01", nil)',
     "loc: '2021-13-01' is not a date (YYYY, YYYY-MM, YYYY-MM-DD, with a time HH:MM[:SS[.f]])"),
    ("int_label", 'df:set_index("k"):loc(1.5, 3)',
     "loc: the start label: the index holds int64 labels; give an integer, got a float"),
    ("one_label", 'df:set_index("k"):loc(2)',
     "loc of a computed frame selects rows by a mask, r:loc(r.v:gt(0)), or by a slice of its "
     "index, r:loc(from, to) (nil for an open end)"),
    ("multi", 'df:groupby({"k", "name"}):sum():loc(1, 2)',
     "loc: slicing a MultiIndex by labels is not supported yet"),
    ("reset_clash", 'df:set_index("k", {drop = false}):reset_index()',
     "reset_index: ValueError: cannot insert k, already exists"),
]


def check_errors(text):
    td.check_errors_on("fi_err", text, PRELUDE, ERRORS)
    d = td.tl.tempdir("fi_err_run")
    try:
        td.tl.write(os.path.join(d, "data.csv"), text)
        # when running: exit 3, the line, nothing written
        for label, expr, want in [
                ("unsorted", 'df:groupby("k", {sort = false}):sum():loc(2, 3)',
                 "e.lua:4: loc: the index is not sorted (row "),
                ("missing", 'df:set_index("x"):loc(0.0, 50.0)',
                 "e.lua:4: loc: the index has a missing label (row ")]:
            out = os.path.join(d, "out_" + label)
            os.mkdir(out)
            exe, r = td.tl.build_program(PRELUDE + 'dd.to_csv(%s, "r.csv")\n' % expr, d, "e")
            if not R.check(exe is not None, "error %s: compiles" % label, td.tl.short(r.stderr)):
                continue
            p = td.tl.run([exe, "--out", out], cwd=d)
            R.check(p.returncode == 3 and want in p.stderr and os.listdir(out) == [],
                    "error %s: exit 3 naming the line, nothing written" % label,
                    "exit %s, stderr %r" % (p.returncode, p.stderr))
    finally:
        td.tl.rmtree(d)


def main():
    rng = random.Random(2024)
    check_dask(make_csv(random.Random(5), 200))
    check_errors(make_csv(random.Random(6), 50))
    td.check_sizes(check_file, lambda n: make_csv(rng, n),
                   [("one_row", 1), ("few", 12), ("many", 3000)], ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
