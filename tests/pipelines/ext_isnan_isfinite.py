import os
import numpy as np


def _inputs():
    r = np.random.RandomState(43)
    f8 = r.normal(size=(10, 7))
    f8[1, 2] = f8[9, 6] = np.nan
    f8[4, :] = np.nan
    f8[0, 5], f8[7, 0], f8[8, 3] = np.inf, -np.inf, np.inf
    f4 = r.normal(size=(3, 5)).astype("float32")
    f4[0, 1], f4[2, 4], f4[1, 1] = np.nan, np.inf, -np.inf
    return {
        "f8.npy": f8,
        "f4.npy": f4,
        "i4.npy": r.randint(-3, 3, size=(6, 11)).astype("int32"),
        "b.npy": r.rand(4, 5) > 0.5,
    }


def setup(d):
    for name, a in _inputs().items():
        np.save(os.path.join(d, name), a)


def expected(d):
    v = _inputs()
    f8, f4, i4, b = (v[k] for k in ["f8.npy", "f4.npy", "i4.npy", "b.npy"])
    i8 = np.arange(13)
    return {
        "f8_isnan.npy": np.isnan(f8),
        "f8_isfinite.npy": np.isfinite(f8),
        "f8_isnan_view.npy": np.isnan(f8.T[::-1]),
        "f8_nan_count0.npy": np.isnan(f8).sum(0),
        "f8_finite_rows.npy": np.isfinite(f8).all(1),
        "f8_finite_sum1.npy": np.where(np.isfinite(f8), f8, 0).sum(1),
        "f8_times0.npy": np.isnan(f8 * 0),
        "f4_isnan.npy": np.isnan(f4),
        "f4_isfinite.npy": np.isfinite(f4),
        "i4_isnan.npy": np.isnan(i4),
        "i4_isfinite.npy": np.isfinite(i4),
        "i8_isnan.npy": np.isnan(i8),
        "i8_finite_count.npy": np.asarray(np.isfinite(i8).sum()),
        "b_isnan.npy": np.isnan(b),
        "b_isfinite.npy": np.isfinite(b),
        "i4_div0.npy": np.isnan(i4 / 0),
        "print:scalar_nan": np.isnan(f8[1, 2]),
        "print:scalar_finite": np.isfinite(f8[0, 0]),
    }
