#!/usr/bin/python3
"""cdask.dataframe's operations on whole frames (issue 15) against pandas (Debian's
python3-pandas) as the oracle, on test_dataframe.py's generated CSV files (missing values,
quotes, unicode, int/float/bool/str columns; one row, a few, more than 60, thousands over
many blocks):
- sort_values by one or several columns (numbers, strings, bools; ascending per column;
  missing values last, or first with na_position = "first"), of a Series, of a groupby's result (by a column or by the index's
  name): pandas' stable sort (kind="stable"; pandas' default quicksort leaves the order
  of ties unspecified, cdask's sort is stable);
- nlargest and nsmallest (frames and Series, ties in their order, missing values
  dropped), drop_duplicates (all columns, a subset, a Series; keep
  "first", "last" and false), assign (a new column, a
  replaced one, a constant), median (Series and frames), describe (frames and Series),
  head and columns of computed frames, + - * / between their columns and numbers (pandas'
  dtypes and names) and assign of such columns (the db-benchmark's q7), and chains of
  them;
- the text of each dd.print is exactly pandas' repr, scalars agree within 1e-12, to_csv of
  a sorted frame is pandas' to_csv (a groupby's floats within 1e-12: pandas' sums and
  moments are not correctly rounded, cdask's are), and 1, 2 and 3 threads and blocks of
  1 kB print the same."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R  # one record of results: test_dataframe's check_file reports there


def stable(obj, by=None, ascending=True):
    if by is None:
        return obj.sort_values(ascending=ascending, kind="stable")
    return obj.sort_values(by, ascending=ascending, kind="stable")


def gb_sum(df):
    return df.groupby("k").sum(numeric_only=True)


# (label, the Lua expression, the pandas value, "text" (a repr) or "num" (a scalar))
CASES = [
    ("sort_x", 'df:sort_values("x")', lambda df: stable(df, "x"), "text"),
    ("sort_name_desc", 'df:sort_values("name", {ascending = false})',
     lambda df: stable(df, "name", False), "text"),
    ("sort_k_x", 'df:sort_values({"k", "x"}, {ascending = {false, true}})',
     lambda df: stable(df, ["k", "x"], [False, True]), "text"),
    ("sort_flag_id", 'df:sort_values({"flag", "id"})', lambda df: stable(df, ["flag", "id"]),
     "text"),
    ("sort_x_na_first", 'df:sort_values("x", {na_position = "first"})',
     lambda df: df.sort_values("x", kind="stable", na_position="first"), "text"),
    ("sort_name_k_na_first", 'df:sort_values({"name", "k"}, {ascending = {false, true}, '
                             'na_position = "first"})',
     lambda df: df.sort_values(["name", "k"], ascending=[False, True], kind="stable",
                               na_position="first"), "text"),
    ("gb_range", '(function(r) return r:assign{range = r.x - r.id}[{"range"}] end)('
                 'df:groupby("k"):agg{{"x", "max"}, {"id", "min"}})',
     lambda df: (lambda r: r.assign(range=r.x - r.id)[["range"]])(
         df.groupby("k").agg({"x": "max", "id": "min"})), "text"),
    ("gb_int_arith", '(function(r) return 100 - r.id * 2 + r.id end)(df:groupby("k"):sum())',
     lambda df: (lambda r: 100 - r.id * 2 + r.id)(gb_sum(df)), "text"),
    ("gb_div", '(function(r) return r.x / r.id end)(df:groupby("flag"):sum())',
     lambda df: (lambda r: r.x / r.id)(df.groupby("flag").sum(numeric_only=True)), "text"),
    ("gb_assign2", '(function(r) return r:assign{{"y", r.x * 0.5}, {"id", r.id - 1}} end)('
                   'df:groupby("k"):sum())',
     lambda df: (lambda r: r.assign(y=r.x * 0.5).assign(id=r.id - 1))(gb_sum(df)), "text"),
    ("sort_series", "df.x:sort_values({ascending = false})", lambda df: stable(df.x, None, False),
     "text"),
    ("sort_names", "df.name:sort_values()", lambda df: stable(df.name), "text"),
    ("sort_filtered", 'df:loc(df.k:ge(3)):sort_values("id")',
     lambda df: stable(df.loc[df.k >= 3], "id"), "text"),
    ("sort_head", 'df:sort_values("id"):head(4)', lambda df: stable(df, "id").head(4), "text"),
    ("head_sort", 'df:head(6):sort_values("x")', lambda df: stable(df.head(6), "x"), "text"),
    ("sort_gb", 'df:groupby("k"):sum():sort_values("x")', lambda df: stable(gb_sum(df), "x"),
     "text"),
    ("sort_gb_index", 'df:groupby("k"):sum():sort_values("k", {ascending = false})',
     lambda df: stable(gb_sum(df), "k", False), "text"),
    ("sort_vc", "df.k:value_counts():sort_values()", None, "vc"),
    ("nlargest_x", 'df:nlargest(5, "x")', lambda df: df.nlargest(5, "x"), "text"),
    ("nsmallest_id", 'df:nsmallest(4, "id")', lambda df: df.nsmallest(4, "id"), "text"),
    ("nlargest_series", "df.x:nlargest(3)", lambda df: df.x.nlargest(3), "text"),
    ("nsmallest_series", "df.k:nsmallest(7)", lambda df: df.k.nsmallest(7), "text"),
    ("nlargest_filtered", 'df:loc(df.flag):nlargest(3, "id")',
     lambda df: df.loc[df.flag].nlargest(3, "id"), "text"),
    # n past the rows: pandas' sort_values(ascending=False).head(n), which its docs say
    # nlargest is, with a stable sort (pandas uses quicksort there: ties unspecified)
    ("nlargest_all", 'df:nlargest(100000, "x")', lambda df: stable(df, "x", False), "text"),
    ("nlargest_two", 'df:nlargest(6, {"k", "id"})', lambda df: df.nlargest(6, ["k", "id"]), "text"),
    ("nsmallest_nan", 'df:nsmallest(df_rows, "x")', lambda df: df.nsmallest(len(df) - 1, "x"),
     "text"),
    ("dedup_k", 'df:drop_duplicates({"k"})', lambda df: df.drop_duplicates(["k"]), "text"),
    ("dedup_k_flag", 'df:drop_duplicates{subset = {"k", "flag"}}',
     lambda df: df.drop_duplicates(subset=["k", "flag"]), "text"),
    ("dedup_name", 'df:drop_duplicates("name")', lambda df: df.drop_duplicates("name"), "text"),
    ("dedup_x", 'df:drop_duplicates({"x"})', lambda df: df.drop_duplicates(["x"]), "text"),
    ("dedup_all", "df[{\"flag\", \"k\"}]:drop_duplicates()",
     lambda df: df[["flag", "k"]].drop_duplicates(), "text"),
    ("dedup_series", "df.k:drop_duplicates()", lambda df: df.k.drop_duplicates(), "text"),
    ("dedup_last", 'df:drop_duplicates{subset = {"k", "flag"}, keep = "last"}',
     lambda df: df.drop_duplicates(subset=["k", "flag"], keep="last"), "text"),
    ("dedup_none", 'df:drop_duplicates{subset = {"x"}, keep = false}',
     lambda df: df.drop_duplicates(subset=["x"], keep=False), "text"),
    ("dedup_series_last", 'df.name:drop_duplicates{keep = "last"}',
     lambda df: df.name.drop_duplicates(keep="last"), "text"),
    ("sort_dedup", 'df:sort_values("x"):drop_duplicates({"k"})',
     lambda df: stable(df, "x").drop_duplicates(["k"]), "text"),
    ("assign_new", "df:assign{twice = df.id * 2}", lambda df: df.assign(twice=df.id * 2), "text"),
    ("assign_replace", 'df:assign{{"x", df.x:fillna(0)}, {"tag", "t"}}',
     lambda df: df.assign(x=df.x.fillna(0), tag="t"), "text"),
    ("assign_sort", 'df:assign{y = df.x * df.k}:sort_values("y")',
     lambda df: stable(df.assign(y=df.x * df.k), "y"), "text"),
    ("median_x", "df.x:median()", lambda df: df.x.median(), "num"),
    ("median_id", "df.id:median()", lambda df: df.id.median(), "num"),
    ("median_filtered", "df:loc(df.k:gt(2)).x:median()", lambda df: df.loc[df.k > 2].x.median(),
     "num"),
    ("median_frame", "df:median()", lambda df: df.median(numeric_only=True), "text"),
    ("describe", "df:describe()", lambda df: df.describe(), "text"),
    ("describe_x", "df.x:describe()", lambda df: df.x.describe(), "text"),
    ("describe_name", "df.name:describe()", lambda df: df.name.describe(), "text"),
    ("describe_strs", 'df[{"name"}]:describe()',
     lambda df: df[["name"]].describe(), "text"),
    ("describe_filtered", "df:loc(df.flag):describe()", lambda df: df.loc[df.flag].describe(),
     "text"),
    ("gb_column", 'df:groupby("k"):agg{x = "mean", id = "sum"}.x',
     lambda df: df.groupby("k").agg({"id": "sum", "x": "mean"}).x, "text"),
    ("gb_columns", 'df:groupby("k"):agg{x = "mean", id = "sum"}[{"x"}]',
     lambda df: df.groupby("k").agg({"id": "sum", "x": "mean"})[["x"]], "text"),
    ("gb_head", 'df:groupby("name"):size():head(3)', lambda df: df.groupby("name").size().head(3),
     "text"),
    ("gb_nlargest", 'df:groupby("k").x:sum():nlargest(2)',
     lambda df: df.groupby("k").x.sum().nlargest(2), "text"),
    ("vc_head", "df.k:value_counts():head(2)", None, "vc"),
    # groupby(...).head(n), and groupbys of computed frames (the db-benchmark's q8)
    # several aggregations of a column: MultiIndex columns (the db-benchmark's q6)
    ("gbm_k_flag", 'df:groupby({"k", "flag"}):agg{{"x", {"median", "std"}}, {"id", "sum"}}',
     lambda df: df.groupby(["k", "flag"]).agg({"x": ["median", "std"], "id": "sum"}), "text"),
    ("gbm_flat", 'df:groupby("name", {as_index = false, dropna = false}):agg{x = {"mean", '
                 '"count"}}',
     lambda df: df.groupby("name", as_index=False, dropna=False).agg({"x": ["mean", "count"]}),
     "text"),
    ("gbm_head", 'df:groupby("k"):agg{id = {"min", "max", "nunique"}}:head(3)',
     lambda df: df.groupby("k").agg({"id": ["min", "max", "nunique"]}).head(3), "text"),
    # corr per group (SeriesGroupBy.corr: the db-benchmark's q9 is its square) and ^
    ("gb_corr", 'df:groupby("k").x:corr(df.id)', lambda df: df.groupby("k").x.corr(df.id), "text"),
    ("gb_corr_sq", '(function(r) return r ^ 2 end)(df:groupby({"k", "flag"}).x:corr(df.id))',
     lambda df: df.groupby(["k", "flag"]).x.corr(df.id) ** 2, "text"),
    ("gb_pow_int", '(function(r) return r.id ^ 3 end)(df:groupby("k"):sum())',
     lambda df: gb_sum(df).id ** 3, "text"),
    ("gbh_k", 'df:groupby("k"):head(2)', lambda df: df.groupby("k").head(2), "text"),
    ("gbh_name_x", 'df:groupby("name", {dropna = false}).x:head(1)',
     lambda df: df.groupby("name", dropna=False).x.head(1), "text"),
    ("gbh_q8", 'df:loc(df.x:notna())[{"name", "x"}]:sort_values("x", {ascending = false})'
               ':groupby("name", {dropna = false}):head(2)',
     lambda df: stable(df.loc[df.x.notna()][["name", "x"]], "x", False).groupby(
         "name", dropna=False).head(2), "text"),
    ("gbc_flat", 'df:groupby({"k", "flag"}, {as_index = false}):agg{x = "sum"}'
                 ':groupby("k"):agg{x = "max"}',
     lambda df: df.groupby(["k", "flag"], as_index=False).agg({"x": "sum"}).groupby("k").agg(
         {"x": "max"}), "text"),
    ("gbc_index", 'df:groupby("k"):sum():groupby("k"):mean()',
     lambda df: gb_sum(df).groupby("k").mean(), "text"),
    ("gbc_sorted", 'df:sort_values("x"):groupby("name", {sort = false}):agg{{"x", "first"}, '
                   '{"id", "last"}, {"k", "size"}}',
     lambda df: stable(df, "x").groupby("name", sort=False).agg(
         a=("x", "first"), b=("id", "last"), c=("k", "size")).set_axis(["x", "id", "k"], axis=1),
     "text"),
    # groupby aggregations that need each group's values (a groupby by sorting), alone
    # and beside the others, which then take the same path
    ("gb_median", 'df:groupby("k"):median()', lambda df: df.groupby("k").median(numeric_only=True),
     "text"),
    ("gb_nunique", 'df:groupby("k"):nunique()', lambda df: df.groupby("k").nunique(), "text"),
    ("gb_median_x", 'df:groupby("name").x:median()', lambda df: df.groupby("name").x.median(),
     "text"),
    ("gb_nunique_name", 'df:groupby({"k", "flag"}).name:nunique()',
     lambda df: df.groupby(["k", "flag"]).name.nunique(), "text"),
    ("gb_mixed", 'df:groupby("name", {sort = false, dropna = false}):agg{{"x", "median"}, '
                 '{"x", "std"}, {"id", "sum"}, {"id", "mean"}, {"k", "max"}, {"name", "first"}, '
                 '{"flag", "nunique"}, {"x", "count"}, {"x", "last"}, {"k", "size"}}',
     lambda df: df.groupby("name", sort=False, dropna=False).agg(
         a=("x", "median"), b=("x", "std"), c=("id", "sum"), d=("id", "mean"), e=("k", "max"),
         f=("name", "first"), g=("flag", "nunique"), h=("x", "count"), i=("x", "last"),
         j=("k", "size")).set_axis(["x", "x", "id", "id", "k", "name", "flag", "x", "x", "k"],
                                   axis=1), "text"),
    ("gb_flat_median", 'df:loc(df.x:gt(0)):groupby({"flag", "k"}, {as_index = false}):agg{'
                       '{"x", "median"}, {"id", "var"}}',
     lambda df: df.loc[df.x > 0].groupby(["flag", "k"], as_index=False).agg(
         {"x": "median", "id": "var"}), "text"),
]


def value_counts(df, label):
    vc = td.value_counts(df, "vc_k")
    return stable(vc) if label == "sort_vc" else vc.head(2)


def script(opts, rows, cases):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv"%s)' % opts,
             "local df_rows = %d" % max(rows - 1, 0)]
    for label, expr, _, _ in cases:
        lines.append('dd.print(%s, "%s")' % (expr, label))
    lines.append('dd.to_csv(df:sort_values({"name", "x"}, {ascending = {true, false}}), "out.csv")')
    return "\n".join(lines) + "\n"


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, value_counts,
                         lambda df: stable(df, ["name", "x"], [True, False]).to_csv())


# to_csv of frames with a MultiIndex (rows, columns, both): (file, Lua, pandas)
CSV_CASES = [
    ("rows.csv", 'df:groupby({"k", "flag"}):sum()',
     lambda df: df.groupby(["k", "flag"]).sum(numeric_only=True)),
    ("cols.csv", 'df:groupby("name", {as_index = false}):agg{x = {"median", "std"}}',
     lambda df: df.groupby("name", as_index=False).agg({"x": ["median", "std"]})),
    ("both.csv", 'df:groupby({"k", "flag"}):agg{{"x", {"mean", "max"}}, {"id", "sum"}}',
     lambda df: df.groupby(["k", "flag"]).agg({"x": ["mean", "max"], "id": "sum"})),
]


def check_multiindex_csv(text):
    d = td.tl.tempdir("fo_mcsv")
    try:
        td.tl.write(os.path.join(d, "data.csv"), text)
        df = td.pd.read_csv(os.path.join(d, "data.csv"), na_values=["None"])
        lua = ['local dd = require("cdask.dataframe")', 'local df = dd.read_csv("data.csv")']
        lua += ['dd.to_csv(%s, "%s")' % (expr, f) for f, expr, _ in CSV_CASES]
        exe, r = td.tl.build_program("\n".join(lua) + "\n", d)
        if not R.check(exe is not None, "MultiIndex to_csv: compiles", td.tl.short(r.stderr)):
            return
        p = td.tl.run([exe, "--out", d], cwd=d)
        if not R.check(p.returncode == 0, "MultiIndex to_csv: runs", td.tl.short(p.stderr)):
            return
        for f, _, fn in CSV_CASES:
            with open(os.path.join(d, f)) as h:
                got = h.read()
            want = fn(df).to_csv()
            R.check(td.tl.csv_close(got, want), "to_csv %s is pandas' (floats within 1e-12)" % f, "%s\n--- pandas\n%s" % (
                td.tl.short(got), td.tl.short(want)))
    finally:
        td.tl.rmtree(d)


def main():
    rng = random.Random(1515)
    check_multiindex_csv(td.make_csv(random.Random(7), 300))
    td.check_sizes(check_file, lambda n: td.make_csv(rng, n),
                   [("one_row", 1), ("few", 9), ("truncated", 75), ("many", 3000)])
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
