import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    return {
        "x3.npy": x[3],
        "xm1.npy": x[-1],
        "x2_4.npy": x[2, :, 4],
        "e1.npy": x[..., 1],
        "scalar.npy": np.asarray(x[-2, -3, -4]),
        "none2.npy": x[None, 2],
        "nonemid.npy": x[:, None, 1, ::-1],
        "enone.npy": x[..., None],
        "e_mid.npy": x[1, ..., 2:5],
        "chain.npy": x[1][2],
        "clip.npy": x[-100:100, 5:1000, -3],
        "seed_view.npy": x[7:-3:3, -1],
        "red.npy": x[2].sum(1) + x[..., 0].sum(0),
    }
