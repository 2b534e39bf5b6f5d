import os
import numpy as np


def _inputs():
    r = np.random.RandomState(47)
    x = r.normal(size=(6, 7, 5))
    x[r.rand(6, 7, 5) < 0.2] = np.nan
    x[2, :, 3] = np.nan                         # all-NaN along axis 1
    x[:, 4, 1] = np.nan                         # all-NaN along axis 0
    x[5] = np.nan                               # an all-NaN plane
    x[1, 2, :] = [np.nan, -np.inf, np.nan, np.nan, np.nan]
    x[1, 3, :] = [np.inf, np.nan, np.nan, 1.0, np.nan]
    x[3, 6, :] = [np.nan, np.nan, np.inf, np.nan, np.nan]
    m = r.uniform(-5, 5, size=(9, 8))
    m[4, :] = np.nan                            # an all-NaN row
    m[:, 6] = np.nan                            # an all-NaN column
    m[0, 0] = m[8, 7] = m[2, 3] = np.nan
    return {
        "x.npy": x,
        "m.npy": m,
        "i4.npy": r.randint(-1000, 1000, size=(6, 11)).astype("int32"),
        "b.npy": r.rand(4, 5) > 0.5,
    }


def setup(d):
    for name, a in _inputs().items():
        np.save(os.path.join(d, name), a)


def expected(d):
    v = _inputs()
    x, m, i4, b = (v[k] for k in ["x.npy", "m.npy", "i4.npy", "b.npy"])
    A = np.asarray
    want = {}
    for f in ["nansum", "nanmean", "nanmax", "nanmin"]:
        fn = getattr(np, f)
        want.update({
            f + "_x_all.npy": A(fn(x)),
            f + "_x_0.npy": fn(x, 0),
            f + "_x_m1.npy": fn(x, -1),
            f + "_x_02.npy": fn(x, (0, 2)),
            f + "_x_1_keep.npy": fn(x, 1, keepdims=True),
            f + "_x_21_keep.npy": fn(x, (2, 1), keepdims=True),
            f + "_m_0.npy": fn(m, 0),
            f + "_m3_1.npy": fn(m, 1),
            f + "_m3_view.npy": fn(m[::-1, 1:7].T, 0),
            f + "_i4_1.npy": fn(i4, 1),
            f + "_i4_all.npy": A(fn(i4)),
            f + "_b_0.npy": fn(b, 0),
        })
    e = np.zeros((0, 4))
    want.update({
        "combined.npy": A(np.nansum(m) + np.nanmax(m)),
        "same.npy": np.nanmean(m, 1) - np.nanmean(m, 1),  # NaN at the all-NaN row
        "print:allnan_max": np.nanmax(m[4]),
        "print:allnan_mean": np.nanmean(m[4]),
        "print:allnan_sum": np.nansum(m[4]),
        "e_nansum0.npy": np.nansum(e, 0),
        "e_nanmean0.npy": np.nanmean(e, 0),
        "e_nanmax1.npy": np.nanmax(e, 1),
        "e_nanmin1.npy": np.nanmin(e, 1),
    })
    return want
