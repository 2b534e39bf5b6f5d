import os

import numpy as np

inf, nan = np.inf, np.nan
DTYPES = ["bool", "int32", "int64", "float32", "float64", "complex64", "complex128"]
VALUES = [0, 1, -1, 255, 256, 32767, 32768, 65535, 65536, -32768, -32769, 2147483647,
          2147483648, -2147483648, -2147483649, 4611686018427387904, 0.5, 65504.0, 1e5,
          3.3999999999999996e38, 3.4e38, -3.4e38, 1e39, inf, -inf, nan, True, False]
NARROW = ["bool", "int32", "float32", "complex64"]
DATA = {
    "bool": [True, False, True],
    "int32": [0, 1, -3],
    "int64": [0, 1, -3],
    "float32": [0.5, 16777216, -3],
    "float64": [0.5, 16777216, -3],
    "complex64": [0.5 + 1j, 16777216, -3 - 2j],
    "complex128": [0.5 + 1j, 16777216, -3 - 2j],
}


def setup(d):
    for t in DTYPES:
        np.save(os.path.join(d, t + ".npy"), np.array(DATA[t], dtype=t))


def expected(d):
    assert np.__version__.startswith("1.24"), "the oracle is NumPy 1.24's value-based casting"
    r = {}
    for t in DTYPES:
        a = np.array(DATA[t], dtype=t)
        for k, v in enumerate(VALUES, 1):
            r["add_%s_%d.npy" % (t, k)] = a + v
            if t in NARROW and t != "bool":
                r["eq_%s_%d.npy" % (t, k)] = np.equal(a, v)
            if t in NARROW and k % 3 == 0 and not (t == "bool" and isinstance(v, bool)):
                r["rsub_%s_%d.npy" % (t, k)] = v - a
                r["where_%s_%d.npy" % (t, k)] = np.where(a != 0, a, v)
    return r
