#!/usr/bin/python3
"""Lua's print of a lazy or computed frame or Series (cdaskc prints it while compiling, as
Python prints a Dask collection): the kind (DataFrame or Series Structure), the column names
(both levels of MultiIndex columns), the dtypes and a Series' name, against Dask's repr of
the same pipeline (Debian's python3-dask). Dask's reprs of a groupby's, a merge's or a
sort's result name the columns and dtypes of what will be computed; cdask printed each of
them as an int64 Series named None before."""

import os
import sys

import dask.dataframe as dd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

CSV = "a,b,c,d\n1,x,0.5,2021-01-02\n2,y,1.5,2021-01-03\n3,x,,2021-01-04\n"

# (label, the Lua expression printed, Python's expression over the Dask frame x)
CASES = [
    ("read_csv", "x", lambda x: x),
    ("column", "x.c", lambda x: x.c),
    ("merge", "x:merge(x, {on = \"a\"})", lambda x: x.merge(x, on="a")),
    ("merge_cross", "x[{\"a\"}]:merge(x[{\"b\", \"c\"}], {how = \"cross\"})",
     # (Dask 2022.12 has no cross merge: pandas' result as a Dask frame)
     lambda x: dd.from_pandas(x[["a"]].compute().merge(x[["b", "c"]].compute(), how="cross"),
                              npartitions=1)),
    ("groupby_frame",
     "x:groupby(\"b\", {as_index = false}):agg{{\"a\", \"sum\"}, {\"c\", \"mean\"}}",
     lambda x: x.groupby("b").agg({"a": "sum", "c": "mean"}).reset_index()),
    ("groupby_series", "x:groupby(\"b\").c:mean()", lambda x: x.groupby("b").c.mean()),
    ("groupby_multi", "x:groupby(\"b\"):agg{a = {\"sum\", \"mean\"}}",
     lambda x: x.groupby("b").agg({"a": ["sum", "mean"]})),
    ("groupby_count", "x:groupby(\"b\").a:count()", lambda x: x.groupby("b").a.count()),
    ("sort_values", "x:sort_values(\"c\")", lambda x: x.sort_values("c")),
    ("sorted_column", "x:sort_values(\"c\").b", lambda x: x.sort_values("c").b),
    ("head", "x:sort_values(\"a\"):head(2)", lambda x: x.sort_values("a").head(2, compute=False)),
    ("drop_duplicates", "x[{\"b\"}]:drop_duplicates()", lambda x: x[["b"]].drop_duplicates()),
]


def structure(text):
    """(kind, [column names, top level], [second level or None], [dtypes], Series name)
    from a repr: the header line, the column lines before npartitions=, the dtype line"""
    lines = text.strip("\n").split("\n")
    kind = lines[0].split()[1]
    at = next(i for i, ln in enumerate(lines) if ln.startswith("npartitions="))
    if kind == "Series":
        name = next(ln for ln in lines if ln.startswith("Name: "))
        return kind, [], None, lines[at + 1].split(), name.split(",")[0][6:]
    heads = [ln for ln in lines[1:at] if ln.strip()]
    names = heads[-1].split()  # (a MultiIndex's first level may leave a name out)
    # (from_pandas' repr starts the dtype line with the first division)
    return kind, heads[0].split(), heads[1].split() if len(heads) > 1 else None, \
        lines[at + 1].split()[-len(names):], None


def main():
    d = tl.tempdir("cdask_frame_repr_")
    tl.write(os.path.join(d, "t.csv"), CSV)
    x = dd.read_csv(os.path.join(d, "t.csv"))
    for label, lua, py in CASES:
        script = ('local dd = require("cdask.dataframe")\n'
                  'local x = dd.read_csv("t.csv")\nprint(%s)\n' % lua)
        tl.write(os.path.join(d, "p.lua"), script)
        r = tl.cdaskc(["p.lua", "--emit-c", "p.c"], cwd=d)  # (the repr is printed; no cc)
        want = structure(repr(py(x)))
        try:
            got = structure(r.stdout)
        except (StopIteration, IndexError) as e:
            got = "unparsed (%s): %r" % (e, r.stdout)
        R.check(r.returncode == 0 and got == want, label,
                "exit %d, got %r, want %r (stderr %r)" % (r.returncode, got, want,
                                                          tl.short(r.stderr)))
    # a frame has dtypes, not a dtype: the script's line says so
    tl.write(os.path.join(d, "e.lua"), 'local dd = require("cdask.dataframe")\n'
             'local x = dd.read_csv("t.csv")\nprint(x:sort_values("a").dtype)\n')
    r = tl.cdaskc(["e.lua", "--emit-c", "e.c"], cwd=d)
    R.check(r.returncode == 1 and tl.first_line(r.stderr).startswith("e.lua:3: error: ")
            and "dtypes" in r.stderr, "frame_dtype_error", repr(r.stderr))
    tl.rmtree(d)
    R.finish()


if __name__ == "__main__":
    main()
