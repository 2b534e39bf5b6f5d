#!/usr/bin/python3
"""A groupby's float sums, means, variances, standard deviations and correlations are made
from exact sums (runtime/xsum.c's cdrt_gx: a window of four limbs per group, or a whole
accumulator when the group's values lie far apart), so they are a function of each group's
values alone (issue 15: "bitwise identical for any thread count, block size and rank
count"). On a generated CSV file whose groups hold narrow decimals, values 2^90 apart
(1e15 beside 1e-12: spilled sums), cancelling ones, integers beyond 2^53, sums a tie away
from two doubles (2^53 + 1 + 2^-60), a constant and one value:
- each group's sum is math.fsum of its values (the correctly rounded sum), to the bit, and
  its mean fsum / n to the bit;
- var and std within 1e-13 relative of the exact variance (fractions.Fraction), corr within
  1e-12 of the exact r; a constant group's var and std exactly 0.0 and its corr NaN, a
  one-value group's var NaN (as pandas);
- for a column of narrow decimals, pandas' groupby agrees within 1e-12 relative;
- the same bytes for blocks of 1 kB, 7 kB and the default, for 1 and 3 threads, and for
  the groupby of the rows sorted by another column (a frame's groupby by sorting, in
  another row order: the same bits as the scan's).
corr of two int64 columns, and var and std of one, are made from exact integer sums instead
(cdrt_gcorri, cdrt_gvari): on int64
columns of small numbers, numbers of 2^31 to 2^40, numbers past 2^53 (read as doubles, as
pandas does), numbers near +-2^63 (their squares' sums carry past 128 bits) and of a bool
column, r is within 1e-12 of the exact r of the values as doubles, within 1e-12 of pandas'
for the small ones, NaN for a constant or a single value, var and std within 1e-13 of the
exact ones, and all the same bits as the groupby by sorting (the exact float sums), for
any blocks and threads."""

import csv
import io
import math
import os
import random
import sys
from fractions import Fraction

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

AGGS = ["sum", "mean", "var", "std"]


def wide(rng):
    r = rng.random()
    if r < 0.15:
        return rng.choice([-1, 1]) * rng.uniform(1, 9) * 1e15
    if r < 0.3:
        return rng.uniform(-1, 1) * 1e-12
    if r < 0.4:
        return float(rng.randrange(-2**60, 2**60))  # beyond 2^53: rounded integers
    return round(rng.uniform(-1000, 1000), 6)


def make_csv(rng, n):
    """k: 40 groups, plus "const" (z and u always 0.1) and "one" (a single row); z: values
    of every spread; u: decimals in [-100, 100); y: another column for corr"""
    rows = []
    for _ in range(n):
        k = "g%d" % rng.randrange(40)
        z, u = wide(rng), round(rng.uniform(-100, 100), 3)
        rows.append((k, z, u, rng.gauss(0, 1) * 1e3 + z * 1e-13))
    for _ in range(25):
        rows.append(("const", 0.1, 0.1, rng.gauss(0, 1)))
    rows.append(("one", 2.5, -1.25, 0.5))
    # exact sums a tie away from the neighbouring doubles, pushed up by a value too small
    # for a compensated (Neumaier) sum's error term: correctly rounded 2^53 + 2, not 2^53
    for k, tiny in [("tie", 1e-300), ("tie2", 2.0 ** -60)]:
        for z in [2.0 ** 53, 1.0, tiny]:
            rows.append((k, z, z, rng.gauss(0, 1)))
    rng.shuffle(rows)
    lines = ["k,z,u,y"] + ["%s,%r,%r,%r" % r for r in rows]
    return "\n".join(lines) + "\n", rows


def script(opts):
    lines = ['local dd = require("cdask.dataframe")',
             'local df = dd.read_csv("data.csv"%s)' % opts,
             'local s = df:sort_values("y")']
    for src in ["df", "s"]:
        for col in ["z", "u"]:
            for agg in AGGS:
                lines.append('dd.to_csv(%s:groupby("k").%s:%s(), "%s_%s_%s.csv")' % (
                    src, col, agg, src, col, agg))
            lines.append('dd.to_csv(%s:groupby("k").%s:corr(%s.y), "%s_%s_corr.csv")' % (
                src, col, src, src, col))
    return "\n".join(lines) + "\n"


def outputs(d):
    return {f: open(os.path.join(d, f)).read() for f in sorted(os.listdir(d))
            if f.endswith(".csv") and f != "data.csv"}


def series(text):
    rows = list(csv.reader(io.StringIO(text)))[1:]
    return {k: float(v) if v else math.nan for k, v in rows}


def exact_var(xs):
    n = len(xs)
    if n < 2:
        return None
    fs = [Fraction(x) for x in xs]
    m = sum(fs) / n
    return sum((f - m) ** 2 for f in fs) / (n - 1)


def exact_corr(xs, ys):
    if len(xs) < 2:
        return math.nan
    fx, fy = [Fraction(x) for x in xs], [Fraction(y) for y in ys]
    mx, my = sum(fx) / len(fx), sum(fy) / len(fy)
    sxy = sum((a - mx) * (b - my) for a, b in zip(fx, fy))
    sxx, syy = sum((a - mx) ** 2 for a in fx), sum((b - my) ** 2 for b in fy)
    if not sxx or not syy:
        return math.nan
    return float(sxy) / math.sqrt(float(sxx)) / math.sqrt(float(syy))


def near(a, b, rtol):
    return (math.isnan(a) and math.isnan(b)) or a == b or abs(a - b) <= rtol * max(abs(a),
                                                                                  abs(b))


def check_oracle(outs, rows):
    groups = {}
    for k, z, u, y in rows:
        g = groups.setdefault(k, {"z": [], "u": [], "y": []})
        g["z"].append(z), g["u"].append(u), g["y"].append(y)
    for col in ["z", "u"]:
        got = {agg: series(outs["df_%s_%s.csv" % (col, agg)]) for agg in AGGS + ["corr"]}
        bad = {agg: [] for agg in got}
        for k, g in groups.items():
            xs = g[col]
            s = math.fsum(xs)
            if got["sum"][k] != s:
                bad["sum"].append((k, got["sum"][k], s))
            if got["mean"][k] != s / len(xs):
                bad["mean"].append((k, got["mean"][k], s / len(xs)))
            v = exact_var(xs)
            want_var = math.nan if v is None else float(v)
            if not near(got["var"][k], want_var, 1e-13):
                bad["var"].append((k, got["var"][k], want_var))
            want_std = math.nan if v is None else math.sqrt(float(v))
            if not near(got["std"][k], want_std, 1e-13):
                bad["std"].append((k, got["std"][k], want_std))
            r = exact_corr(xs, g["y"])
            if not near(got["corr"][k], r, 1e-12):
                bad["corr"].append((k, got["corr"][k], r))
        for agg, b in bad.items():
            R.check(not b, "%s: every group's %s is the exact one%s" % (
                col, agg, " (correctly rounded, to the bit)" if agg in ("sum", "mean") else ""),
                str(b[:3]))
        R.check(got["var"]["const"] == 0.0 and got["std"]["const"] == 0.0 and
                math.isnan(got["corr"]["const"]) and math.isnan(got["var"]["one"]),
                "%s: a constant group's var and std are 0.0, its corr NaN; one value: NaN" % col)
    # the spread-out column did spill: its sums are not those of a float accumulation
    naive = sum(1 for g in groups.values() if sum(g["z"]) != math.fsum(g["z"]))
    R.check(naive > 5, "the data is hard: %d groups' plain float sums are not the exact sum" % naive)


def check_pandas(outs, d):
    df = pd.read_csv(os.path.join(d, "data.csv"))
    for agg in AGGS:
        want = getattr(df.groupby("k").u, agg)()
        got = series(outs["df_u_%s.csv" % agg])
        bad = [(k, got[k], w) for k, w in want.items() if not near(got[k], w, 1e-12)]
        R.check(not bad and len(got) == len(want), "u: %s within 1e-12 of pandas" % agg,
                str(bad[:3]))


def each_run(d, script_of, block_opts, what):
    """Builds script_of(opts) for each of block_opts and runs it on 1 and 3 threads, each
    into a directory of its own: yields (opts, threads, its outputs); stops at the first
    that does not compile or run (a failed check)"""
    for i, opts in enumerate(block_opts):
        exe, r = tl.build_program(script_of(opts), d, "prog")
        if not R.check(exe is not None, "%scompiles%s" % (what, opts), tl.short(r.stderr)):
            return
        for threads in ["1", "3"]:
            o = os.path.join(d, "out%d_%s" % (i, threads))
            os.makedirs(o)
            p = tl.run([exe, "--threads", threads, "--out", o], cwd=d)
            if not R.check(p.returncode == 0, "%sruns%s, %s threads" % (what, opts, threads),
                           tl.short(p.stderr)):
                return
            yield opts, threads, outputs(o)


def int_value(rng, kind):
    if kind == "small":
        return rng.randint(1, 15)
    if kind == "mid":
        return rng.choice([-1, 1]) * rng.randrange(2 ** 31, 2 ** 40)
    if kind == "past53":
        return rng.choice([-1, 1]) * rng.randrange(2 ** 53, 2 ** 62)
    return rng.choice([-1, 1]) * rng.randrange(2 ** 62, 2 ** 63 - 1) if rng.random() < 0.9 \
        else rng.choice([-2 ** 63, 2 ** 63 - 1])


def make_int_csv(rng):
    """k: the group, named after the kind of numbers in a and b; f: a bool; r: a float to
    sort the rows by"""
    rows = []
    for kind in ["small", "mid", "past53", "huge"]:
        for g in range(6):
            for _ in range(rng.randint(2, 60) if kind != "huge" else 40):
                rows.append(("%s%d" % (kind, g), int_value(rng, kind), int_value(rng, kind),
                             rng.random() < 0.5))
    for _ in range(20):
        rows.append(("const", 7, rng.randint(-5, 5), rng.random() < 0.5))
    rows.append(("one", 3, 4, True))
    rng.shuffle(rows)
    lines = ["k,a,b,f,r"] + ["%s,%d,%d,%s,%r" % (k, a, b, f, rng.random()) for k, a, b, f in rows]
    return "\n".join(lines) + "\n", rows


INT_SCRIPT = """local dd = require("cdask.dataframe")
local df = dd.read_csv("ints.csv"%s)
local s = df:sort_values("r")
dd.to_csv(df:groupby("k").a:corr(df.b), "df_ab.csv")
dd.to_csv(s:groupby("k").a:corr(s.b), "s_ab.csv")
dd.to_csv(df:groupby("k").f:corr(df.a), "df_fa.csv")
dd.to_csv(s:groupby("k").f:corr(s.a), "s_fa.csv")
dd.to_csv(df:groupby("k"):agg{a = {"var", "std"}}, "df_av.csv")
dd.to_csv(s:groupby("k"):agg{a = {"var", "std"}}, "s_av.csv")
dd.to_csv(df:groupby("k").f:std(), "df_fs.csv")
dd.to_csv(s:groupby("k").f:std(), "s_fs.csv")
"""


def check_int_corr():
    rng = random.Random(63)
    text, rows = make_int_csv(rng)
    d = tl.tempdir("gb_corri")
    try:
        tl.write(os.path.join(d, "ints.csv"), text)
        base = None
        for opts, threads, outs in each_run(d, lambda o: INT_SCRIPT % o,
                                            ["", ", {blocksize = 2048}"], "ints: "):
            if base is not None:
                diff = [f for f in base if base[f] != outs.get(f)]
                R.check(not diff, "ints, %s, %s threads: the same bytes" % (
                    opts[2:] or "default blocks", threads), str(diff))
                continue
            base = outs
            differ = [n for n in ["ab", "fa", "av", "fs"]
                      if outs["df_%s.csv" % n] != outs["s_%s.csv" % n]]
            R.check(not differ, "ints: corr, var and std in integers write the bytes of "
                    "the groupby by sorting (exact float sums)", str(differ))
            groups = {}
            for k, a, b, f, in rows:
                g = groups.setdefault(k, ([], [], []))
                g[0].append(float(a)), g[1].append(float(b)), g[2].append(float(f))
            for name, x, y in [("ab", 0, 1), ("fa", 2, 0)]:
                got = series(outs["df_%s.csv" % name])
                bad = [(k, got.get(k), exact_corr(g[x], g[y])) for k, g in groups.items()
                       if not near(got.get(k, 0.0), exact_corr(g[x], g[y]), 1e-12)]
                R.check(not bad and len(got) == len(groups),
                        "ints: corr %s within 1e-12 of the exact r (NaN for const, one)" %
                        name, str(bad[:3]))
            var = {}
            for row in list(csv.reader(io.StringIO(outs["df_av.csv"])))[3:]:
                var[row[0]] = (float(row[1]) if row[1] else math.nan,
                               float(row[2]) if row[2] else math.nan)
            fs = series(outs["df_fs.csv"])
            bad = []
            for k, g in groups.items():
                v = exact_var(g[0])
                v = math.nan if v is None else float(v)
                vf = exact_var(g[2])
                vf = math.nan if vf is None else math.sqrt(float(vf))
                if not (near(var[k][0], v, 1e-13) and near(var[k][1], math.sqrt(v), 1e-13)
                        and near(fs[k], vf, 1e-13)):
                    bad.append((k, var[k], v, fs[k], vf))
            R.check(not bad and len(var) == len(groups),
                    "ints: var and std within 1e-13 of the exact ones (0 for const, NaN "
                    "for one)", str(bad[:3]))
            huge = [k for k, g in groups.items() if k.startswith("huge") and
                    sum(Fraction(v) ** 2 for v in g[0]) >= 2 ** 127]
            R.check(len(huge) >= 3, "ints: the huge groups' sums carry past 128 bits",
                    str(huge))
            df = pd.read_csv(os.path.join(d, "ints.csv"))
            want = df.groupby("k").a.corr(df.b)
            got = series(outs["df_ab.csv"])
            bad = [(k, got[k], w) for k, w in want.items()
                   if k.startswith("small") and not near(got[k], w, 1e-12)]
            R.check(not bad, "ints: small numbers' corr within 1e-12 of pandas", str(bad[:3]))
    finally:
        tl.rmtree(d)


def main():
    check_int_corr()
    rng = random.Random(2026)
    text, rows = make_csv(rng, 4000)
    d = tl.tempdir("gb_exact")
    try:
        tl.write(os.path.join(d, "data.csv"), text)
        base = None
        for opts, threads, outs in each_run(
                d, script, ["", ", {blocksize = 7168}", ", {blocksize = 1024}"], ""):
            if base is None:
                base = outs
                R.check(len(outs) == 20, "20 outputs", str(sorted(outs)))
                same_sorted = [f for f in outs if f.startswith("df_") and
                               outs[f] != outs["s_" + f[3:]]]
                R.check(not same_sorted, "the groupby of the sorted rows (by sorting) "
                        "writes the scan's bytes", str(same_sorted))
                check_oracle(outs, rows)
                check_pandas(outs, d)
            else:
                diff = [f for f in base if base[f] != outs.get(f)]
                R.check(not diff, "%s, %s threads: the same bytes" % (
                    opts[2:] or "default blocks", threads), str(diff))
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
