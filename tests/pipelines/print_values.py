import numpy as np


def expected(d):
    a = np.arange(6)
    x = np.linspace(0, 1, 5)
    with np.errstate(all="ignore"):
        nan_inf = np.log(x - 0.5)
    return {
        "print:int_scalar": a.sum(),
        "print:float_scalar": a.mean(),
        "print:float_digits": (x * 0.1 + 0.2)[1],
        "print:bool_true": (a > 2).any(),
        "print:bool_false": (a > 10).any(),
        "print:int_arr": a,
        "print:float_arr": x,
        "print:int32_arr": a.astype("int32") - 3,
        "print:bool_arr": a > 2,
        "print:int_2d": a[:, None] * np.arange(3)[None],
        "print:float_2d": x[:, None] + np.zeros((1, 2)),
        "print:float_small": x * 1e-5,
        "print:float_large": x * 1e9,
        "print:nan_inf": nan_inf,
        "print:f32_arr": x.astype("float32") / 3,
        "print:neg_zero": -x,
        "print:empty": a[2:2],
        "print:int_3d": np.ones((2, 2, 2), dtype="int64"),
        "print:zero_d_array": np.zeros(()),
    }
