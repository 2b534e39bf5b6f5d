import numpy as np


def expected(d):
    a = np.arange(-2, 3)
    z = np.zeros(5, dtype="int64")
    x = a.astype("float64")
    zf = np.zeros(5)
    return {
        "int_fd0.npy": a // z,
        "int_mod0.npy": a % z,
        "int_div0.npy": a / z,
        "f_div0.npy": x / zf,
        "f_fd0.npy": x // zf,
        "f_mod0.npy": x % zf,
        "f_div_lua0.npy": x / 0,
        "one_over_x.npy": 1 / x,
    }
