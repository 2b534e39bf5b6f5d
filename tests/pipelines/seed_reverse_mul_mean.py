import os
import numpy as np


def expected(d):
    b = np.load(os.path.join(d, "b.npy"))
    r = (b * b[::-1, ::-1]).mean()
    # the mean is a sum of ~1e6 terms of both signs: allow the summation order to differ
    return {"r.npy": np.asarray(r), "print:r": r}


RTOL = 1e-9
