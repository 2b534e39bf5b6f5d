import os
import numpy as np

RTOL = 1e-5  # float32 sums: cdask's pairwise tree follows the chunks, NumPy's does not


def _x():
    r = np.random.RandomState(53)
    x = r.normal(size=(13, 9)).astype("float32")
    x[r.rand(13, 9) < 0.25] = np.nan
    x[7, :] = np.nan
    x[:, 2] = np.nan
    x[3, 4] = np.inf
    return x


def setup(d):
    np.save(os.path.join(d, "x.npy"), _x())


def expected(d):
    x = _x()
    want = {}
    for f in ["nansum", "nanmean", "nanmax", "nanmin"]:
        fn = getattr(np, f)
        want.update({
            f + "_all.npy": np.asarray(fn(x)),
            f + "_0.npy": fn(x, 0),
            f + "_1_keep.npy": fn(x, 1, keepdims=True),
            f + "_y_m1.npy": fn(x, -1),
        })
    want["nanmean_f64.npy"] = np.nanmean(x.astype("float64"), 0)
    return want
