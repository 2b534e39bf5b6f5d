import numpy as np


def expected(d):
    x = np.linspace(-2, 2, 9)
    p = np.linspace(0.5, 2.5, 9)
    i = np.arange(-4, 5)
    n = np.arange(0, 9)
    return {
        "x_sq.npy": x ** 2,
        "x_sq_f.npy": x ** 2.0,
        "x_cube.npy": x ** 3,
        "x_sqrt.npy": x ** 0.5,
        "x_recip.npy": x ** -1,
        "x_zero.npy": x ** 0,
        "p_p.npy": p ** p,
        "two_x.npy": 2 ** x,
        "cbrt_nan.npy": x ** (1 / 3),
        "i_sq.npy": i ** 2,
        "i_sq_f.npy": i ** 2.0,
        "i_n.npy": i ** n,
        "two_n.npy": 2 ** n,
        "i32_cube.npy": i.astype("int32") ** 3,
        "f32_sq.npy": x.astype("float32") ** 2,
        "i_zero.npy": i ** 0,
    }
