#!/usr/bin/python3
"""More of what pandas and Dask users ask of a frame (issue 15), against pandas (Debian's
python3-pandas) as the oracle on test_dataframe.py's generated CSV files (missing values,
quotes, unicode; one row, a few, thousands over many blocks):
- quantile(q) of a Series (NumPy's linear quantile) and of a frame (a Series named q);
  quantile of a list (a Series indexed by the q's; of a frame, a row per q; bools left out);
- idxmax and idxmin (the first extreme's label; after a filter, a sort, a set_index);
- unique (first appearance, NaN once, a new RangeIndex: Dask's Series);
- tail(n) of a frame, a filtered Series, a computed result;
- value_counts{normalize = true} (pandas 2's proportion);
- corr of two Series (exact sums, as the groupby's corr) and a frame's corr() matrix;
- dd.concat along the columns (axis = 1: aligned on the index, the union of the labels in
  order of appearance; a label twice in an index stops the program);
- dd.concat of frames and Series (the union of the columns, missing values where a part
  lacks one, int64 with missing values float64; the parts' labels, or ignore_index);
- a groupby's agg("count"), agg of a list (of one column: a column per aggregation; of a
  frame: MultiIndex columns) and pandas' named aggregation (keyed and as triples);
- #df (Dask's len) of a frame, a filtered frame, a Series, a groupby's result; df.shape;
  df.size (rows times columns; a Series' rows);
  df.dtypes as pandas prints it (while compiling);
- the text of each dd.print is exactly pandas' repr; 1, 2 and 3 threads and blocks of 1 kB
  print the same; idxmax of a Series without a value stops the program (exit 3, nothing
  written); errors at the script's line for what pandas refuses or cdask does not do.
"""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R, tl, pd = td.R, td.tl, td.pd

def proportions(s):
    """pandas 2's value_counts(normalize=True): counts descending, ties in order of first
    appearance, over their sum, named proportion"""
    vc = s.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc = vc / vc.sum()
    vc.index.name, vc.name = s.name, "proportion"
    return vc


CASES = [
    ("q25", "df.x:quantile(0.25)", lambda df: df.x.quantile(0.25), "num"),
    ("q_default", "df.id:quantile()", lambda df: df.id.quantile(), "num"),
    ("q1", "df.x:quantile(1)", lambda df: df.x.quantile(1), "num"),
    ("q_frame", 'df[{"id", "x", "k"}]:quantile(0.9)',
     lambda df: df[["id", "x", "k"]].quantile(0.9), "text"),
    ("q_frame1", 'df[{"id", "k"}]:quantile(1)', lambda df: df[["id", "k"]].quantile(1), "text"),
    ("q_list", "df.x:quantile{0.25, 0.5, 0.75}", lambda df: df.x.quantile([0.25, 0.5, 0.75]),
     "text"),
    ("q_list_int", "df.id:quantile{1, 0, 0.333333333, 0.1}",
     lambda df: df.id.quantile([1, 0, 0.333333333, 0.1]), "text"),
    ("q_list_frame", "df:quantile{0.1, 0.5, 0.9}",
     lambda df: df[["id", "x", "k"]].quantile([0.1, 0.5, 0.9]), "text"),
    ("q_list_none", "df:loc(df.x:gt(1e9)).x:quantile{0.5, 0.05}",
     lambda df: df.loc[df.x > 1e9].x.quantile([0.5, 0.05]), "text"),
    ("q_list_empty", "df.k:quantile{}", lambda df: df.k.quantile([]), "text"),
    ("idxmax", "df.x:idxmax()", lambda df: df.x.idxmax(), "num"),
    ("idxmin", "df.id:idxmin()", lambda df: df.id.idxmin(), "num"),
    ("idxmax_flag", "df.flag:idxmax()", lambda df: df.flag.idxmax(), "num"),
    ("idxmax_frame", "df:idxmax()",
     lambda df: df[["id", "x", "flag", "k"]].idxmax(), "text"),
    ("idxmin_filtered", "df:loc(df.k:ge(3)).x:idxmin()",
     lambda df: df.loc[df.k >= 3].x.idxmin(), "num"),
    ("idxmax_named", 'df:set_index("name").id:idxmax()',
     lambda df: df.sort_values("name", kind="stable").set_index("name").id.idxmax(), "num"),
    ("unique_k", "df.k:unique()", lambda df: pd.Series(df.k.unique(), name="k"), "text"),
    ("unique_x", "df.x:unique()", lambda df: pd.Series(df.x.unique(), name="x"), "text"),
    ("unique_name", "df.name:unique()", lambda df: pd.Series(df.name.unique(), name="name"),
     "text"),
    ("unique_gb", 'df:groupby("k"):sum().id:unique()',
     lambda df: pd.Series(df.groupby("k").sum(numeric_only=True).id.unique(), name="id"), "text"),
    ("tail", "df:tail()", lambda df: df.tail(), "text"),
    ("tail_filtered", "df:loc(df.flag).x:tail(3)", lambda df: df.loc[df.flag].x.tail(3), "text"),
    ("tail_sorted", 'df:sort_values("id"):tail(2)',
     lambda df: df.sort_values("id", kind="stable").tail(2), "text"),
    ("tail_zero", "df.k:tail(0)", lambda df: df.k.tail(0), "text"),
    ("len", "#df", lambda df: len(df), "num"),
    ("len_filtered", "#df:loc(df.x:gt(0))", lambda df: len(df.loc[df.x > 0]), "num"),
    ("len_series", "#df.name", lambda df: len(df.name), "num"),
    ("len_gb", '#df:groupby("k"):sum()', lambda df: len(df.groupby("k").sum(numeric_only=True)),
     "num"),
    ("len_head", "#df:head(4)", lambda df: len(df.head(4)), "num"),
    ("shape", "df:loc(df.flag).shape[1]", lambda df: df.loc[df.flag].shape[0], "num"),
    ("size", "df.size", lambda df: df.size, "num"),
    ("size_filtered", "df:loc(df.flag).size", lambda df: df.loc[df.flag].size, "num"),
    ("size_series", "df.name.size", lambda df: df.name.size, "num"),
    ("size_gb", 'df:groupby("k"):agg{id = "sum", x = "max"}.size',
     lambda df: df.groupby("k").agg({"id": "sum", "x": "max"}).size, "num"),
    ("mean_by_len", "df.id:sum() / #df", lambda df: df.id.sum() / len(df), "num"),
    ("vc_norm", "df.k:value_counts{normalize = true}", lambda df: proportions(df.k), "text"),
    ("vc_norm_flag", "df:loc(df.k:ge(2)).flag:value_counts{normalize = true}",
     lambda df: proportions(df.loc[df.k >= 2].flag), "text"),
    # Pearson's r: of two Series, and pandas' matrix of a frame's numeric and bool columns
    ("corr", "df.x:corr(df.id)", lambda df: df.x.corr(df.id), "num"),
    ("corr_filtered", "df:loc(df.flag).x:corr(df:loc(df.flag).k)",
     lambda df: df.loc[df.flag].x.corr(df.loc[df.flag].k), "num"),
    ("corr_matrix", "df:corr()", lambda df: df.corr(numeric_only=True), "text"),
    ("corr_gb", 'df:groupby("k"):mean():corr()',
     lambda df: df.groupby("k").mean(numeric_only=True).corr(), "text"),
    # dd.concat along the rows: the union of the columns, the parts' labels
    ("concat_rows", "dd.concat({df:head(3), df:loc(df.k:eq(5))})",
     lambda df: pd.concat([df.head(3), df.loc[df.k == 5]]), "text"),
    ("concat_cols", 'dd.concat({df[{"id", "x"}], df:tail(4)[{"x", "name"}]})',
     lambda df: pd.concat([df[["id", "x"]], df.tail(4)[["x", "name"]]]), "text"),
    ("concat_series", "dd.concat({df.x, df.id:head(5)})",
     lambda df: pd.concat([df.x, df.id.head(5)]), "text"),
    ("concat_ignore", "dd.concat({df.k, df.k}, {ignore_index = true})",
     lambda df: pd.concat([df.k, df.k], ignore_index=True), "text"),
    ("concat_len", "#dd.concat({df, df, df})", lambda df: 3 * len(df), "num"),
    ("concat_gb", 'dd.concat({df:groupby("k").x:sum(), df:groupby("k").x:max()})',
     lambda df: pd.concat([df.groupby("k").x.sum(), df.groupby("k").x.max()]), "text"),
    # dd.concat along the columns, aligned on the index: the same rows keep their dtypes; an
    # int64 column of a part that may lack labels is float64 (cdask decides while compiling;
    # pandas only where a label is missing in this run: `floats` casts pandas' to match)
    ("concat_axis1", "dd.concat({df.x, df.x:cumsum(), df.k * 2, df.name}, {axis = 1})",
     lambda df: pd.concat([df.x, df.x.cumsum(), df.k * 2, df.name], axis=1), "text"),
    ("concat_axis1_gb", 'dd.concat({df:groupby("k").x:sum(), df:groupby("k"):size(), '
     'df:groupby("k").id:max()}, {axis = "columns"})',
     lambda df: pd.concat([df.groupby("k").x.sum(), df.groupby("k").size(),
                           df.groupby("k").id.max()], axis=1), "text"),
    ("concat_axis1_align", 'dd.concat({df[{"id", "x"}], df:loc(df.k:ge(3))[{"x", "name"}], '
     'df:loc(df.flag).k}, {axis = 1})',
     lambda df: floats(pd.concat([df[["id", "x"]], df.loc[df.k >= 3][["x", "name"]],
                                  df.loc[df.flag].k], axis=1), [4]), "text"),
    ("concat_axis1_vc", "dd.concat({df.k:value_counts(), df:loc(df.flag).k:value_counts()}, "
     "{axis = 1})",
     lambda df: floats(pd.concat([counts(df.k), counts(df.loc[df.flag].k)], axis=1), [0, 1]),
     "text"),
    ("concat_axis1_ignore", "dd.concat({df.x, df.k}, {axis = 1, ignore_index = true})",
     lambda df: pd.concat([df.x, df.k], axis=1, ignore_index=True), "text"),
    # a groupby's agg of a name, of a list, and pandas' named aggregation
    ("gb_str", 'df:groupby("k"):agg("count")', lambda df: df.groupby("k").agg("count"), "text"),
    ("gb_slist", 'df:groupby("k").x:agg{"sum", "mean", "size"}',
     lambda df: df.groupby("k").x.agg(["sum", "mean", "size"]), "text"),
    ("gb_flist", 'df[{"k", "id", "x", "name"}]:groupby("k"):agg{"sum", "max"}',
     lambda df: df[["k", "id", "x"]].groupby("k").agg(["sum", "max"]), "text"),
    ("gb_named", 'df:groupby("k"):agg{total = {"id", "sum"}, avg = {"x", "mean"}}',
     lambda df: df.groupby("k").agg(avg=("x", "mean"), total=("id", "sum")), "text"),
    ("gb_named3", 'df:groupby("flag"):agg{{"total", "id", "sum"}, {"n", "name", "count"}}',
     lambda df: df.groupby("flag").agg(total=("id", "sum"), n=("name", "count")), "text"),
    ("gb_named_col", 'df:groupby("k"):agg{id = {"x", "max"}}',
     lambda df: df.groupby("k").agg(id=("x", "max")), "text"),
]


CONCAT_DATES = """k,x,ts
1,2.0,2020-01-03
1,,2020-01-01
2,-0.0,2020-01-02
3,1.0,2020-01-05
"""
CONCAT_SCRIPT = """local dd = require("cdask.dataframe")
local da = require("cdask.array")
local df = dd.read_csv("data.csv", {parse_dates = {"ts"}})
local f = dd.from_arrays{{"y", da.arange(5) * 0.5}}
dd.print(dd.concat({df:loc(df.k:ge(2)):groupby("ts").x:sum(),
                    df:loc(df.k:le(1)):groupby("ts").x:sum()}, {axis = 1}), "dates")
dd.print(dd.concat({df.x, f.y}, {axis = 1}), "arrays")
dd.print(dd.concat({df.x, f.y}), "arrays_rows")
"""


def check_concat_kinds():
    """concat along the columns of DatetimeIndexes (pandas sorts their union) and of a CSV
    file's Series with a from_arrays one (made after the arrays), against pandas"""
    import numpy as np
    d = tl.tempdir("concat_kinds")
    try:
        tl.write(os.path.join(d, "data.csv"), CONCAT_DATES)
        exe, r = tl.build_program(CONCAT_SCRIPT, d)
        if not R.check(exe is not None, "concat kinds: compiles", tl.short(r.stderr)):
            return
        p = tl.run([exe, "--out", d], cwd=d)
        df = pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["ts"])
        y = pd.Series(np.arange(5) * 0.5, name="y")
        want = "dates =\n%r\narrays =\n%r\narrays_rows =\n%r\n" % (
            pd.concat([df.loc[df.k >= 2].groupby("ts").x.sum(),
                       df.loc[df.k <= 1].groupby("ts").x.sum()], axis=1),
            pd.concat([df.x, y], axis=1), pd.concat([df.x, y]))
        R.check(p.returncode == 0 and p.stdout == want, "concat kinds: as pandas",
                tl.short(p.stderr) + "\n" + p.stdout + "\n--- pandas\n" + want)
    finally:
        tl.rmtree(d)


def floats(frame, at):
    """frame with its columns at the positions at made float64"""
    for k in at:
        frame.isetitem(k, frame.iloc[:, k].astype("float64"))
    return frame


def counts(s):
    """value_counts as cdask's: pandas 2's name, ties in order of first appearance"""
    vc = s.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc.index.name, vc.name = s.name, "count"
    return vc


# idxmax of no value is an error: these need rows with values (not the one-row file's)
SOME_ROWS = {"idxmax", "idxmin_filtered", "idxmax_frame"}


def check_file(name, text, opts=""):
    cases = [c for c in CASES if text.count("\n") > 3 or c[0] not in SOME_ROWS]
    return td.check_file(name, text, opts, cases, csv_fn=lambda df: df.loc[df.k >= 3].to_csv())


def check_dtypes_and_shape():
    """print(df.dtypes) while compiling is pandas' repr; df.shape[2] the columns"""
    d = tl.tempdir("stats_dtypes")
    try:
        text = "a,b,c,d,when\n1,2.5,x,True,2021-01-02\n3,,y,False,2021-03-04 05:06\n"
        tl.write(os.path.join(d, "data.csv"), text)
        script = ('local dd = require("cdask.dataframe")\n'
                  'local df = dd.read_csv("data.csv", {parse_dates = {"when"}})\n'
                  'print(df.dtypes)\nprint(df.shape[2], #df.dtypes, df.dtypes.c)\n'
                  'print(df:assign{e = df.a * 2}:groupby("c"):sum().dtypes)\n'
                  'dd.print(#df, "n")\n')
        exe, r = tl.build_program(script, d)
        df = pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["when"])
        gb = df.assign(e=df.a * 2).groupby("c").sum(numeric_only=True)
        want = "%r\n5\t5\tobject\n%r\n" % (df.dtypes, gb.dtypes)
        R.check(exe is not None and r.stdout == want, "dtypes: printed as pandas prints them",
                "got %r\nwant %r" % (r.stdout, want))
    finally:
        tl.rmtree(d)


def check_idxmax_empty():
    """idxmax of a Series with no present value: pandas 3's ValueError, exit 3, no output"""
    td.check_run_fails(
        "idxmax empty", {"data.csv": "a,b\n1,\n2,\n"},
        'local dd = require("cdask.dataframe")\n'
        'local df = dd.read_csv("data.csv", {dtype = {b = "float64"}})\n'
        'dd.to_csv(df, "out.csv")\n'
        'dd.print(df.b:idxmax(), "i")\n',
        "the idxmax at prog.lua:4: ValueError: idxmax of a Series without a present value")


PRELUDE = 'local dd = require("cdask.dataframe")\nlocal df = dd.read_csv("data.csv")\n'
ERRORS = [
    ("quantile_range", "df.x:quantile(1.5)",
     "quantile: ValueError: percentiles should all be in the interval [0, 1]"),
    ("quantile_list_range", "df.x:quantile{0.5, -0.1}",
     "quantile: ValueError: percentiles should all be in the interval [0, 1]"),
    ("quantile_list_str", "df.name:quantile{0.5}",
     "quantile of a Series of object is not supported"),
    ("quantile_str", "df.name:quantile(0.5)",
     "quantile of a Series of object is not supported"),
    ("quantile_bool", "df.flag:quantile(0.5)",
     "quantile of a Series of bool is not supported"),
    ("idxmax_str", "df.name:idxmax()", "idxmax of a Series of object is not supported"),
    ("unique_frame", "df:unique()",
     "unique: a DataFrame has no unique (pandas' drop_duplicates, or a column's unique)"),
    ("tail_neg", "df:tail(-1)", "tail: n must not be negative"),
    ("corr_str", "df.name:corr(df.x)", "corr of a Series of object is not supported (of numbers)"),
    ("corr_frames", "df.x:corr(df:loc(df.flag).x)",
     "corr: the other must be a Series of the same frame (pandas aligns them by the index; "
     "cdask pairs the rows of one frame)"),
    ("concat_empty", "dd.concat({})", "concat: ValueError: No objects to concatenate"),
    ("concat_axis", "dd.concat({df}, {axis = 2})",
     "concat: axis must be 0 or \"index\" (along the rows), or 1 or \"columns\""),
    ("concat_axis1_index", 'dd.concat({df.x, df:set_index("name").x}, {axis = 1})',
     "concat: the index of item 2 is of object, item 1's of int64: along the columns the "
     "indexes align, and must be of one type"),
    ("concat_axis1_bool", "dd.concat({df.x, df:loc(df.k:gt(2)).flag}, {axis = 1})",
     "concat: column 'flag' would be object in pandas (bools with missing values, or values of "
     "different types): not supported"),
    ("concat_bool", 'dd.concat({df[{"flag"}], df[{"id"}]})',
     "concat: column 'flag' would be object in pandas (bools with missing values, or values of "
     "different types): not supported"),
    ("concat_index", 'dd.concat({df, df:set_index("name")})',
     "concat: the index of item 2 is of object, item 1's of int64 (pandas would make it "
     "object): pass ignore_index = true"),
    ("agg_mixed", 'df:groupby("k"):agg{total = {"id", "sum"}, x = {"sum", "mean"}}',
     "agg: a named aggregation and a list of aggregations in one agg (pandas takes one or the "
     "other)"),
    ("agg_named_bad", 'df:groupby("k"):agg{{"total", "nope", "sum"}}',
     "KeyError: 'nope' (the frame's columns: id, x, flag, name, k)"),
    ("agg_unknown", 'df:groupby("k").x:agg{"sum", "avg"}',
     "groupby: unknown aggregation 'avg' (sum, mean, min, max, count, size, std, var, first, "
     "last, median, nunique, quantile)"),
    ("idxmax_str_index", 'df:set_index("name"):idxmax()',
     "idxmax of a frame whose index is of object is not supported yet (of a Series it is)"),
]


def main():
    rng = random.Random(1618)
    td.check_errors_on("stats_err", td.make_csv(random.Random(6), 40), PRELUDE, ERRORS)
    check_dtypes_and_shape()
    check_idxmax_empty()
    td.check_run_fails(
        "concat twice", {"data.csv": "k,v\n1,2.5\n2,1.0\n1,4.0\n"},
        'local dd = require("cdask.dataframe")\nlocal df = dd.read_csv("data.csv")\n'
        'dd.to_csv(dd.concat({df:set_index("k").v, df:groupby("k").v:sum()}, {axis = 1}), '
        '"out.csv")\n',
        "the concat at prog.lua:3: item 1's index has a label more than once, and the indexes "
        "differ: aligning such parts is not supported (pandas' InvalidIndexError for strings)")
    check_concat_kinds()
    td.check_sizes(check_file, lambda n: td.make_csv(rng, n),
                   [("one_row", 1), ("few", 9), ("many", 3000)])
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
