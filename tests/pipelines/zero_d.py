import numpy as np


def expected(d):
    a = np.arange(10)
    s, m, e = a.sum(), a.mean(), a[3]
    b = np.full((2, 3), 4)
    return {
        "s.npy": np.asarray(s),
        "m.npy": np.asarray(m),
        "e.npy": np.asarray(e),
        "am.npy": a - m,
        "se.npy": np.asarray(s * e + 1),
        "ix.npy": np.asarray(np.ones((3, 4))[1, 2]),
        "b12.npy": np.asarray(b[1, 2]),
        "bdiv.npy": np.asarray(b[1, 2] / 8),
        "print:s": s,
        "print:m": m,
        "print:last": a[-1],
    }
