#!/usr/bin/python3
"""A groupby's result that only dd.to_csv reads is made a chunk of rows at a time as the file
is written (cdrt_gb_frame_written: no column of the result is held), against pandas
(Debian's python3-pandas): tens of thousands of groups, so that the file is written in many
chunks of 8192 rows; a MultiIndex of two keys (sorted), keys as columns in order of first
appearance with missing keys kept (dropna = false), a Series, string keys and values that
need quotes, missing values, first and last. Results read twice, or with a median (made
before writing, in parallel), are made whole, and are checked the same way. Blocks of the
default size and of 64 kB, on 1, 2 and 3 threads: the same bytes, equal to pandas'."""

import os
import random
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

SCRIPT = """local dd = require("cdask.dataframe")
local df = dd.read_csv("data.csv"%s)
dd.to_csv(df:groupby({"a", "b"}):agg{{"v", "sum"}, {"w", "max"}}, "g1.csv")
dd.to_csv(df:groupby({"b", "a"}, {as_index = false, sort = false, dropna = false})
  :agg{{"v", "sum"}, {"w", "count"}, {"x", "first"}, {"c", "last"}}, "g2.csv")
dd.to_csv(df:groupby("b").v:mean(), "g3.csv")
local twice = df:groupby("a"):agg{{"w", "sum"}, {"x", "max"}}
dd.to_csv(twice, "g4.csv")
dd.to_csv(twice, "g4b.csv")
dd.to_csv(df:groupby("b"):agg{{"v", "median"}}, "g5.csv")
"""

WORDS = ["a", "Zoé", "日本語", "x,y", 'say "hi"', "longer_than_sixteen_bytes", "k"]


def make_csv(rng, n):
    lines = ["a,b,v,w,x,c"]
    for _ in range(n):
        a = "" if rng.random() < 0.03 else "%s%d" % (rng.choice(WORDS), rng.randrange(9))
        if "," in a or '"' in a:
            a = '"%s"' % a.replace('"', '""')
        v = "" if rng.random() < 0.05 else "%.4f" % rng.uniform(-50, 50)
        x = "" if rng.random() < 0.2 else "%.2f" % rng.uniform(0, 9)
        c = "" if rng.random() < 0.1 else rng.choice(["p", "qé", "r s"])
        lines.append("%s,%d,%s,%d,%s,%s" % (a, rng.randrange(3000), v, rng.randrange(-99, 99),
                                            x, c))
    return "\n".join(lines) + "\n"


def want_of(path):
    df = pd.read_csv(path)
    g1 = df.groupby(["a", "b"]).agg({"v": "sum", "w": "max"})
    g2 = df.groupby(["b", "a"], as_index=False, sort=False, dropna=False).agg(
        {"v": "sum", "w": "count", "x": "first", "c": "last"})
    twice = df.groupby("a").agg({"w": "sum", "x": "max"}).to_csv()
    return {"g1.csv": g1.to_csv(), "g2.csv": g2.to_csv(),
            "g3.csv": df.groupby("b").v.mean().to_csv(), "g4.csv": twice, "g4b.csv": twice,
            "g5.csv": df.groupby("b").agg({"v": "median"}).to_csv()}


def main():
    d = tl.tempdir("gbwritten")
    try:
        tl.write(os.path.join(d, "data.csv"), make_csv(random.Random(11), 60000))
        want = want_of(os.path.join(d, "data.csv"))
        R.check(len(want["g2.csv"].splitlines()) > 3 * 8192,
                "the data: pandas' g2 has several chunks of rows")
        for bs in (None, 65536):
            label = "blocks of %s" % (bs or "default")
            exe, r = tl.build_program(SCRIPT % (", {blocksize = %d}" % bs if bs else ""), d,
                                      "prog%s" % (bs or ""))
            if not R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
                continue
            with open(exe + ".c") as f:
                code = f.read()
            R.check(code.count("= cdrt_gb_frame_written(&all.") == 4 and
                    code.count("= cdrt_gb_frame(&all.") == 1,
                    label + ": the results only to_csv reads are made as they are written "
                    "(all but the one written twice)")
            outs = []
            for threads in ("1", "2", "3"):
                p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
                if not R.check(p.returncode == 0, "%s: runs (%s threads)" % (label, threads),
                               tl.short(p.stderr)):
                    break
                outs.append({n: open(os.path.join(d, n), encoding="utf-8").read()
                             for n in want})
            if len(outs) != 3:
                continue
            R.check(outs[0] == outs[1] == outs[2], label + ": the same bytes on 1, 2, 3 threads")
            for n in sorted(want):
                R.check(tl.csv_close(outs[0][n], want[n]), "%s: %s is pandas' to_csv" % (label, n),
                        tl.describe_diff(outs[0][n], want[n]))
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
