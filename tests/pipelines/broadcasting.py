import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    y = np.load(os.path.join(d, "y.npy"))
    col = np.arange(6)[:, None]
    row = np.linspace(0, 1, 7)
    c3 = np.ones((2, 6, 7))
    return {
        "x_plus_y.npy": x + y,
        "mixed_views.npy": x * y.T.T - y[::-1],
        "outer.npy": col + row,
        "outer_rev.npy": row + col,
        "x_minus_row.npy": x - row,
        "x_div_0d.npy": x / col.astype("float64")[1:].sum(),
        "c3x.npy": c3 * x,
        "c3row.npy": c3 + row,
        "c3col.npy": c3 * col,
        "center_rows.npy": x - x.mean(axis=1, keepdims=True),
        "standardize.npy": (x - x.mean(0)) / x.std(0),
        "none_bc.npy": x[None] + x[:, None],
    }
