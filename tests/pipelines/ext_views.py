import os
import numpy as np


def _inputs():
    r = np.random.RandomState(59)
    return {
        "x.npy": r.normal(size=(1, 7, 1, 5)),
        "v.npy": r.randint(-100, 100, size=9).astype("int32"),
        "b.npy": r.rand(3, 1) > 0.5,
    }


def setup(d):
    for name, a in _inputs().items():
        np.save(os.path.join(d, name), a)


def expected(d):
    i = _inputs()
    x, v, b = i["x.npy"], i["v.npy"], i["b.npy"]
    ed = np.expand_dims
    bt = np.broadcast_to
    return {
        "sq_all.npy": x.squeeze(),
        "sq_0.npy": np.squeeze(x, 0),
        "sq_m2.npy": x.squeeze(-2),
        "sq_20.npy": np.squeeze(x, (2, 0)),
        "sq_empty.npy": np.squeeze(x, ()),
        "sq_sum0.npy": x.squeeze().sum(0),
        "sq_mul.npy": x.squeeze() * x.squeeze(2),
        "sq_slice.npy": x.squeeze()[::-1, 1:4],
        "sq_bool.npy": b.squeeze(),
        "print:sq_scalar": np.ones((1, 1)).squeeze(),
        "sq_none.npy": v.squeeze(),
        "ed_0.npy": ed(v, 0),
        "ed_m1.npy": ed(v, -1),
        "ed_02.npy": ed(v, (0, 2)),
        "ed_m102.npy": ed(v, (-1, 0, 2)),
        "ed_mid.npy": ed(x.squeeze(), (1, -1)),
        "ed_outer.npy": ed(v, 1) + v,
        "ed_sum.npy": ed(v, 0).sum(1),
        "ed_scalar.npy": ed(np.ones(()), (0, 1)),
        "ed_empty.npy": ed(x, ()),
        "ed_sq.npy": ed(x.squeeze(), 0).squeeze(0),
        "bt_rows.npy": bt(v, (4, 9)),
        "bt_bool.npy": bt(b, (2, 3, 6)),
        "bt_x.npy": bt(x, (3, 1, 7, 4, 5)),
        "bt_same.npy": bt(v, 9),
        "bt_zero.npy": bt(np.ones(1), (0,)),
        "bt_sum0.npy": bt(ed(v, 1), (9, 6)).sum(0),
        "bt_centered.npy": bt(x.squeeze().mean(1, keepdims=True), (7, 5)) - x.squeeze(),
        "bt_view.npy": bt(v[::-2], (2, 5)).T,
    }
