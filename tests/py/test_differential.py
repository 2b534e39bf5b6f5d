# ctest-labels: py;differential
"""Differential test: random cdask pipelines against the same programs run by NumPy 1.24.

tests/py/diffgen.py writes random programs over the whole Lua API (sources, from_npy
inputs of random data that this test writes, elementwise operations in every dtype,
views, reshapes, joins, reductions, scans, FFTs; da.print and da.to_npy outputs) and the
same program in NumPy. Each program is compiled with cdaskc and run; every output must
match NumPy's: dtype and shape exactly, integers and bools exactly, floats exactly where
both compute with the same rounding and within a tolerance scaled by the magnitudes
involved elsewhere (sums, transcendental functions, FFTs). Statements NumPy refuses
(shapes that do not broadcast, axes out of range, ...) become error cases: cdaskc must
refuse them at their line with exit code 1, not crash or compile.

A failure prints the program reduced to what the failing output needs (the Lua script,
the NumPy program and the input arrays), ready to become a regression case in
tests/differential/ (NAME.lua with NAME.py, run by this test too: NAME.py writes the
inputs and computes the oracle with save()/show(); its "# rtol:" line gives the tolerance).

Budget (the environment): CDASK_DIFF_N programs (default 8: about 30 s of CPU, one to three
minutes on a loaded two-core machine), CDASK_DIFF_SEED (default 1), CDASK_DIFF_STEPS statements
per program (default 28), CDASK_DIFF_FIRST the first program's number (default 0: to rerun
program K of a report alone, CDASK_DIFF_FIRST=K CDASK_DIFF_N=1). A long run, e.g.
    CDASK_DIFF_N=500 CDASK_DIFF_SEED=7 /usr/bin/python3 tests/py/test_differential.py
keeps going after a failure and reports every one; CDASK_DIFF_SAVE=DIR writes each
reduced failure there as NAME.lua/NAME.py. Most programs are built with -O0 (compile
time dominates); every third with cdaskc's own flags (-O3).

diffgen.KNOWN_OPEN lists known bug families the generator avoids until their fixes are
merged; delete entries as they are."""

import math
import os
import re
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdask_testlib import (Results, SRC, cdaskc, first_line, rmtree, run, short,  # noqa: E402
                           tempdir, write)
import diffgen  # noqa: E402

import numpy as np  # noqa: E402

N = int(os.environ.get("CDASK_DIFF_N", "8"))
SEED = int(os.environ.get("CDASK_DIFF_SEED", "1"))
STEPS = int(os.environ.get("CDASK_DIFF_STEPS", "28"))
FIRST = int(os.environ.get("CDASK_DIFF_FIRST", "0"))
SAVE = os.environ.get("CDASK_DIFF_SAVE")
MAX_ERROR_CASES = 6  # per program (cheap: cdaskc stops in the frontend)
CASES = os.path.join(SRC, "tests", "differential")


# ---- comparing -------------------------------------------------------------------------


def tolerance(dtype, exact):
    if exact:
        return 0.0
    return 2e-4 if dtype in (np.float32, np.complex64) else 1e-9


def compare(got, want, rtol, mag):
    """None when got matches want, else why not."""
    got, want = np.asarray(got), np.asarray(want)
    if got.dtype != want.dtype or got.shape != want.shape:
        return "got %s %s, want %s %s" % (got.dtype, got.shape, want.dtype, want.shape)
    if want.dtype.kind in "biu":
        if np.array_equal(got, want):
            return None
        bad = np.argwhere(got != want)
    else:
        with np.errstate(all="ignore"):
            nan = np.isnan(got) != np.isnan(want)
            fin = np.isfinite(want) & np.isfinite(got)
            inf_bad = ~np.isnan(want) & ~fin & (got != want)
            diff = np.abs(got.astype(np.complex128) - want.astype(np.complex128))
            lim = rtol * np.abs(want.astype(np.complex128)) + rtol * mag
            num_bad = fin & (diff > lim) if rtol else fin & (got != want)
        badmask = nan | inf_bad | num_bad
        if not badmask.any():
            return None
        bad = np.argwhere(badmask)
    idx = tuple(bad[0])
    return "%d of %d elements differ, first at %s: got %r, want %r (rtol %g)" % (
        len(bad), want.size, idx, got[idx] if got.ndim else got[()],
        want[idx] if want.ndim else want[()], rtol)


def parse_prints(stdout, labels):
    """{label: text} from the program's standard output ("label = value", maybe several
    lines per value)."""
    out = {}
    pat = re.compile(r"^(%s) = " % "|".join(re.escape(x) for x in labels), re.M)
    ms = list(pat.finditer(stdout))
    for i, m in enumerate(ms):
        end = ms[i + 1].start() if i + 1 < len(ms) else len(stdout)
        out[m.group(1)] = stdout[m.end():end].rstrip("\n")
    return out


def compare_print(text, want, rtol, mag):
    want = np.asarray(want)
    if want.ndim == 0:
        if want.dtype.kind == "b":
            return None if text == str(bool(want)) else "printed %r, want %r" % (text, want)
        try:
            got = np.array(int(text) if want.dtype.kind in "iu" else float(text), want.dtype)
        except ValueError:
            return "printed %r, want %r" % (text, want)
        return compare(got, want, rtol, mag)
    if rtol == 0 and text == str(want):
        return None
    if want.dtype.kind in "biu" or rtol == 0:
        return "printed\n%s\nwant (NumPy's str)\n%s" % (text, want)
    # NumPy's str() rounds to 8 digits: the printed numbers are compared with the numbers
    # of str(want), each to within the rounding of the digits shown and the tolerance
    toks = text.replace("[", " ").replace("]", " ").split()
    wtoks = str(want).replace("[", " ").replace("]", " ").split()
    if len(toks) != len(wtoks):
        return "printed %d numbers, want %d:\n%s\nwant\n%s" % (len(toks), len(wtoks), text,
                                                             want)
    for i, (t, w) in enumerate(zip(toks, wtoks)):
        if t == w:
            continue
        try:
            g, x = float(t), float(w)
        except ValueError:
            return "printed %r where NumPy prints %r" % (t, w)
        if not (math.isfinite(g) and math.isfinite(x)) or abs(g - x) > (
                rtol * (abs(x) + mag) + shown_ulp(t) + shown_ulp(w)):
            return "element %d printed %s, NumPy's str() prints %s (rtol %g)" % (i, t, w, rtol)
    return None


def shown_ulp(tok):
    """a unit in the last digit of a printed number"""
    mant, _, exp = tok.lower().partition("e")
    frac = mant.partition(".")[2]
    return 10.0 ** (int(exp or 0) - len(frac))


# ---- running one program ---------------------------------------------------------------


def oracle(py, workdir):
    """Runs the NumPy program in workdir; its RESULTS."""
    env = {}
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        exec(compile(py, "oracle.py", "exec"), env)
    finally:
        os.chdir(cwd)
    return env["RESULTS"]


def check_program(stmts, info, workdir, flags, threads, name="prog"):
    """Compiles and runs the Lua program of stmts; returns (a list of (output stmt, why)
    failures, or a string when the program did not compile or run)."""
    lua = diffgen.lua_text(stmts)
    write(os.path.join(workdir, name + ".lua"), lua)
    want = oracle(diffgen.py_text(stmts), workdir)
    args = [name + ".lua", "-o", name] + (["--cflags", flags] if flags else [])
    r = cdaskc(args, cwd=workdir)
    if r.returncode != 0:
        return "cdaskc exit %s: %s" % (r.returncode, short(r.stderr, 800))
    for s in stmts:
        if s.output and s.output[0] == "npy":
            try:
                os.unlink(os.path.join(workdir, s.output[1]))
            except FileNotFoundError:
                pass
    p = run(["./" + name, "--threads", str(threads)], cwd=workdir)
    if p.returncode != 0:
        return "the program exited %s: %s" % (p.returncode, short(p.stderr, 800))
    outs = [s for s in stmts if s.output]
    prints = parse_prints(p.stdout, [s.output[1] for s in outs if s.output[0] == "print"])
    fails = []
    for s in outs:
        kind, key, vname = s.output
        exact, mag = info[vname]
        w = want[key]
        rtol = tolerance(w.dtype, exact)
        if kind == "npy":
            path = os.path.join(workdir, key)
            if not os.path.exists(path):
                fails.append((s, "no file %s" % key))
                continue
            why = compare(np.load(path), w, rtol, mag)
        else:
            if key not in prints:
                fails.append((s, "nothing printed for %s" % key))
                continue
            why = compare_print(prints[key], w, rtol, mag)
        if why:
            fails.append((s, why))
    return fails


def rename_uses(stmts, old, new):
    pat = re.compile(r"\b%s\b" % re.escape(old))
    out = []
    for s in stmts:
        if s.var == old:
            continue
        t = diffgen.Stmt(s.var, pat.sub(new, s.lua), pat.sub(new, s.py),
                         [new if d == old else d for d in s.deps], s.output)
        if s.output:
            t.output = (s.output[0], s.output[1], new if s.output[2] == old else s.output[2])
        out.append(t)
    return out


def minimize(stmts, still_fails, shapes, deadline, reshaped=()):
    """Reduces a failing program while still_fails(stmts) holds: one output at a time
    (with the statements it needs), then outputs dropped one by one, then statements
    bypassed (one whose result has the shape and dtype of one of its inputs is replaced by
    that input)."""
    cur = stmts
    outs = [s for s in cur if s.output]
    for o in outs if len(outs) > 1 else []:
        if time.time() > deadline:
            break
        cand = diffgen.slice_for_output(cur, o)
        if still_fails(cand):
            cur = cand
            break
    else:
        for o in outs:
            if time.time() > deadline:
                break
            cand = [s for s in cur if s is not o]
            if any(s.output for s in cand) and still_fails(cand):
                cur = cand
    changed = True
    while changed and time.time() < deadline:
        changed = False
        for s in [s for s in cur if s.var and s.deps]:
            if time.time() > deadline:
                break
            for d in s.deps:
                if shapes.get(d) == shapes.get(s.var) and not (
                        d in reshaped and "reshape_output" in diffgen.KNOWN_OPEN):
                    cand = rename_uses(cur, s.var, d)
                    cand = diffgen.needed(cand, [x for x in cand if x.output])
                    if still_fails(cand):
                        cur, changed = cand, True
                        break
            if changed:
                break
    return cur


def fixtures_py(stmts, fixtures):
    """Python lines that write the inputs the statements read."""
    lines = []
    for s in stmts:
        m = re.match(r'np\.load\("([^"]+)"\)', s.py)
        if m:
            a = fixtures[m.group(1)]
            order = "F" if a.flags.f_contiguous and not a.flags.c_contiguous else "C"
            lines.append("np.save(%r, np.array(%s, dtype=np.%s, order=%r))" % (
                m.group(1), np.array2string(a, separator=", ", threshold=10**6,
                                            floatmode="unique").replace("\n", "")
                .replace("nan", "np.nan").replace("inf", "np.inf"), a.dtype.name, order))
    return lines


def report(results, name, stmts, fixtures, why, rtol):
    lua = diffgen.lua_text(stmts)
    pyprog = diffgen.py_text(stmts)
    fx = fixtures_py(stmts, fixtures)
    body = pyprog.split("\n", 1)
    case_py = "# rtol: %g\n%s\n%s%s" % (rtol, body[0], "\n".join(fx) + "\n" if fx else "",
                                        body[1])
    shown = "\n".join(["# diffgen.PRELUDE, then the inputs:"] + fx + [
        s.py if s.var is None else "%s = %s" % (s.var, s.py) for s in stmts]) + "\n"
    print("---- %s\n%s\n-- Lua:\n%s-- NumPy (inputs written first):\n%s----" % (
        name, why, lua, shown))
    if SAVE:
        os.makedirs(SAVE, exist_ok=True)
        write(os.path.join(SAVE, name + ".lua"), lua)
        write(os.path.join(SAVE, name + ".py"), case_py)
    results.check(False, name, first_line(why))


def error_cases(results, gen, workdir, tag):
    """Statements NumPy refused: cdaskc must refuse them at their line."""
    for k, (before, bad, msg) in enumerate(gen.errors[:MAX_ERROR_CASES]):
        stmts = diffgen.needed(before, bad.deps) + [bad]
        lua = diffgen.lua_text(stmts)
        line = diffgen.lua_line(stmts, bad)
        write(os.path.join(workdir, "err.lua"), lua)
        r = cdaskc(["err.lua", "--emit-c", "err.c"], cwd=workdir, timeout=60)
        head = first_line(r.stderr)
        ok = r.returncode == 1 and head.startswith("err.lua:%d: error:" % line)
        if not ok:
            report(results, "%s.error%d" % (tag, k), stmts, gen.fixtures,
                   "NumPy refuses line %d (%s); cdaskc: exit %s, %r" % (
                       line, msg, r.returncode, short(r.stderr, 300)), 0)
        else:
            results.passed += 1


def run_generated(results, index, long_mode):
    seed = SEED * 100003 + index
    rng = random.Random(seed)
    workdir = tempdir("diff")
    tag = "seed%d.prog%d" % (SEED, index)
    try:
        cwd = os.getcwd()
        os.chdir(workdir)  # the generator runs NumPy on the inputs it writes here
        try:
            gen = diffgen.Generator(rng, STEPS)
            gen_fixtures = gen.fixtures
            gen.generate()
        finally:
            os.chdir(cwd)
        for fname, a in gen_fixtures.items():
            np.save(os.path.join(workdir, fname), a)
        info = {v.name: (v.exact, v.mag) for v in gen.vars.values()}
        shapes = {v.name: (v.shape, v.dtype) for v in gen.vars.values()}
        reshaped = {v.name for v in gen.vars.values() if "reshaped" in v.flags}
        flags = None if index % 3 == 0 else "-O0"
        threads = 1 + index % 3
        r = check_program(gen.stmts, info, workdir, flags, threads)
        deadline = time.time() + (300 if long_mode else 120)
        if isinstance(r, str):
            # which statement: the error's line, else the whole program
            m = re.search(r"prog\.lua:(\d+):", r)
            stmts = gen.stmts
            if m and 2 <= int(m.group(1)) < 2 + len(stmts):
                bad = stmts[int(m.group(1)) - 2]
                stmts = diffgen.needed(stmts[:stmts.index(bad)], bad.deps) + [bad]
            elif r.startswith("the program exited"):  # a crash: reduce it
                sig = r.split(":")[0]

                def crashes(cand):
                    c = check_program(cand, info, workdir, flags, threads, name="min")
                    return isinstance(c, str) and c.split(":")[0] == sig
                stmts = minimize(stmts, crashes, shapes, deadline, reshaped)
            report(results, tag, stmts, gen.fixtures, r, 0)
        else:
            outs = sum(1 for s in gen.stmts if s.output)
            results.check(not r, "%s (%d statements, %d outputs, %s, %d threads)" % (
                tag, len(gen.stmts), outs, flags or "-O3", threads),
                "%d outputs differ" % len(r))
            for s, why in r[:1 if not long_mode else 3]:
                label = s.output[1]

                def differs(cand):
                    c = check_program(cand, info, workdir, flags, threads, name="min")
                    return (isinstance(c, list) and any(f[0].output[1] == label for f in c)
                            ) or (isinstance(c, str) and "cdaskc" not in c)
                small = minimize(diffgen.slice_for_output(gen.stmts, s), differs, shapes,
                                 deadline, reshaped)
                w = oracle(diffgen.py_text(small), workdir)
                o = [x for x in small if x.output][0]
                exact = info[o.output[2]][0]
                report(results, tag + "." + o.output[1], small, gen.fixtures, why,
                       tolerance(w[o.output[1]].dtype, exact))
        error_cases(results, gen, workdir, tag)
    finally:
        rmtree(workdir)


# ---- committed regression cases ---------------------------------------------------------


def run_cases(results):
    if not os.path.isdir(CASES):
        return
    for f in sorted(os.listdir(CASES)):
        if not f.endswith(".lua"):
            continue
        name = f[:-4]
        workdir = tempdir("diffcase")
        try:
            py = open(os.path.join(CASES, name + ".py")).read()
            m = re.search(r"^# rtol: *([0-9.e+-]+)", py, re.M)
            rtol = float(m.group(1)) if m else 0.0
            want = oracle(py, workdir)
            lua = open(os.path.join(CASES, f)).read()
            write(os.path.join(workdir, "case.lua"), lua)
            r = cdaskc(["case.lua", "-o", "case"], cwd=workdir)
            if not results.check(r.returncode == 0, "case %s compiles" % name,
                                 short(r.stderr)):
                continue
            p = run(["./case"], cwd=workdir)
            if not results.check(p.returncode == 0, "case %s runs" % name, short(p.stderr)):
                continue
            prints = parse_prints(p.stdout, [k for k in want if not k.endswith(".npy")])
            for key, w in sorted(want.items()):
                if key.endswith(".npy"):
                    path = os.path.join(workdir, key)
                    why = compare(np.load(path), w, rtol, 1.0) if os.path.exists(path) \
                        else "no file %s" % key
                else:
                    why = compare_print(prints[key], w, rtol, 1.0) if key in prints \
                        else "nothing printed for %s" % key
                results.check(why is None, "case %s %s" % (name, key), why or "")
        finally:
            rmtree(workdir)


def main():
    results = Results()
    long_mode = "CDASK_DIFF_N" in os.environ
    print("seed %d, %d programs of %d statements; known open: %s" % (
        SEED, N, STEPS, ", ".join(sorted(diffgen.KNOWN_OPEN))))
    run_cases(results)
    t0 = time.time()
    for i in range(FIRST, FIRST + N):
        run_generated(results, i, long_mode)
    print("%d programs in %.0f s" % (N, time.time() - t0))
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
