#!/usr/bin/python3
"""--memory-limit counts what the dataframe programs make beyond the scans' state (issue
15): the strings a scan copies out of the file (fields with doubled quotes) and keeps for
a result, the frames made after the scans (a chain of sort_values) and a merge of computed
frames (its pairs of rows). Under a limit each stops with exit 5, a message naming what
grew (and its script line) and no output file; under a large limit the strings and the
sorts write what pandas (Debian's python3-pandas) writes. A merge of 4e7 pairs under 64M
must stop before it allocates: without the count it would take about a gigabyte."""

import os
import random
import re
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
N = 200000

SORTS = ('df:loc(df.v:ge(0)):sort_values("v"):sort_values("key"):sort_values("g")'
         ':sort_values("v", {ascending = false})')


def pandas_sorts(df):
    f = df.loc[df.v >= 0]
    for col, asc in (("v", True), ("key", True), ("g", True), ("v", False)):
        f = f.sort_values(col, ascending=asc, kind="stable")
    return f.to_csv()


def expect_limit(exe, d, limit, pattern, label, out, also=None):
    """also: what else may be named on 2 threads (the message names the allocation that
    crossed the limit, and two threads' growing states race to it)"""
    for threads in ("1", "2"):
        p = tl.run([exe, "--memory-limit", limit, "--threads", threads, "--out", d], cwd=d)
        named = re.search(pattern, p.stderr) or (threads == "2" and also and
                                                 re.search(also, p.stderr))
        R.check(p.returncode == 5 and named and not os.path.exists(out),
                "%s (%s threads): over %s, exit 5 naming it, nothing written" %
                (label, threads, limit), "exit %s: %s" % (p.returncode, tl.short(p.stderr)))


def expect_pandas(exe, d, want, label, out):
    p = tl.run([exe, "--memory-limit", "2G", "--threads", "2", "--out", d], cwd=d)
    ok = p.returncode == 0 and os.path.exists(out)
    got = open(out).read() if ok else ""
    R.check(ok and got == want, label + ": under 2G, pandas' output",
            "exit %s: %s\n--- got\n%s\n--- pandas\n%s" % (
                p.returncode, tl.short(p.stderr), tl.short(got), tl.short(want)))
    if os.path.exists(out):
        os.unlink(out)


def main():
    rng = random.Random(11)
    d = tl.tempdir("memops")
    try:
        out = os.path.join(d, "out.csv")
        # 20000 rows of 1000-byte strings with doubled quotes: 20 MB of copies kept for the
        # collected rows (whose own state is 32 bytes a row)
        lines = ["s,v"]
        for i in range(20000):
            body = "".join(rng.choice("abcdef") for _ in range(498))
            lines.append('"%s""%s""",%d' % (body[:250], body[250:], i))
        tl.write(os.path.join(d, "quoted.csv"), "\n".join(lines) + "\n")
        exe, r = tl.build_program('local dd = require("cdask.dataframe")\n'
                                  'local df = dd.read_csv("quoted.csv")\n'
                                  'dd.to_csv(df:loc(df.v:ge(0)), "out.csv")\n', d)
        if R.check(exe is not None, "strings: compiles", tl.short(r.stderr)):
            expect_limit(exe, d, "8M", r"the strings copied while reading quoted\.csv needs more "
                         r"than the memory limit of 8\.\d+ MB \(--memory-limit", "strings", out,
                         r"the rows collected at prog\.lua:3 needs more than the memory limit")
            q = pd.read_csv(os.path.join(d, "quoted.csv"))
            expect_pandas(exe, d, q.loc[q.v >= 0].to_csv(), "strings", out)
        # the same copies for a filter that keeps no string: freed at each block's end, so
        # 8M is enough
        exe, r = tl.build_program('local dd = require("cdask.dataframe")\n'
                                  'local df = dd.read_csv("quoted.csv")\n'
                                  'dd.print(df:loc(df.s.str.contains("a\\"b")).v:sum(), "n")\n',
                                  d, "filter")
        if R.check(exe is not None, "strings filtered: compiles", tl.short(r.stderr)):
            q = pd.read_csv(os.path.join(d, "quoted.csv"))
            want = int(q.loc[q.s.str.contains('a"b', regex=False)].v.sum())
            p = tl.run([exe, "--memory-limit", "8M", "--threads", "2", "--out", d], cwd=d)
            R.check(p.returncode == 0 and p.stdout.strip() == "n = %d" % want,
                    "strings filtered: under 8M (the copies freed block by block), pandas' sum",
                    "exit %s: %s %s (pandas %d)" % (p.returncode, p.stdout, tl.short(p.stderr), want))

        # a chain of four sorts of 200k collected rows: each sort's frame is another 6.4 MB
        lines = ["key,g,v"] + ["k%07d,%d,%d" % (rng.randrange(10 ** 7), rng.randrange(10),
                                                 rng.randint(-5, 1000)) for _ in range(N)]
        tl.write(os.path.join(d, "data.csv"), "\n".join(lines) + "\n")
        df = pd.read_csv(os.path.join(d, "data.csv"))
        exe, r = tl.build_program('local dd = require("cdask.dataframe")\n'
                                  'local df = dd.read_csv("data.csv")\n'
                                  'dd.to_csv(%s, "out.csv")\n' % SORTS, d)
        if R.check(exe is not None, "sorts: compiles", tl.short(r.stderr)):
            expect_limit(exe, d, "24M", r"the sort_values at prog\.lua:3 needs more than the "
                         r"memory limit of 25\.\d+ MB \(--memory-limit", "sorts", out)
            expect_pandas(exe, d, pandas_sorts(df), "sorts", out)

        # two frames of about 20k rows merged on g (10 values): 4e7 pairs
        exe, r = tl.build_program('local dd = require("cdask.dataframe")\n'
                                  'local df = dd.read_csv("data.csv")\n'
                                  'local a = df:loc(df.v:lt(100))[{"g", "v"}]\n'
                                  'local b = df:loc(df.v:ge(900))[{"g", "key"}]\n'
                                  'local m = a:merge(b, {on = "g"})\n'
                                  'dd.to_csv(m, "out.csv")\n', d)
        if R.check(exe is not None, "merge: compiles", tl.short(r.stderr)):
            expect_limit(exe, d, "64M", r"the merge at prog\.lua:5 needs more than the memory "
                         r"limit of 67\.\d+ MB \(--memory-limit", "merge", out)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
