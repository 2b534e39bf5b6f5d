import os
import numpy as np


def _inputs():
    r = np.random.RandomState(18)
    return {
        "a_f.npy": np.asfortranarray(r.normal(size=(7, 10))),
        "c_f.npy": np.asfortranarray(r.normal(size=(4, 5, 6))),
        "k_f.npy": np.asfortranarray(r.randint(-50, 50, size=(6, 4)).astype("int32")),
        "m_f.npy": np.asfortranarray(r.normal(size=(7, 4)).astype("float32")),
        "b_f.npy": np.asfortranarray(r.rand(3, 8) > 0.7),
    }


def setup(d):
    for name, a in _inputs().items():
        assert a.flags.f_contiguous and not a.flags.c_contiguous
        np.save(os.path.join(d, name), a)
        assert np.load(os.path.join(d, name)).flags.f_contiguous


def expected(d):
    v = _inputs()
    a, c, k, m, bf = (v[n] for n in ["a_f.npy", "c_f.npy", "k_f.npy", "m_f.npy", "b_f.npy"])
    return {
        "a.npy": a,
        "c.npy": c,
        "k.npy": k,
        "m.npy": m,
        "bf.npy": bf,
        "aT.npy": a.T,
        "a_sum0.npy": a.sum(0),
        "a_sum1.npy": a.sum(1),
        "a_view.npy": a[::-1, 2],
        "c_tm.npy": c.transpose(2, 0, 1).mean(0),
        "c_view.npy": c[1, ::-1, ::2],
        "k_expr.npy": k * 2 - k.min(0),
        "m_expr.npy": m + a[:, 0:4].astype("float32"),
        "bf_any0.npy": bf.any(0),
    }
