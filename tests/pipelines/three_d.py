import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    t = x.transpose(2, 0, 1)
    return {
        "t.npy": t,
        "tt.npy": t + t[::-1, ::-1, ::-1],
        "s02.npy": x.sum(axis=(0, 2)),
        "m_1.npy": x.mean(-1),
        "max12k.npy": x.max(axis=(1, 2), keepdims=True),
        "rev.npy": x[::-1, :, ::-2],
        "mix.npy": x[1:5, -3, 2:9:3],
        "xT.npy": x.T,
        "centered_std.npy": (x - x.mean(axis=(0, 1), keepdims=True)).std(2),
        "argmax1.npy": x.argmax(1),
    }
