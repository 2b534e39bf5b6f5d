import numpy as np

inf, nan = np.inf, np.nan


def expected(d):
    b = np.full(3, 2.5, dtype="bool")
    return {
        "bool_2_5.npy": b,
        "bool_2_5_i64.npy": b.astype("int64"),
        "bool_2_5_times_5.npy": b * 5,
        "bool_2_plus.npy": np.full(3, 2, dtype="bool") + np.arange(3),
        "bool_neg_zero.npy": np.full(3, -0.0, dtype="bool"),
        "bool_nan.npy": np.full(3, nan, dtype="bool"),
        "f32_0_1.npy": np.full(2, 0.1, dtype="float32").astype("float64"),
        "f32_0_1_times_3.npy": np.full(2, 0.1, dtype="float32") * 3,
        "f32_1e39.npy": np.full(2, 1e39, dtype="float32"),
        "f32_neg_1e39.npy": np.full(2, -1e39, dtype="float32").astype("float64"),
        "f32_2_24_plus_1.npy": np.full(2, 16777217, dtype="float32").astype("float64"),
        "f32_maxint.npy": np.full(2, 2 ** 63 - 1, dtype="float32"),
        "i32_1e10.npy": np.full(2, 1e10, dtype="int32"),
        "i32_1e10_plus_1.npy": np.full(2, 1e10, dtype="int32") + 1,
        "i32_nan.npy": np.full(2, nan, dtype="int32"),
        "i32_neg_inf.npy": np.full(2, -inf, dtype="int32"),
        "i64_nan.npy": np.full(2, nan, dtype="int64"),
        "i64_1e20_half.npy": np.full(2, 1e20, dtype="int64") // 2,
        "i64_neg_3_7.npy": np.full(2, -3.7, dtype="int64"),
        "i32_2_40.npy": np.full(2, 2 ** 40, dtype="int32"),
        "i32_below_min.npy": np.full(2, -2147483649, dtype="int32"),
        "f32_true.npy": np.full(2, True, dtype="float32"),
        "c64_0_1.npy": np.full(2, 0.1, dtype="complex64").astype("complex128"),
        "c64_1e39.npy": np.full(2, 1e39, dtype="complex64"),
    }
