import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    assert x.shape == (300, 500) and 0 <= x.min() and x.max() < 1
    o = np.ones((300, 500))
    a = np.arange(1000)
    return {
        "sum0.npy": (x + o).sum(0),
        "meanT.npy": x.T.mean(1),
        "max1.npy": x[::-1, ::3].max(1),
        "a_rev.npy": a[::-7],
        "asum.npy": np.asarray(a.sum()),
    }
