#!/usr/bin/python3
"""CSV files as spreadsheets and other tools write them (issue 15), against pandas (Debian's
python3-pandas), each through dd.print and dd.to_csv on 1 and 3 threads and in blocks of
64 bytes:
- a UTF-8 byte order mark (Excel's "CSV UTF-8") before the header, and before the first
  row of a file read with header = None: pandas drops it;
- empty header fields: pandas names them "Unnamed: N";
- true and false in any case ("tRuE") are bools, as pandas reads them;
- the literal NaT in a parse_dates column: missing, so the sampled column's dt.year is
  float64 with NaN, as pandas;
- column names with commas, quotes and line ends: to_csv quotes them in the header as
  Python's csv module does (frames, Series, a groupby's index)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_dataframe as td  # noqa: E402

R = td.R
tl = td.tl
pd = td.pd

BOM = "\ufeff"
CASES = [
    ("bom", BOM + "a,b,s\n1,2.5,x\n3,,y\n-4,1e3,z\n", {}, "",
     'dd.print(df, "df")\ndd.print(df.a:sum(), "s")\ndd.to_csv(df, "out.csv")\n',
     lambda df: "df =\n%r\ns = %d\n" % (df, df.a.sum()), lambda df: df.to_csv()),
    ("bom_no_header", BOM + "1,x\n2,y\n", {"header": None}, "header = false",
     'dd.print(df, "df")\ndd.to_csv(df, "out.csv")\n',
     lambda df: "df =\n%r\n" % df, lambda df: df.to_csv()),
    ("unnamed", "a,,c,\n1,2,3,4\n5,6,7,8\n", {}, "",
     'dd.print(df, "df")\ndd.print(df["Unnamed: 1"]:sum(), "s")\ndd.to_csv(df, "out.csv")\n',
     lambda df: "df =\n%r\ns = %d\n" % (df, df["Unnamed: 1"].sum()), lambda df: df.to_csv()),
    ("nat", "t,v\n2021-03-01 10:15:00,1\nNaT,2\n2022-01-01,3\n", {"parse_dates": ["t"]},
     'parse_dates = {"t"}',
     'dd.print(df.t.dt.year, "y")\ndd.print(df.t:count(), "n")\ndd.to_csv(df, "out.csv")\n',
     lambda df: "y =\n%r\nn = %d\n" % (df.t.dt.year, df.t.count()), lambda df: df.to_csv()),
    ("bools", "a,b\ntRuE,1\nFaLsE,2\nTRUE,3\nfalse,4\n", {}, "",
     'dd.print(df, "df")\ndd.print(df:loc(df.a).b:sum(), "s")\ndd.to_csv(df, "out.csv")\n',
     lambda df: "df =\n%r\ns = %d\n" % (df, df[df.a].b.sum()), lambda df: df.to_csv()),
    ("header_quotes", '"a,b","c""d","e\nf",k\n1,2,3,x\n3,4,5,y\n1,6,7,x\n', {}, "",
     'dd.print(df["c\\"d"]:sum(), "s")\n'
     'dd.to_csv(df, "out.csv")\ndd.to_csv(df["a,b"], "series.csv")\n'
     'dd.to_csv(df:groupby("a,b")["c\\"d"]:sum(), "gb.csv")\n',
     lambda df: "s = %d\n" % df['c"d'].sum(),
     lambda df: df.to_csv() + df["a,b"].to_csv() + df.groupby("a,b")['c"d'].sum().to_csv()),
]


def check(name, text, read_kw, opts, body, want_fn, csv_fn, block):
    d = tl.tempdir("edges_" + name)
    try:
        with open(os.path.join(d, "data.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        df = pd.read_csv(os.path.join(d, "data.csv"), **read_kw)
        opts = ", ".join(o for o in [opts, "blocksize = 64" if block else ""] if o)
        lua = ('local dd = require("cdask.dataframe")\n'
               'local df = dd.read_csv("data.csv", {%s})\n' % opts) + body
        exe, r = tl.build_program(lua, d)
        if not R.check(exe is not None, name + ": compiles", tl.short(r.stderr)):
            return
        want = want_fn(df)
        for threads in ["1", "3"]:
            p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
            how = "%s (%s threads%s)" % (name, threads, ", 64 B blocks" if block else "")
            R.check(p.returncode == 0 and p.stdout == want, how + ": pandas' values",
                    tl.short(p.stderr) + tl.describe_diff(p.stdout, want))
            got = ""
            for f in ["out.csv", "series.csv", "gb.csv"]:
                if os.path.exists(os.path.join(d, f)):
                    with open(os.path.join(d, f), encoding="utf-8", newline="") as fh:
                        got += fh.read()
            R.check(got == csv_fn(df), how + ": pandas' to_csv", tl.describe_diff(got, csv_fn(df)))
    finally:
        tl.rmtree(d)


def main():
    for case in CASES:
        for block in [False, True]:
            check(*case, block)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
