"""Checks that gaussian5.c and stencil_dask.py's NumPy stencil compute the same bits: the
C kernel is built as a shared library (with runtime/cdask_kernel.h, as cdaskc predefines
it) and called through ctypes by Dask's own map_overlap, at small sizes with chunks that
do and do not divide the shape. Prints "ok ..." per case; exit 1 on a difference.
    /usr/bin/python3 bench/stencil/check_kernel.py"""
import ctypes
import os
import shutil
import subprocess
import sys
import tempfile

import dask
import dask.array as da
import numpy as np

import stencil_dask

STENCIL = os.path.dirname(os.path.abspath(__file__))
HEADER = os.path.join(os.path.dirname(os.path.dirname(STENCIL)), "runtime", "cdask_kernel.h")


class Block(ctypes.Structure):  # runtime/cdask_kernel.h's cdask_block
    _fields_ = [("ndim", ctypes.c_int)] + [
        (f, ctypes.c_int64 * 8)
        for f in ("shape", "array_shape", "start", "stop", "chunk_location", "num_chunks")]


def c_kernel(lib):
    def gauss5(block):
        """What cdask passes: the padded block, contiguous; b[0] the output's, b[1] the input's."""
        block = np.ascontiguousarray(block)
        out = np.empty_like(block)
        b = (Block * 2)()
        for d in b:
            d.ndim = 2
            d.shape[0], d.shape[1] = block.shape
        lib.gauss5(block.ctypes.data_as(ctypes.c_void_p), out.ctypes.data_as(ctypes.c_void_p), b)
        return out
    return gauss5


def main():
    dask.config.set(scheduler="synchronous")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="cdask-stencil-check-") as tmp:
        so = os.path.join(tmp, "gaussian5.so")
        subprocess.run([shutil.which(os.environ.get("CC") or "cc"), "-std=c11", "-O3", "-fPIC",
                        "-shared", "-ffp-contract=off", "-include", HEADER,
                        os.path.join(STENCIL, "gaussian5.c"), "-o", so], check=True)
        kernel = c_kernel(ctypes.CDLL(so))
        for n, chunk in ((1000, 250), (1000, 300), (37, 10), (5, 5)):
            x = stencil_dask.image(n, chunk)
            a = da.map_overlap(kernel, x, depth=2, boundary="reflect", dtype=np.float64).compute()
            b = da.map_overlap(stencil_dask.gauss5, x, depth=2, boundary="reflect",
                               dtype=np.float64).compute()
            same = a.tobytes() == b.tobytes()
            failed += not same
            print(f"{'ok' if same else 'FAIL'} n={n} chunks={chunk}: C kernel and NumPy "
                  f"{'agree bit for bit' if same else 'differ'} (mean {a.mean()!r})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
