#!/usr/bin/python3
"""dd.read_csv's header, names and on_bad_lines options, and short rows (issue 15), against
pandas (Debian's python3-pandas) as the oracle. Each case reads one CSV text with the same
options in cdask and pandas and compares dd.print of the frame, a column's sum and the
frame's to_csv (the sum within 1e-12: cdask's is exact), for 1 and 3 threads and 256-byte blocks (so bad and short rows fall in many
blocks):
- names on a file without a header; header = false without names (columns "0", "1", ...);
  header = 0 with names (the header row's names replaced);
- names and a dtype for every column compile without the file (it is written after cdaskc
  ran);
- short rows padded with missing values: float and str columns, and an int column that
  becomes float64 from its missing values, as pandas;
- on_bad_lines = "skip" and "warn": rows with too many fields left out, the count reported,
  and with "warn" the lines named are pandas' "Skipping line N" lines."""

import io
import os
import re
import sys
import warnings

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()


def rows_text(n, width, short_every=0, long_every=0, header=None):
    """n rows of width fields (an int, a float with missing values, a string); every
    short_every-th row loses its last fields, every long_every-th gains one."""
    lines = [header] if header else []
    for i in range(n):
        f = [str(i * 7 % 23), "" if i % 5 == 2 else "%d.%d" % (i % 9, i % 4), "s%d" % (i % 6)]
        f = f[:width]
        if short_every and i % short_every == 3:
            f = f[:1 + i % (width - 1)]
        if long_every and i % long_every == 5:
            f = f + ["extra"]
        lines.append(",".join(f))
    return "\n".join(lines) + "\n"


# (name, CSV text, Lua options, pandas options, a numeric column to sum)
CASES = [
    ("names", rows_text(40, 3), '{names = {"k", "x", "s"}}', dict(names=["k", "x", "s"]), "x"),
    ("header_false", rows_text(30, 3), "{header = false}", dict(header=None), "0"),
    ("header0_names", rows_text(30, 3, header="a,b,c"), '{header = 0, names = {"k", "x", "s"}}',
     dict(header=0, names=["k", "x", "s"]), "k"),
    ("short_rows", rows_text(60, 3, short_every=4, header="k,x,s"), "", {}, "k"),
    ("skip", rows_text(80, 3, long_every=7, header="k,x,s"), '{on_bad_lines = "skip"}',
     dict(on_bad_lines="skip"), "x"),
    ("warn", rows_text(80, 3, short_every=6, long_every=9, header="k,x,s"),
     '{on_bad_lines = "warn"}', dict(on_bad_lines="warn"), "k"),
]


def lua_script(opts, col, blocksize):
    if blocksize:
        opts = ("{blocksize = %d, " % blocksize + opts[1:]) if opts else \
            "{blocksize = %d}" % blocksize
    return "\n".join([
        'local dd = require("cdask.dataframe")',
        'local df = dd.read_csv("data.csv"%s)' % (", " + opts if opts else ""),
        'dd.print(df, "frame")',
        'dd.print(df["%s"]:sum(), "sum")' % col,
        'dd.to_csv(df, "out.csv")']) + "\n"


def close(got, want):
    """cdask's sums are exact, rounded once; pandas' are pairwise"""
    try:
        g, w = float(got), float(want)
    except ValueError:
        return False
    return g == w or abs(g - w) <= 1e-12 * max(abs(g), abs(w))


def pandas_frame(text, popts):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        err = io.StringIO()
        saved, sys.stderr = sys.stderr, err
        try:
            df = pd.read_csv(io.StringIO(text), na_values=["None"], **popts)
        finally:
            sys.stderr = saved
    skipped = [int(m) for m in re.findall(r"Skipping line (\d+)", err.getvalue())]
    return df, skipped


def check_case(name, text, opts, popts, col):
    df, skipped = pandas_frame(text, popts)
    key = int(col) if popts.get("header", 0) is None and "names" not in popts else col
    want, want_sum = "frame =\n%r\n" % df, df[key].sum()
    want_csv = df.to_csv()
    # the lines with more fields than the first row (the texts have no quotes)
    lines = text.split("\n")
    long_lines = [i + 1 for i, l in enumerate(lines) if l.count(",") > lines[0].count(",")]
    d = tl.tempdir("rco_" + name)
    try:
        tl.write(os.path.join(d, "data.csv"), text)
        for blocksize in (0, 256):
            exe, r = tl.build_program(lua_script(opts, col, blocksize), d)
            if not R.check(exe is not None, "%s: compiles" % name, tl.short(r.stderr)):
                return
            for threads in ("1", "3"):
                p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
                what = "%s (%s threads, blocks of %s)" % (name, threads, blocksize or "default")
                if not R.check(p.returncode == 0, what + ": runs", tl.short(p.stderr)):
                    return
                with open(os.path.join(d, "out.csv")) as f:
                    got_csv = f.read()
                frame, _, got_sum = p.stdout.partition("sum = ")
                R.check(frame == want and got_csv == want_csv and
                        close(got_sum.strip(), want_sum), what + ": as pandas",
                        "--- got\n%s%s\n--- pandas\n%ssum = %r\n%s" %
                        (p.stdout, got_csv, want, want_sum, want_csv))
                lines = [int(m) for m in re.findall(r"line (\d+): expected", p.stderr)]
                count = re.search(r"skipped (\d+) bad line", p.stderr)
                if popts.get("on_bad_lines") in ("skip", "warn"):
                    R.check(count and int(count.group(1)) == len(long_lines) and long_lines,
                            what + ": the bad lines counted",
                            "%s (want %d)" % (p.stderr, len(long_lines)))
                if popts.get("on_bad_lines") == "warn":
                    R.check(lines == skipped == long_lines, what + ": the lines warned about are pandas'",
                            "%s, pandas %s" % (lines, skipped))
                elif popts.get("on_bad_lines") == "skip":
                    R.check(not lines, what + ": skip names no line", p.stderr)
    finally:
        tl.rmtree(d)


def check_without_file():
    """names + dtype for every column: cdaskc does not need the file."""
    text = rows_text(25, 3)
    d = tl.tempdir("rco_nofile")
    try:
        script = "\n".join([
            'local dd = require("cdask.dataframe")',
            'local df = dd.read_csv("data.csv", {names = {"k", "x", "s"}, '
            'dtype = {k = "int64", x = "float64", s = "str"}})',
            'dd.print(df, "frame")', 'dd.print(df.x:mean(), "mean")']) + "\n"
        exe, r = tl.build_program(script, d)
        if not R.check(exe is not None, "names + dtype: compiles without the file",
                       tl.short(r.stderr)):
            return
        tl.write(os.path.join(d, "data.csv"), text)
        p = tl.run([exe, "--out", d], cwd=d)
        df = pd.read_csv(io.StringIO(text), names=["k", "x", "s"],
                         dtype={"k": "int64", "x": "float64", "s": "object"})
        want = "frame =\n%r\nmean = %r\n" % (df, float(df.x.mean()))
        R.check(p.returncode == 0 and p.stdout == want,
                "names + dtype: the file written after compiling reads as pandas reads it",
                "--- got\n%s%s\n--- pandas\n%s" % (p.stdout, p.stderr, want))
    finally:
        tl.rmtree(d)


def main():
    for case in CASES:
        check_case(*case)
    check_without_file()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
