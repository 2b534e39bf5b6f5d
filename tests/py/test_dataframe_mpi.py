#!/usr/bin/python3
"""Dataframe scans under --mpi (issue 15): each rank scans its share of a source's blocks
(blocks [nb r / P, nb (r + 1) / P)), the blocks' partial results and records go to every
rank (runtime/mpi_tables.c) and merge in block order, so that:
- one program with many outputs from one scan of a generated CSV file (missing values,
  quoted fields with newlines, separators and doubled quotes, unicode, int, float, bool,
  str and datetime columns) cut into about 40 blocks, from a glob of three files and from a
  file with bad lines skipped under on_bad_lines = "warn": whole-column sum, mean, std, min,
  max (strings and datetimes too), count, nunique, median, value_counts, groupbys (few and
  many groups, two keys, missing string keys, sum, mean, std, first, last, size, min and
  max of strings),
  a sorted groupby head (the top-n rule, its per-block tables sent between ranks too),
  a groupby's exact float sums that spilled out of their windows (values 2^90 apart; the
  sums, each math.fsum's, to the bit), std and corr (of floats, and of two int columns in
  integers),
  merges pushed into a scan (the glob's rows hashed on every rank, then probed by each
  rank's blocks of the main file; their aggregates and a groupby of their matches),
  filters with head, sort_values, drop_duplicates, describe, to_csv; prints and writes the
  same bytes without --mpi and with --mpi on 1, 2, 3 and 4 ranks, each with 1 and 2
  threads, and the warnings once; some outputs are pandas' (Debian's python3-pandas);
- the ranks split the blocks: with --stats each rank says it scanned a part of the blocks
  ("stats: dataframe blocks: scanned X of N"), the parts add up to N, and the ranks'
  exchange moved bytes;
- a bad value in the last block stops 1 and 3 ranks with the error of one process (exit 3,
  nothing written), and with bad values in the first and the last block, 3 ranks report
  the first (the earliest block wins across ranks too);
- an error of a frame made after the scans (a merge's MergeError, frame or pushed, to_array
  of rows of another length), which every rank meets: said once by 3 ranks, exit 3;
- --memory-limit counts the partial results packed for the other ranks and received from
  them: a groupby that fits 4 MB in one process stops 2 ranks (exit 5), and with room they
  write its bytes."""

import csv
import io
import math
import os
import random
import re
import shutil
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_dataframe as td  # noqa: E402
import test_merge as tm  # noqa: E402

R = tl.Results()
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

NAMES = ["Zoé", "naïve", "Ana", "Bob", "a,b", 'say "hi"', "line\nbreak", "日本", "x" * 40,
         " padded ", ""]


def quote(s):
    return '"' + s.replace('"', '""') + '"'


def make_csv(rng, n, bad=()):
    """n rows of id (int), x (float, missing), flag (bool), name (str, missing, quoted),
    k (1..5: few groups), t (datetime, missing), g (300 groups); the rows in bad get
    'oops' as their id"""
    lines = ["id,x,flag,name,k,t,g"]
    for i in range(n):
        r = rng.random()
        x = rng.choice(["", "NaN", "NA"]) if r < 0.1 else "%.3f" % rng.uniform(-100, 100)
        nm = rng.choice(NAMES + ["NA"])
        if any(c in nm for c in ',"\n') or rng.random() < 0.1:
            nm = quote(nm)
        t = "" if rng.random() < 0.05 else "20%02d-%02d-%02d %02d:%02d:%02d" % (
            rng.randint(0, 30), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
            rng.randint(0, 59), rng.randint(0, 59))
        idv = "oops" if i in bad else str(rng.randint(-1000, 1000))
        lines.append("%s,%s,%s,%s,%d,%s,g%d" % (idv, x, rng.choice(["True", "False", "true"]),
                                               nm, rng.randint(1, 5), t, rng.randint(0, 299)))
    return "\n".join(lines) + "\n"


def make_warn_csv(rng, n):
    """k,v rows, every 37th with a field too many (skipped with a warning)"""
    lines = ["k,v"]
    for i in range(n):
        lines.append("%d,%d%s" % (rng.randint(0, 9), rng.randint(-50, 50),
                                  ",9" if i % 37 == 5 else ""))
    return "\n".join(lines) + "\n"


def make_z_csv(rng, n):
    """k (6 groups), z with values 2^90 apart in one group (1e15 beside 1e-12: the groupby's
    exact sums spill out of their windows, and the spills go between ranks too), y"""
    lines = ["k,z,y"]
    for _ in range(n):
        r = rng.random()
        z = (rng.uniform(-9, 9) * 1e15 if r < 0.2 else rng.uniform(-1, 1) * 1e-12 if r < 0.4
             else round(rng.uniform(-500, 500), 4))
        lines.append("k%d,%r,%r" % (rng.randrange(6), z, rng.gauss(0, 1)))
    return "\n".join(lines) + "\n"


def make_part(rng, n):
    return "a,s\n" + "".join("%d,%s\n" % (rng.randint(0, 99), rng.choice(NAMES[:4]))
                             for _ in range(n))


SCRIPT = """local dd = require("cdask.dataframe")
local df = dd.read_csv("data.csv", {blocksize = %(bs)d, parse_dates = {"t"}})
dd.print(df.x:sum(), "sum_x")
dd.print(df.x:mean(), "mean_x")
dd.print(df.x:std(), "std_x")
dd.print(df.x:min(), "min_x")
dd.print(df.id:max(), "max_id")
dd.print(df.id:sum(), "sum_id")
dd.print(df.name:count(), "count_name")
dd.print(df.name:nunique(), "nunique_name")
dd.print(df.x:median(), "median_x")
dd.print(df.name:min(), "min_name")
dd.print(df.name:max(), "max_name")
dd.print(df.t:max(), "max_t")
dd.print(df:mean(), "means")
dd.print(df.name:value_counts(), "vc_name")
dd.print(df.x:value_counts(), "vc_x")
dd.print(df:groupby("k"):agg{{"x", "sum"}, {"id", "mean"}, {"name", "first"}, {"t", "max"}}, "gb_k")
dd.print(df:groupby("k").x:std(), "gb_std")
dd.print(df:groupby("k"):last("name"), "gb_last")
dd.print(df:groupby("g"):agg{x = "sum", id = "mean"}, "gb_many")
dd.print(df:groupby({"k", "name"}):agg{{"x", "std"}, {"id", "first"}, {"t", "last"}}, "gb_two")
dd.print(df:groupby("g", {sort = false}):size(), "gb_size")
dd.print(df:groupby("flag"):agg{{"name", "min"}, {"id", "max"}}, "gb_smin")
dd.print(df:groupby("k").name:max(), "gb_smax")
dd.print(df:groupby("name", {dropna = false}).id:sum(), "gb_dropna")
dd.print(df:groupby("k"):agg{x = {"median", "std"}}, "gb_median")
dd.print(df:groupby("g").id:nunique(), "gb_nunique")
dd.print(df:groupby("k").x:corr(df.id), "gb_corr")
dd.print(df:groupby("g").id:corr(df.k), "gb_corri")
dd.print(df[{"k", "x", "id"}]:sort_values("x", {ascending = false}):groupby("k"):head(2), "gb_top2")
dd.print(df:loc(df.x:gt(50)):head(5), "head")
dd.print(df:loc(df.k:eq(2)):sort_values({"x", "id"}), "sorted")
dd.print(df.name:drop_duplicates(), "dedup")
dd.print(df:drop_duplicates({"k", "flag"}), "dedup_kf")
dd.print(df.x:describe(), "describe_x")
dd.print(df:describe(), "describe")
dd.to_csv(df:loc(df.k:ge(4)), "out.csv")
dd.to_csv(df:groupby("g"):agg{x = "sum"}, "gb.csv")
local dw = dd.read_csv("w.csv", {blocksize = 256, on_bad_lines = "warn"})
dd.print(dw.v:sum(), "w_sum")
dd.print(dw:groupby("k").v:mean(), "w_gb")
local dp = dd.read_csv("parts/p-*.csv", {blocksize = 200})
dd.print(dp.a:sum(), "p_sum")
dd.print(dp:loc(dp.a:gt(90)), "p_rows")
dd.print(dp.s:value_counts(), "p_vc")
dd.print(df:merge(dp, {left_on = "k", right_on = "a"}).x:sum(), "j_sum")
dd.print(df:merge(dp, {left_on = "k", right_on = "a", how = "left"}).s:count(), "j_count")
dd.print(df:merge(dp, {left_on = "k", right_on = "a"}):groupby("s", {sort = false}):agg{x = "sum", name = "last"}, "j_gb")
local dz = dd.read_csv("z.csv", {blocksize = 300})
dd.to_csv(dz:groupby("k"):agg{z = {"sum", "mean", "std"}}, "gbz.csv")
dd.to_csv(dz:groupby("k").z:corr(dz.y), "gbz_corr.csv")
"""

LABELS = {m for m in re.findall(r'"(\w+)"\)\n', SCRIPT)}


def runs_equal(d, exe, cmd_prefix, threads, out_name, extra=()):
    o = os.path.join(d, out_name)
    os.makedirs(o)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    p = tl.run(cmd_prefix + [exe, "--out", o] + list(extra), cwd=d, env=env)
    files = sorted(os.listdir(o))
    return p, files, [open(os.path.join(o, f), "rb").read() for f in files]


def warnings_of(stderr):
    return [x for x in stderr.splitlines() if "warning: line" in x or "bad line" in x]


def check_outputs(d):
    rng = random.Random(15)
    data = make_csv(rng, 2500)
    tl.write(os.path.join(d, "data.csv"), data)
    tl.write(os.path.join(d, "w.csv"), make_warn_csv(rng, 400))
    tl.write(os.path.join(d, "z.csv"), make_z_csv(rng, 600))
    os.makedirs(os.path.join(d, "parts"))
    for k in range(3):
        tl.write(os.path.join(d, "parts", "p-%d.csv" % k), make_part(rng, 150 + 40 * k))
    bs = len(data.encode()) // 40  # about 40 blocks
    tl.write(os.path.join(d, "prog.lua"), SCRIPT % {"bs": bs})
    r1 = tl.cdaskc(["prog.lua", "-o", "one"], cwd=d)
    r2 = tl.cdaskc(["prog.lua", "-o", "many", "--mpi"], cwd=d)
    if not R.check(r1.returncode == 0 and r2.returncode == 0, "compiles with and without --mpi",
                   tl.short(r1.stderr + r2.stderr)):
        return
    # the sorted groupby head is kept in the scan under --mpi too: its per-block top-n tables
    # are packed and merged in block order like the groupbys' tables
    r3 = tl.cdaskc(["prog.lua", "--mpi", "--emit-c", "many.c"], cwd=d)
    with open(os.path.join(d, "many.c")) as f:
        c_text = f.read() if r3.returncode == 0 else ""
    R.check("cdrt_topn_row(" in c_text and "cdrt_xfer_topn(" in c_text,
            "--mpi: the top-n rule's tables are packed (cdrt_xfer_topn)", tl.short(r3.stderr))
    base, files, blobs = runs_equal(d, "./one", [], 1, "out_one")
    want_files = ["gb.csv", "gbz.csv", "gbz_corr.csv", "out.csv"]
    if not R.check(base.returncode == 0 and files == want_files,
                   "one process runs and writes " + ", ".join(want_files), tl.short(base.stderr)):
        return
    p2, f2, b2 = runs_equal(d, "./one", [], 2, "out_one_2")
    R.check((p2.stdout, f2, b2) == (base.stdout, files, blobs),
            "one process: 1 and 2 threads print and write the same")
    warns = warnings_of(base.stderr)
    R.check(len(warns) == 12, "one process: 11 bad lines warned and counted",
            "\n".join(warns))
    for np_ in [1, 2, 3, 4]:
        for threads in [1, 2]:
            name = "%d rank%s, %d thread%s" % (np_, "s" if np_ > 1 else "", threads,
                                              "s" if threads > 1 else "")
            p, f, b = runs_equal(d, "./many", MPIRUN + ["-np", str(np_)], threads,
                                 "out_%d_%d" % (np_, threads))
            if not R.check(p.returncode == 0, name + ": runs", tl.short(p.stderr)):
                continue
            diff = [x for x, y in zip(base.stdout.split("\n"), p.stdout.split("\n")) if x != y]
            R.check(p.stdout == base.stdout, name + ": prints what one process prints",
                    tl.short("\n".join(diff[:6])))
            R.check(f == files and b == blobs, name + ": writes the same bytes", str(f))
            R.check(warnings_of(p.stderr) == warns, name + ": the warnings, once",
                    tl.short(p.stderr))
    check_pandas(d, base.stdout, blobs)
    check_split(d)


def check_pandas(d, out, blobs):
    df = pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["t"])
    dp = pd.concat([pd.read_csv(os.path.join(d, "parts", "p-%d.csv" % k)) for k in range(3)],
                   ignore_index=True)
    got = td.sections(out, LABELS)

    def vc(s):
        v = s.value_counts(sort=False).sort_values(ascending=False, kind="stable")
        v.index.name, v.name = s.name, "count"
        return v

    want = {
        "sum_x": df.x.sum(), "mean_x": df.x.mean(), "std_x": df.x.std(),
        "median_x": df.x.median(), "nunique_name": df.name.nunique(),
        "count_name": df.name.count(), "sum_id": df.id.sum(),
        # merges pushed into df's scan (its blocks split over the ranks), dp's rows hashed
        # on every rank after dp's scan, which runs first
        "j_sum": pd.merge(df, dp, left_on="k", right_on="a").x.sum(),
        "j_count": pd.merge(df, dp, left_on="k", right_on="a", how="left").s.count(),
    }
    bad = [k for k, v in want.items() if not td.close(got.get(k, ""), v)]
    R.check(not bad, "%d scalars are pandas'" % len(want),
            "; ".join("%s: %s vs %s" % (k, got.get(k), want[k]) for k in bad))
    texts = {
        "vc_name": vc(df.name),
        "gb_many": df.groupby("g").agg({"id": "mean", "x": "sum"}),  # a Lua table's names sorted
        "gb_size": df.groupby("g", sort=False).size(),
        "gb_last": df.groupby("k")["name"].last(),
        "gb_dropna": df.groupby("name", dropna=False).id.sum(),
        "gb_nunique": df.groupby("g").id.nunique(),
        "gb_top2": df[["k", "x", "id"]].sort_values("x", ascending=False, kind="stable")
                     .groupby("k").head(2),
        "head": df.loc[df.x > 50].head(5),
        "dedup": df.name.drop_duplicates(),
        # a groupby of a pushed merge: the matches into df's scan's groupby table
        "j_gb": tm.pd_merge(df, dp, left_on="k", right_on="a").groupby("s", sort=False).agg(
            {"x": "sum", "name": "last"}),
    }
    bad = [k for k, v in texts.items() if got.get(k) != repr(v)]
    R.check(not bad, "%d frames are pandas'" % len(texts),
            "\n".join("%s:\n--- got\n%s\n--- pandas\n%s" % (k, got.get(k), repr(texts[k]))
                      for k in bad[:2]))
    R.check(blobs[3] == df.loc[df.k >= 4].to_csv().encode(), "out.csv is pandas' to_csv")
    # the spilled exact sums: each group's sum is math.fsum of its values, to the bit
    dz = pd.read_csv(os.path.join(d, "z.csv"), float_precision="round_trip")  # as float()
    sums = {r[0]: r[1] for r in csv.reader(io.StringIO(blobs[1].decode())) if r[0] in
            set(dz.k)}
    want = {k: repr(math.fsum(g.z)) for k, g in dz.groupby("k")}
    R.check(sums == want, "gbz.csv: each group's sum is the correctly rounded one (fsum)",
            "%s vs %s" % (sums, want))


STATS = re.compile(r"^rank (\d+): stats: dataframe blocks: scanned (\d+) of (\d+)$", re.M)
TOTAL = re.compile(r"^rank (\d+): stats: mpi total: sent (\d+) bytes, received (\d+) bytes",
                   re.M)


def check_split(d):
    for np_ in [2, 3]:
        p, _, _ = runs_equal(d, "./many", MPIRUN + ["-np", str(np_)], 1, "stats_%d" % np_,
                             ["--stats"])
        scanned = {int(m.group(1)): (int(m.group(2)), int(m.group(3)))
                   for m in STATS.finditer(p.stderr)}
        totals = {int(m.group(1)): (int(m.group(2)), int(m.group(3)))
                  for m in TOTAL.finditer(p.stderr)}
        alls = {v[1] for v in scanned.values()}
        R.check(p.returncode == 0 and sorted(scanned) == list(range(np_)) and len(alls) == 1 and
                sum(v[0] for v in scanned.values()) == alls.pop() and
                all(0 < v[0] < v[1] for v in scanned.values()),
                "%d ranks: each scans a part of the blocks, the parts add up" % np_,
                tl.short(p.stderr, 2000))
        R.check(sorted(totals) == list(range(np_)) and
                all(s > 0 and r > 0 for s, r in totals.values()) and
                sum(s for s, _ in totals.values()) == sum(r for _, r in totals.values()),
                "%d ranks: the blocks' partials are exchanged (--stats traffic)" % np_,
                tl.short(p.stderr, 2000))
        if np_ == 2:
            print("traffic at 2 ranks:", totals)


ERR_SCRIPT = """local dd = require("cdask.dataframe")
local df = dd.read_csv("data.csv", {blocksize = %(bs)d, parse_dates = {"t"}})
dd.print(df.id:sum(), "sum_id")
dd.print(df:groupby("k"):agg{x = "sum", name = "first"}, "gb")
dd.to_csv(df:loc(df.k:ge(4)), "out.csv")
"""


def error_of(stderr):
    """the program's error line, without the program's name"""
    lines = [x.split(": error: ", 1)[1] for x in stderr.splitlines() if ": error: " in x]
    return lines


def check_errors(d):
    n = 2000
    good = make_csv(random.Random(16), n)
    bs = len(good.encode()) // 30
    tl.write(os.path.join(d, "data.csv"), good)
    tl.write(os.path.join(d, "err.lua"), ERR_SCRIPT % {"bs": bs})
    r1 = tl.cdaskc(["err.lua", "-o", "eone"], cwd=d)
    r2 = tl.cdaskc(["err.lua", "-o", "emany", "--mpi"], cwd=d)
    if not R.check(r1.returncode == 0 and r2.returncode == 0, "errors: compiles",
                   tl.short(r1.stderr + r2.stderr)):
        return
    for case, bad, ranks in [("last", (n - 1,), [1, 3]), ("first and last", (2, n - 1), [3]),
                             ("middle and last", (n // 2, n - 1), [3])]:
        tl.write(os.path.join(d, "data.csv"), make_csv(random.Random(16), n, bad))
        p, f, _ = runs_equal(d, "./eone", [], 1, "err_one_%d" % bad[0])
        want = error_of(p.stderr)
        R.check(p.returncode == 3 and len(want) == 1 and "cannot read 'oops' as int64" in want[0]
                and not f, "a bad value in the %s block: one process stops (exit 3)" % case,
                tl.short(p.stderr))
        for np_ in ranks:
            p, f, _ = runs_equal(d, "./emany", MPIRUN + ["-np", str(np_)], 2,
                                 "err_%d_%d" % (np_, bad[0]))
            R.check(p.returncode == 3 and error_of(p.stderr) == want and not f,
                    "a bad value in the %s block: %d rank%s stop with one process's error "
                    "(exit 3, said once, nothing written)" % (case, np_, "s" if np_ > 1 else ""),
                    "rc %s, files %s: %s" % (p.returncode, f, tl.short(p.stderr)))


# errors of the frames made after the scans, which every rank meets (their rows are the same
# on every rank): a frame merge's and a pushed merge's MergeError, to_array of a wrong length
POST_ERRORS = [
    ("frame merge", 'dd.print(dd.merge(l, r, {on = "id", validate = "1:1"}):head(2), "m")'),
    ("pushed merge", 'dd.print(dd.merge(l, r, {on = "id", validate = "m:1"}).y:sum(), "m")'),
    ("to_array", 'da.to_npy(l:loc(l.x:gt(2)).x:to_array{lengths = 3}, "a")'),
]


def check_post_scan_errors(d):
    """An error of a frame made after the scans (every rank makes it from the same rows):
    said once by 3 ranks, as by one process (exit 3, nothing written)"""
    tl.write(os.path.join(d, "l.csv"), "id,x\n1,1.5\n2,2.5\n2,3\n")
    tl.write(os.path.join(d, "r.csv"), "id,y\n2,1\n3,1\n2,5\n")
    for k, (case, line) in enumerate(POST_ERRORS):
        tl.write(os.path.join(d, "post.lua"),
                 'local dd = require("cdask.dataframe")\nlocal da = require("cdask.array")\n'
                 'local l, r = dd.read_csv("l.csv"), dd.read_csv("r.csv")\n'
                 'dd.to_csv(l, "l_out.csv")\n' + line + "\n")
        r1 = tl.cdaskc(["post.lua", "-o", "pone"], cwd=d)
        r2 = tl.cdaskc(["post.lua", "-o", "pmany", "--mpi"], cwd=d)
        if not R.check(r1.returncode == 0 and r2.returncode == 0, "%s error: compiles" % case,
                       tl.short(r1.stderr + r2.stderr)):
            continue
        p, f, _ = runs_equal(d, "./pone", [], 1, "post_one_%d" % k)
        want = error_of(p.stderr)
        R.check(p.returncode == 3 and len(want) == 1 and "post.lua:" in want[0] and
                not f, "%s error: one process stops (exit 3, the script's line)" % case,
                tl.short(p.stderr))
        for run in range(3):  # which rank gets there first varies from run to run
            p, f, _ = runs_equal(d, "./pmany", MPIRUN + ["-np", "3"], 1, "post_%d_%d" % (k, run))
            R.check(p.returncode == 3 and error_of(p.stderr) == want and not f,
                    "%s error: 3 ranks stop with one process's error, said once (run %d)" %
                    (case, run + 1), "rc %s, files %s: %s" % (p.returncode, f, tl.short(p.stderr)))


def check_memory(d):
    """--memory-limit counts the blocks' partial results a rank packs for the others and
    the copy of every rank's it receives: a groupby of 5000 keys over 68 blocks of 64 kB
    fits 4 MB in one process (a block's table, then the total), not on 2 ranks (exit 5
    naming them, nothing written); with room, 2 ranks write one process's bytes."""
    rng = random.Random(11)
    keys = ["key%05d" % i for i in range(5000)]
    tl.write(os.path.join(d, "mem.csv"), "k,v\n" + "".join(
        "%s,%d\n" % (rng.choice(keys), rng.randint(0, 9)) for _ in range(400000)))
    tl.write(os.path.join(d, "mem.lua"),
             'local dd = require("cdask.dataframe")\n'
             'local df = dd.read_csv("mem.csv", {blocksize = 65536})\n'
             'dd.to_csv(df:groupby("k").v:sum(), "g.csv")\n')
    r1 = tl.cdaskc(["mem.lua", "-o", "mone"], cwd=d)
    r2 = tl.cdaskc(["mem.lua", "-o", "mmany", "--mpi"], cwd=d)
    if not R.check(r1.returncode == 0 and r2.returncode == 0, "memory: compiles",
                   tl.short(r1.stderr + r2.stderr)):
        return
    p, f, one = runs_equal(d, "./mone", [], 1, "mem_one", ["--memory-limit", "4M"])
    R.check(p.returncode == 0 and f == ["g.csv"], "memory: one process fits 4 MB",
            tl.short(p.stderr))
    p, f, _ = runs_equal(d, "./mmany", MPIRUN + ["-np", "2"], 1, "mem_two",
                         ["--memory-limit", "4M"])
    R.check(p.returncode == 5 and "partial results" in p.stderr and "--memory-limit" in p.stderr
            and not f, "memory: 2 ranks under 4 MB stop at the packed partial results "
            "(exit 5, nothing written)", "rc %s, files %s: %s" % (p.returncode, f,
                                                                   tl.short(p.stderr)))
    p, f, two = runs_equal(d, "./mmany", MPIRUN + ["-np", "2"], 1, "mem_room",
                           ["--memory-limit", "64M"])
    R.check(p.returncode == 0 and two == one, "memory: 2 ranks under 64 MB write one "
            "process's bytes", "rc %s: %s" % (p.returncode, tl.short(p.stderr)))


def main():
    if not shutil.which("mpirun"):
        R.check(False, "mpirun is installed (libopenmpi-dev, openmpi-bin)")
        return R.finish()
    d = tl.tempdir("df_mpi")
    try:
        check_outputs(d)
        check_errors(d)
        check_post_scan_errors(d)
        check_memory(d)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
