"""The stencil benchmark in Dask (bench/README.md, "The stencil benchmark"): the image of
hand.c, da.map_overlap of gaussian5.c's 5x5 Gaussian written with NumPy slices (the same
weights, the terms added in the same order, from 0, so every element has the same bits),
depth 2, boundary "reflect", then .mean(), on the threaded scheduler.
Prints "mean = VALUE" (repr: every digit) and {"compute_s": ...} as the last line."""
import argparse
import json
import time

import dask
import dask.array as da
import numpy as np

W = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]) / 256  # exact in binary


def gauss5(block):
    """A padded block (2 more on each side) -> a result of its shape whose inner part is
    the stencil; map_overlap's trim cuts the 2-element border off (it is 0)."""
    r, c = block.shape
    acc = np.zeros((r - 4, c - 4))
    for a in range(5):
        for b in range(5):
            acc += W[a, b] * block[a:a + r - 4, b:b + c - 4]
    out = np.zeros_like(block)
    out[2:-2, 2:-2] = acc
    return out


def image(n, chunk):
    i = da.arange(n, chunks=chunk)[:, None]
    j = da.arange(n, chunks=chunk)[None, :]
    return (i * 7919 + j * 104729) % 65536 / 65536


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--chunk", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    dask.config.set(scheduler="threads", num_workers=args.threads)
    t0 = time.perf_counter()
    x = image(args.n, args.chunk)
    y = da.map_overlap(gauss5, x, depth=2, boundary="reflect", trim=True, dtype=np.float64)
    mean = y.mean().compute()
    compute_s = time.perf_counter() - t0
    print(f"mean = {float(mean)!r}")
    print(json.dumps({"compute_s": compute_s}))


if __name__ == "__main__":
    main()
