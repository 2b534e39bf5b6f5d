import os

import numpy as np

NAMES = ["sum", "prod", "mean", "min", "max", "any", "all", "std", "var", "nansum",
         "nanmean", "nanmax", "nanmin"]
X = np.array([[1.5, np.nan, -2.0], [0.0, 3.0, np.inf]])
I = np.array([[4, -1, 7], [0, 2, -3]], dtype=np.int32)


def setup(d):
    np.save(os.path.join(d, "x.npy"), X)
    np.save(os.path.join(d, "i.npy"), I)


def expected(d):
    r = {}
    for f in NAMES:
        fn = getattr(np, f)
        r["x_%s_empty.npy" % f] = fn(X, axis=(), keepdims=False)
        r["x_%s_axis_empty.npy" % f] = fn(X, axis=())
        r["i_%s_empty.npy" % f] = fn(I, axis=(), keepdims=True)
    r["x_var_ddof1.npy"] = np.var(X, axis=(), ddof=1)
    r["x_sum_empty_keepdims.npy"] = np.sum(X, axis=(), keepdims=True)
    r["x_sum_all.npy"] = np.sum(X)
    r["print:argmax0d"] = np.argmax(np.full((), 5))
    r["print:argmin0d"] = np.argmin(np.full((), 5))
    r["print:argmaxnan0d"] = np.argmax(np.full((), np.nan))
    r["print:argminsum"] = np.argmin(X.sum())
    r["print:argmaxmax"] = np.argmax(I.max())
    e = np.ones((3, 0))
    r["empty_sum1.npy"] = e.sum(1)
    r["empty_sum0.npy"] = np.zeros((0, 4)).sum(0)
    return r
