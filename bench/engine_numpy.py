"""The pipelines in plain NumPy (single-threaded ufuncs, whole arrays in memory)."""
import numpy as np

import enginecli
from spec import PIPELINES, SEED, WIENER_LAMBDA

rng = np.random.default_rng(SEED)


def normal_tadd_mean0(shape, _chunks):
    a = rng.normal(size=shape)
    return (a.T + a).mean(axis=0)


def normal_cos2_mean1(shape, _chunks):
    b = rng.normal(size=shape)
    return (np.cos(b) ** 2).mean(axis=1)


def normal_revmul_mean(shape, _chunks):
    b = rng.normal(size=shape)
    return (b * b[::-1, ::-1]).mean()


def normal10_mean0(shape, _chunks):
    return rng.normal(10, 0.1, size=shape).mean(axis=0)


def ones_cos2_mean1(shape, _chunks):
    return (np.cos(np.ones(shape)) ** 2).mean(axis=1)


def ones_revmul_mean(shape, _chunks):
    o = np.ones(shape)
    return (o * o[::-1, ::-1]).mean()


def ones_mean0(shape, _chunks):
    return np.ones(shape).mean(axis=0)


def normal_mean0(shape, _chunks):  # the chunk sweep: NumPy has no chunks
    return rng.normal(size=shape).mean(axis=0)


def normal10_mean0_cull(shape, _chunks):  # NumPy makes the whole array, then slices
    return rng.normal(10, 0.1, size=shape).mean(axis=0)[:100]


def ones_mean_1e6chunks(shape, _chunks):
    return np.ones(shape).mean()


def load(name, shape):
    """An input .npy file in the working directory (run.py puts it there); under --shrink, a
    copy of its top-left corner of the given shape."""
    if np.load(name, mmap_mode="r").shape == shape:
        return np.load(name)
    return np.array(np.load(name, mmap_mode="r")[tuple(slice(0, n) for n in shape)])


def fft2_roundtrip(shape, _chunks):
    x = load("input.npy", shape)
    return np.real(np.fft.ifft2(np.fft.fft2(x)))


def wiener(shape, _chunks):
    dirty, psf = load("dirty.npy", shape), load("psf.npy", shape)
    H = np.fft.fft2(np.fft.ifftshift(psf))
    D = np.fft.fft2(dirty)
    X = np.conj(H) * D / (np.abs(H) ** 2 + WIENER_LAMBDA)
    return np.real(np.fft.ifft2(X))


if __name__ == "__main__":
    pipelines = {f.__name__: f for f in [
        normal_tadd_mean0, normal_cos2_mean1, normal_revmul_mean, normal10_mean0,
        ones_cos2_mean1, ones_revmul_mean, ones_mean0, normal10_mean0_cull, ones_mean_1e6chunks]}
    pipelines.update({n: normal_mean0 for n in PIPELINES if n.startswith("normal_mean0_c")})
    for kind in (fft2_roundtrip, wiener):  # fft2_roundtrip_4096, ...: one function per kind
        pipelines.update({n: kind for n in PIPELINES if n.startswith(kind.__name__ + "_")})
    enginecli.main(pipelines)
