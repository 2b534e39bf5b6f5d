"""The pipelines in dask.array, chunks (1000, 1000), computed on the threaded scheduler."""
import dask
import dask.array as da

import enginecli
from spec import CHUNKS, SEED

rs = da.random.RandomState(SEED)


def normal_tadd_mean0(shape):
    a = rs.normal(size=shape, chunks=CHUNKS)
    return (a.T + a).mean(axis=0)


def normal_cos2_mean1(shape):
    b = rs.normal(size=shape, chunks=CHUNKS)
    return (da.cos(b) ** 2).mean(axis=1)


def normal_revmul_mean(shape):
    b = rs.normal(size=shape, chunks=CHUNKS)
    return (b * b[::-1, ::-1]).mean()


def normal10_mean0(shape):
    return rs.normal(10, 0.1, size=shape, chunks=CHUNKS).mean(axis=0)


def ones_cos2_mean1(shape):
    return (da.cos(da.ones(shape, chunks=CHUNKS)) ** 2).mean(axis=1)


def ones_revmul_mean(shape):
    o = da.ones(shape, chunks=CHUNKS)
    return (o * o[::-1, ::-1]).mean()


def ones_mean0(shape):
    return da.ones(shape, chunks=CHUNKS).mean(axis=0)


def setup(threads):
    dask.config.set(scheduler="threads", num_workers=threads)


if __name__ == "__main__":
    enginecli.main({f.__name__: f for f in [
        normal_tadd_mean0, normal_cos2_mean1, normal_revmul_mean, normal10_mean0,
        ones_cos2_mean1, ones_revmul_mean, ones_mean0]},
        finish=lambda x: x.compute(), setup=setup)
