"""cd.delayed against dask.delayed (Debian's python3-dask) as the oracle: seed 000's
inc/double/add/sum, seed 001's inc/dec/add, nout, pure (the number of calls), lists,
whole arrays as arguments, from_delayed, methods of delayed values, traced Lua functions,
impure kernels printing in script order, the same bits for OMP_NUM_THREADS=1, 2 and 4,
the examples, and the errors with their exact messages."""

import os
import re
import shutil
import sys
import tempfile

import numpy as np

from cdask_testlib import CDASKC, SRC, Results, describe_diff, run, same_values, write

import dask
from dask import delayed

KERNELS = r"""
#include <stdint.h>
#include <stdio.h>

double inc(double x) { return x + 1; }
double dbl(double x) { return x + 2; }
double add(double x, double y) { return x + y; }
double mix(double x, double y) { return 2 * x + y; }

double total(const double *xs, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += xs[i];
  return s;
}

double divmod(double a, double b, double *rem) {
  double q = (double)(int64_t)(a / b);
  *rem = a - b * q;
  return q;
}

void ramp(double *out, int64_t n) {
  for (int64_t i = 0; i < n; i++) out[i] = 0.5 * (double)i;
}

void show(double x) { printf("show %g\n", x); }

double counted(double x) {
  static int calls;
  printf("call %d\n", ++calls);
  return x;
}

void blocky(const cdask_block *b) { (void)b; }

int64_t twice(int64_t x) { return 2 * x; }

struct pt { double x, y; };
double first(struct pt p) { return p.x; }
"""

# the line of each kernel's definition in k.c
LINES = {m.group(1): i + 1 for i, l in enumerate(KERNELS.split("\n"))
         for m in [re.match(r"\w+ \*?(\w+)\(", l)] if m}

# The oracle's functions: the same arithmetic as the C, so the bits agree.
def inc(x):
    return x + 1


def dbl(x):
    return x + 2


def add(x, y):
    return x + y


def mix(x, y):
    return 2 * x + y


def total(xs):
    s = 0.0
    for v in np.asarray(xs, dtype=np.float64).ravel():
        s += v
    return s


def divmod_(a, b):
    q = float(int(a / b))
    return q, a - b * q


def ramp():
    return 0.5 * np.arange(12, dtype=np.float64).reshape(3, 4)


MAIN = r"""
local cd = require("cdask")
local da = require("cdask.array")
local k = cd.cfile("k.c")
local inc, double, add = cd.delayed(k.inc), cd.delayed(k.dbl), cd.delayed(k.add)

-- seed 000
local output = {}
for _, x in ipairs({1, 2, 3, 4, 5}) do
  local a = inc(x)
  local b = double(x)
  output[#output + 1] = add(a, b)
end
da.to_npy(cd.delayed(k.total)(output), "seed000.npy")

-- nout
local q, r = cd.delayed(k.divmod, {nout = 2})(17.5, 5)
da.to_npy(q, "q.npy")
da.to_npy(r, "r.npy")
-- results read only by tasks are read in their task's buffer (no copy of them)
local q3, r3 = cd.delayed(k.divmod, {nout = 2})(23, 4)
da.to_npy(cd.delayed(k.total)({q3, r3, add(q3, r3)}), "items.npy")

-- a list of numbers and delayed values (more than 16: a tree of lists)
local xs = {}
for i = 1, 300 do xs[i] = (i % 3 == 0) and inc(0.1 * i) or 0.1 * i end
da.to_npy(cd.delayed(k.total)(xs), "list.npy")
da.to_npy(cd.delayed(k.total)({}), "empty.npy")

-- a tree of adds over 64 leaves
local level = {}
for i = 1, 64 do level[i] = inc(i / 7) end
while #level > 1 do
  local up = {}
  for i = 1, #level, 2 do up[#up + 1] = add(level[i], level[i + 1]) end
  level = up
end
da.to_npy(level[1], "tree.npy")

-- 3000 trivial tasks, summed
local many = {}
for i = 1, 3000 do many[i] = inc(i) end
da.to_npy(cd.delayed(k.total)(many), "many.npy")

-- a whole array (a transposed view of one) as an argument
local x = da.arange(12):reshape({3, 4}):astype("float64")
da.to_npy(cd.delayed(k.total)(x.T * 0.5), "arr.npy")

-- from_delayed
local y = da.from_delayed(cd.delayed(k.ramp)(), {3, 4}, "float64")
da.to_npy(y:sum(0), "ramp.npy")

-- methods and arithmetic on delayed values
local v = add(1.5, 2)
da.to_npy(v:mean(), "vmean.npy")
da.to_npy(da.sqrt(v * 3) + v, "vexpr.npy")

-- a traced Lua function with two results
local both = cd.delayed(function(a, b) return a + b, a * b end, {nout = 2})
local s, p = both(da.arange(5), 3)
da.to_npy(s, "s.npy")
da.to_npy(p, "p.npy")

-- impure kernels, in script order, after pure tasks they read
local show = cd.delayed(k.show)
for i = 1, 12 do show(add(i, 0)) end
local counted = cd.delayed(k.counted)
da.to_npy(counted(1) + counted(1), "counted.npy")

-- values of another dtype are converted as astype does (int64 results into doubles)
local twice = cd.delayed(k.twice)
da.to_npy(cd.delayed(k.total)({twice(3), inc(twice(2)), 0.25}), "casts.npy")

-- a pure kernel's call that no output needs is not run
local unused = add(1000, 2000)
"""


def oracle():
    """Dask's values for MAIN's outputs (name -> NumPy value)."""
    d_inc, d_dbl, d_add = delayed(inc), delayed(dbl), delayed(add)
    out = {}
    output = [d_add(d_inc(x), d_dbl(x)) for x in [1, 2, 3, 4, 5]]
    want = {"seed000": delayed(total)(output)}
    q, r = delayed(divmod_, nout=2)(17.5, 5)
    want["q"], want["r"] = q, r
    q3, r3 = delayed(divmod_, nout=2)(23.0, 4)
    want["items"] = delayed(total)([q3, r3, d_add(q3, r3)])
    xs = [d_inc(0.1 * i) if i % 3 == 0 else 0.1 * i for i in range(1, 301)]
    want["list"] = delayed(total)(xs)
    want["empty"] = delayed(total)([])
    level = [d_inc(i / 7) for i in range(1, 65)]
    while len(level) > 1:
        level = [d_add(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    want["tree"] = level[0]
    want["many"] = delayed(total)([d_inc(i) for i in range(1, 3001)])
    import dask.array as da
    x = da.arange(12).reshape(3, 4).astype("float64")
    want["arr"] = delayed(total)(x.T * 0.5)
    want["ramp"] = da.from_delayed(delayed(ramp)(), (3, 4), dtype="float64").sum(0)
    v = d_add(np.float64(1.5), 2)
    want["vmean"] = v.mean()
    want["vexpr"] = delayed(np.sqrt)(v * 3) + v
    s, p = delayed(lambda a, b: (a + b, a * b), nout=2)(da.arange(5), 3)
    want["s"], want["p"] = s, p
    want["counted"] = d_add(1.0, 1.0)
    d_twice = delayed(lambda v: np.int64(2 * v))
    want["casts"] = delayed(total)([d_twice(3), d_inc(d_twice(2)), 0.25])
    names = list(want)
    values = dask.compute(*[want[n] for n in names], scheduler="sync")
    for n, val in zip(names, values):
        out[n] = np.asarray(val)
    return out


def compile_in(d, name, script, extra=()):
    write(os.path.join(d, name + ".lua"), script)
    return run([CDASKC, name + ".lua", "-o", name] + list(extra), cwd=d, timeout=300)


def check_main(r, d):
    write(os.path.join(d, "k.c"), KERNELS)
    p = compile_in(d, "main", MAIN)
    if not r.check(p.returncode == 0, "main compiles", p.stderr):
        return
    want = oracle()
    # the C is clean under -Wall -Wextra (every kind of task slot is in MAIN)
    p = run([CDASKC, "main.lua", "--emit-c", "main.c"], cwd=d)
    p = run(["cc", "-std=c11", "-fopenmp", "-Wall", "-Wextra", "-Werror", "-fsyntax-only",
             "main.c"], cwd=d)
    r.check(p.returncode == 0, "the C has no warning under -Wall -Wextra", p.stderr[-2000:])
    runs = {}
    for threads in ("1", "2", "4"):
        env = dict(os.environ, OMP_NUM_THREADS=threads)
        rd = os.path.join(d, "run" + threads)
        os.mkdir(rd)
        p = run([os.path.join(d, "main"), "--out", rd], cwd=d, env=env)
        if not r.check(p.returncode == 0, "main runs with %s threads" % threads, p.stderr):
            return
        runs[threads] = (p.stdout, {n: np.load(os.path.join(rd, n + ".npy")) for n in want})
    stdout, got = runs["1"]
    for n in want:
        r.check(same_values(got[n], want[n]), "%s equals Dask's value bit for bit" % n,
                describe_diff(got[n], want[n]))
    for threads in ("2", "4"):
        out, vals = runs[threads]
        r.check(all(vals[n].tobytes() == got[n].tobytes() for n in got),
                "the same bits with OMP_NUM_THREADS=%s" % threads)
        r.check(out == stdout, "the same printed lines with OMP_NUM_THREADS=%s" % threads, out)
    shows = re.findall(r"^show (\S+)$", stdout, re.M)
    r.check(shows == [str(i) for i in range(1, 13)], "impure kernels print in script order",
            stdout)
    r.check(re.findall(r"^call (\d+)$", stdout, re.M) == ["1", "2"],
            "an impure kernel called twice with equal arguments runs twice", stdout)
    r.check(stdout.index("show 12") < stdout.index("call 1"), "effects keep script order", stdout)
    # the unused pure call is culled: no group computes t(add 1000 2000)
    p = run([CDASKC, "main.lua", "--emit-c", os.devnull, "--dump-after=fuse"], cwd=d)
    groups = re.findall(r"^group \d+: .*; a delayed task \((\w+)\)$", p.stderr, re.M)
    # add tasks: 5 (seed 000), 1 (items), 63 (the tree), 1 (v), 12 (shown); the unused one
    # is gone
    r.check(groups.count("add") == 5 + 1 + 63 + 1 + 12, "a pure call no output needs is culled",
            "%d add tasks" % groups.count("add"))
    r.check(groups.count("show") == 12, "effects are kept though no output reads them",
            "%d show tasks" % groups.count("show"))
    items = re.findall(r"^group \d+: .*; result \d+ of the delayed task", p.stderr, re.M)
    r.check(len(items) == 2, "only the results that outputs read are copied out of their task",
            "%d copies" % len(items))


DEDUPE = r"""
local cd = require("cdask")
local da = require("cdask.array")
local k = cd.cfile("k.c")
local mix = cd.delayed(k.mix, {pure = %s})
local a = mix(1, 2)
local b = mix(1, 2)
local c = mix(a, b)
da.print(mix(c, a) + mix(1, 2), "r")
"""


def check_pure(r, d):
    """pure = true: equal calls are one task, as Dask's keys are one; pure = false: each
    call is its own task. The task count of the dumped graph equals Dask's key count."""
    for pure in (True, False):
        script = DEDUPE % ("true" if pure else "false")
        write(os.path.join(d, "dedupe.lua"), script)
        p = run([CDASKC, "dedupe.lua", "--emit-c", os.devnull, "--dump-after=simplify"], cwd=d)
        ours = len(re.findall(r"^t\d+ = mix ", p.stderr, re.M))
        m = delayed(mix, pure=pure)
        a, b = m(1, 2), m(1, 2)
        c = m(a, b)
        res = m(c, a) + m(1, 2)
        theirs = sum(1 for key in dict(res.dask) if str(key).startswith("mix"))
        r.check(p.returncode == 0 and ours == theirs,
                "pure=%s: %d tasks, as Dask's graph has %d" % (pure, ours, theirs), p.stderr)


RUN_MEMORY = r"""
local cd = require("cdask")
local da = require("cdask.array")
local k = cd.cfile("k.c")
local total = cd.delayed(k.total)
local b = total(da.from_delayed(cd.delayed(k.ramp)(), {1000}, "float64"))
local d = total(da.from_delayed(cd.delayed(k.ramp)(), {1000}, "float64"))
da.print(cd.delayed(k.add)(b, d), "bd")
"""


def check_memplan(r, d):
    """The five tasks are one run: the two 8000-byte arrays are freed only after its
    taskwait, so both count in the peak (8000 + 8 + 8000 + 8 + 8 bytes)."""
    write(os.path.join(d, "mem.lua"), RUN_MEMORY)
    p = run([CDASKC, "mem.lua", "--emit-c", os.devnull, "--dump-after=memplan"], cwd=d)
    m = re.search(r"^peak_bytes (\d+) ", p.stderr, re.M)
    r.check(m is not None and int(m.group(1)) == 16024,
            "a run of tasks keeps what it reads until its taskwait (peak 16024 bytes)",
            p.stderr[-500:])


ERRORS = [
    ("cd.delayed(k.add)(1, 2, 3)",
     "kernel 'add' (k.c:%(add)d) takes 2 arguments (double, double), got 3"),
    ("cd.delayed(k.total)()",
     "kernel 'total' (k.c:%(total)d) takes 1 argument (const double *), got 0"),
    ("cd.delayed(k.add)('a', 1)",
     "kernel 'add' (k.c:%(add)d) takes 2 arguments (double, double): argument 1 must be a number or "
     "a delayed value, got string"),
    ("cd.delayed(k.add)(da.ones(3), 1)",
     "kernel 'add' (k.c:%(add)d) takes 2 arguments (double, double): argument 1 (double) takes one "
     "value, got an array of shape (3,) (a pointer parameter, const double *, receives a whole "
     "array)"),
    ("cd.delayed(k.total)({1, 'x'})",
     "kernel 'total' (k.c:%(total)d) takes 1 argument (const double *): element 2 of the list in "
     "argument 1 must be a number or a delayed value, got string"),
    ("local q = cd.delayed(k.divmod)(1, 2)",
     "kernel 'divmod' (k.c:%(divmod)d) has 2 results (double, double *rem): give nout = 2 to unpack "
     "them (Delayed objects of unspecified length are not iterable)"),
    ("local q, r, s = cd.delayed(k.divmod, {nout = 3})(1, 2)",
     "kernel 'divmod' (k.c:%(divmod)d) has 2 results (double, double *rem), but nout = 3"),
    ("cd.delayed(k.show, {pure = true})",
     "cd.delayed: kernel 'show' (k.c:%(show)d) is not pure (calls printf (stdio.h) (k.c:%(show)d)), so "
     "pure = true would merge or drop its effects"),
    ("local a, b = cd.delayed(function(x) return x, x + 1 end)(1)",
     "the delayed function returned 2 values: give nout = 2 to unpack them (Delayed objects of "
     "unspecified length are not iterable)"),
    ("local a, b = cd.delayed(function(x) return x end, {nout = 2})(1)",
     "the delayed function returned 1 value, but nout = 2"),
    ("cd.delayed(k.blocky)()",
     "kernel 'blocky' (k.c:%(blocky)d) takes a block description (const cdask_block *): call it with "
     "da.map_blocks, not cd.delayed"),
    ("da.from_delayed(cd.delayed(k.add)(1, 2), {3})",
     "from_delayed: kernel 'add' (k.c:%(add)d) must write its array through one pointer parameter "
     "(T *) and return void"),
    ("da.from_delayed(cd.delayed(k.ramp)(), {3}, 'int64')",
     "from_delayed: dtype int64, but kernel 'ramp' (k.c:%(ramp)d) writes double *"),
    ("local v = cd.delayed(k.ramp)()\nlocal w = v + 1\nda.from_delayed(v, {3})",
     "from_delayed: the delayed value is used already (line 5); call from_delayed on a fresh "
     "call"),
    ("cd.delayed(3)", "cd.delayed takes a kernel (from cd.cfile) or a Lua function, got number"),
    ("cd.delayed(k.first)",
     "kernel 'first' (k.c:%(first)d) cannot be called: parameter 1 ('p') is a struct passed by "
     "value"),
    ("cd.delayed(k.add, {nout = 0})", "cd.delayed: nout must be at least 1, got 0"),
    # NumPy's safe casting, as for k.f(x): a float number is not truncated into an int64
    ("cd.delayed(k.twice)(-7.9)",
     "kernel 'twice' (k.c:%(twice)d): argument 1 is the float -7.9, and casting it to int64 for "
     "parameter 1 ('x', int64_t) is unsafe; pass an integer (math.floor) if that is what you mean"),
    ("cd.delayed(k.twice)(da.ones({}))",
     "kernel 'twice' (k.c:%(twice)d): argument 1 is an array of float64, and casting it to int64 "
     "for parameter 1 ('x', int64_t) is unsafe; convert it with x:astype(\"int64\") if that is "
     "what you mean"),
]


def check_errors(r, d):
    for i, (body, msg) in enumerate(ERRORS):
        script = ('local cd = require("cdask")\nlocal da = require("cdask.array")\n'
                  'local k = cd.cfile("k.c")\n' + body + "\n")
        write(os.path.join(d, "err.lua"), script)
        line = 4 + body.count("\n")
        p = run([CDASKC, "err.lua", "--emit-c", os.devnull], cwd=d)
        msg = msg % LINES
        want = "err.lua:%d: error: %s" % (line, msg)
        r.check(p.returncode == 1 and p.stderr.strip() == want, "error %d: %s" % (i, msg[:50]),
                "exit %s, stderr %r, want %r" % (p.returncode, p.stderr.strip(), want))


def check_examples(r, d):
    """The seed examples, built from a copy next to their kernels; values against Dask."""
    shutil.copytree(os.path.join(SRC, "examples", "kernels"), os.path.join(d, "kernels"))
    import dask.array as da
    data = np.arange(100_000).reshape(200, 500)
    a = da.from_array(data, chunks=(100, 100))
    seed003 = delayed(lambda x: x + 1)(np.sin(a)).mean()
    # the C version: one task gets the whole array; its result is one chunk, as in Dask
    seed003_c = da.from_delayed(delayed(lambda x: x + 1)(np.sin(data)), (200, 500),
                                dtype="float64").mean()

    def slow(f, t):
        import time

        def g(*args):
            time.sleep(t)
            return f(*args)
        return delayed(g)
    seed001 = slow(add, 0.2)(slow(inc, 0.1)(1), slow(lambda x: x - 1, 0.1)(2))
    output = [delayed(add)(delayed(inc)(x), delayed(dbl)(x)) for x in [1, 2, 3, 4, 5]]
    seed000 = delayed(sum)(output)
    want = dict(zip(["seed000_delayed", "seed001_sleep", "seed003_delayed_array", "m_c"],
                    dask.compute(seed000, seed001, seed003, seed003_c)))
    labels = {"seed000_delayed": "total", "seed001_sleep": "z", "seed003_delayed_array": "m"}
    for name, label in labels.items():
        shutil.copy(os.path.join(SRC, "examples", name + ".lua"), d)
        p = run([CDASKC, name + ".lua", "-o", name], cwd=d, timeout=300)
        if not r.check(p.returncode == 0, name + " compiles", p.stderr):
            continue
        p = run([os.path.join(d, name)], cwd=d, env=dict(os.environ, OMP_NUM_THREADS="2"))
        got = dict(re.findall(r"^(\w+) = (.*)$", p.stdout, re.M))
        r.check(p.returncode == 0 and label in got and float(got[label]) == float(want[name]),
                "%s: %s = %r as Dask computes" % (name, label, float(want[name])),
                p.stdout + p.stderr)
        if name == "seed003_delayed_array":
            # a one-tile 2-D mean sums in another order than NumPy's flat pairwise sum
            # (cdask's reductions, not delayed: rechunk({200, 500}):mean() does the same)
            w = float(want["m_c"])
            r.check("m_c" in got and abs(float(got["m_c"]) - w) <= 1e-13 * abs(w),
                    "%s: m_c = %r as Dask computes (to 1e-13)" % (name, w), p.stdout)


def main():
    r = Results()
    with tempfile.TemporaryDirectory(prefix="cdask_delayed_") as d:
        check_main(r, d)
        check_pure(r, d)
        check_memplan(r, d)
        check_errors(r, d)
        check_examples(r, d)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
