import numpy as np


def expected(d):
    x = np.arange(6) * 2
    f = np.linspace(0, 1, 5) * 3
    return {
        "a.npy": x + 1,
        "s.npy": np.asarray(x.sum()),
        "x.npy": x,
        "print:fi": f.astype("int32"),
        "print:f": f,
    }
