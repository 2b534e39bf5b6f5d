import numpy as np


def expected(d):
    x = np.linspace(-3, 3, 13) * 0.9
    big = np.arange(5) * 1000000000 + 7
    z = np.zeros(3) / np.zeros(3)
    return {
        "f_i32.npy": x.astype("int32"),
        "f_i64.npy": x.astype("int64"),
        "f_bool.npy": x.astype("bool"),
        "nan_bool.npy": z.astype("bool"),
        "f_f32.npy": x.astype("float32"),
        "f_f32_f64.npy": x.astype("float32").astype("float64"),
        "i64_i32_wrap.npy": big.astype("int32"),
        "i64_f32.npy": big.astype("float32"),
        "i64_bool.npy": big.astype("bool"),
        "bool_i32.npy": (x > 0).astype("int32"),
        "bool_f64.npy": (x > 0).astype("float64"),
        "chain.npy": x.astype("int32").astype("float32") / 2,
        "same.npy": x.astype("float64"),
        "f_i64_big.npy": (x * 1e10).astype("int64"),
    }
