import numpy as np


def expected(d):
    i = np.arange(24)
    b = (i[:, None] * np.arange(1, 5) % 7) == 0
    f = (i % 5).astype("float64")[:, None] * np.ones((1, 3))
    A = np.asarray
    return {
        "b.npy": b,
        "any.npy": A(b.any()),
        "all.npy": A(b.all()),
        "any0.npy": b.any(0),
        "any1.npy": b.any(1),
        "all_m1.npy": b.all(-1),
        "any01.npy": A(b.any(axis=(0, 1))),
        "all0k.npy": b.all(axis=0, keepdims=True),
        "notb_all0.npy": (~b).all(0),
        "f_all1.npy": f.all(1),
        "f_any.npy": A(f.any()),
        "f_all.npy": A(f.all()),
        "i_all.npy": A(i.all()),
        "i1_all.npy": A(i[1:].all()),
        "zero_any.npy": A((i - i).any()),
        "da_any1.npy": np.any(b, 1),
        "print:pany": b.any(),
        "print:pall0": b.all(0),
    }
