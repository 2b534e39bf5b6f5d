#!/usr/bin/python3
"""The user's Lua functions over a frame's values (issue 15), traced while compiling,
against pandas 1.5 and Dask (Debian's) on a generated CSV:
- s:map(f) and s:apply(f): arithmetic, comparisons, where, string methods, a constant, a
  Scalar computed outside the function, na_action = "ignore"; the result keeps the
  Series' name;
- s:map{[key] = value} (pandas' map of a dict) of ints, floats, strings and bools, to
  numbers (float64) or strings, an empty table;
- df:apply(f, {axis = 1}): a row's values as pandas gives them (a frame of numbers only
  makes every value of a row the columns' common type: ints of a frame with floats are
  floats; with a string column they keep their own);
- df:map_partitions(f, ...) and s:map_partitions(f, ...) against Dask's on 3 partitions:
  assign, row selections, dropna, extra arguments;
- 1, 2 and 3 threads and blocks of 1 kB print the same;
- errors at the script's line: a reduction, head, loc or the index in a function of each
  value, a reduction, head or the index in map_partitions' function, a Lua boolean, a
  table's keys or values of other types, apply along axis 0, an unknown option, a result
  that is not of the argument's rows."""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402
import dask.dataframe as ddf  # noqa: E402

R = td.R
tl = td.tl
pd = td.pd

WORDS = ["a", "Zoé", "", "naïve", "x y", "True"]


def make_csv(rng, n):
    rows = []
    for _ in range(n):
        f = rng.choice(["", "-0.0", "0.1", "3.0", "-2.75", "%.6f" % rng.uniform(-1e3, 1e3)])
        s = rng.choice(WORDS + [""])
        s = '"%s"' % s if s and " " in s else s
        rows.append(",".join([str(rng.randrange(-5, 6)), f, s,
                              rng.choice(["True", "False"])]))
    return "k,f,s,b\n" + "\n".join(rows) + "\n"


def dask_parts(df, fn):
    return fn(ddf.from_pandas(df, npartitions=3)).compute()


CASES = [
    ("mlin", "df.f:map(function(x) return x * 2 + 1 end)", lambda df: df.f.map(lambda x: x * 2 + 1),
     "text"),
    ("mmod", "df.k:map(function(x) return x % 3 end)", lambda df: df.k.map(lambda x: x % 3),
     "text"),
    ("mcmp", "df.k:map(function(x) return x:gt(1) end)", lambda df: df.k.map(lambda x: x > 1),
     "text"),
    ("mwhere", "df.f:apply(function(x) return x:where(x:gt(0), -x) end)",
     lambda df: df.f.apply(lambda x: x if x > 0 else -x), "text"),
    ("mupper", "df.s:map(function(x) return x.str:upper() + \"!\" end)",
     lambda df: df.s.map(lambda x: x.upper() + "!", na_action="ignore"), "text"),
    ("mconst", "df.k:map(function(x) return 7 end)", lambda df: df.k.map(lambda x: 7), "text"),
    ("mscalar", "df.k:map(function(x) return x - m end)",
     lambda df: df.k.map(lambda x: x - df.k.mean()), "text"),
    ("mscalar2", "df.f:map(function(x) return x * (m * 2 - 1) end)",
     lambda df: df.f.map(lambda x: x * (df.k.mean() * 2 - 1)), "text"),
    ("mbool", "df.b:map(function(x) return ~x end)", lambda df: df.b.map(lambda x: not x),
     "text"),
    ("mna", 'df.f:map(function(x) return x:fillna(0) + 1 end, {na_action = "ignore"})',
     lambda df: df.f.map(lambda x: (0 if x != x else x) + 1, na_action="ignore"), "text"),
    ("mnas", 'df.s:map(function(x) return x:fillna("?") + "!" end, {na_action = "ignore"})',
     lambda df: df.s.map(lambda x: x + "!", na_action="ignore"), "text"),
    ("mnak", 'df.k:map(function(x) return x * 2 end, {na_action = "ignore"})',
     lambda df: df.k.map(lambda x: x * 2, na_action="ignore"), "text"),
    ("dmix", "df.k:map{[1] = 10, [-3] = 2.5, [4] = 7}",
     lambda df: df.k.map({1: 10, -3: 2.5, 4: 7}), "text"),
    ("dnone", "df.k:map{[100] = 1}", lambda df: df.k.map({100: 1}), "text"),
    ("dempty", "df.k:map{}", lambda df: df.k.map({}), "text"),
    ("dstr", 'df.s:map{a = "A", ["Zoé"] = "z", ["x y"] = ""}',
     lambda df: df.s.map({"a": "A", "Zoé": "z", "x y": ""}), "text"),
    ("dsnum", 'df.s:map{a = 1, True = 2.5}', lambda df: df.s.map({"a": 1, "True": 2.5}), "text"),
    ("dflt", "df.f:map{[3.0] = -1, [0.1] = 5, [-2.75] = 0.5}",
     lambda df: df.f.map({3.0: -1, 0.1: 5, -2.75: 0.5}), "text"),
    ("dbool", 'df.b:map{[true] = "yes", [false] = "no"}',
     lambda df: df.b.map({True: "yes", False: "no"}), "text"),
    ("rnum", 'df[{"k", "f"}]:apply(function(r) return r.k + 1 end, {axis = 1})',
     lambda df: df[["k", "f"]].apply(lambda r: r.k + 1, axis=1), "text"),
    ("rmul", 'df:apply(function(r) return r.k * r["f"] end, {axis = 1, meta = "f8"})',
     lambda df: df.apply(lambda r: r.k * r["f"], axis=1), "text"),
    ("rmix", 'df[{"k", "s"}]:apply(function(r) return r.k + 1 end, {axis = "columns"})',
     lambda df: df[["k", "s"]].apply(lambda r: r.k + 1, axis="columns"), "text"),
    ("rbool", 'df[{"k", "b"}]:apply(function(r) return r.b end, {axis = 1})',
     lambda df: df[["k", "b"]].apply(lambda r: r.b, axis=1), "text"),
    ("passign", "df:map_partitions(function(p) return p:assign{z = p.k * 2} end)",
     lambda df: dask_parts(df, lambda x: x.map_partitions(lambda p: p.assign(z=p.k * 2))),
     "text"),
    ("ploc", "df:map_partitions(function(p) return p:loc(p.f:gt(0), {\"k\", \"f\"}) end)",
     lambda df: dask_parts(df, lambda x: x.map_partitions(lambda p: p.loc[p.f > 0, ["k", "f"]])),
     "text"),
    ("pdrop", "df:map_partitions(function(p) return p:dropna() end)",
     lambda df: dask_parts(df, lambda x: x.map_partitions(lambda p: p.dropna())), "text"),
    ("pargs", "df.f:map_partitions(function(p, a, b) return p * a + b end, 10, 0.5)",
     lambda df: dask_parts(df, lambda x: x.f.map_partitions(lambda p, a, b: p * a + b, 10, 0.5)),
     "text"),
    ("psum", "df:map_partitions(function(p) return p.k + p.f end):sum()",
     lambda df: dask_parts(df, lambda x: x.map_partitions(lambda p: p.k + p.f).sum()), "num"),
]


def script(opts, rows, cases):
    return td.printing_script(
        '"data.csv", {dtype = {s = "str"}%s})\nlocal m = df.k:mean(' % opts, cases,
        'dd.to_csv(df:assign{g = df.f:map(function(x) return x:fillna(0) * 3 end)}, "out.csv")')


def check_file(name, text, opts=""):
    return td.check_file(name, text, opts, CASES, script, None,
                         lambda df: df.assign(g=df.f.map(lambda x: 0 if x != x else x) * 3)
                         .to_csv(), read_kw={"dtype": {"s": str}})


PRELUDE = ('local dd = require("cdask.dataframe")\n'
           'local df = dd.read_csv("data.csv", {dtype = {s = "str"}})\n')
EACH = ("inside a function of each value (a bag's map, filter or key, a Series' map or apply, "
        "a frame's apply by rows): it runs once, while compiling, on a symbolic value that "
        "stands for each one (in Dask, x.mean() of a number is an AttributeError); compute it "
        "outside the function (m = b:mean(), b:filter(f)) and use that Scalar inside it")
PART = ("inside map_partitions' function: it runs once, while compiling, on the whole input, "
        "and a partition's own would depend on how cdask cuts it into blocks; compute it "
        "outside the function (m = df.x:mean()) and use that Scalar inside it")
ROWS_OP = "a reduction, running or window operation, sort or grouping"
ERRORS = [
    ("mean", "df.k:map(function(x) return x - x:mean() end)", ROWS_OP + " " + EACH),
    ("other_sum", "df.k:map(function(x) return x + df.f:sum() end)", ROWS_OP + " " + EACH),
    ("cumsum", "df.f:apply(function(x) return x:cumsum() end)", ROWS_OP + " " + EACH),
    ("head", "df.k:map(function(x) return x:head(3) end)", "head " + EACH),
    ("loc", "df.k:map(function(x) return x:loc(x:gt(0)) end)",
     "loc (a selection of rows) " + EACH),
    ("index", "df.k:map(function(x) return x.index end)",
     "the index (the rows' labels) " + EACH),
    ("row_sum", "df:apply(function(r) return r.k:sum() end, {axis = 1})", ROWS_OP + " " + EACH),
    ("part_sum", "df:map_partitions(function(p) return p.k - p.k:mean() end)",
     ROWS_OP + " " + PART),
    ("part_index", "df.k:map_partitions(function(p) return p + p.index end)",
     "the index (the rows' labels) " + PART),
    ("part_head", "df:map_partitions(function(p) return p:head(2) end)", "head " + PART),
    ("lua_bool", "df.k:map(function(x) return x % 2 == 0 end)",
     "map: the function returned a Lua boolean; Lua compares a traced value with a number "
     "without asking cdask (x % 2 == 0 is always false): write (x % 2):eq(0), x:lt(3), "
     "x:ne(y), ..."),
    ("dkey", "df.k:map{a = 1}",
     "map: the key a is a string; the Series holds int64 (no value of it would match)"),
    ("dvals", 'df.k:map{[1] = 1, [2] = "b"}',
     "map: the table's values mix numbers and strings (pandas' object column; not supported)"),
    ("dbools", "df.k:map{[1] = true}",
     "map: the value of a key is a boolean; a table's values must be numbers or strings "
     "(bools are not supported yet: pandas' result is object where a row has no key)"),
    ("apply_table", "df.k:apply{[1] = 2}",
     "apply of a table: give a function (s:map takes a table of values)"),
    ("not_fn", "df.k:apply(3)", "apply: expected a function, got number"),
    ("axis0", "df:apply(function(c) return c end)",
     "apply: only axis = 1 (f of each row) is supported, as in Dask (its apply is row-wise "
     "only)"),
    ("na_action", 'df.k:map(function(x) return x end, {na_action = "all"})',
     'map: na_action must be "ignore" or nil'),
    ("option", 'df.k:map(function(x) return x end, {convert_dtype = true})',
     "map: TypeError: got an unexpected keyword argument 'convert_dtype' (its options: meta "
     "na_action)"),
    ("na_bools", 'df.f:map(function(x) return x:gt(0) end, {na_action = "ignore"})',
     'map with na_action = "ignore" of a function that returns bools is not supported yet '
     "(pandas' result is object where a value is missing)"),
    ("frame_result", "df.k:map(function(x) return df end)",
     "map: the function returned a DataFrame; it must compute one value from its argument"),
    ("other_rows", 'df.k:map(function(x) return dd.read_csv("data.csv").k end)',
     "map: the function's result is not one value for each of its argument's (it must "
     "compute from its argument only)"),
    ("tostring", "df.k:map(function(x) return tostring(x) end)",
     "tostring of a traced value (a bag's element, a Series' value in map or apply) is not "
     "supported yet: the function runs once, while compiling, on a symbolic value, so "
     "tostring (and print) would give its repr for every value, not Python's str(x); return "
     "the value itself (astype(\"str\") makes a string) and print the result"),
    ("part_scalar", "df:map_partitions(function(p) return 3 end)",
     "map_partitions: the function returned number; it must return its partition's rows, "
     "computed (one value per partition would depend on how cdask cuts the input into "
     "blocks: reduce the frame itself instead)"),
]


def main():
    td.check_errors_on("apply_err", make_csv(random.Random(5), 20), PRELUDE, ERRORS)
    rng = random.Random(44)
    td.check_sizes(check_file, lambda n: make_csv(rng, n),
                   [("one_row", 1), ("few", 40), ("many", 2000)], ", blocksize = 1024")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
