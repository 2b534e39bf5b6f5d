"""The pipelines in dask.array, with the chunks from spec.py, computed on the threaded scheduler."""
import dask
import dask.array as da

import enginecli
from spec import PIPELINES, SEED

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


def setup(threads):
    dask.config.set(scheduler="threads", num_workers=threads)


if __name__ == "__main__":
    pipelines = {f.__name__: f for f in [
        normal_tadd_mean0, normal_cos2_mean1, normal_revmul_mean, normal10_mean0,
        ones_cos2_mean1, ones_revmul_mean, ones_mean0, normal10_mean0_cull, normal_mean_64gb]}
    pipelines.update({n: normal_mean0 for n, p in PIPELINES.items() if p.group == "chunk sweep"})
    enginecli.main(pipelines, finish=lambda x: x.compute(), setup=setup)
