#!/usr/bin/python3
"""CSV blocks larger than the buffer they are read through (256 kB, refilled from the file;
docs/internals.md), against pandas (Debian's python3-pandas): rows that cross a refill, a
field of 600 kB (the buffer grows), keys of 1 to 40 bytes with non-ASCII letters, missing
keys, and the results that hold on to a row's bytes until the buffer is refilled (a groupby's
batch of string keys, value counts of strings, a join's batch of keys to probe, whose matches
feed a groupby) next to those that copy numbers (sums, str.len, the two largest values per
group of a sorted frame, kept in the scan by a top-n table).

Files: no quote anywhere (guessed blocks, read through the buffer), quoted fields with
newlines and separators only after the first MB (guessed blocks that meet a quote in a later
refill: the rest of the block is mapped and cut the general way), and quotes only in the
first rows (blocks cut by the two passes; the later ones, without quotes, read through the
buffer and checked as UTF-8 a refill at a time). Each with the default blocks and blocks of
300 kB and 50 kB, on 1, 2 and 3 threads: the same bytes, equal to pandas'.

Errors deep in a block, past its first refill: an invalid UTF-8 byte (its file:line:column
and file offset) and a value that is not an int64 (file:line:column): exit 3, no output."""

import io
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
dd.to_csv(df:loc(df.v:notna())[{"id", "v"}]:sort_values("v", {ascending = false})
  :groupby("id"):head(2), "top.csv")
"""


# a join pushed into the scan: its batch of keys is probed before a refill, and its matches
# feed a groupby's batch
JOIN_SCRIPT = """local dd = require("cdask.dataframe")
local df = dd.read_csv("data.csv"%s)
local right = dd.read_csv("right.csv")
local j = df:merge(right, {on = "key", how = "inner"})
dd.print(j.id:count(), "j_rows")
dd.print(j.id:sum(), "j_id")
dd.to_csv(j:groupby("key", {as_index = false, sort = false}):agg{{"w", "sum"}, {"id", "sum"}},
  "jg.csv")
"""
RIGHT = "key,w\na,1\nZoé,2\ndelta_longer_than_sixteen,3\nwörd,4\nZoé,5\nk9,6\n"


def want_join(df):
    right = pd.read_csv(io.StringIO(RIGHT))
    j = df.merge(right, on="key", how="inner")
    jg = j.groupby("key", as_index=False, sort=False).agg({"w": "sum", "id": "sum"})
    return {"j_rows": str(len(j)), "j_id": str(j.id.sum()), "jg.csv": jg.to_csv()}


def want_of(df):
    gb = df.groupby("key", as_index=False, sort=False).agg({"v": "sum", "id": "max"})
    vc = df.key.value_counts(sort=False).sort_values(ascending=False, kind="stable")
    vc.index.name, vc.name = "key", "count"
    top = df.loc[df.v.notna(), ["id", "v"]].sort_values("v", ascending=False, kind="stable")
    return {"gb.csv": gb.to_csv(), "vc.csv": vc.to_csv(),
            "top.csv": top.groupby("id").head(2).to_csv(),
            "id_sum": str(df.id.sum()), "txt_len": df.txt.str.len().sum()}


def build_all(d, text, blocksizes=(None, 300000, 50000), script=SCRIPT, name="prog"):
    """The programs for each block size, compiled against a file of text (every file of the
    test has its header and column types)"""
    tl.write(os.path.join(d, "data.csv"), text.encode(), mode="wb")
    tl.write(os.path.join(d, "right.csv"), RIGHT.encode(), mode="wb")
    exes = {}
    for bs in blocksizes:
        exe, r = tl.build_program(script % (", {blocksize = %d}" % bs if bs else ""), d,
                                  "%s%s" % (name, bs or ""))
        if R.check(exe is not None, "blocks of %s: compiles" % (bs or "default"),
                   tl.short(r.stderr)):
            exes[bs] = exe
            with open(exe + ".c") as f:  # the scan can read through a buffer
                code = f.read()
            R.check("cdrt_scan_begin(&c, &cd_src0, blk, f, 4, cd_scan0_pending, &pend)" in code
                    and (script != SCRIPT or "cdrt_topn_row(" in code),
                    "blocks of %s: the blocks are read, not mapped" % bs)
    return exes


def check_file(d, exes, label, text, want_fn=want_of):
    path = os.path.join(d, "data.csv")
    tl.write(path, text.encode(), mode="wb")
    want = want_fn(pd.read_csv(path))
    names = [n for n in want if n.endswith(".csv")]
    for bs, exe in exes.items():
        what = "%s, blocks of %s" % (label, bs or "default")
        outs = []
        for threads in ("1", "2", "3"):
            p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
            if not R.check(p.returncode == 0, "%s: runs (%s threads)" % (what, threads),
                           tl.short(p.stderr)):
                break
            files = {n: open(os.path.join(d, n), errors="replace").read() for n in names}
            outs.append((p.stdout, files))
        if len(outs) != 3:
            continue
        R.check(outs[0] == outs[1] == outs[2], what + ": the same bytes on 1, 2, 3 threads")
        printed, files = outs[0]
        got = tl.printed_values(printed)
        bad = [n for n in names if not tl.csv_close(files[n], want[n])]
        for n, w in want.items():
            if n.endswith(".csv"):
                continue
            g = got.get(n)
            if not (str(g) == w if isinstance(w, str) else g is not None and float(g) == w):
                bad.append(n)
        R.check(not bad, what + ": pandas' results", "differ: %s\n%s\n--- pandas\n%s" % (
            bad, tl.short(files[names[0]]), tl.short(want[names[0]])))


def check_error(d, exe, label, data, message):
    tl.write(os.path.join(d, "data.csv"), data, mode="wb")
    for name in ("gb.csv", "vc.csv", "top.csv"):
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
        joins = build_all(d, plain, (None, 300000), JOIN_SCRIPT, "join")
        for bs in joins:
            with open(joins[bs] + ".c") as f:  # the join's batch is probed before a refill
                R.check("cd_scan0_probe0(m->p, m->q, m->j0);" in f.read(),
                        "join, blocks of %s: its batch finished before a refill" % bs)
        check_file(d, joins, "a join, no quotes", plain, want_join)
        check_file(d, joins, "a join, quotes after the first MB",
                   make_rows(rng, 70000, quoted_from=40000), want_join)

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
