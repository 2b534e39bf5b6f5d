import os
import numpy as np

RTOL = 0  # bit for bit: the same sequential accumulation as NumPy


def _inputs():
    r = np.random.RandomState(5)
    return {"x.npy": r.normal(size=(3, 7, 5)),
            "f.npy": (r.normal(size=(5, 6)) * 0.3 + 1).astype("float32"),
            "i.npy": r.randint(-6, 7, size=(5, 6)).astype("int32")}


def setup(d):
    for name, a in _inputs().items():
        np.save(os.path.join(d, name), a)


def expected(d):
    inp = _inputs()
    x, f, i = inp["x.npy"], inp["f.npy"], inp["i.npy"]
    out = {}
    for k in range(1, 5):
        s = "_%d.npy" % k
        out["cs0" + s] = x.cumsum(0)
        out["cs1" + s] = x.cumsum(1)
        out["cs2" + s] = np.cumsum(x, -1)
        out["csflat" + s] = x.cumsum()
        out["cp1" + s] = (x * 0.1 + 1).cumprod(1)
        out["cp2" + s] = np.cumprod(x * 0.1 + 1, 2)
        out["cs_fused" + s] = (x * 3 - 1).cumsum(1)
        out["cs_slice" + s] = x.cumsum(2)[1:, ::-1, 2:4]
        out["cs_view" + s] = x.T.cumsum(0)
        out["cs_twice" + s] = x.cumsum(1).cumsum(0)
    out["f32_cs1.npy"] = f.cumsum(1)
    out["f32_cp0.npy"] = f.cumprod(0)
    out["i32_cs0.npy"] = i.cumsum(0)
    out["i32_cp1.npy"] = i.cumprod(1)
    out["i64_cpflat.npy"] = i.astype("int64").cumprod()
    out["bool_cs1.npy"] = (i > 0).cumsum(1)
    out["const.npy"] = np.full(4, 3.0).cumsum()
    out["culled.npy"] = np.arange(10).cumsum(0)[3:7]
    out["print:scalar"] = "[2.5]"
    return out
