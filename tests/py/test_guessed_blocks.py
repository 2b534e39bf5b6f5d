#!/usr/bin/python3
"""Blocks cut by guessing (runtime/csv.c's cdrt_csv_guess_fd): a file whose first piece has no
quote character is not read once before its scan; each block starts after the first newline
of its piece, and the scan itself finds quotes and non-ASCII bytes. These files have none in
their first 21000 rows and then quoted fields with separators, doubled quotes and newlines,
some of them longer than a block: with blocks of 1 kB many guessed blocks start inside a
quoted field, and the ones that turn out to end inside a row are cut again and run again.
Each result is pandas' (Debian's python3-pandas) exactly, on 1 and 3 threads and for blocks
of 1 kB, 8 kB and the default; errors after the guess name the line (every newline before
the row counted, quoted ones too), as for a file read in two passes."""

import os
import random
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
PLAIN_ROWS = 21000  # past the 20480 rows the compiler samples


def quoted_text(rng, i):
    k = i % 5
    if k == 0:
        return '"a, b %d"' % i  # a separator
    if k == 1:
        return '"say ""hi"" %d"' % i  # doubled quotes
    if k == 2:
        return '"two\nlines %d"' % i  # a newline
    if k == 3:  # longer than a block of 1 kB, with lines that look like rows of 5 fields
        return '"' + "".join("%d,x,y,z,w\n" % (i + j) for j in range(rng.randint(150, 400))) + '"'
    return '"plain %d"' % i


def make_file(rng, nquoted, extra=None):
    """The CSV's text, and per data row (0-based) the file line it starts on. extra: a
    function(i) -> a row's text replacing row PLAIN_ROWS + i, or None."""
    lines = ["k,v,s"]
    starts = []
    line = 2
    for i in range(PLAIN_ROWS + nquoted):
        if i < PLAIN_ROWS:
            row = "%d,%d,t%d" % (i % 7, rng.randint(-1000, 1000), i % 13)
        else:
            j = i - PLAIN_ROWS
            row = extra(j) if extra and extra(j) is not None else None
            if row is None:
                s = quoted_text(rng, j) if rng.random() < 0.5 else "u%d" % (j % 17)
                row = "%d,%d,%s" % (j % 7, rng.randint(-1000, 1000), s)
        starts.append(line)
        lines.append(row)
        line += row.count("\n") + 1
    return "\n".join(lines) + "\n", starts


PROGRAM = (
    'local dd = require("cdask.dataframe")\n'
    'local df = dd.read_csv("%s"%s)\n'
    'dd.to_csv(df, "rows.csv")\n'
    'dd.to_csv(df:groupby("k"):agg{v = "sum", s = "count"}, "groups.csv")\n'
    'dd.to_csv(df:groupby("s"):agg{{"v", "sum"}, {"k", "max"}}, "strings.csv")\n')


def pandas_outputs(df):
    return {"rows.csv": df.to_csv(),
            "groups.csv": df.groupby("k").agg({"v": "sum", "s": "count"}).to_csv(),
            "strings.csv": df.groupby("s").agg({"v": "sum", "k": "max"}).to_csv()}


def check_outputs(d, path, want, label, blocks=(1024, 8192, None)):
    for block in blocks:
        opts = ", {blocksize = %d}" % block if block else ""
        exe, r = tl.build_program(PROGRAM % (path, opts), d)
        what = "%s, blocks of %s" % (label, block or "default")
        if not R.check(exe is not None, what + ": compiles", tl.short(r.stderr)):
            continue
        for threads in ("1", "3"):
            p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
            ok = p.returncode == 0
            diff = ""
            for name, text in want.items():
                got = open(os.path.join(d, name)).read() if ok else ""
                if got != text:
                    ok, diff = False, name + ": " + tl.describe_diff(got, text)
                    break
            R.check(ok, "%s, %s threads: pandas' rows and groups" % (what, threads),
                    "exit %s %s\n%s" % (p.returncode, tl.short(p.stderr), diff))


def check_error(d, text, want, label, opts="{blocksize = 1024}", warn=None):
    """The program stops with exit 3, `want` in its message and nothing written (or, with
    warn, runs and reports those lines). It is compiled for a good file of the same header
    (cdaskc would find bad bytes or an open quote in what it reads), then runs on text."""
    tl.write(os.path.join(d, "bad.csv"), "k,v,s\n" + "1,2,x\n" * 100)
    exe, r = tl.build_program(
        'local dd = require("cdask.dataframe")\n'
        'local df = dd.read_csv("bad.csv", %s)\n'
        'dd.print(df.v:sum(), "v")\n' % opts, d, name="bad")
    if not R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
        return
    tl.write(os.path.join(d, "bad.csv"), text, mode="wb" if isinstance(text, bytes) else "w")
    for threads in ("1", "3"):
        out = os.path.join(d, "o" + threads)
        tl.rmtree(out)
        os.makedirs(out)
        p = tl.run([exe, "--threads", threads, "--out", out], cwd=d)
        if warn is None:
            R.check(p.returncode == 3 and want in p.stderr and not os.listdir(out),
                    "%s, %s threads: exit 3, '%s', nothing written" % (label, threads, want),
                    "exit %s %s" % (p.returncode, tl.short(p.stderr)))
        else:
            got = [ln for ln in p.stderr.splitlines() if ": warning: line " in ln]
            R.check(p.returncode == 0 and got == warn,
                    "%s, %s threads: the lines skipped" % (label, threads),
                    "exit %s %s\n%s" % (p.returncode, tl.short(p.stderr), got[:5]))


def main():
    rng = random.Random(11)
    d = tl.tempdir("guessed")
    try:
        text, starts = make_file(rng, 3000)
        tl.write(os.path.join(d, "data.csv"), text)
        df = pd.read_csv(os.path.join(d, "data.csv"))
        R.check(len(df) == PLAIN_ROWS + 3000 and df.s.str.contains("\n").sum() > 500,
                "pandas reads the rows, many with newlines in quotes", str(len(df)))
        check_outputs(d, "data.csv", pandas_outputs(df), "quotes after the guess")

        # two such files as one (a glob): each file's blocks are guessed, and mended, alone
        text2, _ = make_file(random.Random(12), 2000)
        tl.write(os.path.join(d, "part1.csv"), text)
        tl.write(os.path.join(d, "part2.csv"), text2)
        both = pd.concat([pd.read_csv(os.path.join(d, "part%d.csv" % i)) for i in (1, 2)])
        check_outputs(d, "part*.csv", pandas_outputs(both), "a glob of two", blocks=(1024,))

        # errors after the guess: at the row's first line (quoted newlines before it count)
        bad_at = 2500
        text, starts = make_file(rng, 3000, lambda j: "1,vingt,x" if j == bad_at else None)
        line = starts[PLAIN_ROWS + bad_at]
        check_error(d, text, "bad.csv:%d:3: column 'v': cannot read 'vingt' as int64" % line,
                    "a bad int after quoted newlines")
        check_error(d, text, "bad.csv:%d:3: column 'v'" % line, "the same, default blocks",
                    opts="{}")
        text, starts = make_file(rng, 3000, lambda j: "1,2,3,4" if j == bad_at else None)
        line = starts[PLAIN_ROWS + bad_at]
        check_error(d, text, "bad.csv:%d: expected 3 fields (k, v, s), saw 4" % line,
                    "a long row after quoted newlines")
        longs = {700, 1900, 2800}
        text, starts = make_file(rng, 3000, lambda j: "1,2,3,4" if j in longs else None)
        warn = ["bad.csv: warning: line %d: expected 3 fields, saw 4 (skipped)"
                % starts[PLAIN_ROWS + j] for j in sorted(longs)]
        check_error(d, text, None, "long rows warned", warn=warn,
                    opts='{blocksize = 1024, on_bad_lines = "warn"}')

        # invalid UTF-8 after the guess: its line and byte
        text, starts = make_file(rng, 3000, lambda j: "1,2,ab\x01cd" if j == bad_at else None)
        raw = text.encode().replace(b"ab\x01cd", b"ab\xffcd")
        line = starts[PLAIN_ROWS + bad_at]
        check_error(d, raw, "bad.csv:%d:7: invalid UTF-8 (byte 0xff at offset %d of the file)"
                    % (line, raw.index(b"\xff")), "invalid UTF-8 after quoted newlines")
        # ... and in a block that meets no quote (the plain cutter looks at its bytes)
        plain = "k,v,s\n" + "".join("%d,%d,w%d\n" % (i % 7, i, i) for i in range(30000))
        raw = plain.encode().replace(b"w25000\n", b"w25\xc3(0\n")
        at = raw.index(b"\xc3(")
        check_error(d, raw, "bad.csv:25002:%d: invalid UTF-8 (byte 0xc3 at offset %d of the file)"
                    % (at - raw.rindex(b"\n", 0, at), at), "invalid UTF-8 without quotes")

        # a quote opened after the guess and never closed: the line it opens on
        text, starts = make_file(rng, 3000)
        text += '5,6,"never closed\n7,8,x\n'
        line = text[:text.rindex('"never')].count("\n") + 1
        check_error(d, text, "bad.csv:%d: a quoted field is never closed" % line,
                    "an open quote at the end")
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
