import numpy as np


def expected(d):
    a = np.arange(-6, 7, dtype="int32")
    b = np.full((4, 6), 2147483647, dtype="int32")
    m = np.arange(-20, 20, 3, dtype="int32")[0:12]
    return {
        "a.npy": a,
        "sum.npy": np.asarray(a.sum()),
        "prod.npy": np.asarray(a[7:].prod()),
        "min.npy": np.asarray(a.min()),
        "max.npy": np.asarray(a.max()),
        "mean.npy": np.asarray(a.mean()),
        "var.npy": np.asarray(a.var()),
        "std1.npy": np.asarray(a.std(ddof=1)),
        "argmin.npy": np.asarray(a.argmin()),
        "bigsum0.npy": b.sum(0),
        "bigsum.npy": np.asarray(b.sum()),
        "bigmean1.npy": b.mean(1),
        "m.npy": m,
        "print:psum": a.sum(),
        "print:pmax": a.max(),
    }
