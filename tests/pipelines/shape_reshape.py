import os
import numpy as np

RTOL = 1e-15


def _inputs():
    r = np.random.RandomState(3)
    return {"x.npy": r.normal(size=(6, 10)), "v.npy": r.randint(-50, 50, size=24).astype("int32")}


def setup(d):
    for name, a in _inputs().items():
        np.save(os.path.join(d, name), a)


def expected(d):
    inp = _inputs()
    x, v = inp["x.npy"], inp["v.npy"]
    out = {}
    for k in range(1, 5):
        s = "_%d.npy" % k
        out["split" + s] = x.reshape(2, 3, 10)
        out["flat" + s] = x.reshape(60)
        out["merge" + s] = x.reshape(4, 15)
        out["infer" + s] = x.reshape(3, -1)
        out["tflat" + s] = x.T.reshape(60)
        out["merge_sum" + s] = (x * 2 + 1).reshape(5, 12).sum(0)
        out["ones" + s] = x.reshape(1, 6, 1, 10, 1)
        out["ones_back" + s] = x.reshape(60, 1)
        out["twice" + s] = x.reshape(10, 6)
        out["merge_slice" + s] = x.reshape(4, 15)[1:3, ::-2]
        out["ravel_cull" + s] = x.ravel()[7:23]
        out["view_merge" + s] = x[::-1, 1:9].reshape(8, 6) - 1
    out["v_split.npy"] = v.reshape(2, 3, 4)
    out["v_merge.npy"] = v.reshape(4, 6)
    out["v_bool.npy"] = (v > 0).reshape(6, 4)
    out["empty.npy"] = np.ones((2, 0, 3)).reshape(0, 5)
    out["print:to_scalar"] = 7.5
    a = np.arange(100000).reshape(200, 500)
    out["print:seed003"] = (np.sin(a) + 1).mean()
    return out
