"""Shared helpers for test_errors.py, test_repro.py and test_sanitize.py.

Environment (set by CTest): CDASK_BUILD (the build directory, holding cdaskc) and
CDASK_SOURCE (the repository). Both default to this checkout's build/ and root.

Every test prints one line per case ("ok NAME" or "FAIL NAME: why") and, last, exactly
"N passed, M failed"; it exits 1 when anything failed."""

import atexit
import os
import shutil
import subprocess
import sys
import tempfile

# Open MPI keeps its session directory in /tmp/ompi.<host>.<uid>, one for every mpirun of
# the user: when two test processes launch at once (CTest -j2), one's clean-up can remove
# the directory while the other creates its part ("orte_session_dir failed", seen in CI).
# Each test process gets its own, removed when it exits.
_OMPI_TMP = tempfile.mkdtemp(prefix="cdask_ompi_")
os.environ.setdefault("OMPI_MCA_orte_tmpdir_base", _OMPI_TMP)
atexit.register(shutil.rmtree, _OMPI_TMP, True)

SRC = os.environ.get("CDASK_SOURCE") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("CDASK_BUILD") or os.path.join(SRC, "build")
CDASKC = os.path.join(BUILD, "cdaskc")

# The flags cdaskc itself uses for the programs it builds with GCC (compiler/cc.c), and its
# libs.
BASE_CFLAGS = ["-std=c11", "-O3", "-fopenmp", "-ffp-contract=off", "-fno-math-errno",
               "-fwhole-program"]
LIBS = ["-lsleef", "-lm"]

COMPILE_TIMEOUT = 300
RUN_TIMEOUT = 120


class Results:
    """Counts the cases and prints one line for each."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, name, why=""):
        if ok:
            self.passed += 1
            print("ok", name)
        else:
            self.failed += 1
            print("FAIL %s%s" % (name, ": " + why if why else ""))
        sys.stdout.flush()
        return ok

    def skip(self, name, why):
        print("skip %s: %s" % (name, why))

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


def run(cmd, cwd=None, env=None, timeout=RUN_TIMEOUT, preexec_fn=None, text=True):
    """subprocess.run with captured output that never raises on a non-zero exit or a
    timeout (a timeout gives returncode None)."""
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout, preexec_fn=preexec_fn,
                              text=text)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(cmd, None, e.stdout or "", (e.stderr or "") +
                                           "\n[timed out after %ss]" % timeout)


def first_line(s):
    return s.splitlines()[0] if s and s.splitlines() else ""


def short(s, n=600):
    s = s or ""
    return s if len(s) <= n else s[:n] + "...[%d more chars]" % (len(s) - n)


def driver(name):
    """BUILD/tests/NAME: a driver of the runtime or the compiler's passes, built by
    tests/CMakeLists.txt for a Python-driven test."""
    return os.path.join(BUILD, "tests", name)


def driver_built(R, path):
    """Whether the driver at path exists (when it does not: a failed check)."""
    if os.path.exists(path):
        return True
    return R.check(False, "the driver is built", path + " is missing")


def tempdir(prefix):
    return tempfile.mkdtemp(prefix="cdask_" + prefix + "_")


def rmtree(path):
    shutil.rmtree(path, ignore_errors=True)


def cdaskc(args, cwd, timeout=COMPILE_TIMEOUT, env=None):
    return run([CDASKC] + list(args), cwd=cwd, timeout=timeout, env=env)


def write(path, text, mode="w"):
    with open(path, mode) as f:
        f.write(text)


def build_program(script_text, dirpath, name="prog"):
    """Writes NAME.lua into dirpath and compiles it to dirpath/NAME. Returns (exe or None,
    the CompletedProcess of cdaskc)."""
    write(os.path.join(dirpath, name + ".lua"), script_text)
    r = cdaskc([name + ".lua", "-o", name], cwd=dirpath)
    exe = os.path.join(dirpath, name)
    return (exe if r.returncode == 0 and os.path.exists(exe) else None), r


# An LD_PRELOAD shim: sysconf's _SC_PHYS_PAGES (and a 4 KiB page) from $FAKE_PHYS_PAGES, to
# run a program as on a machine of that much memory (the default memory limit's 75%).
FAKE_SYSCONF = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <unistd.h>
/* sysconf with _SC_PHYS_PAGES taken from $FAKE_PHYS_PAGES (4 KiB pages) */
long sysconf(int name) {
  static long (*real)(int);
  const char *pages = getenv("FAKE_PHYS_PAGES");
  if (name == _SC_PHYS_PAGES && pages) return atol(pages);
  if (name == _SC_PAGE_SIZE && pages) return 4096;
  if (!real) real = (long (*)(int))dlsym(RTLD_NEXT, "sysconf");
  return real(name);
}
"""


def sysconf_shim(dirpath):
    """Builds FAKE_SYSCONF into dirpath: (the .so's path, None) or (None, the compiler's
    message)."""
    shim = os.path.join(dirpath, "fake_sysconf.so")
    write(os.path.join(dirpath, "fake_sysconf.c"), FAKE_SYSCONF)
    r = run([os.environ.get("CC", "cc"), "-shared", "-fPIC",
             os.path.join(dirpath, "fake_sysconf.c"), "-o", shim, "-ldl"])
    return (shim, None) if r.returncode == 0 else (None, r.stderr)


def listing(dirpath):
    """Every entry under dirpath (relative paths), hidden files included."""
    out = []
    for root, dirs, files in os.walk(dirpath):
        for f in dirs + files:
            out.append(os.path.relpath(os.path.join(root, f), dirpath))
    return sorted(out)


def same_values(a, b):
    """Same dtype, shape and values; floats bit for bit except that any NaN equals any
    NaN (a NaN's payload and sign are not part of NumPy's contract)."""
    import numpy as np
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind != "f":
        return a.tobytes() == b.tobytes()
    an, bn = np.isnan(a), np.isnan(b)
    if not np.array_equal(an, bn):
        return False
    ia = a.view(np.uint64 if a.dtype.itemsize == 8 else np.uint32)
    ib = b.view(np.uint64 if b.dtype.itemsize == 8 else np.uint32)
    return bool(np.array_equal(ia[~an], ib[~bn]))


def csv_close(got, want, rtol=1e-12):
    """CSV texts with the same cells, except that numbers need only agree within rtol
    relative (pandas' float sums and moments are not correctly rounded; cdask's are)"""
    import csv
    import io
    return cells_close(list(csv.reader(io.StringIO(got))), list(csv.reader(io.StringIO(want))),
                       rtol)


def cells_close(g, w, rtol=1e-12):
    """Rows of cells (lists of strings) alike, numbers within rtol relative"""
    import math
    if len(g) != len(w):
        return False
    for gr, wr in zip(g, w):
        if len(gr) != len(wr):
            return False
        for a, b in zip(gr, wr):
            if a == b:
                continue
            try:
                x, y = float(a), float(b)
            except ValueError:
                return False
            if not (x == y or abs(x - y) <= rtol * max(abs(x), abs(y))
                    or math.isnan(x) and math.isnan(y)):
                return False
    return True


def describe_diff(got, want):
    import numpy as np
    got, want = np.asarray(got), np.asarray(want)
    if got.dtype != want.dtype or got.shape != want.shape:
        return "got %s %s, want %s %s" % (got.dtype, got.shape, want.dtype, want.shape)
    with np.errstate(all="ignore"):
        bad = np.argwhere(~((got == want) | (np.isnan(got) & np.isnan(want))
                            if got.dtype.kind == "f" else got == want))
    if bad.size == 0:
        return "values equal but bits differ (signed zeros?)"
    idx = tuple(bad[0])
    return "%d differing elements, first at %s: got %r, want %r" % (
        len(bad), idx, got[idx] if got.ndim else got, want[idx] if want.ndim else want)


def check_npy_over_threads(R, exe, d, want, label="dask"):
    """Runs exe in d with OMP_NUM_THREADS 1, 2 and 4: every NAME.npy of want must equal
    want[NAME] (dtype, shape, values; NaNs where it has them), and the three runs must
    write the same bits. Checks through R (a Results)."""
    import numpy as np

    runs = {}
    for threads in ("1", "2", "4"):
        p = run([exe], cwd=d, env=dict(os.environ, OMP_NUM_THREADS=threads))
        if not R.check(p.returncode == 0, "run threads=%s" % threads, short(p.stderr)):
            return
        runs[threads] = {n: np.load(os.path.join(d, n + ".npy")) for n in want}
    for name, w in want.items():
        got = runs["1"][name]
        R.check(got.dtype == w.dtype and got.shape == w.shape and np.array_equal(got, w),
                "%s %s" % (label, name), "got %s %s, want %s %s\n%s\n%s" % (
                    got.dtype, got.shape, w.dtype, w.shape, got, w))
    same = all(runs[t][n].tobytes() == runs["1"][n].tobytes() for t in runs for n in want)
    R.check(same, "threads 1/2/4 bitwise equal")


def check_script_errors(R, d, prelude, cases):
    """For each (name, expression, message) of cases: a script of prelude, then
    `local y = EXPRESSION` and `da.print(y)`, compiled in d, must fail with exit code 1 and
    first print exactly "e.lua:LINE: error: MESSAGE" (LINE: the expression's)."""
    line = prelude.count("\n") + 1
    for name, call, msg in cases:
        write(os.path.join(d, "e.lua"), prelude + "local y = %s\nda.print(y)\n" % call)
        r = cdaskc(["e.lua", "-o", "e"], cwd=d)
        want = "e.lua:%d: error: %s" % (line, msg)
        R.check(r.returncode == 1 and first_line(r.stderr) == want, "error %s" % name,
                "exit %s, stderr %r, want %r" % (r.returncode, r.stderr, want))


def printed_values(stdout):
    """db.print's lines ("label = Python's repr") as {label: the value}"""
    import ast
    got = {}
    for line in stdout.split("\n"):
        if line:
            label, _, text = line.partition(" = ")
            got[label] = ast.literal_eval(text)
    return got


def check_printed(R, exe, d, want, label, same=None, threads=("1", "3")):
    """Runs exe (db.print's labels) on each thread count: every label of want must print a
    value same(got, want) (default ==) as Dask's compute() gave it, and the exit be 0."""
    same = same or (lambda g, w: g == w)
    for t in threads:
        p = run([exe, "--threads", t, "--out", d], cwd=d)
        got = printed_values(p.stdout) if p.returncode == 0 else {}
        bad = ["%s: got %r, want %r" % (k, str(got.get(k))[:300], str(w)[:300])
               for k, w in want.items() if k not in got or not same(got[k], w)]
        R.check(p.returncode == 0 and not bad, "%s, %s threads: Dask's results" % (label, t),
                "exit %s %s\n%s" % (p.returncode, short(p.stderr), "\n".join(bad[:3])))


def check_bag_ops(R, d, label, prelude, ops, make_bag, same, threads=("1", "3")):
    """A program of prelude and db.print of each (name, Lua expression, Python over a Dask
    bag) of ops, compiled in d: each printed value same() as Dask's over make_bag().
    Returns cdaskc's CompletedProcess."""
    lines = [prelude] + ['db.print(%s, "%s")' % (lua, name) for name, lua, _ in ops]
    exe, r = build_program("\n".join(lines) + "\n", d)
    if not R.check(exe is not None, label + ": compiles", short(r.stderr)):
        return r
    check_printed(R, exe, d, {name: py(make_bag()).compute() for name, _, py in ops}, label,
                  same=same, threads=threads)
    return r


def check_stdout(R, exe, d, want, label, threads=("1", "3")):
    """Runs exe (its outputs printed) on each thread count: the exit must be 0 and stdout
    exactly want (db.print's lines as Python prints Dask's results)."""
    for t in threads:
        p = run([exe, "--threads", t, "--out", d], cwd=d)
        R.check(p.returncode == 0 and p.stdout == want,
                "%s, %s threads: Python's print of Dask's results" % (label, t),
                "got %r\nwant %r" % (p.stdout[:1500] + short(p.stderr), want[:1500]))
