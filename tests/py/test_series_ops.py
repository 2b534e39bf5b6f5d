#!/usr/bin/python3
"""More of pandas' elementwise vocabulary (issue 15), fused into the scan, against pandas
(Debian's python3-pandas) as the oracle on test_dataframe.py's generated CSV files
(missing values, quotes, unicode; int, float, bool and str columns; one row, a few,
thousands over many blocks):
- a Series' between (each inclusive, numbers and strings), isin (ints, strings, NaN, an
  empty list), clip (both bounds, one, an int Series with int and float bounds), abs,
  round (NumPy's halves to even, negative decimals), where and mask (NaN by default, a
  number, a string, another Series; pandas' dtypes: int64 with NaN is float64), dropna;
- str.replace (literal, at most n, an empty pattern, UTF-8) and str.slice (code points,
  negative and open ends, a step of either sign), in chains and as a groupby key;
- a frame's dropna (any, all, subset), fillna (a value, per column), rename, drop, astype
  (one dtype, per column) and nunique;
- chains of them with filters, groupbys and reductions;
- a Scalar's arithmetic with Scalars and numbers (+ - * / ^, unary -; NumPy's dtypes);
- the text of each dd.print is exactly pandas' repr, scalars within 1e-12, 1, 2 and 3
  threads and blocks of 1 kB print the same;
- errors at the script's line for what cdask does not do (or pandas refuses)."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R
import numpy as np  # noqa: E402

CASES = [
    ("between", "df.x:between(-10, 50)", lambda df: df.x.between(-10, 50), "text"),
    ("between_neither", 'df.k:between(2, 4, {inclusive = "neither"})',
     lambda df: df.k.between(2, 4, inclusive="neither"), "text"),
    ("between_left", 'df.id:between(-500, 500, {inclusive = "left"})',
     lambda df: df.id.between(-500, 500, inclusive="left"), "text"),
    ("between_right", 'df.x:between(0, 60.5, {inclusive = "right"})',
     lambda df: df.x.between(0, 60.5, inclusive="right"), "text"),
    ("between_str", 'df.name:between("B", "M")', lambda df: df.name.between("B", "M"), "text"),
    ("isin_k", "df.k:isin({1, 3})", lambda df: df.k.isin([1, 3]), "text"),
    ("isin_name", 'df.name:isin({"Ana", "Zoë", "nope"})',
     lambda df: df.name.isin(["Ana", "Zoë", "nope"]), "text"),
    ("isin_nan", "df.x:isin({0/0})", lambda df: df.x.isin([np.nan]), "text"),
    ("isin_empty", "df.k:isin({})", lambda df: df.k.isin([]), "text"),
    ("clip", "df.x:clip(-5, 5)", lambda df: df.x.clip(-5, 5), "text"),
    ("clip_int", "df.id:clip(-100, 100)", lambda df: df.id.clip(-100, 100), "text"),
    ("clip_upper", "df.id:clip(nil, 2.5)", lambda df: df.id.clip(upper=2.5), "text"),
    ("clip_lower", "df.k:clip(3)", lambda df: df.k.clip(3), "text"),
    ("abs", "df.x:abs()", lambda df: df.x.abs(), "text"),
    ("abs_int", "df.id:abs()", lambda df: df.id.abs(), "text"),
    ("round1", "df.x:round(1)", lambda df: df.x.round(1), "text"),
    ("round0", "df.x:round()", lambda df: df.x.round(), "text"),
    ("round_neg", "df.x:round(-1)", lambda df: df.x.round(-1), "text"),
    ("round_half", "(df.id / 8):round(2)", lambda df: (df.id / 8).round(2), "text"),
    ("round_int", "df.id:round(2)", lambda df: df.id.round(2), "text"),
    ("where", "df.x:where(df.k:gt(2))", lambda df: df.x.where(df.k > 2), "text"),
    ("where_num", "df.x:where(df.k:gt(2), -1)", lambda df: df.x.where(df.k > 2, -1), "text"),
    # pandas keeps int64 when every row holds (its dtype depends on the data); cdask's is
    # fixed when compiling: float64, which pandas gives whenever a NaN goes in
    ("where_int", "df.id:where(df.flag)", lambda df: df.id.where(df.flag).astype("float64"),
     "text"),
    ("where_int0", "df.id:where(df.flag, 0)", lambda df: df.id.where(df.flag, 0), "text"),
    ("where_str", 'df.name:where(df.k:ge(3), "other")',
     lambda df: df.name.where(df.k >= 3, "other"), "text"),
    ("where_series", "df.x:where(df.flag, df.id)", lambda df: df.x.where(df.flag, df.id), "text"),
    ("mask", "df.x:mask(df.x:gt(0), 0)", lambda df: df.x.mask(df.x > 0, 0), "text"),
    ("dropna_s", "df.x:dropna()", lambda df: df.x.dropna(), "text"),
    ("dropna", "df:dropna()", lambda df: df.dropna(), "text"),
    ("dropna_all", 'df:dropna{how = "all", subset = {"x", "name"}}',
     lambda df: df.dropna(how="all", subset=["x", "name"]), "text"),
    ("dropna_name", 'df:dropna{subset = {"name"}}', lambda df: df.dropna(subset=["name"]),
     "text"),
    ("fillna_cols", 'df:fillna{x = 0, name = "?"}', lambda df: df.fillna({"x": 0, "name": "?"}),
     "text"),
    ("fillna_num", 'df[{"id", "x"}]:fillna(-1.5)', lambda df: df[["id", "x"]].fillna(-1.5),
     "text"),
    ("rename", 'df:rename{columns = {x = "y", nope = "z"}}',
     lambda df: df.rename(columns={"x": "y", "nope": "z"}), "text"),
    ("drop", 'df:drop{columns = {"x", "flag"}}', lambda df: df.drop(columns=["x", "flag"]),
     "text"),
    ("drop_axis", 'df:drop("x", {axis = 1})', lambda df: df.drop("x", axis=1), "text"),
    ("astype_cols", 'df:astype{k = "float64", flag = "int64"}',
     lambda df: df.astype({"k": "float64", "flag": "int64"}), "text"),
    ("astype_all", 'df[{"id", "k"}]:astype("float64")',
     lambda df: df[["id", "k"]].astype("float64"), "text"),
    ("nunique", "df:nunique()", lambda df: df.nunique(), "text"),
    # str.replace (literal: pandas 2's regex=False) and str.slice, by code points
    ("replace", 'df.name.str:replace("a", "o")',
     lambda df: df.name.str.replace("a", "o", regex=False), "text"),
    ("replace_n", 'df.name.str:replace("a", "", {n = 1})',
     lambda df: df.name.str.replace("a", "", n=1, regex=False), "text"),
    ("replace_empty", 'df.name.str:replace("", "-")',
     lambda df: df.name.str.replace("", "-", regex=False), "text"),
    ("replace_utf8", 'df.name.str:replace("é", "ée")',
     lambda df: df.name.str.replace("é", "ée", regex=False), "text"),
    ("slice", "df.name.str:slice(1, 4)", lambda df: df.name.str.slice(1, 4), "text"),
    ("slice_neg", "df.name.str:slice(-3)", lambda df: df.name.str.slice(-3), "text"),
    ("slice_stop", "df.name.str:slice(nil, -1)", lambda df: df.name.str.slice(None, -1), "text"),
    ("slice_rev", "df.name.str:slice(nil, nil, -1)", lambda df: df.name.str.slice(None, None, -1),
     "text"),
    ("slice_step", "df.name.str:slice(1, nil, 2)", lambda df: df.name.str.slice(1, None, 2),
     "text"),
    ("slice_back", "df.name.str:slice(-2, 0, -1)", lambda df: df.name.str.slice(-2, 0, -1),
     "text"),
    ("slice_far", "df.name.str:slice(10, -10, -3)", lambda df: df.name.str.slice(10, -10, -3),
     "text"),
    ("slice_len", "df.name.str:slice(2).str:len()", lambda df: df.name.str.slice(2).str.len(),
     "text"),
    ("slice_key", 'df:assign{p = df.name.str:slice(0, 1)}:groupby("p").k:sum()',
     lambda df: df.assign(p=df.name.str.slice(0, 1)).groupby("p").k.sum(), "text"),
    ("chain_gb", 'df:loc(df.x:between(0, 50)):groupby("k").x:sum()',
     lambda df: df.loc[df.x.between(0, 50)].groupby("k").x.sum(), "text"),
    ("chain_assign", "df:assign{ax = df.x:abs():round(1)}",
     lambda df: df.assign(ax=df.x.abs().round(1)), "text"),
    ("chain_renamed", 'df:rename{columns = {x = "v"}}:dropna().v:clip(0, 10):sum()',
     lambda df: df.rename(columns={"x": "v"}).dropna().v.clip(0, 10).sum(), "num"),
    ("chain_where_sum", "df.id:where(df.k:isin({2, 4}), 0):sum()",
     lambda df: df.id.where(df.k.isin([2, 4]), 0).sum(), "num"),
    # a Scalar's arithmetic (Dask's Scalar), after the scans
    ("sc_mean", "df.x:sum() / df.x:count()", lambda df: df.x.sum() / df.x.count(), "num"),
    ("sc_range", "df.id:max() - df.id:min()", lambda df: df.id.max() - df.id.min(), "num"),
    ("sc_neg", "-df.x:mean() * 2 + 1", lambda df: -df.x.mean() * 2 + 1, "num"),
    ("sc_pow", "df.k:sum() ^ 2", lambda df: df.k.sum() ** 2, "num"),
    ("sc_swap", "10 - df.k:sum() * 3", lambda df: 10 - df.k.sum() * 3, "num"),
    ("sc_two", "df.x:std() / (df.x:max() - df.x:min())",
     lambda df: df.x.std() / (df.x.max() - df.x.min()), "num"),
]


def script(opts, rows, cases):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv"%s)' % opts]
    for label, expr, _, _ in cases:
        lines.append('dd.print(%s, "%s")' % (expr, label))
    lines.append("local d = df:dropna()")
    lines.append('dd.to_csv(d:assign{r = d.x:round(2)}, "out.csv")')
    return "\n".join(lines) + "\n"


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: df.dropna().assign(r=lambda d: d.x.round(2)).to_csv())


PRELUDE = ('local dd = require("cdask.dataframe")\nlocal da = dd\n'
           'local df = dd.read_csv("data.csv")\n')
ERRORS = [
    ("fillna_str", "df:fillna(0)",
     "fillna: a int64 value for a Series of object would change its dtype (not supported)"),
    ("abs_str", "df.name:abs()", "abs of a Series of object is not supported (of numbers)"),
    ("where_cond", "df.x:where(df.k)",
     "where: the condition must be a Series of bools of the same frame (a comparison)"),
    ("where_mixed", "df.x:where(df.flag, \"a\")",
     "where: other of object for a Series of float64 would make an object column (not "
     "supported)"),
    ("drop_rows", 'df:drop("x")',
     "drop: cdask drops columns: df:drop{columns = {...}} or df:drop(cols, {axis = 1}) (rows "
     "have no labels to drop by)"),
    ("drop_missing", 'df:drop{columns = {"nope"}}',
     "drop: KeyError: \"['nope'] not found in axis\" (the columns: id, x, flag, name, k)"),
    ("dropna_how", 'df:dropna{how = "some"}', 'dropna: how must be "any" or "all"'),
    ("isin_value", "df.x:isin(3)", "isin: give a list of values, got number"),
    ("round_int_neg", "df.id:round(-1)",
     "round of int64 values to negative decimals is not supported yet"),
    ("scalar_str", "df.name:max() + 1",
     "arithmetic on a Scalar of object is not supported (of numbers, timedeltas and "
     "datetimes)"),
    ("scalar_pow", "df.k:sum() ^ df.k:max()",
     "^ of integers: the exponent must be a non-negative integer number, as NumPy requires "
     "(make one side float64 to use others)"),
    ("replace_case", 'df.name.str:replace("a.", "b", {case = false})',
     "str.replace: ValueError: case cannot be set if regex=False (pandas 2)"),
    ("slice_step0", "df.name.str:slice(0, 4, 0)",
     "str.slice: ValueError: slice step cannot be zero"),
    ("between_inc", 'df.x:between(1, 2, {inclusive = "all"})',
     'between: inclusive must be "both", "neither", "left" or "right"'),
]


def main():
    rng = random.Random(4711)
    td.check_errors_on("so_err", td.make_csv(random.Random(3), 40), PRELUDE, ERRORS)
    td.check_sizes(check_file, lambda n: td.make_csv(rng, n),
                   [("two_rows", 2), ("few", 9), ("many", 3000)])
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
