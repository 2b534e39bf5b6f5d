#!/usr/bin/python3
"""--memory-limit counts the dataframe scans' growing state (issue 15): a groupby of about
200k groups, the value_counts of 200k distinct strings and 200k collected rows (a filtered
frame written with to_csv), each under a small --memory-limit, stop with exit 5, a message
naming what grew and its script line, and no output file; the same programs under a large
enough limit write what pandas (Debian's python3-pandas) writes. A tail of the collected
rows keeps only each block's last rows, so it fits under the limit the rows do not."""

import os
import random
import re
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
N = 200000


def value_counts(s):
    vc = s.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc.index.name = s.name
    vc.name = "count"
    return vc


CASES = [  # (label, the Lua output line, what the message names, pandas' CSV)
    ("groupby", 'dd.to_csv(df:groupby("key").v:sum(), "out.csv")', "the groupby",
     lambda df: df.groupby("key").v.sum().to_csv()),
    ("value_counts", 'dd.to_csv(df.key:value_counts(), "out.csv")', "the value_counts",
     lambda df: value_counts(df.key).to_csv()),
    ("rows", 'dd.to_csv(df:loc(df.v:ge(0)), "out.csv")', "the rows collected",
     lambda df: df.loc[df.v >= 0].to_csv()),
]


def main():
    rng = random.Random(5)
    keys = ["k%07d" % rng.randrange(10 ** 7) for _ in range(N)]
    d = tl.tempdir("memframes")
    try:
        lines = ["key,v"] + ["%s,%d" % (k, rng.randint(-5, 1000)) for k in keys]
        tl.write(os.path.join(d, "data.csv"), "\n".join(lines) + "\n")
        df = pd.read_csv(os.path.join(d, "data.csv"))
        out = os.path.join(d, "out.csv")
        for label, lua, what, fn in CASES:
            exe, r = tl.build_program('local dd = require("cdask.dataframe")\n'
                                      'local df = dd.read_csv("data.csv")\n' + lua + "\n", d)
            if not R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
                continue
            for threads in ("1", "2"):
                p = tl.run([exe, "--memory-limit", "4M", "--threads", threads, "--out", d], cwd=d)
                R.check(p.returncode == 5 and
                        re.search(re.escape(what) + r" at prog\.lua:3 needs more than the memory "
                                  r"limit of 4\.\d+ MB \(--memory-limit", p.stderr) and
                        not os.path.exists(out),
                        "%s (%s threads): over 4M, exit 5 naming it, nothing written" %
                        (label, threads), "exit %s: %s" % (p.returncode, tl.short(p.stderr)))
            p = tl.run([exe, "--memory-limit", "2G", "--threads", "2", "--out", d], cwd=d)
            ok = p.returncode == 0 and os.path.exists(out)
            got = open(out).read() if ok else ""
            want = fn(df)
            R.check(ok and got == want, label + ": under 2G, pandas' output",
                    "exit %s: %s\n--- got\n%s\n--- pandas\n%s" % (
                        p.returncode, tl.short(p.stderr), tl.short(got), tl.short(want)))
            if os.path.exists(out):
                os.unlink(out)
        check_tail(d, df)
    finally:
        tl.rmtree(d)
    return R.finish()


def check_tail(d, df):
    """tail(n) keeps only each block's last n rows (the tail rule): the rows the "rows" case
    collects past 4M fit as a tail, whose output is pandas'; a sort of them beside it keeps
    its own rows (and goes past 4M)"""
    out = os.path.join(d, "out.csv")
    exe, r = tl.build_program('local dd = require("cdask.dataframe")\n'
                              'local df = dd.read_csv("data.csv", {blocksize = 65536})\n'
                              'dd.to_csv(df:loc(df.v:ge(0)):tail(7), "out.csv")\n', d)
    if not R.check(exe is not None, "tail: compiles", tl.short(r.stderr)):
        return
    for threads in ("1", "2", "3"):
        p = tl.run([exe, "--memory-limit", "4M", "--threads", threads, "--out", d], cwd=d)
        got = open(out).read() if p.returncode == 0 else p.stderr
        want = df.loc[df.v >= 0].tail(7).to_csv()
        R.check(got == want, "tail(7) of 200k rows under 4M (%s threads): pandas' output" %
                threads, "%s\n--- pandas\n%s" % (tl.short(got), want))


if __name__ == "__main__":
    sys.exit(main())
