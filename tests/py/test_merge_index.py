#!/usr/bin/python3
"""merge with indicator and on the index (left_on with right_index, both indexes) against
pandas 1.5.3 (Debian's) as the oracle, on generated CSV pairs with missing keys, keys
repeated on both sides, string and number keys, unmatched rows on both sides and an empty
side: each dd.print is pandas' repr (the indicator's frame, Series, eq/ne filters, groupby
and value_counts; index merges of groupby and set_index frames, empty lefts and rights;
sums), to_csv pandas' bytes, for 1, 2 and 3 threads and 1 kB blocks; the errors (an
indicator's name that is a column, left_index with right_on, ...) at the script's line,
exit 1, nothing written; a plain merge read by a sum stays pushed into the scan, one with
indicator or on an index is not.

As in test_merge.py, pandas' rows are put in cdask's documented order (inner and left: the
left's rows in order, each with its matches in the right's; right: the same from the
right; outer: by key, missing last) and a column the merge may leave missing is float64
when int64 (cdask fixes types when compiling); an index that may be missing (left_on with
right_index, how right or outer) likewise."""

import os
import random
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_dataframe as td  # noqa: E402

R = tl.Results()
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

NAMES = ["Zoé", "Ana", "Bob", "a,b", "日本", " pad "]


def make_side(rng, n, right, keys):
    lines = ["k,s,%s,v" % ("b" if right else "a")]
    for i in range(n):
        k = "" if rng.random() < 0.1 or i == 1 else str(rng.randint(1, keys))
        s = "" if rng.random() < 0.1 else rng.choice(NAMES)
        s = td.quote(s) if "," in s else s
        lines.append("%s,%s,%d,%.3f" % (k, s, rng.randint(-50, 50), rng.uniform(-9, 9)))
    return "\n".join(lines) + "\n"


def order(m, how, lk, rk):
    """m (with __l and __r, the sides' row numbers) in cdask's row order, those dropped"""
    if how in ("inner", "left"):
        m = m.sort_values(["__l", "__r"], kind="stable", na_position="last")
    elif how == "right":
        m = m.sort_values(["__r", "__l"], kind="stable", na_position="last")
    else:
        m = m.assign(__s=np.where(m["__l"].notna(), lk, rk))
        m["__s"] = m["__s"].where(pd.notna(m["__s"]), None)
        m = m.sort_values(["__s", "__l", "__r"], kind="stable", na_position="last")
    return m[[c for c in m.columns if not c.startswith("__")]]


def floats(m, cols):
    for c in cols:
        if c in m.columns and m[c].dtype == np.int64:
            m[c] = m[c].astype(np.float64)
    return m


def miss_cols(how, lcols, rcols):
    return ((lcols if how in ("right", "outer") else []) +
            (rcols if how in ("left", "outer") else []))


def on_merge(l, r, how, on, ind=True):
    """pandas' merge on a column with indicator, in cdask's order"""
    L = l.reset_index(drop=True).assign(__l=np.arange(len(l)), __lk=l[on].values)
    Rt = r.reset_index(drop=True).assign(__r=np.arange(len(r)), __rk=r[on].values)
    m = pd.merge(L, Rt, on=on, how=how, indicator=ind)
    m = order(m, how, m["__lk"], m["__rk"]).reset_index(drop=True)
    sx = lambda c: c + "_x" if c in r.columns and c != on else c  # noqa: E731
    sy = lambda c: c + "_y" if c in l.columns and c != on else c  # noqa: E731
    return floats(m, miss_cols(how, [sx(c) for c in l.columns if c != on],
                               [sy(c) for c in r.columns if c != on]))


def right_index(l, g, how, key, ind=False):
    """l merged with g on left_on = key, right_index, in cdask's order"""
    L = l.assign(__l=np.arange(len(l)))
    G = g.assign(__r=np.arange(len(g)), __rk=g.index.values)
    m = pd.merge(L, G, left_on=key, right_index=True, how=how, indicator=ind)
    m = order(m, how, m[key] if how != "outer" else m[key], m["__rk"])
    if how in ("right", "outer") and m.index.dtype == np.int64:
        m.index = m.index.astype(np.float64)
    sx = lambda c: c + "_x" if c in g.columns else c  # noqa: E731
    sy = lambda c: c + "_y" if c in l.columns else c  # noqa: E731
    return floats(m, miss_cols(how, [sx(c) for c in l.columns if c != key],
                               [sy(c) for c in g.columns]))


def both_index(li, g, how, ind=False, sfx=("_x", "_y")):
    """li merged with g on both indexes, in cdask's order"""
    L = li.assign(__l=np.arange(len(li)), __lk=li.index.values)
    G = g.assign(__r=np.arange(len(g)), __rk=g.index.values)
    m = pd.merge(L, G, left_index=True, right_index=True, how=how, indicator=ind, suffixes=sfx)
    m = order(m, how, m["__lk"], m["__rk"])
    sx = lambda c: c + sfx[0] if c in g.columns else c  # noqa: E731
    sy = lambda c: c + sfx[1] if c in li.columns else c  # noqa: E731
    return floats(m, miss_cols(how, [sx(c) for c in li.columns], [sy(c) for c in g.columns]))


def dask_set_index(df, c):
    """set_index as cdask (and Dask) make it: sorted by the index (stable, missing last)"""
    return df.set_index(c).sort_index(kind="stable", na_position="last")


def gbk(r):
    return r.groupby("k").agg({"b": "sum", "v": "max"})


def vc(s):
    """value_counts as cdask names it (pandas 2's names: count, the index the Series')"""
    return s.value_counts().rename("count").rename_axis(s.name)


def ind_frame(l, r):
    return on_merge(l, r, "outer", "k")


HOWS = ["inner", "left", "right", "outer"]
GB = 'r:groupby("k"):agg{v = "max", b = "sum"}'
CASES = []
for h in HOWS:
    CASES += [
        ("ind_k_" + h, 'l:merge(r, {on = "k", how = "%s", indicator = true})' % h,
         lambda l, r, h=h: on_merge(l, r, h, "k")),
        ("ind_s_" + h, 'dd.merge(l, r, {on = "s", how = "%s", indicator = "src"})' % h,
         lambda l, r, h=h: on_merge(l, r, h, "s", "src")),
        ("ri_k_" + h, 'l:merge(%s, {left_on = "k", right_index = true, how = "%s"})' % (GB, h),
         lambda l, r, h=h: right_index(l, gbk(r), h, "k")),
        ("ri_s_" + h, 'l:merge(r:groupby("s"):agg{b = "max"}, {left_on = "s", right_index = '
                      'true, how = "%s", indicator = true})' % h,
         lambda l, r, h=h: right_index(l, r.groupby("s").agg({"b": "max"}), h, "s", True)),
        ("bi_k_" + h, 'l:set_index("k"):merge(%s, {left_index = true, right_index = true, '
                      'how = "%s"})' % (GB, h),
         lambda l, r, h=h: both_index(dask_set_index(l, "k"), gbk(r), h)),
        ("bi_s_" + h, 'l[{"s", "a"}]:set_index("s"):merge(r:groupby("s"):agg{v = "min"}, '
                      '{left_index = true, right_index = true, how = "%s", indicator = "i"})' % h,
         lambda l, r, h=h: both_index(dask_set_index(l[["s", "a"]], "s"),
                                      r.groupby("s").agg({"v": "min"}), h, "i")),
        ("bi_ab_" + h, 'l:set_index("a"):merge(r:set_index("b"), {left_index = true, '
                       'right_index = true, how = "%s", suffixes = {"_l", "_r"}})' % h,
         lambda l, r, h=h: both_index(dask_set_index(l, "a"), dask_set_index(r, "b"), h,
                                      sfx=("_l", "_r"))),
        ("bi_gb_" + h, 'l:groupby("a"):agg{v = "max"}:merge(r:groupby("b"):agg{v = "min"}, '
                       '{left_index = true, right_index = true, how = "%s"})' % h,
         lambda l, r, h=h: both_index(l.groupby("a").agg({"v": "max"}),
                                      r.groupby("b").agg({"v": "min"}), h)),
    ]
CASES += [
    ("ind_col", 'l:merge(r, {on = "k", how = "outer", indicator = true})._merge',
     lambda l, r: ind_frame(l, r)._merge),
    ("ind_eq", '(function(m) return m[m._merge:eq("both")] end)(l:merge(r, {on = "k", how = '
               '"outer", indicator = true}))',
     lambda l, r: (lambda m: m[m._merge == "both"])(ind_frame(l, r))),
    ("ind_ne", '(function(m) return m[m._merge:ne("left_only")].a end)(l:merge(r, {on = "k", '
               'how = "outer", indicator = true}))',
     lambda l, r: (lambda m: m[m._merge != "left_only"].a)(ind_frame(l, r))),
    ("ind_gb", 'l:merge(r, {on = "k", how = "outer", indicator = true}):groupby("_merge")'
               ':agg{a = "sum", v_y = "max"}',
     lambda l, r: ind_frame(l, r).groupby("_merge").agg({"a": "sum", "v_y": "max"})),
    ("ind_vc", 'l:merge(r, {on = "s", how = "outer", indicator = true})._merge:value_counts()',
     lambda l, r: vc(on_merge(l, r, "outer", "s")._merge)),
    ("ind_vc_in", 'l:merge(r, {on = "k", indicator = "w"}).w:value_counts()',
     lambda l, r: vc(on_merge(l, r, "inner", "k", "w").w)),
    ("ind_empty", 'l:merge(r:loc(r.v:gt(100)), {on = "k", how = "outer", indicator = true})',
     lambda l, r: on_merge(l, r[r.v > 100], "outer", "k")),
    ("ri_empty", 'l:merge(r:loc(r.v:gt(100)):groupby("k"):agg{b = "sum"}, {left_on = "k", '
                 'right_index = true, how = "left", indicator = true})',
     lambda l, r: right_index(l, r[r.v > 100].groupby("k").agg({"b": "sum"}), "left", "k",
                              True)),
    ("ri_empty_left", 'l:loc(l.a:gt(1000)):merge(%s, {left_on = "k", right_index = true, '
                      'how = "right", indicator = true})' % GB,
     lambda l, r: right_index(l[l.a > 1000], gbk(r), "right", "k", True)),
    ("bi_empty_left", 'l:loc(l.a:gt(1000)):set_index("k"):merge(%s, {left_index = true, '
                      'right_index = true, how = "outer"})' % GB,
     lambda l, r: both_index(dask_set_index(l[l.a > 1000], "k"), gbk(r), "outer")),
    ("ind_sum", 'dd.merge(l, r, {on = "k", how = "left", indicator = true}).v_y:sum()',
     lambda l, r: on_merge(l, r, "left", "k").v_y.sum()),
    ("ri_sum", 'l:merge(%s, {left_on = "k", right_index = true}).b:sum()' % GB,
     lambda l, r: right_index(l, gbk(r), "inner", "k").b.sum()),
    ("ri_filtered", 'l:loc(l.a:gt(0)):merge(%s, {left_on = "k", right_index = true})' % GB,
     lambda l, r: right_index(l[l.a > 0], gbk(r), "inner", "k")),
]
CSV = [('l:merge(%s, {left_on = "k", right_index = true, how = "outer", indicator = true})'
        % GB, lambda l, r: right_index(l, gbk(r), "outer", "k", True)),
       ('l:merge(r, {on = "s", how = "right", indicator = true})',
        lambda l, r: on_merge(l, r, "right", "s"))]


def script(pairs):
    lines = ['local dd = require("cdask.dataframe")']
    for sfx, opts in pairs:
        lines += ["do", 'local l = dd.read_csv("l.csv"%s)' % opts,
                  'local r = dd.read_csv("r.csv"%s)' % opts]
        lines += ['dd.print(%s, "%s%s")' % (e, lab, sfx) for lab, e, _ in CASES]
        lines += ['dd.to_csv(%s, "out%s_%d.csv")' % (e, sfx, i) for i, (e, _) in enumerate(CSV)]
        lines.append("end")
    return "\n".join(lines) + "\n"


def check(name, ltext, rtext):
    d = tl.tempdir("merge_index_" + name)
    try:
        tl.write(os.path.join(d, "l.csv"), ltext)
        tl.write(os.path.join(d, "r.csv"), rtext)
        l, r = pd.read_csv(os.path.join(d, "l.csv")), pd.read_csv(os.path.join(d, "r.csv"))
        pairs = [("", ""), ("_1k", ", {blocksize = 1024}")]
        exe, res = tl.build_program(script(pairs), d)
        if not R.check(exe is not None, name + ": compiles", tl.short(res.stderr)):
            return
        outs = []
        for threads in ["1", "2", "3"]:
            p = tl.run([exe, "--threads", threads, "--out", d], cwd=d,
                       env=dict(os.environ, OMP_NUM_THREADS=threads))
            if not R.check(p.returncode == 0, "%s: runs (%s threads)" % (name, threads),
                           tl.short(p.stderr)):
                return
            csvs = {}
            for s, _ in pairs:
                for i in range(len(CSV)):
                    with open(os.path.join(d, "out%s_%d.csv" % (s, i))) as f:
                        csvs[s, i] = f.read()
            outs.append((p.stdout, csvs))
        R.check(all(o == outs[0] for o in outs), name + ": the same output for 1, 2, 3 threads")
        got = td.sections(outs[0][0], {c[0] + s for c in CASES for s, _ in pairs})
        for sfx, _ in pairs:
            bad = []
            for label, _, fn in CASES:
                want = repr(fn(l, r))
                if got.get(label + sfx) != want:
                    bad.append("%s:\n--- got\n%s\n--- pandas\n%s" % (label, got.get(label + sfx),
                                                                     want))
            R.check(not bad, "%s%s: %d merges print as pandas" % (name, sfx, len(CASES)),
                    "\n".join(bad[:2]) + ("\n(%d more)" % (len(bad) - 2) if len(bad) > 2 else ""))
            for i, (_, fn) in enumerate(CSV):
                want = fn(l, r).to_csv()
                R.check(outs[0][1][sfx, i] == want, "%s%s: to_csv %d is pandas'" % (name, sfx, i),
                        "got\n%s\nwant\n%s" % (tl.short(outs[0][1][sfx, i]), tl.short(want)))
    finally:
        tl.rmtree(d)


GBR = 'r:groupby("k"):agg{v = "max"}'
ERRORS = [
    ('l:merge(r, {on = "k", indicator = "a"})',
     "merge: ValueError: Cannot use name of an existing column for indicator column ('a')"),
    ('l:merge(r, {on = "k", indicator = "b"})',
     "merge: ValueError: Cannot use name of an existing column for indicator column ('b')"),
    ('l:merge(r, {on = "k", indicator = 1})',
     "merge: indicator must be true, false or a column name, not number"),
    ('l:merge(r, {left_index = true, right_on = "k"})',
     "merge: left_index with right_on is not supported (pandas 1.5 makes the left's index a "
     "column and the result's index the right's keys); use left_on with right_index, or both "
     "indexes"),
    ('l:merge(%s, {on = "k", right_index = true})' % GBR,
     'merge: MergeError: Can only pass argument "on" OR "left_index" and "right_index", not a '
     'combination of both.'),
    ('l:merge(%s, {right_index = true})' % GBR,
     'merge: MergeError: Must pass "left_on" OR "left_index".'),
    ('l:merge(%s, {left_on = {"k", "s"}, right_index = true})' % GBR,
     'merge: ValueError: len(left_on) must equal the number of levels in the index of "right" '
     '(2 and 1)'),
    ('l:merge(%s, {left_on = "s", right_index = true})' % GBR,
     "merge: the key 's' is object on the left and the right's index float64 on the right: keys "
     "must have one type (astype one of them)"),
    ('l:set_index("s"):merge(%s, {left_index = true, right_index = true})' % GBR,
     "merge: the left's index is object and the right's index float64: keys must have one "
     "type (astype one of them)"),
    ('l:merge(%s, {left_on = "k", right_index = "yes"})' % GBR,
     "merge: right_index must be true or false, not string"),
    ('l:merge(%s, {on = "k"})' % GBR,
     "merge: 'k' is the right frame's index, not a column (merge on it with right_index = "
     "true)"),
]


def check_errors(ltext, rtext):
    for i, (body, msg) in enumerate(ERRORS):
        d = tl.tempdir("merge_index_err")
        try:
            tl.write(os.path.join(d, "l.csv"), ltext)
            tl.write(os.path.join(d, "r.csv"), rtext)
            text = ('local dd = require("cdask.dataframe")\n'
                    'local l = dd.read_csv("l.csv")\nlocal r = dd.read_csv("r.csv")\n'
                    'dd.to_csv(l, "x.csv")\nlocal m = %s\ndd.print(m, "m")\n' % body)
            exe, res = tl.build_program(text, d)
            want = "prog.lua:5: error: " + msg
            left = sorted(os.listdir(d))
            R.check(exe is None and res.returncode == 1 and tl.first_line(res.stderr) == want and
                    left == ["l.csv", "prog.lua", "r.csv"], "error %d: %s" % (i, body),
                    "exit %s, files %s, stderr %r, want %r" % (res.returncode, left, res.stderr,
                                                              want))
        finally:
            tl.rmtree(d)


def check_pushed(ltext, rtext):
    """A merge read only by a sum stays pushed into the left's scan; with indicator or on
    an index it is made as a frame"""
    d = tl.tempdir("merge_index_push")
    try:
        tl.write(os.path.join(d, "l.csv"), ltext)
        tl.write(os.path.join(d, "r.csv"), rtext)
        tl.write(os.path.join(d, "p.lua"), 'local dd = require("cdask.dataframe")\n'
                 'local l, r = dd.read_csv("l.csv"), dd.read_csv("r.csv")\n'
                 'dd.print(l:merge(r, {on = "k", how = "left"}).v_y:sum(), "a")\n'
                 'dd.print(l:merge(r, {on = "s", indicator = true}).v_y:sum(), "b")\n'
                 'dd.print(l:merge(r:groupby("k"):agg{v = "max"}, {left_on = "k", '
                 'right_index = true}).v_y:sum(), "c")\n')
        res = tl.cdaskc(["p.lua", "--emit-c", "p.c"], cwd=d)
        text = open(os.path.join(d, "p.c")).read() if res.returncode == 0 else ""
        pushed = [ln for ln in text.splitlines() if "pushed into this scan" in ln]
        R.check(len(pushed) == 1 and "p.lua:3:" in pushed[0],
                "pushed: the plain merge only (not indicator, not right_index)",
                "exit %d %s; %r" % (res.returncode, tl.short(res.stderr), pushed))
    finally:
        tl.rmtree(d)


def main():
    rng = random.Random(7131)
    few = (make_side(rng, 13, False, 6), make_side(rng, 9, True, 7))
    check("few", *few)
    check("many", make_side(rng, 900, False, 40), make_side(rng, 500, True, 45))
    check_errors(*few)
    check_pushed(*few)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
