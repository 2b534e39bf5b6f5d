import os
import numpy as np


def expected(d):
    L = lambda f: np.load(os.path.join(d, f))
    u1, u3, n0, nf = L("u1.npy"), L("u3.npy"), L("n0.npy"), L("nf.npy")
    assert u1.dtype == np.float64 and u1.shape == (200, 150)
    assert u1.min() >= -2 and u1.max() < 3, "uniform(-2, 3) out of range"
    assert abs(u1.mean() - 0.5) < 0.05 and abs(u1.std() - 5 / 12 ** 0.5) < 0.05
    assert not np.array_equal(u1, u3), "seeds 42 and 43 gave the same array"
    assert abs(n0.mean() - 1) < 0.05 and abs(n0.std() - 2) < 0.05, "not normal(1, 2)"
    assert nf.dtype == np.float32, "dtype float32 ignored: %s" % nf.dtype
    assert abs(nf.mean()) < 0.1 and abs(nf.std() - 1) < 0.1
    # chunks must be independent streams: no two chunks of u1 are equal
    blocks = [u1[i:i + 64, j:j + 50].ravel()[:10] for i in range(0, 192, 64)
              for j in range(0, 150, 50)]
    assert len({b.tobytes() for b in blocks}) == len(blocks), "repeated chunks"
    return {
        "same_seed_diff.npy": np.zeros((200, 150)),
        "default_seed_diff.npy": np.zeros((400, 100)),
        "u1_mean.npy": np.asarray(u1.mean()),
        "n0_std0.npy": n0.std(0),
    }
