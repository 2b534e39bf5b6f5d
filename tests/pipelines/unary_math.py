import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    i = np.arange(-4, 5)
    i32 = i.astype("int32")
    return {
        "sin.npy": np.sin(x),
        "cos.npy": np.cos(x),
        "tan.npy": np.tan(x),
        "exp.npy": np.exp(x),
        "log_abs.npy": np.log(np.abs(x)),
        "log.npy": np.log(x),
        "sqrt.npy": np.sqrt(x),
        "abs.npy": np.abs(x),
        "floor.npy": np.floor(x),
        "ceil.npy": np.ceil(x),
        "abs_i32.npy": np.abs(i32),
        "abs_i64.npy": np.abs(i),
        "sqrt_i32.npy": np.sqrt(i32),
        "exp_i64.npy": np.exp(i),
        "floor_i64.npy": np.floor(i),
        "ceil_i32.npy": np.ceil(i32),
        "exp_overflow.npy": np.exp(x * 300),
        "log_zero.npy": np.log(x * 0),
        "nested.npy": np.cos(np.sin(x * 1.5)) + np.exp(-np.abs(x * 1.5)),
    }
