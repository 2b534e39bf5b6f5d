import numpy as np


def expected(d):
    t = np.full((2, 3), True)
    f = np.full(3, False)
    return {"t.npy": t, "f.npy": f, "tsum.npy": np.asarray(t.sum()), "print:pf": f}
