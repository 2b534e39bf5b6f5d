import numpy as np


def expected(d):
    a = np.arange(-6, 6, dtype="int32")
    b = np.arange(12)
    f = np.linspace(-1, 1, 12, dtype="float32")
    return {
        "a_plus_b.npy": a + b,
        "a_plus_2.npy": a + 2,
        "two_minus_a.npy": 2 - a,
        "a_plus_2f.npy": a + 2.0,
        "a_times_big.npy": a * 3000000000,
        "a_div_2.npy": a / 2,
        "a_div_arr.npy": a / (b + 1).astype("int32"),
        "f_plus_1.npy": f + 1,
        "f_times_2_5.npy": f * 2.5,
        "f_plus_a.npy": f + a,
        "f_plus_b.npy": f + b,
        "a_pow_2.npy": a ** 2,
        "b_pow_2f.npy": b ** 2.0,
        "neg_a.npy": -a,
        "mixed.npy": a.astype("int64") * a,
    }


RTOL = 1e-6   # linspace in float32
