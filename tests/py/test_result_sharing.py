#!/usr/bin/python3
"""A reduction or value_counts asked for again (the same column, the same rows) is computed
once by the scan (issue 15: several outputs over one CSV share one scan): the generated C
(cdaskc --emit-c) has one value-counts table for three df.Age:value_counts() and one exact
sum of Age for df:mean() beside two df.Age:mean(), while a value_counts of other rows (a
filter) and another reduction (max) keep their own. Every output is pandas' (Debian's
python3-pandas)."""

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
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
