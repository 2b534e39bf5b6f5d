import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    e = np.zeros((0, 4))
    k = np.arange(-12, 12, dtype="int32")
    A = np.asarray
    return {
        "e_rev.npy": e[::-1, ::-1],
        "e_T_sum1.npy": e.T.sum(1),
        "tr_argmax.npy": A(x.transpose(2, 0, 1).argmax()),
        "ell_argmin.npy": A(x[..., ::-1].argmin()),
        "f32_var1.npy": x.astype("float32").var(1),
        "i32_mean1.npy": k[:, None].mean(1),
        "bool_sumk.npy": (x > 0).sum(axis=2, keepdims=True),
        "f32_bool_all.npy": x.astype("float32").astype("bool").all(0),
        "last.npy": A(x[-1][-1][-1]),
        "view_sum.npy": x[1:3, ::-1, 5:0:-2].sum(1),
    }


RTOL = 1e-6   # float32 var
