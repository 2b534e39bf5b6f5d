import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    y = np.arange(20)
    return {
        "r_all.npy": x[::-1, ::-1, ::-1],
        "r_steps.npy": x[::-2, ::-3, ::-4],
        "r_bounds.npy": x[10:2:-3, -2::-2, :-7:-1],
        "r_twice.npy": x[::-1][::-1],
        "r_chain.npy": x[1::2, ::-1][::-2, 3:],
        "r_sum0.npy": x[::-1, ::-1, ::-1].sum(0),
        "r_argmin2.npy": x[::-1, ::-1, ::-1].argmin(2),
        "y_rev.npy": y[::-1],
        "y_15_3_m4.npy": y[15:3:-4],
        "y_full_rev.npy": y[-1:-21:-1],
        "y_empty.npy": y[3:15:-1],
        "y_mix.npy": y[::-7] + y[::7],
    }
