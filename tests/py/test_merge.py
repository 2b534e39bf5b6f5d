#!/usr/bin/python3
"""dd.merge and df:merge (issue 15) against pandas (Debian's python3-pandas) as the oracle,
on generated CSV pairs with missing values, duplicate keys on both sides (many-to-many),
unicode string keys, float keys (NaN, -0.0 and 0.0), datetime keys (NaT), a side of one
row, a side of zero rows (a filter that keeps nothing: read_csv refuses a header-only file)
and empty results:
- cross merges (every pair of rows, suffixes, an empty side); sort = true (inner, left and
  right; int, float, string with missing and datetime keys) as pandas' sort=True;
- inner, left, right and outer merges on an int, a string, a float and a datetime key, on
  two keys, on left_on/right_on of other names, on the common columns (no on), with
  suffixes, of filtered frames, of groupby results, chained (sort_values, head, a column,
  a merge of a merge); the text of each dd.print is exactly pandas' repr and to_csv is
  pandas' to_csv byte for byte; reductions of a merge's columns (sum, mean, count, max,
  std) within 1e-12;
- the same output for 1 and 3 threads and for blocks of 1 kB;
- errors at the script's line (a key neither side has, an unknown how, keys of two types,
  no common column, on with left_on, a Series, an index level, an unknown option, an
  unknown validate): exit 1, nothing written;
- validate ("1:1", "1:m", "m:1", "m:m" and their long names; one and two keys, NaN keys):
  pandas' MergeError as exit 3 naming the merge's line, nothing written, or the merge.

The oracle is pandas 1.5.3 (Debian's); cdask follows pandas 2.2's documented row order
(inner and left: the left's rows in order, each with its matches in the right's order;
right: the same from the right; outer: the keys sorted, missing keys last), so the test
numbers both sides' rows before pandas merges and sorts its result into that order. It
also applies cdask's two documented compile-time rules (docs/dataframes.md, "merge"): a
column the merge may leave missing is float64 when it is int64 (object when bool) even if
every row matched, and the key columns keep their place when the left frame is empty."""

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

NAMES = ["Zoé", "naïve", "Ana", "Bob", "a,b", "日本", "Stade_de_Rennes", " padded ", "Ana"]


def field(rng, values, missing=0.1):
    if rng.random() < missing:
        return rng.choice(["", "NA"])
    v = rng.choice(values)
    return td.quote(v) if isinstance(v, str) and "," in v else str(v)


def make_side(rng, n, right, keys):
    head = ["rid"] if right else []
    head += ["id", "name", "y" if right else "x", "flag", "n", "day", "fk"]
    lines = [",".join(head)]
    for _ in range(n):
        row = [str(rng.randint(1, keys))] if right else []
        row.append(str(rng.randint(1, keys)))
        row.append(field(rng, NAMES))
        row.append(field(rng, ["%.3f" % rng.uniform(-100, 100) for _ in range(3)]))
        row.append(rng.choice(["True", "False"]))
        row.append(str(rng.randint(-50, 50)))
        row.append(field(rng, ["2021-09-%02d" % d for d in range(1, 6)]))
        row.append(field(rng, ["1.5", "-0.0", "0.0", "2.25"]))
        lines.append(",".join(row))
    return "\n".join(lines) + "\n"


def pd_merge(left, right, how="inner", on=None, left_on=None, right_on=None,
             suffixes=("_x", "_y")):
    """pandas' merge in pandas 2.2's row order and cdask's compile-time dtypes."""
    L, Rt = left.reset_index(drop=True).copy(), right.reset_index(drop=True).copy()
    if on is None and left_on is None:
        on = [c for c in L.columns if c in Rt.columns]
    if on is not None:
        lon = ron = [on] if isinstance(on, str) else list(on)
    else:
        lon = [left_on] if isinstance(left_on, str) else list(left_on)
        ron = [right_on] if isinstance(right_on, str) else list(right_on)
    shared = {a for a, b in zip(lon, ron) if a == b}
    lcols, rcols = list(L.columns), [c for c in Rt.columns if c not in shared]
    L["__l"], Rt["__r"] = np.arange(len(L)), np.arange(len(Rt))
    for i, (a, b) in enumerate(zip(lon, ron)):
        L["__k%d" % i], Rt["__j%d" % i] = L[a], Rt[b]
    m = pd.merge(L, Rt, how=how, on=on, left_on=None if on is not None else left_on,
                 right_on=None if on is not None else right_on, suffixes=suffixes)
    if how in ("inner", "left"):
        by = ["__l", "__r"]
    elif how == "right":
        by = ["__r", "__l"]
    else:
        by = []
        for i in range(len(lon)):
            m["__s%d" % i] = m["__k%d" % i].where(m["__l"].notna(), m["__j%d" % i])
            by.append("__s%d" % i)
        by += ["__l", "__r"]
    m = m.sort_values(by, kind="stable", na_position="last")
    m = m[[c for c in m.columns if not c.startswith("__")]].reset_index(drop=True)

    def out_name(c, side):
        both = c in lcols and c in rcols and c not in shared
        return c + suffixes[side] if both else c

    # cdask's types: a column the merge may leave missing is float64 (object for bools)
    miss = []
    if how in ("right", "outer"):
        miss += [out_name(c, 0) for c in lcols if c not in shared]
    if how in ("left", "outer"):
        miss += [out_name(c, 1) for c in rcols]
    for c in miss:
        if m[c].dtype == np.int64:
            m[c] = m[c].astype(np.float64)
        elif m[c].dtype == bool:
            m[c] = m[c].astype(object)
    if len(L) == 0:  # pandas moves the key columns when the left is empty; cdask does not
        m = m[[out_name(c, 0) for c in lcols] + [out_name(c, 1) for c in rcols]]
    return m


def gb(df, col, agg):
    return df.groupby("id", as_index=False).agg({col: agg})


# (label, the Lua expression, pandas' value from the frames l and r)
CASES = [
    ("inner_id", 'dd.merge(l, r, {on = "id"})', lambda l, r: pd_merge(l, r, on="id")),
    ("left_id", 'l:merge(r, {on = "id", how = "left"})',
     lambda l, r: pd_merge(l, r, "left", on="id")),
    ("right_id", 'dd.merge(l, r, {on = "id", how = "right"})',
     lambda l, r: pd_merge(l, r, "right", on="id")),
    ("outer_id", 'dd.merge(l, r, {on = "id", how = "outer"})',
     lambda l, r: pd_merge(l, r, "outer", on="id")),
    ("inner_name", 'dd.merge(l, r, {on = "name"})', lambda l, r: pd_merge(l, r, on="name")),
    ("left_name", 'dd.merge(l, r, {on = "name", how = "left"})',
     lambda l, r: pd_merge(l, r, "left", on="name")),
    ("right_name", 'dd.merge(l, r, {on = "name", how = "right"})',
     lambda l, r: pd_merge(l, r, "right", on="name")),
    ("outer_name", 'dd.merge(l, r, {on = "name", how = "outer"})',
     lambda l, r: pd_merge(l, r, "outer", on="name")),
    ("inner_two", 'dd.merge(l, r, {on = {"id", "name"}})',
     lambda l, r: pd_merge(l, r, on=["id", "name"])),
    ("outer_two", 'dd.merge(l, r, {on = {"name", "id"}, how = "outer"})',
     lambda l, r: pd_merge(l, r, "outer", on=["name", "id"])),
    ("left_rid", 'dd.merge(l, r, {left_on = "id", right_on = "rid", how = "left"})',
     lambda l, r: pd_merge(l, r, "left", left_on="id", right_on="rid")),
    ("outer_rid", 'dd.merge(l, r, {left_on = {"id"}, right_on = {"rid"}, how = "outer"})',
     lambda l, r: pd_merge(l, r, "outer", left_on="id", right_on="rid")),
    ("right_rid", 'dd.merge(l[{"id", "x"}], r[{"rid", "y"}], {left_on = "id", right_on = "rid", '
                  'how = "right"})',
     lambda l, r: pd_merge(l[["id", "x"]], r[["rid", "y"]], "right", left_on="id",
                           right_on="rid")),
    ("inner_fk", 'dd.merge(l[{"fk", "x"}], r[{"fk", "y"}], {on = "fk"})',
     lambda l, r: pd_merge(l[["fk", "x"]], r[["fk", "y"]], on="fk")),
    ("outer_fk", 'dd.merge(l[{"fk", "n"}], r[{"fk", "n", "flag"}], {on = "fk", how = "outer"})',
     lambda l, r: pd_merge(l[["fk", "n"]], r[["fk", "n", "flag"]], "outer", on="fk")),
    ("inner_day", 'dd.merge(l[{"day", "id"}], r[{"day", "y"}], {on = "day"})',
     lambda l, r: pd_merge(l[["day", "id"]], r[["day", "y"]], on="day")),
    ("outer_day", 'dd.merge(l[{"day", "id"}], r[{"day", "y"}], {on = "day", how = "outer"})',
     lambda l, r: pd_merge(l[["day", "id"]], r[["day", "y"]], "outer", on="day")),
    ("common", 'dd.merge(l[{"id", "x"}], r[{"y", "id"}])',
     lambda l, r: pd_merge(l[["id", "x"]], r[["y", "id"]])),
    ("suffixes", 'l:merge(r, {on = "id", how = "left", suffixes = {"_l", "_r"}})',
     lambda l, r: pd_merge(l, r, "left", on="id", suffixes=("_l", "_r"))),
    ("filtered", 'dd.merge(l:loc(l.x:gt(0), {"id", "x", "name"}), r[{"id", "y"}], '
                 '{how = "left"})',
     lambda l, r: pd_merge(l.loc[l.x > 0, ["id", "x", "name"]], r[["id", "y"]], "left")),
    ("groupbys", 'dd.merge(l:groupby("id", {as_index = false}):agg{x = "sum"}, '
                 'r:groupby("id", {as_index = false}):agg{y = "mean"}, {how = "outer"})',
     lambda l, r: pd_merge(gb(l, "x", "sum"), gb(r, "y", "mean"), "outer")),
    ("sorted", 'dd.merge(l, r, {on = "id"}):sort_values({"x", "y"}):head(7)',
     lambda l, r: pd_merge(l, r, on="id").sort_values(["x", "y"], kind="stable").head(7)),
    ("column", 'dd.merge(l, r, {on = "name", how = "outer"}).y',
     lambda l, r: pd_merge(l, r, "outer", on="name").y),
    ("twice", 'dd.merge(dd.merge(l[{"id", "x"}], r[{"id", "y"}]), r[{"rid", "n"}], '
              '{left_on = "id", right_on = "rid", how = "left"})',
     lambda l, r: pd_merge(pd_merge(l[["id", "x"]], r[["id", "y"]]), r[["rid", "n"]], "left",
                           left_on="id", right_on="rid")),
    ("proj_columns", 'dd.merge(l:loc(l.n:ge(-100)), r:loc(r.n:ge(-100)), {left_on = "id", '
                     'right_on = "rid", how = "right"})[{"y", "name_y", "x"}]',
     lambda l, r: pd_merge(l.loc[l.n >= -100], r.loc[r.n >= -100], "right", left_on="id",
                           right_on="rid")[["y", "name_y", "x"]]),
    ("cross", 'dd.merge(l:loc(l.n:gt(40))[{"id", "x", "name"}], r:loc(r.n:gt(40))[{"id", "y"}], '
              '{how = "cross"})',
     lambda l, r: pd.merge(l.loc[l.n > 40][["id", "x", "name"]], r.loc[r.n > 40][["id", "y"]],
                           how="cross")),
    ("cross_sfx", 'l:loc(l.n:lt(-40))[{"name", "day", "flag"}]:merge(r:loc(r.n:lt(-40))'
                  '[{"name", "flag"}], {how = "cross", suffixes = {"_a", "_b"}})',
     lambda l, r: pd.merge(l.loc[l.n < -40][["name", "day", "flag"]],
                           r.loc[r.n < -40][["name", "flag"]], how="cross",
                           suffixes=("_a", "_b"))),
    ("sort_inner", 'dd.merge(l[{"id", "x", "name"}], r[{"id", "y"}], {on = "id", sort = true})',
     lambda l, r: pd.merge(l[["id", "x", "name"]], r[["id", "y"]], on="id", sort=True)),
    ("sort_name", 'dd.merge(l[{"name", "x"}], r[{"name", "y", "n"}], {on = "name", sort = true})',
     lambda l, r: pd.merge(l[["name", "x"]], r[["name", "y", "n"]], on="name", sort=True)),
    ("sort_left", 'dd.merge(l[{"day", "id", "x"}], r[{"day", "id", "y"}], {on = {"day", "id"}, '
                  'how = "left", sort = true})',
     lambda l, r: pd.merge(l[["day", "id", "x"]], r[["day", "id", "y"]], on=["day", "id"],
                           how="left", sort=True)),
    ("sort_fk", 'dd.merge(l[{"fk", "x"}], r[{"fk", "y"}], {on = "fk", sort = true})',
     lambda l, r: pd.merge(l[["fk", "x"]], r[["fk", "y"]], on="fk", sort=True)),
    ("sort_right", 'dd.merge(l[{"name", "x"}], r[{"name", "y"}], {on = "name", how = "right", '
                   'sort = true})',
     lambda l, r: pd.merge(l[["name", "x"]], r[["name", "y"]], on="name", how="right",
                           sort=True)),
    ("cross_empty", 'dd.merge(l[{"id"}], r:loc(r.id:gt(100000))[{"y"}], {how = "cross"})',
     lambda l, r: pd.merge(l[["id"]], r.loc[r.id > 100000][["y"]], how="cross")),
    ("empty_right", 'dd.merge(l, r:loc(r.id:gt(100000)), {on = "id", how = "outer"})',
     lambda l, r: pd_merge(l, r.loc[r.id > 100000], "outer", on="id")),
    ("empty_inner", 'dd.merge(l, r:loc(r.id:gt(100000)), {on = "id"})',
     lambda l, r: pd_merge(l, r.loc[r.id > 100000], on="id")),
    ("empty_left", 'dd.merge(l:loc(l.id:lt(0)), r, {on = "id", how = "right"})',
     lambda l, r: pd_merge(l.loc[l.id < 0], r, "right", on="id")),
    ("empty_left_outer", 'dd.merge(l:loc(l.id:lt(0)), r[{"id", "name"}], {on = "name", '
                         'how = "outer"})',
     lambda l, r: pd_merge(l.loc[l.id < 0], r[["id", "name"]], "outer", on="name")),
]
# Reductions of a merge's columns (computed Series): (label, Lua, pandas), within 1e-12
NUMS = [
    ("sum_y", 'dd.merge(l, r, {on = "id", how = "left"}).y:sum()',
     lambda l, r: pd_merge(l, r, "left", on="id").y.sum()),
    ("mean_n", 'dd.merge(l, r, {on = "name", how = "outer"}).n_x:mean()',
     lambda l, r: pd_merge(l, r, "outer", on="name").n_x.mean()),
    ("count_x", 'dd.merge(l, r, {on = "id"}).x:count()',
     lambda l, r: pd_merge(l, r, on="id").x.count()),
    ("max_n", 'dd.merge(l, r, {on = "id"}).n_y:max()',
     lambda l, r: pd_merge(l, r, on="id").n_y.max()),
    ("std_y", 'dd.merge(l, r, {on = "id"}).y:std()', lambda l, r: pd_merge(l, r, on="id").y.std()),
    # frames read by these merges only: the scans keep only the columns the merges read
    ("proj_x", 'dd.merge(l:loc(l.n:gt(-100)), r:loc(r.n:gt(-100)), {on = "name", how = '
               '"outer"}).x:sum()',
     lambda l, r: pd_merge(l.loc[l.n > -100], r.loc[r.n > -100], "outer", on="name").x.sum()),
    ("proj_self", '(function(s) return dd.merge(s, s, {on = "id"}).x_y:sum() end)('
                  'l:loc(l.n:lt(100)))',
     lambda l, r: pd_merge(l.loc[l.n < 100], l.loc[l.n < 100], on="id").x_y.sum()),
    ("cross_sum", 'dd.merge(l[{"x"}], r:loc(r.n:gt(30))[{"y"}], {how = "cross"}).y:sum()',
     lambda l, r: pd.merge(l[["x"]], r.loc[r.n > 30][["y"]], how="cross").y.sum()),
]
CSV_CASE = ('dd.merge(l, r, {on = "name", how = "outer"})',
            lambda l, r: pd_merge(l, r, "outer", on="name"))


def script(pairs):
    """One program for every pair (label suffix, left file, right file, read_csv's extra
    options): the cases over each pair, and its to_csv into out<suffix>.csv."""
    lines = ['local dd = require("cdask.dataframe")']
    for sfx, lfile, rfile, opts in pairs:
        lines += ["do",
                  'local l = dd.read_csv("%s", {parse_dates = {"day"}%s})' % (lfile, opts),
                  'local r = dd.read_csv("%s", {parse_dates = {"day"}%s})' % (rfile, opts)]
        for label, expr, _ in CASES + NUMS:
            lines.append('dd.print(%s, "%s%s")' % (expr, label, sfx))
        lines += ['dd.to_csv(%s, "out%s.csv")' % (CSV_CASE[0], sfx), "end"]
    return "\n".join(lines) + "\n"


def check_files(name, files, pairs):
    """Writes files (name -> text), compiles script(pairs) once, runs it with 1 and 3
    threads (the same output) and compares each pair's outputs with pandas'. Pairs with
    the same files (other block sizes) must print the same."""
    d = tl.tempdir("merge_" + name)
    try:
        for f, text in files.items():
            tl.write(os.path.join(d, f), text)
        frames = {f: pd.read_csv(os.path.join(d, f), parse_dates=["day"]) for f in files}
        exe, r = tl.build_program(script(pairs), d)
        if not R.check(exe is not None, name + ": compiles", tl.short(r.stderr)):
            return
        outs = []
        for threads in ["1", "3"]:
            p = tl.run([exe, "--threads", threads, "--out", d], cwd=d,
                       env=dict(os.environ, OMP_NUM_THREADS=threads))
            if not R.check(p.returncode == 0, "%s: runs (%s threads)" % (name, threads),
                           tl.short(p.stderr)):
                return
            outs.append(p.stdout + "".join(open(os.path.join(d, "out%s.csv" % s)).read()
                                           for s, _, _, _ in pairs))
        R.check(outs[0] == outs[1], name + ": the same output for 1 and 3 threads")
        got = td.sections(p.stdout, {c[0] + s for c in CASES + NUMS for s, _, _, _ in pairs})
        for sfx, lfile, rfile, _ in pairs:
            left, right = frames[lfile], frames[rfile]
            bad = []
            for label, _, fn in CASES:
                want = repr(fn(left, right))
                if got.get(label + sfx) != want:
                    bad.append("%s:\n--- got\n%s\n--- pandas\n%s" % (label, got.get(label + sfx),
                                                                     want))
            for label, _, fn in NUMS:
                want = fn(left, right)
                if not td.close(got.get(label + sfx) or "", want):
                    bad.append("%s: got %s, pandas %r" % (label, got.get(label + sfx), want))
            R.check(not bad, "%s%s: %d merges print as pandas" % (name, sfx,
                                                                  len(CASES) + len(NUMS)),
                    "\n".join(bad[:2]) + ("\n(%d more)" % (len(bad) - 2) if len(bad) > 2 else ""))
            want_csv = CSV_CASE[1](left, right).to_csv()
            with open(os.path.join(d, "out%s.csv" % sfx)) as f:
                got_csv = f.read()
            R.check(got_csv == want_csv, name + sfx + ": to_csv is pandas' to_csv",
                    "got\n%s\nwant\n%s" % (tl.short(got_csv), tl.short(want_csv)))
    finally:
        tl.rmtree(d)


# (the script's body after l and r are read, the message of its last line's error)
ERRORS = [
    ('dd.merge(l, r, {on = "nope"})',
     "merge: KeyError: 'nope' is not a column of the left frame (its columns: id, name, x, flag, "
     "n, day, fk)"),
    ('dd.merge(l, r, {left_on = "id", right_on = "zz"})',
     "merge: KeyError: 'zz' is not a column of the right frame (its columns: rid, id, name, y, "
     "flag, n, day, fk)"),
    ('l:merge(r, {on = "id", how = "full"})',
     "merge: how must be \"inner\", \"left\", \"right\", \"outer\" or \"cross\", not 'full'"),
    ('l:merge(r, {on = "id", how = "cross"})',
     "merge: how = \"cross\" takes no keys (pandas' MergeError: 'Can not pass on, right_on, "
     "left_on or set right_index=True or left_index=True')"),
    ('dd.merge(l, r, {left_on = "x", right_on = "id"})',
     "merge: the key 'x' is float64 on the left and 'id' int64 on the right: keys must have one "
     "type (astype one of them)"),
    ('dd.merge(l, r, {on = "day", left_on = "day"})',
     "merge: give on, or left_on and right_on, not both (pandas: 'Can only pass argument \"on\" "
     "OR \"left_on\" and \"right_on\"')"),
    ('dd.merge(l[{"x"}], r[{"y"}])',
     "merge: No common columns to perform merge on (left: x; right: y); give on, or left_on and "
     "right_on"),
    ('dd.merge(l.x, r)',
     "merge: the left is a Series; merge needs a DataFrame (select columns with df[{...}])"),
    ('dd.merge(l:groupby("id"):agg{x = "sum"}, r, {on = "id"})',
     "merge: 'id' is the left frame's index, not a column (merge on it with left_index = "
     "true)"),
    ('dd.merge(l, r, {on = "id", copy = true})',
     "merge: option 'copy' is not supported (on, left_on, right_on, left_index, right_index, "
     "how, suffixes, validate, sort, indicator)"),
    ('dd.merge(l, r, {on = "id", validate = "1:2"})',
     'merge: validate must be "1:1", "1:m", "m:1", "m:m", "one_to_one", "one_to_many", '
     '"many_to_one" or "many_to_many", not "1:2"'),
    ('dd.merge(l, r, {left_on = "id"})', "merge: left_on needs right_on too"),
]


def check_errors(ltext, rtext):
    for i, (body, msg) in enumerate(ERRORS):
        d = tl.tempdir("merge_err")
        try:
            tl.write(os.path.join(d, "left.csv"), ltext)
            tl.write(os.path.join(d, "right.csv"), rtext)
            text = ('local dd = require("cdask.dataframe")\n'
                    'local l = dd.read_csv("left.csv", {parse_dates = {"day"}})\n'
                    'local r = dd.read_csv("right.csv", {parse_dates = {"day"}})\n'
                    'dd.to_csv(l, "l.csv")\n'
                    'local m = %s\ndd.print(m, "m")\n' % body)
            exe, r = tl.build_program(text, d)
            want = "prog.lua:5: error: " + msg
            left = sorted(os.listdir(d))
            R.check(exe is None and r.returncode == 1 and tl.first_line(r.stderr) == want and
                    left == ["left.csv", "prog.lua", "right.csv"], "error %d: %s" % (i, body),
                    "exit %s, files %s, stderr %r, want %r" % (r.returncode, left, r.stderr, want))
        finally:
            tl.rmtree(d)


# validate: (left's keys, right's keys, validate); a key is "id" or "id,k"
VALIDATE = [
    ("1 2 3", "2 3 4", "1:1"), ("1 2 3", "2 2 3", "1:1"), ("1 1 2", "2 3 4", "one_to_one"),
    ("1 1 2", "2 2 3", "1:1"), ("1 1 2", "2 2 3", "1:m"), ("1 2 3", "2 2 3", "one_to_many"),
    ("1 1 2", "2 3 4", "m:1"), ("1 2 3", "2 2 3", "many_to_one"), ("1 1 2", "1 1 2", "m:m"),
    ("NaN NaN 1", "1.0 5.5 7", "1:m"), ("NaN 2 1", "NaN 5 7", "1:1"),
    ("1,a 1,b 2,a", "1,a 1,b", "1:1"), ("1,a 1,a 2,a", "1,b 1,c", "1:m"),
]


def check_validate():
    """validate = ...: pandas' MergeError (exit 3 at the merge's line, nothing written) or
    the merge's rows"""
    for i, (lk, rk, v) in enumerate(VALIDATE):
        d = tl.tempdir("merge_val")
        try:
            two = "," in lk
            head = "id,k" if two else "id"
            tl.write(os.path.join(d, "left.csv"), head + ",lv\n" + "".join(
                "%s,%d\n" % (k, j) for j, k in enumerate(lk.split())))
            tl.write(os.path.join(d, "right.csv"), head + ",rv\n" + "".join(
                "%s,%d\n" % (k, j) for j, k in enumerate(rk.split())))
            on = '{"id", "k"}' if two else '"id"'
            exe, r = tl.build_program(
                'local dd = require("cdask.dataframe")\n'
                'local l, r = dd.read_csv("left.csv"), dd.read_csv("right.csv")\n'
                'local m = dd.merge(l, r, {on = %s, validate = "%s"})\n'
                'dd.to_csv(m, "m.csv")\n' % (on, v), d)
            if not R.check(exe is not None, "validate %d: compiles" % i, tl.short(r.stderr)):
                continue
            out = os.path.join(d, "out")
            os.mkdir(out)
            p = tl.run([exe, "--out", out], cwd=d)
            left = pd.read_csv(os.path.join(d, "left.csv"))
            right = pd.read_csv(os.path.join(d, "right.csv"))
            try:
                want = pd.merge(left, right, on=["id", "k"] if two else "id", validate=v)
                with open(os.path.join(out, "m.csv")) as f:
                    got = f.read() if p.returncode == 0 else None
                R.check(p.returncode == 0 and got is not None and
                        len(got.splitlines()) == len(want) + 1,
                        "validate %d (%s; %s; %s): merges as pandas (%d rows)" %
                        (i, lk, rk, v, len(want)), "exit %d: %s" % (p.returncode, p.stderr))
            except pd.errors.MergeError as e:
                msg = "prog.lua:3: merge: %s" % e
                R.check(p.returncode == 3 and msg in p.stderr and os.listdir(out) == [],
                        "validate %d (%s; %s; %s): %s" % (i, lk, rk, v, e),
                        "exit %d, files %s, stderr %r" % (p.returncode, os.listdir(out),
                                                         p.stderr))
        finally:
            tl.rmtree(d)


def main():
    rng = random.Random(2215)
    few = (make_side(rng, 14, False, 6), make_side(rng, 11, True, 6))
    check_files("few", {"l.csv": few[0], "r.csv": few[1], "r1.csv": make_side(rng, 1, True, 6)},
                [("", "l.csv", "r.csv", ""), ("_one", "l.csv", "r1.csv", "")])
    check_files("many", {"l.csv": make_side(rng, 1500, False, 40),
                         "r.csv": make_side(rng, 700, True, 40)},
                [("", "l.csv", "r.csv", ""), ("_1k", "l.csv", "r.csv", ", blocksize = 1024")])
    check_errors(*few)
    check_validate()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
