"""Scalar C kernels (cd.cfile, k.f(x, y)) and traced Lua functions (da.vectorize), against
NumPy: every supported dtype, broadcasting and NumPy's casting rules, a kernel calling a
static helper and math.h, fusion (the call is inline in the loop, no stored intermediate),
common subexpressions of pure calls and never of impure ones, an impure printf kernel's
output order for any thread count, the same bits for 1, 2 and 4 threads, the emitted C
built alone (without the kernel file), the manifest; and the errors, exact, at the user's
line: libclang's diagnostics, argument counts, unsafe casts, unsupported signatures,
reserved and unknown names, comparisons of arrays while tracing."""

import hashlib
import json
import os
import re
import shlex
import sys

import numpy as np

from cdask_testlib import Results, cdaskc, rmtree, run, short, tempdir, write

KERNELS = """#include <math.h>
#include <stdbool.h>
#include <complex.h>
#include "cdask_kernel.h"
static double sq(double x) { return x * x; }
double add(double x, double y) { return x + y; }
double hyp(double x, double y) { return sqrt(sq(x) + sq(y)) + sin(x); }
float scale32(float x, float s) { return x * s + 1.0f; }
int imix(int a, int b) { return a * 3 - b; }
long lmix(long a, long b) { return a * 7 + b; }
bool between(double x, double lo, double hi) { return x >= lo && x < hi; }
double pick(bool c, double a, double b) { return c ? a : b; }
double complex cz(double complex z, double r) { return z * r + I; }
float complex cz32(float complex z) { return z * z; }
void blk(const double *x, double *y, long n) { for (long i = 0; i < n; i++) y[i] = x[i]; }
"""
ADD_LINE = 6  # kernels.c:6 is add

IMPURE = """#include <stdio.h>
double show(double x) { printf("show %g\\n", x); return x; }
double tell(double x) { printf("tell %g\\n", x); return -x; }
"""

SCALED = """double scaled(double x) { return x * SCALE; }
"""

VALUES = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("kernels.c")
local x = da.from_npy("x.npy", {chunks = {3, 4}})
local y = da.from_npy("y.npy")
local f = da.from_npy("f.npy", {chunks = {2, 5}})
local i = da.from_npy("i.npy")
local l = da.from_npy("l.npy")
local z = da.from_npy("z.npy")
local z32 = da.from_npy("z32.npy")
da.to_npy(k.add(x, y), "add.npy")
da.to_npy(k.hyp(x, y), "hyp.npy")
da.to_npy(k.scale32(f, 2.5), "scale32.npy")
da.to_npy(k.imix(i, 5), "imix.npy")
da.to_npy(k.lmix(i, l), "lmix.npy")
da.to_npy(k.between(x, 0.25, 0.75), "between.npy")
da.to_npy(k.pick(x:gt(0.5), x, 0), "pick.npy")
da.to_npy(k.add(i, 1), "add_int.npy")
da.to_npy(k.add(3, 4.5), "add_scalars.npy")
da.to_npy(k.cz(z, 2), "cz.npy")
da.to_npy(k.cz32(z32), "cz32.npy")
da.to_npy(k.add(x, 2) * 2, "fused.npy")
local g = da.vectorize(function(a, b) return da.where(a:gt(b), a - b, b * 2) + 1, 7 end)
local v, seven = g(x, y)
da.to_npy(v, "vec.npy")
da.to_npy(seven, "seven.npy")
da.to_npy(da.vectorize(k.add)(x, 1), "vec_kernel.npy")
"""


def inputs(d):
    rng = np.random.default_rng(12)
    arrays = {
        "x": rng.random((6, 8)),
        "y": rng.random(8),
        "f": rng.random((4, 10)).astype(np.float32),
        "i": rng.integers(-1000, 1000, (6, 8)).astype(np.int32),
        "l": rng.integers(-10**12, 10**12, (6, 8)).astype(np.int64),
        "z": (rng.random(5) + 1j * rng.random(5)).astype(np.complex128),
        "z32": (rng.random(5) + 1j * rng.random(5)).astype(np.complex64),
    }
    for name, a in arrays.items():
        np.save(os.path.join(d, name + ".npy"), a)
    return arrays


def expected(a):
    x, y, f, i, l, z, z32 = a["x"], a["y"], a["f"], a["i"], a["l"], a["z"], a["z32"]
    return {
        "add": x + y,
        "scale32": f * np.float32(2.5) + np.float32(1),
        "imix": (i * np.int32(3) - np.int32(5)).astype(np.int32),
        "lmix": i.astype(np.int64) * 7 + l,
        "between": (x >= 0.25) & (x < 0.75),
        "pick": np.where(x > 0.5, x, 0.0),
        "add_int": i.astype(np.float64) + 1.0,
        "add_scalars": np.array(7.5),
        "cz": z * 2.0 + 1j,
        "cz32": z32 * z32,
        "fused": (x + 2.0) * 2,
        "vec": np.where(x > y, x - y, y * 2) + 1,
        "seven": np.full((6, 8), 7, dtype=np.int64),
        "vec_kernel": x + 1.0,
    }


def check_values(r, d, a, tag):
    for name, want in expected(a).items():
        got = np.load(os.path.join(d, name + ".npy"))
        same = got.dtype == want.dtype and got.shape == want.shape and np.array_equal(got, want)
        r.check(same, "%s: %s equals NumPy" % (tag, name),
                "%s %s vs %s %s: %s vs %s" % (got.dtype, got.shape, want.dtype, want.shape,
                                             short(str(got)), short(str(want))))
    # sin from the C library and from NumPy may differ in the last bit
    got, want = np.load(os.path.join(d, "hyp.npy")), np.sqrt(a["x"] ** 2 + a["y"] ** 2) + np.sin(a["x"])
    r.check(got.dtype == np.float64 and np.allclose(got, want, rtol=1e-14, atol=0),
            "%s: hyp (a static helper, sqrt and sin) equals NumPy" % tag)


def test_values(r):
    d = tempdir("kernels")
    try:
        write(os.path.join(d, "kernels.c"), KERNELS)
        write(os.path.join(d, "v.lua"), VALUES)
        a = inputs(d)
        p = cdaskc(["v.lua", "--emit-c", "v.c", "--dump-fused", "f.json"], cwd=d)
        if not r.check(p.returncode == 0, "the value pipeline compiles", p.stderr):
            return
        p = cdaskc(["v.lua", "-o", "v"], cwd=d)
        bits = {}
        for threads in ("1", "2", "4"):
            env = dict(os.environ, OMP_NUM_THREADS=threads)
            q = run(["./v"], cwd=d, env=env)
            r.check(q.returncode == 0, "runs with %s threads" % threads, q.stderr)
            bits[threads] = {n: open(os.path.join(d, n + ".npy"), "rb").read()
                             for n in list(expected(a)) + ["hyp"]}
            if threads == "1":
                check_values(r, d, a, "1 thread")
        r.check(bits["1"] == bits["2"] == bits["4"], "the same bits for 1, 2 and 4 threads")
        check_fusion(r, d)
        check_emitted(r, d, a)
    finally:
        rmtree(d)


def check_fusion(r, d):
    fused = json.load(open(os.path.join(d, "f.json")))
    ops = {n["id"]: n for n in fused["nodes"]}
    line = VALUES.splitlines().index('da.to_npy(k.add(x, 2) * 2, "fused.npy")') + 1
    groups = [g for g in fused["groups"] if any(ops[m]["line"] == line for m in g["fuses"])]
    r.check(len(groups) == 1 and any(ops[m]["op"] == "call" for m in groups[0]["fuses"]) and
            any(ops[m]["op"] == "multiply" for m in groups[0]["fuses"]),
            "k.add(x, 2) * 2 is one group: the call is fused with the product",
            json.dumps(groups))
    stored = [g["why"] for g in fused["groups"] if g["why"].startswith("stored")]
    r.check(stored == [], "no intermediate is stored", str(stored))
    c = open(os.path.join(d, "v.c")).read()
    r.check(re.search(r"const double t\d+ = cd_call_add\(t\d+, t\d+\); /\* v\.lua:\d+ add\(\) \*/", c)
            is not None, "the call is a statement of the fused loop")


def check_emitted(r, d, a):
    c = open(os.path.join(d, "v.c")).read()
    r.check('#line 1 "kernels.c"' in c and re.search(r'#line \d+ "v\.c"', c) is not None,
            "the kernel text is under #line directives")
    r.check('#include "cdask_kernel.h"' not in c and c.count("double add(double x, double y)") == 1,
            "the kernel text is pasted once, its cdask_kernel.h include a comment")
    # the #line back names the emitted file's own next line
    lines = c.splitlines()
    back = [n for n, s in enumerate(lines, 1) if s.startswith('#line ') and '"v.c"' in s]
    r.check(len(back) == 1 and lines[back[0] - 1] == '#line %d "v.c"' % (back[0] + 1),
            "#line back to the emitted file is exact", str(back))
    # built alone, with the command in its header, where there is no kernels.c
    alone = tempdir("kernels_alone")
    try:
        write(os.path.join(alone, "v.c"), c)
        for n in a:
            os.link(os.path.join(d, n + ".npy"), os.path.join(alone, n + ".npy"))
        cmd = re.search(r"^ \* Build: (.*)$", c, re.M).group(1)
        q = run(shlex.split(cmd) + ["-o", "v"], cwd=alone, timeout=300)
        r.check(q.returncode == 0 and not os.path.exists(os.path.join(alone, "kernels.c")),
                "the emitted C builds without the kernel file", q.stderr)
        q = run(["./v"], cwd=alone)
        same = q.returncode == 0 and all(
            open(os.path.join(alone, n + ".npy"), "rb").read() == open(os.path.join(d, n + ".npy"), "rb").read()
            for n in expected(a))
        r.check(same, "and gives the same results", q.stderr)
        m = json.loads(run(["./v", "--manifest"], cwd=alone).stdout)
        want = hashlib.sha256(KERNELS.encode()).hexdigest()
        r.check(m.get("kernel_files") == [{"path": "kernels.c", "sha256": want, "cflags": "", "libs": ""}],
                "the manifest lists the kernel file and its sha256", json.dumps(m.get("kernel_files")))
    finally:
        rmtree(alone)


def test_explain_and_cse(r):
    d = tempdir("kernels_cse")
    try:
        write(os.path.join(d, "kernels.c"), KERNELS)
        write(os.path.join(d, "impure.c"), IMPURE)
        write(os.path.join(d, "c.lua"), """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("kernels.c")
local m = cd.cfile("impure.c")
local x = da.ones({4}, {chunks = 2})
da.print(k.add(x, 1) + k.add(x, 1), "pure")
da.print(m.show(x) + m.show(x), "impure")
""")
        p = cdaskc(["c.lua", "--emit-c", "c.c", "--explain", "--dump-after=simplify"], cwd=d)
        r.check(p.returncode == 0, "compiles", p.stderr)
        calls = re.findall(r"^t\d+ = call (\w+)( \(impure\))?", p.stderr + p.stdout, re.M)
        r.check(sorted(c[0] for c in calls) == ["add", "show", "show"],
                "equal pure calls are merged, impure ones never", str(calls))
        out = p.stdout
        r.check("kernel add (kernels.c:%d): pure (no side effects); its calls are fused into the "
                "loops of group " % ADD_LINE in out, "--explain: a pure kernel and where it is fused", out)
        r.check(re.search(r"^kernel show \(impure\.c:2\): impure: calls printf \(stdio\.h\) \(impure\.c:2\); "
                          r"each call is a group of its own, tiles in order: groups \d+, \d+$", out, re.M)
                is not None, "--explain: an impure kernel, why, and its groups", out)
        r.check(re.search(r"^kernel blk \(kernels\.c:15\): pure \(no side effects\)$", out, re.M) is not None,
                "--explain lists kernels never called", out)
    finally:
        rmtree(d)


PRINTF = """local da = require("cdask.array")
local cd = require("cdask")
local m = cd.cfile("impure.c", {cflags = "-DUNUSED=1", libs = "-lm"})
local x = da.arange(12, {chunks = 4}):reshape({3, 4}):rechunk({2, 2}):astype("float64")
m.show(x)
da.print(m.tell(x * 100):sum(), "sum")
"""


def test_impure(r):
    d = tempdir("kernels_impure")
    try:
        write(os.path.join(d, "impure.c"), IMPURE)
        write(os.path.join(d, "p.lua"), PRINTF)
        p = cdaskc(["p.lua", "-o", "p"], cwd=d)
        e = cdaskc(["p.lua", "--emit-c", "p.c"], cwd=d)
        if not r.check(p.returncode == 0 and e.returncode == 0, "the printf pipeline compiles",
                       p.stderr + e.stderr):
            return
        # tiles of (2, 2) in order, each row-major: the effect runs though no output reads it,
        # before the second call (script order)
        tiles = [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9], [10, 11]]
        want = ["show %d" % v for t in tiles for v in t] + ["tell %d" % (100 * v) for t in tiles for v in t]
        want.append("sum = -6600")
        outs = {}
        for threads in ("1", "4"):
            q = run(["./p"], cwd=d, env=dict(os.environ, OMP_NUM_THREADS=threads))
            outs[threads] = q.stdout
            r.check(q.returncode == 0 and q.stdout.splitlines() == want,
                    "printf output in order with %s threads" % threads, short(q.stdout))
        # the unread effect's buffer dies with its own tiles, the read one's with its reader
        m = cdaskc(["p.lua", "--dump-after=memplan", "--emit-c", os.devnull], cwd=d)
        own = [int(k) for k, fr in re.findall(r"^group (\d+) memory: .*frees(.*)$", m.stderr, re.M)
               if " group %s" % k in fr.replace(",", " ") + " "]
        r.check(m.returncode == 0 and len(own) == 1, "only the unread effect frees its own buffer",
                m.stderr[-600:])
        c = open(os.path.join(d, "p.c")).read()
        build = re.search(r"^ \* Build: (.*)$", c, re.M).group(1)
        r.check("-DUNUSED=1" in build and build.endswith("p.c -lm -lsleef -lm"),
                "the kernel file's cflags and libs join the build line", build)
    finally:
        rmtree(d)


def test_cflags(r):
    d = tempdir("kernels_cflags")
    try:
        write(os.path.join(d, "s.c"), SCALED)
        write(os.path.join(d, "s.lua"), """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("s.c", {cflags = "-DSCALE=3"})
da.print(k.scaled(da.arange(4)), "s")
""")
        p = cdaskc(["s.lua", "-o", "s"], cwd=d)
        q = run(["./s"], cwd=d) if p.returncode == 0 else p
        r.check(q.returncode == 0 and q.stdout.strip() == "s = [0. 3. 6. 9.]",
                "the file's cflags reach the C compiler", p.stderr + q.stdout + q.stderr)
    finally:
        rmtree(d)


def test_macros_and_paths(r):
    """A kernel file's macros end with its text (names the program's loops use, such as lo
    and part, stay theirs), and a relative cd.cfile path is read next to the script."""
    d = tempdir("kernels_macros")
    try:
        os.makedirs(os.path.join(d, "sub"))
        write(os.path.join(d, "sub", "m.c"), "#define lo 3.0\n#define part 2.0\n"
              "double shift(double x) { return x + lo * part; }\n")
        write(os.path.join(d, "sub", "m.lua"), """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("m.c")
da.print(k.shift(da.arange(4.0)):sum(), "s")
""")
        p = cdaskc([os.path.join("sub", "m.lua"), "-o", "m"], cwd=d)
        q = run(["./m"], cwd=d) if p.returncode == 0 else p
        r.check(q.returncode == 0 and q.stdout.strip() == "s = %d" % int(np.sum(np.arange(4.0) + 6.0)),
                "macros are #undef'd after the kernel text; the path is next to the script",
                p.stderr + q.stdout + q.stderr)
    finally:
        rmtree(d)


def test_names_of_locals(r):
    """Kernels named as the emitted code's locals and fields (at, out, r, bt, src, t) are
    called, not shadowed: scalar calls, delayed tasks and block kernels."""
    d = tempdir("kernels_names")
    try:
        write(os.path.join(d, "names.c"), """#include "cdask_kernel.h"
double at(double x) { return x + 1; }
double out(double x, double y) { return x * y; }
double r(double x) { return -x; }
void bt(const double *x, double *y, const cdask_block *b) {
  for (int64_t i = 0; i < b[0].shape[0]; i++) y[i] = 2 * x[i];
}
void src(const double *x, double *t) { t[0] = x[0]; t[1] = x[1] + 1; }
""")
        write(os.path.join(d, "names.lua"), """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("names.c")
local a = cd.delayed(k.at)(1)
cd.print(cd.delayed(k.out)(a, cd.delayed(k.r)(-3)), "o")
local x = da.arange(6.0, {chunks = 2})
da.print(da.map_blocks(k.bt, x):sum(), "bt")
da.print(da.map_blocks(k.src, x):sum(), "src")
da.print(k.out(x, 2):sum() + k.r(x):sum(), "scalar")
""")
        p = cdaskc(["names.lua", "-o", "names"], cwd=d)
        q = run(["./names"], cwd=d) if p.returncode == 0 else p
        xs = np.arange(6.0)
        want = {"o": (1 + 1) * 3.0, "bt": float(np.sum(2 * xs)),
                "src": float(np.sum(xs + np.tile([0.0, 1.0], 3))),
                "scalar": float(np.sum(xs * 2) + np.sum(-xs))}
        got = dict(re.findall(r"^(\w+) = (.*)$", q.stdout, re.M))
        ok = q.returncode == 0 and all(k in got and float(got[k]) == v for k, v in want.items())
        r.check(ok, "kernels named as the emitted code's locals are called",
                p.stderr + q.stdout + q.stderr)
    finally:
        rmtree(d)


# (C text, Lua after `local k = cd.cfile("e.c")` on line 3, the first stderr line, and the
# second one if any)
HEAD = 'local da = require("cdask.array")\nlocal cd = require("cdask")\nlocal k = cd.cfile("e.c")\n'
ERRORS = [
    ("undeclared", "double f(double x) { return x + y; }\n", "",
     "e.c:1:33: error: use of undeclared identifier 'y'", "e.lua:3: error: cd.cfile: e.c: 1 error (above)"),
    ("implicit declaration", "double f(double x) { return g(x); }\n", "",
     "e.c:1:29: error: implicit declaration of function 'g' is invalid in C99 "
     "[-Wimplicit-function-declaration]", "e.lua:3: error: cd.cfile: e.c: 1 error (above)"),
    ("int conversion", "int f(double x) { int *p = 0; int a = p; return a + (int)x; }\n", "",
     "e.c:1:35: error: incompatible pointer to integer conversion initializing 'int' with an "
     "expression of type 'int *'; dereference with * [-Wint-conversion]", "e.lua:3: error: cd.cfile: e.c: 1 error (above)"),
    ("incompatible pointer", "double f(double x) { int i = 0; double *p = &i; return *p + x; }\n", "",
     "e.c:1:41: error: incompatible pointer types initializing 'double *' with an expression of "
     "type 'int *' [-Wincompatible-pointer-types]", "e.lua:3: error: cd.cfile: e.c: 1 error (above)"),
    ("argument count", "double add(double x, double y) { return x + y; }\n",
     "local x = da.ones({3})\nda.print(k.add(x, x, x), 'a')\n",
     "e.lua:5: error: kernel 'add' (e.c:1) takes 2 arguments (double, double), got 3", None),
    ("unsafe cast of an array", "float s(float x) { return x; }\n",
     "local x = da.ones({3})\nda.print(k.s(x), 's')\n",
     "e.lua:5: error: kernel 's' (e.c:1): argument 1 is an array of float64, and casting it to "
     "float32 for parameter 1 ('x', float) is unsafe; convert it with x:astype(\"float32\") if "
     "that is what you mean", None),
    ("unsafe cast of an int32 array to float32", "float s(float x) { return x; }\n",
     "local x = da.ones({3}):astype('int32')\nda.print(k.s(x), 's')\n",
     "e.lua:5: error: kernel 's' (e.c:1): argument 1 is an array of int32, and casting it to "
     "float32 for parameter 1 ('x', float) is unsafe; convert it with x:astype(\"float32\") if "
     "that is what you mean", None),
    ("a float number to an int parameter", "int s(int x) { return x; }\n",
     "da.print(k.s(da.ones({2}):astype('int32') + 2.5), 's')\n",
     "e.lua:4: error: kernel 's' (e.c:1): argument 1 is an array of float64, and casting it to "
     "int32 for parameter 1 ('x', int) is unsafe; convert it with x:astype(\"int32\") if that is "
     "what you mean", None),
    ("a float Lua number to an int parameter", "int s(int x) { return x; }\n",
     "da.print(k.s(2.5), 's')\n",
     "e.lua:4: error: kernel 's' (e.c:1): argument 1 is the float 2.5, and casting it to int32 "
     "for parameter 1 ('x', int) is unsafe; pass an integer (math.floor) if that is what you mean",
     None),
    ("struct by value", "struct pt { double x, y; };\ndouble f(struct pt p) { return p.x; }\n",
     "da.print(k.f(1), 'f')\n",
     "e.lua:4: error: kernel 'f' (e.c:2) cannot be called: parameter 1 ('p') is a struct passed by value",
     None),
    ("varargs", "double f(double x, ...) { return x; }\n", "da.print(k.f(1), 'f')\n",
     "e.lua:4: error: kernel 'f' (e.c:1) cannot be called: it takes a variable number of arguments",
     None),
    ("function pointer", "double f(double (*g)(double), double x) { return g(x); }\n",
     "da.print(k.f(1, 2), 'f')\n",
     "e.lua:4: error: kernel 'f' (e.c:1) cannot be called: parameter 1 ('g') is a function pointer",
     None),
    ("pointer to pointer", "double f(const double **p) { return **p; }\n", "da.print(k.f(1), 'f')\n",
     "e.lua:4: error: kernel 'f' (e.c:1) cannot be called: parameter 1 ('p') is a pointer to a pointer",
     None),
    ("block kernel called directly",
     "void b(const double *x, double *y, long n) { for (long i = 0; i < n; i++) y[i] = x[i]; }\n",
     "da.print(k.b(da.ones({2}), 1), 'b')\n",
     "e.lua:4: error: kernel 'b' (e.c:1) is a block or task kernel (void b(const double *, double *, "
     "long)): call it with da.map_blocks(k.b, ...) or cd.delayed(k.b)(...); only kernels of values "
     "returning a value are elementwise", None),
    ("reserved name", "double cd_f(double x) { return x; }\n", "",
     "e.c:1: error: the name 'cd_f' is reserved for the program cdaskc writes",
     "e.lua:3: error: cd.cfile: e.c: 1 error (above)"),
    ("unknown function name", "double f(double x) { return x; }\n", "da.print(k.g(1), 'g')\n",
     "e.lua:4: error: e.c defines no non-static function 'g'", None),
    ("shapes", "double add(double x, double y) { return x + y; }\n",
     "da.print(k.add(da.ones({3}), da.ones({4})), 'a')\n",
     "e.lua:4: error: shapes (3,) and (4,) do not broadcast", None),
    ("a string argument", "double f(double x) { return x; }\n", "da.print(k.f('a'), 'f')\n",
     "e.lua:4: error: kernel 'f' (e.c:1): argument 1 must be an array or a number, got string", None),
    ("comparison <", "double f(double x) { return x; }\n",
     "local g = da.vectorize(function(x)\n  if x < 3 then return x end\n  return -x\nend)\n"
     "da.print(g(da.ones({2})), 'g')\n",
     "e.lua:5: error: comparison of arrays with '<' or '>' cannot be traced (Lua makes it a "
     "boolean); use da.less(x, y) or x:lt(y) (da.greater, x:gt), and da.where for a choice", None),
    ("comparison >=", "double f(double x) { return x; }\n",
     "local x = da.ones({2})\nif 0 >= x then x = -x end\n",
     "e.lua:5: error: comparison of arrays with '<=' or '>=' cannot be traced (Lua makes it a "
     "boolean); use da.less_equal(x, y) or x:le(y) (da.greater_equal, x:ge), and da.where for a "
     "choice", None),
    ("comparison ==", "double f(double x) { return x; }\n",
     "local x, y = da.ones({2}), da.zeros({2})\nlocal same = x == y\n",
     "e.lua:5: error: comparison of arrays with '==' or '~=' cannot be traced (Lua makes it a "
     "boolean); use da.equal(x, y) or x:eq(y) (da.not_equal, x:ne), and da.where for a choice",
     None),
    ("vectorize of a table", "double f(double x) { return x; }\n", "da.vectorize({})\n",
     "e.lua:4: error: da.vectorize: expected a Lua function or a kernel (k.f), got table", None),
    ("vectorize returning a string", "double f(double x) { return x; }\n",
     "local g = da.vectorize(function(x) return 'no' end)\ng(da.ones({2}))\n",
     "e.lua:5: error: da.vectorize: result 1 of the function is string; it must return arrays or "
     "numbers", None),
]


def test_errors(r):
    d = tempdir("kernels_errors")
    try:
        for name, ctext, lua, line1, line2 in ERRORS:
            write(os.path.join(d, "e.c"), ctext)
            write(os.path.join(d, "e.lua"), HEAD + lua)
            p = cdaskc(["e.lua", "--emit-c", "e.c.out"], cwd=d)
            lines = p.stderr.splitlines()
            ok = p.returncode == 1 and lines and lines[0] == line1
            if line2 is not None:
                ok = ok and line2 in lines[1:]
            r.check(ok and not os.path.exists(os.path.join(d, "e.c.out")), "error: " + name,
                    "exit %s, stderr %s" % (p.returncode, short(p.stderr)))
    finally:
        rmtree(d)


HERMITIAN = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("kernels.c")
local m = cd.cfile("impure.c")
local F = da.fft
local x = da.from_npy("h.npy")
local w = F.fftfreq(8) ^ 2
da.to_npy(da.real(F.ifft(F.fft(x) * k.add(w, 1))), "pure.npy")
da.to_npy(da.real(F.ifft(F.fft(x) * m.show(w))), "impure.npy")
"""


def test_hermitian(r):
    """A pure kernel of even values is even (the transform is halved); an impure one proves
    nothing."""
    d = tempdir("kernels_hermitian")
    try:
        write(os.path.join(d, "kernels.c"), KERNELS)
        write(os.path.join(d, "impure.c"), IMPURE)
        write(os.path.join(d, "h.lua"), HERMITIAN)
        x = np.random.default_rng(3).random(8)
        np.save(os.path.join(d, "h.npy"), x)
        p = cdaskc(["h.lua", "-o", "h", "--explain"], cwd=d)
        ok = p.returncode == 0
        r.check(ok and len(re.findall(r"\bas irfftn", p.stdout)) == 1 and
                re.search(r"\(h\.lua:8\): .*as irfftn", p.stdout) is not None,
                "hermitian: halves the pure kernel's spectrum only", p.stdout + p.stderr)
        q = run(["./h"], cwd=d) if ok else p
        w = np.fft.fftfreq(8) ** 2
        r.check(q.returncode == 0 and
                np.allclose(np.load(os.path.join(d, "pure.npy")), np.fft.ifft(np.fft.fft(x) * (w + 1)).real,
                            rtol=1e-13, atol=1e-15) and
                np.allclose(np.load(os.path.join(d, "impure.npy")), np.fft.ifft(np.fft.fft(x) * w).real,
                            rtol=1e-13, atol=1e-15),
                "hermitian: the values equal NumPy's", q.stderr)
    finally:
        rmtree(d)


def main():
    r = Results()
    test_values(r)
    test_explain_and_cse(r)
    test_impure(r)
    test_cflags(r)
    test_macros_and_paths(r)
    test_names_of_locals(r)
    test_hermitian(r)
    test_errors(r)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
