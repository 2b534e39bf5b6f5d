import numpy as np


def expected(d):
    A = np.asarray
    return {
        "a10.npy": np.arange(10),
        "a2_20_3.npy": np.arange(2, 20, 3),
        "dec.npy": np.arange(10, 0, -2),
        "dec3.npy": np.arange(10, -10, -3),
        "neg.npy": np.arange(-3, 3),
        "empty.npy": np.arange(5, 0),
        "empty_neg.npy": np.arange(0, 10, -1),
        "float_stop.npy": np.arange(10.0),
        "f1_5.npy": np.arange(1.5),
        "tenth.npy": np.arange(0, 1, 0.1),
        "quarter.npy": np.arange(1, 2, 0.25),
        "fdec.npy": np.arange(1, -1, -0.3),
        "f32.npy": np.arange(5, dtype="float32"),
        "i32.npy": np.arange(-4, 4, 3, dtype="int32"),
        "half.npy": np.arange(0.5, 4, 1),
        "sum.npy": A(np.arange(0, 1000, 7).sum()),
        "print:p": np.arange(3, 0, -1),
    }
