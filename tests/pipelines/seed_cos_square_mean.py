import os
import numpy as np


def expected(d):
    b = np.load(os.path.join(d, "b.npy"))
    return {"r.npy": (np.cos(b) ** 2).mean(1)}
