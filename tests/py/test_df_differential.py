# ctest-labels: py;differential
"""Differential test of cdask.dataframe: random pipelines against the same programs run by
pandas 1.5 (Debian's python3-pandas).

tests/py/dfdiffgen.py writes a random CSV file (int64, float64 with NaN and exponents,
strings with unicode, quotes, separators, newlines and NA strings, bools, datetimes with
NaT; 0, 1, a few or a few hundred rows), a second file to merge with, and a program of
random outputs over docs/dataframes.md's surface, as a cdask Lua script and as a pandas
program. Each program is compiled with cdaskc and run; every output must match pandas':
dd.print's text is pandas' repr (numbers that differ in their text must both be floats and
agree within 1e-12 relative), dd.to_csv's cells are pandas' to_csv's (floats within 1e-12).
Outputs pandas refuses are left out. Some programs read with a small blocksize (many blocks
to merge) and 1, 2 or 3 threads. A file without rows must be refused by cdaskc (exit 1:
a documented difference), and each program also checks one statement cdask documents as
refused: exit 1 with the error at its line.

A failure prints a reduced repro: the Lua script and the pandas program of the failing
output alone, and the CSV files cut to the rows the failure needs.

Budget (the environment): CDASK_DFDIFF_N programs (default 8: about a minute on a loaded
two-core machine), CDASK_DFDIFF_SEED (default 1), CDASK_DFDIFF_OUTPUTS per program (default
14), CDASK_DFDIFF_FIRST the first program's number (to rerun program K alone:
CDASK_DFDIFF_FIRST=K CDASK_DFDIFF_N=1). A long run, e.g.
    CDASK_DFDIFF_N=200 CDASK_DFDIFF_SEED=7 /usr/bin/python3 tests/py/test_df_differential.py
keeps going after a failure and reports every one. Most programs are built with -O0
(compile time dominates); every fourth with cdaskc's own flags.

dfdiffgen.KNOWN_OPEN lists known bugs the generator avoids until their fixes are merged."""

import math
import os
import random
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdask_testlib import (Results, cdaskc, csv_close, first_line, rmtree, run,  # noqa: E402
                           short, tempdir, write)
import dfdiffgen as G  # noqa: E402

import pandas as pd  # noqa: E402

N = int(os.environ.get("CDASK_DFDIFF_N", "8"))
SEED = int(os.environ.get("CDASK_DFDIFF_SEED", "1"))
OUTPUTS = int(os.environ.get("CDASK_DFDIFF_OUTPUTS", "14"))
FIRST = int(os.environ.get("CDASK_DFDIFF_FIRST", "0"))
PY = sys.executable
LINE0 = len(G.LUA_PRELUDE) + 1  # the first output's line
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)


# ---- comparing -------------------------------------------------------------------------


def sections(stdout, labels):
    """{label: the text printed for it} of "label = value" or "label =" and lines"""
    out = {}
    pat = re.compile(r"^(%s) =( |$)" % "|".join(re.escape(x) for x in labels), re.M)
    ms = [m for m in pat.finditer(stdout)]
    for i, m in enumerate(ms):
        end = ms[i + 1].start() if i + 1 < len(ms) else len(stdout)
        if m.group(1) not in out:
            out[m.group(1)] = stdout[m.end():end].strip("\n")
    return out


def is_float_text(t):
    return bool(re.search(r"[.eE]|nan|inf", t))


def tokens_close(a, b, rtol=1e-12):
    """Two equal texts but for numbers written differently that are both floats within
    rtol relative"""
    if a == b:
        return True
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb):
        return False
    for x, y in zip(ta, tb):
        if x == y:
            continue
        if not (is_float_text(x) and is_float_text(y)):
            return False
        try:
            u, v = float(x), float(y)
        except ValueError:
            return False
        if not (u == v or math.isnan(u) and math.isnan(v)
                or abs(u - v) <= rtol * max(abs(u), abs(v))):
            return False
    return True


# ---- running ---------------------------------------------------------------------------


BLOCKSIZE = [None]  # this program's read_csv blocksize (None: the default)


def pandas_run(d, outs):
    """{label: text, or None for a to_csv written, or "!PANDAS ..."}"""
    write(os.path.join(d, "prog.py"), G.py_text(outs))
    p = run([PY, "prog.py"], cwd=d, timeout=300)
    if p.returncode != 0:
        raise RuntimeError("the pandas program failed: " + short(p.stderr, 2000))
    return sections(p.stdout, [o[0] for o in outs])


def cdask_run(d, outs, flags, threads, name="prog"):
    """(a string: why it did not compile or run, with cdaskc's exit code) or (stdout)"""
    write(os.path.join(d, name + ".lua"), G.lua_text(outs, BLOCKSIZE[0]))
    for o in outs:
        try:
            os.unlink(os.path.join(d, o[0] + ".csv"))
        except FileNotFoundError:
            pass
    args = [name + ".lua", "-o", name] + (["--cflags", flags] if flags else [])
    r = cdaskc(args, cwd=d)
    if r.returncode != 0:
        return ("cdaskc", r.returncode, r.stderr)
    p = run(["./" + name, "--threads", str(threads), "--out", d], cwd=d)
    if p.returncode != 0:
        return ("run", p.returncode, p.stderr)
    return p.stdout


def compare(d, outs, want, got_stdout):
    """[(label, why)] of the outputs that differ from pandas'"""
    got = sections(got_stdout, [o[0] for o in outs])
    bad = []
    for label, how, _, _ in outs:
        w = want.get(label)
        if how == "csv":
            path = os.path.join(d, label + ".csv")
            if not os.path.exists(path):
                bad.append((label, "no %s.csv written" % label))
                continue
            with open(path, newline="") as f:
                g = f.read()
            with open(os.path.join(d, "py_%s.csv" % label), newline="") as f:
                wt = f.read()
            if not csv_close(g, wt):
                bad.append((label, "to_csv:\n--- cdask\n%s\n--- pandas\n%s" % (
                    short(g, 3000), short(wt, 3000))))
        else:
            g = got.get(label)
            if g is None or not tokens_close(g, w):
                bad.append((label, "printed:\n--- cdask\n%s\n--- pandas\n%s" % (
                    short(g, 3000), short(w, 3000))))
    return bad


def fails(d, out, flags, threads):
    """Why the program of out alone differs from pandas, or None (reads d's CSV files)"""
    try:
        want = pandas_run(d, [out])
    except RuntimeError as e:
        return str(e)
    if want.get(out[0], "").startswith("!PANDAS"):
        return None
    r = cdask_run(d, [out], flags, threads, name="min")
    if isinstance(r, tuple):
        return "%s exit %s: %s" % (r[0], r[1], short(r[2], 800))
    b = compare(d, [out], want, r)
    return b[0][1] if b else None


def reduce_rows(d, out, flags, threads, deadline):
    """Cuts data.csv to fewer rows while the output still fails (whole rows: a row may hold
    quoted newlines, so rows are cut as pandas' reader splits them)."""
    path = os.path.join(d, "data.csv")
    with open(path, newline="") as f:
        text = f.read()
    header, rows = split_rows(text)
    kind = fails(d, out, flags, threads)
    kind = kind and kind.split(":")[0]  # the same failure: "printed", "cdaskc exit 1"...
    chunk = max(1, len(rows) // 2)
    while chunk >= 1 and time.time() < deadline and len(rows) > 1:
        i, cut = 0, False
        while i < len(rows) and time.time() < deadline:
            cand = rows[:i] + rows[i + chunk:]
            if not cand:
                i += chunk
                continue
            write(path, header + "".join(cand))
            why = fails(d, out, flags, threads)
            if why and why.split(":")[0] == kind:
                rows, cut = cand, True
            else:
                i += chunk
        write(path, header + "".join(rows))
        if not cut or chunk > 1:
            chunk //= 2
    return header + "".join(rows)


def split_rows(text):
    """(the header line, [rows with their line ends]) of a CSV text, quotes respected"""
    rows, cur, q = [], [], False
    for ch in text:
        cur.append(ch)
        if ch == '"':
            q = not q
        elif ch == "\n" and not q:
            rows.append("".join(cur))
            cur = []
    if cur:
        rows.append("".join(cur))
    return rows[0], rows[1:]


def report(R, tag, d, out, why, flags, threads, long_mode):
    """Prints the failure with a repro reduced to out alone and the rows it needs"""
    deadline = time.time() + (90 if long_mode else 30)
    with open(os.path.join(d, "data.csv"), newline="") as f:
        orig = f.read()
    why1 = fails(d, out, flags, threads)
    if why1:
        data = reduce_rows(d, out, flags, threads, deadline)
        why = fails(d, out, flags, threads) or why1
    else:
        with open(os.path.join(d, "data.csv"), newline="") as f:
            data = f.read()
        why = "(only with the other outputs) " + why
    write(os.path.join(d, "data.csv"), orig)  # for the next outputs' reports
    with open(os.path.join(d, "right.csv"), newline="") as f:
        right = f.read()
    uses_rt = re.search(r"\brt\b", out[2])
    R.check(False, "%s %s" % (tag, out[0]), "%s\n--- repro (%s, %d threads): prog.lua\n%s"
            "--- prog.py (the output's lines)\n%s\n--- data.csv\n%s%s" % (
                why, flags or "-O3", threads, G.lua_text([out], BLOCKSIZE[0]),
                G.py_text([out])[len(G.PY_PRELUDE):], short(data, 4000),
                "\n--- right.csv\n" + short(right, 2000) if uses_rt else ""))


def check_refused(R, tag, d, rng):
    """One statement cdask documents as refused: exit 1, the error at its line"""
    stmt = rng.choice(G.REFUSED)
    lines = list(G.LUA_PRELUDE) + ["local y = %s" % stmt, "dd.print(y)"]
    write(os.path.join(d, "e.lua"), "\n".join(lines) + "\n")
    r = cdaskc(["e.lua", "-o", "e"], cwd=d)
    want = "e.lua:%d:" % len(G.LUA_PRELUDE + [0])
    R.check(r.returncode == 1 and first_line(r.stderr).startswith(want),
            "%s refused: %s" % (tag, stmt), "exit %s, stderr %r, want %r..." % (
                r.returncode, short(r.stderr, 300), want))


def check_program(R, index, long_mode):
    rng = random.Random(SEED * 100003 + index)
    tag = "seed %d program %d" % (SEED, index)
    n = rng.choice([0, 1, 2, 5, 12, 40, 80, 150, 300, 300, 1500])
    BLOCKSIZE[0] = rng.choice([None, None, None, 256, 1024, 4096])
    d = tempdir("dfdiff")
    try:
        write(os.path.join(d, "data.csv"), G.make_csv(rng, n))
        write(os.path.join(d, "right.csv"), G.make_right(rng, rng.choice([1, 6, 20])))
        if n == 0:  # a header without rows: refused while compiling (documented)
            write(os.path.join(d, "z.lua"), "\n".join(G.LUA_PRELUDE) +
                  '\ndd.print(df.i:sum(), "s")\n')
            r = cdaskc(["z.lua", "-o", "z"], cwd=d)
            R.check(r.returncode == 1 and first_line(r.stderr).startswith("z.lua:2:"),
                    "%s: a file without rows is refused at its line" % tag,
                    "exit %s: %s" % (r.returncode, short(r.stderr, 300)))
            return
        pdf = pd.read_csv(os.path.join(d, "data.csv"), parse_dates=["d"], na_values=["None"])
        inf = bool(pdf.select_dtypes("float64").isin([math.inf, -math.inf]).any().any())
        outs = G.program(rng, G.kinds(pdf), OUTPUTS, inf)
        flags = None if index % 4 == 3 else "-O0"
        threads = 1 + index % 3
        check_refused(R, tag, d, rng)
        want = pandas_run(d, outs)
        refused = [o for o in outs if want.get(o[0], "").startswith("!PANDAS")]
        for o in refused:
            print("  (%s %s: pandas refuses %s: %s)" % (tag, o[0], o[3], want[o[0]]))
        outs = [o for o in outs if o not in refused]
        for _ in range(4):  # a statement cdaskc refuses: reported, and the rest goes on
            if not outs:
                return
            r = cdask_run(d, outs, flags, threads)
            if not isinstance(r, tuple):
                break
            m = re.search(r"prog\.lua:(\d+):", r[2])
            j = int(m.group(1)) - LINE0 if m else -1
            if not 0 <= j < len(outs):
                if r[0] == "run" and len(outs) > 1:  # which one: each alone
                    bad = [o for o in outs if fails(d, o, flags, threads)]
                    for o in bad:
                        report(R, tag, d, o, "%s exit %s: %s" % (r[0], r[1], short(r[2], 600)),
                               flags, threads, long_mode)
                    outs = [o for o in outs if o not in bad]
                    if bad:
                        continue
                R.check(False, "%s (%d rows)" % (tag, n), "%s exit %s: %s\n%s" % (
                    r[0], r[1], short(r[2], 1500), G.lua_text(outs, BLOCKSIZE[0])))
                return
            report(R, tag, d, outs[j], "%s exit %s: %s" % (r[0], r[1], short(r[2], 600)),
                   flags, threads, long_mode)
            outs = outs[:j] + outs[j + 1:]
        else:
            return
        bad = compare(d, outs, want, r)
        R.check(not bad, "%s (%d rows, %d outputs, %s, %d threads, blocksize %s)" % (
            tag, n, len(outs), flags or "-O3", threads, BLOCKSIZE[0] or "default"),
            "%d outputs differ" % len(bad))
        for label, why in bad[:len(bad) if long_mode else 2]:
            o = [x for x in outs if x[0] == label][0]
            report(R, tag, d, o, why, flags, threads, long_mode)
    finally:
        rmtree(d)


# Regressions: outputs over REG_CSV that once differed from pandas, checked on every run
# (label, how, Lua, pandas), as dfdiffgen writes them.
REG_CSV = ("i,k,f,s,g,b,d\n189,0,5803.01,x,b,False,2021-12-27 01:03:17\n-4,2,,y,,True,\n"
           "7,1,inf,z,a,True,2021-01-01\n8,3,2.5,z,a,False,2021-01-02\n9,1,-inf,,b,True,\n")
REGRESSIONS = [
    # df:min() of int64 columns of no rows: NaN, a float64 Series (was int64 zeros)
    ("r00", "print", 'df:loc(df.k:gt(5))[{"i", "k"}]:min()',
     'freduce(df.loc[df.k > 5][["i", "k"]], "min")'),
    ("r01", "print", 'df:loc(df.k:gt(5))[{"i"}]:max()', 'freduce(df.loc[df.k > 5][["i"]], "max")'),
    ("r02", "print", 'df[{"i", "k"}]:max()', 'freduce(df[["i", "k"]], "max")'),
    # s:min() and s:max() of bools (were refused while compiling)
    ("r03", "print", "df.b:min()", "df.b.min()"),
    ("r04", "print", "df:loc(df.k:gt(0)).b:max()", "df.loc[df.k > 0].b.max()"),
    ("r05", "print", "df:loc(df.k:gt(5)).b:max()", "df.loc[df.k > 5].b.max()"),
    ("r06", "print", "df.b:head(1):max()", "df.b.head(1).max()"),
    # rolling, expanding and ewm read an infinity as missing, as pandas (count counts it)
    ("r07", "print", "df.f:expanding():sum()", "df.f.expanding().sum()"),
    ("r08", "print", "df.f:rolling(2, {min_periods = 1}):max()",
     "df.f.rolling(2, min_periods=1).max()"),
    ("r09", "print", "df.f:rolling(3, {min_periods = 1}):median()",
     "df.f.rolling(3, min_periods=1).median()"),
    ("r10", "print", "df.f:rolling(2):count()", "df.f.rolling(2, min_periods=2).count()"),
    ("r11", "print", "df.f:ewm{span = 2}:mean()", "df.f.ewm(span=2).mean()"),
    ("r12", "print", "df.f:rolling(3, {min_periods = 1}):var()",
     "df.f.rolling(3, min_periods=1).var()"),
]


def check_regressions(R):
    d = tempdir("dfdiff_reg")
    try:
        write(os.path.join(d, "data.csv"), REG_CSV)
        write(os.path.join(d, "right.csv"), G.make_right(random.Random(1), 6))
        want = pandas_run(d, REGRESSIONS)
        BLOCKSIZE[0] = None
        r = cdask_run(d, REGRESSIONS, "-O0", 2)
        if not R.check(not isinstance(r, tuple), "regressions: compile and run", str(r)):
            return
        bad = compare(d, REGRESSIONS, want, r)
        R.check(not bad, "regressions: %d outputs as pandas" % len(REGRESSIONS),
                "\n".join("%s: %s" % b for b in bad))
    finally:
        rmtree(d)


def main():
    R = Results()
    long_mode = N > 20
    t0 = time.time()
    check_regressions(R)
    for index in range(FIRST, FIRST + N):
        check_program(R, index, long_mode)
    print("dataframe differential: seed %d, programs %d..%d, %.0f s; known open: %s" % (
        SEED, FIRST, FIRST + N - 1, time.time() - t0, ", ".join(sorted(G.KNOWN_OPEN)) or "none"))
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
