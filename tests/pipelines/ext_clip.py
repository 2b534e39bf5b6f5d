import os
import numpy as np


def _inputs():
    r = np.random.RandomState(41)
    f8 = r.uniform(-1, 1, size=(23, 17))
    f8[3, 4] = f8[0, 0] = f8[22, 16] = np.nan
    f8[5, :] = np.nan
    f8[7, 2], f8[8, 9] = np.inf, -np.inf
    f4 = r.uniform(-1, 1, size=(7, 3)).astype("float32")
    f4[2, 1] = np.nan
    return {
        "f8.npy": f8,
        "f4.npy": f4,
        "i4.npy": r.randint(-1000, 1000, size=(6, 11)).astype("int32"),
        "i8.npy": r.randint(-10**12, 10**12, size=13).astype("int64"),
        "b.npy": r.rand(4, 5) > 0.5,
    }


def setup(d):
    for name, a in _inputs().items():
        np.save(os.path.join(d, name), a)


def expected(d):
    v = _inputs()
    f8, f4, i4, i8, b = (v[k] for k in ["f8.npy", "f4.npy", "i4.npy", "i8.npy", "b.npy"])
    lo, hi = np.linspace(-1, 0, 17), np.linspace(0.1, 1, 17)
    return {
        "f8_both.npy": np.clip(f8, -0.5, 0.5),
        "f8_hi.npy": f8.clip(None, 0.25),
        "f8_lo.npy": f8.clip(-0.25),
        "f8_crossed.npy": np.clip(f8, 0.5, -0.5),
        # NumPy 1.24 still read a scalar NaN bound as "no bound" (deprecated); 1.25 propagates it
        "f8_nan_bound.npy": np.minimum(np.maximum(f8, np.nan), 1),
        "f8_sum0.npy": np.clip(f8, -1, 1).sum(0),
        "f8_view.npy": f8.T.clip(0, 1)[::-2],
        "f8_arrays.npy": np.clip(f8, lo, hi),
        "f8_array_lo.npy": np.clip(f8, lo, None),
        "f4_both.npy": f4.clip(-0.5, 0.5),
        "f4_big.npy": f4.clip(0, 1e300),
        "f4_int_bound.npy": f4.clip(None, 2),
        "i4_ints.npy": i4.clip(-100, 100),
        "i4_float.npy": i4.clip(-100.5, 100),
        "i4_big.npy": i4.clip(0, 2**40),
        "i4_hi.npy": i4.clip(None, -3),
        "i8_both.npy": i8.clip(-10**11, 10**11),
        "i8_float.npy": i8.clip(0.5),
        "b_ints.npy": b.clip(0, 1),
        "b_bools.npy": b.clip(False, True),
        "b_true.npy": b.clip(True),
        "print:scalar": np.clip(f8[2, 3], 0, 0.1),
    }
