import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    v = np.arange(7)
    return {
        "vT.npy": v.T,
        "xT.npy": x.T,
        "x_tr.npy": x.transpose(),
        "x_102.npy": x.transpose(1, 0, 2),
        "x_neg.npy": x.transpose(-1, 0, -2),
        "da_tr.npy": np.transpose(x, (2, 1, 0)),
        "x_roundtrip.npy": x.transpose(2, 0, 1).transpose(1, 2, 0),
        "x0_view.npy": x[0].T[::-1, 1:4],
        "x_tr_sum.npy": x.transpose(1, 2, 0)[::-2].sum(-1),
        "x_same.npy": x.T + x.transpose(2, 1, 0),
    }
