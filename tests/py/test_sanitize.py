#!/usr/bin/python3
# ctest-labels: sanitize
"""The generated C under AddressSanitizer and UndefinedBehaviorSanitizer, and warning-free.

For each pipeline below: `cdaskc P.lua --emit-c P.c`, then
  - gcc -std=c11 -O1 -g -fopenmp -fsanitize=address,undefined -fno-sanitize-recover=all
    -ffp-contract=off -fno-math-errno -fwhole-program P.c -lsleef -lm, run with
    ASAN_OPTIONS=detect_leaks=1 (threads 1 and 3): exit 0 and no sanitizer report;
  - the same C built as cdaskc builds it with GCC (-O3 -fwhole-program) and run: the
    sanitized outputs (.npy files and the da.print lines) equal these, bit for bit (any NaN
    equals any NaN);
  - where NumPy defines the answer (integer wrap-around, integer division by zero, casts on
    x86-64, empty arrays, views): the outputs equal NumPy's;
  - gcc and clang with -Wall -Wextra -Werror (at -O2, so that the flow-based warnings run)
    compile it without a warning (not as the whole program: every runtime function is
    compiled and checked, the ones this pipeline does not call too).
Then cdaskc itself, built with the same sanitizers in a temporary directory, compiles the
tests/errors scripts, these pipelines (with every dump option) and EXTREMES (corner cases of
the frontend and of constant folding) without a sanitizer report, a crash or an internal
error.
No leak suppression is used: LeakSanitizer reports nothing from libgomp here. Should it ever,
put "leak:libgomp" in a suppressions file, and only that.

Environment: CDASK_BUILD (holds cdaskc), CDASK_SOURCE (the repository); CC_GCC and CC_CLANG
may name the compilers (default gcc and clang; a missing clang is a failure, not a skip)."""

import concurrent.futures
import os
import platform
import shutil
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

GCC = os.environ.get("CC_GCC", "gcc")
CLANG = os.environ.get("CC_CLANG", "clang")
SAN_FLAGS = ["-std=c11", "-O1", "-g", "-fopenmp", "-fsanitize=address,undefined",
             "-fno-sanitize-recover=all", "-ffp-contract=off", "-fno-math-errno", "-fwhole-program"]
WARN_FLAGS = ["-std=c11", "-O2", "-fopenmp", "-ffp-contract=off", "-fno-math-errno",
              "-Wall", "-Wextra", "-Werror"]
SAN_ENV = {"ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:exitcode=86",
           "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:exitcode=87"}
SAN_MARKERS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
               "runtime error:", "SUMMARY:")
X86_64 = platform.machine() in ("x86_64", "AMD64")

R = tl.Results()

# ---- the pipelines -----------------------------------------------------------------------
# Each: (name, Lua source, setup(dir) writing inputs or None, oracle() -> {output: value}
# where an output is "file.npy" or "print:label"; values are NumPy arrays).

INT_WRAP = """local da = require("cdask.array")
-- int64: + - * neg abs wrap around; // and % by zero give 0; INT64_MIN // -1 wraps
local a = da.arange(-40, 40, {chunks = 7})
local big = a * 4611686018427387904
da.to_npy(big, "mul.npy")
da.to_npy(a + 9223372036854775807, "add.npy")
da.to_npy(a - 9223372036854775807 - 2, "sub.npy")
local m = a * 0 - 9223372036854775807 - 1
da.to_npy(-m, "negmin.npy")
da.to_npy(da.abs(m), "absmin.npy")
da.to_npy(m // -1, "mindiv.npy")
da.to_npy(m % -1, "minmod.npy")
local z = a * 0
da.to_npy(a // z, "div0.npy")
da.to_npy(a % z, "mod0.npy")
local d = da.arange(-9, 9, {chunks = 4})
local e = da.arange(-3, 15, {chunks = 5})
da.to_npy(d // e, "floordiv.npy")
da.to_npy(d % e, "mod.npy")
da.to_npy(a ^ 21, "pow.npy")
da.to_npy(big:sum(), "sum.npy")
da.to_npy((a + 41):prod(), "prod.npy")
-- int32: wraps in 32 bits; sums promote to int64
local i = da.arange(-20, 20, {dtype = "int32", chunks = 6})
da.to_npy(i * 2147483647, "i32mul.npy")
da.to_npy(i + 2147483647, "i32add.npy")
da.to_npy(i // (i * 0), "i32div0.npy")
da.to_npy(i % (i * 0), "i32mod0.npy")
local imin = i * 0 - 2147483647 - 1
da.to_npy(imin // -1, "i32mindiv.npy")
da.to_npy(-imin, "i32negmin.npy")
da.to_npy((i * 2147483647):sum(), "i32sum.npy")
da.to_npy((i + 21) ^ 9, "i32pow.npy")
da.print((a * 4611686018427387904):max(), "maxwrap")
"""


def int_wrap_oracle():
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return int_wrap_values()


def int_wrap_values():
    a = np.arange(-40, 40)
    big = a * 4611686018427387904
    m = a * 0 - 9223372036854775807 - 1
    z = a * 0
    d, e = np.arange(-9, 9), np.arange(-3, 15)
    i = np.arange(-20, 20, dtype=np.int32)
    imin = i * np.int32(0) - np.int32(2147483647) - np.int32(1)
    return {
        "mul.npy": big, "add.npy": a + 9223372036854775807,
        "sub.npy": a - 9223372036854775807 - 2, "negmin.npy": -m, "absmin.npy": np.abs(m),
        "mindiv.npy": m // -1, "minmod.npy": m % -1, "div0.npy": a // z, "mod0.npy": a % z,
        "floordiv.npy": d // e, "mod.npy": d % e, "pow.npy": a ** 21, "sum.npy": big.sum(),
        "prod.npy": (a + 41).prod(),
        "i32mul.npy": i * np.int32(2147483647), "i32add.npy": i + np.int32(2147483647),
        "i32div0.npy": i // (i * np.int32(0)), "i32mod0.npy": i % (i * np.int32(0)),
        "i32mindiv.npy": imin // np.int32(-1), "i32negmin.npy": -imin,
        "i32sum.npy": (i * np.int32(2147483647)).sum(), "i32pow.npy": (i + np.int32(21)) ** 9,
        "print:maxwrap": big.max(),
    }


CASTS = """local da = require("cdask.array")
-- float -> int casts of NaN, +-inf and out-of-range values, computed at run time...
local x = da.arange(-3, 4, {chunks = 2}):astype("float64")
local nan = da.sqrt(x - 10)
local inf = da.log(x * 0)
local ovf = x * 1e30
da.to_npy(nan:astype("int64"), "nan_i64.npy")
da.to_npy(nan:astype("int32"), "nan_i32.npy")
da.to_npy(nan:astype("bool"), "nan_bool.npy")
da.to_npy(inf:astype("int64"), "inf_i64.npy")
da.to_npy((-inf):astype("int32"), "ninf_i32.npy")
da.to_npy(ovf:astype("int64"), "ovf_i64.npy")
da.to_npy(ovf:astype("int32"), "ovf_i32.npy")
da.to_npy((x * 1e9):astype("int32"), "big_i32.npy")
da.to_npy(ovf:astype("float32"), "ovf_f32.npy")
da.to_npy(nan:astype("float32"):astype("int32"), "nan_f32_i32.npy")
da.to_npy((x * 3e9):astype("int64"):astype("int32"), "i64_i32.npy")
-- ... and of constants, which cdaskc may fold
local z = da.zeros({3, 2}, {chunks = {2, 1}})
da.to_npy((z / z):astype("int64"), "cnan_i64.npy")
da.to_npy((z / z):astype("int32"), "cnan_i32.npy")
da.to_npy(((z + 1) / z):astype("int32"), "cinf_i32.npy")
da.to_npy(da.full({3}, 3e9):astype("int32"), "c3e9_i32.npy")
da.to_npy(da.full({3}, -1e300):astype("int64"), "cbig_i64.npy")
da.to_npy(da.full({3}, 0/0):astype("bool"), "cnan_bool.npy")
"""


def casts_oracle():
    x = np.arange(-3, 4).astype(np.float64)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nan = np.sqrt(x - 10)
        inf = np.log(x * 0)
        ovf = x * 1e30
        z = np.zeros((3, 2))
        out = {
            "nan_i64.npy": nan.astype(np.int64), "nan_i32.npy": nan.astype(np.int32),
            "nan_bool.npy": nan.astype(bool), "inf_i64.npy": inf.astype(np.int64),
            "ninf_i32.npy": (-inf).astype(np.int32), "ovf_i64.npy": ovf.astype(np.int64),
            "ovf_i32.npy": ovf.astype(np.int32), "big_i32.npy": (x * 1e9).astype(np.int32),
            "ovf_f32.npy": ovf.astype(np.float32),
            "nan_f32_i32.npy": nan.astype(np.float32).astype(np.int32),
            "i64_i32.npy": (x * 3e9).astype(np.int64).astype(np.int32),
            "cnan_i64.npy": (z / z).astype(np.int64), "cnan_i32.npy": (z / z).astype(np.int32),
            "cinf_i32.npy": ((z + 1) / z).astype(np.int32),
            "c3e9_i32.npy": np.full(3, 3e9).astype(np.int32),
            "cbig_i64.npy": np.full(3, -1e300).astype(np.int64),
            "cnan_bool.npy": np.full(3, np.nan).astype(bool),
        }
    if not X86_64:  # float -> int of NaN and out-of-range values: x86-64's answer only
        out = {k: v for k, v in out.items() if k in ("nan_bool.npy", "ovf_f32.npy",
                                                     "cnan_bool.npy", "i64_i32.npy")}
    return out


EMPTY = """local da = require("cdask.array")
local e = da.zeros({0, 5}, {chunks = {3, 2}})
local f = da.random.normal(0, 1, {4, 0}, {chunks = 2, seed = 3})
local g = da.from_npy("empty.npy")
da.to_npy(e * 2 + 1, "e.npy")
da.to_npy(e:sum(0), "esum0.npy")
da.to_npy(e:sum(1), "esum1.npy")
da.to_npy(e:mean(0), "emean0.npy")
da.to_npy(e:var(0), "evar0.npy")
da.to_npy(e:prod(), "eprod.npy")
da.to_npy(e:any(0), "eany0.npy")
da.to_npy(e:all(0), "eall0.npy")
da.to_npy(f, "f.npy")
da.to_npy(f:sum(1), "fsum1.npy")
da.to_npy(f:max(0), "fmax0.npy")
da.to_npy(f.T["::-1"], "fT.npy")
da.to_npy(g * 3, "g.npy")
da.to_npy(g:sum(0), "gsum0.npy")
da.to_npy(g:sum(1), "gsum1.npy")
da.to_npy(da.arange(10, {chunks = 3})["7:2"], "slice.npy")
da.to_npy(da.arange(10)["7:2"]:sum(), "slicesum.npy")
da.to_npy(da.linspace(0, 1, 0), "lin.npy")
da.print(e:sum(0), "p_esum0")
da.print(g, "p_g")
"""


def empty_setup(d):
    np.save(os.path.join(d, "empty.npy"), np.zeros((0, 3), dtype=np.int32))


def empty_oracle():
    e = np.zeros((0, 5))
    f = np.zeros((4, 0))
    g = np.zeros((0, 3), dtype=np.int32)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "e.npy": e * 2 + 1, "esum0.npy": e.sum(0), "esum1.npy": e.sum(1),
            "emean0.npy": e.mean(0), "evar0.npy": e.var(0), "eprod.npy": e.prod(),
            "eany0.npy": e.any(0), "eall0.npy": e.all(0), "f.npy": f, "fsum1.npy": f.sum(1),
            "fmax0.npy": f.max(0), "fT.npy": f.T[::-1], "g.npy": g * 3,
            "gsum0.npy": g.sum(0), "gsum1.npy": g.sum(1), "slice.npy": np.arange(10)[7:2],
            "slicesum.npy": np.arange(10)[7:2].sum(), "lin.npy": np.linspace(0, 1, 0),
        }


CHUNK1 = """local da = require("cdask.array")
local a = da.arange(37, {chunks = 1})
local r = da.random.normal(0, 1, {9, 7}, {chunks = {1, 1}, seed = 11})
local u = da.random.uniform(0, 1, {9, 7}, {chunks = 1, seed = 12, dtype = "float32"})
da.to_npy(a * a - 5, "a.npy")
da.to_npy(a["::-1"] + a, "arev.npy")
da.to_npy(a:sum(), "asum.npy")
da.to_npy(r, "r.npy")
da.to_npy(r.T["::-2, 1:"], "rview.npy")
da.to_npy(r:sum(0), "rsum0.npy")
da.to_npy(r:mean(1), "rmean1.npy")
da.to_npy(r:std(), "rstd.npy")
da.to_npy(r:argmax(0), "rargmax0.npy")
da.to_npy(r:argmin(), "rargmin.npy")
da.to_npy(u, "u.npy")
da.to_npy(da.sin(u) + da.exp(u), "usinexp.npy")
da.to_npy(u:max(1), "umax1.npy")
da.to_npy((r:gt(0)):any(1), "rany1.npy")
da.print(r:min(), "rmin")
"""


def chunk1_oracle():
    a = np.arange(37)
    return {"a.npy": a * a - 5, "arev.npy": a[::-1] + a, "asum.npy": a.sum()}


VIEWS3D = """local da = require("cdask.array")
local x = da.from_npy("cube.npy", {chunks = {2, 3, 4}})
local f = da.from_npy("cubef.npy", {chunks = {3, 2, 5}})
local v = x["::-1, 1:, ::-2"]
da.to_npy(v, "v.npy")
da.to_npy(v * 10 + v["::-1, ::-1, ::-1"], "vv.npy")
da.to_npy(x:transpose({2, 0, 1})["::-1, ::2"], "t.npy")
da.to_npy(x.T["1:-1, ::-3, ::-1"], "tt.npy")
da.to_npy(x["-1, ::-2, 3"], "ints.npy")
da.to_npy(x["None, ..., ::-1, None"], "newaxis.npy")
da.to_npy(v:sum(1), "vsum1.npy")
da.to_npy(v:sum({0, 2}, true), "vsum02k.npy")
da.to_npy(x["::-1"]:max{axis = {0, 1}, keepdims = true}, "maxk.npy")
da.to_npy(x["::-1, ::-1, ::-1"]:argmax(2), "argmax2.npy")
da.to_npy(x + da.arange(6)["::-1"], "bcast.npy")
da.to_npy(f["::-2, ::-1, 1::2"], "fv.npy")
da.to_npy(f["::-2, ::-1, 1::2"]:sum(0), "fvsum0.npy")
da.to_npy(f.T:mean(0), "fTmean0.npy")
da.to_npy(f:transpose({1, 2, 0})["::-1, 4:2:-1"] * x:transpose({0, 2, 1})[":, 1:3, ::-1"],
          "mixed.npy")
"""

CUBE = np.arange(4 * 5 * 6, dtype=np.int64).reshape(4, 5, 6) * 7 - 300
CUBEF = np.asfortranarray(np.linspace(-2, 3, 5 * 4 * 6).reshape(5, 4, 6))


def views3d_setup(d):
    np.save(os.path.join(d, "cube.npy"), CUBE)
    np.save(os.path.join(d, "cubef.npy"), CUBEF)


def views3d_oracle():
    x, f = CUBE, np.ascontiguousarray(CUBEF)
    v = x[::-1, 1:, ::-2]
    return {
        "v.npy": v, "vv.npy": v * 10 + v[::-1, ::-1, ::-1],
        "t.npy": x.transpose(2, 0, 1)[::-1, ::2], "tt.npy": x.T[1:-1, ::-3, ::-1],
        "ints.npy": x[-1, ::-2, 3], "newaxis.npy": x[None, ..., ::-1, None],
        "vsum1.npy": v.sum(1), "vsum02k.npy": v.sum((0, 2), keepdims=True),
        "maxk.npy": x[::-1].max(axis=(0, 1), keepdims=True),
        "argmax2.npy": x[::-1, ::-1, ::-1].argmax(2), "bcast.npy": x + np.arange(6)[::-1],
        "fv.npy": f[::-2, ::-1, 1::2],
        "mixed.npy": f.transpose(1, 2, 0)[::-1, 4:2:-1] * x.transpose(0, 2, 1)[:, 1:3, ::-1],
    }


MATH = """local da = require("cdask.array")
-- vectorised strips with odd tails, float32 and float64, NaN in reductions
for _, n in ipairs({1, 3, 17, 1031}) do
  local x = da.linspace(-4, 4, n, {chunks = 7})
  local y = x:astype("float32")
  da.to_npy(da.sin(x) * da.cos(x) + da.exp(x) - da.tan(x), "f64_" .. n .. ".npy")
  da.to_npy(da.sqrt(da.abs(y)) + da.log(y * y + 1) + da.floor(y) - da.ceil(y), "f32_" .. n .. ".npy")
  da.to_npy(da.log(x), "log_" .. n .. ".npy")
end
local r = da.random.normal(0, 1, {33, 65}, {chunks = {8, 16}, seed = 5})
local w = da.where(r:gt(1.5), 0/0, r)
da.to_npy(w:max(1), "nanmax.npy")
da.to_npy(w:argmin(0), "nanargmin.npy")
da.to_npy(w:var(0), "nanvar.npy")
da.to_npy(da.maximum(w, 0), "maximum.npy")
da.to_npy(r:astype("float32"):sum(1), "f32sum.npy")
da.to_npy(r:std{axis = 1, ddof = 1}, "std1.npy")
da.to_npy(r:lt(0):all(0), "lt_all.npy")
da.print(w:sum(), "nansum")
"""

# Text that the emitted C quotes in comments and strings: it must neither change the
# program nor draw a warning (-Wcomment, -Wtrigraphs; trigraphs are live under -std=c11).
TEXT = """local da = require("cdask.array")
local x = da.from_npy('in "q" \\\\ ??= %d.npy') -- a comment with */ and /* and ??/
local y = x * 2 -- ends with ??/
da.print(y, "label ??/ ??= ??( \\"quoted\\" %s %n \\\\")
da.print(x + 1, "multi\\nline */ /* ??'")
da.to_npy(y, "out ??- ??! '.npy")
da.to_npy(x:sum(), 'sum\\\\%n.npy')
"""
TEXT_INPUT = 'in "q" \\ ??= %d.npy'


def text_setup(d):
    np.save(os.path.join(d, TEXT_INPUT), np.arange(4.0))


def text_oracle():
    x = np.arange(4.0)
    return {"out ??- ??! '.npy": x * 2, "sum\\%n.npy": x.sum(),
            'print:label ??/ ??= ??( "quoted" %s %n \\': x * 2,
            "print:multi\nline */ /* ??'": x + 1}


BLOCKS = """local da = require("cdask.array")
local cd = require("cdask")
-- map_overlap's halos (every boundary, depth over a chunk) and map_blocks' whole axes
local k = cd.cfile("k.c")
local x = (da.arange(63, {chunks = 63}) % 10):astype("float64"):reshape({7, 9}):rechunk({2, 4})
for i, b in ipairs({"reflect", "periodic", "nearest", "none", -1}) do
  da.to_npy(da.map_overlap(k.box, x, {depth = {3, 1}, boundary = b}), "o" .. i .. ".npy")
end
da.to_npy(da.map_blocks(k.rows, x, {drop_axis = 1}), "rows.npy")
"""

BLOCKS_KERNELS = """#include <stdint.h>
/* the sum of the 3x3 box around each element, inside the block */
void box(const double *x, double *out, const cdask_block *b) {
  int64_t n0 = b[1].shape[0], n1 = b[1].shape[1];
  for (int64_t i = 0; i < n0; i++)
    for (int64_t j = 0; j < n1; j++) {
      double s = 0;
      for (int64_t a = i - 1; a <= i + 1; a++)
        for (int64_t c = j - 1; c <= j + 1; c++)
          if (a >= 0 && a < n0 && c >= 0 && c < n1) s += x[a * n1 + c];
      out[i * n1 + j] = s;
    }
}
void rows(const double *x, double *out, const cdask_block *b) {
  for (int64_t i = 0; i < b[1].shape[0]; i++) {
    out[i] = 0;
    for (int64_t j = 0; j < b[1].shape[1]; j++) out[i] += x[i * b[1].shape[1] + j];
  }
}
"""


def blocks_setup(d):
    tl.write(os.path.join(d, "k.c"), BLOCKS_KERNELS)


def blocks_oracle():
    x = (np.arange(63) % 10).astype(np.float64).reshape(7, 9)
    res = {"rows.npy": x.sum(axis=1)}
    modes = ["symmetric", "wrap", "edge", None, "constant"]
    for i, mode in enumerate(modes, 1):
        pads = ((3, 3), (1, 1))
        if mode == "constant":
            p = np.pad(x, pads, mode=mode, constant_values=-1)
        else:  # "none": nothing past the edges, as zeros here
            p = np.pad(x, pads, mode=mode) if mode else np.pad(x, pads)
        s = np.zeros_like(x)
        for a in (-1, 0, 1):
            for c in (-1, 0, 1):
                s = s + p[3 + a:10 + a, 1 + c:10 + c]
        res["o%d.npy" % i] = s
    return res


PIPELINES = [
    ("blocks", BLOCKS, blocks_setup, blocks_oracle),
    ("int_wrap", INT_WRAP, None, int_wrap_oracle),
    ("casts", CASTS, None, casts_oracle),
    ("empty", EMPTY, empty_setup, empty_oracle),
    ("chunk1", CHUNK1, None, chunk1_oracle),
    ("views3d", VIEWS3D, views3d_setup, views3d_oracle),
    ("math", MATH, None, lambda: {}),
    ("text", TEXT, text_setup, text_oracle),
]


# ---- running -----------------------------------------------------------------------------

def outputs(d):
    """The .npy files in d, loaded."""
    res = {}
    for f in sorted(os.listdir(d)):
        if f.endswith(".npy"):
            res[f] = np.load(os.path.join(d, f))
    return res


def run_variant(name, exe, workdir, threads, env_extra):
    out = os.path.join(workdir, "out_%s_t%d" % (os.path.basename(exe), threads))
    os.mkdir(out)
    env = dict(os.environ)
    env.update(env_extra)
    r = tl.run([exe, "--threads", str(threads), "--out", out], cwd=workdir, env=env,
               timeout=600)
    return r, out


def check_pipeline(name, lua, setup, oracle):
    tmp = tl.tempdir("san_" + name)
    try:
        if setup:
            setup(tmp)
        tl.write(os.path.join(tmp, name + ".lua"), lua)
        cfile = name + ".c"
        r = tl.cdaskc([name + ".lua", "--emit-c", cfile], cwd=tmp)
        if not R.check(r.returncode == 0, "%s: cdaskc --emit-c" % name, tl.short(r.stderr)):
            return
        c = os.path.join(tmp, cfile)

        jobs = {
            "san": [GCC] + SAN_FLAGS + [c, "-o", os.path.join(tmp, "san")] + tl.LIBS,
            "plain": [GCC] + tl.BASE_CFLAGS + [c, "-o", os.path.join(tmp, "plain")] + tl.LIBS,
            "gcc -Werror": [GCC] + WARN_FLAGS + ["-c", c, "-o", os.path.join(tmp, "w_gcc.o")],
            "clang -Werror": [CLANG] + WARN_FLAGS + ["-c", c, "-o",
                                                     os.path.join(tmp, "w_clang.o")],
        }
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
            futs = {k: ex.submit(tl.run, cmd, tmp, None, tl.COMPILE_TIMEOUT)
                    for k, cmd in jobs.items()}
            built = {}
            for k in jobs:
                try:
                    res = futs[k].result()
                except OSError as e:  # the compiler is missing
                    R.check(False, "%s: %s" % (name, k), str(e))
                    continue
                built[k] = res
        for k in ("gcc -Werror", "clang -Werror"):
            if k in built:
                res = built[k]
                diag = "\n".join(l for l in res.stderr.splitlines()
                                 if "error" in l or "warning" in l)
                R.check(res.returncode == 0 and not res.stderr.strip(),
                        "%s: %s (no warnings)" % (name, k), tl.short(diag or res.stderr, 1500))
        ok_san = "san" in built and built["san"].returncode == 0
        ok_plain = "plain" in built and built["plain"].returncode == 0
        R.check(ok_san, "%s: build with -fsanitize=address,undefined" % name,
                tl.short(built["san"].stderr if "san" in built else "", 1500))
        R.check(ok_plain, "%s: build as cdaskc does (-O3)" % name,
                tl.short(built["plain"].stderr if "plain" in built else "", 1500))
        if not (ok_san and ok_plain):
            return

        rp, out_plain = run_variant(name, os.path.join(tmp, "plain"), tmp, 3, {})
        R.check(rp.returncode == 0, "%s: plain run exits 0" % name, tl.short(rp.stderr))
        want_files = outputs(out_plain)
        for threads in (1, 3):
            rs, out_san = run_variant(name, os.path.join(tmp, "san"), tmp, threads, SAN_ENV)
            report = [l for l in rs.stderr.splitlines() if any(m in l for m in SAN_MARKERS)]
            R.check(rs.returncode == 0 and not report,
                    "%s: sanitized run, %d thread%s: exit 0, no report" % (
                        name, threads, "s" if threads > 1 else ""),
                    "exit %r\n%s" % (rs.returncode, tl.short(rs.stderr, 3000)))
            got_files = outputs(out_san)
            same = sorted(got_files) == sorted(want_files)
            diffs = []
            for f in sorted(want_files):
                if f in got_files and not tl.same_values(got_files[f], want_files[f]):
                    diffs.append("%s: %s" % (f, tl.describe_diff(got_files[f], want_files[f])))
            R.check(same and not diffs and rs.stdout == rp.stdout,
                    "%s: sanitized outputs equal the -O3 build's (%d threads)" % (name, threads),
                    "files %s vs %s; %s; stdout equal: %s" % (
                        sorted(got_files), sorted(want_files), "; ".join(diffs[:5]),
                        rs.stdout == rp.stdout))

        # NumPy, where it defines the answer
        want = oracle()
        for key, value in sorted(want.items()):
            if key.startswith("print:"):
                label = key[len("print:"):]
                text = "%s = %s" % (label, value)
                R.check(text in rp.stdout, "%s: numpy agrees on print %r" % (name, label),
                        "want %r in stdout %r" % (text, tl.short(rp.stdout)))
                continue
            if key not in want_files:
                R.check(False, "%s: numpy agrees on %s" % (name, key), "no such output")
                continue
            got = want_files[key]
            w = np.asarray(value)
            R.check(tl.same_values(got, w), "%s: numpy agrees on %s" % (name, key),
                    tl.describe_diff(got, w))
    finally:
        tl.rmtree(tmp)


# ---- cdaskc itself under the sanitizers ----------------------------------------------------
# Corner cases for the frontend and the constant folder: the compiler must answer each with a
# program or an error (exit 0 or 1), never with undefined behaviour, a crash or an internal
# error.
EXTREMES = [
    ("arange over all of int64", 'local x = da.arange(-9223372036854775807 - 1, 9223372036854775807)\n'
     'da.print(x:sum(), "s")'),
    ("arange with a huge step", 'da.print(da.arange(0, 9223372036854775807, 9223372036854775807), "s")'),
    ("arange down over int64", 'da.print(da.arange(9223372036854775807, -9223372036854775807, -2):sum(), "s")'),
    ("arange of NaN", 'da.print(da.arange(0, 0/0), "s")'),
    ("linspace of int64 max", 'da.print(da.linspace(0, 1, 9223372036854775807):sum(), "s")'),
    ("ddof of int64 min", 'da.print(da.ones({5}):std{ddof = -9223372036854775807 - 1}, "s")'),
    ("ddof of int64 max", 'da.print(da.ones({5}):var{ddof = 9223372036854775807}, "s")'),
    ("folding int64 min // -1", 'da.print(da.full({2}, -9223372036854775807 - 1) // -1, "a")'),
    ("folding int64 min % -1", 'da.print(da.full({2}, -9223372036854775807 - 1) % -1, "a")'),
    ("folding // 0 and % 0", 'da.print(da.full({2}, 7) // 0, "a")\nda.print(da.full({2}, 7) % 0, "b")\n'
     'da.print(da.full({2}, 7, {dtype = "int32"}) // 0, "c")'),
    ("folding int powers", 'da.print(da.full({2}, 3) ^ 63, "a")\nda.print(da.full({2}, -1) ^ 9223372036854775807, "b")'),
    ("folding negation and abs of int64 min", 'local m = da.full({2}, -9223372036854775807 - 1)\n'
     'da.print(-m, "a")\nda.print(da.abs(m), "b")'),
    ("folding overflowing + and *", 'da.print(da.full({2}, 9223372036854775807) + 1, "a")\n'
     'da.print(da.full({2}, 9223372036854775807) * 3, "b")\n'
     'da.print(da.full({2}, 5, {dtype = "int32"}) * 2147483647, "c")'),
    ("folding casts of huge and NaN constants", 'da.print(da.full({2}, 1e300):astype("int64"), "a")\n'
     'da.print(da.full({2}, 0/0):astype("int32"), "b")\nda.print(da.full({2}, 1e300):astype("float32"), "c")\n'
     'da.print(da.full({2}, 9223372036854775807):astype("float32"), "d")\n'
     'da.print(da.full({2}, -1e300):astype("bool"), "e")'),
    ("huge chunks", 'da.print(da.ones({2, 3}, {chunks = {9223372036854775807, 1}}), "a")'),
    ("huge shape", 'local x = da.ones({3037000500, 3037000500})'),
    ("8 dimensions", 'local x = da.ones({2, 2, 2, 2, 2, 2, 2, 2})\n'
     'da.print(x:sum({0, 1, 2, 3, 4, 5, 6, 7}, true), "s")\n'
     'da.print(x:transpose({7, 6, 5, 4, 3, 2, 1, 0})["::-1, ::-1, ::-1, ::-1, ::-1, ::-1, ::-1, ::-1"], "t")\n'
     'local y = x["None"]'),
    ("0 dimensions", 'local x = da.ones({})\nda.print(x:sum(), "s")\nda.print(x["None, None"], "a")\n'
     'da.print(x["..."], "b")\nda.print(x:argmax(), "c")\nda.print(x + da.arange(3), "d")'),
    ("big slice numbers", 'local x = da.arange(3)\nda.print(x["::-922337203685477580"], "a")\n'
     'da.print(x["-922337203685477580:922337203685477580"], "b")\nlocal y = x["99999999999999999999"]'),
    ("odd index strings", 'local x = da.arange(3)\nfor _, s in ipairs({",", ", ", "", ":::", "1 2", "+", "0,,", "- 1", '
     '"...,...", "None,None,None,None,None,None,None,None,None"}) do pcall(function() return x[s] end) end'),
    ("a long chain", 'local x = da.ones({3})\nfor i = 1, 20000 do x = x + 1 end\nda.print(x, "x")'),
    ("many outputs", 'local x = da.ones({3})\nfor i = 1, 300 do da.to_npy(x * i, "o" .. i .. ".npy") end'),
    ("long strings", 'local x = da.ones({3})\nda.print(x, string.rep("a", 6000))\n'
     'pcall(da.from_npy, string.rep("d/", 3000) .. "x.npy")\npcall(x.astype, x, string.rep("f", 5000))\n'
     'pcall(function() return x[string.rep("1", 5000)] end)'),
]


def sanitized_compiler():
    """Builds cdaskc with -fsanitize=address,undefined into a temporary directory and runs
    it on the error scripts, the pipelines above (with every dump option) and EXTREMES."""
    import test_errors as te
    cmake = shutil.which("cmake")
    if not R.check(cmake is not None, "cdaskc under sanitizers: cmake is installed"):
        return
    tmp = tl.tempdir("cdaskc_san")
    try:
        build = os.path.join(tmp, "build")
        flags = "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
        r = tl.run([cmake, "-S", tl.SRC, "-B", build, "-DCMAKE_BUILD_TYPE=Debug",
                    "-DCMAKE_C_FLAGS=" + flags, "-DCMAKE_EXE_LINKER_FLAGS=" + flags],
                   timeout=tl.COMPILE_TIMEOUT)
        if r.returncode == 0:
            r = tl.run([cmake, "--build", build, "-j", str(os.cpu_count() or 2), "--target",
                        "cdaskc"], timeout=900)
        cdaskc = os.path.join(build, "cdaskc")
        if not R.check(r.returncode == 0 and os.path.exists(cdaskc),
                       "cdaskc under sanitizers: builds", tl.short(r.stdout + r.stderr, 2000)):
            return
        env = dict(os.environ)
        env.update(SAN_ENV)

        def compile_with(name, d, script, extra=()):
            r = tl.run([cdaskc, script, "--emit-c", "x.c"] + list(extra), cwd=d, env=env,
                       timeout=tl.COMPILE_TIMEOUT)
            report = [l for l in r.stderr.splitlines() if any(m in l for m in SAN_MARKERS)]
            R.check(r.returncode in (0, 1) and not report,
                    "cdaskc under sanitizers: %s" % name,
                    "exit %r\n%s" % (r.returncode, tl.short("\n".join(report) or r.stderr, 2000)))

        for path in sorted(os.listdir(te.ERRORS_DIR)):
            if not path.endswith(".lua"):
                continue
            d = os.path.join(tmp, "e_" + path[:-4])
            os.mkdir(d)
            shutil.copy(os.path.join(te.ERRORS_DIR, path), d)
            for fname, kind in te.parse_header(os.path.join(d, path))[1]:
                if kind in te.FIXTURES and kind != "unreadable":
                    te.FIXTURES[kind](os.path.join(d, fname))
            compile_with("tests/errors/" + path, d, path)
        for name, lua, setup, _ in PIPELINES:
            d = os.path.join(tmp, "p_" + name)
            os.mkdir(d)
            if setup:
                setup(d)
            tl.write(os.path.join(d, name + ".lua"), lua)
            compile_with("pipeline %s with every dump" % name, d, name + ".lua",
                         ["--dump-graph", "g.json", "--dump-fused", "f.dot", "--explain",
                          "--dump-after=simplify"])
        for k, (name, body) in enumerate(EXTREMES):
            d = os.path.join(tmp, "x%d" % k)
            os.mkdir(d)
            tl.write(os.path.join(d, "t.lua"), 'local da = require("cdask.array")\n' + body + "\n")
            compile_with(name, d, "t.lua")
    finally:
        tl.rmtree(tmp)


def main():
    if not os.path.exists(tl.CDASKC):
        print("no cdaskc at %s (set CDASK_BUILD)" % tl.CDASKC)
        print("0 passed, 1 failed")
        return 1
    for missing in [c for c in (GCC, CLANG) if not shutil.which(c)]:
        R.check(False, "compiler %s is installed" % missing)
    for p in PIPELINES:
        check_pipeline(*p)
    sanitized_compiler()
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
