#!/usr/bin/python3
"""dd.read_csv of a glob (issue 15) against pandas' concat of the files in sorted order
(Debian's python3-pandas as the oracle; Dask's read_csv gives the same rows and index, each
file's index restarting at 0, but takes its dtypes from the first file's sample alone):
- 1, 3 and 7 files (one with a header and no rows, one with an int column that is float in
  another, quotes, embedded newlines, NA values, unicode): dd.print of the frame, head, a
  filtered frame with its index, value_counts, groupbys, frame reductions, and to_csv, for
  1 and 3 threads and blocks of 1 kB; scalar sums and means within 1e-12 (cdask's are exact);
- errors: no file matches (the script's line and the pattern), files with different headers
  (both named), a bad value in the third file (that file and its line, exit 3, nothing
  written), a file removed after compiling (exit 3, its name, nothing written)."""

import glob
import os
import random
import re
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

NAMES = ["Zoé", "naïve", "Ana", "Bob", "a,b", 'say "hi"', "line\nbreak", "日本", " padded ", "Ana"]


def quote(s):
    return '"' + s.replace('"', '""') + '"'


def make_file(rng, n, float_k):
    """n rows: id (int), x (float, some missing), name (str, quoted when needed), k (small
    ints; floats when float_k, so the glob's k is float64 as pandas' concat)"""
    lines = ["id,x,name,k"]
    for _ in range(n):
        r = rng.random()
        x = rng.choice(["", "NA", "nan"]) if r < 0.1 else "%.3f" % rng.uniform(-100, 100)
        nm = rng.choice(NAMES + ["", "NA"])
        if nm and any(c in nm for c in ',"\n') or rng.random() < 0.1:
            nm = quote(nm)
        k = rng.randint(1, 4)
        lines.append("%d,%s,%s,%s" % (rng.randint(-500, 500), x, nm,
                                       "%d.5" % k if float_k and rng.random() < 0.3 else k))
    return "\n".join(lines) + "\n"


def value_counts(s):
    """pandas 2's value_counts (Debian's pandas may be 1.5): counts descending, ties in
    order of first appearance, the index named after the column, the counts "count"."""
    vc = s.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc.index.name = s.name
    vc.name = "count"
    return vc


CASES = [  # (label, Lua, pandas)
    ("frame", "df", lambda df: df),
    ("head", "df:head(12)", lambda df: df.head(12)),
    ("gt", "df:loc(df.id:gt(100))", lambda df: df.loc[df.id > 100]),
    ("isna", 'df:loc(df.x:isna(), {"name", "k"})', lambda df: df.loc[df.x.isna(), ["name", "k"]]),
    ("vc_name", "df.name:value_counts()", lambda df: value_counts(df.name)),
    ("vc_k", "df.k:value_counts()", lambda df: value_counts(df.k)),
    ("gb_count", 'df:groupby("name"):count()', lambda df: df.groupby("name").count()),
    ("gb_max", 'df:groupby("k").id:max()', lambda df: df.groupby("k").id.max()),
    ("count", "df:count()", lambda df: df.count()),
]
SCALARS = [("id_sum", "df.id:sum()", lambda df: df.id.sum()),
           ("x_mean", "df.x:mean()", lambda df: df.x.mean()),
           ("k_sum", "df.k:sum()", lambda df: df.k.sum())]


def script(pattern, extra=""):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("%s", {blocksize = 1024%s})' % (pattern, extra)]
    for label, lua, _ in CASES + SCALARS:
        lines.append('dd.print(%s, "%s")' % (lua, label))
    lines.append('dd.to_csv(df:loc(df.k:ge(2)), "out.csv")')
    return "\n".join(lines) + "\n"


def close(got, want):
    try:
        g, w = float(got), float(want)
    except ValueError:
        return False
    return g == w or abs(g - w) <= 1e-12 * max(abs(g), abs(w))


def concat(d, pattern):
    """pandas' concat of the files in sorted order, each file's index from 0. A file with a
    header and no rows adds no rows and, as in pandas 2, leaves the dtypes alone (pandas 1.5
    would make every column object): it is left out of the concat."""
    frames = [pd.read_csv(f) for f in sorted(glob.glob(os.path.join(d, pattern)))]
    return pd.concat([f for f in frames if len(f)])


def check_files(nfiles, seed):
    rng = random.Random(seed)
    d = tl.tempdir("glob%d" % nfiles)
    try:
        os.mkdir(os.path.join(d, "data"))
        sizes = [rng.randint(20, 90) for _ in range(nfiles)]
        if nfiles > 1:
            sizes[1] = 0  # a header and no rows
        for i, n in enumerate(sizes):
            tl.write(os.path.join(d, "data", "part-%d.csv" % i),
                     make_file(rng, n, float_k=(i == nfiles - 1 and nfiles > 2)))
        tl.write(os.path.join(d, "data", "other.csv"), "nothing,here\n1,2\n")  # not matched
        df = concat(d, "data/part-*.csv")
        want = "".join("%s =\n%r\n" % (label, fn(df)) for label, _, fn in CASES)
        want_csv = df.loc[df.k >= 2].to_csv()
        exe, r = tl.build_program(script("data/part-*.csv"), d)
        what = "%d files" % nfiles
        if not R.check(exe is not None, what + ": compiles", tl.short(r.stderr)):
            return
        for threads in ("1", "3"):
            p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
            w = "%s, %s threads" % (what, threads)
            if not R.check(p.returncode == 0, w + ": runs", tl.short(p.stderr)):
                return
            text, _, rest = p.stdout.partition("id_sum = ")
            R.check(text == want, w + ": frames, filters, value_counts, groupbys as pandas' concat",
                    "--- got\n%s\n--- pandas\n%s" % (tl.short(text, 3000), tl.short(want, 3000)))
            got = dict(re.findall(r"^(\w+) = (\S+)$", "id_sum = " + rest, re.M))
            for label, _, fn in SCALARS:
                R.check(close(got.get(label), fn(df)), w + ": " + label,
                        "%s, pandas %r" % (got.get(label), fn(df)))
            with open(os.path.join(d, "out.csv")) as f:
                got_csv = f.read()
            R.check(got_csv == want_csv, w + ": to_csv as pandas'",
                    "--- got\n%s--- pandas\n%s" % (tl.short(got_csv), tl.short(want_csv)))
    finally:
        tl.rmtree(d)


def check_errors():
    d = tl.tempdir("glob_err")
    try:
        os.mkdir(os.path.join(d, "data"))
        rng = random.Random(7)
        for i in range(3):
            tl.write(os.path.join(d, "data", "p-%d.csv" % i), make_file(rng, 30, False))
        # no match: the script's line and the pattern
        tl.write(os.path.join(d, "nomatch.lua"),
                 'local dd = require("cdask.dataframe")\n\n'
                 'local df = dd.read_csv("data/q-*.csv")\ndd.print(df.id:sum(), "s")\n')
        r = tl.cdaskc(["nomatch.lua", "-o", "nomatch"], cwd=d)
        R.check(r.returncode != 0 and "nomatch.lua:3:" in r.stderr and "data/q-*.csv" in r.stderr
                and not os.path.exists(os.path.join(d, "nomatch")),
                "no file matches: an error at the script's line naming the pattern", r.stderr)
        # a differing header: both files named
        tl.write(os.path.join(d, "data", "h-0.csv"), "id,x\n1,2\n")
        tl.write(os.path.join(d, "data", "h-1.csv"), "id,y\n3,4\n")
        tl.write(os.path.join(d, "hdr.lua"),
                 'local dd = require("cdask.dataframe")\n'
                 'local df = dd.read_csv("data/h-*.csv")\ndd.print(df.id:sum(), "s")\n')
        r = tl.cdaskc(["hdr.lua", "-o", "hdr"], cwd=d)
        R.check(r.returncode != 0 and "hdr.lua:2:" in r.stderr and "data/h-0.csv" in r.stderr
                and "data/h-1.csv" in r.stderr and "id,y" in r.stderr,
                "differing headers: an error naming both files", r.stderr)
        # a bad value in the third file, after the sample: that file and its line
        text = make_file(rng, 40, False).split("\n")
        text[25] = "oops," + text[25].split(",", 1)[1]
        tl.write(os.path.join(d, "data", "p-2.csv"), "\n".join(text))
        want_line = 1 + "\n".join(text[:25]).count("\n") + 1
        exe, r = tl.build_program(
            'local dd = require("cdask.dataframe")\n'
            'local df = dd.read_csv("data/p-*.csv", {sample = 50, blocksize = 1024})\n'
            'dd.to_csv(df, "out.csv")\n', d)
        if R.check(exe is not None, "bad value: compiles (the sample stops before it)",
                   tl.short(r.stderr)):
            for threads in ("1", "3"):
                p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
                R.check(p.returncode == 3 and "data/p-2.csv:%d:" % want_line in p.stderr and
                        "'oops'" in p.stderr and not os.path.exists(os.path.join(d, "out.csv")),
                        "bad value (%s threads): exit 3 naming the third file and line %d, "
                        "nothing written" % (threads, want_line), p.stderr)
            # a file removed after compiling
            os.unlink(os.path.join(d, "data", "p-1.csv"))
            p = tl.run([exe, "--out", d], cwd=d)
            R.check(p.returncode == 3 and "data/p-1.csv" in p.stderr and
                    not os.path.exists(os.path.join(d, "out.csv")),
                    "a file removed after compiling: exit 3 naming it, nothing written", p.stderr)
            # a header changed at run time
            tl.write(os.path.join(d, "data", "p-1.csv"), "id,x,nm,k\n1,2,a,3\n")
            p = tl.run([exe, "--out", d], cwd=d)
            R.check(p.returncode == 3 and "data/p-1.csv:1: the header changed" in p.stderr and
                    not os.path.exists(os.path.join(d, "out.csv")),
                    "a header changed after compiling: exit 3 naming the file", p.stderr)
    finally:
        tl.rmtree(d)


def main():
    for nfiles, seed in ((1, 11), (3, 12), (7, 13)):
        check_files(nfiles, seed)
    check_errors()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
