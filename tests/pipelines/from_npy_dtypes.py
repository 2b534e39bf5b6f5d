import os
import numpy as np


def _inputs():
    r = np.random.RandomState(17)
    return {
        "f8.npy": r.normal(size=(9, 9)),
        "f4.npy": r.normal(size=(5, 6)).astype("float32"),
        "i4.npy": r.randint(-1000, 1000, size=(3, 12)).astype("int32"),
        "i8.npy": r.randint(-10**12, 10**12, size=(5, 13)).astype("int64"),
        "b.npy": r.rand(6, 12) > 0.5,
        "scalar.npy": np.asarray(2.5),
    }


def setup(d):
    for name, a in _inputs().items():
        np.save(os.path.join(d, name), a)


def expected(d):
    v = _inputs()
    f8, f4, i4, i8, b, s = (v[k] for k in ["f8.npy", "f4.npy", "i4.npy", "i8.npy", "b.npy",
                                          "scalar.npy"])
    return {
        "f8_copy.npy": f8,
        "f4_copy.npy": f4,
        "i4_copy.npy": i4,
        "i8_copy.npy": i8,
        "b_copy.npy": b,
        "s_copy.npy": s,
        "f8_expr.npy": f8 * 2 + f8.T.sum(0),
        "f4_plus1.npy": f4 + 1,
        "i4_sum.npy": np.asarray(i4.sum()),
        "i4_divmod.npy": i4 // 3 + i4 % -4,
        "i8_max1.npy": i8.max(1),
        "i8_view.npy": i8[::-1, 1::2],
        "b_sum0.npy": b.sum(0),
        "b_where.npy": np.where(b, i4[0], -1),
        "s_f8.npy": s * f8,
    }
