#!/usr/bin/python3
"""Dataframe queries under each filter: every combination of a row filter (none, numbers,
a string's equality, a bool and a number, a substring, a missing value) with a query
(groupby sums, means, sizes, counts, std, median, nunique, first and last, several keys
and an agg, value_counts, nlargest, sort_values and head, drop_duplicates, a groupby's
head, reductions), printed as pandas (Debian's python3-pandas) prints it, the same bytes
for 1, 2 and 3 threads and for blocks of 1 kB. What works alone must work under a filter:
the scan fuses the filter into each query's loop, and each kind of query has its own."""

import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402  (make_csv, check_file and its results)

R = td.R

# (label, Lua condition over df, pandas condition over df)
FILTERS = [
    ("all", None, None),
    ("pos", "df.id:gt(0)", lambda df: df.id > 0),
    ("ab", 'df.name:eq("ab")', lambda df: df.name == "ab"),
    ("flag_x", "df.flag & df.x:lt(10)", lambda df: df.flag & (df.x < 10)),
    ("has_y", 'df.name.str.contains("y")',
     lambda df: df.name.str.contains("y", regex=False, na=False)),
    ("x_na", "df.x:isna() | df.k:eq(2)", lambda df: df.x.isna() | (df.k == 2)),
]

def exact_mean(s):
    """A group's mean as cdask makes it: the exact sum rounded once, over the count
    (pandas' Kahan sum can differ in the last bit: docs/dataframes.md)"""
    v = s.dropna()
    return math.fsum(v) / len(v) if len(v) else math.nan


# (label, Lua over frame f, pandas over frame f; sorts as kind = "stable", cdask's)
QUERIES = [
    ("k_id_sum", 'f:groupby("k").id:sum()', lambda f: f.groupby("k").id.sum()),
    ("name_x_mean", 'f:groupby("name").x:mean()', lambda f: f.groupby("name").x.agg(exact_mean)),
    ("two_size", 'f:groupby({"k", "flag"}):size()', lambda f: f.groupby(["k", "flag"]).size()),
    ("name_count", 'f:groupby("name", {dropna = false}):count()',
     lambda f: f.groupby("name", dropna=False).count()),
    ("k_x_std", 'f:groupby("k").x:std()', lambda f: f.groupby("k").x.std()),
    ("k_x_median", 'f:groupby("k").x:median()', lambda f: f.groupby("k").x.median()),
    ("flag_name_nunique", 'f:groupby("flag").name:nunique()',
     lambda f: f.groupby("flag").name.nunique()),
    ("k_last", 'f:groupby("k"):last("name")', lambda f: f.groupby("k")["name"].last()),
    ("agg", 'f:groupby("name"):agg{{"x", "max"}, {"id", "min"}, {"k", "first"}}',
     lambda f: f.groupby("name").agg({"x": "max", "id": "min", "k": "first"})),
    ("flat", 'f:groupby({"k", "name"}, {as_index = false, sort = false}):agg{id = "sum"}',
     lambda f: f.groupby(["k", "name"], as_index=False, sort=False).agg({"id": "sum"})),
    ("nlargest", 'f:nlargest(4, "id")', lambda f: f.nlargest(4, "id")),
    ("sorted_head", 'f:sort_values({"x", "id"}, {ascending = false}):head(5)',
     lambda f: f.sort_values(["x", "id"], ascending=False, kind="stable").head(5)),
    ("dedup", 'f:drop_duplicates({"k", "flag"})', lambda f: f.drop_duplicates(["k", "flag"])),
    ("gb_head", 'f:sort_values("id"):groupby("k"):head(1)',
     lambda f: f.sort_values("id", kind="stable").groupby("k").head(1)),
    ("means", "f:mean()", lambda f: f.mean(numeric_only=True)),
    ("x_nunique", "f.x:nunique()", lambda f: f.x.nunique()),
]


def cases():
    out = []
    for fl, lua_c, py_c in FILTERS:
        frame = "df:loc(%s)" % lua_c if lua_c else "df"
        for q, lua_q, py_q in QUERIES:
            def py(df, c=py_c, pq=py_q):
                return pq(df.loc[c(df)] if c else df)

            kind = "num" if q == "x_nunique" else "text"
            out.append(("%s_%s" % (fl, q), frame + lua_q[1:], py, kind))
    return out


def main():
    rng = random.Random(1515)
    text = td.make_csv(rng, 2500)
    a = td.check_file("chains", text, cases=cases())
    b = td.check_file("chains_1k", text, ", {blocksize = 1024}", cases=cases())
    R.check(a is not None and a == b, "blocks of 1 kB print what one block does")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
