import os
import numpy as np

RTOL = 1e-5
ATOL = 1e-6


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    assert x.dtype == np.float32, "random normal with dtype float32 is %s" % x.dtype
    y = np.sin(x) * 2 + np.exp(x / 4) - 0.5
    assert y.dtype == np.float32
    return {
        "y.npy": y,
        "sq.npy": np.sqrt(np.abs(x)) ** 2,
        "sum0.npy": y.sum(0),
        "mean.npy": np.asarray(y.mean()),
        "std1.npy": y.std(1),
        "max0.npy": y.max(0),
        "argmax1.npy": x.argmax(1),
        "bc.npy": x.T[::-1] + x.mean(1),
        "fdmod.npy": x // 0.5 + x % 0.5,
        "upcast.npy": x * x.astype("float64"),
        "cmp.npy": x > 0.5,
    }
