import numpy as np


def expected(d):
    x = np.linspace(-3, 3, 10)
    s = np.sin(x)
    e = np.exp(x / 2)
    return {
        "s.npy": s,
        "s1.npy": s + 1,
        "ssum.npy": np.asarray(s.sum()),
        "e.npy": e,
        "mix.npy": np.sqrt(e) * s,
    }


ATOL = 1e-15   # the sum of sin over a symmetric range is ~0
