import numpy as np


def expected(d):
    e = np.zeros((0, 5))
    f = np.ones((4, 0))
    a = np.arange(10)
    return {
        "e1.npy": e + 1,
        "sum0.npy": e.sum(0),
        "sum1.npy": e.sum(1),
        "sumall.npy": np.asarray(e.sum()),
        "prod0.npy": e.prod(0),
        "fsum1.npy": f.sum(1),
        "fany1.npy": f.any(1),
        "fall1.npy": f.all(1),
        "mean0.npy": e.mean(0),          # NaN (0/0)
        "emptyslice.npy": a[5:5],
        "emptyslice2.npy": a[8:2],
        "emptysum.npy": np.asarray(a[5:5].sum()),
        "print:p_sum0": e.sum(0),
        "print:p_empty": a[5:5],
    }
