import numpy as np


def expected(d):
    A = np.asarray
    return {
        "a.npy": np.linspace(0, 1, 11),
        "noend.npy": np.linspace(0, 1, 10, endpoint=False),
        "dec.npy": np.linspace(5, -5, 7),
        "one.npy": np.linspace(2, 3, 1),
        "one_noend.npy": np.linspace(2, 3, 1, endpoint=False),
        "zero.npy": np.linspace(2, 3, 0),
        "chunked.npy": np.linspace(-1, 1, 101),
        "chunked_noend.npy": np.linspace(0.1, 0.7, 25, endpoint=False),
        "int32.npy": np.linspace(-5, 5, 7, dtype="int32"),
        "int64.npy": np.linspace(0, 10, 4, dtype="int64"),
        "const.npy": np.linspace(1, 1, 4),
        "sum.npy": A(np.linspace(0, 1, 11).sum()),
    }
