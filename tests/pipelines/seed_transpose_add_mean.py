import os
import numpy as np


def expected(d):
    a = np.load(os.path.join(d, "a.npy"))
    assert a.shape == (1000, 1000) and a.dtype == np.float64
    assert abs(a.mean() - 10) < 0.01 and abs(a.std() - 0.1) < 0.01, "not normal(10, 0.1)"
    return {"r.npy": (a.T + a).mean(0)}
