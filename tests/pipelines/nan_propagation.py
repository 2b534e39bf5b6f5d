import numpy as np


def expected(d):
    p = np.arange(20)
    X = ((p[:, None] - np.arange(4)) % 9 - 1).astype("float64")
    s = np.sqrt(X)
    l = np.log(X + 1)
    q = X / (X - X)
    A = np.asarray
    return {
        "s.npy": s,
        "max0.npy": s.max(0),
        "max1.npy": s.max(1),
        "min1.npy": s.min(1),
        "max.npy": A(s.max()),
        "argmax1.npy": s.argmax(1),
        "argmin0.npy": s.argmin(0),
        "argmax.npy": A(s.argmax()),
        "argmin_tail.npy": A(s[4:].argmin()),
        "sum1.npy": s.sum(1),
        "mean0.npy": s.mean(0),
        "std1.npy": s.std(1),
        "lmin0.npy": l.min(0),
        "largmin1.npy": l.argmin(1),
        "lsum1.npy": l.sum(1),
        "q.npy": q,
        "qmax1.npy": q.max(1),
        "maximum.npy": np.maximum(s, 1),
        "minimum.npy": np.minimum(2, s),
        "gt.npy": s > 1,
        "ne.npy": s != s,
        "eq.npy": s == s,
        "where.npy": np.where(s >= 0, s, -5),
        "any1.npy": s.any(1),
    }
