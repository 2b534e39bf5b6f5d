"""da.fft against numpy.fft: every function, 1-D to 3-D, even, odd and prime sizes, every
norm, n and s that cut and pad, with chunks that do and do not divide the shape (and
chunks of 1). Relative L2 error <= 1e-12 for float64/complex128 and <= 1e-5 for float32
(complex64 results, as NumPy 2 gives; NumPy 1.24 computes those in double). Shapes and
dtypes must match NumPy's (up to that float32 rule). Also: the program gives the same bits
with 1 and 3 threads, and FFTW's self-test properties (Ergun) hold on chunked, transposed
inputs: linearity, the impulse response, the time shift."""

import os
import tempfile

import numpy as np

from cdask_testlib import CDASKC, Results, run

F = np.fft
R = np.random.RandomState(4)
INPUTS = {
    "a": R.normal(size=17),                      # prime
    "b": R.normal(size=(12, 9)),                 # even x odd
    "c": R.normal(size=(5, 6, 7)),
    "z": R.normal(size=(8, 11)) + 1j * R.normal(size=(8, 11)),
    "h": R.normal(size=(12, 9)).astype("float32"),
    "w": (R.normal(size=(6, 10)) + 1j * R.normal(size=(6, 10))).astype("complex64"),
}
CHUNKS = {"a": [{}, 5, 1], "b": [{}, (5, 4), (1, 1)], "c": [{}, (2, 4, 3), (5, 1, 7)],
          "z": [{}, (3, 5), (1, 11)], "h": [{}, (5, 2), (12, 1)], "w": [{}, (4, 3), (1, 1)]}

# (label, lua expression, numpy function of the inputs)
CASES = []
for norm in ("backward", "ortho", "forward"):
    q = '"%s"' % norm
    CASES += [
        ("fft_a_" + norm, "da.fft.fft(a, nil, nil, %s)" % q, lambda i, n=norm: F.fft(i["a"], norm=n)),
        ("ifft_z0_" + norm, "da.fft.ifft(z, nil, 0, %s)" % q, lambda i, n=norm: F.ifft(i["z"], axis=0, norm=n)),
        ("fft2_b_" + norm, "da.fft.fft2(b, nil, nil, %s)" % q, lambda i, n=norm: F.fft2(i["b"], norm=n)),
        ("ifft2_z_" + norm, "da.fft.ifft2(z, nil, nil, %s)" % q, lambda i, n=norm: F.ifft2(i["z"], norm=n)),
        ("fftn_c_" + norm, "da.fft.fftn(c, nil, nil, %s)" % q, lambda i, n=norm: F.fftn(i["c"], norm=n)),
        ("ifftn_c02_" + norm, "da.fft.ifftn(c, nil, {0, 2}, %s)" % q,
         lambda i, n=norm: F.ifftn(i["c"], axes=(0, 2), norm=n)),
        ("rfft_b1_" + norm, "da.fft.rfft(b, nil, 1, %s)" % q, lambda i, n=norm: F.rfft(i["b"], axis=1, norm=n)),
        ("irfft_z_" + norm, "da.fft.irfft(z, nil, nil, %s)" % q, lambda i, n=norm: F.irfft(i["z"], norm=n)),
        ("rfft2_c_" + norm, "da.fft.rfft2(c, nil, nil, %s)" % q, lambda i, n=norm: F.rfft2(i["c"], norm=n)),
        ("irfft2_z_" + norm, "da.fft.irfft2(z, {8, 7}, nil, %s)" % q,
         lambda i, n=norm: F.irfft2(i["z"], s=(8, 7), norm=n)),
        ("rfftn_c_" + norm, "da.fft.rfftn(c, nil, nil, %s)" % q, lambda i, n=norm: F.rfftn(i["c"], norm=n)),
        ("irfftn_c_" + norm, "da.fft.irfftn(da.fft.rfftn(c), {5, 6, 7}, nil, %s)" % q,
         lambda i, n=norm: F.irfftn(F.rfftn(i["c"]), s=(5, 6, 7), norm=n)),
    ]
CASES += [
    ("fft_n_cut", "da.fft.fft(b, 5, 0)", lambda i: F.fft(i["b"], 5, 0)),
    ("fft_n_pad", "da.fft.fft(a, 31)", lambda i: F.fft(i["a"], 31)),
    ("fft2_s", "da.fft.fft2(b, {7, 16})", lambda i: F.fft2(i["b"], s=(7, 16))),
    ("fftn_s_axes", "da.fft.fftn(c, {3, 9}, {2, 0})", lambda i: F.fftn(i["c"], s=(3, 9), axes=(2, 0))),
    ("fftn_s_last", "da.fft.fftn(c, {4, 4})", lambda i: F.fftn(i["c"], s=(4, 4))),
    ("rfft_n_odd", "da.fft.rfft(a, 13)", lambda i: F.rfft(i["a"], 13)),
    ("irfft_n_odd", "da.fft.irfft(da.fft.rfft(a), 17)", lambda i: F.irfft(F.rfft(i["a"]), 17)),
    ("irfft_n_pad", "da.fft.irfft(z, 30, 0)", lambda i: F.irfft(i["z"], 30, 0)),
    ("rfft2_axes", "da.fft.rfft2(c, nil, {2, 0})", lambda i: F.rfft2(i["c"], axes=(2, 0))),
    ("roundtrip", "da.real(da.fft.ifft2(da.fft.fft2(b)))", lambda i: F.ifft2(F.fft2(i["b"])).real),
    ("view_in", "da.fft.fft2(b.T[\"::-1\"])", lambda i: F.fft2(i["b"].T[::-1])),
    ("fused_in_out", "da.abs(da.fft.fft(b * 2 + 1, nil, 0)) ^ 2", lambda i: np.abs(F.fft(i["b"] * 2 + 1, axis=0)) ** 2),
    ("filter", "da.real(da.fft.ifft2(da.conj(da.fft.fft2(b)) * da.fft.fft2(b:rechunk({4, 4})) / (da.abs(da.fft.fft2(b)) ^ 2 + 0.5)))",
     lambda i: F.ifft2(np.conj(F.fft2(i["b"])) * F.fft2(i["b"]) / (np.abs(F.fft2(i["b"])) ** 2 + 0.5)).real),
    ("complex_ops", "(z * da.conj(z) - z / (z + 2)):sum(0)", lambda i: (i["z"] * np.conj(i["z"]) - i["z"] / (i["z"] + 2)).sum(0)),
    ("complex_mean", "z:mean(1)", lambda i: i["z"].mean(1)),
    ("complex_parts", "da.angle(z) + z.real * z.imag + da.abs(z)", lambda i: np.angle(i["z"]) + i["z"].real * i["z"].imag + np.abs(i["z"])),
    ("fftshift", "da.fft.fftshift(c)", lambda i: F.fftshift(i["c"])),
    ("ifftshift_axes", "da.fft.ifftshift(c, {0, 2})", lambda i: F.ifftshift(i["c"], axes=(0, 2))),
    ("shift_pair", "da.fft.ifftshift(da.fft.fftshift(b))", lambda i: i["b"]),
    ("fftfreq", "da.fft.fftfreq(9, 0.25)", lambda i: F.fftfreq(9, 0.25)),
    ("fftfreq_even", "da.fft.fftfreq(10)", lambda i: F.fftfreq(10)),
    ("fftfreq_one", "da.fft.fftfreq(1)", lambda i: F.fftfreq(1)),
    ("rfftfreq", "da.fft.rfftfreq(11, 3.0)", lambda i: F.rfftfreq(11, 3.0)),
    ("f32_fft2", "da.fft.fft2(h)", lambda i: F.fft2(i["h"])),
    ("f32_rfft", "da.fft.rfft(h, nil, 0, \"ortho\")", lambda i: F.rfft(i["h"], axis=0, norm="ortho")),
    ("c64_ifft", "da.fft.ifft(w)", lambda i: F.ifft(i["w"])),
    ("c64_irfft2", "da.fft.irfft2(w)", lambda i: F.irfft2(i["w"])),
]
SINGLE = {"h", "w"}


def script(chunk_index):
    lines = ['local da = require("cdask.array")']
    for name, ch in CHUNKS.items():
        c = ch[chunk_index]
        opt = "" if c == {} else ", {chunks = %s}" % (
            str(c) if isinstance(c, int) else "{" + ", ".join(map(str, c)) + "}")
        lines.append('local %s = da.from_npy("%s.npy"%s)' % (name, name, opt))
    for label, expr, _ in CASES:
        lines.append('da.to_npy(%s, "%s.npy")' % (expr, label))
    return "\n".join(lines) + "\n"


def single(label):
    return label.startswith("f32") or label.startswith("c64")


def main():
    r = Results()
    with tempfile.TemporaryDirectory() as d:
        for name, v in INPUTS.items():
            np.save(os.path.join(d, name + ".npy"), v)
        for ci in range(3):
            with open(os.path.join(d, "f%d.lua" % ci), "w") as f:
                f.write(script(ci))
            p = run([CDASKC, "f%d.lua" % ci, "-o", "f%d" % ci], cwd=d, timeout=600)
            if not r.check(p.returncode == 0, "chunking %d compiles" % ci, p.stderr):
                continue
            for threads in ("1", "3"):
                out = os.path.join(d, "out%d_%s" % (ci, threads))
                os.mkdir(out)
                q = run([os.path.join(d, "f%d" % ci), "--threads", threads, "--out", out], cwd=d)
                r.check(q.returncode == 0, "chunking %d runs on %s threads" % (ci, threads), q.stderr)
            for label, _, fn in CASES:
                want = fn(INPUTS)
                path1 = os.path.join(d, "out%d_1" % ci, label + ".npy")
                path3 = os.path.join(d, "out%d_3" % ci, label + ".npy")
                if not os.path.exists(path1) or not os.path.exists(path3):
                    r.check(False, "%s [chunking %d] written" % (label, ci))
                    continue
                got, got3 = np.load(path1), np.load(path3)
                tol = 1e-5 if single(label) else 1e-12
                want_t = want.dtype
                if single(label):
                    want_t = np.complex64 if np.iscomplexobj(want) else np.float32
                err = np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-300)
                r.check(got.shape == want.shape and got.dtype == want_t and err <= tol,
                        "%s [chunking %d]" % (label, ci),
                        "shape %s/%s dtype %s/%s rel L2 %.3g" % (got.shape, want.shape, got.dtype,
                                                                 want_t, err))
                r.check(got.tobytes() == got3.tobytes(),
                        "%s [chunking %d] same bits on 1 and 3 threads" % (label, ci))
        ergun(r, d)
    r.finish()


ERGUN = """local da = require("cdask.array")
local x = da.from_npy("ex.npy", {chunks = {7, 5}})
local y = da.from_npy("ey.npy", {chunks = {3, 11}})
local F = function(v) return da.fft.fft2(v.T) end
da.to_npy(F(x * 2.5 - y * 0.75) - (F(x) * 2.5 - F(y) * 0.75), "lin.npy")
da.to_npy(F(da.from_npy("delta.npy", {chunks = {4, 4}})), "imp.npy")
da.to_npy(F(da.fft.fftshift(x, 1)), "shifted.npy")
da.to_npy(F(x), "fx.npy")
"""


def ergun(r, d):
    ex, ey = R.normal(size=(20, 13)), R.normal(size=(20, 13))
    delta = np.zeros((20, 13))
    delta[0, 0] = 1
    for n, v in (("ex", ex), ("ey", ey), ("delta", delta)):
        np.save(os.path.join(d, n + ".npy"), v)
    with open(os.path.join(d, "e.lua"), "w") as f:
        f.write(ERGUN)
    p = run([CDASKC, "e.lua", "-o", "e"], cwd=d, timeout=300)
    if not r.check(p.returncode == 0, "Ergun program compiles", p.stderr):
        return
    q = run([os.path.join(d, "e"), "--threads", "2"], cwd=d)
    if not r.check(q.returncode == 0, "Ergun program runs", q.stderr):
        return
    lin = np.load(os.path.join(d, "lin.npy"))
    fx = np.load(os.path.join(d, "fx.npy"))
    r.check(np.linalg.norm(lin) <= 1e-13 * np.linalg.norm(fx), "linearity",
            "residual %g" % np.linalg.norm(lin))
    imp = np.load(os.path.join(d, "imp.npy"))
    r.check(np.array_equal(imp, np.ones_like(imp)), "impulse response is all ones")
    # x rolled by k = 13//2 along axis 1 (the first axis of x.T): F(x.T)[u, v] times
    # exp(-2 pi i u k / 13)
    sh = np.load(os.path.join(d, "shifted.npy"))
    k = 13 // 2
    u = np.arange(13).reshape(13, 1)
    want = fx * np.exp(-2j * np.pi * u * k / 13)
    r.check(np.linalg.norm(sh - want) <= 1e-12 * np.linalg.norm(want), "time shift",
            "rel %g" % (np.linalg.norm(sh - want) / np.linalg.norm(want)))


if __name__ == "__main__":
    main()
