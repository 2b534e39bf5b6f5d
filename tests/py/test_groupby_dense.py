#!/usr/bin/python3
"""Groupbys by one integer key find a small key's group through a direct index (cdrt_gb_dense:
keys 0..4095 at first, doubled up to 2^22 as the groups fill it) instead of a hash. Keys
below, inside and past that range and negative ones,
a small key whose group comes after thousands of others (a big group number), bool and
datetime keys, and pairs of integer keys (one dense key when the second is in [0, 1024)
and the first in [0, 2^40), else hashed: both kinds in one table): sum, mean, count, size,
first, last, min and max, in order of appearance
(sort = false) and sorted, against pandas (Debian's python3-pandas): the keys in its order
exactly, the values within 1e-12 (means: pandas' are not correctly rounded), on 1 and 3
threads and blocks of 1 kB and the default. The emitted C must look the keys up in the
index (so that the path under test is the one taken). A second file's keys fill 0..2^22
sparsely enough that the index grows while a block's groups are added (the groups hashed
before are entered from their records) up to its largest size, with keys at and past its
end, in blocks of 64 kB (each block's index grows, and later blocks start at the size the
others reached) and the default."""

import os
import random
import sys

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()


def key_of(rng, i):
    if i > 20000 and i % 997 == 0:
        return 17 + i % 3  # ... and a few more small keys, first seen late
    k = rng.random()
    if k < 0.4:
        return rng.randint(0, 99)
    if k < 0.55:
        return rng.randint(4090, 4100)  # the index's edge
    if k < 0.65:
        return -rng.randint(1, 50)
    if k < 0.9:
        return rng.randint(5000, 15000)  # thousands of groups before the late small keys
    return rng.choice([2**40, -2**62, 2**63 - 1, -2**63])


def make_csv(path, rng):
    lines = ["k,v,x,w,z,b,t,s"]
    late = {17, 18, 19}
    for i in range(40000):
        k = key_of(rng, i)
        if i <= 20000 and k in late:
            k = 20
        x = "" if rng.random() < 0.05 else "%.6f" % rng.uniform(-100, 100)
        z = "%.3f" % rng.uniform(-1, 1)
        t = "2021-09-%02d %02d:00:00" % (1 + i % 3, rng.randint(0, 2))
        lines.append("%d,%d,%s,%d,%s,%s,%s,%d" % (k, rng.randint(-10**6, 10**6), x,
                                                 rng.randint(-9, 9), z,
                                                 "True" if rng.random() < 0.3 else "False", t,
                                                 rng.randint(0, 1100)))
    tl.write(path, "\n".join(lines) + "\n")


AGGS = [{"v": "sum", "x": "mean", "w": "first", "z": "max"},
        {"v": "min", "x": "count", "w": "last", "z": "sum"}]


def lua_agg(a):
    return "{" + ", ".join('%s = "%s"' % kv for kv in a.items()) + "}"


def same_exactly(d, name, frame):
    """'' if the output file name is frame exactly (keys in order, values), else the diff"""
    got = pd.read_csv(os.path.join(d, name), index_col=0)
    if (list(got.index) == list(frame.index)
            and got.to_numpy().tolist() == frame.to_numpy().tolist()):
        return ""
    return tl.describe_diff(got.to_csv(), frame.to_csv())


def same_within(d, name, frame):
    """'' if the output file name has frame's keys in its order exactly and its values within
    1e-12 (means: cdask's are correctly rounded, pandas' are not), else the diff"""
    two = name.startswith("pair")
    got = pd.read_csv(os.path.join(d, name), index_col=[0, 1] if two else 0,
                      parse_dates=[0] if name.startswith("t_") else False)
    got = got.rename(columns={got.columns[-1]: "size"}) if "size" in name else got
    text, expect = got[list(frame.columns)].to_csv(), frame.to_csv()
    if list(got.index) == list(frame.index) and tl.csv_close(text, expect):
        return ""
    return tl.describe_diff(text, expect)


def check_runs(exe, d, want, what, same):
    """Runs exe on 1 and 3 threads: each output file of want must be its frame (same)"""
    for threads in ("1", "3"):
        p = tl.run([exe, "--threads", threads, "--out", d], cwd=d)
        bad = []
        for name, frame in want.items():
            if p.returncode != 0:
                break
            diff = same(d, name, frame)
            if diff:
                bad.append(name + ": " + diff)
        R.check(p.returncode == 0 and not bad, "%s threads, %s" % (threads, what),
                "exit %s %s\n%s" % (p.returncode, tl.short(p.stderr), bad[:2]))


def wide_keys(d, rng):
    """Keys 0, 15, 30, ... below 2^22 in a random order, some twice, and the index's last
    keys and those past it, sums and first values by key against pandas"""
    keys = list(range(0, 2**22, 15))
    rng.shuffle(keys)
    keys = keys[:20000] + [2**22 - 1, 2**22, 2**22 + 1] + keys[20000:] + keys[:5000]
    lines = ["k,v"] + ["%d,%d" % (k, rng.randint(-10**6, 10**6)) for k in keys]
    tl.write(os.path.join(d, "wide.csv"), "\n".join(lines) + "\n")
    df = pd.read_csv(os.path.join(d, "wide.csv"))
    want = {"wide_%s.csv" % s: df.groupby("k", sort=s).agg({"v": ["sum", "first"]})
            for s in (False, True)}
    for block in (65536, None):
        opts = ", {blocksize = %d}" % block if block else ""
        script = ('local dd = require("cdask.dataframe")\n'
                  'local df = dd.read_csv("wide.csv"%s)\n' % opts +
                  "\n".join('dd.to_csv(df:groupby("k", {sort = %s}):agg{{"v", "sum"}, '
                            '{"v", "first"}}, "%s")' % ("true" if s else "false", name)
                            for name, s in (("wide_False.csv", False), ("wide_True.csv", True))))
        exe, r = tl.build_program(script, d)
        label = "keys to 2^22, blocks of %s" % (block or "default")
        if not R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
            continue
        check_runs(exe, d, want, "%s: pandas' %d groups, in its order, and their sums"
                   % (label, len(df.k.unique())), same_exactly)


def main():
    rng = random.Random(5)
    d = tl.tempdir("gbdense")
    try:
        wide_keys(d, rng)
        make_csv(os.path.join(d, "data.csv"), rng)
        df = pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["t"])
        want, lines = {}, []
        # two integer keys: packed into one dense key when the second is in [0, 1024) and
        # the first in [0, 2^40) (s: 0..1100, k: negative and huge ones too), else hashed
        pairs = {"pair_ks": ["k", "s"], "pair_sk": ["s", "k"], "pair_sb": ["s", "b"],
                 "pair_bs": ["b", "s"]}
        for key in ("k", "b", "t") + tuple(pairs):
            by = pairs.get(key, key)
            lua_by = "{%s}" % ", ".join('"%s"' % c for c in by) if key in pairs else '"%s"' % by
            for sort in (False, True):
                for n, a in enumerate(AGGS):
                    name = "%s_%s_%d.csv" % (key, sort, n)
                    want[name] = df.groupby(by, sort=sort).agg(a)
                    lines.append('dd.to_csv(df:groupby(%s, {sort = %s}):agg%s, "%s")'
                                 % (lua_by, "true" if sort else "false", lua_agg(a), name))
                name = "%s_%s_size.csv" % (key, sort)
                want[name] = df.groupby(by, sort=sort).size().to_frame("size")
                lines.append('dd.to_csv(df:groupby(%s, {sort = %s}):size(), "%s")'
                             % (lua_by, "true" if sort else "false", name))
        for block in (1024, None):
            opts = ", blocksize = %d" % block if block else ""
            script = ('local dd = require("cdask.dataframe")\n'
                      'local df = dd.read_csv("data.csv", {parse_dates = {"t"}%s})\n' % opts +
                      "\n".join(lines) + "\n")
            exe, r = tl.build_program(script, d)
            label = "blocks of %s" % (block or "default")
            if not R.check(exe is not None, label + ": compiles", tl.short(r.stderr)):
                continue
            c = tl.cdaskc(["prog.lua", "--emit-c", "prog.c"], cwd=d)
            src = open(os.path.join(d, "prog.c")).read() if c.returncode == 0 else ""
            R.check(src.count("cdrt_gb_dense_ahead(") >= 42,
                    label + ": the int, bool and datetime keys and the pairs of int keys are "
                    "looked up in the index", str(src.count("cdrt_gb_dense_ahead(")))
            check_runs(exe, d, want, label + ": pandas' groups, in its order, and their values",
                       same_within)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
