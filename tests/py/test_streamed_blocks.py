#!/usr/bin/python3
"""A block kernel's result read by one group at its own index, tile for tile, is streamed:
the reader's tiles call the kernel and read the block it made, and the result is never
stored (memplan.c plan_streams). An elementwise array read only by a block kernel whose halo
boxes are thin next to its blocks is computed into the boxes, never stored either
(plan_halo_inline). Checked against Dask's map_overlap/map_blocks (Debian python3-dask) on
exact integer-valued float64 data, so every sum is exact whatever its order:

- streamed: sums, means, maxima, partial sums (axis 0, axis 1), an elementwise store, for
  every boundary mode, trim true and false, chunks that do not divide the shape (edge blocks
  of other sizes: the block strides change per tile), 1-d to 3-d, bitwise equal for 1, 2 and
  4 threads; the manifest says which groups are streamed and the memory plan no longer
  counts the kernel's array;
- computed into halo boxes: every boundary mode (the parts of a box outside the array are
  the boundary's image, computed too), trim false, 1-d to 3-d, chunks that do not divide the
  shape, a depth per axis, an array that reads a stored one (which must live until the
  streamed kernel's reader ran); not when the boxes are thick or two kernels read it;
- not streamed (stored as before, same values): the result is also an output, is read by
  two groups, is read through a transpose, or the kernel is impure;
- a kernel that returns an error status while streamed stops the program with exit 6 and
  the block it failed on."""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402
import test_map_overlap as mo  # noqa: E402  (its stencil kernel and NumPy twin)

R = tl.Results()

KERNELS = mo.KERNEL + r"""
#include <stdio.h>
void twice(const double *x, double *out, const cdask_block *b) {
  int64_t n = 1;
  for (int d = 0; d < b[1].ndim; d++) n *= b[1].shape[d];
  for (int64_t i = 0; i < n; i++) out[i] = 2 * x[i];
}
int check(const double *x, double *out, const cdask_block *b) {
  if (b[0].chunk_location[0] == 1) return 3;
  for (int64_t i = 0; i < b[1].shape[0]; i++) out[i] = x[i];
  return 0;
}
void noisy(const double *x, double *out, const cdask_block *b) {
  printf("block %lld\n", (long long)b[0].chunk_location[0]);
  for (int64_t i = 0; i < b[1].shape[0]; i++) out[i] = x[i] + 1;
}
"""

# (name, shape, chunks, radii, depth, boundary, trim, reader): reader turns the kernel's
# result y (and its input x) into the output, in Lua and in Dask
READERS = {
    "sum": ("y:sum()", lambda y, x: y.sum()),
    "mean": ("y:mean()", lambda y, x: y.mean()),
    "max": ("y:max()", lambda y, x: y.max()),
    "sum0": ("y:sum(0)", lambda y, x: y.sum(axis=0)),
    "sum1": ("y:sum(1)", lambda y, x: y.sum(axis=1)),
    "store": ("y * 2 + x", lambda y, x: y * 2 + x),
}
STREAMED = [
    ("sum_reflect", (23,), (5,), (2,), 2, "reflect", True, "sum"),
    ("mean_2d", (9, 11), (4, 3), (1, 1), 1, "reflect", True, "mean"),
    ("max_periodic", (9, 11), (4, 3), (1, 1), 1, "periodic", True, "max"),
    ("sum0_nearest", (9, 11), (4, 3), (2, 1), 2, "nearest", True, "sum0"),
    ("sum1_none", (9, 11), (4, 3), (1, 2), 2, "none", True, "sum1"),
    ("sum_const", (9, 11), (4, 3), (1, 1), 1, 7.5, True, "sum"),
    ("store_none", (9, 11), (4, 3), (1, 1), 1, "none", True, "store"),
    ("store_notrim", (9, 11), (4, 3), (1, 1), 1, "reflect", False, "store"),
    ("sum_3d", (5, 6, 7), (2, 3, 4), (1, 1, 1), 1, "periodic", True, "sum"),
    ("store_3d_deep", (5, 6, 7), (2, 3, 4), (3, 1, 1), 3, "none", True, "store"),
]


# computed into the halo boxes: chunks large next to the depth (boxes <= 125% of the array)
INLINE = [
    ("in_reflect_1d", (100,), (50,), (5,), 5, "reflect", True, "sum"),
    ("in_periodic", (40, 44), (20, 22), (1, 1), 1, "periodic", True, "mean"),
    ("in_nearest", (40, 44), (20, 22), (1, 1), 1, "nearest", True, "sum0"),
    ("in_const", (40, 44), (20, 22), (1, 1), 1, -2.5, True, "store"),
    ("in_none", (40, 44), (20, 22), (1, 1), 1, "none", True, "sum1"),
    ("in_notrim", (40, 44), (20, 22), (1, 1), 1, "reflect", False, "store"),
    ("in_3d", (30, 30, 30), (30, 30, 30), (1, 1, 1), 1, "periodic", True, "sum"),
    ("in_uneven", (41, 45), (20, 22), (1, 0), (1, 0), "reflect", True, "sum"),
]


def lua_value(v):
    return '"%s"' % v if isinstance(v, str) else repr(v)


def lua_depth(v):
    return "{%s}" % ", ".join(map(str, v)) if isinstance(v, tuple) else str(v)


def modulus(name):
    """Each case's input differs (equal ones would be merged into one array read by all)."""
    names = [c[0] for c in STREAMED + INLINE] + ["s"]
    return 50 + names.index(name)


def lua_input(name, shape, chunks):
    size = int(np.prod(shape))
    return ('local x_%s = (da.arange(%d, {chunks = %d}) %% %d):astype("float64")'
            ':reshape({%s}):rechunk({%s})' % (name, size, size, modulus(name),
                                              ", ".join(map(str, shape)),
                                              ", ".join(map(str, chunks))))


def stencil_lines(cases):
    lines = []
    for name, shape, chunks, radii, depth, bd, trim, reader in cases:
        r = list(radii) + [0] * (3 - len(radii))
        lines.append(lua_input(name, shape, chunks))
        lines.append('do local x = x_%s; local y = da.map_overlap(k.stencil, x, %d, %d, %d, '
                     '{depth = %s, boundary = %s, trim = %s}); da.to_npy(%s, "%s.npy") end'
                     % (name, r[0], r[1], r[2], lua_depth(depth), lua_value(bd),
                        "true" if trim else "false", READERS[reader][0], name))
    return lines


def streamed_script():
    lines = ['local da = require("cdask.array")', 'local cd = require("cdask")',
             'local k = cd.cfile("k.c")'] + stencil_lines(STREAMED)
    lines.append('local z = da.arange(30, {chunks = 7}):astype("float64")')
    lines.append('da.to_npy(da.map_blocks(k.twice, z):sum(), "blocks_sum.npy")')
    return "\n".join(lines) + "\n"


def dask_stencils(cases):
    import dask.array as da
    out = {}
    for name, shape, chunks, radii, depth, bd, trim, reader in cases:
        size = int(np.prod(shape))
        x = da.from_array((np.arange(size) % modulus(name)).astype(np.float64).reshape(shape),
                          chunks=chunks)
        if trim:
            f = (lambda rr: lambda b: mo.stencil(b, rr))(radii)
        else:
            f = (lambda rr: lambda b, block_info=None: mo.stencil(b, rr, block_info))(radii)
        y = x.map_overlap(f, depth=depth, boundary=bd, trim=trim, dtype=np.float64)
        out[name] = np.asarray(READERS[reader][1](y, x).compute(scheduler="sync"))
    return out


def dask_streamed():
    import dask.array as da
    out = dask_stencils(STREAMED)
    z = da.from_array(np.arange(30, dtype=np.float64), chunks=7)
    out["blocks_sum"] = np.asarray(z.map_blocks(lambda b: 2 * b).sum().compute())
    return out


def manifest_groups(exe, d):
    p = tl.run([exe, "--manifest"], cwd=d)
    return json.loads(p.stdout)["groups"] if p.returncode == 0 else []


def check_streamed(d):
    exe, r = tl.build_program(streamed_script(), d, name="streamed")
    if not R.check(exe is not None, "streamed compile", tl.short(r.stderr)):
        return
    groups = manifest_groups(exe, d)
    kernels = [g for g in groups if g["sink"] in ("map_overlap", "map_blocks")]
    R.check(len(kernels) == len(STREAMED) + 1 and all(g["streamed_into"] > g["id"] and
                                                      groups[g["streamed_into"]]["streams"] ==
                                                      g["id"] for g in kernels),
            "every kernel's group is streamed into its reader",
            json.dumps([(g["id"], g["sink"], g["streamed_into"]) for g in kernels]))
    tl.check_npy_over_threads(R, exe, d, dask_streamed())


def check_inline(d):
    lines = ['local da = require("cdask.array")', 'local cd = require("cdask")',
             'local k = cd.cfile("k.c")'] + stencil_lines(INLINE)
    # x reads a stored reduction (broadcast): it lives until the streamed kernel's reader ran
    lines += ['local a = (da.arange(1600, {chunks = 1600}) % 13):astype("float64")'
              ':reshape({40, 40}):rechunk({20, 20})',
              'local s = a:sum(0)',
              'local x = a * 2 + s',
              'da.to_npy(da.map_overlap(k.stencil, x, 1, 1, 0, {depth = 1, boundary = "reflect"})'
              ':sum(), "in_reads_stored.npy")',
              # two kernels read w: stored once, not computed twice
              'local w = a * 3',
              'da.to_npy(da.map_overlap(k.stencil, w, 1, 1, 0, {depth = 1, boundary = "nearest"})'
              ':sum() + da.map_overlap(k.stencil, w, 0, 1, 0, {depth = 1, boundary = "nearest"})'
              ':max(), "in_two_readers.npy")']
    exe, r = tl.build_program("\n".join(lines) + "\n", d, name="inline")
    if not R.check(exe is not None, "inline compile", tl.short(r.stderr)):
        return
    groups = manifest_groups(exe, d)
    inline = [g for g in groups if g["in_halos"]]
    kernels = [g for g in groups if g["sink"] == "map_overlap"]
    # case i's x is made on line 4 + 2i; a "store" reader reads x too (so x is stored); x of
    # in_reads_stored is on line 4 + 2 * len(INLINE) + 2; w, read by two kernels, is stored
    want_lines = [4 + 2 * i for i, c in enumerate(INLINE) if c[7] != "store"]
    want_lines.append(4 + 2 * len(INLINE) + 2)
    R.check(sorted(g["line"] for g in inline) == want_lines,
            "the inputs read only by one thin-halo kernel are computed into the boxes",
            json.dumps([(g["id"], g["sink"], g["line"]) for g in inline]))
    R.check(len(kernels) == len(INLINE) + 3 and all(g["streamed_into"] >= 0 for g in kernels),
            "the kernels read once are streamed (w's two kernels too)",
            json.dumps([(g["id"], g["streamed_into"]) for g in kernels]))
    import dask.array as da
    want = dask_stencils(INLINE)
    a = da.from_array((np.arange(1600) % 13).astype(np.float64).reshape(40, 40), chunks=20)
    x = a * 2 + a.sum(0)
    want["in_reads_stored"] = np.asarray(x.map_overlap(
        lambda b: mo.stencil(b, (1, 1)), depth=1, boundary="reflect",
        dtype=np.float64).sum().compute())
    w = a * 3
    f = [(lambda rr: lambda b: mo.stencil(b, rr))(rr) for rr in ((1, 1), (0, 1))]
    want["in_two_readers"] = np.asarray((
        w.map_overlap(f[0], depth=1, boundary="nearest", dtype=np.float64).sum() +
        w.map_overlap(f[1], depth=1, boundary="nearest", dtype=np.float64).max()).compute())
    tl.check_npy_over_threads(R, exe, d, want, label="inline")


def plan(exe, d):
    """The compiled-in memory plan's peak (bytes) and the groups."""
    p = tl.run([exe, "--manifest"], cwd=d)
    m = json.loads(p.stdout)
    return m["peak_bytes"], m["groups"]


def check_peak(d):
    """A 400x400 float64 stencil of a generated image, read only by its mean: the image is
    computed into the halo boxes and the kernel's blocks are streamed into the mean, so the
    plan holds neither 1.28 MB array, only the mean's 8 bytes."""
    text = ('local da = require("cdask.array")\nlocal cd = require("cdask")\n'
            'local k = cd.cfile("k.c")\n'
            'local x = (da.arange(160000, {chunks = 160000}) % 97):astype("float64")'
            ':reshape({400, 400}):rechunk({100, 100})\n'
            'local y = da.map_overlap(k.stencil, x, 1, 1, 0, {depth = 1, boundary = "reflect"})\n'
            'da.print(y:mean(), "m")\n')
    exe, r = tl.build_program(text, d, name="peak")
    if not R.check(exe is not None, "peak compile", tl.short(r.stderr)):
        return
    peak, groups = plan(exe, d)
    R.check(peak == 8 and [g["in_halos"] for g in groups] == [True, False, False] and
            groups[1]["streamed_into"] == 2, "the plan's peak has no 400x400 array",
            "peak %s bytes, %s" % (peak, json.dumps(groups)))
    import dask.array as da
    x = da.from_array((np.arange(160000) % 97).astype(np.float64).reshape(400, 400),
                      chunks=100)
    want = x.map_overlap(lambda b: mo.stencil(b, (1, 1)), depth=1, boundary="reflect",
                         dtype=np.float64).mean().compute()
    p = tl.run([exe], cwd=d)
    got = p.stdout.strip().split(" = ")
    R.check(p.returncode == 0 and got[0] == "m" and float(got[1]) == float(want),
            "peak: the mean", "%s want %r" % (p.stdout, want))


# Not streamed: (name, Lua lines after x and y, Dask twin of the outputs)
STORED = [
    ("also_output", 'da.to_npy(y, "ao_y.npy"); da.to_npy(y:sum(), "ao_s.npy")',
     lambda y: {"ao_y": y, "ao_s": y.sum()}),
    ("two_readers", 'da.to_npy(y:sum(), "tr_s.npy"); da.to_npy(y:max(), "tr_m.npy")',
     lambda y: {"tr_s": y.sum(), "tr_m": y.max()}),
    ("transposed", 'da.to_npy((y.T + y):sum(0), "tp.npy")', lambda y: {"tp": (y.T + y).sum(0)}),
]


def check_stored(d):
    import dask.array as da
    for name, lua, dask_fn in STORED:
        text = ('local da = require("cdask.array")\nlocal cd = require("cdask")\n'
                'local k = cd.cfile("k.c")\n' + lua_input("s", (8, 8), (3, 3)) + "\n"
                'local y = da.map_overlap(k.stencil, x_s, 1, 1, 0, {depth = 1, '
                'boundary = "periodic"})\n' + lua + "\n")
        exe, r = tl.build_program(text, d, name=name)
        if not R.check(exe is not None, "%s compile" % name, tl.short(r.stderr)):
            continue
        kernel = [g for g in manifest_groups(exe, d) if g["sink"] == "map_overlap"]
        R.check(len(kernel) == 1 and kernel[0]["streamed_into"] == -1,
                "%s: stored, not streamed" % name, json.dumps(kernel))
        x = da.from_array((np.arange(64) % modulus("s")).astype(np.float64).reshape(8, 8),
                          chunks=3)
        y = x.map_overlap(lambda b: mo.stencil(b, (1, 1)), depth=1, boundary="periodic",
                          dtype=np.float64)
        want = {k: np.asarray(v.compute(scheduler="sync")) for k, v in dask_fn(y).items()}
        tl.check_npy_over_threads(R, exe, d, want, label=name)


def kernel_sum(d, name, kernel, n, chunks):
    """Compiles da.map_blocks(k.KERNEL, z):sum() for z = arange(n) in chunks; returns the
    program (or None) and the manifest's group of the kernel."""
    text = ('local da = require("cdask.array")\nlocal cd = require("cdask")\n'
            'local k = cd.cfile("k.c")\n'
            'local z = da.arange(%d, {chunks = %d}):astype("float64")\n'
            'da.print(da.map_blocks(k.%s, z):sum(), "s")\n' % (n, chunks, kernel))
    exe, r = tl.build_program(text, d, name=name)
    if not R.check(exe is not None, "%s compile" % name, tl.short(r.stderr)):
        return None, None
    groups = [g for g in manifest_groups(exe, d) if g["sink"] == "map_blocks"]
    return exe, groups[0] if len(groups) == 1 else None


def check_impure(d):
    """An impure kernel is an effect: stored and run in block order, never streamed."""
    exe, kernel = kernel_sum(d, "impure", "noisy", 9, 3)
    if not exe:
        return
    R.check(kernel is not None and kernel["streamed_into"] == -1, "impure: not streamed",
            json.dumps(kernel))
    p = tl.run([exe], cwd=d, env=dict(os.environ, OMP_NUM_THREADS="2"))
    lines = p.stdout.splitlines()
    R.check(p.returncode == 0 and lines[:3] == ["block 0", "block 1", "block 2"] and
            len(lines) == 4 and float(lines[3].split(" = ")[1]) == 45.0,
            "impure: blocks in order, then the sum", tl.short(p.stdout + p.stderr))


def check_failure(d):
    exe, kernel = kernel_sum(d, "fails", "check", 10, 4)
    if not exe:
        return
    R.check(kernel is not None and kernel["streamed_into"] >= 0, "failing kernel is streamed",
            json.dumps(kernel))
    p = tl.run([exe], cwd=d)
    R.check(p.returncode == 6 and "kernel 'check' failed on block (1,): returned 3" in p.stderr
            and "s =" not in p.stdout, "a streamed kernel's error status stops the program",
            "exit %s: %s" % (p.returncode, tl.short(p.stderr)))


def main():
    d = tl.tempdir("streamed_blocks")
    try:
        tl.write(os.path.join(d, "k.c"), KERNELS)
        check_streamed(d)
        check_peak(d)
        check_inline(d)
        check_stored(d)
        check_impure(d)
        check_failure(d)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
