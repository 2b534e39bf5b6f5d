#!/usr/bin/python3
"""da.map_blocks with C block kernels against Dask's map_blocks (Debian python3-dask).

Each case has a C kernel (blocks.c) and its NumPy twin run by Dask: elementwise with
numbers and 0-d arrays (a mean, an element) bound to value parameters, several inputs paired by block index (broadcast blocks
too), block_info (the kernel writes the descriptions it gets into its output, so the values
prove chunk-location, num-chunks, array-location, shape and chunk-shape), drop_axis (a
per-row sum over whole rows), new_axis, chunks that do not divide the shape, chunks=
changing the blocks' shape, the dtype taken from the signature (a float32 output), a Lua
function traced on the whole arrays; every output equal to Dask's bit for bit and the same
bits with 1, 2 and 4 threads. Then: culling computes whole blocks, only those an output
needs; an impure kernel's blocks run in order even when no
output reads its result; a kernel returning nonzero stops the program naming the block;
the errors, each at the script's line with its exact message; and AddressSanitizer
catching a kernel that writes one element past its output block (a correct kernel, with
halos, runs clean under it)."""

import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

KERNELS = r"""#include <stdint.h>
#include <stdio.h>

static int64_t count(const cdask_block *b) {
  int64_t n = 1;
  for (int d = 0; d < b->ndim; d++) n *= b->shape[d];
  return n;
}

void axpc(const double *x, double a, int64_t c, double *out, const cdask_block *b) {
  for (int64_t i = 0; i < count(&b[0]); i++) out[i] = a * x[i] + (double)c;
}

/* x (2-d) + y, y's block broadcast NumPy's way (aligned right, a length of 1 repeats) */
void add_bcast(const double *x, const double *y, double *out, const cdask_block *b) {
  int64_t n0 = b[1].shape[0], n1 = b[1].shape[1];
  int yd = b[2].ndim;
  int64_t y0 = yd == 2 ? b[2].shape[0] : 1, y1 = b[2].shape[yd - 1];
  for (int64_t i = 0; i < n0; i++)
    for (int64_t j = 0; j < n1; j++)
      out[i * n1 + j] = x[i * n1 + j] + y[(y0 == 1 ? 0 : i) * y1 + (y1 == 1 ? 0 : j)];
}

/* the descriptions, into a (1, 18) output block */
void info(const double *x, double *out, const cdask_block *b) {
  const cdask_block *o = &b[0], *i = &b[1];
  int64_t v[18] = {o->chunk_location[0], o->chunk_location[1], o->num_chunks[0],
                   o->num_chunks[1], o->start[0], o->stop[0], o->start[1], o->stop[1],
                   o->array_shape[0], o->array_shape[1], o->shape[0], o->shape[1],
                   i->chunk_location[0], i->chunk_location[1], i->start[0], i->stop[1],
                   i->num_chunks[1], i->shape[0] * 100 + i->shape[1]};
  for (int k = 0; k < 18; k++) out[k] = (double)v[k] + 0 * x[0];
}

void rowsum(const double *x, double *out, const cdask_block *b) {
  int64_t n0 = b[1].shape[0], n1 = b[1].shape[1];
  for (int64_t i = 0; i < n0; i++) {
    double acc = 0;
    for (int64_t j = 0; j < n1; j++) acc += x[i * n1 + j];
    out[i] = acc;
  }
}

void twice(const double *x, double *out, const cdask_block *b) {
  for (int64_t i = 0; i < count(&b[0]); i++) out[i] = 2 * x[i];
}

void first3(const int64_t *x, int64_t *out) {
  for (int k = 0; k < 3; k++) out[k] = x[k] * 10;
}

void half(const double *x, float *out, const cdask_block *b) {
  for (int64_t i = 0; i < count(&b[0]); i++) out[i] = (float)(x[i] / 3);
}

void shout(const double *x, double *out, const cdask_block *b) {
  printf("block %lld\n", (long long)b[0].chunk_location[0]);
  fflush(stdout);
  for (int64_t i = 0; i < count(&b[0]); i++) out[i] = x[i];
}

int check(const double *x, double *out, const cdask_block *b) {
  for (int64_t i = 0; i < count(&b[0]); i++) out[i] = x[i];
  return b[0].chunk_location[0] == 1 ? 3 : 0;
}

void noout(const double *x, const cdask_block *b) {
  (void)x, (void)b;
}

void twoout(const double *x, double *y, double *z) {
  y[0] = z[0] = x[0];
}

void narrow(const float *x, float *out) {
  out[0] = x[0];
}

void over(const double *x, double *out, const cdask_block *b) {
  int64_t n = count(&b[0]);
  for (int64_t i = 0; i <= n; i++) out[i] = x[i < n ? i : 0];
}
"""

SCRIPT = """local da = require("cdask.array")
local cd = require("cdask")
local k = cd.cfile("blocks.c")
local x = (da.arange(70, {chunks = 70}) % 13):astype("float64"):reshape({7, 10}):rechunk({3, 4})
da.to_npy(da.map_blocks(k.axpc, x, 2.5, 3), "axpc.npy")
da.to_npy(da.map_blocks(k.axpc, x, x:mean(), x["2, 3"]:astype("int64")), "axpc_0d.npy")
local y = da.arange(10, {chunks = 4}):astype("float64")
da.to_npy(da.map_blocks(k.add_bcast, x, y), "bcast_1d.npy")
local z = da.arange(10, {chunks = 4}):reshape({1, 10})
da.to_npy(da.map_blocks(k.add_bcast, x, z), "bcast_rows.npy")
da.to_npy(da.map_blocks(k.info, x, {chunks = {1, 18}}), "info.npy")
local w = (da.arange(54, {chunks = 54}) % 11):astype("float64"):reshape({6, 9}):rechunk({2, 4})
da.to_npy(da.map_blocks(k.rowsum, w, {drop_axis = 1}), "rowsum.npy")
da.to_npy(da.map_blocks(k.twice, y, {new_axis = 0}), "new_axis.npy")
da.to_npy(da.map_blocks(k.twice, y, {new_axis = {0, 2}}), "new_axes.npy")
local a = da.arange(18, {chunks = 6})
da.to_npy(a:map_blocks(k.first3, {chunks = {{3, 3, 3}}, dtype = "int64"}), "first3.npy")
da.to_npy(da.map_blocks(k.half, x), "half.npy")
da.to_npy(da.map_blocks(function(p, q) return p * 2 + q end, x, y), "lua_fn.npy")
local s = da.map_blocks(k.shout, y)
"""


def dask_results():
    import dask.array as da
    x = da.from_array((np.arange(70) % 13).astype(np.float64).reshape(7, 10), chunks=(3, 4))
    y = da.from_array(np.arange(10, dtype=np.float64), chunks=4)
    z = da.from_array(np.arange(10).reshape(1, 10), chunks=(1, 4))
    w = da.from_array((np.arange(54) % 11).astype(np.float64).reshape(6, 9), chunks=(2, 4))
    a = da.from_array(np.arange(18), chunks=6)

    def info(b, block_info=None):
        if block_info is None or None not in block_info:
            return np.zeros((1, 18))
        o, i = block_info[None], block_info[0]
        v = list(o["chunk-location"]) + list(o["num-chunks"]) + \
            [o["array-location"][0][0], o["array-location"][0][1], o["array-location"][1][0],
             o["array-location"][1][1]] + list(o["shape"]) + list(o["chunk-shape"]) + \
            list(i["chunk-location"]) + [i["array-location"][0][0], i["array-location"][1][1],
                                         i["num-chunks"][1], b.shape[0] * 100 + b.shape[1]]
        return np.array(v, dtype=np.float64).reshape(1, 18)

    f64 = np.float64
    res = {
        "axpc": x.map_blocks(lambda b: 2.5 * b + 3.0, dtype=f64),
        "axpc_0d": x.map_blocks(lambda b, m=np.asarray(x).mean(), c=float(np.asarray(x)[2, 3]):
                                m * b + c, dtype=f64),
        "bcast_1d": da.map_blocks(lambda p, q: p + q, x, y, dtype=f64),
        "bcast_rows": da.map_blocks(lambda p, q: p + q, x, z, dtype=f64),
        "info": x.map_blocks(info, chunks=(1, 18), dtype=f64),
        "rowsum": w.map_blocks(lambda b: b.sum(axis=1), drop_axis=1, dtype=f64),
        "new_axis": y.map_blocks(lambda b: (2 * b)[None, :], new_axis=0, dtype=f64),
        "new_axes": y.map_blocks(lambda b: (2 * b)[None, :, None], new_axis=[0, 2], dtype=f64),
        "first3": a.map_blocks(lambda b: b[:3] * 10, chunks=((3, 3, 3),), dtype=np.int64),
        "half": x.map_blocks(lambda b: (b / 3).astype(np.float32), dtype=np.float32),
        "lua_fn": da.map_blocks(lambda p, q: p * 2 + q, x, y, dtype=f64),
    }
    return {k: v.compute(scheduler="sync") for k, v in res.items()}


def check_values(d):
    want = dask_results()
    exe, r = tl.build_program(SCRIPT + 'da.print(s:sum(), "s")\n', d)
    if not R.check(exe is not None, "compile", tl.short(r.stderr)):
        return
    tl.check_npy_over_threads(R, exe, d, want)


def check_effects(d):
    """An impure kernel (printf) whose result no output reads still runs, block by block
    in order, with any number of threads."""
    exe, r = tl.build_program(SCRIPT + 'da.print(y:sum(), "y")\n', d, name="impure")
    if not R.check(exe is not None, "impure compile", tl.short(r.stderr)):
        return
    for threads in ("1", "4"):
        p = tl.run([exe], cwd=d, env=dict(os.environ, OMP_NUM_THREADS=threads))
        lines = [ln for ln in p.stdout.splitlines() if ln.startswith("block")]
        R.check(p.returncode == 0 and lines == ["block 0", "block 1", "block 2"],
                "impure kernel runs in block order, threads=%s" % threads, tl.short(p.stdout))


def check_cull(d):
    """Only the output blocks an output needs are computed, whole (the block holding 5:7)."""
    text = ('local da = require("cdask.array")\nlocal cd = require("cdask")\n'
            'local k = cd.cfile("blocks.c")\n'
            'local y = da.arange(10, {chunks = 4}):astype("float64")\n'
            'da.print(da.map_blocks(k.axpc, y, 2, 1)["5:7"], "cut")\n'
            'local r = da.random.normal(0, 1, {10}, {chunks = 4})\n'
            'da.print(da.map_blocks(k.twice, r):sum() - 2 * r:sum(), "r")\n')
    tl.write(os.path.join(d, "cull.lua"), text)
    r = tl.cdaskc(["cull.lua", "-o", "cull", "--explain"], cwd=d)
    line = [ln for ln in r.stdout.splitlines() + r.stderr.splitlines() if "block kernel (map_blocks 'axpc')" in ln]
    R.check(r.returncode == 0 and len(line) == 1 and "1 tiles of (4,)" in line[0] and
            "culled: computes [4:8]" in line[0], "cull rounds out to whole blocks",
            tl.short(r.stdout + r.stderr))
    # twice(r):sum(): the kernel's blocks are streamed into the sum's tiles (no array), and
    # the sum frees the generated input the kernel read once it is done
    twice = [ln for ln in r.stdout.splitlines() if "block kernel (map_blocks 'twice')" in ln]
    m = re.search(r"^group (\d+) .*reads group (\d+); streamed: group (\d+)'s tiles", twice[0]) \
        if len(twice) == 1 else None
    reader = m and [ln for ln in r.stdout.splitlines() if ln.startswith("group %s " % m.group(3))]
    R.check(bool(reader) and reader[0].endswith(
        "each tile makes its block of group %s first; then frees group %s" % (m.group(1), m.group(2))),
            "a generated input is stored once, read by the streamed kernel, freed by its reader",
            tl.short(r.stdout))
    p = tl.run([os.path.join(d, "cull"), "--stats"], cwd=d)
    R.check(p.returncode == 0 and "cut = [11. 13.]" in p.stdout and "r = 0" in p.stdout,
            "culled values",
            tl.short(p.stdout + p.stderr))


def check_failure(d):
    text = ('local da = require("cdask.array")\nlocal cd = require("cdask")\n'
            'local k = cd.cfile("blocks.c")\n'
            'local y = da.arange(10, {chunks = 4}):astype("float64")\n'
            'da.print(da.map_blocks(k.check, y), "c")\n')
    exe, r = tl.build_program(text, d, name="fails")
    if not R.check(exe is not None, "failing kernel compile", tl.short(r.stderr)):
        return
    p = tl.run([exe], cwd=d)
    R.check(p.returncode == 6 and "kernel 'check' failed on block (1,): returned 3" in p.stderr,
            "a kernel returning nonzero stops the program",
            "exit %s: %s" % (p.returncode, tl.short(p.stderr)))


ERRORS = [
    ("arg_count", "da.map_blocks(k.axpc, x, 2.5)",
     "map_blocks: kernel 'axpc' (blocks.c:10) takes 3 arguments (const double *, double, "
     "int64_t), got 2"),
    ("arg_count_more", "da.map_blocks(k.twice, x, x)",
     "map_blocks: kernel 'twice' (blocks.c:44) takes 1 argument (const double *), got 2"),
    ("array_expected", "da.map_blocks(k.twice, 3)",
     "map_blocks: argument 1 of kernel 'twice' (blocks.c:44) (const double *) must be an "
     "array, got number"),
    ("number_expected", "da.map_blocks(k.axpc, x, x, 3)",
     "map_blocks: argument 2 of kernel 'axpc' (blocks.c:10) (double) must be a number or a "
     "0-d array, got an array"),
    ("integer_expected", "da.map_blocks(k.axpc, x, 2, 1.5)",
     "map_blocks: argument 3 of kernel 'axpc' (blocks.c:10) (int64_t) must be an integer, "
     "got 1.5"),
    ("no_output", "da.map_blocks(k.noout, x)",
     "map_blocks: kernel 'noout' (blocks.c:67) has 0 output parameters (T *): a block kernel "
     "writes exactly one"),
    ("two_outputs", "da.map_blocks(k.twoout, x)",
     "map_blocks: kernel 'twoout' (blocks.c:71) has 2 output parameters (T *): a block kernel "
     "writes exactly one"),
    ("dtype_mismatch", 'da.map_blocks(k.twice, x, {dtype = "float32"})',
     "map_blocks: dtype float32 disagrees with the output of kernel 'twice' (blocks.c:44) "
     "(double *: float64)"),
    ("unsafe_cast", "da.map_blocks(k.narrow, x)",
     "map_blocks: argument 1 of kernel 'narrow' (blocks.c:75) is float64, which does not cast "
     "safely to float32 (const float *)"),
    ("blocks_misaligned", "da.map_blocks(k.add_bcast, x, da.ones(10, {chunks = 5}))",
     "map_blocks: the blocks do not align: argument 2 has 2 blocks along axis 0, argument 1 "
     "has 3 (blocks are paired by position, as in Dask; rechunk one)"),
    ("drop_axis_range", "da.map_blocks(k.rowsum, x, {drop_axis = 2})",
     "map_blocks: drop_axis out of range (drop_axis=2, but output is 2d)"),
    ("chunks_dims", "da.map_blocks(k.twice, x, {chunks = {3}})",
     "map_blocks: Provided chunks have 1 dims; expected 2 dims"),
    ("chunks_blocks", "da.map_blocks(k.twice, x, {chunks = {{2, 2}, 4}})",
     "map_blocks: chunks for axis 0 have 2 blocks, but the blocks along it are 3"),
    ("lua_fn_chunks", "da.map_blocks(function(p) return p end, x, {chunks = {3, 4}})",
     "map_blocks: chunks needs a C kernel (a Lua function is traced on the whole arrays)"),
    ("no_arrays", "da.map_blocks(k.twice)", "map_blocks: no arrays to map over"),
]


def check_errors(d):
    tl.check_script_errors(R, d, 'local da = require("cdask.array")\nlocal cd = require("cdask")\n'
                           'local k = cd.cfile("blocks.c")\n'
                           'local x = da.ones({7, 10}, {chunks = {3, 4}})\n', ERRORS)


SAN_FLAGS = ["-std=c11", "-O1", "-g", "-fopenmp", "-fsanitize=address", "-ffp-contract=off",
             "-fno-math-errno", "-fwhole-program"]


def check_asan(d):
    """A kernel writing one element past its output block is caught by AddressSanitizer
    (every block is its own exact allocation in a sanitized build); a correct pipeline with
    halos runs clean under it."""
    cases = [
        ("asan_overflow", "da.print(da.map_blocks(k.over, y), 'o')", False),
        ("asan_clean", "da.print(da.map_overlap(k.axpc, x, 2, 1, {depth = {1, 2}, "
         "boundary = 'reflect'}), 'o')\nda.print(da.map_blocks(k.rowsum, x, {drop_axis = 1}),"
         " 'r')", True),
    ]
    for name, line, clean in cases:
        text = ('local da = require("cdask.array")\nlocal cd = require("cdask")\n'
                'local k = cd.cfile("blocks.c")\n'
                'local x = da.ones({7, 10}, {chunks = {3, 4}})\n'
                'local y = da.arange(10, {chunks = 4}):astype("float64")\n%s\n' % line)
        tl.write(os.path.join(d, name + ".lua"), text)
        r = tl.cdaskc([name + ".lua", "--emit-c", name + ".c"], cwd=d)
        if not R.check(r.returncode == 0, name + " emit", tl.short(r.stderr)):
            continue
        b = tl.run(["gcc"] + SAN_FLAGS + [name + ".c", "-o", name] + tl.LIBS, cwd=d,
                   timeout=tl.COMPILE_TIMEOUT)
        if not R.check(b.returncode == 0, name + " build", tl.short(b.stderr)):
            continue
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:exitcode=86", OMP_NUM_THREADS="2")
        p = tl.run([os.path.join(d, name)], cwd=d, env=env)
        if clean:
            R.check(p.returncode == 0 and "AddressSanitizer" not in p.stderr, name,
                    tl.short(p.stderr))
        else:
            R.check(p.returncode == 86 and "heap-buffer-overflow" in p.stderr and
                    "WRITE of size 8" in p.stderr and "blocks.c:" in p.stderr, name,
                    "exit %s: %s" % (p.returncode, tl.short(p.stderr, 1500)))


def main():
    d = tl.tempdir("map_blocks")
    try:
        tl.write(os.path.join(d, "blocks.c"), KERNELS)
        check_values(d)
        check_effects(d)
        check_cull(d)
        check_failure(d)
        check_errors(d)
        check_asan(d)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
