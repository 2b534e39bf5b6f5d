#!/usr/bin/python3
"""The groupbys that need a group's values or rows, computed in the scan (not by collecting
and sorting every row), against pandas (Debian's python3-pandas) as the oracle, on generated
CSV files with missing values, ties, int and float value columns, keys of numbers (with
NaN) and strings (with missing ones), one group, one row, and over 5000 groups:
- median (alone, with std, sum, mean and count in one agg, {v = {"median", "std"}}'s
  MultiIndex columns) and nunique: pandas' repr, and to_csv byte for byte (the medians'
  bits);
- corr per group (SeriesGroupBy.corr: pairs with a missing value left out, one pair or a
  constant column: NaN), and its square: within 1e-12 relative (or 1e-15 absolute);
- groupby(keys).head(n) of a frame sorted by columns (the db-benchmark's q8: descending,
  ascending, missing values first, ties, dropna true and false, several sort columns) and
  of the frame's rows as they are, and the head of a sort (nlargest, nsmallest,
  sort_values(...):head(n), of a frame and of a Series): pandas' repr and to_csv byte for
  byte;
- the same bytes for 1, 2 and 3 threads, with blocks of 2 kB (many blocks) and the
  default size;
- the emitted C of these queries collects no rows for the groupbys (no cdrt_rows_push for
  them, no groupby by sorting), and the head of a sort keeps its rows with cdrt_topn_row:
  the fast paths cannot fall back to the sorting way unnoticed;
- a group's values count against --memory-limit (exit 5 naming the groupby);
- the head of a sort with blocks of 12000 groups, where the total's cut drops rows before
  their groups are looked up: float, int and datetime sort columns, ascending and not,
  missing values first and last; the same bytes as one block;
- a group for almost every row (string keys of 1 to 40 bytes and missing, with an int key;
  sum, size, first, max, min, count; sorted and in order of appearance), to_csv byte for
  byte, the same for blocks of 1 kB (every block's table merged into a total that grows)."""

import os
import random
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_dataframe as td  # noqa: E402

R = tl.Results()
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

NAMES = ["ab", "Zoé", "x", "", "yy", "b,c"]


def make_csv(rng, n, groups=8, many=7000):
    """g1: a float key (NaN), g2: a string key (missing), many: an int key of up to `many`
    groups; vi int, vf float with NaN and ties, w float with NaN, c constant"""
    lines = ["g1,g2,many,vi,vf,w,c"]
    for _ in range(n):
        g1 = "" if rng.random() < 0.08 else str(rng.randrange(groups))
        g2 = rng.choice(NAMES)
        g2 = '"b,c"' if g2 == "b,c" else g2
        vf = "" if rng.random() < 0.1 else "%.1f" % rng.uniform(-5, 5)
        w = "" if rng.random() < 0.1 else repr(rng.gauss(0, 1) + (float(vf) if vf else 0))
        lines.append("%s,%s,%d,%d,%s,%s,3.5" % (g1, g2, rng.randrange(many),
                                                rng.randrange(-50, 50), vf, w))
    return "\n".join(lines) + "\n"


def stable(df, by, ascending, na_position="last"):
    return df.sort_values(by, ascending=ascending, kind="stable", na_position=na_position)


# (label, Lua over df, pandas over df, "text": repr exactly, "csv": to_csv exactly, "num":
# a Series' values within 1e-12, written with to_csv)
CASES = [
    ("med_g1", 'df:groupby("g1"):agg{vf = "median"}',
     lambda df: df.groupby("g1").agg({"vf": "median"}), "text"),
    ("med_int", 'df:groupby({"g1", "g2"}).vi:median()',
     lambda df: df.groupby(["g1", "g2"]).vi.median(), "text"),
    ("med_multi", 'df:groupby("g2", {dropna = false, sort = false}):agg{vf = {"median", "std"}}',
     lambda df: df.groupby("g2", dropna=False, sort=False).agg({"vf": ["median", "std"]}),
     "text"),
    ("med_mixed", 'df:groupby("g2"):agg{{"vf", "median"}, {"vf", "std"}, {"vi", "sum"}, '
                  '{"vf", "mean"}, {"vf", "count"}, {"vi", "median"}}',
     lambda df: df.groupby("g2").agg(a=("vf", "median"), b=("vf", "std"), c=("vi", "sum"),
                                     d=("vf", "mean"), e=("vf", "count"),
                                     f=("vi", "median")).set_axis(
         ["vf", "vf", "vi", "vf", "vf", "vi"], axis=1), "text"),
    ("nuniq", 'df:groupby("g1", {as_index = false}):agg{{"vi", "nunique"}, {"vf", "nunique"}}',
     lambda df: df.groupby("g1", as_index=False).agg({"vi": "nunique", "vf": "nunique"}), "text"),
    ("med_many", 'df:groupby("many"):agg{{"vf", "median"}, {"vi", "median"}, {"vf", "nunique"}}',
     lambda df: df.groupby("many").agg({"vf": ["median", "nunique"], "vi": "median"})[
         [("vf", "median"), ("vi", "median"), ("vf", "nunique")]].droplevel(1, axis=1), "csv"),
    ("corr_g1", 'df:groupby("g1").vf:corr(df.w)', lambda df: df.groupby("g1").vf.corr(df.w),
     "num"),
    ("corr_many", 'df:groupby({"many", "g2"}, {dropna = false}).vi:corr(df.w)',
     lambda df: df.groupby(["many", "g2"], dropna=False).vi.corr(df.w), "num"),
    ("corr_const", 'df:groupby("g2").c:corr(df.vf)', lambda df: df.groupby("g2").c.corr(df.vf),
     "num"),
    ("corr_sq", '(function(r) return r ^ 2 end)(df:groupby({"g1", "g2"}, {dropna = false})'
                '.vf:corr(df.w))',
     lambda df: df.groupby(["g1", "g2"], dropna=False).vf.corr(df.w) ** 2, "num"),
    ("top_desc", 'df:loc(df.vf:notna())[{"many", "vf"}]:sort_values("vf", {ascending = false})'
                 ':groupby("many", {dropna = false}):head(2)',
     lambda df: stable(df[df.vf.notna()][["many", "vf"]], "vf", False).groupby(
         "many", dropna=False).head(2), "csv"),
    ("top_asc_na", 'df[{"g2", "vf", "vi"}]:sort_values("vf"):groupby("g2", {dropna = false})'
                   ':head(2)',
     lambda df: stable(df[["g2", "vf", "vi"]], "vf", True).groupby("g2", dropna=False).head(2),
     "text"),
    ("top_na_first", 'df:sort_values("vf", {ascending = false, na_position = "first"})'
                     ':groupby("g1"):head(3)',
     lambda df: stable(df, "vf", False, "first").groupby("g1").head(3), "text"),
    ("top_two_cols", 'df:sort_values({"vf", "vi"}, {ascending = {true, false}})'
                     ':groupby({"g1", "g2"}, {dropna = false}):head(1)',
     lambda df: stable(df, ["vf", "vi"], [True, False]).groupby(["g1", "g2"],
                                                                dropna=False).head(1), "csv"),
    ("top_many_asc", 'df[{"many", "vi", "g2"}]:sort_values("vi"):groupby("many"):head(2)',
     lambda df: stable(df[["many", "vi", "g2"]], "vi", True).groupby("many").head(2), "csv"),
    ("top_plain", 'df:groupby("many"):head(2)', lambda df: df.groupby("many").head(2), "csv"),
    ("top_nlargest", 'df:nlargest(7, "vf")', lambda df: df.nlargest(7, "vf"), "csv"),
    ("top_nsmallest", 'df:nsmallest(5, {"vi", "w"})', lambda df: df.nsmallest(5, ["vi", "w"]),
     "csv"),
    ("top_sort_head", 'df:sort_values("vf", {ascending = false, na_position = "first"})'
                      ':head(20)',
     lambda df: stable(df, "vf", False, "first").head(20), "text"),
    ("top_sort_str", 'df[{"g2", "vi"}]:sort_values({"g2", "vi"}, {ascending = {true, false}})'
                     ':head(9)',
     lambda df: stable(df[["g2", "vi"]], ["g2", "vi"], [True, False]).head(9), "csv"),
    ("top_series", 'df.w:nlargest(4)', lambda df: df.w.nlargest(4), "text"),
    ("top_plain_na", 'df[{"g2", "vi"}]:groupby("g2", {dropna = false}):head(3)',
     lambda df: df[["g2", "vi"]].groupby("g2", dropna=False).head(3), "text"),
]



def make_keys_csv(rng, n):
    """A group for almost every row (the db-benchmark's q10): s, a string key of 1 to 40
    bytes (unicode, a comma, exactly 16 and 17 bytes: a record keeps up to 16 itself) or
    missing, i an int key; v an int value, t a string value"""
    pool = ["".join(rng.choice("abcdeé,xyz") for _ in range(rng.choice([1, 5, 15, 16, 17, 40])))
            for _ in range(n // 3)]
    pool += ["0123456789abcdef", "0123456789abcdefg", "0123456789abcdeg"]
    lines = ["s,i,v,t"]
    for _ in range(n):
        s = "" if rng.random() < 0.04 else rng.choice(pool)
        s = '"%s"' % s if "," in s else s
        lines.append("%s,%d,%d,w%d" % (s, rng.randrange(3), rng.randrange(-9, 9),
                                        rng.randrange(1000)))
    return "\n".join(lines) + "\n"


KEYS_CASES = [
    ("keys_first", 'df:groupby({"s", "i"}, {sort = false, dropna = false, as_index = false})'
                   ':agg{{"v", "sum"}, {"v", "size"}, {"t", "first"}, {"t", "max"}}',
     lambda df: df.groupby(["s", "i"], sort=False, dropna=False, as_index=False).agg(
         a=("v", "sum"), b=("v", "size"), c=("t", "first"), d=("t", "max")).set_axis(
         ["s", "i", "v", "v", "t", "t"], axis=1), "csv"),
    ("keys_sorted", 'df:groupby({"s", "i"}):agg{v = "sum", t = "min"}',
     lambda df: df.groupby(["s", "i"]).agg({"v": "sum", "t": "min"}), "csv"),
    ("keys_s", 'df:groupby("s", {dropna = false}).v:count()',
     lambda df: df.groupby("s", dropna=False).v.count(), "csv"),
]

def make_cut_csv(rng, n, groups=12000):
    """Blocks of many groups, so that the total's cut (cdrt_topn_cut) drops rows: k, an int
    key (0..groups-1: the cut indexed by the key); kb, a sparse key (hashed cuts); kl, a key
    whose second half of the file reaches past the first block's range (both kinds of cut
    in one run); vf, a float with ties, -0.0 against 0.0 and NaN; vi, an int; vb, an int
    past 32 bits (codes saturated); t, a datetime with NaT"""
    lines = ["k,kb,kl,vf,vi,vb,t"]
    for r in range(n):
        vf = "" if rng.random() < 0.1 else "%.1f" % rng.uniform(-5, 5)
        t = "" if rng.random() < 0.05 else "2021-%02d-%02d %02d:%02d:00" % (
            rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(24), rng.randrange(60))
        k = rng.randrange(groups)
        kl = k if 2 * r < n else rng.randrange(3 * groups)
        vb = rng.choice([rng.randrange(-6 * 10 ** 9, 6 * 10 ** 9), rng.randrange(-9, 9)])
        lines.append("%d,%d,%d,%s,%d,%d,%s" % (k, k * 1000 - 77777, kl, vf,
                                                rng.randrange(-10 ** 6, 10 ** 6), vb, t))
    return "\n".join(lines) + "\n"


def with_t(df):
    return df.assign(t=pd.to_datetime(df.t))


CUT_CASES = [
    ("cut_desc", 'df:loc(df.vf:notna())[{"k", "vf"}]:sort_values("vf", {ascending = false})'
                 ':groupby("k"):head(2)',
     lambda df: stable(df[df.vf.notna()][["k", "vf"]], "vf", False).groupby("k").head(2), "csv"),
    ("cut_na_first", 'df[{"k", "vf", "vi"}]:sort_values("vf", {na_position = "first"})'
                     ':groupby("k"):head(3)',
     lambda df: stable(df[["k", "vf", "vi"]], "vf", True, "first").groupby("k").head(3), "csv"),
    ("cut_int", 'df[{"k", "vi"}]:sort_values("vi", {ascending = false}):groupby("k"):head(1)',
     lambda df: stable(df[["k", "vi"]], "vi", False).groupby("k").head(1), "csv"),
    ("cut_time", 'df[{"k", "t", "vi"}]:sort_values("t"):groupby("k"):head(2)',
     lambda df: stable(with_t(df)[["k", "t", "vi"]], "t", True).groupby("k").head(2), "csv"),
    ("cut_head_time", 'df[{"k", "t"}]:sort_values("t", {ascending = false}):head(1000)',
     lambda df: stable(with_t(df)[["k", "t"]], "t", False).head(1000), "csv"),
    ("cut_time_desc", 'df[{"k", "t"}]:sort_values("t", {ascending = false, na_position = '
                      '"first"}):groupby("k"):head(2)',
     lambda df: stable(with_t(df)[["k", "t"]], "t", False, "first").groupby("k").head(2),
     "csv"),
    ("cut_big_desc", 'df[{"k", "vb"}]:sort_values("vb", {ascending = false}):groupby("k"):head(2)',
     lambda df: stable(df[["k", "vb"]], "vb", False).groupby("k").head(2), "csv"),
    ("cut_big_asc", 'df[{"kl", "vb"}]:sort_values("vb"):groupby("kl"):head(1)',
     lambda df: stable(df[["kl", "vb"]], "vb", True).groupby("kl").head(1), "csv"),
    ("cut_sparse", 'df[{"kb", "vf"}]:sort_values("vf", {ascending = false}):groupby("kb")'
                   ':head(2)',
     lambda df: stable(df[["kb", "vf"]], "vf", False).groupby("kb").head(2), "csv"),
    ("cut_late", 'df:loc(df.vf:notna())[{"kl", "vf", "vi"}]:sort_values("vf"):groupby("kl")'
                 ':head(2)',
     lambda df: stable(df[df.vf.notna()][["kl", "vf", "vi"]], "vf", True).groupby("kl").head(2),
     "csv"),
]

# what the emitted C must (and must not) hold for each case's query
FAST = {"med": "cdrt_gvals", "nuniq": "cdrt_gvals", "corr": "cdrt_gcorr_add",
        "top": "cdrt_topn_row("}


def script(opts, cases):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv"%s)' % opts]
    for label, expr, _, kind in cases:
        if kind == "text":
            lines.append('dd.print(%s, "%s")' % (expr, label))
        else:
            lines.append('dd.to_csv(%s, "%s.csv")' % (expr, label))
    return "\n".join(lines) + "\n"


def close_series(got_csv, want):
    """got: cdask's to_csv of a Series; want: pandas' Series. (ok, why)"""
    got = got_csv.strip("\n").split("\n")
    wcsv = want.to_csv().strip("\n").split("\n")
    if len(got) != len(wcsv) or got[0] != wcsv[0]:
        return False, "shape or header: %s vs %s" % (got[:2], wcsv[:2])
    nk = want.index.nlevels
    for g, w in zip(got[1:], wcsv[1:]):
        gk, gv = g.rsplit(",", 1)
        wk, wv = w.rsplit(",", 1)
        if gk != wk:
            return False, "keys %r vs %r" % (g, w)
        if (gv == "") != (wv == ""):
            return False, "missing %r vs %r" % (g, w)
        if gv and wv:
            a, b = float(gv), float(wv)
            if not (a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b)) or abs(a - b) <= 1e-15):
                return False, "value %r vs %r" % (g, w)
    del nk
    return True, ""


def run_all(name, d, exe, cases):
    """The outputs (stdout and every file) for 1, 2, 3 threads; None if a run failed"""
    outs = []
    for threads in ["1", "2", "3"]:
        p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
        if not R.check(p.returncode == 0, "%s: runs (%s threads)" % (name, threads),
                       tl.short(p.stderr)):
            return None
        files = {}
        for label, _, _, kind in cases:
            if kind != "text":
                with open(os.path.join(d, label + ".csv"), errors="replace") as f:
                    files[label] = f.read()
        outs.append((p.stdout, files))
    return outs


def check_file(name, text, opts="", cases=CASES):
    d = tl.tempdir("gbi_" + name)
    try:
        tl.write(os.path.join(d, "data.csv"), text)
        df = pd.read_csv(os.path.join(d, "data.csv"), float_precision="round_trip")
        exe, r = tl.build_program(script(opts, cases), d)
        if not R.check(exe is not None, name + ": compiles", tl.short(r.stderr)):
            return None
        outs = run_all(name, d, exe, cases)
        if outs is None:
            return None
        R.check(outs[0] == outs[1] == outs[2], name + ": the same bytes for 1, 2, 3 threads")
        stdout, files = outs[0]
        got = td.sections(stdout, {c[0] for c in cases})
        bad = []
        for label, _, fn, kind in cases:
            want = fn(df)
            if kind == "text":
                ok, why = got.get(label) == repr(want), "%s\n--- pandas\n%s" % (
                    got.get(label), repr(want))
            elif kind == "csv":
                ok, why = files[label] == want.to_csv(), "%s\n--- pandas\n%s" % (
                    tl.short(files[label]), tl.short(want.to_csv()))
            else:
                ok, why = close_series(files[label], want)
            if not ok:
                bad.append("%s: %s" % (label, why))
        R.check(not bad, "%s: %d outputs as pandas" % (name, len(cases)),
                "\n".join(bad[:3]))
        return outs[0]
    finally:
        tl.rmtree(d)


def check_emitted():
    """No rows collected for the groupbys; the head of a sort keeps its top rows"""
    d = tl.tempdir("gbi_emit")
    try:
        tl.write(os.path.join(d, "data.csv"), make_csv(random.Random(3), 50))
        for label, expr, _, _ in CASES:
            prog = script("", [(label, expr, None, "csv")])
            tl.write(os.path.join(d, "prog.lua"), prog)
            r = tl.cdaskc(["prog.lua", "--emit-c", "prog.c"], cwd=d)
            if not R.check(r.returncode == 0, label + ": --emit-c", tl.short(r.stderr)):
                continue
            with open(os.path.join(d, "prog.c")) as f:
                c = f.read()
            main_c = c[c.find("---- dataframes"):]
            want = FAST[label.split("_")[0]]
            if label.startswith("top"):
                ok = want in main_c and "cdrt_topn_finish(&all" in main_c
            else:
                ok = (want in main_c and "cdrt_rows_push(&" not in main_c and
                      "cdrt_frame_groupby(in" not in main_c)
            R.check(ok, label + ": the emitted C computes it in the scan (%s)" % want)
    finally:
        tl.rmtree(d)


def check_memory():
    """A group's values are charged: 300k values of two groups over 2 MB stop with exit 5"""
    d = tl.tempdir("gbi_mem")
    try:
        rng = random.Random(9)
        lines = ["k,v"] + ["%d,%d" % (rng.randrange(2), rng.randrange(10 ** 6))
                           for _ in range(300000)]
        tl.write(os.path.join(d, "data.csv"), "\n".join(lines) + "\n")
        exe, r = tl.build_program('local dd = require("cdask.dataframe")\n'
                                  'local df = dd.read_csv("data.csv")\n'
                                  'dd.to_csv(df:groupby("k").v:median(), "out.csv")\n', d)
        if not R.check(exe is not None, "memory: compiles", tl.short(r.stderr)):
            return
        p = tl.run([exe, "--memory-limit", "2M", "--out", d], cwd=d)
        R.check(p.returncode == 5 and "the groupby at prog.lua:3 needs more than the memory "
                "limit" in p.stderr and not os.path.exists(os.path.join(d, "out.csv")),
                "memory: a median's values over 2M: exit 5 naming the groupby",
                "exit %s: %s" % (p.returncode, tl.short(p.stderr)))
        p = tl.run([exe, "--out", d], cwd=d)
        df = pd.read_csv(os.path.join(d, "data.csv"), float_precision="round_trip")
        ok = p.returncode == 0 and open(os.path.join(d, "out.csv")).read() == \
            df.groupby("k").v.median().to_csv()
        R.check(ok, "memory: without a limit, pandas' medians", tl.short(p.stderr))
    finally:
        tl.rmtree(d)


def main():
    rng = random.Random(2026)
    check_emitted()
    check_memory()
    one_group = make_csv(rng, 400, groups=1, many=1)
    check_file("one_group", one_group)
    check_file("one_row", make_csv(rng, 1))
    check_file("few", make_csv(rng, 40, groups=3, many=5))
    text = make_csv(rng, 30000)
    a = check_file("many", text)
    b = check_file("many_2k", text, ", {blocksize = 2048}")
    R.check(a is not None and b is not None and
            [x for x in a[0].split("\n")] == [x for x in b[0].split("\n")] and
            all(a[1][k] == b[1][k] for k in a[1] if not k.startswith("corr")),
            "many: blocks of 2 kB print and write what the default blocks do (but corr's bits)")
    cut = make_cut_csv(rng, 240000)
    a = check_file("cut", cut, ', {blocksize = 1048576, parse_dates = {"t"}}', cases=CUT_CASES)
    b = check_file("cut_whole", cut, ', {blocksize = 64000000, parse_dates = {"t"}}',
                   cases=CUT_CASES)
    R.check(a is not None and a == b, "cut: blocks of 1 MB write what one block does")
    keys = make_keys_csv(rng, 24000)
    a = check_file("keys", keys, cases=KEYS_CASES)
    b = check_file("keys_1k", keys, ", {blocksize = 1024}", cases=KEYS_CASES)
    R.check(a is not None and a == b, "keys: blocks of 1 kB write what the default blocks do")
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
