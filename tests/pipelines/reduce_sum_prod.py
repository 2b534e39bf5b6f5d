import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    i = np.arange(-7, 7, dtype="int32")
    A = np.asarray
    return {
        "sum.npy": A(x.sum()),
        "sum1.npy": x.sum(1),
        "sum_m1.npy": x.sum(-1),
        "sum_m3.npy": x.sum(-3),
        "sum02.npy": x.sum(axis=(0, 2)),
        "sum_m1_0.npy": x.sum(axis=(-1, 0)),
        "sum012.npy": A(x.sum(axis=(0, 1, 2))),
        "sumk.npy": x.sum(keepdims=True),
        "sum1k.npy": x.sum(axis=1, keepdims=True),
        "sum02k.npy": x.sum(axis=(0, 2), keepdims=True),
        "dasum2.npy": np.sum(x, 2),
        "prod.npy": A(x.prod()),
        "prod0.npy": x.prod(0),
        "prod12k.npy": x.prod(axis=(1, 2), keepdims=True),
        "isum.npy": A(i.sum()),
        "iprod.npy": A(i.prod()),
        "iprod_pos.npy": A(i[8:].prod()),
        "isumk.npy": i.sum(axis=0, keepdims=True),
    }
