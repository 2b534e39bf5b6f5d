import os
import numpy as np


def expected(d):
    x = np.load(os.path.join(d, "x.npy"))
    k = np.arange(-10, 17, dtype="int32")
    A = np.asarray
    return {
        "mean.npy": A(x.mean()),
        "mean1.npy": x.mean(1),
        "mean0m1.npy": x.mean(axis=(0, -1)),
        "mean2k.npy": x.mean(axis=2, keepdims=True),
        "var.npy": A(x.var()),
        "var0.npy": x.var(0),
        "var0d1.npy": x.var(axis=0, ddof=1),
        "var12k.npy": x.var(axis=(1, 2), keepdims=True, ddof=2),
        "std.npy": A(x.std()),
        "std_m2.npy": x.std(-2),
        "std01d1.npy": x.std(axis=(0, 1), ddof=1),
        "stdk.npy": x.std(keepdims=True),
        "kmean.npy": A(k.mean()),
        "kvar.npy": A(k.var()),
        "kstd1.npy": A(k.std(ddof=1)),
        "var_ddof_n.npy": A(np.ones(4).var(ddof=4)),
        "var_ddof_gt_n.npy": A(np.ones(4).var(ddof=5)),
        "var_ddof_gt_n2.npy": A(np.arange(4).var(ddof=5)),
    }

