import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    y = x * 2 + 1
    m = y.mean(0)
    return {
        "y.npy": y,
        "m.npy": m,
        "centered.npy": y - m,
        "centered_sum0.npy": (y - m).sum(0),
        "y_again.npy": y,
        "expmax1.npy": np.exp(y).max(1),
        "print:msum": m.sum(),
        "msum.npy": np.asarray(m.sum()),
    }


ATOL = 1e-14   # centered sums are ~0
