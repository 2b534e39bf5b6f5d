#!/usr/bin/python3
"""How rows of a CSV without quotes are cut (runtime/scan.c's plain blocks: fields end at
the separators and newlines of 64-byte masks). A file of 12 columns with "\\r\\n" and "\\n"
line ends, blank lines (some "\\r\\n" alone), short rows (pandas pads them), a field of
100 kB (many masks without a mark) and no newline after its last row is read in whole and
by a few columns (the first, a middle one and the last, whose "\\r" must go); rows of 20
and 9000 fields are skipped, or are the error pandas names. Each output is pandas'
(Debian's python3-pandas) exactly, for one and three threads and blocks of 1 kB and the
whole file."""

import os
import random
import re
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
NCOLS = 12
HEADER = ",".join(["c%d" % i for i in range(NCOLS - 1)] + ["s"])


def make_rows(rng, bad):
    """The body's lines (without their ends) and the 1-based file lines of the bad rows."""
    lines, bad_lines = [], []
    for i in range(3000):
        k = rng.random()
        if k < 0.02:
            lines.append("")  # a blank line
        elif k < 0.04:  # a short row: pandas pads it with missing values
            n = rng.randint(1, NCOLS - 1)
            lines.append(",".join(str(rng.randint(-9, 99)) for _ in range(n)))
        elif bad and k < 0.045:
            n = 20 if len(bad_lines) % 2 == 0 else 9000
            lines.append(",".join(str(j % 7) for j in range(n)))
            bad_lines.append(len(lines) + 1)
        else:
            vals = [str(rng.randint(-10**6, 10**6)) for _ in range(NCOLS - 1)]
            text = "".join(rng.choice("abcdefgh ") for _ in range(rng.randint(1, 12))).strip() or "z"
            if i == 1500:
                text = "L" * 100000  # a field longer than the 8 kB indexed at once
            lines.append(",".join(vals + [text]))
    return lines, bad_lines


def write_csv(path, rng, lines):
    out = [HEADER]
    for ln in lines:
        out.append(ln + ("\r\n" if rng.random() < 0.3 else "\n"))
    text = out[0] + "\n" + "".join(out[1:])
    text = text[:-2] if text.endswith("\r\n") else text[:-1]  # no newline after the last row
    tl.write(os.path.join(path), text)


def check_program(d, lua_opts, pandas_opts, label):
    for cols in (None, ["c0", "c5", "s"]):
        pick = "df" if cols is None else "df[{%s}]" % ", ".join('"%s"' % c for c in cols)
        for block in (None, 1024):
            o = lua_opts
            if block:
                o = o[:-1] + ", blocksize = %d}" % block
            exe, r = tl.build_program(
                'local dd = require("cdask.dataframe")\n'
                'local df = dd.read_csv("data.csv"%s)\n'
                'dd.to_csv(%s, "out.csv")\n' % (", " + o, pick), d)
            what = "%s, %s, blocks of %s" % (label, "all columns" if cols is None
                                              else "columns " + "/".join(cols), block or "default")
            if not R.check(exe is not None, what + ": compiles", tl.short(r.stderr)):
                continue
            df = pd.read_csv(os.path.join(d, "data.csv"), **pandas_opts)
            want = (df if cols is None else df[cols]).to_csv()
            for threads in ("1", "3"):
                p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
                got = open(os.path.join(d, "out.csv")).read() if p.returncode == 0 else ""
                R.check(p.returncode == 0 and got == want,
                        "%s, %s threads: pandas' rows" % (what, threads),
                        "exit %s %s\n%s" % (p.returncode, tl.short(p.stderr),
                                            tl.describe_diff(got, want)))


def main():
    rng = random.Random(7)
    d = tl.tempdir("rowcut")
    try:
        lines, _ = make_rows(rng, bad=False)
        write_csv(os.path.join(d, "data.csv"), rng, lines)
        check_program(d, '{sample = "all"}', {}, "good rows")

        lines, bad_lines = make_rows(rng, bad=True)
        R.check(len(bad_lines) >= 4, "the file has long rows", str(bad_lines))
        write_csv(os.path.join(d, "data.csv"), rng, lines)
        check_program(d, '{sample = "all", on_bad_lines = "skip"}', {"on_bad_lines": "skip"},
                      "long rows skipped")

        # the default: the first long row is an error naming its line, as pandas does (after
        # the 20480 rows the types are found from: the compiler would find it first)
        good = ",".join(["1"] * (NCOLS - 1) + ["x"])
        lines = [good] * 21000 + lines
        bad_lines = [n + 21000 for n in bad_lines]
        write_csv(os.path.join(d, "data.csv"), rng, lines)
        exe, r = tl.build_program(
            'local dd = require("cdask.dataframe")\n'
            'local df = dd.read_csv("data.csv", {blocksize = 1024})\n'
            'dd.to_csv(df[{"c0", "s"}], "out.csv")\n', d)
        if R.check(exe is not None, "long rows: compiles", tl.short(r.stderr)):
            try:
                pd.read_csv(os.path.join(d, "data.csv"))
                pandas_msg = ""
            except Exception as e:  # pandas' ParserError
                pandas_msg = str(e)
            m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", pandas_msg)
            R.check(m is not None and int(m.group(2)) == bad_lines[0],
                    "pandas names the first long row", pandas_msg)
            for threads in ("1", "3"):
                os.makedirs(os.path.join(d, "o%s" % threads), exist_ok=True)
                p = tl.run([exe, "--threads", threads, "--out", "o" + threads], cwd=d)
                want = "data.csv:%d: expected %d fields" % (bad_lines[0], NCOLS)
                R.check(p.returncode == 3 and want in p.stderr and
                        (m is None or "saw %s" % m.group(3) in p.stderr) and
                        not os.listdir(os.path.join(d, "o%s" % threads)),
                        "long rows, %s threads: the first is an error at its line, nothing "
                        "written" % threads, "exit %s %s" % (p.returncode, tl.short(p.stderr)))
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
