import numpy as np


def expected(d):
    a = np.ones((1000, 1000))
    return {
        "r1.npy": (a.T + a).mean(0),
        "r2.npy": (np.cos(a) ** 2).mean(1),
        "r3.npy": np.asarray((a * a[::-1, ::-1]).mean()),
        "r4.npy": a.mean(0)[0:100],
        "print:m": 1.0,
    }
