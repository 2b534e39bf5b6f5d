"""The pipelines in plain NumPy (single-threaded ufuncs, whole arrays in memory)."""
import numpy as np

import enginecli
from spec import SEED

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


if __name__ == "__main__":
    enginecli.main({f.__name__: f for f in [
        normal_tadd_mean0, normal_cos2_mean1, normal_revmul_mean, normal10_mean0,
        ones_cos2_mean1, ones_revmul_mean, ones_mean0]})
