#!/usr/bin/python3
"""FFTs across MPI ranks (runtime/fft.c, runtime/mpi.c cdrt_mpi_reslab): each axis pass is
shared by the ranks in slabs, transposed between passes by point-to-point messages and
gathered at the end. Every output of the --mpi program, run with mpirun -np 1 to 5 (5:
more ranks than some slab axes are long, so some ranks hold nothing), with 1 thread per
rank and once with 2, is bit for bit the program built without --mpi; the single-node
outputs match NumPy's FFTs (the independent oracle) to rounding. Shapes are odd and uneven
so that slabs, tiles and FFT batches do not line up: 3-d c2c over all axes and over some,
r2c/c2r pairs (through scratch and in place), float32, a 1-d transform (one line: every rank
computes it), a transform of an .npy input, the SKA Wiener filter, and an FFT whose input
tiles are a strided view (completed by the allreduce path).

Both builds get --cflags -O0: the C compiler's time dominates this test."""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdask_testlib as tl  # noqa: E402

R = tl.Results()
MPIRUN = ["mpirun", "--allow-run-as-root", "--oversubscribe"]

SCRIPT = """local da = require("cdask.array")
local x = da.from_npy("x.npy", {chunks = {3, 4, 5}})
local y = da.from_npy("y.npy", {chunks = {4, 6}})
local v = da.from_npy("v.npy", {chunks = {7}})
da.to_npy(da.fft.fftn(x), "fftn3.npy")
da.to_npy(da.fft.fft2(x, nil, {0, 2}), "fft02.npy")
da.to_npy(da.fft.ifft(x, nil, 0), "ifft0.npy")
da.to_npy(da.fft.rfftn(x), "rfftn3.npy")
da.to_npy(da.fft.irfftn(da.fft.rfftn(x) * 2, {7, 10, 9}), "irfftn3.npy")
da.to_npy(da.fft.rfft(y, nil, 0), "rfft_axis0.npy")
da.to_npy(da.fft.irfft2(da.fft.rfft2(y), {11, 13}), "rfft2_rt.npy")
da.to_npy(da.fft.fft2(y:astype("float32")), "fft2_f32.npy")
da.to_npy(da.fft.fft(v), "fft1.npy")
local H = da.fft.fft2(da.fft.ifftshift(y))
local D = da.fft.fft2(y * 0.5 + 1)
da.to_npy(da.real(da.fft.ifft2(da.conj(H) * D / (da.abs(H) ^ 2 + 0.1))), "wiener.npy")
da.to_npy(da.fft.fft2(y["::-1, 1:12:2"]), "fft2_view.npy")
da.print(da.abs(da.fft.fftn(x)):sum(), "total")
"""


def oracles(x, y, v):
    """NumPy's answers for the single-node outputs."""
    H = np.fft.fft2(np.fft.ifftshift(y))
    D = np.fft.fft2(y * 0.5 + 1)
    return {
        "fftn3.npy": np.fft.fftn(x),
        "fft02.npy": np.fft.fft2(x, axes=(0, 2)),
        "ifft0.npy": np.fft.ifft(x, axis=0),
        "rfftn3.npy": np.fft.rfftn(x),
        "irfftn3.npy": np.fft.irfftn(np.fft.rfftn(x) * 2, (7, 10, 9)),
        "rfft_axis0.npy": np.fft.rfft(y, axis=0),
        "rfft2_rt.npy": np.fft.irfft2(np.fft.rfft2(y), (11, 13)),
        "fft2_f32.npy": np.fft.fft2(y.astype(np.float32)),
        "fft1.npy": np.fft.fft(v),
        "wiener.npy": np.real(np.fft.ifft2(np.conj(H) * D / (np.abs(H) ** 2 + 0.1))),
        "fft2_view.npy": np.fft.fft2(y[::-1, 1:12:2]),
    }


def outputs(d):
    return {f: open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))
            if f.endswith(".npy")}


def main():
    d = tl.tempdir("mpi_fft")
    try:
        rng = np.random.default_rng(5)
        x = rng.standard_normal((7, 10, 9))
        y = rng.standard_normal((11, 13))
        v = rng.standard_normal(23)
        for name, a in (("x", x), ("y", y), ("v", v)):
            np.save(os.path.join(d, name + ".npy"), a)
        tl.write(os.path.join(d, "f.lua"), SCRIPT)
        for exe, extra in (("single", []), ("mpi", ["--mpi"])):
            r = tl.cdaskc(extra + ["--cflags", "-O0", "f.lua", "-o", exe], cwd=d)
            if not R.check(r.returncode == 0, "cdaskc %s" % " ".join(extra),
                           tl.short(r.stderr)):
                return
        want_dir = os.path.join(d, "want")
        os.makedirs(want_dir)
        env = dict(os.environ, OMP_NUM_THREADS="1")
        r = tl.run(["./single", "--out", want_dir], cwd=d, env=env)
        if not R.check(r.returncode == 0, "single-node run", tl.short(r.stderr)):
            return
        want = outputs(want_dir)
        for f, o in oracles(x, y, v).items():
            got = np.load(os.path.join(want_dir, f))
            tol = 1e-4 if got.dtype in (np.complex64, np.float32) else 1e-10
            ok = got.shape == o.shape and np.allclose(got, o, rtol=tol, atol=tol * 10)
            R.check(ok, "single-node %s matches numpy.fft" % f,
                    "shape %s vs %s" % (got.shape, o.shape))
        for ranks, threads in ((1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (2, 2)):
            got_dir = os.path.join(d, "np%d_t%d" % (ranks, threads))
            os.makedirs(got_dir)
            env = dict(os.environ, OMP_NUM_THREADS=str(threads))
            g = tl.run(MPIRUN + ["-np", str(ranks), "./mpi", "--out", got_dir], cwd=d, env=env)
            name = "-np %d, %d thread%s" % (ranks, threads, "s" if threads > 1 else "")
            if not R.check(g.returncode == 0, name + " runs", tl.short(g.stderr)):
                continue
            got = outputs(got_dir)
            differ = [f for f in want if got.get(f) != want[f]]
            R.check(sorted(got) == sorted(want) and not differ,
                    name + ": every output bitwise the single-node program's",
                    "differ: %s; files %s" % (differ, sorted(got)))
            R.check(g.stdout == r.stdout, name + ": printed once, the same",
                    "%r vs %r" % (g.stdout, r.stdout))
    finally:
        tl.rmtree(d)


if __name__ == "__main__":
    main()
    sys.exit(R.finish())
