#!/usr/bin/python3
"""CSV blocks larger than the buffer they are read through (256 kB, refilled from the file;
docs/internals.md), against pandas (Debian's python3-pandas): rows that cross a refill, a
field of 600 kB (the buffer grows), keys of 1 to 40 bytes with non-ASCII letters, missing
keys, and the results that hold on to a row's bytes until the buffer is refilled (a groupby's
batch of string keys, value counts of strings) next to those that do not (sums, str.len).

Files: no quote anywhere (guessed blocks, read through the buffer), quoted fields with
newlines and separators only after the first MB (guessed blocks that meet a quote in a later
refill: the rest of the block is mapped and cut the general way), and quotes only in the
first rows (blocks cut by the two passes; the later ones, without quotes, read through the
buffer and checked as UTF-8 a refill at a time). Each with the default blocks and blocks of
300 kB and 50 kB, on 1, 2 and 3 threads: the same bytes, equal to pandas'.

Errors deep in a block, past its first refill: an invalid UTF-8 byte (its file:line:column
and file offset) and a value that is not an int64 (file:line:column): exit 3, no output."""

import os
import random
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

KEYS = ["a", "Zoé", "日本語", "delta_longer_than_sixteen", "ab", "x" * 40, "wörd", "k9",
        "sixteen_bytes_ok", ""]


def make_rows(rng, n, quoted_from=None, quoted_to=None, long_row=None):
    """header key,id,v,txt; quoted fields (with "\\n", "," and doubled quotes) in rows
    [quoted_from, quoted_to)"""
    lines = ["key,id,v,txt"]
    for i in range(n):
        key = rng.choice(KEYS)
        txt = rng.choice(["plain", "", "mot", "ünï"])
        if quoted_from is not None and quoted_from <= i < (quoted_to or n) and rng.random() < 0.3:
            txt = '"two\nlines, ""quoted"""'
        if i == long_row:
            txt = "L" * 600000
        v = "" if rng.random() < 0.05 else "%.3f" % rng.uniform(-100, 100)
        lines.append("%s,%d,%s,%s" % (key, rng.randrange(-1000, 1000), v, txt))
    return "\n".join(lines) + "\n"


SCRIPT = """local dd = require("cdask.dataframe")
local df = dd.read_csv("data.csv"%s)
dd.to_csv(df:groupby("key", {as_index = false, sort = false}):agg{{"v", "sum"}, {"id", "max"}},
  "gb.csv")
dd.to_csv(df.key:value_counts(), "vc.csv")
dd.print(df.id:sum(), "id_sum")
dd.print(df.txt.str.len():sum(), "txt_len")
"""


def want_of(df):
    gb = df.groupby("key", as_index=False, sort=False).agg({"v": "sum", "id": "max"})
    vc = df.key.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc.index.name, vc.name = "key", "count"
    return {"gb.csv": gb.to_csv(), "vc.csv": vc.to_csv(),
            "id_sum": str(df.id.sum()), "txt_len": df.txt.str.len().sum()}


def build_all(d, text, blocksizes=(None, 300000, 50000)):
    """The programs for each block size, compiled against a file of text (every file of the
    test has its header and column types)"""
    tl.write(os.path.join(d, "data.csv"), text.encode(), mode="wb")
    exes = {}
    for bs in blocksizes:
        exe, r = tl.build_program(SCRIPT % (", {blocksize = %d}" % bs if bs else ""), d,
                                  "prog%s" % (bs or ""))
        if R.check(exe is not None, "blocks of %s: compiles" % (bs or "default"),
                   tl.short(r.stderr)):
            exes[bs] = exe
            with open(exe + ".c") as f:  # the scan can read through a buffer
                R.check("cdrt_scan_begin(&c, &cd_src0, blk, f, 4, cd_scan0_pending, &pend)"
                        in f.read(), "blocks of %s: the blocks are read, not mapped" % bs)
    return exes


def check_file(d, exes, label, text):
    path = os.path.join(d, "data.csv")
    tl.write(path, text.encode(), mode="wb")
    want = want_of(pd.read_csv(path))
    for bs, exe in exes.items():
        what = "%s, blocks of %s" % (label, bs or "default")
        outs = []
        for threads in ("1", "2", "3"):
            p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
            if not R.check(p.returncode == 0, "%s: runs (%s threads)" % (what, threads),
                           tl.short(p.stderr)):
                break
            files = {n: open(os.path.join(d, n), errors="replace").read()
                     for n in ("gb.csv", "vc.csv")}
            outs.append((p.stdout, files))
        if len(outs) != 3:
            continue
        R.check(outs[0] == outs[1] == outs[2], what + ": the same bytes on 1, 2, 3 threads")
        printed, files = outs[0]
        got = tl.printed_values(printed)
        bad = [n for n in ("gb.csv", "vc.csv") if not tl.csv_close(files[n], want[n])]
        bad += [] if str(got.get("id_sum")) == want["id_sum"] else ["id_sum"]
        bad += [] if float(got.get("txt_len", "nan")) == want["txt_len"] else ["txt_len"]
        R.check(not bad, what + ": pandas' results", "differ: %s\n%s\n--- pandas\n%s" % (
            bad, tl.short(files["gb.csv"]), tl.short(want["gb.csv"])))


def check_error(d, exe, label, data, message):
    tl.write(os.path.join(d, "data.csv"), data, mode="wb")
    for name in ("gb.csv", "vc.csv"):
        if os.path.exists(os.path.join(d, name)):
            os.remove(os.path.join(d, name))
    for threads in ("1", "3"):
        p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
        R.check(p.returncode == 3 and message in p.stderr and p.stdout == "" and
                not os.path.exists(os.path.join(d, "gb.csv")),
                "%s (%s threads): exit 3, the place, nothing written" % (label, threads),
                "exit %d, stderr %s, want %r" % (p.returncode, tl.short(p.stderr), message))


def line_col(data, at):
    """1-based line and column of byte `at` of data"""
    start = data.rfind(b"\n", 0, at) + 1
    return data.count(b"\n", 0, at) + 1, at - start + 1


def main():
    d = tl.tempdir("csvbuf")
    try:
        rng = random.Random(5)
        plain = make_rows(rng, 70000, long_row=30000)
        exes = build_all(d, plain)
        check_file(d, exes, "no quotes", plain)
        check_file(d, exes, "quotes after the first MB", make_rows(rng, 70000, quoted_from=40000))
        check_file(d, exes, "quotes in the first rows", make_rows(rng, 70000, 0, 200))

        # errors 400 kB and more into the second block of the default size (blocks of 1 MB:
        # guessed, or cut by the two passes when quotes come first)
        for label, text in (("guessed", make_rows(rng, 70000)),
                            ("two passes", make_rows(rng, 70000, 0, 200))):
            if None not in exes:
                break
            data = bytearray(text.encode())
            at = data.index(b"\nZo\xc3\xa9,", 1400000) + 3  # the 0xc3 of "Zoé" made 0xff
            data[at] = 0xff
            line, col = line_col(data, at)
            check_error(d, exes[None], "invalid UTF-8 deep in a %s block" % label, bytes(data),
                        "data.csv:%d:%d: invalid UTF-8 (byte 0xff at offset %d of the file)"
                        % (line, col, at))
            data = bytearray(text.encode())
            nl = data.index(b"\n", 1700000)
            comma = data.index(b",", nl) + 1  # the id field of the row after nl
            data[comma:data.index(b",", comma)] = b"vingt"
            line, col = line_col(data, comma)
            check_error(d, exes[None], "a bad int64 deep in a %s block" % label, bytes(data),
                        "data.csv:%d:%d: column 'id': cannot read 'vingt' as int64" % (line, col))
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
