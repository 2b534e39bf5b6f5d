#!/usr/bin/python3
"""Merges pushed into their left side's scan (compiler/join_push.c, runtime/join.c; issue
15) against pandas (Debian's python3-pandas) as the oracle.

A merge read only by aggregates of its columns is joined inside the scan of its left
frame's file: the right's rows are hashed first, each left row probes them as it is read.
On generated CSV pairs with duplicate keys on both sides, missing values, unicode string
keys, float keys (NaN, -0.0 and 0.0), datetime keys (NaT), bool keys:
- inner and left merges on an int, a string, a float, a datetime and a bool key, on two
  keys, on left_on/right_on, of filtered sides, with no match at all (an empty right),
  validate = "m:1" and "m:m"; sum, mean, count, min, max, std and var of the left's
  columns, of the key and of the right's (int64 that a left merge makes float64, str and
  datetime minimum and maximum): each value is pandas' (exact for integers and strings,
  floats within 1e-12);
- the emitted C pushes exactly the merges that qualify (a comment per pushed merge): not a
  merge also printed, nor validate = "1:1", nor a merge of a file with itself, nor the
  second of two merges whose scans would wait for each other; a chain (l probes r, r
  probes r2, the files named in that order) runs the scans right to left;
- the same output for 1, 2 and 3 threads and for blocks of 1 kB;
- validate = "m:1" with a repeated right key: pandas' MergeError, exit 3 at the merge's
  line, nothing written;
- right sides of 150000 rows, whose tables are built partition by partition: repeated and
  unique int keys, string keys, two keys, inner and left, 1 and 3 threads;
- a dd.from_arrays frame probing a CSV's rows, and a merge on a computed key;
- one merge written three times builds one table; --memory-limit stops in a pushed
  merge's table (exit 5, naming it, nothing written);
- groupbys of a merge's columns, run in the left's scan over the matches (a TR_GROUPBY, no
  frame made): keys of either side (int, string, bool, datetime, float; missing ones kept
  with dropna = false), sum, mean, min, max, count, size, std, var, first, last, median,
  nunique and corr of either side's columns, sorted and in order of appearance, inner and
  left: pandas' groups in pandas 2.2's row order (first, last and the order of appearance
  depend on it), strings and integers exact, floats within 1e-12, with the default blocks
  and 1 kB ones; the same bytes for 1, 2 and 3 threads (a groupby's float sums, std and
  corr may change in their last bits with the block size: docs/dataframes.md); the
  emitted C pushes each of them (a left merge's bool column is "True"/"False" at a
  match) but a right merge's, which stays a frame merge and a groupby by sorting (of the
  pruned merge: its columns were numbered before the pruning).
The emitted C is also compiled with -Wall -Wextra -Werror by gcc and clang."""

import os
import random
import shutil
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_dataframe as td  # noqa: E402
import test_merge as tm  # noqa: E402

R = tl.Results()


def pm(l, r, how="inner", **kw):
    return tm.pd_merge(l, r, how, **kw)


# (label, the Lua expression, pandas' value from the frames l, r and r2, pushed)
CASES = [
    ("i_sum_x", 'dd.merge(l, r, {on = "id"}).x:sum()', lambda l, r, r2: pm(l, r, on="id").x.sum()),
    ("i_mean_y", 'dd.merge(l, r, {on = "id"}).y:mean()',
     lambda l, r, r2: pm(l, r, on="id").y.mean()),
    ("i_count_x", 'dd.merge(l, r, {on = "id"}).x:count()',
     lambda l, r, r2: pm(l, r, on="id").x.count()),
    ("i_min_ny", 'dd.merge(l, r, {on = "id"}).n_y:min()',
     lambda l, r, r2: pm(l, r, on="id").n_y.min()),
    ("i_max_nx", 'dd.merge(l, r, {on = "id"}).n_x:max()',
     lambda l, r, r2: pm(l, r, on="id").n_x.max()),
    ("i_std_y", 'dd.merge(l, r, {on = "id"}).y:std()', lambda l, r, r2: pm(l, r, on="id").y.std()),
    ("i_var_x", 'dd.merge(l, r, {on = "id"}).x:var()', lambda l, r, r2: pm(l, r, on="id").x.var()),
    ("i_sum_id", 'dd.merge(l, r, {on = "id"}).id:sum()',
     lambda l, r, r2: pm(l, r, on="id").id.sum()),
    ("i_sum_flagy", 'dd.merge(l, r, {on = "id"}).flag_y:sum()',
     lambda l, r, r2: pm(l, r, on="id").flag_y.sum()),
    ("i_max_namey", 'dd.merge(l, r, {on = "id"}).name_y:max()',
     lambda l, r, r2: pm(l, r, on="id").name_y.dropna().max()),
    ("i_min_dayy", 'dd.merge(l, r, {on = "id"}).day_y:min()',
     lambda l, r, r2: pm(l, r, on="id").day_y.min()),
    ("l_sum_y", 'dd.merge(l, r, {on = "id", how = "left"}).y:sum()',
     lambda l, r, r2: pm(l, r, "left", on="id").y.sum()),
    ("l_count_y", 'dd.merge(l, r, {on = "id", how = "left"}).y:count()',
     lambda l, r, r2: pm(l, r, "left", on="id").y.count()),
    ("l_count_x", 'dd.merge(l, r, {on = "id", how = "left"}).x:count()',
     lambda l, r, r2: pm(l, r, "left", on="id").x.count()),
    ("l_mean_ny", 'dd.merge(l, r, {on = "id", how = "left"}).n_y:mean()',
     lambda l, r, r2: pm(l, r, "left", on="id").n_y.mean()),
    ("l_max_ny", 'dd.merge(l, r, {on = "id", how = "left"}).n_y:max()',
     lambda l, r, r2: pm(l, r, "left", on="id").n_y.max()),
    ("l_count_dayy", 'dd.merge(l, r, {on = "id", how = "left"}).day_y:count()',
     lambda l, r, r2: pm(l, r, "left", on="id").day_y.count()),
    ("l_max_dayy", 'dd.merge(l, r, {on = "id", how = "left"}).day_y:max()',
     lambda l, r, r2: pm(l, r, "left", on="id").day_y.max()),
    ("s_sum_y", 'dd.merge(l, r, {on = "name"}).y:sum()',
     lambda l, r, r2: pm(l, r, on="name").y.sum()),
    ("s_min_name", 'dd.merge(l, r, {on = "name", how = "left"}).name:min()',
     lambda l, r, r2: pm(l, r, "left", on="name").name.dropna().min()),
    ("s_count_rid", 'dd.merge(l, r, {on = "name", how = "left"}).rid:count()',
     lambda l, r, r2: pm(l, r, "left", on="name").rid.count()),
    ("f_sum_y", 'dd.merge(l[{"fk", "x"}], r[{"fk", "y"}], {on = "fk"}).y:sum()',
     lambda l, r, r2: pm(l[["fk", "x"]], r[["fk", "y"]], on="fk").y.sum()),
    ("f_count_x", 'dd.merge(l[{"fk", "x"}], r[{"fk", "y"}], {on = "fk", how = "left"}).y:count()',
     lambda l, r, r2: pm(l[["fk", "x"]], r[["fk", "y"]], "left", on="fk").y.count()),
    ("d_sum_y", 'dd.merge(l[{"day", "x"}], r[{"day", "y"}], {on = "day"}).y:sum()',
     lambda l, r, r2: pm(l[["day", "x"]], r[["day", "y"]], on="day").y.sum()),
    ("b_mean_y", 'dd.merge(l[{"flag", "x"}], r[{"flag", "y"}], {on = "flag"}).y:mean()',
     lambda l, r, r2: pm(l[["flag", "x"]], r[["flag", "y"]], on="flag").y.mean()),
    ("two_sum_y", 'dd.merge(l, r, {on = {"id", "name"}, how = "left"}).y:sum()',
     lambda l, r, r2: pm(l, r, "left", on=["id", "name"]).y.sum()),
    ("two_count", 'dd.merge(l, r, {on = {"name", "fk"}}).x:count()',
     lambda l, r, r2: pm(l, r, on=["name", "fk"]).x.count()),
    ("rid_sum", 'dd.merge(l, r, {left_on = "id", right_on = "rid", how = "left"}).y:sum()',
     lambda l, r, r2: pm(l, r, "left", left_on="id", right_on="rid").y.sum()),
    ("filtered", 'dd.merge(l:loc(l.x:gt(0)), r:loc(r.n:lt(20)), {on = "id"}).y:sum()',
     lambda l, r, r2: pm(l.loc[l.x > 0], r.loc[r.n < 20], on="id").y.sum()),
    ("none_sum", 'dd.merge(l, r:loc(r.id:gt(100000)), {on = "id", how = "left"}).y:sum()',
     lambda l, r, r2: pm(l, r.loc[r.id > 100000], "left", on="id").y.sum()),
    ("none_count", 'dd.merge(l, r:loc(r.id:gt(100000)), {on = "id"}).x:count()',
     lambda l, r, r2: pm(l, r.loc[r.id > 100000], on="id").x.count()),
    ("m1_sum", 'dd.merge(l, r2, {on = "id", validate = "m:1"}).z:sum()',
     lambda l, r, r2: pm(l, r2, on="id").z.sum()),
    ("mm_sum", 'dd.merge(l, r, {on = "id", validate = "m:m"}).y:sum()',
     lambda l, r, r2: pm(l, r, on="id").y.sum()),
    # a chain: l probes r's rows, r probes r2's (the scans run r2, r, l)
    ("chain_r", 'dd.merge(r, r2, {left_on = "rid", right_on = "id", how = "left"}).z:sum()',
     lambda l, r, r2: pm(r, r2, "left", left_on="rid", right_on="id").z.sum()),
]
# merges that stay frames (the same answers): (label, Lua, pandas)
FRAMES = [
    ("printed_sum", 'm_printed.y:sum()', lambda l, r, r2: pm(l, r, on="name").y.sum()),
    ("v11_sum", 'dd.merge(l, r2, {on = "id", validate = "1:1"}).z:sum()', None),
    ("self_sum", 'dd.merge(l, l, {on = "id"}).x_y:sum()',
     lambda l, r, r2: pm(l, l, on="id").x_y.sum()),
    ("cycle_sum", 'dd.merge(r, l, {on = "id"}).x:sum()', lambda l, r, r2: pm(r, l, on="id").x.sum()),
]


def script(opts):
    lines = ['local dd = require("cdask.dataframe")',
             'local l = dd.read_csv("l.csv", {parse_dates = {"day"}%s})' % opts,
             'local r = dd.read_csv("r.csv", {parse_dates = {"day"}%s})' % opts,
             'local r2 = dd.read_csv("r2.csv"%s)' % (", {%s}" % opts[2:] if opts else ""),
             'local m_printed = dd.merge(l, r, {on = "name"})',
             'dd.print(m_printed:head(3), "printed")']
    for label, expr, _ in CASES + FRAMES:
        if label == "v11_sum":  # l's ids repeat: 1:1 is an error; a file of unique ids
            expr = 'dd.merge(r2, r2, {on = "id", validate = "1:1"}).z_x:sum()'
        lines.append('dd.print(%s, "%s")' % (expr, label))
    return "\n".join(lines) + "\n"


def make_r2(rng, keys):
    """id (each of 1..keys once, shuffled), z (float, some missing)"""
    ids = list(range(1, keys + 1))
    rng.shuffle(ids)
    return "id,z\n" + "".join("%d,%s\n" % (i, "" if rng.random() < 0.1 else
                                          "%.2f" % rng.uniform(-10, 10)) for i in ids)


def run_all(d, exe, threads, tag):
    out = os.path.join(d, "out_%s%s" % (threads, tag))
    os.makedirs(out)
    return tl.run([exe, "--threads", threads, "--out", out], cwd=d,
                  env=dict(os.environ, OMP_NUM_THREADS=threads))


def emitted(d):
    """The C of d/prog.lua ("" if cdaskc fails) and how many merges it pushes (one table
    each, built before the scan)"""
    r = tl.cdaskc(["prog.lua", "--emit-c", "prog.c"], cwd=d)
    with open(os.path.join(d, "prog.c")) as f:
        c = f.read() if r.returncode == 0 else ""
    n = c.count("pushed into this scan")
    return c, n if c.count("cdrt_join_build(&cd_join") == n else -1


def check_c(d, name):
    """The pushed merges in the emitted C (every merge of CASES: only FRAMES' are made as
    frames; a merge written again with the same rows and keys shares the first's table);
    it compiles warning-free with gcc and clang"""
    c, n = emitted(d)
    frames = c.count("= cdrt_frame_merge(")
    R.check(frames == len(FRAMES) and 10 <= n < len(CASES),
            "%s: only the %d merges of FRAMES are frames, the others pushed into %d tables "
            "(%d merges)" % (name, len(FRAMES), n, len(CASES)), "%d frame merges" % frames)
    order = [line.strip() for line in c.split("static void cd_tables(void) {")[-1].split("\n")
             if line.strip().startswith("cd_scan")]
    R.check(order[:3] == ["cd_scan2();", "cd_scan1();", "cd_scan0();"],
            "%s: the scans run r2, r, l (each after the rows it probes)" % name, str(order))
    compiles_clean(d, name)


def compiles_clean(d, name):
    """d/prog.c compiles with -Wall -Wextra -Werror by gcc and clang"""
    for cc in ["gcc", "clang"]:
        if not shutil.which(cc):
            R.check(False, "%s is installed" % cc)
            continue
        p = tl.run([cc, "-std=c11", "-fopenmp", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
                    "prog.c"], cwd=d)
        R.check(p.returncode == 0, "%s: the C compiles warning-free with %s" % (name, cc),
                tl.short(p.stderr))


def check_pair(name, ltext, rtext, r2text):
    d = tl.tempdir("merge_pushed")
    try:
        for f, text in [("l.csv", ltext), ("r.csv", rtext), ("r2.csv", r2text)]:
            tl.write(os.path.join(d, f), text)
        l = pd.read_csv(os.path.join(d, "l.csv"), parse_dates=["day"])
        r = pd.read_csv(os.path.join(d, "r.csv"), parse_dates=["day"])
        r2 = pd.read_csv(os.path.join(d, "r2.csv"))
        labels = {c[0] for c in CASES + FRAMES} | {"printed"}
        outs = []
        for opts in ["", ", blocksize = 1024"]:
            exe, rc = tl.build_program(script(opts), d)
            if not R.check(exe is not None, "%s%s: compiles" % (name, opts), tl.short(rc.stderr)):
                return
            if not opts:
                check_c(d, name)
            for threads in ["1", "2", "3"] if not opts else ["2"]:
                p = run_all(d, exe, threads, opts.replace(", blocksize = ", "_"))
                if not R.check(p.returncode == 0, "%s%s: runs (%s threads)" % (name, opts, threads),
                               tl.short(p.stderr)):
                    return
                outs.append(p.stdout)
        R.check(all(o == outs[0] for o in outs),
                "%s: the same output for 1, 2 and 3 threads and blocks of 1 kB" % name)
        got = td.sections(outs[0], labels)
        for label, _, fn in CASES + FRAMES:
            want = (fn(l, r, r2) if fn else
                    pm(r2, r2, on="id").z_x.sum())
            R.check(td.close(got.get(label, ""), want), "%s: %s is pandas' %s" %
                    (name, label, want), "got %r" % got.get(label))
    finally:
        tl.rmtree(d)


def check_not_unique():
    """validate = "m:1" pushed, with a repeated right key: pandas' MergeError"""
    d = tl.tempdir("merge_pushed_err")
    try:
        tl.write(os.path.join(d, "l.csv"), "id,x\n1,1.5\n2,2.5\n")
        tl.write(os.path.join(d, "r.csv"), "id,y\n2,1\n3,1\n2,5\n")
        exe, rc = tl.build_program('local dd = require("cdask.dataframe")\n'
                                   'local l, r = dd.read_csv("l.csv"), dd.read_csv("r.csv")\n'
                                   'dd.print(l.x:sum(), "before")\n'
                                   'local m = dd.merge(l, r, {on = "id", validate = "m:1"})\n'
                                   'dd.to_npy(m.y:sum(), "s.npy")\n', d)
        if not R.check(exe is not None, "m:1 error: compiles", tl.short(rc.stderr)):
            return
        R.check(emitted(d)[1] == 1, "m:1 error: the merge is pushed")
        out = os.path.join(d, "out")
        os.mkdir(out)
        p = tl.run([exe, "--out", out], cwd=d)
        try:
            pd.merge(pd.read_csv(os.path.join(d, "l.csv")), pd.read_csv(os.path.join(d, "r.csv")),
                     on="id", validate="m:1")
            msg = None
        except pd.errors.MergeError as e:
            msg = "prog.lua:4: merge: %s" % e
        R.check(msg is not None and p.returncode == 3 and msg in p.stderr and
                os.listdir(out) == [] and "before" not in p.stdout,
                "m:1 error: pandas' MergeError, exit 3, nothing printed or written",
                "exit %s, files %s, stdout %r, stderr %r" % (p.returncode, os.listdir(out),
                                                            p.stdout, p.stderr))
    finally:
        tl.rmtree(d)


BIG = """local dd = require("cdask.dataframe")
local l, r, u = dd.read_csv("bl.csv"), dd.read_csv("br.csv"), dd.read_csv("bu.csv")
dd.print(dd.merge(l, r, {on = "k"}).y:sum(), "b_sum")
dd.print(dd.merge(l, r, {on = "k", how = "left"}).y:count(), "b_count")
dd.print(dd.merge(l, r, {on = "s"}).y:sum(), "b_ssum")
dd.print(dd.merge(l, r, {on = {"k", "s"}, how = "left"}).y:mean(), "b_two")
dd.print(dd.merge(l, u, {on = "k", validate = "m:1"}).z:sum(), "b_unique")
dd.print(dd.merge(l, u, {on = "k", how = "left"}).z:max(), "b_umax")
local sk, cr = dd.read_csv("bs.csv"), dd.read_csv("bc.csv")
dd.print(dd.merge(l, cr, {on = "k"}).c:sum(), "b_crowd")
dd.print(dd.merge(l, sk, {on = "k"}).w:sum(), "b_skew")
dd.print(dd.merge(l, sk, {on = "k", how = "left"}).w:count(), "b_skew_left")
"""


def check_big():
    """Right sides of 150000 rows: tables of 2^18 slots, built by partition (runtime/join.c),
    with repeated keys (int, string, two) and unique ones; a skewed one (most rows of one
    key) and a crowded one (keys whose slots fall in one partition): a partition would hold
    more rows than slots, so the table is one partition"""
    rng = random.Random(77)
    d = tl.tempdir("merge_pushed_big")
    try:
        def num():
            return "" if rng.random() < 0.05 else "%.2f" % rng.uniform(-100, 100)
        ks = [rng.randint(1, 200000) for _ in range(60000)]
        tl.write(os.path.join(d, "bl.csv"), "k,s,x\n" + "".join(
            "%d,s%d,%s\n" % (k, k % 50000, num()) for k in ks))
        rk = [rng.randint(1, 120000) for _ in range(150000)]
        tl.write(os.path.join(d, "br.csv"), "k,s,y\n" + "".join(
            "%d,s%d,%s\n" % (k, k % 50000 if rng.random() < 0.5 else rng.randint(0, 60000), num())
            for k in rk))
        ids = list(range(1, 150001))
        rng.shuffle(ids)
        tl.write(os.path.join(d, "bu.csv"), "k,z\n" + "".join("%d,%s\n" % (i, num()) for i in ids))
        # crowded: 150000 distinct keys whose slots all fall in the first half of the table
        # (the top bit of k * 0x9e3779b97f4a7c15, the table's hash, is 0): the first of its
        # two partitions would get more keys than slots and never find an empty one
        crowd, k = [], 0
        while len(crowd) < 150000:
            k += 1
            if (k * 0x9E3779B97F4A7C15) & (1 << 63) == 0:
                crowd.append(k)
        rng.shuffle(crowd)
        tl.write(os.path.join(d, "bc.csv"), "k,c\n" + "".join(
            "%d,%d\n" % (k, rng.randint(0, 9)) for k in crowd))
        # skewed: most rows of one key (a partition of more rows than slots: one partition)
        tl.write(os.path.join(d, "bs.csv"), "k,w\n" + "".join(
            "%d,%d\n" % (ks[0] if rng.random() < 0.9 else rng.randint(1, 200000),
                         rng.randint(-5, 5)) for _ in range(150000)))
        exe, rc = tl.build_program(BIG, d)
        if not R.check(exe is not None, "big: compiles", tl.short(rc.stderr)):
            return
        n = emitted(d)[1]
        R.check(n == 9, "big: the 9 merges are pushed (found %d)" % n)
        outs = [run_all(d, exe, t, "") for t in ["1", "3"]]
        if not R.check(all(p.returncode == 0 for p in outs), "big: runs with 1 and 3 threads",
                       tl.short(outs[0].stderr + outs[1].stderr)):
            return
        R.check(outs[0].stdout == outs[1].stdout, "big: the same output for 1 and 3 threads")
        l, r, u, sk, cr = (pd.read_csv(os.path.join(d, f))
                           for f in ["bl.csv", "br.csv", "bu.csv", "bs.csv", "bc.csv"])
        want = {"b_sum": pd.merge(l, r, on="k").y.sum(),
                "b_count": pd.merge(l, r, on="k", how="left").y.count(),
                "b_ssum": pd.merge(l, r, on="s").y.sum(),
                "b_two": pd.merge(l, r, on=["k", "s"], how="left").y.mean(),
                "b_unique": pd.merge(l, u, on="k", validate="m:1").z.sum(),
                "b_umax": pd.merge(l, u, on="k", how="left").z.max(),
                "b_skew": pd.merge(l, sk, on="k").w.sum(),
                "b_crowd": pd.merge(l, cr, on="k").c.sum(),
                "b_skew_left": pd.merge(l, sk, on="k", how="left").w.count()}
        got = td.sections(outs[0].stdout, set(want))
        for k, v in want.items():
            R.check(td.close(got.get(k, ""), v), "big: %s is pandas' %s" % (k, v),
                    "got %r" % got.get(k))
    finally:
        tl.rmtree(d)


def check_memory():
    """--memory-limit holds for a pushed merge's table: exit 5 naming the merge, nothing
    written (150000 unique keys: 4 MB of slots, 3 MB while building; the right's rows
    themselves fit)"""
    rng = random.Random(9)
    d = tl.tempdir("merge_pushed_mem")
    try:
        keys = list(range(1, 150001))
        rng.shuffle(keys)
        tl.write(os.path.join(d, "r.csv"), "k,c\n" + "".join("%d,%d\n" % (k, k % 7) for k in keys))
        tl.write(os.path.join(d, "l.csv"), "k\n" + "".join(
            "%d\n" % rng.randint(1, 200000) for _ in range(1000)))
        exe, rc = tl.build_program('local dd = require("cdask.dataframe")\n'
                                   'local l, r = dd.read_csv("l.csv"), dd.read_csv("r.csv")\n'
                                   'local m = dd.merge(l, r, {on = "k"})\n'
                                   'dd.to_npy(m.c:sum(), "s.npy")\n', d)
        if not R.check(exe is not None, "memory: compiles", tl.short(rc.stderr)):
            return
        outs = {}
        for limit in ["9MB", "64MB"]:
            out = os.path.join(d, "out_" + limit)
            os.mkdir(out)
            outs[limit] = (tl.run([exe, "--memory-limit", limit, "--out", out], cwd=d),
                           sorted(os.listdir(out)))
        p, files = outs["9MB"]
        R.check(p.returncode == 5 and "the merge at prog.lua:3 needs more than the memory limit"
                in p.stderr and files == [], "memory: 9 MB stops in the merge's table (exit 5, "
                "nothing written)", "exit %s, files %s: %s" % (p.returncode, files, p.stderr))
        p, files = outs["64MB"]
        R.check(p.returncode == 0 and files == ["s.npy"], "memory: 64 MB is enough",
                tl.short(p.stderr))
    finally:
        tl.rmtree(d)


def check_shared():
    """One merge written three times: one table"""
    d = tl.tempdir("merge_pushed_shared")
    try:
        tl.write(os.path.join(d, "l.csv"), "id,x\n1,1.5\n2,2.5\n2,3\n")
        tl.write(os.path.join(d, "r.csv"), "id,y\n2,1\n3,1\n2,5\n")
        exe, rc = tl.build_program(
            'local dd = require("cdask.dataframe")\n'
            'local l, r = dd.read_csv("l.csv"), dd.read_csv("r.csv")\n'
            'dd.print(dd.merge(l, r, {on = "id"}).x:sum(), "a")\n'
            'dd.print(l:merge(r, {on = "id"}).y:max(), "b")\n'
            'dd.print(dd.merge(l, r, {on = "id", validate = "m:m"}).x:count(), "c")\n'
            'dd.print(dd.merge(l, r, {on = "id", how = "left"}).y:count(), "d")\n', d)
        if not R.check(exe is not None, "shared: compiles", tl.short(rc.stderr)):
            return
        R.check(emitted(d)[1] == 2, "shared: three merges of l and r on id, one table (and the "
                "left merge's)")
        p = run_all(d, exe, "2", "")
        l, r = pd.read_csv(os.path.join(d, "l.csv")), pd.read_csv(os.path.join(d, "r.csv"))
        m, ml = pd.merge(l, r, on="id"), pd.merge(l, r, on="id", how="left")
        want = {"a": m.x.sum(), "b": m.y.max(), "c": m.x.count(), "d": ml.y.count()}
        got = td.sections(p.stdout, set(want))
        R.check(p.returncode == 0 and all(td.close(got.get(k, ""), v) for k, v in want.items()),
                "shared: pandas' answers %s" % want, p.stdout + p.stderr)
    finally:
        tl.rmtree(d)


def check_beside():
    """A groupby of the left's own rows before a pushed merge, in one scan: their batches'
    row pointers once had one name in the C (groupby 0 and join 0: it did not compile)"""
    d = tl.tempdir("merge_pushed_beside")
    try:
        tl.write(os.path.join(d, "l.csv"), "id,g,x\n1,a,2\n2,b,3\n1,a,4\n7,c,1\n")
        tl.write(os.path.join(d, "r.csv"), "id,g,y\n1,a,10\n2,b,20\n2,b,5\n")
        exe, rc = tl.build_program(
            'local dd = require("cdask.dataframe")\n'
            'local l, r = dd.read_csv("l.csv"), dd.read_csv("r.csv")\n'
            'dd.print(l:groupby("id").x:sum():max(), "a")\n'
            'dd.print(dd.merge(l, r, {on = "id"}).y:mean(), "b")\n'
            'dd.print(dd.merge(l, r, {on = {"id", "g"}}).x:sum(), "c")\n', d)
        if not R.check(exe is not None, "beside: compiles", tl.short(rc.stderr)):
            return
        R.check(emitted(d)[1] == 2, "beside: both merges pushed into l's scan")
        p = run_all(d, exe, "2", "")
        l, r = pd.read_csv(os.path.join(d, "l.csv")), pd.read_csv(os.path.join(d, "r.csv"))
        want = {"a": l.groupby("id").x.sum().max(), "b": pd.merge(l, r, on="id").y.mean(),
                "c": pd.merge(l, r, on=["id", "g"]).x.sum()}
        got = td.sections(p.stdout, set(want))
        R.check(p.returncode == 0 and all(td.close(got.get(k, ""), v) for k, v in want.items()),
                "beside: pandas' answers %s" % want, p.stdout + p.stderr)
    finally:
        tl.rmtree(d)


def check_arrays():
    """A pushed merge whose left is a dd.from_arrays frame (its scan runs after the arrays,
    the CSV's rows hashed before), and one on a computed key"""
    d = tl.tempdir("merge_pushed_arrays")
    try:
        tl.write(os.path.join(d, "r.csv"), "id,y\n2,1\n3,1\n2,5\n0,7\n")
        tl.write(os.path.join(d, "l.csv"), "id,x\n1,1.5\n2,2.5\n2,3\n")
        exe, rc = tl.build_program(
            'local dd = require("cdask.dataframe")\n'
            'local da = require("cdask.array")\n'
            'local f = dd.from_arrays{{"k", da.arange(10) % 4}, {"v", da.arange(10) * 1.5}}\n'
            'local r, l = dd.read_csv("r.csv"), dd.read_csv("l.csv")\n'
            'dd.print(dd.merge(f, r, {left_on = "k", right_on = "id"}).y:sum(), "fa")\n'
            'dd.print(dd.merge(f, r, {left_on = "k", right_on = "id", how = "left"}).v:mean(), '
            '"fa_left")\n'
            'local l2 = l:assign{k2 = l.id * 2 - 2}\n'
            'dd.print(dd.merge(l2, r, {left_on = "k2", right_on = "id"}).x:sum(), "computed")\n',
            d)
        if not R.check(exe is not None, "arrays: compiles", tl.short(rc.stderr)):
            return
        n = emitted(d)[1]
        R.check(n == 3, "arrays: the 3 merges are pushed (found %d)" % n)
        p = run_all(d, exe, "2", "")
        f = pd.DataFrame({"k": np.arange(10) % 4, "v": np.arange(10) * 1.5})
        r, l = pd.read_csv(os.path.join(d, "r.csv")), pd.read_csv(os.path.join(d, "l.csv"))
        l["k2"] = l.id * 2 - 2
        want = {"fa": pd.merge(f, r, left_on="k", right_on="id").y.sum(),
                "fa_left": pd.merge(f, r, left_on="k", right_on="id", how="left").v.mean(),
                "computed": pd.merge(l, r, left_on="k2", right_on="id").x.sum()}
        got = td.sections(p.stdout, set(want))
        for k, v in want.items():
            R.check(p.returncode == 0 and td.close(got.get(k, ""), v),
                    "arrays: %s is pandas' %s" % (k, v), "got %r; %s" % (got.get(k), p.stderr))
    finally:
        tl.rmtree(d)


# (label, Lua, pandas from the frames l, r): groupbys of a merge's columns, each as to_csv
GROUPBYS = [
    ("g_inner", 'dd.merge(l, r, {on = "id"}):groupby("name_y"):agg{x = "sum", y = "mean", '
     'n_y = "max", day_x = "first", name_x = "last"}',
     lambda l, r: pm(l, r, on="id").groupby("name_y").agg(
         {"name_x": "last", "x": "sum", "day_x": "first", "y": "mean", "n_y": "max"})),
    ("g_left_order", 'dd.merge(l, r, {on = "id", how = "left"}):groupby({"flag_x", "name_y"}, '
     '{sort = false}):agg{y = "std", n_y = "size", rid = "min"}',
     lambda l, r: pm(l, r, "left", on="id").groupby(["flag_x", "name_y"], sort=False).agg(
         {"rid": "min", "y": "std", "n_y": "size"})),
    ("g_left_na", 'dd.merge(l, r, {on = "name", how = "left"}):groupby("day_y", '
     '{dropna = false}):agg{x = "median", rid = "nunique", n_y = "var", flag_y = "last"}',
     lambda l, r: pm(l, r, "left", on="name").groupby("day_y", dropna=False).agg(
         {"x": "median", "rid": "nunique", "flag_y": "last", "n_y": "var"})),
    ("g_two", 'dd.merge(l, r, {on = {"id", "name"}}):groupby("fk_x"):agg{x = "count", '
     'y = "var", flag_y = "sum", day_y = "max"}',
     lambda l, r: pm(l, r, on=["id", "name"]).groupby("fk_x").agg(
         {"x": "count", "y": "var", "flag_y": "sum", "day_y": "max"})),
    ("g_key_id", 'dd.merge(l, r, {left_on = "id", right_on = "rid"}):groupby("id_x"):sum("n_y")',
     lambda l, r: pm(l, r, left_on="id", right_on="rid").groupby("id_x").n_y.sum()),
    ("g_filtered", 'dd.merge(l:loc(l.x:gt(0)), r, {on = "id", how = "left"}):groupby("name_x", '
     '{sort = false}).y:first()',
     lambda l, r: pm(l.loc[l.x > 0], r, "left", on="id").groupby("name_x", sort=False).y.first()),
    ("g_corr", 'local m = dd.merge(l, r, {on = "id"})\nreturn m:groupby("flag_y").x:corr(m.y)',
     lambda l, r: (lambda m: m.groupby("flag_y").x.corr(m.y))(pm(l, r, on="id"))),
    ("g_size", 'dd.merge(l, r, {on = "fk", how = "left"}):groupby("name_y", {dropna = false})'
     ':size()',
     lambda l, r: pm(l, r, "left", on="fk").groupby("name_y", dropna=False).size()),
    # a right merge stays a frame: a groupby by sorting of it, its sides pruned to the
    # columns read (a result type read past the pruned columns was garbage)
    ("g_right", 'dd.merge(l, r, {on = "id", how = "right"}):groupby("name_y"):agg{x = "max", '
     'flag_x = "last", n_y = "sum"}',
     lambda l, r: pm(l, r, "right", on="id").groupby("name_y").agg(
         {"x": "max", "flag_x": "last", "n_y": "sum"})),
    # a groupby of l's own rows beside the joins' (their probes and it share l's batch)
    ("g_plain", 'l:groupby("name"):agg{x = "sum", n = "max"}',
     lambda l, r: l.groupby("name").agg({"x": "sum", "n": "max"})),
]
# a join read by an aggregate alone, in a scan that has groupbys: its probe takes the
# groupby batch and does not use it
AGG_ONLY = ('dd.merge(l, r, {on = "fk"}).y:sum()', lambda l, r: pm(l, r, on="fk").y.sum())


def gb_script(opts):
    lines = ['local dd = require("cdask.dataframe")',
             'local l = dd.read_csv("l.csv", {parse_dates = {"day"}%s})' % opts,
             'local r = dd.read_csv("r.csv", {parse_dates = {"day"}%s})' % opts]
    for label, expr, _ in GROUPBYS:
        body = expr if "return" in expr else "return " + expr
        lines.append('dd.to_csv((function()\n%s\nend)(), "%s.csv")' % (body, label))
    lines.append('dd.print(%s, "agg_only")' % AGG_ONLY[0])
    return "\n".join(lines) + "\n"


def same_csv(got, want):
    """cdask's to_csv and pandas' (want: its text): the same header, keys and strings, and
    numbers within 1e-12 relative. (ok, why)"""
    g, w = got.rstrip("\n").split("\n"), want.rstrip("\n").split("\n")
    if len(g) != len(w) or g[0] != w[0]:
        return False, "rows or header: %r vs %r" % (g[:3], w[:3])
    for a, b in zip(g[1:], w[1:]):
        if a == b:
            continue
        fa, fb = a.split(","), b.split(",")  # generated strings hold no comma in these keys
        for x, y in zip(fa, fb):
            try:
                ok = x == y or abs(float(x) - float(y)) <= 1e-12 * max(abs(float(x)),
                                                                        abs(float(y)))
            except ValueError:
                ok = False
            if not ok or len(fa) != len(fb):
                return False, "%r vs %r" % (a, b)
    return True, ""


def check_groupby(name, ltext, rtext):
    d = tl.tempdir("merge_pushed_gb")
    try:
        tl.write(os.path.join(d, "l.csv"), ltext)
        tl.write(os.path.join(d, "r.csv"), rtext)
        l = pd.read_csv(os.path.join(d, "l.csv"), parse_dates=["day"])
        r = pd.read_csv(os.path.join(d, "r.csv"), parse_dates=["day"])
        outs = []
        for opts in ["", ", blocksize = 1024"]:
            exe, rc = tl.build_program(gb_script(opts), d)
            if not R.check(exe is not None, "%s%s: groupbys compile" % (name, opts),
                           tl.short(rc.stderr)):
                return
            if not opts:  # g_corr shares g_inner's table, g_right stays a frame, g_plain
                # is no merge, AGG_ONLY's merge is one more table
                c, n = emitted(d)
                frames, sorts = c.count("= cdrt_frame_merge("), c.count("cdrt_frame_groupby(in, &spec)")
                R.check(n == len(GROUPBYS) - 2 and frames == 1 and sorts == 1,
                        "%s: the merges are pushed into %d tables, their groupbys in the scan, "
                        "but g_right's (a frame, a groupby by sorting)" % (name, n),
                        "%d pushed, %d frame merges, %d groupbys by sorting" % (n, frames, sorts))
                compiles_clean(d, name + " groupbys")
            for threads in ["1", "2", "3"] if not opts else ["2"]:
                out = os.path.join(d, "gb_%s%s" % (threads, len(opts)))
                os.makedirs(out)
                p = tl.run([exe, "--threads", threads, "--out", out], cwd=d)
                if not R.check(p.returncode == 0, "%s%s: groupbys run (%s threads)" %
                               (name, opts, threads), tl.short(p.stderr)):
                    return
                if threads == "1" and not opts:
                    R.check(td.close(td.sections(p.stdout, {"agg_only"}).get("agg_only", ""),
                                     AGG_ONLY[1](l, r)), "%s: agg_only is pandas'" % name,
                            p.stdout)
                texts = []
                for label, _, _ in GROUPBYS:
                    with open(os.path.join(out, label + ".csv")) as f:
                        texts.append(f.read())
                outs.append(texts)
        R.check(outs[0] == outs[1] == outs[2],
                "%s: the groupbys' same bytes for 1, 2 and 3 threads" % name)
        for k, (label, _, fn) in enumerate(GROUPBYS):
            want = fn(l, r).to_csv()
            for blocks, o in [("", outs[0]), (", 1 kB blocks", outs[3])]:
                ok, why = same_csv(o[k], want)
                R.check(ok, "%s: %s is pandas' groupby of the merge%s" % (name, label, blocks),
                        why)
    finally:
        tl.rmtree(d)


def main():
    rng = random.Random(1515)
    check_pair("few", tm.make_side(rng, 14, False, 6), tm.make_side(rng, 11, True, 6),
               make_r2(rng, 6))
    check_pair("many", tm.make_side(rng, 1500, False, 40), tm.make_side(rng, 700, True, 40),
               make_r2(rng, 40))
    check_not_unique()
    check_big()
    check_arrays()
    check_shared()
    check_beside()
    check_memory()
    check_groupby("gb_few", tm.make_side(rng, 30, False, 6), tm.make_side(rng, 25, True, 6))
    check_groupby("gb_many", tm.make_side(rng, 3000, False, 60), tm.make_side(rng, 900, True, 60))
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
