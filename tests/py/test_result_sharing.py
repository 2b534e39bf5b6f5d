#!/usr/bin/python3
"""A reduction or value_counts asked for again (the same column, the same rows) is computed
once by the scan (issue 15: several outputs over one CSV share one scan): the generated C
(cdaskc --emit-c) has one value-counts table for three df.Age:value_counts() and one exact
sum of Age for df:mean() beside two df.Age:mean(), while a value_counts of other rows (a
filter) and another reduction (max) keep their own. Collected rows are shared too: two
df.Age:median() (a second pass's Scalar, written twice) collect the ages once for the median
and both quantiles, while nlargest and nsmallest of one frame each keep their own top-n
rows (the rows shared, then copied for each sort read by a head). Every output is pandas'
(Debian's python3-pandas)."""

import os
import random
import re
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

SCRIPT = """local dd = require("cdask.dataframe")
local df = dd.read_csv("squad.csv")
dd.print(df.Age:value_counts():count(), "a")
dd.print(df.Age:value_counts():sum(), "b")
dd.print(df.Age:value_counts():max(), "c")
dd.to_csv(df:mean(), "means.csv")
dd.print(df.Age:mean(), "d")
dd.print(df.Age:mean(), "e")
dd.print(df:loc(df.Numero:lt(10)).Age:value_counts():count(), "f")
dd.print(df.Age:max(), "g")
"""

ROWS = """local dd = require("cdask.dataframe")
local df = dd.read_csv("squad.csv")
dd.print(df:loc(df.Age:gt(df.Age:median())).Numero:count(), "a")
dd.print(df:loc(df.Age:gt(df.Age:median())).Numero:sum(), "b")
dd.print(df.Age:quantile(0.5), "c")
dd.print(df.Age:quantile(0.25), "d")
dd.to_csv(df:nlargest(3, "Age"), "large.csv")
dd.to_csv(df:nsmallest(3, "Age"), "small.csv")
"""


def check_rows(d, df):
    """ROWS: one collection of the ages, two top-n collections, pandas' answers"""
    tl.write(os.path.join(d, "rows.lua"), ROWS)
    r = tl.cdaskc(["rows.lua", "--emit-c", "rows.c"], cwd=d)
    if R.check(r.returncode == 0, "emits C (shared rows)", tl.short(r.stderr)):
        c = open(os.path.join(d, "rows.c")).read()
        pushes = re.findall(r"cdrt_rows_push\(&p->r\d+", c)
        topn = re.findall(r"cdrt_topn_row\(&p->t\d+", c)
        R.check(len(pushes) == 3 and len(topn) == 2, "the ages collected once; nlargest and "
                "nsmallest each with its own top-n rows", "%s %s" % (pushes, topn))
    exe, r = tl.build_program(ROWS, d)
    if not R.check(exe is not None, "compiles (shared rows)", tl.short(r.stderr)):
        return
    p = tl.run([exe, "--threads", "2", "--out", d], cwd=d)
    above = df.loc[df.Age > df.Age.median()]
    want = "a = %d\nb = %d\nc = %r\nd = %r\n" % (above.Numero.count(), above.Numero.sum(),
                                                   df.Age.quantile(0.5), df.Age.quantile(0.25))
    got = p.stdout
    for f in ("large.csv", "small.csv"):
        got += open(os.path.join(d, f)).read() if p.returncode == 0 else ""
    want += df.nlargest(3, "Age").to_csv() + df.nsmallest(3, "Age").to_csv()
    R.check(p.returncode == 0 and got == want, "the shared rows' outputs are pandas'",
            "%s\n%s--- pandas\n%s" % (tl.short(p.stderr), got, want))


def main():
    rng = random.Random(3)
    d = tl.tempdir("share")
    try:
        rows = ["Numero,Nom,Age"] + ["%d,n%d,%d" % (rng.randint(1, 40), i, rng.randint(17, 38))
                                     for i in range(5000)]
        tl.write(os.path.join(d, "squad.csv"), "\n".join(rows) + "\n")
        tl.write(os.path.join(d, "prog.lua"), SCRIPT)
        r = tl.cdaskc(["prog.lua", "--emit-c", "prog.c"], cwd=d)
        if R.check(r.returncode == 0, "emits C", tl.short(r.stderr)):
            c = open(os.path.join(d, "prog.c")).read()
            vc = re.findall(r"cdrt_vc_add_i64\(&p->r\d+", c)
            sums = re.findall(r"cdrt_xsum_add\(&p->r\d+\.x1", c)
            R.check(len(vc) == 2, "three value_counts of Age: one table, and one of the filtered "
                    "rows", str(vc))
            R.check(len(sums) == 2, "df:mean() and df.Age:mean() twice: one sum of Age, one of "
                    "Numero", str(sums))
        exe, r = tl.build_program(SCRIPT, d)
        if R.check(exe is not None, "compiles", tl.short(r.stderr)):
            p = tl.run([exe, "--threads", "2", "--out", d], cwd=d)
            df = pd.read_csv(os.path.join(d, "squad.csv"))
            vc = df.Age.value_counts()
            want = ("a = %d\nb = %d\nc = %d\nd = %r\ne = %r\nf = %d\ng = %d\n" %
                    (len(vc), vc.sum(), vc.max(), df.Age.mean(), df.Age.mean(),
                     len(df.loc[df.Numero < 10].Age.value_counts()), df.Age.max()))
            means = open(os.path.join(d, "means.csv")).read() if p.returncode == 0 else ""
            R.check(p.returncode == 0 and p.stdout == want and
                    means == df[["Numero", "Age"]].mean().to_csv(),
                    "the outputs are pandas'", "%s\n%s--- pandas\n%s" % (tl.short(p.stderr),
                                                                        p.stdout + means, want))
        check_rows(d, pd.read_csv(os.path.join(d, "squad.csv")))
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
