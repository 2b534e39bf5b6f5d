import numpy as np


def expected(d):
    a = np.arange(-4, 5)
    a32 = a.astype("int32")
    c = a > 0
    dd = (a % 2) == 0
    t = np.ones(9, dtype=bool)
    return {
        "c.npy": c,
        "t.npy": t,
        "c_plus_d.npy": c + dd,
        "c_times_d.npy": c * dd,
        "c_plus_1.npy": c + 1,
        "c_plus_1_5.npy": c + 1.5,
        "c_times_a.npy": c * a,
        "c_times_a32.npy": c * a32,
        "c_div_t.npy": c / t,
        "and.npy": c & dd,
        "or.npy": c | dd,
        "xor.npy": c ^ dd,
        "not.npy": ~c,
        "sum.npy": np.asarray(c.sum()),
        "mean.npy": np.asarray(c.mean()),
        "prod.npy": np.asarray(c.prod()),
        "max.npy": np.asarray(c.max()),
        "min.npy": np.asarray(dd.min()),
        "c_f32.npy": c.astype("float32"),
        "print:pc": c,
        "print:psum": c.sum(),
        "print:pany": c.any(),
        "print:pall": c.all(),
    }
