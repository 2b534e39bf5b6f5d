"""The pipelines in dask.array, with the chunks from spec.py, computed on the threaded scheduler."""
import dask
import dask.array as da
import numpy as np

import enginecli
from spec import PIPELINES, SEED, WIENER_LAMBDA

rs = da.random.RandomState(SEED)


def normal_tadd_mean0(shape, chunks):
    a = rs.normal(size=shape, chunks=chunks)
    return (a.T + a).mean(axis=0)


def normal_cos2_mean1(shape, chunks):
    b = rs.normal(size=shape, chunks=chunks)
    return (da.cos(b) ** 2).mean(axis=1)


def normal_revmul_mean(shape, chunks):
    b = rs.normal(size=shape, chunks=chunks)
    return (b * b[::-1, ::-1]).mean()


def normal10_mean0(shape, chunks):
    return rs.normal(10, 0.1, size=shape, chunks=chunks).mean(axis=0)


def ones_cos2_mean1(shape, chunks):
    return (da.cos(da.ones(shape, chunks=chunks)) ** 2).mean(axis=1)


def ones_revmul_mean(shape, chunks):
    o = da.ones(shape, chunks=chunks)
    return (o * o[::-1, ::-1]).mean()


def ones_mean0(shape, chunks):
    return da.ones(shape, chunks=chunks).mean(axis=0)


def normal_mean0(shape, chunks):  # the chunk sweep
    return rs.normal(size=shape, chunks=chunks).mean(axis=0)


def normal10_mean0_cull(shape, chunks):
    return rs.normal(10, 0.1, size=shape, chunks=chunks).mean(axis=0)[:100]


def normal_mean_64gb(shape, chunks):
    return rs.normal(size=shape, chunks=chunks).mean()


def load(name, shape, chunks):
    """An input .npy file in the working directory (run.py puts it there), memory-mapped
    (dask.array 2022.12 has no from_npy); under --shrink, its top-left corner."""
    x = da.from_array(np.load(name, mmap_mode="r"), chunks=chunks)
    return x if x.shape == shape else x[tuple(slice(0, n) for n in shape)]


# Dask's FFTs need every transformed axis in one chunk, so da.fft.fft2 needs the whole image
# in one chunk: one task, NumPy's single-threaded fft2 (1.5 to 2x slower than the code below
# at 4096x4096 on 2 threads). A Dask user who wants the threads transforms one axis at a
# time, in panels of k whole rows or columns, with a rechunk between the two axes.
def fft2(x, k):
    """fft2 of an image chunked in row panels (k, N); the result is in column panels (N, k)."""
    x = da.fft.fft(x, axis=1).rechunk((x.shape[0], k))
    return da.fft.fft(x, axis=0)


def ifft2(x, k):
    """ifft2 of an image chunked in column panels (N, k); the result is in row panels (k, N)."""
    x = da.fft.ifft(x, axis=0).rechunk((k, x.shape[1]))
    return da.fft.ifft(x, axis=1)


def fft2_roundtrip(shape, chunks):
    k = chunks[0]
    x = load("input.npy", shape, chunks).rechunk((k, shape[1]))
    return da.real(ifft2(fft2(x, k), k))


def wiener(shape, chunks):
    k = chunks[0]
    dirty, psf = load("dirty.npy", shape, chunks), load("psf.npy", shape, chunks)
    H = fft2(da.fft.ifftshift(psf).rechunk((k, shape[1])), k)
    D = fft2(dirty.rechunk((k, shape[1])), k)
    X = da.conj(H) * D / (abs(H) ** 2 + WIENER_LAMBDA)
    return da.real(ifft2(X, k))


def setup(threads):
    dask.config.set(scheduler="threads", num_workers=threads)


if __name__ == "__main__":
    pipelines = {f.__name__: f for f in [
        normal_tadd_mean0, normal_cos2_mean1, normal_revmul_mean, normal10_mean0,
        ones_cos2_mean1, ones_revmul_mean, ones_mean0, normal10_mean0_cull, normal_mean_64gb]}
    pipelines.update({n: normal_mean0 for n, p in PIPELINES.items() if p.group == "chunk sweep"})
    for kind in (fft2_roundtrip, wiener):  # fft2_roundtrip_4096, ...: one function per kind
        pipelines.update({n: kind for n in PIPELINES if n.startswith(kind.__name__ + "_")})
    enginecli.main(pipelines, finish=lambda x: x.compute(), setup=setup)
