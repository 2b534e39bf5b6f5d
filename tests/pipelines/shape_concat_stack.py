import os
import numpy as np

RTOL = 1e-15


def _inputs():
    r = np.random.RandomState(11)
    return {"x.npy": r.normal(size=(4, 5)), "y.npy": r.normal(size=(3, 5)),
            "z.npy": r.randint(-9, 9, size=(4, 2)).astype("int32"),
            "b.npy": r.rand(5) > 0.5}


def setup(d):
    for name, a in _inputs().items():
        np.save(os.path.join(d, name), a)


def expected(d):
    i = _inputs()
    x, y, z, b = i["x.npy"], i["y.npy"], i["z.npy"], i["b.npy"]
    out = {}
    for k in range(1, 4):
        s = "_%d.npy" % k
        out["c0" + s] = np.concatenate([x, y])
        out["c0_three" + s] = np.concatenate([x, y, x * 2], 0)
        out["c1_mixed" + s] = np.concatenate([x, z], 1)
        out["cm1" + s] = np.concatenate([z, x, z], -1)
        out["c_views" + s] = np.concatenate([x.T, y.T], 1)
        out["c_sources" + s] = np.concatenate([x, np.ones((2, 5)), np.arange(5).reshape(1, 5)])
        out["c_sum0" + s] = np.concatenate([x, y]).sum(0)
        out["c_sum1" + s] = np.concatenate([x, y]).sum(1)
        out["c_slice" + s] = np.concatenate([x, y])[2:6, ::-1]
        out["c_cull_y" + s] = np.concatenate([x, y])[5:]
        out["c_nested" + s] = np.concatenate([np.concatenate([x, y]), x]) + 1
        out["c_two" + s] = np.sin(np.concatenate([x, y], 0)) * np.concatenate([y, x], 0)
        out["s0" + s] = np.stack([x, x * 3])
        out["s1" + s] = np.stack([x, x + 1, x], 1)
        out["sm1" + s] = np.stack([x, x], -1)
        out["s_mean" + s] = np.stack([x, z.astype("float64").sum(1).reshape(4, 1) + x], 2).mean(2)
    out["bool.npy"] = np.concatenate([b, ~b])
    out["bool_stack.npy"] = np.stack([b, b])
    out["bool_int.npy"] = np.concatenate([b, np.arange(3)])
    return out
