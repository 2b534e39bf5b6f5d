#!/usr/bin/python3
"""da.map_overlap with a C stencil kernel against Dask's map_overlap (Debian python3-dask).

One kernel (stencil.c) computes a weighted sum over a box of radius r_k along each axis,
reading zero outside the block it is given, so its values prove which block (with which
halo) it saw: every boundary mode (reflect, periodic, nearest, none, a number), depth as an
integer, a table per axis and a table keyed by axis, depth larger than a chunk, 1-d, 2-d
and 3-d arrays, trim = true and trim = false. The data are integers stored as float64,
so the sums are exact whatever their order; the outputs must equal Dask's bit for bit, and
be the same bits with 1, 2 and 4 threads; two arrays with their halos; a Lua function traced
on the padded arrays (a shift that reads the halo).
Errors name the script's line with the exact message."""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()

KERNEL = r"""
/* out[o] = sum over the box of radius r around o + off of w(d) * x[...], zero outside the
 * block; off centres the output block in the input block (trim = false) */
void stencil(const double *x, int64_t r0, int64_t r1, int64_t r2, double *out,
             const cdask_block *b) {
  int64_t in[3] = {1, 1, 1}, on[3] = {1, 1, 1}, r[3] = {0, 0, 0}, rr[3] = {r0, r1, r2};
  int n = b[1].ndim;
  for (int d = 0; d < n; d++) in[3 - n + d] = b[1].shape[d], on[3 - n + d] = b[0].shape[d],
                              r[3 - n + d] = rr[d];
  int64_t off[3];
  for (int d = 0; d < 3; d++) off[d] = (in[d] - on[d]) / 2;
  for (int64_t i = 0; i < on[0]; i++)
    for (int64_t j = 0; j < on[1]; j++)
      for (int64_t k = 0; k < on[2]; k++) {
        double acc = 0;
        for (int64_t a = -r[0]; a <= r[0]; a++)
          for (int64_t c = -r[1]; c <= r[1]; c++)
            for (int64_t e = -r[2]; e <= r[2]; e++) {
              int64_t p = i + off[0] + a, q = j + off[1] + c, s = k + off[2] + e;
              if (p < 0 || p >= in[0] || q < 0 || q >= in[1] || s < 0 || s >= in[2]) continue;
              double w = (double)(1 + (a + r[0]) + 7 * (c + r[1]) + 49 * (e + r[2]));
              acc += w * x[(p * in[1] + q) * in[2] + s];
            }
        out[(i * on[1] + j) * on[2] + k] = acc;
      }
}

/* two arrays: x's 1-d stencil of radius 1 plus y, both with their halos */
void st_add(const double *x, const double *y, double *out, const cdask_block *b) {
  int64_t n = b[1].shape[0];
  for (int64_t i = 0; i < n; i++)
    out[i] = (i > 0 ? x[i - 1] : 0) + 2 * x[i] + 3 * (i + 1 < n ? x[i + 1] : 0) + y[i];
}
"""


def st_add(x, y):
    n = x.shape[0]
    p = np.pad(x, 1)
    return p[0:n] + 2 * x + 3 * p[2:n + 2] + y


def stencil(b, radii, block_info=None):
    """The kernel in NumPy: the same sums, in the same order."""
    n = b.ndim
    r = [0] * (3 - n) + list(radii[:n])
    known = block_info is not None and None in block_info
    out_shape = tuple(block_info[None]["chunk-shape"]) if known else b.shape
    x = b.reshape((1,) * (3 - n) + b.shape)
    on = (1,) * (3 - n) + tuple(out_shape)
    off = [(x.shape[d] - on[d]) // 2 for d in range(3)]
    p = np.pad(x, [(rk, rk) for rk in r])
    acc = np.zeros(on)
    for a in range(-r[0], r[0] + 1):
        for c in range(-r[1], r[1] + 1):
            for e in range(-r[2], r[2] + 1):
                w = float(1 + (a + r[0]) + 7 * (c + r[1]) + 49 * (e + r[2]))
                sl = tuple(slice(off[d] + r[d] + s, off[d] + r[d] + s + on[d])
                           for d, s in enumerate((a, c, e)))
                acc = acc + w * p[sl]
    return acc.reshape(out_shape)


# (name, shape, chunks, radii, Lua depth, Dask depth, boundary, trim)
CASES = []
for bd in ["reflect", "periodic", "nearest", "none", 7.5]:
    tag = str(bd).replace(".", "_")
    CASES.append(("d1_%s" % tag, (23,), (5,), (2,), "2", 2, bd, True))
    CASES.append(("d2_%s" % tag, (9, 11), (4, 3), (1, 1), "1", 1, bd, True))
for bd in ["reflect", "periodic", "none"]:
    CASES.append(("d3_%s" % bd, (5, 6, 7), (2, 3, 4), (1, 1, 1), "1", 1, bd, True))
CASES += [
    ("tuple_depth", (9, 11), (4, 3), (2, 1), "{2, 1}", (2, 1), "nearest", True),
    ("dict_depth", (9, 11), (4, 3), (2, 0), "{[0] = 2}", {0: 2}, "periodic", True),
    ("dict_depth_none", (9, 11), (4, 3), (0, 2), "{[0] = 0, [1] = 2}", {1: 2}, "none", True),
    ("deep_1d", (20,), (3,), (4,), "4", 4, "reflect", True),
    ("deep_2d_none", (7, 9), (2, 2), (3, 2), "{3, 2}", (3, 2), "none", True),
    ("deep_2d_periodic", (7, 9), (2, 4), (3, 1), "{3, 1}", (3, 1), "periodic", True),
    ("notrim", (9, 11), (4, 3), (1, 1), "1", 1, "reflect", False),
    ("notrim_3d", (5, 6, 7), (2, 3, 4), (1, 0, 1), "{1, 0, 1}", (1, 0, 1), "nearest", False),
]


def lua_value(v):
    return '"%s"' % v if isinstance(v, str) else repr(v)


def script():
    lines = ['local da = require("cdask.array")', 'local cd = require("cdask")',
             'local k = cd.cfile("stencil.c")']
    for name, shape, chunks, radii, ldepth, _, bd, trim in CASES:
        size = int(np.prod(shape))
        r = list(radii) + [0] * (3 - len(radii))
        lines.append('local x_%s = (da.arange(%d, {chunks = %d}) %% 97):astype("float64")'
                     ':reshape({%s}):rechunk({%s})' % (name, size, size, ", ".join(map(str, shape)),
                                                       ", ".join(map(str, chunks))))
        lines.append('da.to_npy(da.map_overlap(k.stencil, x_%s, %d, %d, %d, {depth = %s, '
                     'boundary = %s, trim = %s}), "%s.npy")'
                     % (name, r[0], r[1], r[2], ldepth, lua_value(bd),
                        "true" if trim else "false", name))
    lines.append('local y = da.arange(30, {chunks = 7}):astype("float64")')
    lines.append('da.to_npy(da.map_overlap(function(a) return a * 2 + 1 end, y, '
                 '{depth = 3, boundary = "reflect"}), "lua_fn.npy")')
    lines.append('da.to_npy(y:map_overlap(k.stencil, 1, 0, 0, {depth = 1, boundary = "periodic"}),'
                 ' "method.npy")')
    lines.append('local v = (da.arange(30, {chunks = 5}) * 7 % 11):astype("float64")')
    lines.append('da.to_npy(da.map_overlap(k.st_add, y, v, {depth = 2, boundary = "nearest"}), '
                 '"two_arrays.npy")')
    lines.append('da.to_npy(da.map_overlap(function(a) return da.concatenate({a["1:"], a["-1:"]}) '
                 'end, y * y, {depth = 3, boundary = "reflect"}), "lua_shift.npy")')
    return "\n".join(lines) + "\n"


def dask_results():
    import dask.array as da
    out = {}
    for name, shape, chunks, radii, _, ddepth, bd, trim in CASES:
        size = int(np.prod(shape))
        x = (np.arange(size) % 97).astype(np.float64).reshape(shape)
        dx = da.from_array(x, chunks=chunks)
        if trim:
            f = (lambda rr: lambda b: stencil(b, rr))(radii)
        else:
            f = (lambda rr: lambda b, block_info=None: stencil(b, rr, block_info))(radii)
        out[name] = dx.map_overlap(f, depth=ddepth, boundary=bd, trim=trim,
                                   dtype=np.float64).compute(scheduler="sync")
    y = np.arange(30, dtype=np.float64)
    out["lua_fn"] = y * 2 + 1
    dy = da.from_array(y, chunks=7)
    out["method"] = dy.map_overlap(lambda b: stencil(b, (1,)), depth=1, boundary="periodic",
                                   dtype=np.float64).compute(scheduler="sync")
    v = da.from_array((np.arange(30) * 7 % 11).astype(np.float64), chunks=5)
    out["two_arrays"] = da.map_overlap(st_add, dy, v, depth=2, boundary="nearest",
                                       dtype=np.float64).compute(scheduler="sync")
    out["lua_shift"] = (dy * dy).map_overlap(lambda b: np.concatenate([b[1:], b[-1:]]), depth=3,
                                             boundary="reflect", dtype=np.float64).compute()
    return out


def check_values(d, want):
    exe, r = tl.build_program(script(), d)
    if not R.check(exe is not None, "compile", tl.short(r.stderr)):
        return
    tl.check_npy_over_threads(R, exe, d, want)


ERRORS = [
    ("negative_depth", "da.map_overlap(k.stencil, x, 1, 1, 0, {depth = -1})",
     "map_overlap: depth must be non-negative, got -1 for axis 0"),
    ("negative_axis_depth", "da.map_overlap(k.stencil, x, 1, 1, 0, {depth = {1, -2}})",
     "map_overlap: depth must be non-negative, got -2 for axis 1"),
    ("bad_boundary", 'da.map_overlap(k.stencil, x, 1, 1, 0, {depth = 1, boundary = "mirror"})',
     'map_overlap: boundary must be "reflect", "periodic", "nearest", "none" or a number, '
     'got "mirror"'),
    ("boundary_type", "da.map_overlap(k.stencil, x, 1, 1, 0, {depth = 1, boundary = true})",
     'map_overlap: boundary must be "reflect", "periodic", "nearest", "none" or a number, '
     'got boolean'),
    ("depth_too_large", "da.map_overlap(k.stencil, x, 1, 1, 0, {depth = {7, 1}})",
     "map_overlap: The overlapping depth 7 is larger than your array 6."),
    ("depth_entries", "da.map_overlap(k.stencil, x, 1, 1, 0, {depth = {1, 1, 1}})",
     "map_overlap: depth has 3 entries for an array of 2 dimensions (a table keyed by axis "
     "starts at [0])"),
    ("asymmetric", "da.map_overlap(k.stencil, x, 1, 1, 0, {depth = {{1, 2}, 1}})",
     "map_overlap: asymmetric depth (a pair for axis 0) is not supported"),
    ("trim_type", 'da.map_overlap(k.stencil, x, 1, 1, 0, {depth = 1, trim = "yes"})',
     "map_overlap: trim must be a boolean, got string"),
    ("not_callable", "da.map_overlap(3, x, {depth = 1})",
     "map_overlap: the first argument must be a kernel (cd.cfile) or a Lua function, got number"),
]


def check_errors(d):
    tl.write(os.path.join(d, "stencil.c"), KERNEL)
    tl.check_script_errors(R, d, 'local da = require("cdask.array")\nlocal cd = require("cdask")\n'
                           'local k = cd.cfile("stencil.c")\n'
                           'local x = da.ones({6, 8}, {chunks = {3, 4}})\n', ERRORS)


def main():
    d = tl.tempdir("map_overlap")
    try:
        tl.write(os.path.join(d, "stencil.c"), KERNEL)
        check_values(d, dask_results())
        check_errors(d)
    finally:
        tl.rmtree(d)
    return R.finish()


if __name__ == "__main__":
    sys.exit(main())
