import numpy as np


def expected(d):
    x = np.linspace(-2, 2, 9)
    i = np.arange(-4, 5)
    j = np.arange(3, dtype="int32")[:, None]
    return {
        "lt.npy": x < i,
        "le0.npy": x <= 0,
        "gt.npy": x > 0.5,
        "ge.npy": i >= x,
        "eq.npy": i == x * 2,
        "ne0.npy": i != 0,
        "eq_bc.npy": i == j,
        "lt_bc.npy": j < i,
        "combo.npy": (x < i) & (i > -2) | (x == 2),
        "bool_eq.npy": (x > 0) == (i > 0),
        "bool_lt.npy": (i > 0) < (x > -1),
        "da_less.npy": np.less(x, 1),
        "da_ge_scalar_first.npy": np.greater_equal(2, x),
        "f32_eq.npy": i.astype("float32") == x.astype("float32"),
        "print:pgt": i > 0,
    }
