import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    i = np.arange(6)
    i32 = np.arange(-3, 3, dtype="int32")
    f32 = np.linspace(-1, 1, 6, dtype="float32")
    c = x > 0
    return {
        "relu_where.npy": np.where(c, x, 0),
        "relu_max.npy": np.maximum(x, 0),
        "min_bc.npy": np.minimum(x, i),
        "where_ints.npy": np.where(c, 1, 0),
        "where_scal.npy": np.where(c, 1.5, -2),
        "where_mixed.npy": np.where(c, i, x),
        "where_int.npy": np.where(i < 3, i32, i),
        "where_f32.npy": np.where(i32 >= 0, f32, 1.5),
        "where_bc_cond.npy": np.where(c[:, 0][:, None], x, -x),
        "where_int_cond.npy": np.where(i, i32, 7),
        "max_i32_i64.npy": np.maximum(i32, i),
        "min_i32_1.npy": np.minimum(i32, 1),
        "max_i32_half.npy": np.maximum(i32, 0.5),
        "max_f32_0.npy": np.maximum(f32, 0),
        "min_f32_i32.npy": np.minimum(f32, i32),
        "max_bool.npy": np.maximum(c, i32 > 0),
    }


RTOL = 1e-6   # float32 linspace
