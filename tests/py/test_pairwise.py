#!/usr/bin/python3
"""cdrt_pairwise_sum_f64/f32 against numpy.add.reduce on contiguous 1-D arrays, bit for bit,
and the pairwise products against a Python transcription of the same algorithm.

Compiles tests/py/pairwise_driver.c with runtime/reduce.c (cc, the portable flags), feeds it
random arrays, compares. Environment: CDASK_SOURCE (the repository), CDASK_BUILD (unused
beyond being where ctest runs us). Prints "N passed, M failed" last; exits 1 on failure."""

import os
import struct
import subprocess
import sys
import tempfile

import numpy as np

SRC = os.environ.get("CDASK_SOURCE") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CC = os.environ.get("CC", "cc")
FLAGS = ["-O3", "-std=c11", "-fopenmp", "-ffp-contract=off", "-fno-math-errno"]

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        if failed <= 20:
            print("FAIL:", what)


def build(tmp):
    exe = os.path.join(tmp, "pairwise_driver")
    cmd = [CC] + FLAGS + ["-I", os.path.join(SRC, "runtime"),
                          os.path.join(SRC, "tests", "py", "pairwise_driver.c"),
                          os.path.join(SRC, "runtime", "reduce.c"), "-o", exe, "-lm"]
    subprocess.run(cmd, check=True)
    return exe


def run(exe, kind, arrays):
    """Results of the driver for each array, as unsigned ints (the bits)."""
    blob = [struct.pack("<i", kind)]
    for a in arrays:
        blob.append(struct.pack("<q", len(a)))
        blob.append(a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes())
    out = subprocess.run([exe], input=b"".join(blob), stdout=subprocess.PIPE, check=True)
    return [int(line, 16) for line in out.stdout.split()]


def bits(x):
    x = np.asarray(x)
    return int(x.view(np.uint64 if x.dtype == np.float64 else np.uint32))


def same(got, want):
    """Bitwise, except that any NaN matches any NaN (payloads depend on operand order)."""
    if np.isnan(want):
        w = np.asarray(want)
        v = np.array([got], dtype=np.uint64 if w.dtype == np.float64 else np.uint32)
        return bool(np.isnan(v.view(w.dtype)[0]))
    return got == bits(want)


def arrays(rng, dtype, sizes):
    out = []
    for k, n in enumerate(sizes):
        kind = k % 4
        if kind == 0:  # wide magnitudes and both signs: rounding everywhere
            a = rng.standard_normal(n) * np.exp(rng.standard_normal(n) * 8)
        elif kind == 1:
            a = rng.random(n)
        elif kind == 2:  # cancellation
            a = rng.standard_normal(n) * 1e10
            a[1::2] = -a[0::2][: n // 2]
            a += rng.standard_normal(n)
        else:
            a = rng.integers(-1000, 1000, n) * 0.1
        out.append(a.astype(dtype))
    return out


def pairwise_ref(a, op, one):
    """The algorithm of runtime/reduce.c in Python, with NumPy scalars of a's dtype."""
    t = a.dtype.type

    def pw(lo, n):
        if n < 8:
            res = t(one)
            for i in range(lo, lo + n):
                res = op(res, a[i])
            return res
        if n <= 128:
            r = [a[lo + j] for j in range(8)]
            i = 8
            while i < n - n % 8:
                for j in range(8):
                    r[j] = op(r[j], a[lo + i + j])
                i += 8
            res = op(op(op(r[0], r[1]), op(r[2], r[3])), op(op(r[4], r[5]), op(r[6], r[7])))
            while i < n:
                res = op(res, a[lo + i])
                i += 1
            return res
        m = n // 2
        m -= m % 8
        return op(pw(lo, m), pw(lo + m, n - m))

    res = t(one)
    for off in range(0, len(a), 8192):
        res = op(res, pw(off, min(8192, len(a) - off)))
    return res


def main():
    rng = np.random.default_rng(20240601)
    big = [4095, 4096, 8191, 8192, 8193, 10000, 16383, 16384, 16385, 20000, 65537, 100003,
           1000003]
    with tempfile.TemporaryDirectory() as tmp:
        exe = build(tmp)
        with np.errstate(all="ignore"):
            # float64 sums: every n up to 2000, then large ones, then special values.
            sizes = list(range(0, 2001)) + big
            data = arrays(rng, np.float64, sizes)
            special = [np.full(8, -0.0), np.full(3, -0.0), np.array([1.0, np.inf, -np.inf]),
                       np.array([np.nan] * 9), np.array([1e308] * 200), np.full(20000, -0.0),
                       np.array([5e-324] * 300)]
            data += special
            for a, got in zip(data, run(exe, 0, data)):
                check(same(got, np.add.reduce(a)), "sum f64 n=%d" % len(a))
            # float32 sums (NumPy sums float32 in float32).
            sizes = list(range(0, 600)) + big
            data = arrays(rng, np.float32, sizes)
            for a, got in zip(data, run(exe, 1, data)):
                check(same(got, np.add.reduce(a)), "sum f32 n=%d" % len(a))
            # Products: no NumPy counterpart (np.prod is a left-to-right loop); check the
            # algorithm as documented, on values near 1.
            sizes = list(range(0, 40)) + [127, 128, 129, 300, 1000, 8200]
            for kind, dtype in ((2, np.float64), (3, np.float32)):
                data = [(1 + 0.01 * rng.standard_normal(n)).astype(dtype) for n in sizes]
                for a, got in zip(data, run(exe, kind, data)):
                    want = pairwise_ref(a, lambda x, y: x * y, 1)
                    check(same(got, want), "prod %s n=%d" % (np.dtype(dtype).name, len(a)))
    print("numpy", np.__version__)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
