import numpy as np


def expected(d):
    return {
        "full_int.npy": np.full((3, 4), 7),
        "full_float.npy": np.full((3, 4), 2.5),
        "full_i32_trunc.npy": np.full(5, 2.7, dtype="int32"),
        "full_i64_trunc.npy": np.full(5, -2.7, dtype="int64"),
        "full_bool_cast.npy": np.full(4, -1, dtype="bool"),
        "full_f32.npy": np.full(4, 0.1, dtype="float32"),
        "full_float_int_valued.npy": np.full((2, 2), 3.0),
        "zeros.npy": np.zeros((3, 2)),
        "zeros_i32.npy": np.zeros(3, dtype="int32"),
        "ones_i64.npy": np.ones((2, 3), dtype="int64"),
        "ones_bool.npy": np.ones(4, dtype="bool"),
        "ones_f32.npy": np.ones((2, 2), dtype="float32"),
        "full_div.npy": np.full((2, 3), 7) / 2,
        "full_fdiv.npy": np.full((2, 3), 7) // 2,
        "full_0d.npy": np.full((), 4.5),
    }
